/**
 * The backtest: every SLO replayed on history as its evaluator would have
 * evaluated it, over the reported span (the last `days` of the history, or
 * all of it after the warm-up). History is read for that span plus the
 * longest window any of the SLO's tiers reads; nothing is reported from that
 * warm-up, and history too short for it is refused with the length needed.
 * An SLO the history holds nothing for is listed with why; one it holds only
 * part of is refused, never shown as a full result.
 */
import { DAY_MS, formatDuration } from "../contract/duration";
import { filterKey, type History, type Series } from "./history";
import { replayAlerts, type AlertTimeline } from "./alerts";
import { budgetSpan, rawAchieved, windowAchieved, type BudgetSpan } from "./budget";
import { cloudMonitoringFilters, replayCloudMonitoring } from "./cloudMonitoring";
import { rawFilterList, rawFiltersOf, replayCloudMonitoringRaw } from "./cloudMonitoringRaw";
import { notifications } from "./routing";
import { WINDOW_QUERY, matchedSeries, promIndicator, rawSliTimeline, sliSelectors, sloWindows, windowSeries, windowSliTimeline, type SliSelectors } from "./sli";
import { BacktestInputError, type BacktestResult, type Episode, type HistorySource, type NotEvaluated, type ReplaySlo, type RequestFilters, type SloResult } from "./types";

export interface BacktestOptions {
  /** Days to report, ending where the history ends. Default: all the history after the warm-up. */
  days?: number;
  /** Evaluate from the first point of the history, as promtool does: no warm-up, no length check (the conformance test). */
  fromHistoryStart?: boolean;
  /** Where the history ends (ms): the end of the queried range. Default: its last point; series that stop earlier are read as gone. */
  end?: number;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, "Z");
const name = (slo: Pick<ReplaySlo, "service" | "slo">) => `${slo.service}/${slo.slo}`;

/** What the replay of one SLO reads from the history. */
type Plan =
  | { slo: ReplaySlo; source: "raw series"; selectors: SliSelectors; series: Map<string, Series[]>; start: number; end: number; warmUpMs: number }
  | { slo: ReplaySlo; source: "window results"; start: number; end: number; warmUpMs: number }
  | { slo: ReplaySlo; source: "Cloud Monitoring burn rates"; start: number; end: number; warmUpMs: number }
  | { slo: ReplaySlo; source: "Cloud Monitoring raw metrics"; filters: RequestFilters; files: string[]; start: number; end: number; warmUpMs: number };

function span(series: readonly { t: Float64Array }[]): { start: number; end: number } {
  let start = Infinity;
  let end = -Infinity;
  for (const s of series) {
    if (s.t.length === 0) continue;
    start = Math.min(start, s.t[0]!);
    end = Math.max(end, s.t[s.t.length - 1]!);
  }
  return { start, end };
}

/** Decides, per SLO, what history it replays on; collects what cannot be evaluated and what is wrong with the input. */
function planSlo(slo: ReplaySlo, history: History, problems: string[]): Plan | NotEvaluated | undefined {
  const longest = Math.max(...slo.tiers.map((t) => t.longWindowMs));
  const skip = (reason: string): NotEvaluated => ({ service: slo.service, slo: slo.slo, evaluator: slo.evaluator, reason });
  if (slo.tiers.length === 0) return skip("it has no burn-rate tier to replay");
  if (slo.evaluator === "cloudMonitoring") {
    if (!slo.cloudMonitoringName) return skip("its Cloud Monitoring SLO name is unknown");
    const { burnRates } = cloudMonitoringFilters(slo);
    const found = burnRates.filter((f) => history.cloudMonitoring.has(f));
    if (found.length === 0) return planRaw(slo, history, problems, longest, burnRates[0]!);
    const missing = burnRates.filter((f) => !history.cloudMonitoring.has(f));
    if (missing.length > 0) {
      const files = history.cloudMonitoring.get(found[0]!)!.files.join(", ");
      problems.push(`${files}: ${missing[0]}: missing (expected every lookback ${name(slo)}'s tiers read: ${missing.length} of ${burnRates.length} not given)`);
      return undefined;
    }
    // Cloud Monitoring computes each lookback itself: the series need no warm-up of their own.
    return { slo, source: "Cloud Monitoring burn rates", ...span(found.map((f) => history.cloudMonitoring.get(f)!)), warmUpMs: 0 };
  }
  const indicator = promIndicator(slo.indicator);
  if (!indicator) return skip(`its ${slo.indicator.kind} indicator is not read from PromQL series`);
  const windows = windowSeries(slo, history);
  if (windows.found > 0) {
    if (windows.missing.length > 0) {
      problems.push(`history: ${windows.missing[0]}: missing (expected every window SLI of ${name(slo)}: ${windows.missing.length} of ${windows.found + windows.missing.length} not given; run the queries of --print-queries over the whole range)`);
      return undefined;
    }
    const ids = sloWindows(slo).flatMap((w) => [WINDOW_QUERY.errorRatio(slo, w), WINDOW_QUERY.totalRate(slo, w)]);
    return { slo, source: "window results", ...span(ids.map((id) => history.windows.get(id)!)), warmUpMs: 0 };
  }
  let selectors: SliSelectors;
  let series: Map<string, Series[]>;
  try {
    selectors = sliSelectors(indicator);
    series = matchedSeries(history, selectors);
  } catch (error) {
    return skip(`its SLI cannot be computed from raw series (${error instanceof Error ? error.message : String(error)}); give the window SLIs its queries return (--print-queries)`);
  }
  const needed = [selectors.total, selectors.good, selectors.within, selectors.all, selectors.boolGauge].filter((s): s is string => s !== undefined);
  const present = needed.filter((s) => series.get(s)!.length > 0);
  if (present.length === 0) return skip(`no history for it: expected query_range results of ${needed.join(" and ")}, or the window SLIs of --print-queries`);
  const lacking = needed.filter((s) => series.get(s)!.length === 0);
  if (lacking.length > 0) {
    const files = [...new Set(series.get(present[0]!)!.flatMap((s) => s.files))].join(", ");
    problems.push(`${files}: ${lacking[0]}: missing (expected the series ${name(slo)}'s SLI reads beside ${present[0]}, which is there)`);
    return undefined;
  }
  const all = [...series.values()].flat();
  return { slo, source: "raw series", selectors, series, ...span(all), warmUpMs: longest };
}

