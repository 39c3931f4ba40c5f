/**
 * Pyrra `pyrra.dev/v1alpha1` ServiceLevelObjective → imported SLOs. Ratio
 * indicators (errors over total) and latency indicators (a histogram's `le`
 * bucket over its count) are selectors already; the target is a percentage
 * string; `2w`/`4w` windows are whole days. A bool_gauge indicator (a 0/1
 * gauge whose samples are the events) is the `boolGauge` form. Native-histogram
 * latency is Pyrra's own query over each window (a `promql` indicator).
 * Pyrra has no service: it is read from the `pyrra.dev/service`, `service`
 * or `app.kubernetes.io/name` label, else the namespace, else the name.
 */
import { describeValue, type Problem } from "../../contract/problems";
import type { IndicatorSpec } from "../../contract/serviceSchema";
import { sloNameWithin, subDayWindowProblem, unitOf, type ImportedSlo, type ImportOptions, type SloUnit } from "../declarations";
import { dnsLabel, docPath, docProblem, get, isObject, numberLike, parseShorthand, type DocumentRef, type Json, type RawDocument } from "../documents";
import { histogramThreshold, readCounterQuery } from "../promql";
import { DAY_MS, HOUR_MS } from "../../contract/duration";

export const PYRRA_API_VERSION = "pyrra.dev/v1alpha1";
/** The version without its group, as some files write it: Pyrra's file loader (filesystem.go objectiveFromFile) does not read apiVersion at all. */
const PYRRA_BARE_VERSION = "v1alpha1";

export function isPyrra(body: Json): boolean {
  return isObject(body) && (body["apiVersion"] === PYRRA_API_VERSION || body["apiVersion"] === PYRRA_BARE_VERSION) && body["kind"] === "ServiceLevelObjective";
}

export interface PyrraResult {
  slo?: ImportedSlo;
  /** The object as the accounting counts it. */
  unit: SloUnit;
  problems: Problem[];
}

const SERVICE_LABELS = ["pyrra.dev/service", "service", "app.kubernetes.io/name", "app"];
const MAX_WINDOW_DAYS = 30;

export function importPyrra(raw: RawDocument, options: Pick<ImportOptions, "team" | "burnTiers">): PyrraResult {
  const team = options.team;
  const given = get(raw.body, "metadata", "name");
  const doc: DocumentRef = { file: raw.file, index: raw.index, ...(raw.item !== undefined ? { item: raw.item } : {}), kind: "ServiceLevelObjective", name: typeof given === "string" ? given : "?" };
  const problems: Problem[] = [];
  const fail = (path: string, message: string) => problems.push(docProblem(doc, path, message));
  const where = `${doc.file} ${docPath(doc)}`;
  const notes: string[] = [];
  if (get(raw.body, "apiVersion") !== PYRRA_API_VERSION) notes.push(`${where}: apiVersion ${describeValue(get(raw.body, "apiVersion"))} read as ${PYRRA_API_VERSION} (Pyrra's own file loader reads the object whatever its apiVersion says)`);
  const spec = get(raw.body, "spec");
  if (typeof given !== "string" || dnsLabel(given) === undefined) fail("metadata.name", `invalid value (got ${describeValue(given)}, expected the SLO's name)`);
  const service = pyrraService(raw.body, where, notes);
  if (service === undefined) fail("metadata.labels", `invalid service (got ${describeValue(get(raw.body, "metadata"))}, expected a pyrra.dev/service, service or app.kubernetes.io/name label, namespace or name with letters or digits: Pyrra objects name no service, so one of these names it)`);
  const objective = pyrraTarget(get(spec, "target"), fail, where, notes);
  const window = pyrraWindow(get(spec, "window"), fail);
  const indicator = pyrraIndicator(get(spec, "indicator"), fail, where, notes);
  const switches = pyrraAlerting(get(spec, "alerting"), where, notes);
  const unit = unitOf({ doc });
  if (problems.length > 0 || service === undefined || objective === undefined || window === undefined || !indicator) return { problems, unit };
  const subDay = subDayWindowProblem({ name: "slo", objective, window, indicator, alerting: switches }, options);
  if (subDay) return { problems: [docProblem(doc, "spec.window", subDay)], unit };
  const name = dnsLabel(sloNameWithin(service, given as string))!;
  const labels = get(raw.body, "metadata", "labels");
  const owner = get(labels, "pyrra.dev/team") ?? get(labels, "team");
  return {
    problems,
    unit,
    slo: {
      doc,
      service,
      slos: [{ name, objective, window, indicator, alerting: switches }],
      routes: { page: [], ticket: [], info: [] },
      ...(typeof owner === "string" ? { team: owner } : team ? { team } : {}),
      notes,
    },
  };
}

