/**
 * Saturation alerts from a service's scaling targets, all ticket severity:
 * CPU above target for 15 minutes, memory above target for 5, instances at
 * 90 % of the ceiling, and (Cloud Run) p95 latency above the tightest latency
 * SLO threshold. They warn before the burn-rate alerts have to page.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { CPU_SATURATION_MS, MEMORY_SATURATION_MS, SUSTAINED_MS } from "../../model/scaling";
import type { ScalingModel } from "../../model/types";
import type { ServiceModel } from "../../model/types";
import { formatDuration, toGcpDuration } from "../../contract/duration";
import { alertPolicyArgs } from "./alertPolicy";
import { METRIC, cloudRunLatencyFilter, cloudRunMetricFilter, gkeContainerFilter } from "./filters";

type Aggregation = gcp.types.input.monitoring.AlertPolicyConditionConditionThresholdAggregation;

/** One saturation condition: what is measured, how it is aggregated, when it fires. */
export interface SaturationCheck {
  /** Short key, part of the resource name. */
  key: "cpu" | "memory" | "instances" | "latency";
  /** What the alert says, e.g. "CPU above 70 % of requests". */
  title: string;
  filter: string;
  aggregations: Aggregation[];
  /** Cloud Monitoring supports only COMPARISON_GT and COMPARISON_LT in threshold conditions (alert.proto MetricThreshold.comparison). */
  comparison: "COMPARISON_GT";
  threshold: number;
  durationMs: number;
  /** Why this matters and what to do, for the alert text. */
  advice: string;
}

const MINUTE = "60s";

/** The checks a service's runtime and scaling targets call for. */
export function saturationChecks(service: ServiceModel, scaling: ScalingModel): SaturationCheck[] {
  const runtime = service.runtime;
  const cpu = scaling.cpuTargetPercent / 100;
  const memory = scaling.memoryTargetPercent / 100;
  if (runtime.kind === "cloudRun") {
    const byService = ["resource.label.service_name"];
    const checks: SaturationCheck[] = [
      {
        key: "cpu",
        title: `CPU above ${scaling.cpuTargetPercent} % for ${formatDuration(CPU_SATURATION_MS)}`,
        filter: cloudRunMetricFilter(METRIC.cloudRunCpu, runtime),
        aggregations: [{ alignmentPeriod: MINUTE, perSeriesAligner: "ALIGN_PERCENTILE_50", crossSeriesReducer: "REDUCE_MEAN", groupByFields: byService }],
        comparison: "COMPARISON_GT",
        threshold: cpu,
        durationMs: CPU_SATURATION_MS,
        advice: "Median container CPU has stayed above the scaling target: Cloud Run is not adding instances fast enough, or the ceiling holds it back. Check instance count against the maximum and recent releases for CPU regressions.",
      },
      {
        key: "memory",
        title: `memory above ${scaling.memoryTargetPercent} % for ${formatDuration(MEMORY_SATURATION_MS)}`,
        filter: cloudRunMetricFilter(METRIC.cloudRunMemory, runtime),
        aggregations: [{ alignmentPeriod: MINUTE, perSeriesAligner: "ALIGN_PERCENTILE_99", crossSeriesReducer: "REDUCE_MAX", groupByFields: byService }],
        comparison: "COMPARISON_GT",
        threshold: memory,
        durationMs: MEMORY_SATURATION_MS,
        advice: "Containers are close to their memory limit; past it Cloud Run restarts them mid-request. Look for a leak or raise the limit.",
      },
      {
        key: "instances",
        title: `${scaling.instanceAlertAt} or more of ${scaling.maxInstances} instances for ${formatDuration(SUSTAINED_MS)}`,
        filter: cloudRunMetricFilter(METRIC.cloudRunInstances, runtime),
        aggregations: [{ alignmentPeriod: MINUTE, perSeriesAligner: "ALIGN_MAX", crossSeriesReducer: "REDUCE_SUM", groupByFields: byService }],
        // Instance and pod counts are whole numbers: "N or more" is "more than N − 1".
        comparison: "COMPARISON_GT",
        threshold: scaling.instanceAlertAt - 1,
        durationMs: SUSTAINED_MS,
        advice: "The service runs near its maximum instance count; at the ceiling, new requests queue and then fail with 429/503. Raise maxInstances or find what drives the load.",
      },
    ];
    if (scaling.latencyThresholdMs !== undefined) {
      checks.push({
        key: "latency",
        title: `p95 latency above ${formatDuration(scaling.latencyThresholdMs)} for ${formatDuration(SUSTAINED_MS)}`,
        filter: cloudRunLatencyFilter(runtime),
        aggregations: [{ alignmentPeriod: MINUTE, perSeriesAligner: "ALIGN_DELTA", crossSeriesReducer: "REDUCE_PERCENTILE_95", groupByFields: byService }],
        comparison: "COMPARISON_GT",
        threshold: scaling.latencyThresholdMs,
        durationMs: SUSTAINED_MS,
        advice: "One request in twenty is slower than the latency SLO's threshold. Saturation (CPU, instances, a slow dependency) usually comes first; the latency SLO's burn-rate alerts follow if it lasts.",
      });
    }
    return checks;
  }
  if (runtime.kind === "gke") {
    const byWorkload = ["resource.label.namespace_name"];
    return [
      {
        key: "cpu",
        title: `CPU above ${scaling.cpuTargetPercent} % of requests for ${formatDuration(CPU_SATURATION_MS)}`,
        filter: gkeContainerFilter(METRIC.gkeCpuRequestUtilization, runtime),
        aggregations: [{ alignmentPeriod: MINUTE, perSeriesAligner: "ALIGN_MEAN", crossSeriesReducer: "REDUCE_MEAN", groupByFields: byWorkload }],
        comparison: "COMPARISON_GT",
        threshold: cpu,
        durationMs: CPU_SATURATION_MS,
        advice: "Average CPU has stayed above the HorizontalPodAutoscaler's target: it is at its maximum replicas, or pods cannot be scheduled. Check `kubectl describe hpa` and pending pods.",
      },
      {
        key: "memory",
        title: `memory above ${scaling.memoryTargetPercent} % of the limit for ${formatDuration(MEMORY_SATURATION_MS)}`,
        filter: `${gkeContainerFilter(METRIC.gkeMemoryLimitUtilization, runtime)} AND metric.label.memory_type="non-evictable"`,
        aggregations: [{ alignmentPeriod: MINUTE, perSeriesAligner: "ALIGN_MEAN", crossSeriesReducer: "REDUCE_MAX", groupByFields: byWorkload }],
        comparison: "COMPARISON_GT",
        threshold: memory,
        durationMs: MEMORY_SATURATION_MS,
        advice: "A container's working set is close to its memory limit; past it the kernel kills it (OOMKilled). Look for a leak or raise the limit.",
      },
      {
        key: "instances",
        title: `${scaling.instanceAlertAt} or more of ${scaling.maxInstances} pods for ${formatDuration(SUSTAINED_MS)}`,
        filter: gkeContainerFilter(METRIC.gkeContainerUptime, runtime),
        // One series per pod first (a pod may run several containers), then the number of pods.
        aggregations: [
          { alignmentPeriod: MINUTE, perSeriesAligner: "ALIGN_MEAN", crossSeriesReducer: "REDUCE_COUNT", groupByFields: ["resource.label.pod_name"] },
          { alignmentPeriod: MINUTE, perSeriesAligner: "ALIGN_MEAN", crossSeriesReducer: "REDUCE_COUNT", groupByFields: byWorkload },
        ],
        // Instance and pod counts are whole numbers: "N or more" is "more than N − 1".
        comparison: "COMPARISON_GT",
        threshold: scaling.instanceAlertAt - 1,
        durationMs: SUSTAINED_MS,
        advice: "The workload runs near the HorizontalPodAutoscaler's maximum; at the ceiling it cannot absorb more load. Raise maxInstances or find what drives the load.",
      },
    ];
  }
  return [];
}