/** A Cloud Monitoring SLO without burn-rate series (a new one): from the raw metrics its SLI reads, when they are given. */
function planRaw(slo: ReplaySlo, history: History, problems: string[], longest: number, burnRate: string): Plan | NotEvaluated | undefined {
  const skip = (reason: string): NotEvaluated => ({ service: slo.service, slo: slo.slo, evaluator: slo.evaluator, reason });
  const existing = `expected timeSeries.list responses of ${burnRate} and its other lookbacks`;
  const filters = rawFiltersOf(slo);
  if ("unsupported" in filters) return skip(`no Cloud Monitoring history for it: ${existing} (a new SLO has none, and ${filters.unsupported})`);
  const list = rawFilterList(filters);
  const metrics = history.cloudMonitoringMetrics ?? new Map();
  const present = list.filter((f) => metrics.has(filterKey(f)));
  if (present.length === 0) {
    return skip(`no Cloud Monitoring history for it: ${existing}, or (a new SLO) of the raw metrics its SLI reads, aligned per minute: ${list.join(" and ")} (--print-queries prints the requests)`);
  }
  const files = [...new Set(present.flatMap((f) => metrics.get(filterKey(f))!.files))];
  const lacking = list.filter((f) => !metrics.has(filterKey(f)));
  if (lacking.length > 0) {
    problems.push(`${files.join(", ")}: ${lacking[0]}: missing (expected the metric ${name(slo)}'s SLI reads beside ${present[0]}, which is there; a filter that matched nothing needs its response with the request's interval)`);
    return undefined;
  }
  let start = Infinity;
  let end = -Infinity;
  for (const f of list) {
    const m = metrics.get(filterKey(f))!;
    // A point ending at t counts the minute before it; the request's interval, when known, is the span read.
    const first = m.from ?? (m.t.length > 0 ? m.t[0]! - slo.evaluationIntervalMs : Infinity);
    const last = m.to ?? (m.t.length > 0 ? m.t[m.t.length - 1]! : -Infinity);
    start = Math.min(start, first);
    end = Math.max(end, last);
  }
  // The lookbacks are summed here from per-minute counts: the longest needs its warm-up.
  return { slo, source: "Cloud Monitoring raw metrics", filters, files, start, end, warmUpMs: longest };
}

/** Evaluation times: every `interval` (aligned to multiples of it) from `from` to `to`. */
function ticks(from: number, to: number, interval: number): Float64Array {
  const first = Math.ceil(from / interval) * interval;
  const n = Math.max(0, Math.floor((to - first) / interval) + 1);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = first + i * interval;
  return out;
}

function episodes(alerts: readonly AlertTimeline[], firstTick: number, to: number): Episode[] {
  return alerts
    .flatMap((alert) =>
      alert.firing
        .filter((f) => f.start <= to)
        .map((f): Episode => ({
          severity: alert.severity,
          tier: alert.tier,
          start: iso(f.start),
          end: f.end === undefined || f.end > to ? null : iso(f.end),
          ...(f.start === firstTick ? { firingAtStart: true } : {}),
        })),
    )
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}

function figures(slo: ReplaySlo, errorRatio: number | undefined): Pick<SloResult, "achieved" | "budgetSpent"> {
  if (errorRatio === undefined) return { achieved: null, budgetSpent: null };
  return { achieved: (1 - errorRatio) * 100, budgetSpent: errorRatio / slo.budget };
}

