/**
 * A service's log pipeline, normalised: which entries are the service's own,
 * how long its bucket keeps them, what each sink exports and which log-based
 * metrics count. Pure functions; components/gcp/LogPipeline.ts provisions it.
 */
import { parseDuration } from "../contract/duration";
import type { ServiceSpec } from "../contract/serviceSchema";
import type { LogExclusionModel, LogsModel, RuntimeModel, SinkDestinationModel } from "./types";

/** Retention when a service declares `logs` without `retentionDays`: Cloud Logging's own default. */
export const DEFAULT_LOG_RETENTION_DAYS = 30;

/**
 * Requests from health checkers: Cloud Monitoring uptime checks, kubelet
 * probes and Google load-balancer health checks, told apart by user agent.
 */
export const HEALTH_CHECK_FILTER =
  'httpRequest.userAgent=~"^(GoogleStackdriverMonitoring-UptimeChecks|kube-probe/|GoogleHC/)"';

/** A log-based metric's id: `<service id>/<metric>` (Cloud Logging allows 100 characters). */
export function logMetricId(serviceId: string, metric: string): string {
  return `${serviceId}/${metric}`;
}

/** Name of a sink that exports a service's entries: `<service id>-<sink>` (Cloud Logging allows 100 characters). */
export function exportSinkName(serviceId: string, sink: string): string {
  return `${serviceId}-${sink}`;
}

/** Id of a service's log bucket, also the name of the sink that fills it. */
export function logBucketId(serviceId: string): string {
  return `${serviceId}-logs`;
}

/** Name of the exclusion that drops health-check requests from every sink of a service. */
export const HEALTH_CHECK_EXCLUSION = "health-checks";

/**
 * The monitored resource type of a runtime's log entries, which a log-based
 * metric's time series carry: Cloud Run revisions, GKE containers. For an
 * external service, the one `resource.type="…"` its own filter restricts to,
 * if any.
 */
export function logResourceType(runtime: RuntimeModel, serviceFilter: string | undefined): string | undefined {
  switch (runtime.kind) {
    case "cloudRun":
      return "cloud_run_revision";
    case "gke":
      return "k8s_container";
    case "external": {
      const types = [...(serviceFilter ?? "").matchAll(/resource\.type\s*=\s*"([a-z0-9_.]+)"/g)].map((match) => match[1]!);
      return new Set(types).size === 1 && !/\bOR\b|\bNOT\b|-resource\.type/.test(serviceFilter ?? "") ? types[0] : undefined;
    }
  }
}

/** Cloud Logging label key of a GKE pod label: GKE writes `k8s-pod/<key>` with dots as underscores. */
export function podLabelLogKey(key: string): string {
  return `k8s-pod/${key.replace(/\./g, "_")}`;
}

/**
 * The filter that selects a runtime's own log entries, or undefined for an
 * external service (which must declare `logs.filter`).
 */
export function runtimeLogFilter(runtime: RuntimeModel): string | undefined {
  switch (runtime.kind) {
    case "cloudRun":
      return `resource.type="cloud_run_revision" AND resource.labels.service_name="${runtime.service}" AND resource.labels.location="${runtime.region}"`;
    case "gke":
      return [
        'resource.type="k8s_container"',
        `resource.labels.cluster_name="${runtime.cluster}"`,
        `resource.labels.location="${runtime.location}"`,
        `resource.labels.namespace_name="${runtime.namespace}"`,
        ...Object.entries(runtime.selector).map(([key, value]) => `labels."${podLabelLogKey(key)}"="${value}"`),
      ].join(" AND ");
    case "external":
      return undefined;
  }
}

/** Both filters must match; each is parenthesised so an OR inside stays inside. */
export function andFilters(...filters: string[]): string {
  return filters.length === 1 ? filters[0]! : filters.map((filter) => `(${filter})`).join(" AND ");
}

/** Cloud Logging ids allow letters, digits, '_' and '-'; log buckets and sinks use the service id as prefix. */
export function logsModel(spec: ServiceSpec, runtime: RuntimeModel, serviceId: string): LogsModel | undefined {
  const logs = spec.logs;
  if (!logs) return undefined;
  const serviceFilter = logs.filter ?? runtimeLogFilter(runtime);
  // Validation refuses an external service without logs.filter; this guards direct callers.
  if (serviceFilter === undefined) throw new Error(`${spec.name}: logs.filter is required for an external service`);
  const resourceType = logResourceType(runtime, serviceFilter);
  const exclusions: LogExclusionModel[] = (logs.exclude ?? []).map(() => ({
    name: HEALTH_CHECK_EXCLUSION,
    description: "Requests from uptime checks, kubelet probes and load-balancer health checks",
    filter: HEALTH_CHECK_FILTER,
  }));
  return {
    bucketId: logBucketId(serviceId),
    retentionDays: logs.retentionDays ?? DEFAULT_LOG_RETENTION_DAYS,
    ...(logs.volumeGiBPerMonth !== undefined ? { volumeGiBPerMonth: logs.volumeGiBPerMonth } : {}),
    serviceFilter,
    exclusions,
    sinks: (logs.sinks ?? []).map((sink) => ({
      name: sink.name,
      sinkName: exportSinkName(serviceId, sink.name),
      filter: sink.filter ? andFilters(serviceFilter, sink.filter) : serviceFilter,
      destination: sinkDestination(sink.destination, logs.retentionDays ?? DEFAULT_LOG_RETENTION_DAYS),
    })),
    metrics: (logs.metrics ?? []).map((metric) => ({
      name: metric.name,
      metricId: logMetricId(serviceId, metric.name),
      filter: andFilters(serviceFilter, metric.filter),
      ...(metric.logql ? { logql: metric.logql } : {}),
      ...(resourceType !== undefined ? { resourceType } : {}),
      ...(metric.alert ? { alert: { above: metric.alert.above, perMs: parseDuration(metric.alert.per)!, severity: metric.alert.severity } } : {}),
    })),
  };
}

type SinkSpec = NonNullable<NonNullable<ServiceSpec["logs"]>["sinks"]>[number];

/** A Cloud Storage export keeps objects as long as the log bucket keeps entries unless it says otherwise. */
function sinkDestination(destination: SinkSpec["destination"], logRetentionDays: number): SinkDestinationModel {
  if (destination.bigquery) return { kind: "bigquery", dataset: destination.bigquery.dataset };
  if (destination.storage) return { kind: "storage", bucket: destination.storage.bucket, retentionDays: destination.storage.retentionDays ?? logRetentionDays };
  return { kind: "pubsub", topic: destination.pubsub!.topic };
}

/** Where a sink's entries go, in words, for the plan summary. */
export function describeDestination(destination: SinkDestinationModel): string {
  switch (destination.kind) {
    case "bigquery":
      return `BigQuery dataset ${destination.dataset} (partitioned tables)`;
    case "storage":
      return `Cloud Storage bucket ${destination.bucket} (objects kept ${destination.retentionDays} days)`;
    case "pubsub":
      return `Pub/Sub topic ${destination.topic}`;
  }
}
