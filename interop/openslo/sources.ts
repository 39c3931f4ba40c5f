/**
 * OpenSLO metric sources and our indicators: which source types we read,
 * how a Prometheus query becomes the series selector our rules rate over, and
 * which Cloud Monitoring filters are the ones our Cloud Run indicators
 * generate (components/gcp/filters.ts), so that availability and latency
 * SLOs survive a round trip.
 */
import { cloudRunLatencyFilter, cloudRunRequestsFilter, cloudRunServerErrorsFilter } from "../../components/gcp/filters";
import type { RuntimeModel } from "../../model/types";

export type SourceBackend = "prometheus" | "cloudMonitoring";

/** The `metricSource.type` we write for each backend. */
export const SOURCE_TYPE: Record<SourceBackend, string> = { prometheus: "Prometheus", cloudMonitoring: "CloudMonitoring" };

/** Types we read, compared without case or punctuation: Google Cloud Monitoring has carried several names; Prometheus-compatible stores answer PromQL like Prometheus. */
const SOURCE_TYPES: Record<string, SourceBackend> = {
  prometheus: "prometheus",
  mimir: "prometheus",
  grafanamimir: "prometheus",
  thanos: "prometheus",
  cortex: "prometheus",
  victoriametrics: "prometheus",
  amazonprometheus: "prometheus",
  amazonmanagedprometheus: "prometheus",
  amazonmanagedserviceforprometheus: "prometheus",
  awsprometheus: "prometheus",
  grafanacloud: "prometheus",
  grafanacloudprometheus: "prometheus",
  googlemanagedprometheus: "prometheus",
  managedprometheus: "prometheus",
  cloudmonitoring: "cloudMonitoring",
  googlecloudmonitoring: "cloudMonitoring",
  gcm: "cloudMonitoring",
  stackdriver: "cloudMonitoring",
};

export const KNOWN_SOURCE_TYPES = "Prometheus or a Prometheus-compatible store (Mimir, Thanos, Cortex, VictoriaMetrics, AmazonPrometheus, GrafanaCloud, GoogleManagedPrometheus), or for Google Cloud Monitoring one of CloudMonitoring, GoogleCloudMonitoring, GCM, Stackdriver";

export function sourceBackend(type: string): SourceBackend | undefined {
  return SOURCE_TYPES[type.toLowerCase().replace(/[^a-z]/g, "")];
}

type CloudRun = Extract<RuntimeModel, { kind: "cloudRun" }>;

const CLOUD_RUN_REVISION = /resource\.label\.service_name="([^"]+)" AND resource\.label\.location="([^"]+)"/;

/** The Cloud Run service a filter names, if it is one of ours; confirmed by regenerating the filter. */
function cloudRunOf(filter: string, generate: (runtime: CloudRun) => string): CloudRun | undefined {
  const match = CLOUD_RUN_REVISION.exec(filter);
  if (!match) return undefined;
  const runtime: CloudRun = { kind: "cloudRun", service: match[1]!, region: match[2]! };
  return generate(runtime) === filter.trim() ? runtime : undefined;
}

/** A ratio of Cloud Monitoring filters that is exactly our `availability` indicator of a Cloud Run service. */
export function cloudRunAvailability(total: string, bad: string | undefined): CloudRun | undefined {
  if (bad === undefined) return undefined;
  const runtime = cloudRunOf(total, cloudRunRequestsFilter);
  return runtime && cloudRunServerErrorsFilter(runtime) === bad.trim() ? runtime : undefined;
}

/** A distribution filter that is exactly our `latency` indicator's (Cloud Run request_latencies, in milliseconds). */
export function cloudRunLatency(filter: string): CloudRun | undefined {
  return cloudRunOf(filter, cloudRunLatencyFilter);
}
