/**
 * An SLO's SLI at every evaluation time, from history: the error ratio and
 * traffic over each window its tiers read, and whether the series it needs
 * are absent. Two sources: raw series, evaluated here with Prometheus'
 * semantics exactly as the SLO's recording rules are written
 * (components/prometheus/sliRecordings.ts); or the window SLIs the server
 * itself computed (the backtest's own queries, queries.ts), read as they are.
 */
import { leMatcher, promNumber, withMatchers } from "../components/prometheus/promql";
import { requiredSeries } from "../components/prometheus/sliRecordings";
import type { IndicatorModel } from "../model/types";
import type { History, Series } from "./history";
import { countOverTime, presentAt, rate, select, sumOverTime, sumSeries, typicalSpacing } from "./promql";
import type { ReplaySlo } from "./types";

export type PromIndicator = Extract<IndicatorModel, { kind: "prometheus" }>;

/** The SLO's indicator as PromQL reads it: a `prometheus` indicator, or Synthetic Monitoring's probe counters. */
export function promIndicator(indicator: IndicatorModel): PromIndicator | undefined {
  if (indicator.kind === "uptime" && indicator.probeSeries) return { kind: "prometheus", ...indicator.probeSeries };
  return indicator.kind === "prometheus" ? indicator : undefined;
}

/** Every window the SLO's tiers read, shortest first. */
export function sloWindows(slo: Pick<ReplaySlo, "tiers">): number[] {
  return [...new Set(slo.tiers.flatMap((tier) => [tier.longWindowMs, tier.shortWindowMs]))].sort((a, b) => a - b);
}

export interface WindowSli {
  errorRatio: Float64Array;
  totalRate: Float64Array;
}

/** The SLI of one SLO over the evaluation times: per window, and whether its series are absent (1). */
export interface SliTimeline {
  windows: Map<number, WindowSli>;
  absent: Uint8Array;
}

/** What the SLI reads, by role; `bad` may be missing from the history (no errors yet). */
export interface SliSelectors {
  total?: string;
  bad?: string;
  good?: string;
  /** Histogram: the bucket of the threshold and the +Inf bucket. */
  within?: string;
  all?: string;
  boolGauge?: string;
  /** Series whose absence fires the metrics-absent alert. */
  required: string[];
}

export function sliSelectors(indicator: PromIndicator): SliSelectors {
  // A prometheus indicator names its series; the window matters only to windowed PromQL, which is not replayed from raw series.
  const required = requiredSeries(indicator, "5m");
  if (indicator.boolGauge) return { boolGauge: indicator.boolGauge, required };
  if (indicator.histogram) {
    return { within: withMatchers(indicator.histogram, leMatcher(indicator.thresholdMs!)), all: withMatchers(indicator.histogram, 'le="+Inf"'), required };
  }
  return { total: indicator.total!, ...(indicator.bad ? { bad: indicator.bad } : {}), ...(indicator.good ? { good: indicator.good } : {}), required };
}

/** Raw series an SLO reads, by selector: what the history holds for each. */
export function matchedSeries(history: History, selectors: SliSelectors): Map<string, Series[]> {
  const out = new Map<string, Series[]>();
  for (const selector of [selectors.total, selectors.bad, selectors.good, selectors.within, selectors.all, selectors.boolGauge]) {
    if (selector !== undefined) out.set(selector, select(history.raw, selector));
  }
  return out;
}

const NOTHING = NaN;

/** rate() per series, window and evaluation times, computed once: a bad-requests series is also part of the total. */
const rates = new WeakMap<Series, WeakMap<Float64Array, Map<number, Float64Array>>>();

function cachedRate(s: Series, ts: Float64Array, windowMs: number): Float64Array {
  let byTimes = rates.get(s);
  if (!byTimes) rates.set(s, (byTimes = new WeakMap()));
  let byWindow = byTimes.get(ts);
  if (!byWindow) byTimes.set(ts, (byWindow = new Map()));
  let out = byWindow.get(windowMs);
  if (!out) byWindow.set(windowMs, (out = rate(s, ts, windowMs)));
  return out;
}

