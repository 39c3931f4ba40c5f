/**
 * OpenSLO v1 → contract v1 declarations.
 *
 * Reads Service, SLO, SLI (inline or by indicatorRef), AlertPolicy,
 * AlertCondition, AlertNotificationTarget and DataSource documents and builds
 * one declaration per service. What our contract cannot express — calendar
 * windows, time-slice budgeting, unknown metric sources, burn-rate conditions
 * that are not one of the stack's tiers, … — is a problem naming the file,
 * document, field, value and what was expected: nothing is dropped silently.
 * Choices the contract makes for the user (a default runtime, a query read
 * as its selector) are returned as notes.
 */
import { DAY_MS } from "../../contract/duration";
import { DNS_LABEL } from "../../contract/fields";
import { describeValue, type Problem } from "../../contract/problems";
import { API_VERSION, runtimeSchema, serviceSchema, type IndicatorSpec, type RuntimeSpec, type ServiceSpec, type SloSpec } from "../../contract/serviceSchema";
import { zodProblems } from "../../contract/zodProblems";
import { allSloTiers } from "../../model/service";
import { burnTiers, cloudMonitoringMechanics, MIN_SHORT_WINDOW_MS, type BurnTier } from "../../model/sloMath";
import type { BurnTierDefinition } from "../../contract/stackConfig";
import type { Severity } from "../../contract/serviceSchema";
import { RUNBOOK_ANNOTATION, RUNTIME_ANNOTATION, docPath, docProblem, formatShorthand, isObject, parseShorthand, type Json, type JsonObject, type SourceDocument } from "./documents";
import { KNOWN_SOURCE_TYPES, cloudRunAvailability, cloudRunLatency, metricName, prometheusSelector, sourceBackend, type SourceBackend } from "./sources";


/** Alert severities as other tools name them, to ours. */
const SEVERITIES: Record<string, Severity> = {
  page: "page", critical: "page", high: "page", urgent: "page", emergency: "page", p1: "page", sev1: "page",
  ticket: "ticket", warning: "ticket", medium: "ticket", low: "ticket", info: "ticket", minor: "ticket", p2: "ticket", p3: "ticket", sev2: "ticket", sev3: "ticket",
};

export interface ImportOptions {
  /** Team of services whose Service document has no `team` label. Default: none (such services are refused). */
  team?: string;
  /** Burn-rate tiers of the target stack; conditions must be one of them. */
  burnTiers: readonly BurnTierDefinition[];
  /** Channel names the target stack defines; the others are listed for the user to add. Default: none. */
  knownChannels?: readonly string[];
}

export interface ImportedService {
  spec: ServiceSpec;
  /** Files the declaration was built from. */
  sources: string[];
  /** Choices made for the user, to review. */
  notes: string[];
}

export interface ImportResult {
  services: ImportedService[];
  problems: Problem[];
  /** Notes about documents that describe nothing to import (an AlertPolicy no SLO uses). */
  notes: string[];
}

interface ImportedSlo {
  doc: SourceDocument;
  service: string;
  slos: SloSpec[];
  /** Alert severities and their notification targets. */
  routes: Record<Severity, string[]>;
  runtime?: { cloudRun: { service: string; region: string } };
  team?: string;
  notes: string[];
}

/** Reads the documents of every file together (references may cross files). */
export function importOpenSlo(documents: readonly SourceDocument[], options: ImportOptions): ImportResult {
  const problems: Problem[] = [];
  const index = new Map<string, SourceDocument>();
  for (const doc of documents) {
    const key = `${doc.kind}/${doc.name}`;
    const earlier = index.get(key);
    if (earlier) problems.push(docProblem(doc, "metadata.name", `duplicate ${doc.kind} name (got ${JSON.stringify(doc.name)}, expected names unique per kind: already defined in ${earlier.file} ${docPath(earlier)})`));
    else index.set(key, doc);
  }
  const used = new Set<SourceDocument>();
  const ctx: Context = { index, used, problems, options, alertAfterIgnored: 0 };

  const slos = documents.filter((d) => d.kind === "SLO").map((doc) => importSlo(doc, ctx)).filter((s): s is ImportedSlo => s !== undefined);
  const serviceNames = [...new Set([...slos.map((s) => s.service), ...documents.filter((d) => d.kind === "Service").map((d) => d.name)])].sort();
  const services: ImportedService[] = [];
  for (const name of serviceNames) {
    const imported = buildService(name, slos.filter((s) => s.service === name), ctx);
    if (imported) services.push(imported);
  }
  const notes = documents
    .filter((doc) => !used.has(doc) && doc.kind !== "SLO" && doc.kind !== "Service")
    .map((doc) => `${doc.file} ${docPath(doc)}: not used by any SLO, nothing to import`);
  if (ctx.alertAfterIgnored > 0) {
    notes.push(`alertAfter of ${ctx.alertAfterIgnored} burn-rate condition(s) not used: each tier fires as soon as the burn rate over its long window and over its short window both reach the threshold`);
  }
  return { services, problems, notes };
}

