/**
 * Contract v1 (the normalised model) → OpenSLO v1 documents.
 *
 * Per service: a Service; per SLO an SLO with its SLI inline, rolling window
 * and Occurrences budgeting; per SLO and burn-rate tier an AlertPolicy whose
 * burn-rate condition is the model's tier (threshold and long window from
 * model/sloMath.ts, never re-derived); and one
 * AlertNotificationTarget per channel the policies notify (type and where it
 * posts, never a credential).
 *
 * Indicators OpenSLO has no word for are written as the Cloud Monitoring
 * filters our components provision (components/gcp/filters.ts): Cloud Run
 * availability as a good/total ratio of request_count, Cloud Run latency as a
 * threshold on request_latencies. Uptime SLOs are refused: they are
 * windows-based over a check whose id Cloud Monitoring assigns at creation,
 * so no document could name their metric.
 */
import type { ServiceModel, SloModel } from "../../model/types";
import { objectiveText } from "../../model/explain";
import { rollingWindowText } from "../../model/service";
import type { BurnTier } from "../../model/sloMath";
import { cloudRunLatencyFilter, cloudRunRequestsFilter, cloudRunServerErrorsFilter } from "../../components/gcp/filters";
import type { Problem } from "../../contract/problems";
import type { RuntimeSpec } from "../../contract/serviceSchema";
import type { ChannelConfig } from "../../contract/stackConfig";
import { OPENSLO_API_VERSION, RUNBOOK_ANNOTATION, RUNTIME_ANNOTATION, formatShorthand, type JsonObject } from "./documents";
import { SOURCE_TYPE, type SourceBackend } from "./sources";
import { unreachable } from "../../model/placement";

export interface ExportResult {
  /** Documents in a stable order: per service its Service, then per SLO its SLO and AlertPolicies; channels last. */
  documents: JsonObject[];
  /** SLOs that cannot be written as OpenSLO, one problem each. */
  problems: Problem[];
}

function document(kind: string, name: string, spec: JsonObject, metadata: JsonObject = {}): JsonObject {
  return { apiVersion: OPENSLO_API_VERSION, kind, metadata: { name, ...metadata }, spec };
}

function source(backend: SourceBackend, text: string): JsonObject {
  return { metricSource: { type: SOURCE_TYPE[backend], spec: backend === "prometheus" ? { query: text } : { filter: text } } };
}

/** The objective as OpenSLO's target, a fraction without float noise: 99.9 → 0.999. */
/** OpenSLO durations of the calendar periods. */
const CALENDAR_DURATION = { day: "1d", week: "1w", fortnight: "2w", month: "1M" } as const;

/**
 * The SLO's window as an OpenSLO timeWindow: rolling days, or a calendar
 * period starting at midnight UTC on Monday 1 January 2024, the start of ISO
 * week 1 and of a month: a boundary of every period Cloud Monitoring has.
 */
function timeWindow(slo: SloModel): JsonObject {
  if (!slo.calendarPeriod) return { duration: rollingWindowText(slo.windowDays), isRolling: true };
  return { duration: CALENDAR_DURATION[slo.calendarPeriod], isRolling: false, calendar: { startTime: "2024-01-01 00:00:00", timeZone: "Etc/UTC" } };
}

export function target(objective: number): number {
  return Math.round(objective * 1e8) / 1e10;
}

export function runtimeSpec(service: ServiceModel): RuntimeSpec {
  const runtime = service.runtime;
  if (runtime.kind === "cloudRun") return { cloudRun: { service: runtime.service, region: runtime.region } };
  if (runtime.kind === "gke") {
    const { cluster, location, namespace, workload, selector } = runtime;
    return { gke: { cluster, location, namespace, workload, selector } };
  }
  return { external: {} };
}