function pyrraService(body: Json, where: string, notes: string[]): string | undefined {
  const labels = get(body, "metadata", "labels");
  const label = SERVICE_LABELS.find((key) => typeof get(labels, key) === "string");
  const namespace = get(body, "metadata", "namespace");
  const name = get(body, "metadata", "name");
  const [from, value] = label ? [`label ${label}`, get(labels, label) as string] : typeof namespace === "string" ? ["namespace", namespace] : ["name", typeof name === "string" ? name : ""];
  const service = dnsLabel(value);
  if (service !== undefined) notes.push(`${where}: service ${service} taken from the ${from} (Pyrra objects name no service)`);
  return service;
}

/** Pyrra's target: a percentage, usually a string. */
function pyrraTarget(target: Json | undefined, fail: (path: string, message: string) => void, where: string, notes: string[]): number | undefined {
  const value = numberLike(target);
  if (value === undefined || !(value > 0 && value < 100)) {
    fail("spec.target", `invalid value (got ${describeValue(target)}, expected a percentage strictly between 0 and 100 like "99.9")`);
    return undefined;
  }
  if (value < 1) notes.push(`${where}.spec.target: ${value} read as ${value} % (Pyrra targets are percentages from 0 to 100)`);
  return value;
}

function pyrraWindow(window: Json | undefined, fail: (path: string, message: string) => void): string | undefined {
  const ms = parseShorthand(window);
  // Below a day, whole hours: Prometheus evaluates Pyrra's SLOs (checked against the tiers once the SLO is known).
  if (ms !== undefined && ms < DAY_MS && ms % HOUR_MS === 0) return `${ms / HOUR_MS}h`;
  const days = ms !== undefined && ms % DAY_MS === 0 ? ms / DAY_MS : undefined;
  if (days === undefined || days < 1 || days > MAX_WINDOW_DAYS) {
    fail("spec.window", `invalid value (got ${describeValue(window)}, expected a rolling window of whole days between 1d and 30d, like 28d, 2w or 4w (Cloud Monitoring's rolling period limit), or of whole hours below a day, like 6h)`);
    return undefined;
  }
  return `${days}d`;
}

function selectorOf(metric: Json | undefined, at: string, fail: (path: string, message: string) => void): string | undefined {
  const read = typeof metric === "string" ? readCounterQuery(metric) : undefined;
  if (!read || read.rewritten) {
    fail(at, `invalid value (got ${describeValue(metric)}, expected a series selector like http_requests_total{job="api"})`);
    return undefined;
  }
  return read.selector;
}