const NOT_VERIFIED_GRAFANA = "Grafana-managed alerting replayed with Prometheus' rule semantics; not verified against a Grafana server";

/** Replays every SLO on the history. Throws {@link BacktestInputError} for history that is incomplete or too short. */
export function backtest(slos: readonly ReplaySlo[], history: History, options: BacktestOptions = {}): BacktestResult {
  const problems: string[] = [];
  const notEvaluated: NotEvaluated[] = [];
  const plans: Plan[] = [];
  for (const slo of slos) {
    const planned = planSlo(slo, history, problems);
    if (planned === undefined) continue;
    if ("source" in planned) plans.push(planned);
    else notEvaluated.push(planned);
  }
  if (problems.length > 0) throw new BacktestInputError(problems);
  if (plans.length === 0) {
    return { from: "", to: "", warmUpFrom: "", slos: [], notEvaluated };
  }
  const end = options.end ?? Math.max(...plans.map((p) => p.end));
  let from: number;
  if (options.fromHistoryStart) from = Math.min(...plans.map((p) => p.start));
  else if (options.days !== undefined) from = end - options.days * DAY_MS;
  else from = Math.max(...plans.map((p) => p.start + p.warmUpMs));
  if (!options.fromHistoryStart) {
    const short = plans.filter((p) => p.start > from - p.warmUpMs || from >= end);
    if (short.length > 0) {
      throw new BacktestInputError(
        short.map((p) => {
          const reported = options.days !== undefined ? `the ${formatDuration(options.days * DAY_MS)} reported` : "a reported span after it";
          const files = p.source === "raw series" ? [...new Set([...p.series.values()].flat().flatMap((s) => s.files))].join(", ") : p.source === "Cloud Monitoring raw metrics" ? p.files.join(", ") : "history";
          return `${files}: ${name(p.slo)}: too short (got ${formatDuration(Math.max(0, p.end - p.start))} from ${iso(p.start)} to ${iso(p.end)}, expected at least ${formatDuration((options.days ?? 0) * DAY_MS + p.warmUpMs) || "more than 0s"}: ${reported} and ${formatDuration(p.warmUpMs) || "no"} warm-up for the longest window its tiers read)`;
        }),
      );
    }
  }
  const warmUpFrom = Math.min(...plans.map((p) => (options.fromHistoryStart ? p.start : from - p.warmUpMs)));
  const results: SloResult[] = plans.map((p) => replayOne(p, history, from, end, options));
  return { from: iso(from), to: iso(end), warmUpFrom: iso(warmUpFrom), slos: results, notEvaluated };
}

function replayOne(p: Plan, history: History, from: number, end: number, options: BacktestOptions): SloResult {
  const slo = p.slo;
  const interval = slo.evaluationIntervalMs;
  const sliFrom = options.fromHistoryStart ? p.start : from - p.warmUpMs;
  const ts = ticks(sliFrom, end, interval);
  let alertFrom = 0;
  while (alertFrom < ts.length && ts[alertFrom]! < from) alertFrom++;
  const span: BudgetSpan = budgetSpan(slo, from, end);
  let alerts: AlertTimeline[];
  let errorRatio: number | undefined;
  const extra: Pick<SloResult, "approximate" | "notVerified"> = {};
  let budgetFrom = span.from;
  if (p.source === "Cloud Monitoring burn rates" || p.source === "Cloud Monitoring raw metrics") {
    const replay = p.source === "Cloud Monitoring raw metrics" ? replayCloudMonitoringRaw(slo, p.filters, history, ts, alertFrom, span) : replayCloudMonitoring(slo, history, ts, alertFrom, span);
    alerts = replay.alerts;
    errorRatio = replay.errorRatio;
    budgetFrom = replay.budgetFrom;
    if (replay.approximate) extra.approximate = replay.approximate;
  } else {
    const sli = p.source === "raw series" ? rawSliTimeline(slo, p.selectors, p.series, ts) : windowSliTimeline(slo, history, ts);
    alerts = replayAlerts(slo, sli, ts, alertFrom);
    errorRatio = (p.source === "raw series" ? rawAchieved(slo, p.selectors, p.series, span, sli, ts) : windowAchieved(slo, sli, ts, span)).errorRatio;
    if (slo.evaluator === "grafana") extra.notVerified = NOT_VERIFIED_GRAFANA;
  }
  const source: HistorySource = p.source;
  return {
    service: slo.service,
    slo: slo.slo,
    evaluator: slo.evaluator,
    objective: slo.objective,
    source,
    ...figures(slo, errorRatio),
    budgetSpan: { from: iso(budgetFrom), to: iso(span.to), wholeWindow: budgetFrom <= span.to - slo.windowMs || span.wholeWindow },
    episodes: episodes(alerts, ts[alertFrom] ?? end, end),
    notifications: notifications(slo, alerts, from, end),
    ...extra,
  };
}
