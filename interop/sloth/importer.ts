/**
 * Sloth specs → imported SLOs: `version: prometheus/v1` files (snake_case)
 * and `sloth.slok.dev/v1` PrometheusServiceLevel objects (camelCase). Each
 * SLO's events (error and total queries with `{{.window}}`), raw error-ratio
 * query or published SLI plugin becomes a Prometheus indicator when its
 * meaning is exactly a ratio of counters (or, for a raw query, the error
 * ratio of a 0/1 gauge's samples: boolGauge); page and ticket alerts become the
 * SLO's alert switches. Sloth files carry no period: Sloth's default, 30d,
 * applies. Everything left behind (alert names, labels, SLO plugins) is a note.
 * AlertWindows documents are read in alertWindows.ts.
 */
import { describeValue, type Problem } from "../../contract/problems";
import type { IndicatorSpec, SloSpec } from "../../contract/serviceSchema";
import { unitOf, type ImportedSlo, type ImportOptions, type SloUnit } from "../declarations";
import { dnsLabel, docPath, docProblem, get, isObject, numberLike, type DocumentRef, type Json, type RawDocument } from "../documents";
import { guardMeaning, histogramThreshold, metricName, nonPromqlCalls, readCounterQuery, readOverTime, splitBinary, stripGuards, unwrap } from "../promql";
import { WINDOW_PLACEHOLDER, hasWindowPlaceholder } from "../../contract/serviceSchema";
import { expandPlugin, KNOWN_PLUGINS } from "./plugins";

export const SLOTH_PLAIN_VERSION = "prometheus/v1";
export const SLOTH_API_VERSION = "sloth.slok.dev/v1";

/** Sloth's default SLO period (`sloth generate --default-slo-period`, default 30d). */
export const SLOTH_PERIOD = "30d";

export type SlothShape = "plain" | "kubernetes" | "alertWindows";

/** Which Sloth document this is, if any. */
export function slothShape(body: Json): SlothShape | undefined {
  if (!isObject(body)) return undefined;
  if (body["version"] === SLOTH_PLAIN_VERSION) return "plain";
  if (body["apiVersion"] !== SLOTH_API_VERSION) return undefined;
  return body["kind"] === "AlertWindows" ? "alertWindows" : "kubernetes";
}

export interface SlothResult {
  slos: ImportedSlo[];
  /** SLO entries present (imported or not). */
  present: number;
  /** Every SLO entry present, as the accounting counts them. */
  units: SloUnit[];
  problems: Problem[];
  notes: string[];
}

/** Field names of the two shapes. */
const FIELDS = {
  plain: { error: "error_query", total: "total_query", raw: "error_ratio_query", page: "page_alert", ticket: "ticket_alert", plugins: "slo_plugins" },
  kubernetes: { error: "errorQuery", total: "totalQuery", raw: "errorRatioQuery", page: "pageAlert", ticket: "ticketAlert", plugins: "sloPlugins" },
} as const;

type Fields = (typeof FIELDS)[keyof typeof FIELDS];

/** A field in the shape's spelling, or the other shape's (real files mix them). */
function field(holder: Json | undefined, key: string): Json | undefined {
  const value = get(holder, key);
  if (value !== undefined) return value;
  const other = key.includes("_") ? key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) : key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return get(holder, other);
}