interface Context {
  index: Map<string, SourceDocument>;
  used: Set<SourceDocument>;
  problems: Problem[];
  options: ImportOptions;
  /** Conditions whose alertAfter was read but has no equivalent (reported once). */
  alertAfterIgnored: number;
}

function get(value: Json | undefined, ...keys: string[]): Json | undefined {
  let current: Json | undefined = value;
  for (const key of keys) current = isObject(current) ? current[key] : undefined;
  return current;
}

function label(doc: SourceDocument | undefined, key: string): string | undefined {
  const value = get(doc?.body, "metadata", "labels", key);
  return typeof value === "string" ? value : Array.isArray(value) && value.length === 1 && typeof value[0] === "string" ? value[0] : undefined;
}

function importSlo(doc: SourceDocument, ctx: Context): ImportedSlo | undefined {
  const before = ctx.problems.length;
  const fail = (field: string, message: string) => ctx.problems.push(docProblem(doc, field, message));
  const spec = doc.body["spec"] as JsonObject;
  const notes: string[] = [];
  const where = `${doc.file} ${docPath(doc)}`;

  const service = spec["service"];
  if (typeof service !== "string" || !DNS_LABEL.test(service)) {
    fail("spec.service", `invalid value (got ${describeValue(service)}, expected the name of the service as a DNS label: lowercase letters, digits and '-', at most 63 characters)`);
    return undefined;
  }
  const baseName = doc.name.startsWith(`${service}-`) && doc.name.length > service.length + 1 ? doc.name.slice(service.length + 1) : doc.name;

  // Composite SLOs and other shapes of later specifications.
  for (const key of Object.keys(spec)) {
    if (!["description", "service", "indicator", "indicatorRef", "timeWindow", "budgetingMethod", "objectives", "alertPolicies"].includes(key)) {
      fail(`spec.${key}`, `not supported (got ${describeValue(key)}, expected only description, service, indicator or indicatorRef, timeWindow, budgetingMethod, objectives, alertPolicies: composite SLOs and other extensions have no equivalent in contract v1)`);
    }
  }

  // Window: one rolling window of whole days, 1d..30d.
  let window: string | undefined;
  const windows = spec["timeWindow"];
  if (windows === undefined || windows === null) {
    notes.push(`${where}: no timeWindow; the contract's default rolling 30d applies`);
  } else if (!Array.isArray(windows) || windows.length !== 1 || !isObject(windows[0])) {
    fail("spec.timeWindow", `invalid value (got ${describeValue(windows)}, expected one rolling window like [{duration: 28d, isRolling: true}])`);
  } else {
    const tw = windows[0];
    if (tw["isRolling"] !== true || tw["calendar"] !== undefined) {
      fail("spec.timeWindow[0].isRolling", `calendar-aligned windows are not supported (got isRolling ${describeValue(tw["isRolling"])}${tw["calendar"] !== undefined ? " with a calendar" : ""}, expected isRolling: true: SLOs here are evaluated over rolling windows of 1d to 30d)`);
    } else {
      const ms = parseShorthand(tw["duration"]);
      if (ms === undefined || ms % DAY_MS !== 0 || ms / DAY_MS < 1 || ms / DAY_MS > 30) {
        fail("spec.timeWindow[0].duration", `invalid value (got ${describeValue(tw["duration"])}, expected a rolling window of whole days between 1d and 30d, like 28d or 4w: Cloud Monitoring's rolling period limit; months (M), quarters (Q) and years (Y) are calendar units)`);
      } else {
        window = `${ms / DAY_MS}d`;
      }
    }
  }

  const method = spec["budgetingMethod"];
  if (method !== "Occurrences") {
    fail("spec.budgetingMethod", `not supported (got ${describeValue(method)}, expected Occurrences: SLOs here count good events among all events; Timeslices and RatioTimeslices count good time slices, which only uptime SLOs do here and OpenSLO cannot say which uptime check)`);
  }

  const indicator = resolveIndicator(doc, spec, ctx);
  const mapped = indicator ? mapIndicator(indicator.doc ?? doc, indicator.prefix, indicator.spec, ctx, notes) : undefined;

  const objectives = spec["objectives"];
  const slos: SloSpec[] = [];
  if (!Array.isArray(objectives) || objectives.length === 0) {
    fail("spec.objectives", `missing required field (got ${describeValue(objectives)}, expected at least one objective with target or targetPercent)`);
  } else {
    const names = new Set<string>();
    objectives.forEach((objective, i) => {
      const at = `spec.objectives[${i}]`;
      if (!isObject(objective)) {
        fail(at, `invalid value (got ${describeValue(objective)}, expected a mapping with target or targetPercent)`);
        return;
      }
      const percent = objectivePercent(objective, at, fail);
      const name = objectives.length === 1 ? baseName : objectiveName(objective, baseName, i);
      if (!DNS_LABEL.test(name)) {
        fail(objectives.length === 1 ? "metadata.name" : `${at}.name`, `invalid SLO name (got ${JSON.stringify(name)}, expected a DNS label of at most 63 characters: lowercase letters, digits and '-')`);
      } else if (names.has(name)) {
        fail(`${at}.displayName`, `duplicate objective name (got ${JSON.stringify(name)}, expected each objective of an SLO to have its own name or displayName)`);
      }
      names.add(name);
      for (const key of ["timeSliceTarget", "timeSliceWindow"]) {
        // Time-slice budgeting is refused above; under Occurrences these fields would be silently meaningless.
        if (method === "Occurrences" && objective[key] !== undefined) fail(`${at}.${key}`, `not supported (got ${describeValue(objective[key])}, expected no time slices with budgetingMethod Occurrences)`);
      }
      for (const key of Object.keys(objective)) {
        if (!["name", "displayName", "op", "value", "target", "targetPercent", "timeSliceTarget", "timeSliceWindow"].includes(key)) {
          fail(`${at}.${key}`, `not supported (got ${describeValue(key)}, expected only name, displayName, op, value, target or targetPercent)`);
        }
      }
      let sloIndicator: IndicatorSpec | undefined;
      if (mapped?.kind === "ratio") {
        if (objective["value"] !== undefined) fail(`${at}.value`, `not supported with a ratioMetric (got ${describeValue(objective["value"])}, expected no value: a ratio SLI is good events over total events)`);
        sloIndicator = mapped.indicator;
      } else if (mapped?.kind === "threshold") {
        sloIndicator = thresholdIndicator(mapped, objective, at, fail, notes, where);
      }
      if (percent !== undefined && sloIndicator !== undefined) {
        slos.push({ name, objective: percent, ...(window ? { window } : {}), indicator: sloIndicator });
      }
    });
  }

  const routes = alerting(doc, spec, slos, ctx);
  if (ctx.problems.length > before) return undefined;
  // The switches say exactly what the policies said, whatever the tier defaults are.
  for (const slo of slos) slo.alerting = { page: routes.severities.has("page"), ticket: routes.severities.has("ticket") };
  const added = ctx.options.burnTiers.filter((t) => routes.severities.has(t.severity) && !routes.tiers.has(t.name)).map((t) => t.name);
  if (added.length > 0 && slos.length > 0) notes.push(`${where}: alerts switch on per severity, so the ${added.join(", ")} tier(s) of the same severity also apply`);
  if (routes.severities.size === 0) notes.push(`${where}: no alert policies; page and ticket alerts switched off for this SLO (remove its alerting block for the tier's defaults)`);
  const team = label(doc, "team");
  return {
    doc,
    service,
    slos,
    routes: routes.targets,
    ...(mapped?.runtime ? { runtime: { cloudRun: { service: mapped.runtime.service, region: mapped.runtime.region } } } : {}),
    ...(team ? { team } : {}),
    notes,
  };
}

