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
import { type PromRule, RECORD, type PrometheusIndicator, type PromqlSli, type WindowedIndicator, sloLabels, type RuleContext } from "./ruleNames";
import { WINDOW_PLACEHOLDER } from "../../contract/serviceSchema";

/** SLOs whose SLI is a PromQL query: Prometheus or Grafana-managed alerting evaluates the rules built here. */
export function prometheusSlos(service: ServiceModel): SloModel[] {
  return service.slos.filter(readsPromql);
}

/**
 * The SLO's indicator as PromQL: a `prometheus` indicator as declared; an
 * uptime indicator on a Synthetic Monitoring check as the successful
 * executions (probe_all_success_sum) out of all (…_count); a `promql`
 * indicator's queries as written.
 */
export function indicatorOf(slo: SloModel): PromqlSli {
  if (slo.indicator.kind === "uptime" && slo.indicator.probeSeries) return { kind: "prometheus", ...slo.indicator.probeSeries };
  if (slo.indicator.kind !== "prometheus" && slo.indicator.kind !== "promql") throw new Error(`SLO ${slo.name} has no PromQL indicator`);
  return slo.indicator;
}

/**
 * A window as Prometheus writes durations (its model.Duration.String: years
 * and weeks only when exact, then d, h, m, s, ms): what Sloth puts for
 * `{{.window}}`, so a query reads the same text as Sloth renders it. "28d" → "4w".
 */
export function prometheusDurationText(window: string): string {
  let ms = Math.round(durationSeconds(window) * 1000);
  if (ms === 0) return "0s";
  let text = "";
  const units: [string, number, boolean][] = [["y", 31_536_000_000, true], ["w", 604_800_000, true], ["d", 86_400_000, false], ["h", 3_600_000, false], ["m", 60_000, false], ["s", 1_000, false], ["ms", 1, false]];
  for (const [unit, size, exact] of units) {
    if (exact && ms % size !== 0) continue;
    const count = Math.floor(ms / size);
    if (count > 0) {
      text += `${count}${unit}`;
      ms -= count * size;
    }
  }
  return text;
}

/** A `promql` indicator's query for one window: every `{{.window}}` replaced, nothing else changed. */
function atWindow(query: string, window: string): string {
  return query.replace(WINDOW_PLACEHOLDER, prometheusDurationText(window));
}

/**
 * A `promql` indicator's error ratio over `window`, exactly as Sloth renders
 * its SLI recording (sli_rules_v1 plugin): `(errorRatio)` for a raw SLI,
 * `(errors)\n/\n(total)\n` for an events SLI.
 */
export function windowedErrorRatioExpr(indicator: WindowedIndicator, window: string): string {
  if (indicator.errorRatio !== undefined) return `(${atWindow(indicator.errorRatio, window)})`;
  return `(${atWindow(indicator.errors!, window)})\n/\n(${atWindow(indicator.total!, window)})\n`;
}

/** Every window the SLO's tiers use, shortest first, in milliseconds. */
export function tierWindows(slo: SloModel): number[] {
  return [...new Set(slo.tiers.flatMap((tier) => [tier.longWindowMs, tier.shortWindowMs]))].sort((a, b) => a - b);
}

/** Samples of a 0/1 gauge over `window`: each sample is one event. */
function gaugeSamples(selector: string, window: string): string {
  return `sum(count_over_time(${selector}[${window}]))`;
}

/**
 * Events per second over `window`: total requests, the +Inf bucket of a
 * histogram, or a 0/1 gauge's samples. A `promql` query states no event
 * count (its total may be a rate, a count or a ratio): undefined.
 */
export function totalRateExpr(indicator: PromqlSli, window: string): string | undefined {
  if (indicator.kind === "promql") return undefined;
  return seriesTotalRateExpr(indicator, window);
}

function seriesTotalRateExpr(indicator: PrometheusIndicator, window: string): string {
  if (indicator.boolGauge) return `${gaugeSamples(indicator.boolGauge, window)} / ${promNumber(durationSeconds(window))}`;
  if (indicator.histogram) return `sum(rate(${withMatchers(indicator.histogram, 'le="+Inf"')}[${window}]))`;
  return `sum(rate(${indicator.total!}[${window}]))`;
}

/**
 * Share of bad events over `window`. A missing bad series means no errors yet
 * (counts as 0); a missing good series or threshold bucket is a mistake, so it
 * leaves the ratio empty and the absent alert says so instead of paging.
 */
export function errorRatioExpr(indicator: PromqlSli, window: string): string {
  if (indicator.kind === "promql") return windowedErrorRatioExpr(indicator, window);
  if (indicator.boolGauge) {
    // Bad samples: samples minus the sum of their values (a 0 adds nothing), as Pyrra counts them.
    const samples = gaugeSamples(indicator.boolGauge, window);
    return `(${samples} - sum(sum_over_time(${indicator.boolGauge}[${window}]))) / ${samples}`;
  }
  const total = seriesTotalRateExpr(indicator, window);
  if (indicator.histogram) {
    return `1 - sum(rate(${withMatchers(indicator.histogram, leMatcher(indicator.thresholdMs!))}[${window}])) / ${total}`;
  }
  if (indicator.bad) return `(sum(rate(${indicator.bad}[${window}])) or vector(0)) / ${total}`;
  return `(${total} - sum(rate(${indicator.good!}[${window}]))) / ${total}`;
}

/**
 * Series that must exist for the SLI to be computed at all. For a `promql`
 * indicator, whose series are not known, the query itself over `window` (the
 * shortest the rules use): it must return something.
 */
