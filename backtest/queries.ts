/**
 * Prometheus history, live: per SLO one `query_range` of every tier window's
 * SLI expression (the expressions the recording rules evaluate, written
 * inline) and of its metrics-absent condition, each result series marked with
 * the `backtest` label, evaluated at the SLO's evaluation interval over the
 * reported span, in chunks under query_range's 11,000 points per series. The
 * server computes rate() and every window itself (so its history must reach
 * back the longest window before the span); the backtest applies thresholds,
 * `for` and the guard. The same queries can be printed for a CI step, and
 * their saved responses read back as history files.
 */
import { formatDuration } from "../contract/duration";
import { errorRatioExpr, requiredSeries, sliceBadExpr, totalRateExpr } from "../components/prometheus/sliRecordings";
import { promDuration } from "../components/prometheus/promql";
import { QUERY_LABEL, parseHistory, type History, type HistoryDocument } from "./history";
import { BacktestInputError } from "./types";
import { WINDOW_QUERY, promIndicator, sloWindows } from "./sli";
import type { ReplaySlo } from "./types";

/** query_range refuses more than 11,000 points per series; each chunk stays under 10,000 steps. */
export const MAX_STEPS_PER_QUERY = 10_000;

export interface RangeQuery {
  /** `<service>/<slo>`. */
  slo: string;
  query: string;
  /** Unix seconds. */
  start: number;
  end: number;
  /** Seconds. */
  step: number;
}

function marked(expr: string, id: string): string {
  return `label_replace(${expr}, "${QUERY_LABEL}", "${id}", "", "")`;
}

/** The one PromQL query of an SLO: every window's error ratio and traffic, and its metrics-absent condition; undefined when it reads no PromQL. */
export function sloQuery(slo: ReplaySlo): string | undefined {
  const indicator = promIndicator(slo.indicator);
  if (!indicator || slo.evaluator === "cloudMonitoring") return undefined;
  const step = formatDuration(slo.evaluationIntervalMs);
  const budgeting = slo.budgeting;
  const parts = sloWindows(slo).flatMap((ms) => {
    const window = promDuration(ms);
    const errorRatio =
      budgeting.method === "timeslices" ? `avg_over_time((${sliceBadExpr(indicator, budgeting.sliceMs, budgeting.sliceTarget)})[${window}:${step}])` : `(${errorRatioExpr(indicator, window)})`;
    return [marked(errorRatio, WINDOW_QUERY.errorRatio(slo, ms)), marked(`(${totalRateExpr(indicator, window)})`, WINDOW_QUERY.totalRate(slo, ms))];
  });
  const absent = `count(${requiredSeries(indicator, promDuration(sloWindows(slo)[0]!)).map((s) => `absent(${s})`).join(" or ")})`;
  return [...parts, marked(absent, WINDOW_QUERY.absent(slo))].join("\nor\n");
}

/** The queries for the span [from, to] (ms), chunked; evaluation times aligned to multiples of the interval. */
export function rangeQueries(slos: readonly ReplaySlo[], from: number, to: number): RangeQuery[] {
  return slos.flatMap((slo) => {
    const query = sloQuery(slo);
    if (query === undefined) return [];
    const step = slo.evaluationIntervalMs;
    const first = Math.ceil(from / step) * step;
    const out: RangeQuery[] = [];
    for (let start = first; start <= to; start += MAX_STEPS_PER_QUERY * step) {
      const end = Math.min(to, start + (MAX_STEPS_PER_QUERY - 1) * step);
      out.push({ slo: `${slo.service}/${slo.slo}`, query, start: start / 1000, end: Math.floor(end / step) * (step / 1000), step: step / 1000 });
    }
    return out;
  });
}

export interface LiveOptions {
  url: string;
  /** Request headers, e.g. Authorization. */
  headers: Record<string, string>;
  /** Requests side by side. */
  concurrency?: number;
  fetchImpl?: typeof fetch;
}

/** Runs the queries against a Prometheus-compatible API; the responses become history (and are returned, to be saved). Throws with one line on a failed request. */
export async function fetchHistory(queries: readonly RangeQuery[], options: LiveOptions): Promise<{ history: History; documents: HistoryDocument[] }> {
  const base = options.url.replace(/\/+$/, "");
  const doFetch = options.fetchImpl ?? fetch;
  const documents: HistoryDocument[] = new Array(queries.length);
  let next = 0;
  const worker = async () => {
    while (next < queries.length) {
      const index = next++;
      const q = queries[index]!;
      const body = new URLSearchParams({ query: q.query, start: String(q.start), end: String(q.end), step: String(q.step) });
      const where = `${base}/api/v1/query_range (${q.slo}, ${new Date(q.start * 1000).toISOString()} to ${new Date(q.end * 1000).toISOString()})`;
      let response: Response;
      try {
        response = await doFetch(`${base}/api/v1/query_range`, { method: "POST", body, headers: { "Content-Type": "application/x-www-form-urlencoded", ...options.headers } });
      } catch (error) {
        throw new BacktestInputError([`${where}: (request): failed (got ${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}, expected a Prometheus query API)`]);
      }
      const text = await response.text();
      if (!response.ok) throw new BacktestInputError([`${where}: (response): HTTP ${response.status} (got ${text.slice(0, 200).replace(/\s+/g, " ")}, expected 200)`]);
      documents[index] = { file: where, text };
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 2) }, worker));
  return { history: parseHistory(documents, { allowEmpty: true }), documents };
}

/** `Name: value` headers; a value `${VAR}` is read from the environment, so secrets stay out of the command line. */
export function parseHeaders(lines: readonly string[], env: NodeJS.ProcessEnv = process.env): { headers: Record<string, string>; problems: string[] } {
  const headers: Record<string, string> = {};
  const problems: string[] = [];
  for (const line of lines) {
    const match = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(line);
    if (!match) {
      problems.push(`--header: invalid value (got ${JSON.stringify(line.replace(/:.*/, ": …"))}, expected "Name: value")`);
      continue;
    }
    const value = match[2]!.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) => {
      const found = env[name];
      if (found === undefined || found === "") problems.push(`--header ${match[1]}: \${${name}} is not set (expected the environment variable to hold the value)`);
      return found ?? whole;
    });
    headers[match[1]!] = value;
  }
  return { headers, problems };
}
