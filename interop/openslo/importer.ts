/**
 * OpenSLO (v1, `openslo.com/v1`, v1alpha) → contract v1 declarations.
 *
 * Reads Service, SLO, SLI (inline or by indicatorRef), AlertPolicy,
 * AlertCondition, AlertNotificationTarget and DataSource documents and builds
 * one declaration per service. Calendar windows become calendar periods and
 * Timeslices budgeting the contract's timeslices. What our contract cannot
 * express — a calendar in another time zone or not starting where Cloud
 * Monitoring's periods start, RatioTimeslices, vendor metric sources,
 * burn-rate conditions that are not one of the stack's tiers, … — is a problem naming the file,
 * document, field, value and what was expected: nothing is dropped silently.
 * Choices made for the user where the meaning is unambiguous (a name made a
 * DNS label, Occurrences when no budgeting method is given, a query read as
 * its selector) are returned as notes.
 */
import { DAY_MS, HOUR_MS, MINUTE_MS, formatDuration } from "../../contract/duration";
import { describeValue, type Problem } from "../../contract/problems";
import { SLICE_MINUTES, runtimeSchema, type BudgetingSpec, type CalendarWindow, type IndicatorSpec, type RuntimeSpec, type SloSpec } from "../../contract/serviceSchema";
import { buildService, problemConcerns, sloNameWithin, subDayWindowProblem, unitOf, type ImportedService, type ImportedSlo, type ImportOptions, type ServiceSource } from "../declarations";
import { dnsLabel, docPath, documentOfPath, get, isObject, numberLike, reasonSummary, type JsonObject } from "../documents";
import { alerting } from "./alertPolicies";
import { failAt, label, type Context, type Fail } from "./context";
import { RUNBOOK_ANNOTATION, RUNTIME_ANNOTATION, parseShorthand, type SourceDocument } from "./documents";
import { mapIndicator, resolveIndicator, thresholdIndicator, type MappedIndicator } from "./indicators";

export type { ImportedService, ImportOptions } from "../declarations";

export interface ImportResult {
  services: ImportedService[];
  problems: Problem[];
  /** Notes about documents that describe nothing to import (an AlertPolicy no SLO uses). */
  notes: string[];
  /** Every SLO document given, imported or not. */
  slos: SourceDocument[];
}

/** Windows Cloud Monitoring can roll over: 1 to 30 days. */
const MAX_WINDOW_DAYS = 30;
const SLO_KEYS = ["description", "service", "indicator", "indicatorRef", "timeWindow", "budgetingMethod", "objectives", "alertPolicies"];
const OBJECTIVE_KEYS = ["name", "displayName", "op", "value", "target", "targetPercent", "timeSliceTarget", "timeSliceWindow"];

/**
 * Reads the documents of every file together (references may cross files).
 * `references` are documents only looked up by name (an SLI, DataSource or
 * AlertPolicy of a neighbouring file), never imported themselves. `others`
 * are SLOs imported from other formats, declared with the same services.
 */
export function importOpenSlo(documents: readonly SourceDocument[], options: ImportOptions, references: readonly SourceDocument[] = [], others: readonly ImportedSlo[] = []): ImportResult {
  const problems: Problem[] = [];
  const index = indexDocuments(documents, references, problems);
  const ctx: Context = { index, used: new Set(), problems: [], options, alertAfterIgnored: 0 };
  const imported = documents.filter((d) => d.kind === "SLO").flatMap((doc) => collect(ctx, problems, () => importSlo(doc, ctx), doc) ?? []);
  const services = importServices(documents, [...imported, ...others], ctx, problems);
  const notes = documents
    .filter((doc) => !ctx.used.has(doc) && doc.kind !== "SLO" && doc.kind !== "Service")
    .map((doc) => `${doc.file} ${docPath(doc)}: not used by any SLO, nothing to import`);
  if (ctx.alertAfterIgnored > 0) {
    notes.push(`alertAfter of ${ctx.alertAfterIgnored} burn-rate condition(s) not used: each tier fires as soon as the burn rate over its long window and over its short window both reach the threshold`);
  }
  return { services, problems, notes, slos: documents.filter((d) => d.kind === "SLO") };
}

