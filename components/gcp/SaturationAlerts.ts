/**
 * Saturation alerts from a service's scaling targets, all ticket severity:
 * CPU above target for 15 minutes, memory above target for 5, instances at
 * 90 % of the ceiling, and (Cloud Run) p95 latency above the tightest latency
 * SLO threshold. They warn before the burn-rate alerts have to page. The
 * thresholds and durations come from the model (model/scaling.ts
 * saturationThresholds); this file adds how Cloud Monitoring measures them.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { saturationThresholds } from "../../model/scaling";
import type { RuntimeModel, SaturationKey, SaturationThreshold, ScalingModel, ServiceModel } from "../../model/types";
import { toGcpDuration } from "../../contract/duration";
import { alertPolicyArgs } from "./alertPolicy";
import { METRIC, cloudRunLatencyFilter, cloudRunMetricFilter, gkeContainerFilter } from "./filters";

type Aggregation = gcp.types.input.monitoring.AlertPolicyConditionConditionThresholdAggregation;

/** How Cloud Monitoring measures one saturation threshold, and what the alert advises. */
export interface SaturationQuery {
  filter: string;
  aggregations: Aggregation[];
  /** Why this matters and what to do, for the alert text. */
  advice: string;
}

/** One saturation condition: the model's threshold (what, when) with its Cloud Monitoring query (how it is measured). */
export type SaturationCheck = SaturationThreshold & SaturationQuery;

const MINUTE = "60s";

type CloudRun = Extract<RuntimeModel, { kind: "cloudRun" }>;
type Gke = Extract<RuntimeModel, { kind: "gke" }>;

/** Cloud Run: container metrics of the service's revisions, one series per service. */
export function cloudRunSaturationQuery(key: SaturationKey, runtime: CloudRun): SaturationQuery {
  const byService = ["resource.label.service_name"];
  switch (key) {
    case "cpu":
      return {
        filter: cloudRunMetricFilter(METRIC.cloudRunCpu, runtime),
        aggregations: [{ alignmentPeriod: MINUTE, perSeriesAligner: "ALIGN_PERCENTILE_50", crossSeriesReducer: "REDUCE_MEAN", groupByFields: byService }],
        advice: "Median container CPU has stayed above the scaling target: Cloud Run is not adding instances fast enough, or the ceiling holds it back. Check instance count against the maximum and recent releases for CPU regressions.",
      };
    case "memory":
      return {
        filter: cloudRunMetricFilter(METRIC.cloudRunMemory, runtime),
        aggregations: [{ alignmentPeriod: MINUTE, perSeriesAligner: "ALIGN_PERCENTILE_99", crossSeriesReducer: "REDUCE_MAX", groupByFields: byService }],
        advice: "Containers are close to their memory limit; past it Cloud Run restarts them mid-request. Look for a leak or raise the limit.",
      };
    case "instances":
      return {
        filter: cloudRunMetricFilter(METRIC.cloudRunInstances, runtime),
        aggregations: [{ alignmentPeriod: MINUTE, perSeriesAligner: "ALIGN_MAX", crossSeriesReducer: "REDUCE_SUM", groupByFields: byService }],
        advice: "The service runs near its maximum instance count; at the ceiling, new requests queue and then fail with 429/503. Raise maxInstances or find what drives the load.",
      };
    case "latency":
      return {
        filter: cloudRunLatencyFilter(runtime),
        aggregations: [{ alignmentPeriod: MINUTE, perSeriesAligner: "ALIGN_DELTA", crossSeriesReducer: "REDUCE_PERCENTILE_95", groupByFields: byService }],
        advice: "One request in twenty is slower than the latency SLO's threshold. Saturation (CPU, instances, a slow dependency) usually comes first; the latency SLO's burn-rate alerts follow if it lasts.",
      };
  }
}

/** GKE: container metrics of the workload's pods, one series per namespace. */
export function gkeSaturationQuery(key: SaturationKey, runtime: Gke): SaturationQuery {
  const byWorkload = ["resource.label.namespace_name"];
  switch (key) {
    case "cpu":
      return {
        filter: gkeContainerFilter(METRIC.gkeCpuRequestUtilization, runtime),
        aggregations: [{ alignmentPeriod: MINUTE, perSeriesAligner: "ALIGN_MEAN", crossSeriesReducer: "REDUCE_MEAN", groupByFields: byWorkload }],
        advice: "Average CPU has stayed above the HorizontalPodAutoscaler's target: it is at its maximum replicas, or pods cannot be scheduled. Check `kubectl describe hpa` and pending pods.",
      };
    case "memory":
      return {
        filter: `${gkeContainerFilter(METRIC.gkeMemoryLimitUtilization, runtime)} AND metric.label.memory_type="non-evictable"`,
        aggregations: [{ alignmentPeriod: MINUTE, perSeriesAligner: "ALIGN_MEAN", crossSeriesReducer: "REDUCE_MAX", groupByFields: byWorkload }],
        advice: "A container's working set is close to its memory limit; past it the kernel kills it (OOMKilled). Look for a leak or raise the limit.",
      };
    case "instances":
      return {
        filter: gkeContainerFilter(METRIC.gkeContainerUptime, runtime),
        // One series per pod first (a pod may run several containers), then the number of pods.
        aggregations: [
          { alignmentPeriod: MINUTE, perSeriesAligner: "ALIGN_MEAN", crossSeriesReducer: "REDUCE_COUNT", groupByFields: ["resource.label.pod_name"] },
          { alignmentPeriod: MINUTE, perSeriesAligner: "ALIGN_MEAN", crossSeriesReducer: "REDUCE_COUNT", groupByFields: byWorkload },
        ],
        advice: "The workload runs near the HorizontalPodAutoscaler's maximum; at the ceiling it cannot absorb more load. Raise maxInstances or find what drives the load.",
      };
    case "latency":
      throw new Error("GKE workloads have no request latency metric in Cloud Monitoring: no latency saturation check");
  }
}

/** The model's saturation thresholds for the service, each with the Cloud Monitoring query that measures it. */
export function saturationChecks(service: ServiceModel, scaling: ScalingModel): SaturationCheck[] {
  const runtime = service.runtime;
  if (runtime.kind === "external") return [];
  return saturationThresholds(runtime, scaling).map((threshold) => ({
    ...threshold,
    ...(runtime.kind === "cloudRun" ? cloudRunSaturationQuery(threshold.key, runtime) : gkeSaturationQuery(threshold.key, runtime)),
  }));
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
          // Threshold conditions support only COMPARISON_GT and COMPARISON_LT (alert.proto MetricThreshold.comparison):
          // "N or more" instances or pods, whole numbers, is "more than N − 1".
          comparison: "COMPARISON_GT",
          thresholdValue: check.inclusive ? check.threshold - 1 : check.threshold,
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
