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

/** Types we read, compared without case or punctuation: Google Cloud Monitoring has carried several names. */
const SOURCE_TYPES: Record<string, SourceBackend> = {
  prometheus: "prometheus",
  cloudmonitoring: "cloudMonitoring",
  googlecloudmonitoring: "cloudMonitoring",
  gcm: "cloudMonitoring",
  stackdriver: "cloudMonitoring",
};

export const KNOWN_SOURCE_TYPES = "Prometheus, or for Google Cloud Monitoring one of CloudMonitoring, GoogleCloudMonitoring, GCM, Stackdriver";

export function sourceBackend(type: string): SourceBackend | undefined {
  return SOURCE_TYPES[type.toLowerCase().replace(/[^a-z]/g, "")];
}

const SELECTOR = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^{}]*\})?$/;
const RATE_OF_SELECTOR = /^(?:sum\s*\(\s*)?(?:rate|increase)\s*\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^{}]*\})?)\s*\[\s*[0-9]+[smhdwy]\s*\]\s*\)(\s*\))?$/;

/**
 * The series selector of a Prometheus query: the query itself when it is a
 * selector, or X in `rate(X[5m])`, `increase(X[1h])`, `sum(rate(X[5m]))`.
 * Our rules take `sum(rate(X[w]))` over each burn-rate window themselves.
 * Anything else (grouping, arithmetic, quantiles) is not read.
 */
export function prometheusSelector(query: string): { selector: string; rewritten: boolean } | undefined {
  const text = query.trim();
  if (SELECTOR.test(text)) return { selector: text, rewritten: false };
  const match = RATE_OF_SELECTOR.exec(text);
  if (!match) return undefined;
  // sum( must be closed by the final ) and a bare rate( must not have one extra.
  const opensSum = /^sum\s*\(/.test(text);
  if (opensSum !== (match[2] !== undefined)) return undefined;
  return { selector: match[1]!, rewritten: true };
}

/** The metric name of a selector: `http_requests_total{job="api"}` → `http_requests_total`. */
export function metricName(selector: string): string {
  return selector.replace(/\{.*$/, "");
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
