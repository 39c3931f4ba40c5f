/**
 * Import of what teams already have: detects the format of every document
 * (OpenSLO v1, `openslo.com/v1` and v1alpha; Sloth `prometheus/v1` and
 * `sloth.slok.dev/v1`; Pyrra `pyrra.dev/v1alpha1`), imports each with its
 * format's importer, resolves references across every file given and builds
 * one declaration per service. Problems are grouped by the document they are
 * in, so a refused document is reported once with every reason.
 */
import { describeValue, formatProblem, type Problem } from "../contract/problems";
import { problemConcerns, type ImportedService, type ImportedSlo, type ImportOptions, type SloUnit } from "./declarations";
import { docPath, docProblem, documentOfPath, isObject, parseYamlDocuments, positionPath, type Json, type RawDocument } from "./documents";
import { isOpenSlo, openSloDocuments, type SourceDocument } from "./openslo/documents";
import { importOpenSlo } from "./openslo/importer";
import { importPyrra, isPyrra } from "./pyrra/importer";
import { importSloth, slothShape } from "./sloth/importer";
import { importAlertWindows, type ImportedTiers } from "./sloth/alertWindows";
import type { BurnTierDefinition } from "../contract/stackConfig";
import { formatShorthand, reasonSummary } from "./documents";

export { reasonSummary };

export type Format = "OpenSLO" | "Sloth" | "Pyrra";

export interface ImportFile {
  /** As shown in messages. */
  file: string;
  text: string;
}

/** A document left out, with every reason. */
export interface Refusal {
  file: string;
  /** `doc[0](SLO/name)`. */
  document: string;
  /** `path: message`, one per problem. */
  reasons: Problem[];
}

/** One SLO of a source document: imported, or refused with the problems that concern it (never neither). */
export interface SloAccount extends SloUnit {
  imported: boolean;
  reasons: Problem[];
}

/** SLOs of a file: how many it holds, how many were imported. */
export interface FileCount {
  file: string;
  present: number;
  imported: number;
}

/** Burn-rate tiers read from Sloth AlertWindows documents: the stack's `monitoring-stack:burnRateTiers`, keyed by SLO period. */
export interface ImportedTierSet {
  definitions: BurnTierDefinition[];
  /** Files they came from. */
  sources: string[];
}

export interface ImportReport {
  services: ImportedService[];
  /** Tiers from Sloth AlertWindows documents, if any were given (and none refused). */
  tiers?: ImportedTierSet;
  refusals: Refusal[];
  /** Every problem, once. */
  problems: Problem[];
  notes: string[];
  files: FileCount[];
  /** Every SLO of the files imported, one account each. */
  slos: SloAccount[];
}

const EXPECTED_FORMATS = "OpenSLO (apiVersion openslo/v1, openslo.com/v1 or openslo/v1alpha), Sloth (version prometheus/v1 or apiVersion sloth.slok.dev/v1) or Pyrra (apiVersion pyrra.dev/v1alpha1)";

/** The format of a document, or undefined when it is none we read. */
export function detectFormat(body: Json): Format | undefined {
  if (isOpenSlo(body)) return "OpenSLO";
  if (slothShape(body) !== undefined) return "Sloth";
  if (isPyrra(body)) return "Pyrra";
  return undefined;
}

interface Dispatched {
  openSlo: SourceDocument[];
  tiers: ImportedTiers[];
  /** An AlertWindows document was refused. */
  tiersRefused: boolean;
  others: ImportedSlo[];
  /** SLO units of Sloth and Pyrra documents (OpenSLO's are counted when they are imported). */
  units: SloUnit[];
  problems: Problem[];
  notes: string[];
}

/** Every document to its format's reader; Sloth and Pyrra SLOs imported on the way. */
function dispatch(documents: readonly RawDocument[], options: ImportOptions): Dispatched {
  const out: Dispatched = { openSlo: [], tiers: [], tiersRefused: false, others: [], units: [], problems: [], notes: [] };
  for (const raw of documents) {
    const format = detectFormat(raw.body);
    if (format === "OpenSLO") {
      out.openSlo.push(...openSloDocuments(raw, out.problems));
    } else if (format === "Sloth") {
      const shape = slothShape(raw.body)!;
      if (shape === "alertWindows") {
        const result = importAlertWindows(raw, options.fitAlertWindows === true);
        out.problems.push(...result.problems);
        out.notes.push(...result.notes);
        if (result.problems.length > 0) out.tiersRefused = true;
        if (result.tiers) addTiers(out, result.tiers);
        continue;
      }
      const result = importSloth(raw, shape, options);
      out.units.push(...result.units);
      out.others.push(...result.slos);
      out.problems.push(...result.problems);
      out.notes.push(...result.notes);
    } else if (format === "Pyrra") {
      const result = importPyrra(raw, options);
      out.units.push(result.unit);
      if (result.slo) out.others.push(result.slo);
      out.problems.push(...result.problems);
    } else {
      out.problems.push(unknownFormat(raw));
    }
  }
  return out;
}