export function requiredSeries(indicator: PromqlSli, window: string): string[] {
  if (indicator.kind === "promql") return [windowedErrorRatioExpr(indicator, window).trim()];
  if (indicator.boolGauge) return [indicator.boolGauge];
  if (indicator.histogram) return [withMatchers(indicator.histogram, 'le="+Inf"'), withMatchers(indicator.histogram, leMatcher(indicator.thresholdMs!))];
  return indicator.good ? [indicator.total!, indicator.good] : [indicator.total!];
}

/** The SLI of an SLO over a window, as a burn-rate condition reads it (see RuleContext.sli). */
export function sliSeries(service: ServiceModel, slo: SloModel, context: Pick<RuleContext, "sli"> & { settings?: Pick<PrometheusSettings, "evaluationInterval"> }): { errorRatio: (window: string) => string; totalRate?: (window: string) => string } {
  if (context.sli === "inline") {
    const indicator = indicatorOf(slo);
    const slices = slo.budgeting;
    if (slices.method === "timeslices") {
      // The recorded series is a sample per evaluation; inline, a subquery takes the same samples.
      const step = context.settings?.evaluationInterval;
      if (step === undefined) throw new Error(`SLO ${slo.name}: inline timeslice ratios need the evaluation interval`);
      const bad = sliceBadExpr(indicator, slices.sliceMs, slices.sliceTarget);
      return { errorRatio: (window) => `avg_over_time((${bad})[${window}:${step}])`, ...totalRateOf((window) => totalRateExpr(indicator, window)) };
    }
    return { errorRatio: (window) => `(${errorRatioExpr(indicator, window).trim()})`, ...totalRateOf((window) => totalRateExpr(indicator, window)) };
  }
  const select = labelMatchers(sloLabels(service, slo));
  return { errorRatio: (window) => `${RECORD.errorRatio(window)}${select}`, ...(recordsTotalRate(slo) ? { totalRate: (window: string) => `${RECORD.totalRate(window)}${select}` } : {}) };
}

/** The traffic expression, where the indicator has one. */
function totalRateOf(expr: (window: string) => string | undefined): { totalRate?: (window: string) => string } {
  return expr("5m") === undefined ? {} : { totalRate: (window) => `(${expr(window)!})` };
}

/** Whether the SLO's traffic (events per second) is recorded: not for a `promql` indicator, whose query states no event count. */
export function recordsTotalRate(slo: SloModel): boolean {
  return slo.indicator.kind !== "promql";
}

/**
 * Timeslices budgeting: 1 when the slice of `sliceMs` ending at the evaluation
 * is bad, its share of good events below `sliceTarget`, else 0. A slice without
 * events (0 ÷ 0) compares false and counts as good.
 */
export function sliceBadExpr(indicator: PromqlSli, sliceMs: number, sliceTarget: number): string {
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
      const total = totalRateExpr(indicator, window);
      return [{ record: RECORD.errorRatio(window), expr: windowErrorRatioExpr(service, slo, window), labels }, ...(total !== undefined ? [{ record: RECORD.totalRate(window), expr: total, labels }] : [])];
    }),
  ];
}

/** What `slo:sli_error:ratio_rate<window>` records: the share of bad events, or with timeslices the share of bad slices. */
export function windowErrorRatioExpr(service: ServiceModel, slo: SloModel, window: string): string {
  const slices = slo.budgeting;
  if (slices.method === "timeslices") return `avg_over_time(${RECORD.sliceBad(promDuration(slices.sliceMs))}${labelMatchers(sloLabels(service, slo))}[${window}])`;
  return errorRatioExpr(indicatorOf(slo), window);
}

/**
 * The error ratio over the whole SLO window. A `promql` query over 30 days
 * may be a subquery that loads every step of the window (Prometheus refuses
 * such a query or strains on it): its ratio over the SLO window is the
 * average of its shortest recorded ratio instead, as Sloth records it
 * (sli_rules_v1's optimized SLO-window rule).
 */
function sloWindowErrorRatioExpr(service: ServiceModel, slo: SloModel, sloWindow: string): string {
  const windows = tierWindows(slo);
  if (slo.indicator.kind !== "promql" || slo.budgeting.method === "timeslices" || windows.length === 0) return windowErrorRatioExpr(service, slo, sloWindow);
  const shortest = `${RECORD.errorRatio(promDuration(windows[0]!))}${labelMatchers(sloLabels(service, slo))}`;
  return `sum_over_time(${shortest}[${sloWindow}])\n/\ncount_over_time(${shortest}[${sloWindow}])`;
}

/** Objective, error budget, error ratio over the SLO window and the budget left, for dashboards. */
export function budgetRecordings(service: ServiceModel, slo: SloModel): PromRule[] {
  const labels = sloLabels(service, slo);
  const select = labelMatchers(labels);
  const sloWindow = promDuration(slo.windowMs);
  return [
    { record: RECORD.objective, expr: `vector(${promNumber(slo.objective / 100)})`, labels },
    { record: RECORD.errorBudget, expr: `vector(${promNumber(slo.budget)})`, labels },
    { record: RECORD.errorRatio(sloWindow), expr: sloWindowErrorRatioExpr(service, slo, sloWindow), labels },
    { record: RECORD.budgetRemaining, expr: `1 - ${RECORD.errorRatio(sloWindow)}${select} / ${RECORD.errorBudget}${select}`, labels },
  ];
}