/** Documents by kind and name; a name given twice among the imported documents is a problem. */
function indexDocuments(documents: readonly SourceDocument[], references: readonly SourceDocument[], problems: Problem[]): Map<string, SourceDocument> {
  const index = new Map<string, SourceDocument>();
  for (const doc of documents) {
    const key = `${doc.kind}/${doc.name}`;
    const earlier = index.get(key);
    if (earlier) problems.push(failProblem(doc, "metadata.name", `duplicate ${doc.kind} name (got ${JSON.stringify(doc.name)}, expected names unique per kind: already defined in ${earlier.file} ${docPath(earlier)})`));
    else index.set(key, doc);
  }
  for (const doc of references) if (!index.has(`${doc.kind}/${doc.name}`)) index.set(`${doc.kind}/${doc.name}`, doc);
  return index;
}

function failProblem(doc: SourceDocument, field: string, message: string): Problem {
  return { file: doc.file, path: `${docPath(doc)}.${field}`, message };
}

/**
 * Runs one import step with its own problems; keeps its result only when it
 * had none. Problems are reported once: a problem in a document shared by
 * several SLOs (an AlertPolicy) only for the first SLO that met it.
 */
function collect<T>(ctx: Context, problems: Problem[], step: () => T, owner?: SourceDocument): T | undefined {
  ctx.problems = [];
  const result = step();
  const own = ctx.problems;
  ctx.problems = [];
  const ownPath = owner ? docPath(owner) : undefined;
  const inOwner = (problem: Problem) => problem.file === owner!.file && problem.path.startsWith(ownPath!);
  for (const problem of own) {
    const shared = ownPath !== undefined && !inOwner(problem);
    if (!problems.some((p) => p.file === problem.file && p.path === problem.path && (shared || p.message === problem.message))) problems.push(problem);
  }
  // Refused for problems of documents it uses only (an AlertPolicy, an SLI): said at the SLO too, so it is never left out unsaid.
  if (owner && own.length > 0 && !own.some(inOwner)) {
    const elsewhere = [...new Set(own.map((p) => `${p.file} ${documentOfPath(p.path)}`))];
    problems.push({ file: owner.file, path: ownPath!, message: `refused with the documents it uses (got problems in ${elsewhere.join(", ")}, expected documents that import: their reasons are listed there)` });
  }
  return own.length === 0 ? result : undefined;
}

/** One declaration per service named by an SLO or a Service document. */
function importServices(documents: readonly SourceDocument[], slos: readonly ImportedSlo[], ctx: Context, problems: Problem[]): ImportedService[] {
  const sources = new Map<string, ServiceSource>();
  for (const doc of documents.filter((d) => d.kind === "Service")) {
    const source = collect(ctx, problems, () => serviceSource(doc, ctx));
    if (source) sources.set(source.name, source.source);
  }
  const names = [...new Set([...slos.map((s) => s.service), ...sources.keys()])].sort();
  const services: ImportedService[] = [];
  for (const name of names) {
    const own = slos.filter((s) => s.service === name);
    const before = problems.length;
    const imported = collect(ctx, problems, () => buildService(name, own, sources.get(name), ctx));
    if (imported) {
      services.push(imported);
      continue;
    }
    // A refused service refuses its SLOs: each one not already concerned by its problems says so.
    const reasons = problems.slice(before);
    const first = reasons[0];
    for (const slo of own) {
      const unit = unitOf(slo);
      if (first === undefined || reasons.some((p) => problemConcerns(p, unit))) continue;
      problems.push({ file: unit.file, path: unit.path, message: `refused with its service (got service ${name} refused at ${first.file} ${first.path}: ${reasonSummary(first)}, expected a service that imports: its reasons are listed there)` });
    }
  }
  return services;
}

/** A service's name as a DNS label, with a note when it had to change. */
function serviceName(name: string, where: string, notes: string[]): string | undefined {
  const renamed = dnsLabel(name);
  if (renamed !== undefined && renamed !== name) notes.push(`${where}: service ${JSON.stringify(name)} named ${renamed} (names are DNS labels)`);
  return renamed;
}

/** What a Service document says: team, tier, runbook and runtime (annotations). */
function serviceSource(doc: SourceDocument, ctx: Context): { name: string; source: ServiceSource } | undefined {
  const fail = failAt(doc, ctx);
  const notes: string[] = [];
  const name = serviceName(doc.name, `${doc.file} ${docPath(doc)}`, notes);
  if (name === undefined) {
    fail("metadata.name", `invalid service name (got ${JSON.stringify(doc.name)}, expected a name with letters or digits)`);
    return undefined;
  }
  ctx.used.add(doc);
  const runtime = serviceRuntime(doc, fail);
  const runbook = get(doc.body, "metadata", "annotations", RUNBOOK_ANNOTATION);
  const team = label(doc, "team");
  const tier = label(doc, "tier");
  return {
    name,
    source: { doc, ...(team ? { team } : {}), ...(tier ? { tier } : {}), ...(typeof runbook === "string" ? { runbook } : {}), ...(runtime ? { runtime } : {}) },
  };
}