export interface SaturationAlertsArgs {
  /** The service; its `scaling` must be set. Required. */
  service: ServiceModel;
  /** GCP project that holds the alert policies. Required. */
  project: string;
  /** Ticket channels (resource names). Required (may be empty). */
  channels: pulumi.Input<string>[];
}

export class SaturationAlerts extends pulumi.ComponentResource {
  constructor(name: string, args: SaturationAlertsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("monitoring-stack:gcp:SaturationAlerts", name, args, opts);
    const scaling = args.service.scaling;
    if (!scaling) throw new Error(`${args.service.file}: SaturationAlerts needs a service that declares scaling`);
    for (const check of saturationChecks(args.service, scaling)) {
      new gcp.monitoring.AlertPolicy(`${name}-${check.key}`, saturationAlertArgs(args.service, check, args.project, args.channels), { parent: this });
    }
    this.registerOutputs({});
  }
}

export function saturationAlertArgs(service: ServiceModel, check: SaturationCheck, project: string, channels: pulumi.Input<string>[]): gcp.monitoring.AlertPolicyArgs {
  return alertPolicyArgs({
    service,
    project,
    severity: "ticket",
    displayName: `${service.name} saturation: ${check.title}`,
    subject: `${service.name} saturation: ${check.title}`,
    paragraphs: [`**${service.name}** (team ${service.team}): ${check.title}.`, check.advice],
    conditions: [
      {
        displayName: check.title,
        conditionThreshold: {
          filter: check.filter,
          aggregations: check.aggregations,
          comparison: check.comparison,
          thresholdValue: check.threshold,
          duration: toGcpDuration(check.durationMs),
          trigger: { count: 1 },
        },
      },
    ],
    alertStrategy: { autoClose: "3600s" },
    channels,
    labels: { saturation: check.key },
  });
}
