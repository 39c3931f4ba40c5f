/**
 * npm run alert-quality -- [--only 99.5/28] [--jobs 2] [--no-write]
 *
 * Runs the incident suite (bench/alertQuality/harness.ts) under
 * `promtool test rules` for ours, Sloth's and Pyrra's rules on every objective
 * (99, 99.5, 99.9, 99.95 %) and window (7, 28, 30 d), and rewrites the table in
 * docs/alert-quality.md between its results markers. `--only` limits the SLOs
 * (objective/window, comma-separated) and replaces only their rows, so the
 * matrix can be measured a few SLOs at a time; `--jobs` is how many SLOs are
 * measured side by side (each runs its promtool batches side by side too).
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { measure, type Measured } from "./measure";
import type { Outcome } from "./harness";
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
    const ids = (row.results.ours ?? row.results.Pyrra ?? [])!.map((m) => m.scenario);
    for (const scenario of ids) {
      const per = NAMES.flatMap((name) => cells(row.results[name]?.find((m) => m.scenario.id === scenario.id)));
      lines.push(`| ${row.objective} % / ${row.windowDays} d | ${scenario.title} | ${per.join(" | ")} |`);
    }
  }
  return lines.join("\n");
}

/**
 * The table with `fresh` rows in place of the ones for the same SLOs in
 * `previous` (a table this script wrote): the matrix can be measured a few
 * SLOs at a time. Rows keep the matrix order, 99.5 % / 28 d first.
 */
export function mergeTables(previous: string, fresh: string): string {
  const rows = (text: string) => text.split("\n").filter((line) => /^\| [0-9.]+ % \/ [0-9]+ d \|/.test(line));
  const slo = (row: string) => row.split(" | ")[0]!.slice(2);
  const freshRows = rows(fresh);
  const replaced = new Set(freshRows.map(slo));
  const rank = (row: string) => {
    const [objective, windowDays] = slo(row).split(" % / ").map((part) => parseFloat(part));
    if (objective === 99.5 && windowDays === 28) return -1;
    return OBJECTIVES.indexOf(objective as (typeof OBJECTIVES)[number]) * WINDOWS.length + WINDOWS.indexOf(windowDays as (typeof WINDOWS)[number]);
  };
  const kept = rows(previous).filter((row) => !replaced.has(slo(row)));
  const all = [...kept, ...freshRows].map((row, index) => ({ row, index })).sort((a, b) => rank(a.row) - rank(b.row) || a.index - b.index);
  const header = fresh.split("\n").filter((line) => line.startsWith("|")).slice(0, 2);
  return [...header, ...all.map((entry) => entry.row)].join("\n");
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

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { only: { type: "string" }, jobs: { type: "string", default: "2" }, "no-write": { type: "boolean", default: false } } });
  const wanted = values.only?.split(",").map((item) => item.trim());
  const slos = OBJECTIVES.flatMap((objective) => WINDOWS.map((windowDays) => ({ objective, windowDays }))).filter(
    (slo) => !wanted || wanted.includes(`${slo.objective}/${slo.windowDays}`),
  );
  // The headline SLO first.
  slos.sort((a, b) => Number(b.objective === 99.5 && b.windowDays === 28) - Number(a.objective === 99.5 && a.windowDays === 28));
  const tasks = slos.flatMap((slo) =>
    NAMES.map((name) => async () => {
      const result = await measure(name, slo);
      const seconds = result.runs.reduce((sum, run) => sum + run.seconds, 0);
      process.stderr.write(`${name} ${slo.objective} % / ${slo.windowDays} d: ${result.runs.length} promtool runs, ${seconds.toFixed(0)} s\n`);
      return { slo, name, results: result.results };
    }),
  );
  const done = await pool(tasks, Number(values.jobs));
  const rows = slos.map((slo) => ({
    ...slo,
    results: Object.fromEntries(done.filter((d) => d.slo === slo).map((d) => [d.name, d.results])) as Partial<Record<RuleSetName, Measured[]>>,
  }));
  const measured = table(rows);
  process.stdout.write(`${measured}\n`);
  if (values["no-write"]) return;
  const doc = readFileSync(DOC, "utf8");
  const from = doc.indexOf(BEGIN);
  const to = doc.indexOf(END);
  if (from < 0 || to < from) throw new Error(`${DOC} has no results markers`);
  const previous = doc.slice(from + BEGIN.length, to);
  const note = `Last run: promtool ${promtoolVersion()}, ${os.cpus().length} CPUs, ${values.only ? `only the SLOs ${values.only} (rows of other SLOs are kept from earlier runs)` : "every SLO of the matrix"}.`;
  const text = [note, "", values.only ? mergeTables(previous, measured) : measured].join("\n");
  writeFileSync(DOC, `${doc.slice(0, from + BEGIN.length)}\n${text}\n${doc.slice(to)}`);
  process.stderr.write(`wrote ${path.relative(process.cwd(), DOC)}\n`);
}

function promtoolVersion(): string {
  const { execFileSync } = require("node:child_process") as typeof import("node:child_process");
  const first = execFileSync("promtool", ["--version"], { encoding: "utf8" }).split("\n")[0] ?? "";
  return /version ([^ ]+)/.exec(first)?.[1] ?? "unknown";
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
