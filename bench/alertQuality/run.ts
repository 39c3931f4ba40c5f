/**
 * npm run alert-quality -- [--only 99.5/28,...] [--tools ours,Sloth,Pyrra] [--changed] [--jobs 2] [--table] [--no-write]
 *
 * Runs the incident suite (bench/alertQuality/harness.ts) under
 * `promtool test rules` for ours, Sloth's and Pyrra's rules on every objective
 * (99, 99.5, 99.9, 99.95 %) and window (7, 28, 30 d), keeps what promtool
 * reported in bench/alertQuality/results.json (bench/alertQuality/store.ts) and
 * rebuilds the table in docs/alert-quality.md from that file. `--only` limits
 * the SLOs (objective/window), `--tools` the rule sets, `--changed` measures
 * only entries that are missing or whose rule and test files changed since;
 * `--jobs` is how many promtool runs go side by side; `--table` rebuilds the
 * table without measuring; `--no-write` prints the measured rows and writes nothing.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { commandArgs, EXIT, type CommandHelp } from "../../cli/output";
import { execute, inputsDigest, plannedRuns, summarise, type ExecutedRun, type Measured } from "./measure";
import { scenarios, type Outcome } from "./harness";
import { isCurrent, readStore, RESULTS_FILE, saveEntry, sloKey, storedResults, toStoredRun, type Store, type StoredEntry } from "./store";
import type { RuleSetName } from "./rulesets";

const DOC = path.resolve(__dirname, "../../docs/alert-quality.md");
const BEGIN = "<!-- results:begin (written by npm run alert-quality) -->";
const END = "<!-- results:end -->";

export const OBJECTIVES = [99, 99.5, 99.9, 99.95] as const;
export const WINDOWS = [7, 28, 30] as const;
export const NAMES: RuleSetName[] = ["ours", "Sloth", "Pyrra"];

function minutesText(minutes: number): string {
  if (minutes < 120) return `${Number(minutes.toFixed(1))} min`;
  return `${Number((minutes / 60).toFixed(1))} h`;
}

function span(best?: number, worst?: number): string {
  if (worst === undefined) return best === undefined ? "" : minutesText(best);
  if (best === undefined || best === worst) return minutesText(worst);
  return `${minutesText(best)} – ${minutesText(worst)}`;
}

/** One rule set's three cells for one scenario. */
export function cells(result: Measured | undefined): [string, string, string] {
  if (!result) return ["n/a", "n/a", "n/a"];
  const { scenario, best, worst } = result;
  const detection = scenario.detect ? (worst.detection === undefined && best.detection === undefined ? "never" : best.detection !== undefined && worst.detection === undefined ? `${minutesText(best.detection)} or never` : span(best.detection, worst.detection)) : "–";
  const falseText = (o: Outcome) => (o.falseAlerts === 0 ? "0" : `${o.falseAlerts} (${o.falseDetail.join(", ")})`);
  const falseAlerts = best.falseAlerts === worst.falseAlerts ? falseText(worst) : `${falseText(best)} – ${falseText(worst)}`;
  const reset = scenario.reset ? (worst.stillFiring ? "still firing" : worst.reset === undefined ? "no page" : span(best.reset, worst.reset)) : "–";
  return [detection, falseAlerts, reset];
}

export function table(rows: { objective: number; windowDays: number; results: Partial<Record<RuleSetName, Measured[]>> }[]): string {
  const head = ["SLO", "Scenario", ...NAMES.flatMap((n) => [`${n}: detected`, `${n}: false alerts`, `${n}: reset`])];
  const lines = [`| ${head.join(" | ")} |`, `| ${head.map(() => "---").join(" | ")} |`];
  for (const row of rows) {
    for (const scenario of scenarios({ objective: row.objective, windowDays: row.windowDays, kind: "ratio" })) {
      const per = NAMES.flatMap((name) => cells(row.results[name]?.find((m) => m.scenario.id === scenario.id)));
      lines.push(`| ${row.objective} % / ${row.windowDays} d | ${scenario.title} | ${per.join(" | ")} |`);
    }
  }
  return lines.join("\n");
}

/** Runs tasks `jobs` at a time. */
async function pool<T>(tasks: (() => Promise<T>)[], jobs: number): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, jobs) }, async () => {
      while (next < tasks.length) {
        const index = next++;
        out[index] = await tasks[index]!();
      }
    }),
  );
  return out;
}

type Slo = { objective: number; windowDays: number };

export const MATRIX: Slo[] = OBJECTIVES.flatMap((objective) => WINDOWS.map((windowDays) => ({ objective, windowDays })));

