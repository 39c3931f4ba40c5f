/**
 * A Cloud Monitoring SLO that does not exist yet has no burn-rate series: its
 * request-based SLI is recomputed from the raw metrics it reads, the total
 * filter and the good or bad one, read with timeSeries.list aligned per
 * minute (ALIGN_DELTA, summed across series with REDUCE_SUM). Per minute the
 * events are counted; each tier's lookback sums them; the burn rate is the
 * lookback's bad ÷ total over (1 − goal); each policy opens an incident at
 * the first minute both lookbacks exceed the tier's burn rate (condition
 * duration 0) and closes it at the first they do not, as for an existing SLO.
 * The budget is bad ÷ total events over the budget span: weighted by
 * traffic. With timeslices budgeting (a windows-based SLI judging slices by
 * the ratio) the lookbacks and the budget count bad slices among slices
 * instead. All of it is approximate: Cloud Monitoring's own evaluation may
 * align the points differently and count missing points its own way.
 */
import { cloudRunRequestsFilter, cloudRunServerErrorsFilter } from "../components/gcp/filters";
import type { IndicatorModel, RuntimeModel } from "../model/types";
import { filterKey, type CloudMonitoringMetric, type History } from "./history";
import { policyAlerts, type CloudMonitoringReplay } from "./cloudMonitoring";
import type { ReplaySlo, RequestFilters } from "./types";

/** What the user must ask timeSeries.list for: one count per minute, every series of the filter summed. */
export const RAW_AGGREGATION = { alignmentPeriod: "60s", perSeriesAligner: "ALIGN_DELTA", crossSeriesReducer: "REDUCE_SUM" } as const;

export const RAW_APPROXIMATE =
  "recomputed from raw metrics (events counted per minute, summed over each lookback; the budget weighted by traffic): Cloud Monitoring's own SLO evaluation may differ in its alignment and in how it counts missing points";

/** The same for timeslices budgeting (a windows-based SLI: each slice good when its ratio reaches the slice target). */
export function rawSlicesApproximate(sliceMs: number): string {
  return `recomputed from raw metrics (slices of ${sliceMs / 60_000} min from the epoch judged from per-minute counts, a slice without events counted good; each lookback and the budget count slices): Cloud Monitoring's own SLO evaluation may differ in its alignment and in how it counts missing points`;
}

/**
 * Timeslices: at the tick ending each slice of `sliceMs` (a multiple of it
 * since the epoch), 1 in `ends`, and 1 in `bad` when the slice held events and
 * its good share was below `sliceTarget`; 0 elsewhere.
 */
export function sliceEnds(bad: Float64Array, total: Float64Array, ts: Float64Array, stepMs: number, sliceMs: number, sliceTarget: number): { bad: Float64Array; ends: Float64Array } {
  const badSums = windowSums(bad, stepMs, sliceMs);
  const totalSums = windowSums(total, stepMs, sliceMs);
  const outBad = new Float64Array(ts.length);
  const ends = new Float64Array(ts.length);
  for (let i = 0; i < ts.length; i++) {
    if (ts[i]! % sliceMs !== 0) continue;
    ends[i] = 1;
    if (totalSums[i]! > 0 && 1 - badSums[i]! / totalSums[i]! < sliceTarget) outBad[i] = 1;
  }
  return { bad: outBad, ends };
}

/** The request-based ratio filters of a Cloud Monitoring SLO's SLI, as components/gcp/ServiceLevelObjectives builds them; undefined when its SLI is no such ratio. */
export function requestFilters(indicator: IndicatorModel, runtime?: RuntimeModel): RequestFilters | undefined {
  if (indicator.kind === "cloudMonitoring") {
    if (indicator.good !== undefined) return { total: indicator.total, good: indicator.good };
    if (indicator.bad !== undefined) return { total: indicator.total, bad: indicator.bad };
    return undefined;
  }
  if (indicator.kind === "availability" && runtime?.kind === "cloudRun") return { total: cloudRunRequestsFilter(runtime), bad: cloudRunServerErrorsFilter(runtime) };
  return undefined;
}

/** The SLO's ratio filters (from the model, or from a `cloudMonitoring` indicator in a plan record), or why it cannot be recomputed from raw metrics. */
export function rawFiltersOf(slo: Pick<ReplaySlo, "indicator" | "budgeting" | "requestFilters">): RequestFilters | { unsupported: string } {
  const budgeting = slo.budgeting;
  if (budgeting.method === "timeslices" && (budgeting.sliceMs % 60_000 !== 0 || budgeting.sliceMs <= 0)) {
    return { unsupported: `its slices of ${budgeting.sliceMs / 1000}s are not whole minutes, which the backtest's per-minute counts cannot judge: it needs the SLO's own select_slo_burn_rate series, once it exists` };
  }
  const filters = slo.requestFilters ?? requestFilters(slo.indicator);
  if (filters) return filters;
  switch (slo.indicator.kind) {
    case "latency":
      return { unsupported: "its latency SLI is a distribution cut of request latencies, which the backtest does not recompute from raw metrics: it needs the SLO's own select_slo_burn_rate series, once it exists" };
    case "uptime":
      return { unsupported: "its uptime SLI is windows-based on check_passed of an uptime check whose id is only known once deployed, which the backtest does not recompute from raw metrics: it needs the SLO's own select_slo_burn_rate series, once it exists" };
    default:
      return { unsupported: `its ${slo.indicator.kind} SLI is not a good/total or bad/total ratio the backtest can recompute from raw metrics: it needs the SLO's own select_slo_burn_rate series, once it exists` };
  }
}

