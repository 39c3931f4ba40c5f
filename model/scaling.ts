/**
 * Scaling rules, normalised: instance bounds, utilisation targets and the
 * saturation thresholds that follow from them. Pure functions; the HPA lives
 * in components/kubernetes/Autoscaling.ts, saturation alerts in
 * components/gcp/SaturationAlerts.ts, and Cloud Run's scaling block in
 * components/gcp/cloudRunScaling.ts.
 */
import type { ServiceSpec, Tier } from "../contract/serviceSchema";
import type { RuntimeModel, ScalingModel, SloModel } from "./types";

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