/** One AlertWindows document per SLO period, as Sloth loads them. */
function addTiers(out: Dispatched, tiers: ImportedTiers): void {
  const other = out.tiers.find((t) => t.periodMs === tiers.periodMs);
  if (other) {
    out.tiersRefused = true;
    out.problems.push(docProblem(tiers.doc, "spec.sloPeriod", `duplicate SLO period (got ${formatShorthand(tiers.periodMs)}, also in ${other.doc.file} ${docPath(other.doc)}; expected one AlertWindows document per SLO period)`));
    return;
  }
  out.tiers.push(tiers);
}

/** The tiers of every AlertWindows document, shortest period first; undefined when there are none. */
function tierSet(tiers: readonly ImportedTiers[]): ImportedTierSet | undefined {
  if (tiers.length === 0) return undefined;
  const sorted = [...tiers].sort((a, b) => a.periodMs - b.periodMs);
  return { definitions: sorted.flatMap((t) => t.definitions), sources: [...new Set(sorted.map((t) => t.doc.file))] };
}

function unknownFormat(raw: RawDocument): Problem {
  const body = raw.body;
  const what = isObject(body) ? `apiVersion ${describeValue(body["apiVersion"] ?? body["version"])}${body["kind"] !== undefined ? ` kind ${describeValue(body["kind"])}` : ""}` : describeValue(body);
  return { file: raw.file, path: positionPath(raw), message: `unknown format (got ${what}, expected ${EXPECTED_FORMATS})` };
}

/** A file read into documents (YAML problems kept with it). */
export interface ParsedFile {
  file: string;
  documents: RawDocument[];
  problems: Problem[];
}

export function parseFile({ file, text }: ImportFile): ParsedFile {
  const problems: Problem[] = [];
  return { file, documents: parseYamlDocuments(text, file, problems), problems };
}

/**
 * Imports the documents of every file together: references may cross files.
 * `referenceFiles` are only looked up by name (OpenSLO SLIs, DataSources,
 * alert policies), never imported.
 */
export function importFiles(files: readonly ImportFile[], options: ImportOptions, referenceFiles: readonly ImportFile[] = []): ImportReport {
  return importParsed(files.map(parseFile), options, referenceFiles.map(parseFile));
}

export function importParsed(files: readonly ParsedFile[], options: ImportOptions, referenceFiles: readonly ParsedFile[] = []): ImportReport {
  const documents = files.flatMap((f) => f.documents);
  const references = referenceFiles.flatMap((f) => f.documents.filter((d) => detectFormat(d.body) === "OpenSLO").flatMap((d) => openSloDocuments(d, [])));
  const dispatched = dispatch(documents, options);
  // Tiers imported with the SLOs replace the stack's, so the declarations are checked against them;
  // when an AlertWindows document is refused the set is incomplete, and none is written.
  const tiers = dispatched.tiersRefused ? undefined : tierSet(dispatched.tiers);
  const effective = tiers ? { ...options, burnTiers: tiers.definitions } : options;
  const openSlo = importOpenSlo(dispatched.openSlo, effective, references, dispatched.others);
  const all = unique([...files.flatMap((f) => f.problems), ...dispatched.problems, ...openSlo.problems]);
  const importedUnits = new Set(openSlo.services.flatMap((s) => s.units).map(unitKey));
  const slos = [...dispatched.units, ...openSlo.slos.map((doc) => ({ file: doc.file, path: docPath(doc) }))].map((unit) => {
    const imported = importedUnits.has(unitKey(unit));
    return { ...unit, imported, reasons: imported ? [] : all.filter((p) => problemConcerns(p, unit)) };
  });
  const count = (file: string, imported: boolean) => slos.filter((s) => s.file === file && (!imported || s.imported)).length;
  const tierNotes = tiers ? [`Sloth AlertWindows (${tiers.sources.join(", ")}) for SLO periods ${dispatched.tiers.map((t) => formatShorthand(t.periodMs)).join(", ")} become the stack config's monitoring-stack:burnRateTiers (printed as a snippet for stacks/Pulumi.<stack>.yaml; it replaces the stack's tiers); the declarations are checked against them`] : [];
  return {
    services: openSlo.services,
    ...(tiers ? { tiers } : {}),
    refusals: refusals(all),
    problems: all,
    notes: [...tierNotes, ...dispatched.notes, ...openSlo.notes],
    files: files.map(({ file }) => ({ file, present: count(file, false), imported: count(file, true) })),
    slos,
  };
}

/**
 * Each file imported on its own, with the other files of its group (its
 * directory) as references: what the acceptance table reports.
 */