/** The filters to read, total first. */
export function rawFilterList(filters: RequestFilters): string[] {
  return "good" in filters ? [filters.total, filters.good] : [filters.total, filters.bad];
}

/** Events per tick: the points that ended in (ts[i] − step, ts[i]], step being the ticks' spacing (a minute); 0 where none did. */
export function countsPerTick(metric: Pick<CloudMonitoringMetric, "t" | "v">, ts: Float64Array): Float64Array {
  const out = new Float64Array(ts.length);
  if (ts.length === 0) return out;
  const step = ts.length > 1 ? ts[1]! - ts[0]! : 60_000;
  let k = 0;
  while (k < metric.t.length && metric.t[k]! <= ts[0]! - step) k++;
  for (let i = 0; i < ts.length; i++) {
    let sum = 0;
    while (k < metric.t.length && metric.t[k]! <= ts[i]!) sum += metric.v[k++]!;
    out[i] = sum;
  }
  return out;
}

/** Sums over the `windowMs` ending at each tick (the last windowMs ÷ step ticks, fewer at the start). */
export function windowSums(counts: Float64Array, stepMs: number, windowMs: number): Float64Array {
  const n = Math.round(windowMs / stepMs);
  const out = new Float64Array(counts.length);
  let sum = 0;
  for (let i = 0; i < counts.length; i++) {
    sum += counts[i]!;
    if (i >= n) sum -= counts[i - n]!;
    out[i] = sum;
  }
  return out;
}

/** Burn rates: bad ÷ total ÷ (1 − goal) per tick; NaN where the window holds no event (no point, as Cloud Monitoring has none then). */
export function burnRates(bad: Float64Array, total: Float64Array, goal: number): Float64Array {
  const out = new Float64Array(total.length);
  for (let i = 0; i < total.length; i++) out[i] = total[i]! > 0 ? bad[i]! / total[i]! / (1 - goal) : NaN;
  return out;
}

/** Bad and total events per tick of the SLO's filters (bad = total − good for a good/total ratio, never below 0). */
export function badAndTotal(filters: RequestFilters, metrics: ReadonlyMap<string, Pick<CloudMonitoringMetric, "t" | "v">>, ts: Float64Array): { bad: Float64Array; total: Float64Array } {
  const read = (filter: string) => countsPerTick(metrics.get(filterKey(filter)) ?? { t: new Float64Array(), v: new Float64Array() }, ts);
  const total = read(filters.total);
  if ("bad" in filters) return { bad: read(filters.bad), total };
  const good = read(filters.good);
  return { bad: total.map((x, i) => Math.max(0, x - good[i]!)), total };
}

/** Replays the SLO's policies at every minute `ts` from index `from`, on burn rates recomputed from its raw metrics. */
export function replayCloudMonitoringRaw(slo: ReplaySlo, filters: RequestFilters, history: History, ts: Float64Array, from: number, span: { from: number; to: number }): CloudMonitoringReplay {
  const events = badAndTotal(filters, history.cloudMonitoringMetrics ?? new Map(), ts);
  const step = slo.evaluationIntervalMs;
  const budgeting = slo.budgeting;
  // Timeslices: the lookbacks and the budget count bad slices among slices, as a windows-based SLI does.
  const sliced = budgeting.method === "timeslices" ? sliceEnds(events.bad, events.total, ts, step, budgeting.sliceMs, budgeting.sliceTarget) : undefined;
  const bad = sliced?.bad ?? events.bad;
  const total = sliced?.ends ?? events.total;
  const goal = slo.objective / 100;
  const burn = new Map<number, Float64Array>();
  for (const ms of new Set(slo.tiers.flatMap((t) => [t.longWindowMs, t.shortWindowMs]))) burn.set(ms, burnRates(windowSums(bad, step, ms), windowSums(total, step, ms), goal));
  const alerts = policyAlerts(slo, burn, ts, from);
  // Each tick counts the events of the minute ending at it: the span (from, to] is the ticks after `from` up to `to`.
  let badSum = 0;
  let totalSum = 0;
  for (let i = 0; i < ts.length; i++) {
    if (ts[i]! <= span.from || ts[i]! > span.to) continue;
    badSum += bad[i]!;
    totalSum += total[i]!;
  }
  const approximate = budgeting.method === "timeslices" ? rawSlicesApproximate(budgeting.sliceMs) : RAW_APPROXIMATE;
  return { alerts, rescaled: false, budgetFrom: span.from, approximate, ...(totalSum > 0 ? { errorRatio: badSum / totalSum } : {}) };
}