/** The SLI spec and the objective's op/value, or why there is none. */
function indicator(service: ServiceModel, slo: SloModel): { sli: JsonObject; threshold?: { op: string; value: number } } | { refused: string; path: string } {
  const indicator = slo.indicator;
  const runtime = service.runtime;
  switch (indicator.kind) {
    case "prometheus":
      if (indicator.boolGauge !== undefined) {
        return {
          path: "indicator.prometheus.boolGauge",
          refused: `not expressible in OpenSLO (got a 0/1 gauge indicator on ${indicator.boolGauge}, expected a ratio or threshold of metrics: OpenSLO's ratioMetric divides two metrics' events, and a gauge's samples are counted by the query over each window, which no metric source states)`,
        };
      }
      if (indicator.histogram !== undefined) {
        // Our rules read histogram bounds in seconds (Prometheus' base unit).
        return { sli: { thresholdMetric: source("prometheus", indicator.histogram) }, threshold: { op: "lte", value: indicator.thresholdMs! / 1000 } };
      }
      return {
        sli: {
          ratioMetric: {
            counter: true,
            ...(indicator.good !== undefined ? { good: source("prometheus", indicator.good) } : { bad: source("prometheus", indicator.bad!) }),
            total: source("prometheus", indicator.total!),
          },
        },
      };
    case "promql":
      return {
        path: "indicator.promql",
        refused: `not expressible in OpenSLO (got PromQL evaluated over each window with {{.window}}, expected a ratio or threshold of metrics: an OpenSLO metric source names the events, and the tool that reads it takes their rate over each window itself)`,
      };
    case "cloudMonitoring":
      return {
        sli: {
          ratioMetric: {
            counter: true,
            ...(indicator.good !== undefined ? { good: source("cloudMonitoring", indicator.good) } : { bad: source("cloudMonitoring", indicator.bad!) }),
            total: source("cloudMonitoring", indicator.total),
          },
        },
      };
    case "availability":
      if (runtime.kind !== "cloudRun") break;
      return { sli: { ratioMetric: { counter: true, bad: source("cloudMonitoring", cloudRunServerErrorsFilter(runtime)), total: source("cloudMonitoring", cloudRunRequestsFilter(runtime)) } } };
    case "latency":
      if (runtime.kind !== "cloudRun") break;
      // request_latencies is in milliseconds.
      return { sli: { thresholdMetric: source("cloudMonitoring", cloudRunLatencyFilter(runtime)) }, threshold: { op: "lte", value: indicator.thresholdMs } };
    case "uptime":
      // On Synthetic Monitoring, the check's counters are named by its job and target: a ratio any Prometheus-backed tool reads.
      if (indicator.probeSeries) {
        return { sli: { ratioMetric: { counter: true, good: source("prometheus", indicator.probeSeries.good), total: source("prometheus", indicator.probeSeries.total) } } };
      }
      return {
        path: "indicator.uptime",
        refused: `not expressible in OpenSLO (got an uptime indicator on endpoint ${indicator.endpoint}, expected a ratio or threshold of metrics a document can name: uptime SLOs count good check windows of an uptime check whose id Cloud Monitoring assigns when it is created)`,
      };
    default:
      return unreachable(indicator, "indicator");
  }
  return { path: `indicator.${indicator.kind}`, refused: `not expressible (got ${indicator.kind} on runtime ${runtime.kind}, expected runtime cloudRun)` };
}