function objectivePercent(objective: JsonObject, at: string, fail: (field: string, message: string) => void): number | undefined {
  const target = objective["target"];
  const targetPercent = objective["targetPercent"];
  const fromTarget = typeof target === "number" ? Math.round(target * 100 * 1e10) / 1e10 : undefined;
  const fromPercent = typeof targetPercent === "number" ? targetPercent : undefined;
  if (target !== undefined && fromTarget === undefined) fail(`${at}.target`, `invalid value (got ${describeValue(target)}, expected a number between 0 and 1 like 0.999)`);
  if (targetPercent !== undefined && fromPercent === undefined) fail(`${at}.targetPercent`, `invalid value (got ${describeValue(targetPercent)}, expected a number between 0 and 100 like 99.9)`);
  if (target === undefined && targetPercent === undefined) {
    fail(`${at}.target`, "missing required field (got neither target nor targetPercent, expected target like 0.999 or targetPercent like 99.9)");
    return undefined;
  }
  if (fromTarget !== undefined && fromPercent !== undefined && fromTarget !== fromPercent) {
    fail(`${at}.targetPercent`, `conflicting fields (got target ${target} and targetPercent ${targetPercent}, expected one of them, or both saying the same)`);
    return undefined;
  }
  const percent = fromTarget ?? fromPercent;
  if (percent === undefined) return undefined;
  if (!(percent > 0 && percent < 100)) {
    fail(`${at}.${fromTarget !== undefined ? "target" : "targetPercent"}`, `invalid value (got ${fromTarget !== undefined ? target : targetPercent}, expected an objective strictly between 0 and 100 %: 100 % leaves no error budget)`);
    return undefined;
  }
  return percent;
}

function objectiveName(objective: JsonObject, base: string, i: number): string {
  const own = typeof objective["name"] === "string" ? objective["name"] : typeof objective["displayName"] === "string" ? objective["displayName"] : `${i + 1}`;
  const slug = own.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  return `${base}-${slug}`;
}

interface IndicatorSource {
  /** The SLI document when referenced; undefined when inline in the SLO. */
  doc?: SourceDocument;
  /** Path of the SLI's spec inside its document. */
  prefix: string;
  spec: JsonObject;
}

