/**
 * History files, read and checked: Prometheus `query_range` responses (raw
 * series an SLI reads, or the window SLIs the backtest's own queries return,
 * told apart by the `backtest` label those queries add) and Cloud Monitoring
 * `timeSeries.list` responses with the filter that asked for them. Every
 * problem is one line naming the file, where in it, and what was expected;
 * a file that fails is never half read.
 */
import { readFileSync } from "node:fs";
import { BacktestInputError } from "./types";

/** The label the backtest's own queries put on each result series: `<service>/<slo>/<what>/<window>`. */
export const QUERY_LABEL = "backtest";

/** One series, its points in time order (milliseconds since the epoch). */
export interface Series {
  labels: Record<string, string>;
  t: Float64Array;
  v: Float64Array;
  /** The files it came from, for messages. */
  files: string[];
}

/** A Cloud Monitoring series of one selector (`select_slo_burn_rate(...)`), one value per point's end time. */
export interface CloudMonitoringSeries {
  filter: string;
  /** The SLO's goal (0–1) when the series were read, which the burn rates are relative to. */
  goal: number;
  t: Float64Array;
  v: Float64Array;
  files: string[];
}

/**
 * A raw Cloud Monitoring metric (`metric.type="..." AND ...`), read per
 * alignment period (ALIGN_DELTA, or ALIGN_RATE: a ratio of two alike is the
 * same), every series of the filter summed at each point's end time.
 */
export interface CloudMonitoringMetric {
  filter: string;
  t: Float64Array;
  v: Float64Array;
  /** The span the request read (its interval), when the document says it: a filter that matched nothing still covers it. */
  from?: number;
  to?: number;
  files: string[];
}