function pyrraIndicator(indicator: Json | undefined, fail: (path: string, message: string) => void, where: string, notes: string[]): IndicatorSpec | undefined {
  const kinds = isObject(indicator) ? Object.keys(indicator) : [];
  if (kinds.length !== 1) {
    fail("spec.indicator", `${kinds.length === 0 ? "missing field (got none" : `conflicting fields (got ${kinds.join(", ")}`}, expected exactly one of ratio, latency, latencyNative, bool_gauge)`);
    return undefined;
  }
  const kind = kinds[0]!;
  const body = get(indicator, kind);
  const grouping = get(body, "grouping");
  if (Array.isArray(grouping) && grouping.length > 0) notes.push(`${where}.spec.indicator.${kind}.grouping: grouping by ${grouping.join(", ")} not kept: the SLO counts the events of every group together`);
  if (kind === "ratio") {
    const total = selectorOf(get(body, "total", "metric"), "spec.indicator.ratio.total.metric", fail);
    const bad = selectorOf(get(body, "errors", "metric"), "spec.indicator.ratio.errors.metric", fail);
    return total && bad ? { prometheus: { total, bad } } : undefined;
  }
  if (kind === "latency") {
    const total = selectorOf(get(body, "total", "metric"), "spec.indicator.latency.total.metric", fail);
    const good = selectorOf(get(body, "success", "metric"), "spec.indicator.latency.success.metric", fail);
    if (!total || !good) return undefined;
    const histogram = histogramThreshold(good, total);
    const ms = histogram ? Math.round(histogram.seconds * 1e6) / 1e3 : undefined;
    if (histogram && ms !== undefined && Number.isInteger(ms) && ms >= 1 && ms <= 600_000) {
      return { prometheus: { histogram: histogram.histogram, threshold: ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms` } };
    }
    // Not the standard bucket/count pair: the same ratio, counted as written.
    return { prometheus: { total, good } };
  }
  if (kind === "latencyNative") {
    // Pyrra (slo/rules.go, LatencyNative): 1 - histogram_fraction(0, latency, sum(rate(metric[window]))), the same query here over each window.
    const histogram = selectorOf(get(body, "total", "metric"), "spec.indicator.latencyNative.total.metric", fail);
    const latency = get(body, "latency");
    const ms = parseShorthand(latency) ?? (typeof latency === "string" && /^[0-9]+ms$/.test(latency) ? Number(latency.slice(0, -2)) : undefined);
    if (ms === undefined || ms <= 0) fail("spec.indicator.latencyNative.latency", `invalid value (got ${describeValue(latency)}, expected a latency like 200ms or 1s)`);
    if (!histogram || ms === undefined || ms <= 0) return undefined;
    const errorRatio = `1 - histogram_fraction(0, ${ms / 1000}, sum(rate(${histogram}[{{.window}}])))`;
    notes.push(`${where}.spec.indicator.latencyNative: native histogram read as the promql indicator ${errorRatio}, Pyrra's own error ratio over each window; no low-traffic guard, since the query gives no count of failed events`);
    return { promql: { errorRatio } };
  }
  if (kind === "bool_gauge") {
    // Pyrra (slo/rules.go): errors = count_over_time − sum_over_time, over count_over_time: the boolGauge indicator exactly.
    const gauge = selectorOf(get(body, "metric"), "spec.indicator.bool_gauge.metric", fail);
    if (gauge) notes.push(`${where}.spec.indicator.bool_gauge: read as boolGauge ${gauge}: every sample an event, bad ones the samples minus the sum of their values (1 good, 0 bad), as Pyrra counts them`);
    return gauge ? { prometheus: { boolGauge: gauge } } : undefined;
  }
  fail(`spec.indicator.${kind}`, `unknown indicator (got ${describeValue(kind)}, expected one of ratio, latency, latencyNative, bool_gauge)`);
  return undefined;
}

/** Pyrra's alerting block as switches: burn-rate alerts on unless disabled. */
function pyrraAlerting(alerting: Json | undefined, where: string, notes: string[]): { page: boolean; ticket: boolean } {
  const on = get(alerting, "disabled") !== true && get(alerting, "burnrates") !== false;
  if (on) notes.push(`${where}: Pyrra's four burn-rate alerts become the stack's page and ticket tiers`);
  if (get(alerting, "name") !== undefined || get(alerting, "severities") !== undefined) notes.push(`${where}.spec.alerting: alert names and severities not kept (the stack names its alerts and routes them by severity)`);
  return { page: on, ticket: on };
}
