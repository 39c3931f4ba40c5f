/**
 * Cloud Monitoring filters and names, built as plain strings by small pure
 * functions so tests can check every metric type, resource type and label
 * against the metric catalogue.
 */
import { toGcpDuration } from "../../contract/duration";
import type { RuntimeModel } from "../../model/types";

export const METRIC = {
  cloudRunRequests: "run.googleapis.com/request_count",
  cloudRunLatencies: "run.googleapis.com/request_latencies",
  uptimeCheckPassed: "monitoring.googleapis.com/uptime_check/check_passed",
  cloudRunCpu: "run.googleapis.com/container/cpu/utilizations",
  cloudRunMemory: "run.googleapis.com/container/memory/utilizations",
  cloudRunInstances: "run.googleapis.com/container/instance_count",
  gkeCpuRequestUtilization: "kubernetes.io/container/cpu/request_utilization",
  gkeMemoryLimitUtilization: "kubernetes.io/container/memory/limit_utilization",
  gkeContainerUptime: "kubernetes.io/container/uptime",
} as const;

type CloudRun = Extract<RuntimeModel, { kind: "cloudRun" }>;
type Gke = Extract<RuntimeModel, { kind: "gke" }>;

function cloudRunRevision(runtime: CloudRun): string {
  return `resource.type="cloud_run_revision" AND resource.label.service_name="${runtime.service}" AND resource.label.location="${runtime.region}"`;
}

/** A metric of the service's Cloud Run revisions. */
export function cloudRunMetricFilter(metric: string, runtime: CloudRun): string {
  return `metric.type="${metric}" AND ${cloudRunRevision(runtime)}`;
}

/** A metric of the workload's containers: cluster, namespace and the pods' labels. */
export function gkeContainerFilter(metric: string, runtime: Gke): string {
  return [
    `metric.type="${metric}"`,
    'resource.type="k8s_container"',
    `resource.label.cluster_name="${runtime.cluster}"`,
    `resource.label.location="${runtime.location}"`,
    `resource.label.namespace_name="${runtime.namespace}"`,
    ...Object.entries(runtime.selector).map(([key, value]) => `metadata.user_labels."${key}"="${value}"`),
  ].join(" AND ");
}

/** Every request that reached a Cloud Run container of the service. */
export function cloudRunRequestsFilter(runtime: CloudRun): string {
  return cloudRunMetricFilter(METRIC.cloudRunRequests, runtime);
}

/** Requests the service answered with a server error (Cloud Run labels the class as the string "5xx"). */
export function cloudRunServerErrorsFilter(runtime: CloudRun): string {
  return `${cloudRunRequestsFilter(runtime)} AND metric.label.response_code_class="5xx"`;
}

/** The service's request latency distribution. */
export function cloudRunLatencyFilter(runtime: CloudRun): string {
  return cloudRunMetricFilter(METRIC.cloudRunLatencies, runtime);
}

/** Results of one uptime check, one series per checker location. */
export function uptimeCheckFilter(checkId: string): string {
  return `metric.type="${METRIC.uptimeCheckPassed}" AND resource.type="uptime_url" AND metric.label.check_id="${checkId}"`;
}

/** Full resource name of an SLO, as SLO selectors expect it. */
export function sloResourceName(project: string, serviceId: string, sloId: string): string {
  return `projects/${project}/services/${serviceId}/serviceLevelObjectives/${sloId}`;
}

/** The SLO burn rate over a lookback window, for alert-policy conditions. */
export function burnRateFilter(sloName: string, lookbackMs: number): string {
  return `select_slo_burn_rate("${sloName}", "${toGcpDuration(lookbackMs)}")`;
}
