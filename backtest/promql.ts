/**
 * The part of PromQL an SLI's recording rules use, evaluated on series read
 * from files, the way Prometheus 2 evaluates it: series selectors with =, !=,
 * =~ and !~ matchers (regular expressions anchored, as Prometheus anchors
 * them); range selectors that hold the samples of [t − range, t], both ends
 * included; `rate()` with Prometheus' extrapolation and counter-reset
 * handling (promql/functions.go, extrapolatedRate); `count_over_time`,
 * `sum_over_time`; `sum` over series in label order. Each function returns
 * one value per evaluation time, NaN where Prometheus returns nothing.
 */
import type { Series } from "./history";

export interface Matcher {
  name: string;
  op: "=" | "!=" | "=~" | "!~";
  value: string;
  regex?: RegExp;
}

/** Parses a series selector as the contract writes them: `name{label="v",code=~"5.."}`. */
export function parseMatchers(selector: string): Matcher[] {
  const text = selector.trim();
  const head = /^([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*/.exec(text)!;
  const matchers: Matcher[] = head[1] ? [{ name: "__name__", op: "=", value: head[1] }] : [];
  let rest = text.slice(head[0].length);
  if (rest === "") return matchers;
  if (!rest.startsWith("{") || !rest.endsWith("}")) throw new Error(`not a series selector: ${selector}`);
  rest = rest.slice(1, -1);
  const item = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*(,|$)/s;
  while (rest.trim() !== "") {
    const match = item.exec(rest);
    if (!match) throw new Error(`not a series selector: ${selector}`);
    const value = JSON.parse(`"${match[3]!}"`) as string;
    const op = match[2] as Matcher["op"];
    matchers.push({ name: match[1]!, op, value, ...(op === "=~" || op === "!~" ? { regex: new RegExp(`^(?:${value})$`, "s") } : {}) });
    rest = rest.slice(match[0].length);
  }
  return matchers;
}

export function matches(labels: Readonly<Record<string, string>>, matchers: readonly Matcher[]): boolean {
  return matchers.every((m) => {
    const value = labels[m.name] ?? "";
    switch (m.op) {
      case "=":
        return value === m.value;
      case "!=":
        return value !== m.value;
      case "=~":
        return m.regex!.test(value);
      case "!~":
        return !m.regex!.test(value);
    }
  });
}

/** Prometheus' order of label sets (labels.Compare): names and values pairwise in name order, then length. */
export function compareLabels(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): number {
  const x = Object.keys(a).sort();
  const y = Object.keys(b).sort();
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
    const [u, w] = [a[x[i]!]!, b[y[i]!]!];
    if (u !== w) return u < w ? -1 : 1;
  }
  return x.length - y.length;
}

/** The series a selector matches, in Prometheus' order. */
export function select(series: readonly Series[], selector: string): Series[] {
  const matchers = parseMatchers(selector);
  return series.filter((s) => matches(s.labels, matchers)).sort((a, b) => compareLabels(a.labels, b.labels));
}

const corrections = new WeakMap<Float64Array, Float64Array>();

/** Counter-reset corrections before each point: corr[k] = Σ over resets at or before k of the value before the reset (once per series). */
function resetCorrections(v: Float64Array): Float64Array {
  const known = corrections.get(v);
  if (known) return known;
  const corr = new Float64Array(v.length);
  for (let k = 1; k < v.length; k++) corr[k] = corr[k - 1]! + (v[k]! < v[k - 1]! ? v[k - 1]! : 0);
  corrections.set(v, corr);
  return corr;
}

/**
 * Calls `visit(i, lo, hi)` for each evaluation time ts[i] (ascending) with the
 * indexes of the first and last point of the series in [ts[i] − range, ts[i]]
 * (lo > hi when there is none).
 */
function eachWindow(series: Series, ts: Float64Array, rangeMs: number, visit: (i: number, lo: number, hi: number) => void): void {
  const t = series.t;
  let lo = 0;
  let hi = -1;
  for (let i = 0; i < ts.length; i++) {
    const end = ts[i]!;
    const start = end - rangeMs;
    while (hi + 1 < t.length && t[hi + 1]! <= end) hi++;
    while (lo < t.length && t[lo]! < start) lo++;
    visit(i, lo, hi);
  }
}

/** rate(series[range]) at every evaluation time: Prometheus' extrapolatedRate for a counter. */
export function rate(series: Series, ts: Float64Array, rangeMs: number): Float64Array {
  const out = new Float64Array(ts.length).fill(NaN);
  const corr = resetCorrections(series.v);
  const { t, v } = series;
  const rangeSeconds = rangeMs / 1000;
  // The window [ts[i] − range, ts[i]] slides forward: two indexes walk the points once (eachWindow, inlined).
  let lo = 0;
  let hi = -1;
  for (let i = 0; i < ts.length; i++) {
    const end = ts[i]!;
    const rangeStart = end - rangeMs;
    while (hi + 1 < t.length && t[hi + 1]! <= end) hi++;
    while (lo < t.length && t[lo]! < rangeStart) lo++;
    if (hi - lo < 1) continue;
    let result = v[hi]! - v[lo]!;
    const correction = corr[hi]! - corr[lo]!;
    if (correction !== 0) result += correction;
    let durationToStart = (t[lo]! - rangeStart) / 1000;
    const durationToEnd = (end - t[hi]!) / 1000;
    const sampledInterval = (t[hi]! - t[lo]!) / 1000;
    const averageDurationBetweenSamples = sampledInterval / (hi - lo);
    if (result > 0 && v[lo]! >= 0) {
      const durationToZero = sampledInterval * (v[lo]! / result);
      if (durationToZero < durationToStart) durationToStart = durationToZero;
    }
    const extrapolationThreshold = averageDurationBetweenSamples * 1.1;
    let extrapolateToInterval = sampledInterval;
    extrapolateToInterval += durationToStart < extrapolationThreshold ? durationToStart : averageDurationBetweenSamples / 2;
    extrapolateToInterval += durationToEnd < extrapolationThreshold ? durationToEnd : averageDurationBetweenSamples / 2;
    // One factor, divided by the range, then one multiplication: the order Prometheus computes in.
    const factor = extrapolateToInterval / sampledInterval / rangeSeconds;
    out[i] = result * factor;
  }
  return out;
}

/** count_over_time(series[range]): points in the range; NaN (nothing) when none. */
export function countOverTime(series: Series, ts: Float64Array, rangeMs: number): Float64Array {
  const out = new Float64Array(ts.length).fill(NaN);
  eachWindow(series, ts, rangeMs, (i, lo, hi) => {
    if (hi >= lo) out[i] = hi - lo + 1;
  });
  return out;
}

/** sum_over_time(series[range]). */
export function sumOverTime(series: Series, ts: Float64Array, rangeMs: number): Float64Array {
  const prefix = new Float64Array(series.v.length + 1);
  for (let k = 0; k < series.v.length; k++) prefix[k + 1] = prefix[k]! + series.v[k]!;
  const out = new Float64Array(ts.length).fill(NaN);
  eachWindow(series, ts, rangeMs, (i, lo, hi) => {
    if (hi >= lo) out[i] = prefix[hi + 1]! - prefix[lo]!;
  });
  return out;
}

/** sum(...) over per-series values: NaN (nothing) where no series has a value, else their sum in series order. */
export function sumSeries(values: readonly Float64Array[], length: number): Float64Array {
  const out = new Float64Array(length).fill(NaN);
  for (const series of values) {
    for (let i = 0; i < length; i++) {
      const x = series[i]!;
      if (Number.isNaN(x)) continue;
      out[i] = Number.isNaN(out[i]!) ? x : out[i]! + x;
    }
  }
  return out;
}

/**
 * Whether any of the series has a point in (t − lookback, t] at each time: a
 * gap in the history is read as a gap. The lookback is the series' own
 * spacing of points (a query_range step), at least `minLookbackMs`.
 */
export function presentAt(series: readonly Series[], ts: Float64Array, minLookbackMs: number): Uint8Array {
  const out = new Uint8Array(ts.length);
  for (const s of series) {
    const lookback = Math.max(minLookbackMs, typicalSpacing(s.t));
    let hi = -1;
    for (let i = 0; i < ts.length; i++) {
      while (hi + 1 < s.t.length && s.t[hi + 1]! <= ts[i]!) hi++;
      if (hi >= 0 && s.t[hi]! > ts[i]! - lookback) out[i] = 1;
    }
  }
  return out;
}

/** The most common spacing of a series' points: its step. */
export function typicalSpacing(t: Float64Array): number {
  if (t.length < 2) return 0;
  const counts = new Map<number, number>();
  for (let k = 1; k < t.length; k++) {
    const d = t[k]! - t[k - 1]!;
    counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  let best = 0;
  let bestCount = -1;
  for (const [d, c] of counts) if (c > bestCount || (c === bestCount && d < best)) [best, bestCount] = [d, c];
  return best;
}

/** The events a counter counted in (from, to]: the increments that end there, a reset counting its new value. */
export function increase(series: Series, from: number, to: number): number {
  const { t, v } = series;
  let sum = 0;
  for (let k = 1; k < t.length; k++) {
    if (t[k]! <= from || t[k]! > to) continue;
    const d = v[k]! - v[k - 1]!;
    sum += d >= 0 ? d : v[k]!;
  }
  return sum;
}
