/**
 * One Cloud Monitoring custom service per declared service and one SLO per
 * declared objective that GCP can compute: availability and latency from the
 * Cloud Run request metrics, uptime from check results, and any good/total
 * ratio of Cloud Monitoring filters.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceModel, SloModel } from "../../model/types";
import { toGcpDuration } from "../../contract/duration";
import { cloudRunLatencyFilter, cloudRunRequestsFilter, cloudRunServerErrorsFilter, sloResourceName, uptimeCheckFilter } from "./filters";
import { withAliases } from "../renames/aliases";
import { objectiveText } from "../../model/explain";
import { slosEvaluatedBy } from "../../model/placement";
import { unreachable } from "../../model/placement";

export interface ServiceLevelObjectivesArgs {
  /** The service whose SLOs are created. Required. */
  service: ServiceModel;
  /** GCP project that holds the service and its SLOs. Required. */
  project: string;
  /** Uptime check ids by endpoint name, for uptime indicators. Default: none. */
  uptimeCheckIds?: Record<string, pulumi.Input<string>>;
  /**
   * Keep the service and its SLOs in Cloud Monitoring when they leave the
   * program, so their history survives an accidental removal. Default: true.
   */
  retainOnDelete?: boolean;
}

export class ServiceLevelObjectives extends pulumi.ComponentResource {
  /** Full SLO resource names by SLO name, as SLO selectors expect them. */
  public readonly sloNames: Record<string, string>;
  /** The SLO resources by SLO name, for dependencies. */
  public readonly slos: Record<string, gcp.monitoring.Slo>;

  constructor(name: string, args: ServiceLevelObjectivesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("monitoring-stack:gcp:ServiceLevelObjectives", name, args, opts);
    const { service, project } = args;
    const retainOnDelete = args.retainOnDelete ?? true;
    this.sloNames = {};
    this.slos = {};
    // Every SLI is worked out before anything is registered: a model that cannot be provisioned creates nothing.
    // Prometheus indicators are evaluated by Prometheus rules (components/prometheus), not here.
    const provisioned = slosEvaluatedBy(service, "cloudMonitoring").map((slo) => ({ slo, sli: sliArgs(service, slo, args.uptimeCheckIds ?? {}) }));
    if (provisioned.length > 0) {
      const customService = new gcp.monitoring.CustomService(
        `${name}-service`,
        { project, serviceId: service.stableId, displayName: `${service.name} (team ${service.team})`, userLabels: service.labels },
        { parent: this, retainOnDelete },
      );
      // One naming rule for current and earlier SLO names, so aliases always match.
      const resourceName = (sloName: string) => `${name}-${sloName}`;
      for (const { slo, sli } of provisioned) {
        this.slos[slo.name] = new gcp.monitoring.Slo(
          resourceName(slo.name),
          {
            project,
            service: customService.serviceId,
            sloId: slo.stableId,
            displayName: `${service.name} ${slo.name}: ${objectiveText(slo)}`,
            goal: goal(slo.objective),
            ...periodArgs(slo),
            userLabels: { ...service.labels, slo: slo.name },
            ...sli,
          },
          withAliases({ parent: this, retainOnDelete }, slo.formerly.map(resourceName)),
        );
        this.sloNames[slo.name] = sloResourceName(project, service.stableId, slo.stableId);
      }
    }
    this.registerOutputs({ sloNames: this.sloNames });
  }
}

/** Objective in percent to a Cloud Monitoring goal, free of float noise: 99.9 → 0.999. */
export function goal(objectivePercent: number): number {
  return Math.round(objectivePercent * 1e6) / 1e8;
}

/** Cloud Monitoring's calendar periods (Slo.yaml calendarPeriod: DAY, WEEK, FORTNIGHT, MONTH). */
export const GCP_CALENDAR_PERIOD = { day: "DAY", week: "WEEK", fortnight: "FORTNIGHT", month: "MONTH" } as const;

/** The SLO's compliance period: exactly one of rollingPeriodDays and calendarPeriod (Slo.yaml exactly_one_of). */
export function periodArgs(slo: SloModel): Pick<gcp.monitoring.SloArgs, "rollingPeriodDays" | "calendarPeriod"> {
  return slo.calendarPeriod ? { calendarPeriod: GCP_CALENDAR_PERIOD[slo.calendarPeriod] } : { rollingPeriodDays: slo.windowDays };
}

type SliArgs = Pick<gcp.monitoring.SloArgs, "requestBasedSli" | "windowsBasedSli">;

/**
 * The SLI part of an SLO for each kind of indicator GCP computes. With
 * timeslices budgeting, the request-based ratio judges each slice instead: a
 * windowsBasedSli whose windows (the slices) are good when the ratio in them
 * is at least the slice target (goodTotalRatioThreshold, service.proto
 * WindowsBasedSli.PerformanceThreshold: "If window performance >= threshold,
 * the window is counted as good").
 */
export function sliArgs(service: ServiceModel, slo: SloModel, uptimeCheckIds: Record<string, pulumi.Input<string>>): SliArgs {
  const sli = eventSliArgs(service, slo, uptimeCheckIds);
  const budgeting = slo.budgeting;
  if (budgeting.method === "occurrences" || !sli.requestBasedSli) return sli;
  return {
    windowsBasedSli: {
      windowPeriod: toGcpDuration(budgeting.sliceMs),
      goodTotalRatioThreshold: { threshold: budgeting.sliceTarget, performance: sli.requestBasedSli },
    },
  };
}

function eventSliArgs(service: ServiceModel, slo: SloModel, uptimeCheckIds: Record<string, pulumi.Input<string>>): SliArgs & { requestBasedSli?: gcp.types.input.monitoring.SloRequestBasedSli } {
  const indicator = slo.indicator;
  const runtime = service.runtime;
  switch (indicator.kind) {
    case "availability":
      if (runtime.kind !== "cloudRun") break;
      return { requestBasedSli: { goodTotalRatio: { totalServiceFilter: cloudRunRequestsFilter(runtime), badServiceFilter: cloudRunServerErrorsFilter(runtime) } } };
    case "latency":
      if (runtime.kind !== "cloudRun") break;
      // request_latencies is in milliseconds; good requests fall in [0, threshold].
      return { requestBasedSli: { distributionCut: { distributionFilter: cloudRunLatencyFilter(runtime), range: { min: 0, max: indicator.thresholdMs } } } };
    case "uptime": {
      const endpoint = service.endpoints.find((e) => e.name === indicator.endpoint);
      const checkId = uptimeCheckIds[indicator.endpoint];
      if (!endpoint || checkId === undefined) break;
      // A window (one check period) is good when the check passed in it.
      return { windowsBasedSli: { windowPeriod: toGcpDuration(endpoint.periodMs), goodBadMetricFilter: pulumi.output(checkId).apply(uptimeCheckFilter) } };
    }
    case "cloudMonitoring":
      return {
        requestBasedSli: {
          goodTotalRatio: {
            totalServiceFilter: indicator.total,
            ...(indicator.good ? { goodServiceFilter: indicator.good } : { badServiceFilter: indicator.bad }),
          },
        },
      };
    case "prometheus":
    case "promql":
      break;
    default:
      return unreachable(indicator, "indicator");
  }
  throw new Error(`${service.file}: SLO ${slo.name}: indicator ${indicator.kind} cannot be computed by Cloud Monitoring for runtime ${runtime.kind}`);
}
