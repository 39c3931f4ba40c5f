/**
 * Cloud Monitoring SLOs replayed from the series their alert policies
 * evaluate: `select_slo_burn_rate(slo, lookback)` for each tier's two
 * lookbacks, read with timeSeries.list. Each policy (one per tier) opens an
 * incident at the first minute both burn rates exceed the tier's threshold
 * (condition duration 0) and closes it at the first minute they do not. A
 * burn rate is the error ratio ÷ (1 − goal), so for a changed objective the
 * series is rescaled by (1 − old goal) ÷ (1 − new goal): the alerts of the new
 * objective on the same errors, exactly. The budget comes from
 * `select_slo_budget_fraction(slo)` when it was read (Cloud Monitoring's own
 * figure over the SLO's window), else from the burn rates, time-weighted:
 * approximate.
 */
import { CLOUD_MONITORING_ALIGNMENT_MS } from "../model/sloMath";
import { burnRateFilter } from "../components/gcp/filters";
import type { CloudMonitoringSeries, History } from "./history";
import { firingSpans, type AlertTimeline, BURN_ALERT } from "./alerts";
import { typicalSpacing } from "./promql";
import type { ReplaySlo } from "./types";

/** The filter of the SLO's remaining budget fraction. */
export function budgetFractionFilter(sloName: string): string {
  return `select_slo_budget_fraction("${sloName}")`;
}

/** Every filter a Cloud Monitoring SLO's replay reads: each tier's lookbacks, and the budget fraction. */
export function cloudMonitoringFilters(slo: ReplaySlo): { burnRates: string[]; budget: string } {
  const lookbacks = [...new Set(slo.tiers.flatMap((t) => [t.longWindowMs, t.shortWindowMs]))].sort((a, b) => a - b);
  return { burnRates: lookbacks.map((ms) => burnRateFilter(slo.cloudMonitoringName!, ms)), budget: budgetFractionFilter(slo.cloudMonitoringName!) };
}

/** Values at each minute: the latest point within the series' own spacing (60 s as Cloud Monitoring aligns; more when read coarser). */
function valuesAt(series: CloudMonitoringSeries, ts: Float64Array): Float64Array {
  const out = new Float64Array(ts.length).fill(NaN);
  const lookback = Math.max(CLOUD_MONITORING_ALIGNMENT_MS, typicalSpacing(series.t));
  let hi = -1;
  for (let i = 0; i < ts.length; i++) {
    while (hi + 1 < series.t.length && series.t[hi + 1]! <= ts[i]!) hi++;
    if (hi >= 0 && series.t[hi]! > ts[i]! - lookback) out[i] = series.v[hi]!;
  }
  return out;
}

/** (1 − old goal) ÷ (1 − new goal): a burn rate read at the old goal, as the new objective sees it. */
export function goalRescale(oldGoal: number, objectivePercent: number): number {
  return (1 - oldGoal) / (1 - objectivePercent / 100);
}

export interface CloudMonitoringReplay {
  alerts: AlertTimeline[];
  /** Share of bad events over the budget span; undefined when unknown. */
  errorRatio?: number;
  /** Where the budget figure comes from when it is not Cloud Monitoring's own. */
  approximate?: string;
  /** Whether the burn rates were rescaled for a changed objective. */
  rescaled: boolean;
  /** Start of the span the budget figure covers. */
  budgetFrom: number;
}

/**
 * One policy per tier on burn rates per lookback: an incident opens at the first minute both of the tier's
 * lookbacks exceed its burn rate (condition duration 0) and closes at the first they do not.
 */
export function policyAlerts(slo: ReplaySlo, burn: ReadonlyMap<number, Float64Array>, ts: Float64Array, from: number): AlertTimeline[] {
  return slo.tiers.map((tier) => {
    const long = burn.get(tier.longWindowMs)!;
    const short = burn.get(tier.shortWindowMs)!;
    const condition = new Uint8Array(ts.length);
    for (let i = 0; i < ts.length; i++) if (long[i]! > tier.burnRate && short[i]! > tier.burnRate) condition[i] = 1;
    return { alertname: BURN_ALERT, tier: tier.name, severity: tier.severity, firing: firingSpans(condition, ts, 0, from) };
  });
}

/** Replays the SLO's policies at every minute `ts`, from index `from`. */
export function replayCloudMonitoring(slo: ReplaySlo, history: History, ts: Float64Array, from: number, span: { from: number; to: number }): CloudMonitoringReplay {
  const burn = new Map<number, Float64Array>();
  let goal = 0;
  for (const tier of slo.tiers) {
    for (const ms of [tier.longWindowMs, tier.shortWindowMs]) {
      if (burn.has(ms)) continue;
      const series = history.cloudMonitoring.get(burnRateFilter(slo.cloudMonitoringName!, ms))!;
      goal = series.goal;
      const scale = goalRescale(series.goal, slo.objective);
      burn.set(ms, valuesAt(series, ts).map((x) => x * scale));
    }
  }
  const alerts = policyAlerts(slo, burn, ts, from);
  const rescaled = Math.abs(goal - slo.objective / 100) > 1e-12;
  const budget = history.cloudMonitoring.get(budgetFractionFilter(slo.cloudMonitoringName!));
  if (budget) {
    const at = valuesAt(budget, Float64Array.of(span.to))[0]!;
    // Remaining fraction r at the old goal: the window's error ratio is (1 − r) × (1 − old goal).
    const windowFrom = span.to - slo.windowMs;
    return { alerts, rescaled, budgetFrom: windowFrom, ...(Number.isNaN(at) ? {} : { errorRatio: Math.max(0, (1 - at) * (1 - budget.goal)) }) };
  }
  // Time-weighted from the shortest lookback, one value per lookback back from the end.
  const shortest = Math.min(...burn.keys());
  const values = burn.get(shortest)!;
  const scale = goalRescale(goal, slo.objective);
  let sum = 0;
  let n = 0;
  let j = ts.length - 1;
  for (let at = span.to; at - shortest >= span.from - 1; at -= shortest) {
    while (j >= 0 && ts[j]! > at) j--;
    if (j < 0) break;
    if (Number.isNaN(values[j]!)) continue;
    sum += (values[j]! / scale) * (1 - goal);
    n += 1;
  }
  return {
    alerts,
    rescaled,
    budgetFrom: span.from,
    ...(n > 0 ? { errorRatio: sum / n } : {}),
    approximate: `the budget is averaged over time from the ${shortest / 60_000}-minute burn rate, not weighted by traffic (read ${budgetFractionFilter(slo.cloudMonitoringName!)} for Cloud Monitoring's own figure)`,
  };
}