function sumRate(series: readonly Series[], ts: Float64Array, windowMs: number): Float64Array {
  return sumSeries(series.map((s) => cachedRate(s, ts, windowMs)), ts.length);
}

/**
 * Error ratio and traffic over a window from raw series, as the recording
 * rules compute them; `defined` marks the times the ratio exists at all (NaN
 * from 0 ÷ 0 exists; a missing series gives nothing).
 */
function rawWindow(selectors: SliSelectors, series: Map<string, Series[]>, ts: Float64Array, windowMs: number): WindowSli & { defined: Uint8Array } {
  const n = ts.length;
  const errorRatio = new Float64Array(n).fill(NOTHING);
  const defined = new Uint8Array(n);
  if (selectors.boolGauge !== undefined) {
    const gauges = series.get(selectors.boolGauge)!;
    const samples = sumSeries(gauges.map((s) => countOverTime(s, ts, windowMs)), n);
    const sums = sumSeries(gauges.map((s) => sumOverTime(s, ts, windowMs)), n);
    const seconds = Number(promNumber(windowMs / 1000));
    const totalRate = samples.map((x) => x / seconds);
    for (let i = 0; i < n; i++) {
      if (Number.isNaN(samples[i]!) || Number.isNaN(sums[i]!)) continue;
      defined[i] = 1;
      errorRatio[i] = (samples[i]! - sums[i]!) / samples[i]!;
    }
    return { errorRatio, totalRate, defined };
  }
  if (selectors.all !== undefined) {
    const total = sumRate(series.get(selectors.all)!, ts, windowMs);
    const within = sumRate(series.get(selectors.within!)!, ts, windowMs);
    for (let i = 0; i < n; i++) {
      if (Number.isNaN(total[i]!) || Number.isNaN(within[i]!)) continue;
      defined[i] = 1;
      errorRatio[i] = 1 - within[i]! / total[i]!;
    }
    return { errorRatio, totalRate: total, defined };
  }
  const total = sumRate(series.get(selectors.total!)!, ts, windowMs);
  if (selectors.bad !== undefined) {
    const bad = sumRate(series.get(selectors.bad)!, ts, windowMs);
    for (let i = 0; i < n; i++) {
      if (Number.isNaN(total[i]!)) continue;
      defined[i] = 1;
      // `(sum(rate(bad)) or vector(0)) / total`: no bad series yet counts as no errors.
      errorRatio[i] = (Number.isNaN(bad[i]!) ? 0 : bad[i]!) / total[i]!;
    }
  } else {
    const good = sumRate(series.get(selectors.good!)!, ts, windowMs);
    for (let i = 0; i < n; i++) {
      if (Number.isNaN(total[i]!) || Number.isNaN(good[i]!)) continue;
      defined[i] = 1;
      errorRatio[i] = (total[i]! - good[i]!) / total[i]!;
    }
  }
  return { errorRatio, totalRate: total, defined };
}

/**
 * Timeslices: the recorded verdict of the slice ending at each evaluation
 * (1 bad, 0 good, nothing without series), then per window the share of bad
 * verdicts among those recorded in [t − window, t] (avg_over_time).
 */
function slicedWindows(slice: WindowSli & { defined: Uint8Array }, sliceTarget: number, ts: Float64Array, windows: readonly number[], total: (w: number) => Float64Array): Map<number, WindowSli> {
  const n = ts.length;
  const target = Number(promNumber(sliceTarget));
  const bad = new Float64Array(n + 1);
  const count = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const has = slice.defined[i] === 1;
    // `(1 - ratio) < bool target`: NaN compares false, a slice without events is good.
    const verdict = has && 1 - slice.errorRatio[i]! < target ? 1 : 0;
    bad[i + 1] = bad[i]! + verdict;
    count[i + 1] = count[i]! + (has ? 1 : 0);
  }
  const out = new Map<number, WindowSli>();
  for (const w of windows) {
    const errorRatio = new Float64Array(n).fill(NOTHING);
    let lo = 0;
    for (let i = 0; i < n; i++) {
      while (ts[lo]! < ts[i]! - w) lo++;
      const c = count[i + 1]! - count[lo]!;
      if (c > 0) errorRatio[i] = (bad[i + 1]! - bad[lo]!) / c;
    }
    out.set(w, { errorRatio, totalRate: total(w) });
  }
  return out;
}