function serviceRuntime(doc: SourceDocument, fail: Fail): RuntimeSpec | undefined {
  const annotation = get(doc.body, "metadata", "annotations", RUNTIME_ANNOTATION);
  if (annotation === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = typeof annotation === "string" ? JSON.parse(annotation) : undefined;
  } catch {
    parsed = undefined;
  }
  const checked = runtimeSchema.safeParse(parsed);
  if (!checked.success) {
    fail(`metadata.annotations.${RUNTIME_ANNOTATION}`, `invalid value (got ${describeValue(annotation)}, expected the runtime as JSON, like {"cloudRun":{"service":"api","region":"europe-west1"}})`);
    return undefined;
  }
  return checked.data;
}

/** One SLO document: every problem of it reported, nothing returned when there is one. */
function importSlo(doc: SourceDocument, ctx: Context): ImportedSlo | undefined {
  const fail = failAt(doc, ctx);
  const spec = doc.body["spec"] as JsonObject;
  const notes: string[] = [];
  const where = `${doc.file} ${docPath(doc)}`;
  const service = sloService(spec, fail, where, notes);
  checkSloKeys(spec, fail);
  const window = readWindow(spec, fail, where, notes);
  const budgeting = readBudgeting(spec, fail, where, notes);
  const source = resolveIndicator(doc, spec, ctx);
  const mapped = source ? mapIndicator(source, ctx, notes) : undefined;
  const base = sloNameWithin(service ?? "", doc.name);
  const slos = readObjectives(spec, base, window, mapped, budgeting, fail, where, notes);
  const routes = alerting(doc, spec, slos, ctx, notes);
  const subDay = slos.map((slo) => subDayWindowProblem(slo, ctx.options)).find((p) => p !== undefined);
  if (subDay) fail("spec.timeWindow[0].duration", subDay);
  if (ctx.problems.length > 0 || service === undefined) return undefined;
  // The switches say exactly what the policies said, whatever the tier defaults are.
  for (const slo of slos) slo.alerting = { page: routes.severities.has("page"), ticket: routes.severities.has("ticket") };
  const added = [...new Set(ctx.options.burnTiers.filter((t) => routes.severities.has(t.severity) && !routes.tiers.has(t.name)).map((t) => t.name))];
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

function sloService(spec: JsonObject, fail: Fail, where: string, notes: string[]): string | undefined {
  const service = spec["service"];
  const name = typeof service === "string" ? serviceName(service, where, notes) : undefined;
  if (name === undefined) fail("spec.service", `invalid value (got ${describeValue(service)}, expected the name of the service)`);
  return name;
}

/** Composite SLOs and other shapes of later specifications. */
function checkSloKeys(spec: JsonObject, fail: Fail): void {
  for (const key of Object.keys(spec)) {
    if (!SLO_KEYS.includes(key)) {
      fail(`spec.${key}`, `not supported (got ${describeValue(key)}, expected only ${SLO_KEYS.join(", ")}: composite SLOs and other extensions have no equivalent in contract v1)`);
    }
  }
}

/** One rolling window of whole days, 1d..30d, or a calendar period; none means the contract's default 30d. */
function readWindow(spec: JsonObject, fail: Fail, where: string, notes: string[]): string | undefined {
  const windows = spec["timeWindow"];
  if (windows === undefined || windows === null) {
    notes.push(`${where}: no timeWindow; the contract's default rolling 30d applies`);
    return undefined;
  }
  if (!Array.isArray(windows) || windows.length !== 1 || !isObject(windows[0])) {
    fail("spec.timeWindow", `invalid value (got ${describeValue(windows)}, expected one window like [{duration: 28d, isRolling: true}] or [{duration: 1M, isRolling: false, calendar: {startTime: "2024-01-01 00:00:00", timeZone: UTC}}])`);
    return undefined;
  }
  const window = windows[0];
  if (window["calendar"] !== undefined || window["isRolling"] === false) return calendarWindow(window, fail, where, notes);
  if (window["isRolling"] === undefined) notes.push(`${where}.spec.timeWindow[0]: isRolling not given; read as rolling (there is no calendar)`);
  const ms = parseShorthand(window["duration"]);
  // Below a day, whole hours: taken for SLOs Prometheus evaluates, with tiers that pass there (checked once the SLO is known).
  if (ms !== undefined && ms < DAY_MS && ms % HOUR_MS === 0) return `${ms / HOUR_MS}h`;
  const days = ms !== undefined && ms % DAY_MS === 0 ? ms / DAY_MS : undefined;
  if (days === undefined || days < 1 || days > MAX_WINDOW_DAYS) {
    fail("spec.timeWindow[0].duration", `invalid value (got ${describeValue(window["duration"])}, expected a rolling window of whole days between 1d and 30d, like 28d or 4w (Cloud Monitoring's rolling period limit), or of whole hours below a day for a Prometheus indicator; months (M), quarters (Q) and years (Y) are calendar units)`);
    return undefined;
  }
  return `${days}d`;
}

/** OpenSLO calendar durations Cloud Monitoring has a calendar period for. */
const CALENDAR_DURATIONS: Record<string, CalendarWindow> = { "1d": "calendar-day", "1w": "calendar-week", "7d": "calendar-week", "2w": "calendar-fortnight", "14d": "calendar-fortnight", "1M": "calendar-month" };
/** Time zones that are UTC, where Cloud Monitoring's calendar periods begin (google/type/calendar_period.proto: "All calendar times begin at midnight UTC"). */
const UTC_ZONES = ["UTC", "Etc/UTC", "GMT", "Etc/GMT", "Z"];
const WHY_UTC = "Cloud Monitoring's calendar periods begin at midnight UTC, weeks on Monday (ISO 8601), fortnights at ISO weeks 1, 3, 5, …, months on the 1st";

/**
 * A calendar window as a calendar period, when Cloud Monitoring's periods
 * start where the document's do: a day, week, fortnight or month, in UTC,
 * from a start at midnight on a boundary of that period.
 */
function calendarWindow(window: JsonObject, fail: Fail, where: string, notes: string[]): string | undefined {
  const duration = window["duration"];
  const period = typeof duration === "string" ? CALENDAR_DURATIONS[duration] : undefined;
  if (period === undefined) {
    fail("spec.timeWindow[0].duration", `not supported (got ${describeValue(duration)} for a calendar window, expected 1d, 1w, 2w or 1M: Cloud Monitoring's calendar periods are a day, a week, a fortnight and a month)`);
    return undefined;
  }
  const calendar = window["calendar"];
  if (calendar === undefined) {
    notes.push(`${where}.spec.timeWindow[0]: calendar window without a calendar; read as ${period}, which starts at midnight UTC`);
    return period;
  }
  if (!isObject(calendar)) {
    fail("spec.timeWindow[0].calendar", `invalid value (got ${describeValue(calendar)}, expected {startTime: "2024-01-01 00:00:00", timeZone: UTC})`);
    return undefined;
  }
  let ok = true;
  const zone = calendar["timeZone"];
  if (zone !== undefined && !(typeof zone === "string" && UTC_ZONES.includes(zone))) {
    fail("spec.timeWindow[0].calendar.timeZone", `not supported (got ${describeValue(zone)}, expected UTC: ${WHY_UTC}; a period in another time zone would start and end hours apart from the document's)`);
    ok = false;
  }
  const start = calendar["startTime"];
  if (start !== undefined) {
    const problem = startProblem(start, period);
    if (problem) {
      fail("spec.timeWindow[0].calendar.startTime", `not supported (got ${describeValue(start)}, expected ${problem}: ${WHY_UTC})`);
      ok = false;
    }
  }
  if (!ok) return undefined;
  if (zone === undefined) notes.push(`${where}.spec.timeWindow[0].calendar: no timeZone; read as UTC, where Cloud Monitoring's periods begin`);
  return period;
}

/** What is wrong with a calendar start for `period` (a midnight on one of its boundaries), or undefined when it is one. */
function startProblem(start: unknown, period: CalendarWindow): string | undefined {
  const match = typeof start === "string" ? /^([0-9]{4})-([0-9]{2})-([0-9]{2})[ T]([0-9]{2}):([0-9]{2}):([0-9]{2})Z?$/.exec(start.trim()) : null;
  if (!match) return 'a start time like "2024-01-01 00:00:00"';
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return 'a real date like "2024-01-01 00:00:00"';
  if (hour !== 0 || minute !== 0 || second !== 0) return "a start at midnight (00:00:00)";
  if (period === "calendar-month" && day !== 1) return "the 1st of a month";
  const weekday = (date.getUTCDay() + 6) % 7; // Monday 0
  if ((period === "calendar-week" || period === "calendar-fortnight") && weekday !== 0) return "a Monday";
  if (period === "calendar-fortnight" && (isoWeek(date) % 2 !== 1 || isoWeek(date) === 53)) return "the Monday of an odd ISO week (1, 3, 5, …, not 53: week 1 starts a new fortnight)";
  return undefined;
}

/** ISO 8601 week number of a UTC date. */
function isoWeek(date: Date): number {
  const thursday = new Date(date.getTime() + (3 - ((date.getUTCDay() + 6) % 7)) * DAY_MS);
  const firstThursday = new Date(Date.UTC(thursday.getUTCFullYear(), 0, 4));
  return 1 + Math.round(((thursday.getTime() - firstThursday.getTime()) / DAY_MS - 3 + ((firstThursday.getUTCDay() + 6) % 7)) / 7);
}

/** Occurrences (also when not given) or Timeslices; RatioTimeslices is refused. */
type Budgeting = "occurrences" | "timeslices" | undefined;

function readBudgeting(spec: JsonObject, fail: Fail, where: string, notes: string[]): Budgeting {
  const method = spec["budgetingMethod"];
  if (method === undefined) {
    notes.push(`${where}: no budgetingMethod; read as Occurrences (good events among all events)`);
    return "occurrences";
  }
  if (method === "Occurrences") return "occurrences";
  if (method === "Timeslices") return "timeslices";
  if (method === "RatioTimeslices") {
    fail(
      "spec.budgetingMethod",
      "not supported (got \"RatioTimeslices\", expected Occurrences or Timeslices: RatioTimeslices averages the slices' ratios, and Cloud Monitoring's windows-based SLIs only count good windows, each good or bad (service.proto WindowsBasedSli: good_service is \"the count of time windows for which the provided service was of good quality\"); Timeslices with a timeSliceTarget counts good slices)",
    );
    return undefined;
  }
  fail("spec.budgetingMethod", `invalid value (got ${describeValue(method)}, expected Occurrences or Timeslices)`);
  return undefined;
}

/** The objective's timeslices budgeting: its timeSliceTarget (0..1) and timeSliceWindow (whole minutes dividing a day). */
function sliceBudgeting(objective: JsonObject, at: string, fail: Fail): BudgetingSpec | undefined {
  const target = numberLike(objective["timeSliceTarget"]);
  const window = objective["timeSliceWindow"];
  const ms = typeof window === "number" ? window * 1000 : parseShorthand(window);
  let ok = true;
  if (target === undefined || !(target > 0 && target < 1)) {
    fail(`${at}.timeSliceTarget`, `${objective["timeSliceTarget"] === undefined ? "missing required field" : "invalid value"} (got ${describeValue(objective["timeSliceTarget"])}, expected the share of good events that makes a slice good, strictly between 0 and 1, like 0.95)`);
    ok = false;
  }
  if (ms === undefined || ms % MINUTE_MS !== 0 || !SLICE_MINUTES.includes(ms / MINUTE_MS)) {
    fail(
      `${at}.timeSliceWindow`,
      `${window === undefined ? "missing required field" : "invalid value"} (got ${describeValue(window)}, expected a slice like 1m or 5m: a whole number of minutes that divides a day, Cloud Monitoring's windowPeriod rule)`,
    );
    ok = false;
  }
  return ok ? { method: "timeslices", slice: formatDuration(ms!), sliceTarget: target! } : undefined;
}

function readObjectives(spec: JsonObject, base: string, window: string | undefined, mapped: MappedIndicator | undefined, budgeting: Budgeting, fail: Fail, where: string, notes: string[]): SloSpec[] {
  const objectives = spec["objectives"];
  if (!Array.isArray(objectives) || objectives.length === 0) {
    fail("spec.objectives", `missing required field (got ${describeValue(objectives)}, expected at least one objective with target or targetPercent)`);
    return [];
  }
  const names = new Set<string>();
  const slos: SloSpec[] = [];
  objectives.forEach((objective, i) => {
    const at = `spec.objectives[${i}]`;
    if (!isObject(objective)) {
      fail(at, `invalid value (got ${describeValue(objective)}, expected a mapping with target or targetPercent)`);
      return;
    }
    const name = objectiveName(objectives.length === 1 ? base : `${base}-${objectiveSuffix(objective, i)}`, objectives.length === 1 ? "metadata.name" : `${at}.name`, fail, where, notes);
    if (name !== undefined && names.has(name)) fail(`${at}.displayName`, `duplicate objective name (got ${JSON.stringify(name)}, expected each objective of an SLO to have its own name or displayName)`);
    if (name !== undefined) names.add(name);
    const slo = objectiveSlo(objective, at, mapped, budgeting, window, fail, where, notes);
    if (slo && name !== undefined) slos.push({ name, objective: slo.percent, ...(window ? { window } : {}), ...(slo.budgeting ? { budgeting: slo.budgeting } : {}), indicator: slo.indicator });
  });
  return slos;
}

function objectiveSuffix(objective: JsonObject, i: number): string {
  const own = objective["name"] ?? objective["displayName"];
  return typeof own === "string" ? own : `${i + 1}`;
}

/** The SLO name as a DNS label, with a note when it had to change. */
function objectiveName(name: string, field: string, fail: Fail, where: string, notes: string[]): string | undefined {
  const label = dnsLabel(name);
  if (label === undefined) {
    fail(field, `invalid SLO name (got ${JSON.stringify(name)}, expected a name with letters or digits)`);
    return undefined;
  }
  if (label !== name) notes.push(`${where}: SLO ${JSON.stringify(name)} named ${label} (names are DNS labels)`);
  return label;
}

function objectiveSlo(objective: JsonObject, at: string, mapped: MappedIndicator | undefined, budgeting: Budgeting, window: string | undefined, fail: Fail, where: string, notes: string[]): { percent: number; indicator: IndicatorSpec; budgeting?: BudgetingSpec } | undefined {
  for (const key of Object.keys(objective)) {
    if (!OBJECTIVE_KEYS.includes(key)) fail(`${at}.${key}`, `not supported (got ${describeValue(key)}, expected only name, displayName, op, value, target, targetPercent, timeSliceTarget or timeSliceWindow)`);
  }
  if (budgeting === "occurrences") {
    for (const key of ["timeSliceTarget", "timeSliceWindow"]) {
      // Under Occurrences these fields would be silently meaningless.
      if (objective[key] !== undefined) fail(`${at}.${key}`, `not supported with Occurrences (got ${describeValue(objective[key])}, expected no time slices, or budgetingMethod: Timeslices)`);
    }
  }
  const slices = budgeting === "timeslices" ? sliceBudgeting(objective, at, fail) : undefined;
  const percent = objectivePercent(objective, at, fail);
  let indicator: IndicatorSpec | undefined;
  if (mapped?.kind === "ratio") {
    if (objective["value"] !== undefined) fail(`${at}.value`, `not supported with a ratioMetric (got ${describeValue(objective["value"])}, expected no value: a ratio SLI is good events over total events)`);
    indicator = mapped.indicator;
  } else if (mapped?.kind === "threshold") {
    indicator = thresholdIndicator(mapped, objective, at, fail, notes, where);
  }
  if ((indicator?.prometheus || indicator?.promql) && window !== undefined && window.startsWith("calendar-")) {
    fail(`${at}`, `not supported (got a calendar window, ${window}, with a Prometheus indicator, expected a rolling window: PromQL ranges look back a fixed time and have no calendar boundaries; indicators Cloud Monitoring evaluates support calendar periods)`);
    return undefined;
  }
  if (slices && indicator?.uptime) {
    fail(`${at}`, "not supported with Timeslices (got an uptime indicator, expected Occurrences: an uptime SLO already counts check windows, each good when the check passed)");
    return undefined;
  }
  if (budgeting === "timeslices" && !slices) return undefined;
  return percent !== undefined && indicator !== undefined ? { percent, indicator, ...(slices ? { budgeting: slices } : {}) } : undefined;
}

/** The objective in percent, from target (a fraction) or targetPercent; numbers written as strings are read. */
function objectivePercent(objective: JsonObject, at: string, fail: Fail): number | undefined {
  const target = objective["target"];
  const targetPercent = objective["targetPercent"];
  const targetNumber = numberLike(target);
  const fromTarget = targetNumber !== undefined ? Math.round(targetNumber * 100 * 1e10) / 1e10 : undefined;
  const fromPercent = numberLike(targetPercent);
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
