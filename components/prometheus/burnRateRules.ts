/**
 * The alerts of a PromQL SLO: one multiwindow burn-rate alert per tier with
 * the model's thresholds (and the low-traffic guard on pages), and one alert
 * when the SLI's metrics are absent.
 */
import { budgetText, burnAlertDocumentation, objectiveText, tierCondition } from "../../model/explain";
import { describeIndicator } from "../../model/indicators";
import { type ServiceModel, type SloModel } from "../../model/types";
import { absentForMs, type BurnTier } from "../../model/sloMath";
import { formatDuration } from "../../contract/duration";
import { promDuration, promNumber } from "./promql";
import { type PromRule, ALERT, TIER_LABEL, sloLabels, type RuleContext } from "./ruleNames";
import { indicatorOf, requiredSeries, sliSeries } from "./sliRecordings";

export function burnAlert(service: ServiceModel, slo: SloModel, tier: BurnTier, context: RuleContext): PromRule {
  const labels = sloLabels(service, slo);
  const sli = sliSeries(service, slo, context);
  const long = promDuration(tier.longWindowMs);
  const short = promDuration(tier.shortWindowMs);
  const threshold = `(${promNumber(tier.burnRate)} * ${promNumber(slo.budget)})`;
  const conditions = [`${sli.errorRatio(long)} > ${threshold}`, `${sli.errorRatio(short)} > ${threshold}`];
  const guard = context.settings.minBadEventsToPage;
  // With timeslices the ratio is a share of bad slices, not of events: the low-traffic guard (bad events) does not apply.
  // A promql query states no event count (sli.totalRate is undefined): the guard cannot be derived, and the summary says so.
  if (tier.severity === "page" && guard > 0 && slo.budgeting.method === "occurrences" && sli.totalRate) {
    // Low-traffic guard: bad events in the long window = error ratio × events per second × seconds.
    conditions.push(`${sli.errorRatio(long)} * ${sli.totalRate(long)} * ${tier.longWindowMs / 1000} >= ${guard}`);
  }
  return {
    alert: ALERT.burn,
    expr: conditions.join("\nand\n"),
    // A ticket stays open until the errors that raised it have left the long window (model/sloMath.ts keepFiringForMs).
    ...(tier.keepFiringForMs ? { keep_firing_for: promDuration(tier.keepFiringForMs) } : {}),
    labels: { ...labels, team: service.team, severity: tier.severity, [TIER_LABEL]: tier.name },
    annotations: {
      summary: `${service.name} ${slo.name}: error budget burning (${tier.name}, ${tierCondition(tier)})`,
      description: burnAlertDocumentation(service, slo, tier),
      budget: budgetText(slo),
      ...(service.runbook ? { runbook_url: service.runbook } : {}),
      ...(context.dashboardUrl ? { dashboard: context.dashboardUrl } : {}),
    },
  };
}

export function absentAlert(service: ServiceModel, slo: SloModel, context: RuleContext): PromRule {
  const shortest = Math.min(...slo.tiers.map((t) => t.shortWindowMs));
  const series = requiredSeries(indicatorOf(slo), promDuration(Number.isFinite(shortest) ? shortest : 300_000));
  const absentFor = absentForMs(slo.tiers);
  return {
    alert: ALERT.absent,
    // count() folds the absent() results (which carry the selectors' labels) into one alert per SLO.
    expr: `count(\n  ${series.map((selector) => `absent(${selector})`).join("\n  or\n  ")}\n)`,
    for: promDuration(absentFor),
    labels: { ...sloLabels(service, slo), team: service.team, severity: "ticket" },
    annotations: {
      summary: `${service.name} ${slo.name}: SLI metrics absent for ${formatDuration(absentFor)}; the SLO and its burn-rate alerts are blind`,
      description: [
        `Prometheus has no series for ${series.join(" or ")}.`,
        slo.indicator.kind === "uptime"
          ? `Check that the Synthetic Monitoring check of ${slo.indicator.endpoint} exists, is enabled and its probes are online.`
          : slo.indicator.kind === "promql"
            ? "Check that the workload is scraped and that the query in the declaration returns a value for its series."
            : "Check that the workload is scraped and the selector in the declaration matches its metrics" + (slo.indicator.kind === "prometheus" && slo.indicator.histogram ? "; for a latency SLO, that the threshold is one of the histogram's bucket boundaries." : "."),
        `Indicator: ${describeIndicator(slo.indicator)}; objective ${objectiveText(slo)}.`,
      ].join("\n"),
      budget: budgetText(slo),
      ...(service.runbook ? { runbook_url: service.runbook } : {}),
      ...(context.dashboardUrl ? { dashboard: context.dashboardUrl } : {}),
    },
  };
}

/** One burn-rate alert per tier, then the absent alert. */
export function sloAlerts(service: ServiceModel, slo: SloModel, context: RuleContext): PromRule[] {
  return [...slo.tiers.map((tier) => burnAlert(service, slo, tier, context)), absentAlert(service, slo, context)];
}