export interface History {
  /** Raw series (no `backtest` label), merged across files. */
  raw: Series[];
  /** The backtest's own query results, by their `backtest` label. */
  windows: Map<string, Series>;
  /** Cloud Monitoring series by filter. */
  cloudMonitoring: Map<string, CloudMonitoringSeries>;
  /** Raw Cloud Monitoring metrics by filter (whitespace collapsed), for SLOs recomputed from them. */
  cloudMonitoringMetrics?: Map<string, CloudMonitoringMetric>;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** A filter as a key: runs of whitespace as one space, trimmed. */
export function filterKey(filter: string): string {
  return filter.replace(/\s+/g, " ").trim();
}

const EXPECTED_DOCUMENT = "expected a Prometheus query_range response (status, data.resultType matrix, data.result) or a Cloud Monitoring timeSeries.list response with its filter and goal";

/** Identity of a label set: sorted name=value pairs. */
export function labelKey(labels: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function got(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export interface RawPoints {
  labels: Record<string, string>;
  t: number[];
  v: number[];
}

/** JSON whitespace. */
const WS = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;

/** Parses one Prometheus sample value: a number as text, NaN and ±Inf included. */
function sampleValue(text: unknown): number | undefined {
  if (typeof text !== "string") return undefined;
  const value = Number(text);
  if (Number.isFinite(value) && text.length > 0 && !WS(text.charCodeAt(0))) return value;
  if (text === "NaN") return NaN;
  if (text === "+Inf" || text === "Inf") return Infinity;
  if (text === "-Inf") return -Infinity;
  return undefined;
}

/**
 * A fast path for the usual query_range response, as Prometheus writes it
 * (`"metric"` before `"values"`, values as `[seconds,"value"]`): the points
 * are scanned from the text without building an array per point. Returns
 * undefined at anything else, and the document is read the careful way, with
 * its messages.
 */
export function scanQueryRange(text: string): RawPoints[] | undefined {
  if (!/"status"\s*:\s*"success"/.test(text.slice(0, 200)) || !/"resultType"\s*:\s*"matrix"/.test(text.slice(0, 300))) return undefined;
  let i = text.indexOf('"result"');
  if (i < 0) return undefined;
  i = text.indexOf("[", i);
  const out: RawPoints[] = [];
  const skip = () => {
    while (i < text.length && WS(text.charCodeAt(i))) i++;
  };
  i++;
  for (;;) {
    skip();
    if (text[i] === "]") break;
    if (text[i] === ",") {
      i++;
      continue;
    }
    if (text[i] !== "{") return undefined;
    const metricAt = text.indexOf('"metric"', i);
    const open = text.indexOf("{", metricAt + 8);
    if (metricAt < 0 || open < 0 || text.slice(i + 1, metricAt).trim() !== "") return undefined;
    // The label set's closing brace, outside strings.
    let j = open + 1;
    for (let inString = false; j < text.length; j++) {
      const c = text[j];
      if (inString) {
        if (c === "\\") j++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === "}") break;
    }
    let labels: Record<string, string>;
    try {
      labels = JSON.parse(text.slice(open, j + 1)) as Record<string, string>;
    } catch {
      return undefined;
    }
    if (Object.values(labels).some((v) => typeof v !== "string")) return undefined;
    i = j + 1;
    skip();
    if (text[i] !== ",") return undefined;
    i++;
    skip();
    if (!text.startsWith('"values"', i)) return undefined;
    i += 8;
    skip();
    if (text[i] !== ":") return undefined;
    i++;
    skip();
    if (text[i] !== "[") return undefined;
    i++;
    const t: number[] = [];
    const v: number[] = [];
    for (;;) {
      skip();
      if (text[i] === "]") {
        i++;
        break;
      }
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] !== "[") return undefined;
      const comma = text.indexOf(",", i);
      let quote = comma + 1;
      while (WS(text.charCodeAt(quote))) quote++;
      const close = text.indexOf('"', quote + 1);
      let end = close + 1;
      while (WS(text.charCodeAt(end))) end++;
      if (comma < 0 || close < 0 || text.charCodeAt(quote) !== 34 || text.charCodeAt(end) !== 93) return undefined;
      const seconds = Number(text.slice(i + 1, comma));
      const value = sampleValue(text.slice(quote + 1, close));
      if (!Number.isFinite(seconds) || value === undefined) return undefined;
      const ms = Math.round(seconds * 1000);
      if (t.length > 0 && ms <= t[t.length - 1]!) return undefined;
      t.push(ms);
      v.push(value);
      i = end + 1;
    }
    skip();
    if (text[i] !== "}" || t.length === 0) return undefined;
    i++;
    out.push({ labels, t, v });
  }
  return out.length > 0 ? out : undefined;
}

function readQueryRange(file: string, doc: Record<string, unknown>, allowEmpty: boolean): RawPoints[] {
  if (doc["status"] !== undefined && doc["status"] !== "success") {
    throw new BacktestInputError([`${file}: status: invalid value (got ${got(doc["status"])}${doc["error"] ? `, error ${got(doc["error"])}` : ""}, expected "success": the query failed)`]);
  }
  const data = doc["data"];
  if (!isObject(data)) throw new BacktestInputError([`${file}: data: missing (${EXPECTED_DOCUMENT})`]);
  if (data["resultType"] !== "matrix") {
    throw new BacktestInputError([`${file}: data.resultType: invalid value (got ${got(data["resultType"])}, expected "matrix": the response of a query_range request, not of an instant query)`]);
  }
  const result = data["result"];
  if (!Array.isArray(result)) throw new BacktestInputError([`${file}: data.result: invalid value (got ${got(result)}, expected a list of series)`]);
  if (result.length === 0 && !allowEmpty) {
    throw new BacktestInputError([`${file}: data.result: empty (got no series, expected at least one: the query matched nothing over its range)`]);
  }
  return result.map((entry, i) => {
    const at = `data.result[${i}]`;
    if (!isObject(entry) || !isObject(entry["metric"]) || !Array.isArray(entry["values"])) {
      throw new BacktestInputError([`${file}: ${at}: invalid value (got ${got(entry)}, expected {metric: {labels}, values: [[unix seconds, "value"], ...]})`]);
    }
    const labels: Record<string, string> = {};
    for (const [name, value] of Object.entries(entry["metric"])) {
      if (typeof value !== "string") throw new BacktestInputError([`${file}: ${at}.metric.${name}: invalid value (got ${got(value)}, expected a label value as a string)`]);
      labels[name] = value;
    }
    const values = entry["values"] as unknown[];
    if (values.length === 0) throw new BacktestInputError([`${file}: ${at}.values: empty (got no points, expected the series' values over the range)`]);
    const t: number[] = new Array<number>(values.length);
    const v: number[] = new Array<number>(values.length);
    for (let j = 0; j < values.length; j++) {
      const point = values[j];
      const ts = Array.isArray(point) ? (point[0] as unknown) : undefined;
      const value = Array.isArray(point) && point.length === 2 ? sampleValue(point[1]) : undefined;
      if (typeof ts !== "number" || !Number.isFinite(ts) || value === undefined) {
        throw new BacktestInputError([`${file}: ${at}.values[${j}]: invalid value (got ${got(point)}, expected [unix seconds, "value"])`]);
      }
      const ms = Math.round(ts * 1000);
      if (j > 0 && ms <= t[j - 1]!) {
        throw new BacktestInputError([`${file}: ${at}.values[${j}]: invalid value (got time ${ts} after ${t[j - 1]! / 1000}, expected points in increasing time order)`]);
      }
      t[j] = ms;
      v[j] = value;
    }
    return { labels, t, v };
  });
}

interface RawCloudMonitoring {
  filter: string;
  goal: number;
  t: number[];
  v: number[];
}

function timeOf(text: unknown): number | undefined {
  if (typeof text !== "string") return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}

function readTimeSeriesList(file: string, doc: Record<string, unknown>): RawCloudMonitoring {
  const filter = doc["filter"];
  if (typeof filter !== "string" || !/^select_slo_[a-z_]+\(/.test(filter)) {
    throw new BacktestInputError([`${file}: filter: invalid value (got ${got(filter)}, expected the timeSeries.list filter that read the series, e.g. select_slo_burn_rate("projects/P/services/S/serviceLevelObjectives/O", "3600s"), or a metric filter metric.type="..." AND ...)`]);
  }
  const goal = doc["goal"];
  if (typeof goal !== "number" || !(goal > 0 && goal < 1)) {
    throw new BacktestInputError([`${file}: goal: invalid value (got ${got(goal)}, expected the SLO's goal when the series were read, between 0 and 1, e.g. 0.995)`]);
  }
  const list = doc["timeSeries"];
  if (!Array.isArray(list)) throw new BacktestInputError([`${file}: timeSeries: invalid value (got ${got(list)}, expected the list of a timeSeries.list response)`]);
  if (list.length === 0) throw new BacktestInputError([`${file}: timeSeries: empty (got no series, expected the series of ${filter} over the range)`]);
  if (list.length > 1) throw new BacktestInputError([`${file}: timeSeries: invalid value (got ${list.length} series, expected one: an SLO selector returns one series)`]);
  const series = list[0];
  if (!isObject(series) || !Array.isArray(series["points"])) throw new BacktestInputError([`${file}: timeSeries[0].points: missing (expected the series' points)`]);
  const points = (series["points"] as unknown[]).map((point, j) => {
    const end = isObject(point) && isObject(point["interval"]) ? timeOf(point["interval"]["endTime"]) : undefined;
    const raw = isObject(point) && isObject(point["value"]) ? point["value"]["doubleValue"] ?? point["value"]["int64Value"] : undefined;
    const value = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : NaN;
    if (end === undefined || !Number.isFinite(value)) {
      throw new BacktestInputError([`${file}: timeSeries[0].points[${j}]: invalid value (got ${got(point)}, expected {interval: {endTime}, value: {doubleValue}})`]);
    }
    return { t: end, v: value };
  });
  // timeSeries.list returns the newest point first.
  points.sort((a, b) => a.t - b.t);
  return { filter, goal, t: points.map((p) => p.t), v: points.map((p) => p.v) };
}

/** A point's value: int64Value (a string in JSON) or doubleValue; NaN for anything else. */
function pointValue(point: unknown): number {
  const raw = isObject(point) && isObject(point["value"]) ? point["value"]["int64Value"] ?? point["value"]["doubleValue"] : undefined;
  return typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : NaN;
}

/**
 * A timeSeries.list response of a raw metric filter, with the `filter` added
 * (and, best, the request's `interval`): every series summed at each end
 * time. A filter that matched nothing (no events of that kind) needs the
 * interval, which says what span it covers.
 */
function readMetricList(file: string, doc: Record<string, unknown>): CloudMonitoringMetric {
  const filter = doc["filter"] as string;
  let from: number | undefined;
  let to: number | undefined;
  if (doc["interval"] !== undefined) {
    const interval = doc["interval"];
    from = isObject(interval) ? timeOf(interval["startTime"]) : undefined;
    to = isObject(interval) ? timeOf(interval["endTime"]) : undefined;
    if (from === undefined || to === undefined || !(from < to)) {
      throw new BacktestInputError([`${file}: interval: invalid value (got ${got(interval)}, expected the request's {startTime, endTime}, ISO 8601, start before end)`]);
    }
  }
  const list = doc["timeSeries"] ?? [];
  if (!Array.isArray(list)) throw new BacktestInputError([`${file}: timeSeries: invalid value (got ${got(list)}, expected the list of a timeSeries.list response)`]);
  if (list.length === 0 && from === undefined) {
    throw new BacktestInputError([`${file}: timeSeries: empty (got no series, expected the series of ${filter} over the range, or the request's interval to say it matched nothing there)`]);
  }
  const sums = new Map<number, number>();
  list.forEach((series, i) => {
    if (!isObject(series) || !Array.isArray(series["points"])) throw new BacktestInputError([`${file}: timeSeries[${i}].points: missing (expected the series' points)`]);
    if (series["valueType"] === "DISTRIBUTION") {
      throw new BacktestInputError([`${file}: timeSeries[${i}].valueType: invalid value (got "DISTRIBUTION", expected counts: INT64 or DOUBLE, aligned with ALIGN_DELTA)`]);
    }
    (series["points"] as unknown[]).forEach((point, j) => {
      const end = isObject(point) && isObject(point["interval"]) ? timeOf(point["interval"]["endTime"]) : undefined;
      const value = pointValue(point);
      if (end === undefined || !Number.isFinite(value) || value < 0) {
        throw new BacktestInputError([`${file}: timeSeries[${i}].points[${j}]: invalid value (got ${got(point)}, expected {interval: {endTime}, value: {int64Value or doubleValue}}, a count of 0 or more)`]);
      }
      sums.set(end, (sums.get(end) ?? 0) + value);
    });
  });
  const t = [...sums.keys()].sort((a, b) => a - b);
  return { filter, t: Float64Array.from(t), v: Float64Array.from(t.map((x) => sums.get(x)!)), files: [file], ...(from !== undefined ? { from, to } : {}) };
}

/** A history document: its name for messages (a file, or a query) and its JSON text. */
export interface HistoryDocument {
  file: string;
  text: string;
}

/** Reads history files; throws {@link BacktestInputError} with one line per bad file. */
export function readHistory(files: readonly string[]): History {
  const problems: string[] = [];
  const documents: HistoryDocument[] = [];
  for (const file of files) {
    try {
      documents.push({ file, text: readFileSync(file, "utf8") });
    } catch (error) {
      problems.push(`${file}: (file): cannot read (got ${(error as NodeJS.ErrnoException).code ?? "an error"}, expected a history file)`);
    }
  }
  if (problems.length > 0) throw new BacktestInputError(problems);
  return parseHistory(documents);
}

/**
 * Parses history documents; throws {@link BacktestInputError} with one line
 * per bad document. `allowEmpty`: a query_range chunk that matched nothing is
 * no error (live queries, where one chunk of the range may hold no data).
 */
export function parseHistory(documents: readonly HistoryDocument[], options: { allowEmpty?: boolean } = {}): History {
  const problems: string[] = [];
  const raw = new Map<string, { labels: Record<string, string>; parts: { t: number[]; v: number[] }[]; files: string[] }>();
  const cm = new Map<string, { goal: number; parts: { t: number[]; v: number[] }[]; files: string[] }>();
  const metrics: CloudMonitoringMetric[] = [];
  const addRaw = (file: string, list: readonly RawPoints[]) => {
    for (const series of list) {
      const key = labelKey(series.labels);
      const entry = raw.get(key) ?? { labels: series.labels, parts: [], files: [] };
      entry.parts.push(series);
      if (!entry.files.includes(file)) entry.files.push(file);
      raw.set(key, entry);
    }
  };
  for (const { file, text } of documents) {
    const scanned = scanQueryRange(text);
    if (scanned) {
      addRaw(file, scanned);
      continue;
    }
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (error) {
      problems.push(`${file}: (json): invalid JSON (${error instanceof Error ? error.message : String(error)}; ${EXPECTED_DOCUMENT})`);
      continue;
    }
    try {
      if (!isObject(doc)) throw new BacktestInputError([`${file}: (document): invalid value (got ${got(doc)}, ${EXPECTED_DOCUMENT})`]);
      if (typeof doc["filter"] === "string" && !/^\s*select_slo_/.test(doc["filter"]) && /\bmetric\.type\s*=/.test(doc["filter"])) {
        metrics.push(readMetricList(file, doc));
      } else if ("timeSeries" in doc || "filter" in doc) {
        const series = readTimeSeriesList(file, doc);
        const entry = cm.get(series.filter) ?? { goal: series.goal, parts: [], files: [] };
        if (entry.goal !== series.goal) {
          throw new BacktestInputError([`${file}: goal: invalid value (got ${series.goal}, expected ${entry.goal} as in ${entry.files[0]}: one SLO, one goal)`]);
        }
        entry.parts.push(series);
        entry.files.push(file);
        cm.set(series.filter, entry);
      } else if ("data" in doc || "status" in doc) {
        addRaw(file, readQueryRange(file, doc, options.allowEmpty === true));
      } else {
        throw new BacktestInputError([`${file}: (document): invalid value (got an object with ${Object.keys(doc).slice(0, 4).join(", ") || "no keys"}, ${EXPECTED_DOCUMENT})`]);
      }
    } catch (error) {
      if (error instanceof BacktestInputError) problems.push(...error.lines);
      else throw error;
    }
  }
  // Responses of one filter are summed (pages of one request): two requests over overlapping spans would count twice.
  metrics.forEach((m, i) => {
    const other = metrics.slice(0, i).find((o) => filterKey(o.filter) === filterKey(m.filter) && o.from !== undefined && m.from !== undefined && (o.from !== m.from || o.to !== m.to) && o.from < m.to! && m.from! < o.to!);
    if (other) problems.push(`${m.files[0]}: interval: invalid value (got ${iso(m.from!)} to ${iso(m.to!)}, overlapping ${iso(other.from!)} to ${iso(other.to!)} of ${other.files[0]} for the same filter, expected the pages of one request or spans that do not overlap)`);
  });
  if (problems.length > 0) throw new BacktestInputError(problems);
  const history: History = { raw: [], windows: new Map(), cloudMonitoring: new Map() };
  for (const { labels, parts, files: from } of raw.values()) {
    const { t, v } = mergeParts(parts);
    const series: Series = { labels, t, v, files: from };
    const id = labels[QUERY_LABEL];
    if (id !== undefined) history.windows.set(id, series);
    else history.raw.push(series);
  }
  for (const [filter, { goal, parts, files: from }] of cm) {
    const { t, v } = mergeParts(parts);
    history.cloudMonitoring.set(filter, { filter, goal, t, v, files: from });
  }
  if (metrics.length > 0) history.cloudMonitoringMetrics = mergeMetrics(metrics);
  return history;
}

/** Responses of one filter (pages, or spans read apart) joined: points summed by end time, the widest interval kept. */
export function mergeMetrics(list: readonly CloudMonitoringMetric[], into: Map<string, CloudMonitoringMetric> = new Map()): Map<string, CloudMonitoringMetric> {
  for (const m of list) {
    const key = filterKey(m.filter);
    const had = into.get(key);
    if (!had) {
      into.set(key, { ...m, filter: key });
      continue;
    }
    const sums = new Map<number, number>();
    for (const s of [had, m]) s.t.forEach((t, k) => sums.set(t, (sums.get(t) ?? 0) + s.v[k]!));
    const t = [...sums.keys()].sort((a, b) => a - b);
    const from = had.from !== undefined && m.from !== undefined ? Math.min(had.from, m.from) : had.from ?? m.from;
    const to = had.to !== undefined && m.to !== undefined ? Math.max(had.to, m.to) : had.to ?? m.to;
    into.set(key, { filter: key, t: Float64Array.from(t), v: Float64Array.from(t.map((x) => sums.get(x)!)), files: [...had.files, ...m.files.filter((f) => !had.files.includes(f))], ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) });
  }
  return into;
}

/** Chunks of one series (query_range requests split by the points-per-series limit) joined in time order; a time read twice keeps one point. */
function mergeParts(parts: readonly { t: number[]; v: number[] }[]): { t: Float64Array; v: Float64Array } {
  if (parts.length === 1) return { t: Float64Array.from(parts[0]!.t), v: Float64Array.from(parts[0]!.v) };
  // Each chunk is in time order: merge them by their first times, interleaving only where they overlap.
  const ordered = [...parts].sort((a, b) => (a.t[0] ?? 0) - (b.t[0] ?? 0));
  const size = ordered.reduce((n, part) => n + part.t.length, 0);
  const t = new Float64Array(size);
  const v = new Float64Array(size);
  let n = 0;
  for (const part of ordered) {
    for (let k = 0; k < part.t.length; k++) {
      const time = part.t[k]!;
      if (n > 0 && time <= t[n - 1]!) {
        if (time === t[n - 1]) continue;
        // An overlapping chunk: insert in place (rare: chunks of one request sequence do not overlap).
        let at = n - 1;
        while (at > 0 && t[at - 1]! > time) at--;
        if (t[at - 1] === time) continue;
        t.copyWithin(at + 1, at, n);
        v.copyWithin(at + 1, at, n);
        t[at] = time;
        v[at] = part.v[k]!;
        n++;
        continue;
      }
      t[n] = time;
      v[n] = part.v[k]!;
      n++;
    }
  }
  return { t: t.slice(0, n), v: v.slice(0, n) };
}