function resolveIndicator(doc: SourceDocument, spec: JsonObject, ctx: Context): IndicatorSource | undefined {
  const inline = spec["indicator"];
  const ref = spec["indicatorRef"];
  if ((inline === undefined) === (ref === undefined)) {
    ctx.problems.push(docProblem(doc, "spec.indicator", `${inline === undefined ? "missing field (got neither" : "conflicting fields (got both"} indicator and indicatorRef, expected exactly one of them)`));
    return undefined;
  }
  if (inline !== undefined) {
    const sliSpec = get(inline, "spec");
    if (!isObject(sliSpec)) {
      ctx.problems.push(docProblem(doc, "spec.indicator.spec", `missing required field (got ${describeValue(sliSpec)}, expected an SLI spec with ratioMetric or thresholdMetric)`));
      return undefined;
    }
    return { prefix: "spec.indicator.spec", spec: sliSpec };
  }
  const sli = typeof ref === "string" ? ctx.index.get(`SLI/${ref}`) : undefined;
  if (!sli) {
    ctx.problems.push(docProblem(doc, "spec.indicatorRef", `unknown SLI (got ${describeValue(ref)}, expected the name of an SLI document given to the import: ${names(ctx, "SLI")})`));
    return undefined;
  }
  ctx.used.add(sli);
  return { doc: sli, prefix: "spec", spec: sli.body["spec"] as JsonObject };
}

function names(ctx: Context, kind: string): string {
  const found = [...ctx.index.values()].filter((d) => d.kind === kind).map((d) => d.name);
  return found.length > 0 ? found.join(", ") : "none given";
}

type CloudRun = { kind: "cloudRun"; service: string; region: string };
type MappedIndicator =
  | { kind: "ratio"; indicator: IndicatorSpec; runtime?: CloudRun }
  | { kind: "threshold"; backend: "prometheus"; histogram: string; runtime?: undefined; doc: SourceDocument; at: string }
  | { kind: "threshold"; backend: "cloudMonitoring"; runtime: CloudRun; doc: SourceDocument; at: string };

interface ReadSource {
  backend: SourceBackend;
  text: string;
}

/** Reads `<at>.metricSource` of an SLI: its backend and query (Prometheus) or filter (Cloud Monitoring). */
function readSource(doc: SourceDocument, at: string, holder: Json | undefined, ctx: Context): ReadSource | undefined {
  const fail = (field: string, message: string) => ctx.problems.push(docProblem(doc, field, message));
  const source = get(holder, "metricSource");
  if (!isObject(source)) {
    fail(`${at}.metricSource`, `missing required field (got ${describeValue(source)}, expected a metricSource with type and spec)`);
    return undefined;
  }
  let type = source["type"];
  const ref = source["metricSourceRef"];
  if (ref !== undefined) {
    const dataSource = typeof ref === "string" ? ctx.index.get(`DataSource/${ref}`) : undefined;
    if (!dataSource) {
      fail(`${at}.metricSource.metricSourceRef`, `unknown DataSource (got ${describeValue(ref)}, expected the name of a DataSource document given to the import: ${names(ctx, "DataSource")})`);
      return undefined;
    }
    ctx.used.add(dataSource);
    type ??= get(dataSource.body, "spec", "type") ?? null;
  }
  const backend = typeof type === "string" ? sourceBackend(type) : undefined;
  if (!backend) {
    fail(`${at}.metricSource.type`, `unknown metric source (got ${describeValue(type)}, expected ${KNOWN_SOURCE_TYPES})`);
    return undefined;
  }
  const spec = source["spec"];
  const key = backend === "prometheus" ? "query" : isObject(spec) && spec["filter"] !== undefined ? "filter" : "query";
  const text = get(spec, key);
  if (typeof text !== "string" || text.trim() === "") {
    fail(`${at}.metricSource.spec.${key}`, `missing required field (got ${describeValue(text)}, expected ${backend === "prometheus" ? "a PromQL series selector or rate() of one" : "a Cloud Monitoring filter"} as a string)`);
    return undefined;
  }
  if (backend === "cloudMonitoring" && !/metric\.type\s*=/.test(text)) {
    fail(`${at}.metricSource.spec.${key}`, `not a Cloud Monitoring filter (got ${describeValue(text)}, expected a monitoring filter naming its metric: metric.type="..." AND ...; MQL and PromQL queries are not request-based SLIs)`);
    return undefined;
  }
  return { backend, text: text.trim() };
}

function selector(doc: SourceDocument, at: string, query: string, ctx: Context, notes: string[]): string | undefined {
  const read = prometheusSelector(query);
  if (!read) {
    ctx.problems.push(docProblem(doc, `${at}.metricSource.spec.query`, `not supported (got ${describeValue(query)}, expected a series selector like http_requests_total{job="api"}, or rate()/increase() of one, optionally inside sum(): the rules aggregate over every series and take rates over each burn-rate window themselves)`));
    return undefined;
  }
  if (read.rewritten) notes.push(`${doc.file} ${docPath(doc)}.${at}: query ${JSON.stringify(query)} read as the series selector ${read.selector} (rates are taken over each burn-rate window)`);
  return read.selector;
}