export function importSloth(raw: RawDocument, shape: "plain" | "kubernetes", options: Pick<ImportOptions, "team" | "slothPeriod">): SlothResult {
  const team = options.team;
  const spec = shape === "plain" ? raw.body : get(raw.body, "spec");
  const service = get(spec, "service");
  const name = shape === "kubernetes" && typeof get(raw.body, "metadata", "name") === "string" ? (get(raw.body, "metadata", "name") as string) : typeof service === "string" ? service : "?";
  const doc: DocumentRef = { file: raw.file, index: raw.index, ...(raw.item !== undefined ? { item: raw.item } : {}), kind: shape === "plain" ? "Sloth" : "PrometheusServiceLevel", name };
  const result: SlothResult = { slos: [], present: 0, units: [], problems: [], notes: [] };
  const prefix = shape === "plain" ? "" : "spec.";
  const fail = (path: string, message: string) => result.problems.push(docProblem(doc, `${prefix}${path}`, message));
  const where = `${doc.file} ${docPath(doc)}`;
  const slos = get(spec, "slos");
  result.present = Array.isArray(slos) ? slos.length : 0;
  result.units = Array.isArray(slos) ? slos.map((_, i) => unitOf({ doc, entry: `${prefix}slos[${i}]` })) : [];
  const serviceName = typeof service === "string" ? dnsLabel(service) : undefined;
  if (serviceName === undefined) fail("service", `invalid value (got ${describeValue(service)}, expected the service name)`);
  if (!Array.isArray(slos) || slos.length === 0) fail("slos", `missing required field (got ${describeValue(slos)}, expected a list of SLOs)`);
  if (serviceName === undefined || !Array.isArray(slos)) return result;
  const period = options.slothPeriod ?? SLOTH_PERIOD;
  const common = serviceNotes(spec, service as string, serviceName, FIELDS[shape], where, options.slothPeriod);
  const owner = labelTeam(get(spec, "labels")) ?? team;
  slos.forEach((entry, i) => {
    const problems: Problem[] = [];
    const notes = [...(i === 0 ? common : [])];
    const slo = importEntry(entry, `${prefix}slos[${i}]`, FIELDS[shape], (path, message) => problems.push(docProblem(doc, path, message)), `${where}.${prefix}slos[${i}]`, notes, period);
    result.problems.push(...problems);
    if (problems.length > 0 || !slo) return;
    result.slos.push({ doc, entry: `${prefix}slos[${i}]`, service: serviceName, slos: [slo], routes: { page: [], ticket: [], info: [] }, ...(owner ? { team: owner } : {}), notes });
  });
  return result;
}

/** The owning team from Sloth's labels (`team`, else `owner`). */
function labelTeam(labels: Json | undefined): string | undefined {
  const team = get(labels, "team") ?? get(labels, "owner");
  return typeof team === "string" ? team : undefined;
}