/** The matrix order of the table: the headline SLO first. */
function headlineFirst(slos: Slo[]): Slo[] {
  return [...slos].sort((a, b) => Number(b.objective === 99.5 && b.windowDays === 28) - Number(a.objective === 99.5 && a.windowDays === 28));
}

/** The docs table from the stored results, judged by the harness as it is now. */
export function resultsTable(store: Store): string {
  const rows = headlineFirst(MATRIX)
    .filter((slo) => store[sloKey(slo)])
    .map((slo) => ({
      ...slo,
      results: Object.fromEntries(NAMES.filter((n) => store[sloKey(slo)]![n]).map((n) => [n, storedResults(n, slo, store[sloKey(slo)]![n]!)])) as Partial<Record<RuleSetName, Measured[]>>,
    }));
  return table(rows);
}

/** The docs table and the note above it: when what was measured, what is missing, what was measured before its inputs changed. */
export function resultsSection(store: Store): string {
  const entries = MATRIX.flatMap((slo) => NAMES.flatMap((name) => (store[sloKey(slo)]?.[name] ? [{ slo, name, entry: store[sloKey(slo)]![name]! }] : [])));
  const versions = [...new Set(entries.map((e) => e.entry.promtool))].join(", ");
  const dates = NAMES.map((name) => {
    const days = [...new Set(entries.filter((e) => e.name === name).map((e) => e.entry.measuredAt.slice(0, 10)))].sort();
    return days.length ? `${name} ${days.length > 1 ? `${days[0]} to ${days[days.length - 1]}` : days[0]}` : `${name} not measured`;
  });
  const missing = MATRIX.flatMap((slo) => NAMES.filter((name) => !store[sloKey(slo)]?.[name]).map((name) => `${name} ${sloKey(slo)}`));
  const stale = entries.filter((e) => !isCurrent(e.name, e.slo, e.entry)).map((e) => `${e.name} ${sloKey(e.slo)}`);
  const note = [
    `Measured with promtool ${versions || "(none)"} (bench/alertQuality/results.json): ${dates.join(", ")}.`,
    missing.length ? `Not measured: ${missing.join(", ")}.` : "",
    stale.length ? `Measured before the rules or traces last changed (re-measure with --changed): ${stale.join(", ")}.` : "",
  ].filter(Boolean);
  return [...note, "", resultsTable(store)].join("\n");
}

/** Rewrites the table between the results markers of docs/alert-quality.md. */
export function writeDoc(store: Store): void {
  const doc = readFileSync(DOC, "utf8");
  const from = doc.indexOf(BEGIN);
  const to = doc.indexOf(END);
  if (from < 0 || to < from) throw new Error(`${DOC} has no results markers`);
  writeFileSync(DOC, `${doc.slice(0, from + BEGIN.length)}\n${resultsSection(store)}\n${doc.slice(to)}`);
}

/** The table as docs/alert-quality.md holds it now. */
export function docSection(): string {
  const doc = readFileSync(DOC, "utf8");
  return doc.slice(doc.indexOf(BEGIN) + BEGIN.length, doc.indexOf(END)).trim();
}

function list<T extends string>(text: string | undefined, all: readonly T[], what: string): T[] {
  if (!text) return [...all];
  const items = text.split(",").map((item) => item.trim());
  const unknown = items.filter((item) => !all.includes(item as T));
  if (unknown.length) throw new Error(`--${what}: unknown ${unknown.join(", ")} (expected one of ${all.join(", ")})`);
  return items as T[];
}

export const ALERT_QUALITY_HELP: CommandHelp = {
  name: "alert-quality",
  usage: ["npm run alert-quality -- [--only 99.5/28,...] [--tools ours,Sloth,Pyrra] [--changed] [--jobs 2] [--table] [--no-write]"],
  summary:
    "Runs the incident suite under promtool test rules for our rules, Sloth's and Pyrra's, keeps what promtool reported in bench/alertQuality/results.json and rebuilds the table in docs/alert-quality.md from it.",
  options: [
    { flag: "--only OBJECTIVE/DAYS,...", meaning: "measure these SLOs only, e.g. 99.5/28,99.9/30", default: "every objective and window" },
    { flag: "--tools NAME,...", meaning: "measure these rule sets only: ours, Sloth, Pyrra", default: "all three" },
    { flag: "--changed", meaning: "measure only entries that are missing or whose rule and test files changed since", default: "every entry selected" },
    { flag: "--jobs N", meaning: "promtool runs side by side", default: "2" },
    { flag: "--table", meaning: "rebuild the table from results.json without measuring", default: "measure" },
    { flag: "--no-write", meaning: "print the measured rows, write nothing", default: "write" },
  ],
};