function mapIndicator(doc: SourceDocument, prefix: string, spec: JsonObject, ctx: Context, notes: string[]): MappedIndicator | undefined {
  const fail = (field: string, message: string) => ctx.problems.push(docProblem(doc, field, message));
  const ratio = spec["ratioMetric"];
  const threshold = spec["thresholdMetric"];
  if ((ratio === undefined) === (threshold === undefined)) {
    fail(prefix, `${ratio === undefined ? "missing field (got neither" : "conflicting fields (got both"} ratioMetric and thresholdMetric, expected exactly one of them; raw and composite metrics are not supported)`);
    return undefined;
  }
  if (threshold !== undefined) {
    const at = `${prefix}.thresholdMetric`;
    const source = readSource(doc, at, threshold, ctx);
    if (!source) return undefined;
    if (source.backend === "prometheus") {
      const histogram = selector(doc, at, source.text, ctx, notes);
      if (!histogram) return undefined;
      if (!metricName(histogram).endsWith("_bucket")) {
        fail(`${at}.metricSource.spec.query`, `not supported (got ${describeValue(source.text)}, expected a histogram bucket selector like http_request_duration_seconds_bucket{job="api"}: good events are the requests in buckets up to the threshold; a gauge or quantile compared to a threshold is not a share of good events)`);
        return undefined;
      }
      return { kind: "threshold", backend: "prometheus", histogram, doc, at };
    }
    const runtime = cloudRunLatency(source.text);
    if (!runtime) {
      fail(`${at}.metricSource.spec.filter`, `not supported (got ${describeValue(source.text)}, expected the Cloud Run request_latencies filter of one service, as npm run openslo -- export writes it; other Cloud Monitoring distributions have no threshold indicator here)`);
      return undefined;
    }
    return { kind: "threshold", backend: "cloudMonitoring", runtime, doc, at };
  }
  const at = `${prefix}.ratioMetric`;
  if (!isObject(ratio)) {
    fail(at, `invalid value (got ${describeValue(ratio)}, expected a mapping with total and good or bad)`);
    return undefined;
  }
  if (ratio["counter"] === false) {
    fail(`${at}.counter`, "not supported (got false, expected counter: true or no counter: SLIs here are rates of counters, good or bad events over total events)");
    return undefined;
  }
  for (const key of Object.keys(ratio)) {
    if (!["counter", "good", "bad", "total"].includes(key)) fail(`${at}.${key}`, `not supported (got ${describeValue(key)}, expected only counter, total and good or bad; raw ratios are not supported)`);
  }
  if (ratio["total"] === undefined) {
    fail(`${at}.total`, "missing required field (expected the total events' metricSource)");
    return undefined;
  }
  if ((ratio["good"] === undefined) === (ratio["bad"] === undefined)) {
    fail(at, `${ratio["good"] === undefined ? "missing field (got neither" : "conflicting fields (got both"} good and bad, expected exactly one of them)`);
    return undefined;
  }
  const part = ratio["good"] !== undefined ? "good" : "bad";
  const total = readSource(doc, `${at}.total`, ratio["total"], ctx);
  const counted = readSource(doc, `${at}.${part}`, ratio[part], ctx);
  if (!total || !counted) return undefined;
  if (total.backend !== counted.backend) {
    fail(`${at}.${part}.metricSource.type`, `conflicting metric sources (got ${counted.backend} for ${part} and ${total.backend} for total, expected both from the same source)`);
    return undefined;
  }
  if (total.backend === "prometheus") {
    const totalSelector = selector(doc, `${at}.total`, total.text, ctx, notes);
    const countedSelector = selector(doc, `${at}.${part}`, counted.text, ctx, notes);
    if (!totalSelector || !countedSelector) return undefined;
    return { kind: "ratio", indicator: { prometheus: { total: totalSelector, [part]: countedSelector } } };
  }
  const runtime = part === "bad" ? cloudRunAvailability(total.text, counted.text) : undefined;
  if (runtime) return { kind: "ratio", indicator: { availability: {} }, runtime };
  return { kind: "ratio", indicator: { cloudMonitoring: { total: total.text, [part]: counted.text } } };
}

function thresholdIndicator(
  mapped: Extract<MappedIndicator, { kind: "threshold" }>,
  objective: JsonObject,
  at: string,
  fail: (field: string, message: string) => void,
  notes: string[],
  where: string,
): IndicatorSpec | undefined {
  const op = objective["op"];
  const value = objective["value"];
  if (op !== "lt" && op !== "lte") {
    fail(`${at}.op`, `not supported (got ${describeValue(op)}, expected lte or lt: good events are those at or below the threshold, like requests served within 300 ms)`);
    return undefined;
  }
  const unit = mapped.backend === "prometheus" ? 1000 : 1; // Prometheus histograms are in seconds; Cloud Run request_latencies in milliseconds.
  const ms = typeof value === "number" ? Math.round(value * unit * 1e6) / 1e6 : undefined;
  if (ms === undefined || !Number.isInteger(ms) || ms < 1 || ms > 600_000) {
    fail(`${at}.value`, `invalid value (got ${describeValue(value)}, expected a latency threshold in ${mapped.backend === "prometheus" ? "seconds (the histogram's unit), like 0.3" : "milliseconds (request_latencies' unit), like 500"}: a whole number of milliseconds between 1 ms and 10 min)`);
    return undefined;
  }
  if (op === "lt") notes.push(`${where}.${at}: op lt read as lte (histogram buckets count values up to and including their bound)`);
  const threshold = ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
  return mapped.backend === "prometheus" ? { prometheus: { histogram: mapped.histogram, threshold } } : { latency: { threshold } };
}