export function importEachFile(files: readonly ParsedFile[], groupOf: (file: string) => string, options: ImportOptions): ImportReport[] {
  return files.map((parsed) => importParsed([parsed], options, files.filter((f) => f !== parsed && groupOf(f.file) === groupOf(parsed.file))));
}

function unitKey(unit: SloUnit): string {
  return `${unit.file}\u0000${unit.path}`;
}

function unique(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = formatProblem(p);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Problems grouped by the document they are in, in order of first appearance. */
export function refusals(problems: readonly Problem[]): Refusal[] {
  const groups = new Map<string, Refusal>();
  for (const problem of problems) {
    const document = documentOfPath(problem.path);
    const key = `${problem.file}\u0000${document}`;
    const group = groups.get(key) ?? { file: problem.file, document, reasons: [] };
    group.reasons.push(problem);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** Lines that report refusals: the document once, then each reason. */
export function refusalText(refused: readonly Refusal[]): string {
  return refused.map((r) => [`refused: ${r.file}: ${r.document}`, ...r.reasons.map((p) => `  - ${p.path.slice(r.document.length).replace(/^\./, "") || "(document)"}: ${p.message}`)].join("\n")).join("\n");
}

export interface AcceptanceRow extends FileCount {
  /** Distinct reasons left, with how often each occurs. */
  reasons: string[];
}

/** One row per file that holds SLOs. */
export function acceptanceRows(reports: readonly ImportReport[]): AcceptanceRow[] {
  return reports.flatMap((report) =>
    report.files
      .filter((f) => f.present > 0)
      .map((f) => {
        const counts = new Map<string, number>();
        // A report per file: its problems may sit in a neighbouring file it references.
        for (const problem of report.files.length === 1 ? report.problems : report.problems.filter((p) => p.file === f.file)) {
          const reason = reasonSummary(problem);
          counts.set(reason, (counts.get(reason) ?? 0) + 1);
        }
        return { ...f, reasons: [...counts].map(([reason, n]) => (n > 1 ? `${reason} (×${n})` : reason)) };
      }),
  );
}

/** SLOs outside the acceptance figure, per file (relative to the corpus), each with why: a fact about the document, never what import did. */
export type CorpusExclusions = Record<string, { slos: number; why: string }>;

export interface AcceptanceFigure {
  /** SLOs of valid documents whose SLIs are PromQL or Cloud Monitoring. */
  counted: number;
  imported: number;
  excluded: number;
  /** Exclusions that name no file of the table, or more SLOs than it holds, or a file some of whose excluded SLOs imported. */
  problems: string[];
}

/** The share of SLOs that import among those of valid documents whose SLIs are PromQL or Cloud Monitoring. */
export function acceptanceFigure(rows: readonly AcceptanceRow[], exclusions: CorpusExclusions, root: string): AcceptanceFigure {
  const problems: string[] = [];
  let excluded = 0;
  for (const [file, { slos }] of Object.entries(exclusions)) {
    const row = rows.find((r) => r.file === `${root}/${file}`);
    if (!row) problems.push(`${file}: excluded, but no file of the table`);
    else if (slos > row.present) problems.push(`${file}: ${slos} SLOs excluded, but it holds ${row.present}`);
    else if (row.imported > row.present - slos) problems.push(`${file}: ${slos} SLOs excluded, but ${row.imported} of ${row.present} import`);
    else excluded += slos;
  }
  const present = rows.reduce((n, r) => n + r.present, 0);
  const imported = rows.reduce((n, r) => n + r.imported, 0);
  return { counted: present - excluded, imported, excluded, problems };
}

/** The figure in words, under the table. */
export function acceptanceFigureText(figure: AcceptanceFigure, corpusFile: string): string {
  const percent = figure.counted === 0 ? 0 : Math.floor((figure.imported / figure.counted) * 1000) / 10;
  return `Valid documents whose SLIs are PromQL or Cloud Monitoring (every SLO but the ${figure.excluded} that ${corpusFile} excludes, each with why): ${figure.imported} of ${figure.counted} SLOs import (${percent} %).`;
}

/** The acceptance table as Markdown: files, SLOs imported of present, reasons left. */
export function acceptanceTable(rows: readonly AcceptanceRow[]): string {
  const imported = rows.reduce((n, r) => n + r.imported, 0);
  const present = rows.reduce((n, r) => n + r.present, 0);
  const fully = rows.filter((r) => r.imported === r.present).length;
  const cell = (text: string) => text.replace(/\|/g, "\\|");
  return [
    "| file | SLOs imported | reasons left |",
    "|---|---|---|",
    ...rows.map((r) => `| ${cell(r.file)} | ${r.imported} of ${r.present} | ${r.reasons.length > 0 ? cell(r.reasons.join("; ")) : "—"} |`),
    "",
    `${rows.length} files hold ${present} SLOs; ${imported} imported; ${fully} files imported completely.`,
  ].join("\n");
}
