/**
 * The SLI achieved and the share of the error budget spent over the budget
 * span: the SLO's window ending where the history ends (a calendar period
 * from its UTC start), or the part of it the reported span covers. From raw
 * series, events are counted (a counter's increments, a reset counting its
 * new value); from window SLIs, the shortest window's ratio and traffic are
 * summed over consecutive windows; timeslices count bad slices.
 */
import { DAY_MS } from "../contract/duration";
import type { CalendarPeriod } from "../model/types";
import type { Series } from "./history";
import { increase } from "./promql";
import type { SliSelectors, SliTimeline } from "./sli";
import type { ReplaySlo } from "./types";

/** The start of the calendar period holding `t` (UTC; weeks from Monday; fortnights from Monday 1970-01-05, every other week). */
export function periodStart(period: CalendarPeriod, t: number): number {
  const d = new Date(t);
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  switch (period) {
    case "day":
      return day;
    case "month":
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    case "week":
      return day - ((d.getUTCDay() + 6) % 7) * DAY_MS;
    case "fortnight": {
      const monday = Date.UTC(1970, 0, 5);
      return day - ((((day - monday) / DAY_MS) % 14) + 14) % 14 * DAY_MS;
    }
  }
}

export interface BudgetSpan {
  from: number;
  to: number;
  /** Whether the span is the SLO's whole window (or the calendar period so far). */
  wholeWindow: boolean;
}

/** The SLO window ending at `end`, clipped to the reported span starting at `reportFrom`. */
export function budgetSpan(slo: Pick<ReplaySlo, "windowMs" | "calendarPeriod">, reportFrom: number, end: number): BudgetSpan {
  const windowFrom = slo.calendarPeriod ? periodStart(slo.calendarPeriod, end) : end - slo.windowMs;
  return { from: Math.max(windowFrom, reportFrom), to: end, wholeWindow: windowFrom >= reportFrom };
}

export interface Achieved {
  /** Share of bad events (or bad slices) over the span; undefined when nothing was counted. */
  errorRatio?: number;
}

const sumIncrease = (series: readonly Series[], from: number, to: number) => series.reduce((sum, s) => sum + increase(s, from, to), 0);

/** From raw series: bad events ÷ events over the span. Timeslices: bad slices ÷ slices, from the timeline. */
export function rawAchieved(slo: ReplaySlo, selectors: SliSelectors, series: Map<string, Series[]>, span: BudgetSpan, sli: SliTimeline, ts: Float64Array): Achieved {
  if (slo.budgeting.method === "timeslices") return sliceAchieved(slo, sli, ts, span);
  if (selectors.boolGauge !== undefined) {
    let samples = 0;
    let good = 0;
    for (const s of series.get(selectors.boolGauge)!) {
      for (let k = 0; k < s.t.length; k++) {
        if (s.t[k]! <= span.from || s.t[k]! > span.to) continue;
        samples += 1;
        good += s.v[k]!;
      }
    }
    return samples > 0 ? { errorRatio: (samples - good) / samples } : {};
  }
  let total: number;
  let bad: number;
  if (selectors.all !== undefined) {
    total = sumIncrease(series.get(selectors.all)!, span.from, span.to);
    bad = total - sumIncrease(series.get(selectors.within!)!, span.from, span.to);
  } else {
    total = sumIncrease(series.get(selectors.total!)!, span.from, span.to);
    bad = selectors.bad !== undefined ? sumIncrease(series.get(selectors.bad)!, span.from, span.to) : total - sumIncrease(series.get(selectors.good!)!, span.from, span.to);
  }
  return total > 0 ? { errorRatio: Math.min(1, Math.max(0, bad / total)) } : {};
}

/** Timeslices: the share of bad slices, from the shortest window's share sampled once per window. */
function sliceAchieved(slo: ReplaySlo, sli: SliTimeline, ts: Float64Array, span: BudgetSpan): Achieved {
  return windowAchieved(slo, sli, ts, span, false);
}

/**
 * From window SLIs: the shortest window's bad events (ratio × rate × window)
 * and events, summed over consecutive windows back from the span's end; with
 * timeslices, the average share of bad slices.
 */
export function windowAchieved(slo: ReplaySlo, sli: SliTimeline, ts: Float64Array, span: BudgetSpan, weighted = slo.budgeting.method === "occurrences"): Achieved {
  const shortest = Math.min(...sli.windows.keys());
  const w = sli.windows.get(shortest)!;
  let bad = 0;
  let total = 0;
  let j = ts.length - 1;
  for (let at = span.to; at - shortest >= span.from - 1; at -= shortest) {
    while (j >= 0 && ts[j]! > at) j--;
    if (j < 0) break;
    const e = w.errorRatio[j]!;
    const r = w.totalRate[j]!;
    if (Number.isNaN(e) || (weighted && Number.isNaN(r))) continue;
    const events = weighted ? r * (shortest / 1000) : 1;
    bad += e * events;
    total += events;
  }
  return total > 0 ? { errorRatio: Math.min(1, Math.max(0, bad / total)) } : {};
}