interface Alerting {
  severities: Set<Severity>;
  /** Names of the tiers the conditions matched. */
  tiers: Set<string>;
  targets: Record<Severity, string[]>;
}

/** Alert policies of an SLO: each condition must be one of the stack's burn-rate tiers for this SLO. */
function alerting(doc: SourceDocument, spec: JsonObject, slos: readonly SloSpec[], ctx: Context): Alerting {
  const result: Alerting = { severities: new Set(), tiers: new Set(), targets: { page: [], ticket: [] } };
  const policies = spec["alertPolicies"];
  if (policies === undefined || policies === null) return result;
  if (!Array.isArray(policies)) {
    ctx.problems.push(docProblem(doc, "spec.alertPolicies", `invalid value (got ${describeValue(policies)}, expected a list of AlertPolicy names or inline AlertPolicies)`));
    return result;
  }
  policies.forEach((item, i) => {
    const at = `spec.alertPolicies[${i}]`;
    const policy = resolve(doc, at, item, "AlertPolicy", "alertPolicyRef", ctx);
    if (!policy) return;
    const { owner, path, body } = policy;
    const fail = (field: string, message: string) => ctx.problems.push(docProblem(owner, `${path}${field}`, message));
    const conditions = get(body, "spec", "conditions");
    if (!Array.isArray(conditions) || conditions.length === 0) {
      fail("spec.conditions", `missing required field (got ${describeValue(conditions)}, expected one burn-rate condition)`);
      return;
    }
    const severities = new Set<Severity>();
    conditions.forEach((conditionItem, c) => {
      const condition = resolve(owner, `${path}spec.conditions[${c}]`, conditionItem, "AlertCondition", "conditionRef", ctx);
      if (!condition) return;
      const matched = burnCondition(condition.owner, condition.path, condition.body, slos, ctx);
      if (matched) {
        severities.add(matched.severity);
        result.tiers.add(matched.tier);
      }
    });
    const targets = get(body, "spec", "notificationTargets");
    const channels: string[] = [];
    if (targets !== undefined && targets !== null && !Array.isArray(targets)) {
      fail("spec.notificationTargets", `invalid value (got ${describeValue(targets)}, expected a list of targetRef or inline AlertNotificationTargets)`);
    } else {
      (targets ?? []).forEach((targetItem, t) => {
        const target = resolve(owner, `${path}spec.notificationTargets[${t}]`, targetItem, "AlertNotificationTarget", "targetRef", ctx);
        if (!target) return;
        const name = get(target.body, "metadata", "name");
        if (typeof name !== "string" || !DNS_LABEL.test(name)) {
          ctx.problems.push(docProblem(target.owner, `${target.path}metadata.name`, `invalid channel name (got ${describeValue(name)}, expected a DNS label: notification targets become channel names of the stack config)`));
          return;
        }
        channels.push(name);
      });
    }
    for (const severity of severities) {
      result.severities.add(severity);
      for (const channel of channels) if (!result.targets[severity].includes(channel)) result.targets[severity].push(channel);
    }
  });
  return result;
}

interface Resolved {
  /** Document the object is written in. */
  owner: SourceDocument;
  /** Path of the object inside `owner`, ending in "." (empty for a whole document). */
  path: string;
  body: JsonObject;
}

/** An item that is a name, `{<refKey>: name}` or an inline `{kind, metadata, spec}` of `kind`. */
function resolve(doc: SourceDocument, at: string, item: Json, kind: string, refKey: string, ctx: Context): Resolved | undefined {
  const ref = typeof item === "string" ? item : isObject(item) && item[refKey] !== undefined ? item[refKey] : undefined;
  if (ref !== undefined) {
    const found = typeof ref === "string" ? ctx.index.get(`${kind}/${ref}`) : undefined;
    if (!found) {
      ctx.problems.push(docProblem(doc, at, `unknown ${kind} (got ${describeValue(ref)}, expected the name of a ${kind} document given to the import: ${names(ctx, kind)})`));
      return undefined;
    }
    ctx.used.add(found);
    return { owner: found, path: "", body: found.body };
  }
  if (isObject(item) && isObject(item["spec"]) && (item["kind"] === undefined || item["kind"] === kind)) {
    return { owner: doc, path: `${at.replace(/^doc\[\d+\]\([^)]*\)\./, "")}.`, body: item };
  }
  ctx.problems.push(docProblem(doc, at, `invalid value (got ${describeValue(item)}, expected a ${kind} name, {${refKey}: name} or an inline ${kind} with metadata and spec)`));
  return undefined;
}

