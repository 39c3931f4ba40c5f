/**
 * The SLI of a PromQL SLO as recording rules: the error ratio (and traffic)
 * over every window its tiers use, per-slice verdicts for timeslices
 * budgeting, and the SLO-window metadata dashboards read (objective, error
 * budget, budget remaining).
 */
import { type ServiceModel, type SloModel } from "../../model/types";
import { type PrometheusSettings } from "../../contract/prometheusConfig";
import { durationSeconds, labelMatchers, leMatcher, promDuration, promNumber, withMatchers } from "./promql";
import { readsPromql } from "../../model/placement";
import { type PromRule, RECORD, type PrometheusIndicator, sloLabels, type RuleContext } from "./ruleNames";

/** SLOs whose SLI is a PromQL query: Prometheus or Grafana-managed alerting evaluates the rules built here. */
export function prometheusSlos(service: ServiceModel): SloModel[] {
  return service.slos.filter(readsPromql);
}

/**
 * The SLO's indicator as a Prometheus ratio: a `prometheus` indicator as
 * declared; an uptime indicator on a Synthetic Monitoring check as the
 * successful executions (probe_all_success_sum) out of all (…_count).
 */
export function indicatorOf(slo: SloModel): PrometheusIndicator {
  if (slo.indicator.kind === "uptime" && slo.indicator.probeSeries) return { kind: "prometheus", ...slo.indicator.probeSeries };
  if (slo.indicator.kind !== "prometheus") throw new Error(`SLO ${slo.name} has no prometheus indicator`);
  return slo.indicator;
}

/** Every window the SLO's tiers use, shortest first, in milliseconds. */
export function tierWindows(slo: SloModel): number[] {
  return [...new Set(slo.tiers.flatMap((tier) => [tier.longWindowMs, tier.shortWindowMs]))].sort((a, b) => a - b);
}

/** Samples of a 0/1 gauge over `window`: each sample is one event. */
function gaugeSamples(selector: string, window: string): string {
  return `sum(count_over_time(${selector}[${window}]))`;
}

/** Events per second over `window`: total requests, the +Inf bucket of a histogram, or a 0/1 gauge's samples. */
export function totalRateExpr(indicator: PrometheusIndicator, window: string): string {
  if (indicator.boolGauge) return `${gaugeSamples(indicator.boolGauge, window)} / ${promNumber(durationSeconds(window))}`;
  if (indicator.histogram) return `sum(rate(${withMatchers(indicator.histogram, 'le="+Inf"')}[${window}]))`;
  return `sum(rate(${indicator.total!}[${window}]))`;
}

/**
 * Share of bad events over `window`. A missing bad series means no errors yet
 * (counts as 0); a missing good series or threshold bucket is a mistake, so it
 * leaves the ratio empty and the absent alert says so instead of paging.
 */
export function errorRatioExpr(indicator: PrometheusIndicator, window: string): string {
  if (indicator.boolGauge) {
    // Bad samples: samples minus the sum of their values (a 0 adds nothing), as Pyrra counts them.
    const samples = gaugeSamples(indicator.boolGauge, window);
    return `(${samples} - sum(sum_over_time(${indicator.boolGauge}[${window}]))) / ${samples}`;
  }
  const total = totalRateExpr(indicator, window);
  if (indicator.histogram) {
    return `1 - sum(rate(${withMatchers(indicator.histogram, leMatcher(indicator.thresholdMs!))}[${window}])) / ${total}`;
  }
  if (indicator.bad) return `(sum(rate(${indicator.bad}[${window}])) or vector(0)) / ${total}`;
  return `(${total} - sum(rate(${indicator.good!}[${window}]))) / ${total}`;
}

/** Series that must exist for the SLI to be computed at all. */
export function requiredSeries(indicator: PrometheusIndicator): string[] {
  if (indicator.boolGauge) return [indicator.boolGauge];
  if (indicator.histogram) return [withMatchers(indicator.histogram, 'le="+Inf"'), withMatchers(indicator.histogram, leMatcher(indicator.thresholdMs!))];
  return indicator.good ? [indicator.total!, indicator.good] : [indicator.total!];
}

