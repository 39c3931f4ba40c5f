/**
 * The SLOs to replay, from the model: each SLO's tiers as placement fitted
 * them to its evaluator, how that evaluator evaluates (interval, guard,
 * metrics-absent hold) and whom its alerts reach after routing. A plan
 * record gives the same (plan/historySection.ts).
 */
import { parseDuration } from "../contract/duration";
import type { BurnSeverity } from "../contract/serviceSchema";
import type { StackSettings } from "../contract/stackConfig";
import { unreachable } from "../components/prometheus/alertmanager";
import { sloResourceName } from "../components/gcp/filters";
import { KEEPS_FIRING } from "../components/prometheus/objects";
import { CLOUD_MONITORING_ALIGNMENT_MS, absentForMs, grafanaEvaluationIntervalMs } from "../model/sloMath";
import type { Evaluator, ServiceModel, SloModel } from "../model/types";
import { requestFilters } from "./cloudMonitoringRaw";
import type { ReplaySlo } from "./types";

/** What the replay reads of the stack's settings. */
export type ReplaySettings = Pick<StackSettings, "prometheus" | "channels" | "project">;

/** How often an evaluator evaluates an SLO's alerts, given the stack's PromQL rule interval. */
export function evaluationIntervalMs(evaluator: Evaluator, ruleIntervalMs: number): number {
  switch (evaluator) {
    case "prometheus":
      return ruleIntervalMs;
    case "grafana":
      return grafanaEvaluationIntervalMs(ruleIntervalMs);
    case "cloudMonitoring":
      return CLOUD_MONITORING_ALIGNMENT_MS;
  }
}

/** Channels of a severity's route that the evaluator's router reaches; Alertmanager reaches neither webhooks nor email without SMTP. */
export function routedChannels(service: ServiceModel, evaluator: Evaluator, settings: ReplaySettings): { receivers: Record<BurnSeverity, string[]>; unreachable: { channel: string; reason: string }[] } {
  const dropped: { channel: string; reason: string }[] = [];
  // Burn tiers raise page and ticket only: the info route is never replayed.
  const receivers: Record<BurnSeverity, string[]> = { page: [], ticket: [] };
  for (const severity of ["page", "ticket"] as const) {
    for (const channel of service.routes[severity]) {
      const config = settings.channels[channel];
      const reason = evaluator === "prometheus" && config ? unreachable(config, settings) : undefined;
      if (reason) {
        if (!dropped.some((d) => d.channel === channel)) dropped.push({ channel, reason: `Alertmanager cannot deliver to it: ${reason}` });
      } else receivers[severity].push(channel);
    }
    receivers[severity].sort();
  }
  return { receivers, unreachable: dropped };
}

/**
 * Whether the SLO's evaluator holds a ticket tier's alert after its condition clears (`keep_firing_for`): Grafana and
 * Prometheus through rule files or PrometheusRule do; Cloud Monitoring has no such setting, nor have Managed
 * Prometheus' Rules and ClusterRules, so a stack whose rule targets are only those holds nothing.
 */
export function keepsFiring(evaluator: Evaluator, prometheus: ReplaySettings["prometheus"]): boolean {
  switch (evaluator) {
    case "grafana":
      return true;
    case "prometheus":
      // The rule file holds it; of the rule objects, those whose kind takes keep_firing_for.
      return prometheus.ruleTargets.length === 0 || prometheus.ruleTargets.some((target) => KEEPS_FIRING[target]);
    case "cloudMonitoring":
      return false;
  }
}

export function replaySlo(service: ServiceModel, slo: SloModel, settings: ReplaySettings): ReplaySlo {
  const ruleIntervalMs = parseDuration(settings.prometheus.evaluationInterval)!;
  const promql = slo.evaluator !== "cloudMonitoring";
  const routed = routedChannels(service, slo.evaluator, settings);
  const filters = promql ? undefined : requestFilters(slo.indicator, service.runtime);
  return {
    service: service.name,
    slo: slo.name,
    evaluator: slo.evaluator,
    objective: slo.objective,
    budget: slo.budget,
    windowMs: slo.windowMs,
    ...(slo.calendarPeriod ? { calendarPeriod: slo.calendarPeriod } : {}),
    budgeting: slo.budgeting,
    indicator: slo.indicator,
    tiers: slo.tiers.map(({ name, severity, burnRate, longWindowMs, shortWindowMs, keepFiringForMs }) => ({
      name,
      severity,
      burnRate,
      longWindowMs,
      shortWindowMs,
      ...(keepFiringForMs && keepsFiring(slo.evaluator, settings.prometheus) ? { keepFiringForMs } : {}),
    })),
    evaluationIntervalMs: evaluationIntervalMs(slo.evaluator, ruleIntervalMs),
    minBadEventsToPage: promql ? settings.prometheus.minBadEventsToPage : 0,
    absentForMs: absentForMs(slo.tiers),
    receivers: routed.receivers,
    unreachable: routed.unreachable,
    ...(promql ? {} : { cloudMonitoringName: sloResourceName(settings.project, service.stableId, slo.stableId) }),
    ...(filters ? { requestFilters: filters } : {}),
  };
}

/** Every SLO of the services, in catalog order. */
export function replaySlos(services: readonly ServiceModel[], settings: ReplaySettings): ReplaySlo[] {
  return services.flatMap((service) => service.slos.map((slo) => replaySlo(service, slo, settings)));
}