/** The severity of a burn-rate condition that matches one of the SLO's tiers, or a problem naming the tiers. */
function burnCondition(owner: SourceDocument, path: string, body: JsonObject, slos: readonly SloSpec[], ctx: Context): { severity: Severity; tier: string } | undefined {
  const fail = (field: string, message: string) => ctx.problems.push(docProblem(owner, `${path}${field}`, message));
  const spec = body["spec"];
  const condition = get(spec, "condition");
  const severityText = get(spec, "severity");
  const severity = typeof severityText === "string" ? SEVERITIES[severityText.toLowerCase()] : undefined;
  if (!severity) {
    fail("spec.severity", `unknown severity (got ${describeValue(severityText)}, expected page or ticket, or a common name for one: ${Object.keys(SEVERITIES).join(", ")})`);
    return undefined;
  }
  if (get(condition, "kind") !== "burnrate") {
    fail("spec.condition.kind", `not supported (got ${describeValue(get(condition, "kind"))}, expected burnrate: alerts here are multiwindow burn-rate alerts)`);
    return undefined;
  }
  const op = get(condition, "op");
  if (op !== "gte" && op !== "gt") {
    fail("spec.condition.op", `not supported (got ${describeValue(op)}, expected gte or gt: a burn-rate alert fires when the burn rate rises above its threshold)`);
    return undefined;
  }
  const threshold = get(condition, "threshold");
  const lookbackMs = parseShorthand(get(condition, "lookbackWindow"));
  if (typeof threshold !== "number" || lookbackMs === undefined) {
    fail("spec.condition", `invalid value (got threshold ${describeValue(threshold)} and lookbackWindow ${describeValue(get(condition, "lookbackWindow"))}, expected a burn-rate threshold number and a lookback like 1h)`);
    return undefined;
  }
  let tier = "";
  for (const slo of slos) {
    const candidates = sloTiers(slo, ctx.options.burnTiers);
    const match = candidates.find((tier) => tier.longWindowMs === lookbackMs && Math.abs(tier.burnRate - threshold) <= tier.burnRate * 0.005);
    if (!match) {
      const known = uniqueTiers(candidates).map((t) => `${t.name} (${t.severity}) ${t.burnRate} over ${formatShorthand(t.longWindowMs)}`).join(", ");
      fail("spec.condition", `burn-rate condition is not one of the stack's tiers (got threshold ${threshold} over ${describeValue(get(condition, "lookbackWindow"))} for SLO ${slo.name}, ${slo.objective} % over ${slo.window ?? "30d"}; expected one of: ${known}; or add it to monitoring-stack:burnRateTiers and import with --stack)`);
      return undefined;
    }
    if (match.severity !== severity) {
      fail("spec.severity", `severity differs from the tier (got ${describeValue(severityText)} for the ${match.name} tier, expected ${match.severity})`);
      return undefined;
    }
    tier = match.name;
  }
  if (get(condition, "alertAfter") !== undefined) ctx.alertAfterIgnored++;
  return { severity, tier };
}

/** The tiers a condition may name: as fitted to the SLO's backend, and as the definition scales to its window. */
function sloTiers(slo: SloSpec, definitions: readonly BurnTierDefinition[]): BurnTier[] {
  const windowMs = Number((slo.window ?? "30d").slice(0, -1)) * DAY_MS;
  return [...allSloTiers(slo, { endpoints: [], tier: "standard" }, { burnTiers: definitions }), ...burnTiers(slo.objective, windowMs, definitions, { minShortWindowMs: MIN_SHORT_WINDOW_MS, backend: "the definition", mechanics: cloudMonitoringMechanics() })];
}