/** The SLI of an SLO over a window, as a burn-rate condition reads it (see RuleContext.sli). */
export function sliSeries(service: ServiceModel, slo: SloModel, context: Pick<RuleContext, "sli"> & { settings?: Pick<PrometheusSettings, "evaluationInterval"> }): { errorRatio: (window: string) => string; totalRate: (window: string) => string } {
  if (context.sli === "inline") {
    const indicator = indicatorOf(slo);
    const slices = slo.budgeting;
    if (slices.method === "timeslices") {
      // The recorded series is a sample per evaluation; inline, a subquery takes the same samples.
      const step = context.settings?.evaluationInterval;
      if (step === undefined) throw new Error(`SLO ${slo.name}: inline timeslice ratios need the evaluation interval`);
      const bad = sliceBadExpr(indicator, slices.sliceMs, slices.sliceTarget);
      return { errorRatio: (window) => `avg_over_time((${bad})[${window}:${step}])`, totalRate: (window) => `(${totalRateExpr(indicator, window)})` };
    }
    return { errorRatio: (window) => `(${errorRatioExpr(indicator, window)})`, totalRate: (window) => `(${totalRateExpr(indicator, window)})` };
  }
  const select = labelMatchers(sloLabels(service, slo));
  return { errorRatio: (window) => `${RECORD.errorRatio(window)}${select}`, totalRate: (window) => `${RECORD.totalRate(window)}${select}` };
}

/**
 * Timeslices budgeting: 1 when the slice of `sliceMs` ending at the evaluation
 * is bad, its share of good events below `sliceTarget`, else 0. A slice without
 * events (0 ÷ 0) compares false and counts as good.
 */
export function sliceBadExpr(indicator: PrometheusIndicator, sliceMs: number, sliceTarget: number): string {
  return `(1 - (${errorRatioExpr(indicator, promDuration(sliceMs))})) < bool ${promNumber(sliceTarget)}`;
}

/**
 * Error ratio and traffic over every window the SLO's tiers use, shortest
 * first. With timeslices budgeting, first whether the slice ending now is
 * bad; the error ratio over a window is then the share of bad slices in it
 * (the average of those samples), which is what the budget counts.
 */
export function sliRecordings(service: ServiceModel, slo: SloModel): PromRule[] {
  const indicator = indicatorOf(slo);
  const labels = sloLabels(service, slo);
  const slices = slo.budgeting;
  const sliceRecords: PromRule[] = slices.method === "timeslices" ? [{ record: RECORD.sliceBad(promDuration(slices.sliceMs)), expr: sliceBadExpr(indicator, slices.sliceMs, slices.sliceTarget), labels }] : [];
  return [
    ...sliceRecords,
    ...tierWindows(slo).flatMap((ms) => {
      const window = promDuration(ms);
      return [
        { record: RECORD.errorRatio(window), expr: windowErrorRatioExpr(service, slo, window), labels },
        { record: RECORD.totalRate(window), expr: totalRateExpr(indicator, window), labels },
      ];
    }),
  ];
}

/** What `slo:sli_error:ratio_rate<window>` records: the share of bad events, or with timeslices the share of bad slices. */
export function windowErrorRatioExpr(service: ServiceModel, slo: SloModel, window: string): string {
  const slices = slo.budgeting;
  if (slices.method === "timeslices") return `avg_over_time(${RECORD.sliceBad(promDuration(slices.sliceMs))}${labelMatchers(sloLabels(service, slo))}[${window}])`;
  return errorRatioExpr(indicatorOf(slo), window);
}

/** Objective, error budget, error ratio over the SLO window and the budget left, for dashboards. */
export function budgetRecordings(service: ServiceModel, slo: SloModel): PromRule[] {
  const labels = sloLabels(service, slo);
  const select = labelMatchers(labels);
  const sloWindow = promDuration(slo.windowMs);
  return [
    { record: RECORD.objective, expr: `vector(${promNumber(slo.objective / 100)})`, labels },
    { record: RECORD.errorBudget, expr: `vector(${promNumber(slo.budget)})`, labels },
    { record: RECORD.errorRatio(sloWindow), expr: windowErrorRatioExpr(service, slo, sloWindow), labels },
    { record: RECORD.budgetRemaining, expr: `1 - ${RECORD.errorRatio(sloWindow)}${select} / ${RECORD.errorBudget}${select}`, labels },
  ];
}
