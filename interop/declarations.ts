/**
 * What every importer produces and how it becomes declarations: each format
 * turns its documents into imported SLO units (one SLO document, one Sloth
 * SLO, one Pyrra object), and the units of a service, with what a Service
 * document says about it, become one contract v1 declaration.
 */
import { DNS_LABEL } from "../contract/fields";
import { describeValue, type Problem } from "../contract/problems";
import { API_VERSION, INDICATOR_KINDS, isSubDayWindow, serviceSchema, type RuntimeSpec, type ServiceSpec, type Severity, type SloSpec } from "../contract/serviceSchema";
import type { BurnTierDefinition } from "../contract/stackConfig";
import { round } from "../contract/duration";
import { zodProblems } from "../contract/zodProblems";
import { alertQualityProblems, allSloTiers, subDayTierMessage } from "../model/service";
import { sliSource } from "../model/indicators";
import { docPath, docProblem, documentOfPath, type DocumentRef } from "./documents";

export interface ImportOptions {
  /** Team of services whose documents name none. Default: none (such services are refused). */
  team?: string;
  /** Burn-rate tiers of the target stack; OpenSLO conditions must be one of them. */
  burnTiers: readonly BurnTierDefinition[];
  /** Channel names the target stack defines; the others are listed for the user to add. Default: none. */
  knownChannels?: readonly string[];
  /** The SLO period of Sloth specs, which carry none (`sloth generate --default-slo-period`), as an SLO window. Default: 30d, Sloth's. */
  slothPeriod?: string;
  /**
   * Sloth AlertWindows whose burn rate is below 1 get the smallest budget share
   * that makes it 1, their windows kept, each change said in a note. Default:
   * false (they are refused, the reason saying what would work).
   */
  fitAlertWindows?: boolean;
}

/** One imported SLO document (or Sloth SLO, or Pyrra object): the contract SLOs it gave. */
export interface ImportedSlo {
  doc: DocumentRef;
  /** Where the SLO is inside its document when the document holds several (a Sloth `slos[1]`). */
  entry?: string;
  service: string;
  slos: SloSpec[];
  /** Alert severities and their notification targets. */
  routes: Record<Severity, string[]>;
  runtime?: { cloudRun: { service: string; region: string } };
  team?: string;
  notes: string[];
}

/** What a format says about a service beyond its SLOs (an OpenSLO Service document). */
export interface ServiceSource {
  doc: DocumentRef;
  team?: string;
  tier?: string;
  runbook?: string;
  /** Runtime the document states; undefined when it states none. */
  runtime?: RuntimeSpec;
}

export interface ImportedService {
  spec: ServiceSpec;
  /** Files the declaration was built from. */
  sources: string[];
  /** The SLOs of the source documents it holds. */
  units: SloUnit[];
  /** Choices made for the user, to review. */
  notes: string[];
}

/** One SLO of a source document, as the accounting counts it: an OpenSLO SLO document, a Sloth `slos[]` entry, a Pyrra object. */
export interface SloUnit {
  file: string;
  /** `doc[0](SLO/x)`, or `doc[0](Sloth/x).slos[1]`. */
  path: string;
}

export function unitOf(slo: Pick<ImportedSlo, "doc" | "entry">): SloUnit {
  return { file: slo.doc.file, path: slo.entry ? `${docPath(slo.doc)}.${slo.entry}` : docPath(slo.doc) };
}

const ENTRY = /^doc\[\d+\](?:\[\d+\])?(?:\([^)]*\))?\.(?:spec\.)?slos\[(\d+)\]/;

/**
 * Whether a problem concerns an SLO unit: it is in the unit's document, and
 * in its entry or in none (a problem of the whole document refuses every SLO
 * it holds).
 */
export function problemConcerns(problem: Problem, unit: SloUnit): boolean {
  if (problem.file !== unit.file || documentOfPath(problem.path) !== documentOfPath(unit.path)) return false;
  const entry = ENTRY.exec(problem.path)?.[1];
  return entry === undefined || entry === ENTRY.exec(unit.path)?.[1];
}

export interface BuildContext {
  problems: Problem[];
  options: ImportOptions;
}

const TIERS = ["critical", "standard", "low"] as const;