function uniqueTiers(tiers: readonly BurnTier[]): BurnTier[] {
  const seen = new Set<string>();
  return tiers.filter((t) => {
    const key = `${t.name}/${t.burnRate}/${t.longWindowMs}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** One declaration from a Service document (if any) and its SLOs. */
function buildService(name: string, slos: readonly ImportedSlo[], ctx: Context): ImportedService | undefined {
  const serviceDoc = ctx.index.get(`Service/${name}`);
  const before = ctx.problems.length;
  const first = slos[0]?.doc;
  const anchor = serviceDoc ?? first!;
  const notes = slos.flatMap((s) => s.notes);
  if (!DNS_LABEL.test(name)) {
    ctx.problems.push(docProblem(anchor, serviceDoc ? "metadata.name" : "spec.service", `invalid service name (got ${JSON.stringify(name)}, expected a DNS label: lowercase letters, digits and '-', starting with a letter, at most 63 characters)`));
    return undefined;
  }
  if (!serviceDoc) notes.push(`service ${name}: no Service document; declared from its SLOs`);
  if (slos.length === 0) notes.push(`service ${name}: no SLOs`);

  const team = label(serviceDoc, "team") ?? slos.find((s) => s.team)?.team ?? ctx.options.team;
  if (team === undefined || !DNS_LABEL.test(team)) {
    ctx.problems.push(docProblem(anchor, "metadata.labels.team", `${team === undefined ? "missing" : "invalid"} team (got ${describeValue(team)}, expected a team label (a DNS label) on the Service or its SLOs, or --team NAME: every declaration names its owning team)`));
  }
  const tierLabel = label(serviceDoc, "tier");
  if (tierLabel !== undefined && !["critical", "standard", "low"].includes(tierLabel)) {
    ctx.problems.push(docProblem(serviceDoc!, "metadata.labels.tier", `invalid value (got ${JSON.stringify(tierLabel)}, expected critical, standard or low)`));
  }

  let runtime: RuntimeSpec = { external: {} };
  const annotation = get(serviceDoc?.body, "metadata", "annotations", RUNTIME_ANNOTATION);
  const fromSlos = slos.flatMap((s) => (s.runtime ? [{ doc: s.doc, runtime: s.runtime }] : []));
  if (annotation !== undefined) {
    let parsed: unknown;
    try {
      parsed = typeof annotation === "string" ? JSON.parse(annotation) : undefined;
    } catch {
      parsed = undefined;
    }
    const checked = runtimeSchema.safeParse(parsed);
    if (!checked.success) {
      ctx.problems.push(docProblem(serviceDoc!, `metadata.annotations.${RUNTIME_ANNOTATION}`, `invalid value (got ${describeValue(annotation)}, expected the runtime as JSON, like {"cloudRun":{"service":"api","region":"europe-west1"}})`));
    } else {
      runtime = checked.data;
    }
  } else if (fromSlos.length > 0) {
    runtime = fromSlos[0]!.runtime;
  } else {
    notes.push(`service ${name}: runtime set to external (OpenSLO does not say where a service runs); change it to cloudRun or gke if it runs there`);
  }
  for (const { doc, runtime: needed } of fromSlos) {
    if (JSON.stringify(needed) !== JSON.stringify(runtime)) {
      ctx.problems.push(docProblem(doc, "spec.indicator", `conflicting runtime (got Cloud Run metrics of ${needed.cloudRun.service} in ${needed.cloudRun.region}, expected the service's runtime ${JSON.stringify(runtime)}: availability and latency indicators read the service's own Cloud Run metrics)`));
    }
  }

  const runbook = get(serviceDoc?.body, "metadata", "annotations", RUNBOOK_ANNOTATION);
  const routes: Record<Severity, string[]> = { page: [], ticket: [] };
  for (const slo of slos) {
    for (const severity of ["page", "ticket"] as const) {
      for (const channel of slo.routes[severity]) if (!routes[severity].includes(channel)) routes[severity].push(channel);
    }
  }
  const perSlo = (severity: Severity) => new Set(slos.filter((s) => s.routes[severity].length > 0).map((s) => s.routes[severity].join(","))).size > 1;
  for (const severity of ["page", "ticket"] as const) {
    if (perSlo(severity)) notes.push(`service ${name}: ${severity} targets differ between SLOs; channels apply per service, so every ${severity} alert goes to ${routes[severity].join(", ")}`);
  }
  const channels = [...new Set([...routes.page, ...routes.ticket])].filter((channel) => !(ctx.options.knownChannels ?? []).includes(channel));
  if (channels.length > 0) notes.push(`service ${name}: define the channels ${channels.join(", ")} in the stack config (monitoring-stack:channels, credentials in channelSecrets)`);

  const sloSpecs = slos.flatMap((s) => s.slos);
  const seen = new Map<string, ImportedSlo>();
  for (const slo of slos) {
    for (const spec of slo.slos) {
      const other = seen.get(spec.name);
      if (other && other !== slo) ctx.problems.push(docProblem(slo.doc, "metadata.name", `duplicate SLO name in service ${name} (got ${JSON.stringify(spec.name)}, also from ${other.doc.file} ${docPath(other.doc)}; expected SLO names unique within a service)`));
      seen.set(spec.name, slo);
    }
  }

  const spec: ServiceSpec = {
    apiVersion: API_VERSION,
    name,
    team: team ?? "",
    ...(tierLabel ? { tier: tierLabel as ServiceSpec["tier"] } : {}),
    ...(typeof runbook === "string" ? { runbook } : {}),
    runtime,
    ...(sloSpecs.length > 0 ? { slos: sloSpecs } : {}),
    ...(routes.page.length > 0 || routes.ticket.length > 0
      ? { alerting: { ...(routes.page.length > 0 ? { page: routes.page } : {}), ...(routes.ticket.length > 0 ? { ticket: routes.ticket } : {}) } }
      : {}),
  };
  if (ctx.problems.length > before) return undefined;
  const checked = serviceSchema.safeParse(spec, { reportInput: true });
  if (!checked.success) {
    for (const problem of zodProblems(anchor.file, checked.error.issues)) {
      ctx.problems.push({ file: anchor.file, path: `${docPath(anchor)}.imported(${name}).${problem.path}`, message: problem.message });
    }
    return undefined;
  }
  if (serviceDoc) ctx.used.add(serviceDoc);
  return { spec: checked.data, sources: [...new Set([serviceDoc?.file, ...slos.map((s) => s.doc.file)].filter((f): f is string => f !== undefined))].sort(), notes };
}
