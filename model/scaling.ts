/**
 * Scaling rules, normalised: instance bounds, utilisation targets and the
 * saturation thresholds that follow from them (which alert, at what value,
 * after how long). Pure functions; the HPA lives in
 * components/kubernetes/Autoscaling.ts, the saturation alerts' Cloud
 * Monitoring queries in components/gcp/SaturationAlerts.ts, and Cloud Run's
 * scaling block in components/gcp/cloudRunScaling.ts.
 */
import { formatDuration } from "../contract/duration";
import type { ServiceSpec, Tier } from "../contract/serviceSchema";
import type { RuntimeModel, SaturationThreshold, ScalingModel, SloModel } from "./types";

export const DEFAULT_CPU_TARGET = 70;
export const DEFAULT_MEMORY_TARGET = 80;
/** Cloud Run's own ceiling when a service sets none. */
export const CLOUD_RUN_DEFAULT_MAX_INSTANCES = 100;
/** Cloud Run's default requests per instance. */
export const CLOUD_RUN_DEFAULT_CONCURRENCY = 80;
/** Replicas kept by default on GKE: two for the critical tier, so a node drain never takes the service down. */
export const GKE_DEFAULT_MIN_REPLICAS: Record<Tier, number> = { critical: 2, standard: 1, low: 1 };
/** Scale down only after load has stayed low this long (Kubernetes' default is 300 s). */
export const SCALE_DOWN_STABILIZATION_SECONDS = 600;
/** At most this share of replicas removed per minute when scaling down. */
export const SCALE_DOWN_PERCENT_PER_MINUTE = 20;
/** Saturation alerts fire at this share of the instance ceiling. */
export const INSTANCE_CEILING_SHARE = 0.9;
/** How long CPU must stay above target before a ticket. */
export const CPU_SATURATION_MS = 15 * 60_000;
/** How long memory must stay above target before a ticket (memory rarely falls back by itself). */
export const MEMORY_SATURATION_MS = 5 * 60_000;
/** How long instances must sit near the ceiling, or latency above the threshold, before a ticket. */
export const SUSTAINED_MS = 15 * 60_000;

export function scalingModel(spec: ServiceSpec, runtime: RuntimeModel, tier: Tier, slos: readonly SloModel[]): ScalingModel | undefined {
  const scaling = spec.scaling;
  if (!scaling || runtime.kind === "external") return undefined;
  const cloudRun = runtime.kind === "cloudRun";
  const minInstances = scaling.minInstances ?? (cloudRun ? 0 : GKE_DEFAULT_MIN_REPLICAS[tier]);
  const maxInstances = scaling.maxInstances ?? (cloudRun ? CLOUD_RUN_DEFAULT_MAX_INSTANCES : Math.max(minInstances, 1));
  const latencies = slos.flatMap((slo) => (slo.indicator.kind === "latency" ? [slo.indicator.thresholdMs] : []));
  return {
    minInstances,
    maxInstances,
    ...(cloudRun ? { concurrency: scaling.concurrency ?? CLOUD_RUN_DEFAULT_CONCURRENCY } : {}),
    cpuTargetPercent: scaling.cpuTarget ?? DEFAULT_CPU_TARGET,
    memoryTargetPercent: scaling.memoryTarget ?? DEFAULT_MEMORY_TARGET,
    instanceAlertAt: Math.max(1, Math.ceil(INSTANCE_CEILING_SHARE * maxInstances)),
    ...(latencies.length > 0 ? { latencyThresholdMs: Math.min(...latencies) } : {}),
    disruptionBudget: !cloudRun && minInstances >= 2,
  };
}

/** Bounds in words, for the plan summary. */
export function describeScaling(scaling: ScalingModel): string {
  const parts = [`${scaling.minInstances}–${scaling.maxInstances} instances`, `CPU target ${scaling.cpuTargetPercent} %`, `memory target ${scaling.memoryTargetPercent} %`];
  if (scaling.concurrency !== undefined) parts.push(`${scaling.concurrency} concurrent requests per instance`);
  return parts.join(", ");
}

/**
 * The saturation tickets a service's runtime and scaling targets call for:
 * CPU and memory above their targets, instances (Cloud Run) or pods (GKE) near
 * the ceiling, and on Cloud Run p95 latency above the tightest latency SLO
 * threshold. None for other runtimes.
 */
export function saturationThresholds(runtime: RuntimeModel, scaling: ScalingModel): SaturationThreshold[] {
  if (runtime.kind === "external") return [];
  const gke = runtime.kind === "gke";
  const sustained = formatDuration(SUSTAINED_MS);
  const thresholds: SaturationThreshold[] = [
    {
      key: "cpu",
      title: `CPU above ${scaling.cpuTargetPercent} %${gke ? " of requests" : ""} for ${formatDuration(CPU_SATURATION_MS)}`,
      threshold: scaling.cpuTargetPercent / 100,
      inclusive: false,
      durationMs: CPU_SATURATION_MS,
    },
    {
      key: "memory",
      title: `memory above ${scaling.memoryTargetPercent} %${gke ? " of the limit" : ""} for ${formatDuration(MEMORY_SATURATION_MS)}`,
      threshold: scaling.memoryTargetPercent / 100,
      inclusive: false,
      durationMs: MEMORY_SATURATION_MS,
    },
    {
      key: "instances",
      title: `${scaling.instanceAlertAt} or more of ${scaling.maxInstances} ${gke ? "pods" : "instances"} for ${sustained}`,
      threshold: scaling.instanceAlertAt,
      inclusive: true,
      durationMs: SUSTAINED_MS,
    },
  ];
  // Latency comes from Cloud Run's request metrics; a GKE workload has no such metric to compare.
  if (!gke && scaling.latencyThresholdMs !== undefined) {
    thresholds.push({
      key: "latency",
      title: `p95 latency above ${formatDuration(scaling.latencyThresholdMs)} for ${sustained}`,
      threshold: scaling.latencyThresholdMs,
      inclusive: false,
      durationMs: SUSTAINED_MS,
    });
  }
  return thresholds;
}