/** One declaration from what is known of a service and its SLOs; undefined (with problems) when it cannot be built. */
export function buildService(name: string, slos: readonly ImportedSlo[], source: ServiceSource | undefined, ctx: BuildContext): ImportedService | undefined {
  const anchor = source?.doc ?? slos[0]!.doc;
  const before = ctx.problems.length;
  const notes = slos.flatMap((s) => s.notes);
  if (!DNS_LABEL.test(name)) {
    ctx.problems.push(docProblem(anchor, source ? "metadata.name" : "spec.service", `invalid service name (got ${JSON.stringify(name)}, expected a DNS label: lowercase letters, digits and '-', starting with a letter, at most 63 characters)`));
    return undefined;
  }
  if (!source) notes.push(`service ${name}: no Service document; declared from its SLOs`);
  if (slos.length === 0) notes.push(`service ${name}: no SLOs`);
  const team = serviceTeam(anchor, source, slos, ctx);
  const tier = serviceTier(source, ctx);
  const runtime = serviceRuntime(name, source, slos, notes, ctx);
  const alerting = serviceRoutes(name, slos, notes, ctx.options.knownChannels ?? []);
  checkUniqueSloNames(name, slos, ctx);
  if (ctx.problems.length > before) return undefined;
  const sloSpecs = slos.flatMap((s) => s.slos);
  switchOffSilentTiers(name, sloSpecs, tier, ctx.options.burnTiers, notes);
  const spec: ServiceSpec = {
    apiVersion: API_VERSION,
    name,
    team: team ?? "",
    ...(tier ? { tier } : {}),
    ...(source?.runbook !== undefined ? { runbook: source.runbook } : {}),
    runtime,
    ...(sloSpecs.length > 0 ? { slos: sloSpecs } : {}),
    ...(alerting ? { alerting } : {}),
  };
  const checked = checkDeclaration(name, spec, anchor, ctx);
  if (!checked) return undefined;
  const sources = [...new Set([source?.doc.file, ...slos.map((s) => s.doc.file)].filter((f): f is string => f !== undefined))].sort();
  return { spec: checked, sources, units: slos.map(unitOf), notes };
}

/**
 * A severity whose tier can never fire at the SLO's objective (burn rate ×
 * budget above 100 %) is switched off, said in a note: an alert that cannot
 * fire would only look like cover.
 */
function switchOffSilentTiers(name: string, slos: SloSpec[], tier: ServiceSpec["tier"], burnTiers: ImportOptions["burnTiers"], notes: string[]): void {
  for (const slo of slos) {
    for (const resolved of allSloTiers(slo, { endpoints: [], tier: tier ?? "standard" }, { burnTiers })) {
      if (resolved.canFire || resolved.omitted !== undefined || slo.alerting?.[resolved.severity] === false) continue;
      slo.alerting = { ...slo.alerting, [resolved.severity]: false };
      notes.push(`service ${name} SLO ${slo.name}: ${resolved.severity} alerts switched off: the ${resolved.name} tier can never fire at ${slo.objective} % (burn ${resolved.burnRate} × budget ${round(1 - slo.objective / 100, 6)} is more than 100 % errors)`);
    }
  }
}

function serviceTeam(anchor: DocumentRef, source: ServiceSource | undefined, slos: readonly ImportedSlo[], ctx: BuildContext): string | undefined {
  const team = source?.team ?? slos.find((s) => s.team)?.team ?? ctx.options.team;
  if (team === undefined || !DNS_LABEL.test(team)) {
    ctx.problems.push(docProblem(anchor, "metadata.labels.team", `${team === undefined ? "missing" : "invalid"} team (got ${describeValue(team)}, expected a team label (a DNS label) on the service or its SLOs, or --team NAME: every declaration names its owning team)`));
  }
  return team;
}

function serviceTier(source: ServiceSource | undefined, ctx: BuildContext): ServiceSpec["tier"] {
  const tier = source?.tier;
  if (tier === undefined) return undefined;
  if (!(TIERS as readonly string[]).includes(tier)) {
    ctx.problems.push(docProblem(source!.doc, "metadata.labels.tier", `invalid value (got ${JSON.stringify(tier)}, expected critical, standard or low)`));
    return undefined;
  }
  return tier as ServiceSpec["tier"];
}

/** The service's runtime: as its Service document states, else as its Cloud Run indicators need, else external. */
function serviceRuntime(name: string, source: ServiceSource | undefined, slos: readonly ImportedSlo[], notes: string[], ctx: BuildContext): RuntimeSpec {
  const fromSlos = slos.flatMap((s) => (s.runtime ? [{ doc: s.doc, runtime: s.runtime }] : []));
  const runtime: RuntimeSpec = source?.runtime ?? fromSlos[0]?.runtime ?? { external: {} };
  if (!source?.runtime && fromSlos.length === 0) {
    notes.push(`service ${name}: runtime set to external (the documents do not say where the service runs); change it to cloudRun or gke if it runs there`);
  }
  for (const { doc, runtime: needed } of fromSlos) {
    if (JSON.stringify(needed) !== JSON.stringify(runtime)) {
      ctx.problems.push(docProblem(doc, "spec.indicator", `conflicting runtime (got Cloud Run metrics of ${needed.cloudRun.service} in ${needed.cloudRun.region}, expected the service's runtime ${JSON.stringify(runtime)}: availability and latency indicators read the service's own Cloud Run metrics)`));
    }
  }
  return runtime;
}