/** The SLI from raw series at every evaluation time `ts`. */
export function rawSliTimeline(slo: ReplaySlo, selectors: SliSelectors, series: Map<string, Series[]>, ts: Float64Array): SliTimeline {
  const windows = sloWindows(slo);
  const required = selectors.required.flatMap((selector) => [series.get(selector) ?? []]);
  // count(absent(a) or absent(b)): absent when any required selector has no series with a recent point.
  const absent = new Uint8Array(ts.length);
  const step = ts.length > 1 ? ts[1]! - ts[0]! : 1;
  for (const matched of required) {
    const present = presentAt(matched, ts, step);
    for (let i = 0; i < ts.length; i++) if (!present[i]) absent[i] = 1;
  }
  const budgeting = slo.budgeting;
  if (budgeting.method === "timeslices") {
    const slice = rawWindow(selectors, series, ts, budgeting.sliceMs);
    return { windows: slicedWindows(slice, budgeting.sliceTarget, ts, windows, (w) => rawWindow(selectors, series, ts, w).totalRate), absent };
  }
  return { windows: new Map(windows.map((w) => [w, rawWindow(selectors, series, ts, w)])), absent };
}

/** Ids of the window SLIs the backtest's queries return for an SLO (queries.ts writes them, this reads them). */
export const WINDOW_QUERY = {
  errorRatio: (slo: Pick<ReplaySlo, "service" | "slo">, windowMs: number) => `${slo.service}/${slo.slo}/error_ratio/${windowMs / 1000}s`,
  totalRate: (slo: Pick<ReplaySlo, "service" | "slo">, windowMs: number) => `${slo.service}/${slo.slo}/total_rate/${windowMs / 1000}s`,
  absent: (slo: Pick<ReplaySlo, "service" | "slo">) => `${slo.service}/${slo.slo}/absent`,
};

/** The window SLI series an SLO needs, and which of them the history lacks. */
export function windowSeries(slo: ReplaySlo, history: History): { found: number; missing: string[] } {
  const ids = [...sloWindows(slo).flatMap((w) => [WINDOW_QUERY.errorRatio(slo, w), WINDOW_QUERY.totalRate(slo, w)])];
  const missing = ids.filter((id) => !history.windows.has(id));
  return { found: ids.length - missing.length, missing };
}

/** Values of a result series at each time: its latest point in (t − step, t], nothing otherwise. */
function valuesAt(series: Series | undefined, ts: Float64Array, minStepMs: number): Float64Array {
  const out = new Float64Array(ts.length).fill(NOTHING);
  if (!series) return out;
  const lookback = Math.max(minStepMs, typicalSpacing(series.t));
  let hi = -1;
  for (let i = 0; i < ts.length; i++) {
    while (hi + 1 < series.t.length && series.t[hi + 1]! <= ts[i]!) hi++;
    if (hi >= 0 && series.t[hi]! > ts[i]! - lookback) out[i] = series.v[hi]!;
  }
  return out;
}

/** The SLI from the window results the server computed (queries.ts), at every evaluation time. */
export function windowSliTimeline(slo: ReplaySlo, history: History, ts: Float64Array): SliTimeline {
  const step = ts.length > 1 ? ts[1]! - ts[0]! : 1;
  const windows = new Map<number, WindowSli>();
  for (const w of sloWindows(slo)) {
    windows.set(w, { errorRatio: valuesAt(history.windows.get(WINDOW_QUERY.errorRatio(slo, w)), ts, step), totalRate: valuesAt(history.windows.get(WINDOW_QUERY.totalRate(slo, w)), ts, step) });
  }
  const absentValues = valuesAt(history.windows.get(WINDOW_QUERY.absent(slo)), ts, step);
  const absent = new Uint8Array(ts.length);
  for (let i = 0; i < ts.length; i++) if (!Number.isNaN(absentValues[i]!)) absent[i] = 1;
  return { windows, absent };
}