function serviceNotes(spec: Json | undefined, service: string, name: string, fields: Fields, where: string, period: string | undefined): string[] {
  const notes: string[] = [];
  if (name !== service) notes.push(`${where}: service ${JSON.stringify(service)} named ${name} (names are DNS labels)`);
  notes.push(`${where}: Sloth specs carry no SLO period; ${period === undefined ? `Sloth's default ${SLOTH_PERIOD} applies (--default-slo-period sets another, as for sloth generate)` : `--default-slo-period ${period} applies`}`);
  const labels = get(spec, "labels");
  const dropped = isObject(labels) ? Object.keys(labels).filter((k) => k !== "team" && k !== "owner") : [];
  if (dropped.length > 0) notes.push(`${where}: labels ${dropped.join(", ")} not kept (the stack labels its rules itself)`);
  if (field(spec, fields.plugins) !== undefined) notes.push(`${where}: SLO plugins not applied (they change how Sloth writes its rules, not what the SLI counts)`);
  return notes;
}

function importEntry(entry: Json, at: string, fields: Fields, fail: (path: string, message: string) => void, where: string, notes: string[], period: string): SloSpec | undefined {
  if (!isObject(entry)) {
    fail(at, `invalid value (got ${describeValue(entry)}, expected an SLO with name, objective and sli)`);
    return undefined;
  }
  const given = entry["name"];
  const name = typeof given === "string" ? dnsLabel(given) : undefined;
  if (name === undefined) fail(`${at}.name`, `invalid value (got ${describeValue(given)}, expected the SLO name)`);
  else if (name !== given) notes.push(`${where}: SLO ${JSON.stringify(given)} named ${name} (names are DNS labels)`);
  const objective = numberLike(entry["objective"]);
  if (objective === undefined || !(objective > 0 && objective < 100)) {
    fail(`${at}.objective`, `invalid value (got ${describeValue(entry["objective"])}, expected a percentage strictly between 0 and 100 like 99.9: 100 leaves no error budget)`);
  }
  const indicator = readSli(entry["sli"], `${at}.sli`, fields, fail, where, notes);
  const alerting = readAlerting(entry["alerting"], fields, where, notes);
  if (name === undefined || objective === undefined || !(objective > 0 && objective < 100) || !indicator) return undefined;
  if (entry["plugins"] !== undefined) notes.push(`${where}: SLO plugins not applied (they change how Sloth writes its rules, not what the SLI counts)`);
  return { name, objective, window: period, indicator, alerting };
}


/** The indicator of a Sloth SLI: events, raw or plugin. */
function readSli(sli: Json | undefined, at: string, fields: Fields, fail: (path: string, message: string) => void, where: string, notes: string[]): IndicatorSpec | undefined {
  const events = get(sli, "events");
  const raw = get(sli, "raw");
  const plugin = get(sli, "plugin");
  const given = [events, raw, plugin].filter((v) => v !== undefined).length;
  if (given !== 1) {
    fail(at, `${given === 0 ? "missing field (got none" : "conflicting fields (got more than one"} of events, raw and plugin, expected exactly one of them)`);
    return undefined;
  }
  if (events !== undefined) return readEvents(field(events, fields.error), field(events, fields.total), `${at}.events`, fields, fail, where, notes);
  if (raw !== undefined) return readRaw(field(raw, fields.raw), `${at}.raw.${fields.raw}`, fail, where, notes);
  const id = get(plugin, "id");
  const options = get(plugin, "options");
  const stringOptions: Record<string, string> = {};
  if (isObject(options)) for (const [k, v] of Object.entries(options)) stringOptions[k] = String(v);
  const expanded = typeof id === "string" ? expandPlugin(id, stringOptions) : "missing plugin id";
  if (typeof expanded === "string") {
    const known = typeof id === "string" && KNOWN_PLUGINS.includes(id);
    fail(
      known ? `${at}.plugin.options` : `${at}.plugin.id`,
      known
        ? `invalid options (got plugin ${describeValue(id)}: ${expanded}, expected the plugin's required options)`
        : `not supported (got plugin ${describeValue(id)}: its query is not known here, expected one of the published sloth-common plugins: ${KNOWN_PLUGINS.map((k) => k.replace(/^sloth-common\//, "")).join(", ")}; or write the SLI the plugin generates as events (${fields.error} and ${fields.total}) or raw (${fields.raw}) with {{.window}})`,
    );
    return undefined;
  }
  notes.push(`${where}.sli.plugin: plugin ${id} expanded to the selectors it counts (${Object.entries(expanded).map(([k, v]) => `${k} ${v}`).join(", ")})`);
  return "good" in expanded ? goodOverTotal(expanded.good, expanded.total) : { prometheus: expanded };
}

function readEvents(error: Json | undefined, total: Json | undefined, at: string, fields: Fields, fail: (path: string, message: string) => void, where: string, notes: string[]): IndicatorSpec | undefined {
  if (typeof error !== "string" || typeof total !== "string") {
    fail(at, `missing required field (got ${fields.error} ${describeValue(error)} and ${fields.total} ${describeValue(total)}, expected both queries as strings)`);
    return undefined;
  }
  const totalRead = readCounterQuery(total);
  const counted = readErrors(error, totalRead?.selector);
  if (!totalRead || !counted) {
    // Not a ratio of counters: the queries as Sloth evaluates them, over each window.
    const checked = [checkWindowed(error, `${at}.${fields.error}`, fail), checkWindowed(total, `${at}.${fields.total}`, fail)];
    if (!checked.every(Boolean)) return undefined;
    if (!hasWindowPlaceholder(error) && !hasWindowPlaceholder(total)) {
      fail(at, `missing {{.window}} (got ${fields.error} ${describeValue(error.trim())} and ${fields.total} ${describeValue(total.trim())}, expected {{.window}} in at least one of them: without it every alert window reads the same ratio)`);
      return undefined;
    }
    notes.push(`${where}.sli.events: not a ratio of counters, kept as written (promql indicator): the error ratio over each window is (${fields.error}) / (${fields.total}) with {{.window}} replaced, as Sloth records it; no low-traffic guard, since the queries give no count of failed events`);
    return { promql: { errors: error, total } };
  }
  const grouping = [...new Set([...totalRead.grouping, ...counted.grouping])];
  if (grouping.length > 0) notes.push(`${where}.sli: grouping by ${grouping.join(", ")} not kept: the SLO counts the events of every group together`);
  noteGuards(`${where}.sli.events.${fields.total}`, totalRead.guards, notes);
  noteGuards(`${where}.sli.events.${fields.error}`, counted.guards, notes);
  return counted.good ? goodOverTotal(counted.good, totalRead.selector) : { prometheus: { total: totalRead.selector, bad: counted.bad! } };
}

/** Good over total: a latency indicator when it is a histogram's `le` bucket over its count, else the ratio as written. */
function goodOverTotal(good: string, total: string): IndicatorSpec {
  const histogram = histogramThreshold(good, total);
  const ms = histogram ? Math.round(histogram.seconds * 1e6) / 1e3 : undefined;
  if (histogram && ms !== undefined && Number.isInteger(ms) && ms >= 1 && ms <= 600_000 && metricName(histogram.histogram).endsWith("_seconds_bucket")) {
    return { prometheus: { histogram: histogram.histogram, threshold: ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms` } };
  }
  return { prometheus: { total, good } };
}

/** A query Sloth evaluates as written: PromQL, with no template but {{.window}} (Sloth renders with missingkey=error). */
function checkWindowed(query: string, at: string, fail: (path: string, message: string) => void): boolean {
  const others = query.replace(WINDOW_PLACEHOLDER, "").match(/\{\{[^}]*\}\}/g);
  if (others) {
    fail(at, `unknown template (got ${others.join(", ")} in ${describeValue(query.trim())}, expected only {{.window}}: Sloth renders SLI queries with the window alone)`);
    return false;
  }
  const foreign = nonPromqlCalls(query);
  if (foreign.length > 0) {
    fail(at, `not PromQL (got ${foreign.join(", ")} in ${describeValue(query.trim())}, expected Prometheus functions only: MetricsQL and other dialects are not evaluated here)`);
    return false;
  }
  return true;
}

/** Guards taken off a query, each said with what it changed. */
function noteGuards(where: string, guards: readonly string[] | undefined, notes: string[]): void {
  for (const guard of guards ?? []) notes.push(`${where}: guard ${guardMeaning(guard)}`);
}

/** The errors of an events SLI: a counter (bad), or total minus a counter (good); guards taken off. */
function readErrors(error: string, total: string | undefined): { bad?: string; good?: string; grouping: string[]; guards: string[] } | undefined {
  const read = readCounterQuery(error);
  if (read) return { bad: read.selector, grouping: read.grouping, guards: read.guards ?? [] };
  const { inner, guards } = stripGuards(error);
  const difference = splitBinary(inner, "-");
  if (!difference || total === undefined) return undefined;
  const [minuend, subtrahend] = difference.map(readCounterQuery);
  if (!minuend || !subtrahend || minuend.selector !== total) return undefined;
  return { good: subtrahend.selector, grouping: [...minuend.grouping, ...subtrahend.grouping], guards: [...guards, ...(minuend.guards ?? []), ...(subtrahend.guards ?? [])] };
}

/** A raw error-ratio query read back as a ratio: `bad / total` or `1 - good / total`. */
function readRaw(query: Json | undefined, at: string, fail: (path: string, message: string) => void, where: string, notes: string[]): IndicatorSpec | undefined {
  if (typeof query !== "string") {
    fail(at, `missing required field (got ${describeValue(query)}, expected the error-ratio query as a string)`);
    return undefined;
  }
  const { inner, guards } = stripGuards(query);
  const oneMinus = splitBinary(inner, "-");
  const complement = oneMinus && unwrap(oneMinus[0]) === "1";
  const gauge = gaugeErrorRatio(inner);
  if (gauge) {
    notes.push(`${where}.sli.raw: error-ratio query read as the gauge ${gauge} (boolGauge): 1 − its mean over the window's samples, as the query computes it`);
    noteGuards(`${where}.sli.raw`, guards, notes);
    return { prometheus: { boolGauge: gauge } };
  }
  const ratio = splitBinary(complement ? oneMinus![1] : inner, "/");
  const parts = ratio?.map(readCounterQuery);
  if (!parts || !parts[0] || !parts[1]) {
    // Not a ratio of counters: the query as Sloth evaluates it, over each window.
    if (!checkWindowed(query, at, fail)) return undefined;
    if (!hasWindowPlaceholder(query)) {
      fail(at, `missing {{.window}} (got ${describeValue(query.trim())}, expected {{.window}} where each window goes: without it every alert window reads the same ratio)`);
      return undefined;
    }
    notes.push(`${where}.sli.raw: not a ratio of counters, kept as written (promql indicator): the error ratio over each window is the query with {{.window}} replaced, as Sloth records it; no low-traffic guard, since the query gives no count of failed events`);
    return { promql: { errorRatio: query } };
  }
  notes.push(`${where}.sli.raw: error-ratio query read as ${complement ? "good" : "bad"} ${parts[0].selector} over total ${parts[1].selector}`);
  noteGuards(`${where}.sli.raw`, [...guards, ...(parts[0].guards ?? []), ...(parts[1].guards ?? [])], notes);
  return { prometheus: { total: parts[1].selector, ...(complement ? { good: parts[0].selector } : { bad: parts[0].selector }) } };
}

/**
 * A gauge's error ratio, `1 - sum_over_time(X) / count_over_time(X)` or
 * `(count_over_time(X) - sum_over_time(X)) / count_over_time(X)` (each
 * optionally summed): the boolGauge indicator's own expression.
 */
function gaugeErrorRatio(query: string): string | undefined {
  const oneMinus = splitBinary(query, "-");
  if (oneMinus && unwrap(oneMinus[0]) === "1") {
    const ratio = splitBinary(oneMinus[1], "/");
    const [sum, count] = ratio ? ratio.map(readOverTime) : [];
    return sum?.fn === "sum" && count?.fn === "count" && sum.selector === count.selector ? sum.selector : undefined;
  }
  const ratio = splitBinary(query, "/");
  const difference = ratio ? splitBinary(ratio[0], "-") : undefined;
  if (!ratio || !difference) return undefined;
  const [count, sum, total] = [...difference, ratio[1]].map(readOverTime);
  return count?.fn === "count" && sum?.fn === "sum" && total?.fn === "count" && count.selector === sum.selector && sum.selector === total.selector ? sum.selector : undefined;
}

/** Page and ticket alerts as the SLO's switches; what the stack names itself is noted. */
function readAlerting(alerting: Json | undefined, fields: Fields, where: string, notes: string[]): { page: boolean; ticket: boolean } {
  const page = field(alerting, fields.page);
  const ticket = field(alerting, fields.ticket);
  const switches = { page: get(page, "disable") !== true, ticket: get(ticket, "disable") !== true };
  const kept: string[] = [];
  if (get(alerting, "name") !== undefined) kept.push(`name ${get(alerting, "name")}`);
  if (get(alerting, "labels") !== undefined || get(page, "labels") !== undefined || get(ticket, "labels") !== undefined) kept.push("labels");
  if (get(alerting, "annotations") !== undefined || get(page, "annotations") !== undefined || get(ticket, "annotations") !== undefined) kept.push("annotations");
  if (kept.length > 0) notes.push(`${where}.alerting: alert ${kept.join(", ")} not kept (the stack names, labels and routes its alerts by service and severity)`);
  if (switches.page || switches.ticket) {
    notes.push(`${where}.alerting: Sloth's page (14.4× over 1h and 6× over 6h) and ticket (3× over 1d and 1× over 3d) alerts become the stack's ${[switches.page ? "page" : "", switches.ticket ? "ticket" : ""].filter(Boolean).join(" and ")} tiers`);
  }
  return switches;
}