/** Channels per severity, merged over the service's SLOs (channels apply per service). */
function serviceRoutes(name: string, slos: readonly ImportedSlo[], notes: string[], knownChannels: readonly string[]): ServiceSpec["alerting"] {
  const routes: Record<Severity, string[]> = { page: [], ticket: [], info: [] };
  for (const slo of slos) {
    for (const severity of ["page", "ticket"] as const) {
      for (const channel of slo.routes[severity]) if (!routes[severity].includes(channel)) routes[severity].push(channel);
    }
  }
  for (const severity of ["page", "ticket"] as const) {
    const distinct = new Set(slos.filter((s) => s.routes[severity].length > 0).map((s) => s.routes[severity].join(",")));
    if (distinct.size > 1) notes.push(`service ${name}: ${severity} targets differ between SLOs; channels apply per service, so every ${severity} alert goes to ${routes[severity].join(", ")}`);
  }
  const unknown = [...new Set([...routes.page, ...routes.ticket])].filter((channel) => !knownChannels.includes(channel));
  if (unknown.length > 0) notes.push(`service ${name}: define the channels ${unknown.join(", ")} in the stack config (monitoring-stack:channels, credentials in channelSecrets)`);
  if (routes.page.length === 0 && routes.ticket.length === 0) return undefined;
  return { ...(routes.page.length > 0 ? { page: routes.page } : {}), ...(routes.ticket.length > 0 ? { ticket: routes.ticket } : {}) };
}

function checkUniqueSloNames(name: string, slos: readonly ImportedSlo[], ctx: BuildContext): void {
  const seen = new Map<string, ImportedSlo>();
  for (const slo of slos) {
    for (const spec of slo.slos) {
      const other = seen.get(spec.name);
      if (other && other !== slo) ctx.problems.push(docProblem(slo.doc, "metadata.name", `duplicate SLO name in service ${name} (got ${JSON.stringify(spec.name)}, also from ${other.doc.file} ${docPath(other.doc)}; expected SLO names unique within a service)`));
      seen.set(spec.name, slo);
    }
  }
}

/** The declaration as the contract reads it, or its problems at the document it came from. */
function checkDeclaration(name: string, spec: ServiceSpec, anchor: DocumentRef, ctx: BuildContext): ServiceSpec | undefined {
  const checked = serviceSchema.safeParse(spec, { reportInput: true });
  if (checked.success) return checked.data;
  for (const problem of zodProblems(anchor.file, checked.error.issues)) {
    ctx.problems.push({ file: anchor.file, path: `${docPath(anchor)}.imported(${name}).${problem.path}`, message: problem.message });
  }
  return undefined;
}

/**
 * Why an SLO with a window below a day cannot be imported, or undefined: the
 * window is taken where Prometheus evaluates the SLO (a PromQL indicator)
 * and only with tiers that pass the alert-quality measures there; an SLO at
 * another window than its document's would mean something else, so it is
 * refused, never moved.
 */
export function subDayWindowProblem(slo: SloSpec, options: ImportOptions): string | undefined {
  if (!isSubDayWindow(slo.window)) return undefined;
  const kind = INDICATOR_KINDS.find((k) => slo.indicator[k] !== undefined)!;
  if (sliSource(kind, "cloudMonitoring") !== "promql") {
    return `not supported (got ${JSON.stringify(slo.window)} with a ${kind} indicator, expected a rolling window of whole days from 1d: Cloud Monitoring's rolling periods are whole days; windows below a day are for SLOs Prometheus evaluates)`;
  }
  for (const tier of allSloTiers(slo, { endpoints: [], tier: "standard" }, { burnTiers: options.burnTiers })) {
    if (slo.alerting?.[tier.severity] === false) continue;
    const reasons = alertQualityProblems(tier);
    if (reasons.length > 0) return subDayTierMessage(slo.window!, tier, reasons);
  }
  return undefined;
}

/** The SLO's name within its service: `checkout-availability` of service `checkout` → `availability`. */
export function sloNameWithin(service: string, name: string): string {
  return name.startsWith(`${service}-`) && name.length > service.length + 1 ? name.slice(service.length + 1) : name;
}