function alertPolicy(service: ServiceModel, slo: SloModel, tier: BurnTier, name: string): JsonObject {
  return document(
    "AlertPolicy",
    name,
    {
      description: `${tier.severity} when ${tier.budgetPercent} % of the error budget of ${service.name} ${slo.name} burns within ${formatShorthand(tier.longWindowMs)}: burn rate at least ${tier.burnRate} over ${formatShorthand(tier.longWindowMs)} and over the last ${formatShorthand(tier.shortWindowMs)} (alertAfter carries the short window)`,
      alertWhenNoData: false,
      alertWhenResolved: true,
      alertWhenBreaching: true,
      conditions: [
        {
          kind: "AlertCondition",
          metadata: { name: `${name}-burn-rate` },
          spec: {
            severity: tier.severity,
            condition: { kind: "burnrate", op: "gte", threshold: tier.burnRate, lookbackWindow: formatShorthand(tier.longWindowMs), alertAfter: formatShorthand(tier.shortWindowMs) },
          },
        },
      ],
      notificationTargets: service.routes[tier.severity].map((channel) => ({ targetRef: channel })),
    },
    { labels: { service: service.name, slo: slo.name, severity: tier.severity, "burn-tier": tier.name } },
  );
}

function channelTarget(name: string, channel: ChannelConfig | undefined): JsonObject {
  const where = !channel ? "" : channel.type === "slack" ? ` ${channel.channel}` : channel.type === "email" ? ` ${channel.address}` : "";
  return document(
    "AlertNotificationTarget",
    name,
    { target: channel?.type ?? "unknown", description: `${channel?.displayName ?? name}: ${channel?.type ?? "a channel"}${where}. Credentials live in the stack config (channelSecrets).` },
    channel?.displayName ? { displayName: channel.displayName } : {},
  );
}

/**
 * Writes every service of a validated catalog. SLOs that cannot be written
 * are problems; the documents of everything else are still returned, for
 * the caller to decide (the command writes nothing unless told to skip them).
 */
export function exportOpenSlo(services: readonly ServiceModel[], channels: Readonly<Record<string, ChannelConfig>>): ExportResult {
  const documents: JsonObject[] = [];
  const problems: Problem[] = [];
  const used = new Set<string>();
  for (const service of services) {
    documents.push(
      document(
        "Service",
        service.name,
        { description: `Owned by team ${service.team} (tier ${service.tier}).` },
        {
          labels: { team: service.team, tier: service.tier },
          annotations: { [RUNTIME_ANNOTATION]: JSON.stringify(runtimeSpec(service)), ...(service.runbook ? { [RUNBOOK_ANNOTATION]: service.runbook } : {}) },
        },
      ),
    );
    service.slos.forEach((slo, index) => {
      const mapped = indicator(service, slo);
      if ("refused" in mapped) {
        problems.push({ file: service.file, path: `slos[${index}].${mapped.path}`, message: mapped.refused });
        return;
      }
      const name = `${service.name}-${slo.name}`;
      const policies = slo.tiers.map((tier) => ({ tier, name: `${name}-${tier.name}` }));
      documents.push(
        document(
          "SLO",
          name,
          {
            description: `${objectiveText(slo)}${slo.calendarPeriod ? "" : " (rolling)"}: an error budget of ${slo.budgetMinutes} min${slo.calendarPeriod ? ` for ${slo.windowDays} d` : ""}.`,
            service: service.name,
            indicator: { metadata: { name }, spec: mapped.sli },
            timeWindow: [timeWindow(slo)],
            budgetingMethod: slo.budgeting.method === "timeslices" ? "Timeslices" : "Occurrences",
            objectives: [
              {
                displayName: slo.name,
                ...(mapped.threshold ?? {}),
                target: target(slo.objective),
                ...(slo.budgeting.method === "timeslices" ? { timeSliceTarget: slo.budgeting.sliceTarget, timeSliceWindow: formatShorthand(slo.budgeting.sliceMs) } : {}),
              },
            ],
            alertPolicies: policies.map((p) => p.name),
          },
          { displayName: `${service.name} ${slo.name}`, labels: { team: service.team } },
        ),
      );
      for (const { tier, name: policyName } of policies) {
        documents.push(alertPolicy(service, slo, tier, policyName));
        for (const channel of service.routes[tier.severity]) used.add(channel);
      }
    });
  }
  for (const channel of [...used].sort()) documents.push(channelTarget(channel, channels[channel]));
  return { documents, problems };
}