async function main(): Promise<void> {
  const parsed = commandArgs(ALERT_QUALITY_HELP, {
    options: {
      only: { type: "string" },
      tools: { type: "string" },
      jobs: { type: "string", default: "2" },
      changed: { type: "boolean", default: false },
      table: { type: "boolean", default: false },
      "no-write": { type: "boolean", default: false },
      help: { type: "boolean" },
    },
    strict: true,
  });
  if (typeof parsed === "number") {
    process.exitCode = parsed;
    return;
  }
  const { values } = parsed;
  if (values.table) {
    writeDoc(readStore());
    process.stderr.write(`wrote ${path.relative(process.cwd(), DOC)} from ${path.relative(process.cwd(), RESULTS_FILE)}\n`);
    return;
  }
  const slos = headlineFirst(MATRIX.filter((slo) => list(values.only, MATRIX.map(sloKey), "only").includes(sloKey(slo))));
  const names = list(values.tools, NAMES, "tools");
  const store = readStore();
  const wanted = slos.flatMap((slo) => names.map((name) => ({ slo, name }))).filter(({ slo, name }) => {
    const entry = store[sloKey(slo)]?.[name];
    return !values.changed || !entry || !isCurrent(name, slo, entry);
  });
  if (wanted.length === 0) {
    process.stderr.write("every selected entry is current; nothing to measure\n");
    if (!values["no-write"]) writeDoc(store);
    return;
  }
  const version = promtoolVersion();
  const started = Date.now();
  process.stderr.write(`measuring ${wanted.map(({ slo, name }) => `${name} ${sloKey(slo)}`).join(", ")}; ${values.jobs} promtool runs at a time\n`);
  // Every promtool run of every entry goes through one pool: --jobs is how many run at once.
  const pending = wanted.map(({ slo, name }) => ({ slo, name, planned: plannedRuns(name, slo), done: [] as ExecutedRun[] }));
  const steps = new Map(scenarios({ objective: 99.5, windowDays: 28, kind: "ratio" }).map((s) => [s.id, s.stepSeconds / 60]));
  const tasks = pending.flatMap((item) =>
    item.planned.map((run) => async () => {
      const executed = await execute(run);
      item.done.push(executed);
      process.stderr.write(`${item.name} ${sloKey(item.slo)} ${run.batch}: ${executed.seconds.toFixed(0)} s\n`);
      if (item.done.length < item.planned.length) return;
      const entry: StoredEntry = {
        inputs: inputsDigest(item.planned),
        promtool: version,
        measuredAt: new Date().toISOString(),
        runs: item.planned.map((p) => toStoredRun(item.done.find((d) => d.batch === p.batch)!, (id) => steps.get(id)!)),
      };
      if (!values["no-write"]) saveEntry(item.slo, item.name, entry, headlineFirst(MATRIX), NAMES);
      const seconds = item.done.reduce((sum, d) => sum + d.seconds, 0);
      process.stderr.write(`${item.name} ${sloKey(item.slo)}: ${item.done.length} promtool runs, ${seconds.toFixed(0)} s${values["no-write"] ? "" : ", saved"}\n`);
      if (values["no-write"]) {
        const rows = [{ ...item.slo, results: { [item.name]: summarise(item.name, item.slo, item.done) } }];
        process.stdout.write(`${table(rows)}\n`);
      }
    }),
  );
  await pool(tasks, Number(values.jobs));
  process.stderr.write(`wall time ${((Date.now() - started) / 60_000).toFixed(1)} min, ${os.cpus().length} CPUs\n`);
  if (values["no-write"]) return;
  writeDoc(readStore());
  process.stderr.write(`wrote ${path.relative(process.cwd(), DOC)} and ${path.relative(process.cwd(), RESULTS_FILE)}\n`);
}

function promtoolVersion(): string {
  const { execFileSync } = require("node:child_process") as typeof import("node:child_process");
  const first = execFileSync("promtool", ["--version"], { encoding: "utf8" }).split("\n")[0] ?? "";
  return /version ([^ ]+)/.exec(first)?.[1] ?? "unknown";
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    // A bad --only or --tools value is invalid input; anything else failed while measuring.
    process.exit(error instanceof Error && /^--(only|tools): /.test(error.message) ? EXIT.invalidInput : 1);
  });
}
