/**
 * npm run import -- [--team NAME] [--out DIR] [--skip-unmappable] [--stack NAME] [--force] PATH...
 * npm run import -- --table PATH...
 *
 * OpenSLO, Sloth and Pyrra documents (files, or directories searched for
 * .yaml/.yml) → one declaration per service: in DIR with --out, else on
 * stdout. References resolve across every file given. Each refused document
 * is reported once with every reason; without --skip-unmappable nothing is
 * written when anything is refused (exit 2); with it, everything that maps is
 * written and what was left out is listed (exit 0).
 *
 * Sloth AlertWindows documents become burn-rate tiers: printed as a
 * stack-config snippet (monitoring-stack:burnRateTiers) on stdout, never
 * written to DIR, which holds declarations only.
 *
 * --default-slo-period sets the SLO period of Sloth specs, which carry none
 * (Sloth's default, 30d, otherwise); --fit-alert-windows raises a Sloth
 * AlertWindows budget share whose burn rate is below 1 to burn 1, windows
 * kept, and says so (otherwise such a document is refused).
 *
 * --table prints the acceptance table (Markdown) instead: each file imported
 * on its own, with the files of its directory as references; with --corpus
 * FILE, also the share of SLOs that import among those the file does not
 * exclude (valid documents whose SLIs are PromQL or Cloud Monitoring).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { displayPath } from "../contract/load";
import { counted, type Problem } from "../contract/problems";
import { REPOSITORY_ROOT } from "../catalog/paths";
import { readStackSettings } from "../catalog/stackSettings";
import { tierDefinitions } from "../model/sloMath";
import type { ImportOptions } from "../interop/declarations";
import { acceptanceFigure, acceptanceFigureText, acceptanceRows, acceptanceTable, importEachFile, importFiles, parseFile, refusalText, type CorpusExclusions, type ImportFile, type ImportReport } from "../interop/import";
import { burnRateTiersText, declarationText } from "../interop/render";
import { commandArgs, EXIT, printProblems, usageError, type CommandHelp, type OptionHelp } from "./output";

/** The options of an import, for `npm run import` and `npm run openslo -- import`. */
export const IMPORT_OPTIONS: readonly OptionHelp[] = [
  { flag: "--out DIR", meaning: "write each declaration to DIR/<service>.yaml, with the editor schema comment and the notes as comments", default: "stdout" },
  { flag: "--force", meaning: "with --out, overwrite declarations that exist", default: "keep them: exit 2" },
  { flag: "--team NAME", meaning: "the team of services whose documents name none", default: "none: refused" },
  { flag: "--stack NAME", meaning: "the stack whose burn-rate tiers the alert conditions must match and whose channel names they may use", default: "local" },
  { flag: "--skip-unmappable", meaning: "write every service that maps and list the documents refused", default: "refuse: nothing written, exit 2" },
  { flag: "--table", meaning: "print, per file, how many SLOs import and why the others do not" },
  { flag: "--default-slo-period DURATION", meaning: "the SLO period of Sloth specs, as `sloth generate --default-slo-period` takes it: whole days from 1d to 30d", default: "30d" },
  { flag: "--corpus FILE", meaning: "with --table, also print the share of SLOs that import among those FILE does not exclude (its excluded: maps a file to {slos, why})" },
  { flag: "--fit-alert-windows", meaning: "raise a Sloth AlertWindows budget share whose burn rate is below 1 to burn 1, windows kept, and say what changed", default: "refuse it" },
];

/** Usage lines of an import, run as `invocation` ("npm run import --" or "npm run openslo -- import"). */
export const importUsage = (invocation: string) => [
  `${invocation} [--team NAME] [--out DIR] [--skip-unmappable] [--stack NAME] [--force] [--default-slo-period DURATION] [--fit-alert-windows] PATH...`,
  `${invocation} --table [--team NAME] [--stack NAME] [--default-slo-period DURATION] [--fit-alert-windows] [--corpus FILE] PATH...`,
];

export const IMPORT_HELP: CommandHelp = {
  name: "import",
  usage: importUsage("npm run import --"),
  summary: "Turns OpenSLO, Sloth and Pyrra documents (files, or directories searched for .yaml and .yml) into declarations, one per service, printed with the notes to review.",
  options: IMPORT_OPTIONS,
};
import { parsePromDuration } from "../interop/sloth/alertWindows";
import { DAY_MS } from "../contract/duration";

/** Sloth's --default-slo-period (a Prometheus duration, as Sloth reads it) as an SLO window, or undefined when it is none. */
function slothPeriodWindow(text: string): string | undefined {
  const ms = parsePromDuration(text);
  return ms !== undefined && ms % DAY_MS === 0 && ms >= DAY_MS && ms <= 30 * DAY_MS ? `${ms / DAY_MS}d` : undefined;
}

/** YAML files of the paths given, directories searched recursively, in a stable order. */
export function yamlFiles(paths: readonly string[], problems: Problem[]): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.ya?ml$/.test(entry.name)) files.push(full);
    }
  };
  for (const given of paths) {
    if (!existsSync(given)) problems.push({ file: displayPath(given), path: "(file)", message: "not found (expected a YAML file or a directory of them)" });
    else if (statSync(given).isDirectory()) walk(given);
    else files.push(given);
  }
  return files;
}

function readFiles(files: readonly string[]): ImportFile[] {
  return files.map((file) => ({ file: displayPath(file), text: readFileSync(file, "utf8") }));
}

function tableCommand(files: readonly string[], options: ImportOptions, corpus: string | undefined): number {
  const parsed = files.map((file) => parseFile({ file: displayPath(file), text: readFileSync(file, "utf8") }));
  const rows = acceptanceRows(importEachFile(parsed, (file) => path.dirname(file), options));
  process.stdout.write(`${acceptanceTable(rows)}\n`);
  if (corpus !== undefined) {
    const exclusions = (parse(readFileSync(corpus, "utf8")) as { excluded?: CorpusExclusions }).excluded ?? {};
    const figure = acceptanceFigure(rows, exclusions, displayPath(path.dirname(corpus)));
    for (const problem of figure.problems) process.stderr.write(`${displayPath(corpus)}: ${problem}\n`);
    process.stdout.write(`\n${acceptanceFigureText(figure, displayPath(corpus))}\n`);
    if (figure.problems.length > 0) return EXIT.invalidInput;
  }
  return EXIT.ok;
}

export async function importCommand(args: string[], help: CommandHelp = IMPORT_HELP): Promise<number> {
  const parsed = commandArgs(help, {
    args,
    options: {
      out: { type: "string" },
      team: { type: "string" },
      stack: { type: "string" },
      force: { type: "boolean" },
      "skip-unmappable": { type: "boolean" },
      table: { type: "boolean" },
      "default-slo-period": { type: "string" },
      "fit-alert-windows": { type: "boolean" },
      corpus: { type: "string" },
      help: { type: "boolean" },
    },
    allowPositionals: true,
    strict: true,
  });
  if (typeof parsed === "number") return parsed;
  const { values, positionals } = parsed;
  if (positionals.length === 0) return usageError(help, "import needs at least one file or directory");
  const config = readStackSettings(values.stack ?? "local");
  if (!config.settings) {
    printProblems(config.problems, "nothing was written");
    return EXIT.invalidInput;
  }
  const period = values["default-slo-period"];
  const slothPeriod = period === undefined ? undefined : slothPeriodWindow(period);
  if (period !== undefined && slothPeriod === undefined) return usageError(help, `--default-slo-period: invalid value (got ${JSON.stringify(period)}, expected an SLO period like 28d, 4w or 30d: whole days from 1d to 30d)`);
  const options: ImportOptions = {
    burnTiers: tierDefinitions(config.settings.burnTiers),
    knownChannels: Object.keys(config.settings.channels),
    ...(values.team ? { team: values.team } : {}),
    ...(slothPeriod ? { slothPeriod } : {}),
    ...(values["fit-alert-windows"] ? { fitAlertWindows: true } : {}),
  };
  const problems: Problem[] = [];
  const files = yamlFiles(positionals, problems);
  if (problems.length > 0) {
    printProblems(problems, "nothing was written");
    return EXIT.invalidInput;
  }
  if (values.table) return tableCommand(files, options, values.corpus);

  const report = importFiles(readFiles(files), options);
  const skip = values["skip-unmappable"] === true;
  if (report.refusals.length > 0) {
    process.stderr.write(`${refusalText(report.refusals)}\n`);
    if (!skip) {
      process.stderr.write(`${counted(report.refusals.length, "document")} refused (${counted(report.problems.length, "reason")}); nothing was written (--skip-unmappable writes the rest).\n`);
      return EXIT.invalidInput;
    }
  }
  if (report.services.length === 0 && report.tiers) {
    for (const note of report.notes) process.stderr.write(`note: ${note}\n`);
    process.stdout.write(burnRateTiersText(report.tiers.definitions, report.tiers.sources));
    process.stderr.write(`imported ${counted(report.tiers.definitions.length, "burn-rate tier")} as a stack-config snippet (printed above; no service declarations)\n`);
    return EXIT.ok;
  }
  if (report.services.length === 0) {
    process.stderr.write(`nothing to import (got no SLOs or services that map, expected ${files.length === 1 ? "the file" : "the files"} to hold OpenSLO, Sloth or Pyrra SLOs); nothing was written.\n`);
    return EXIT.invalidInput;
  }
  return writeServices(report, values.out, values.force === true, skip);
}

function writeServices(report: ImportReport, outDir: string | undefined, force: boolean, skip: boolean): number {
  const notes = [...report.notes, ...report.services.flatMap((s) => s.notes)];
  const present = report.files.reduce((n, f) => n + f.present, 0);
  const imported = report.files.reduce((n, f) => n + f.imported, 0);
  const slos = report.services.reduce((n, s) => n + (s.spec.slos?.length ?? 0), 0);
  const summary = `imported ${imported} of ${counted(present, "SLO document")} (${counted(slos, "SLO")}) into ${counted(report.services.length, "service")}`;
  const leftOut = skip && report.refusals.length > 0 ? `; left out ${counted(report.refusals.length, "refused document")}: ${report.refusals.map((r) => `${r.file} ${r.document}`).join(", ")}` : "";
  const tiers = report.tiers ? `; ${counted(report.tiers.definitions.length, "burn-rate tier")} as a stack-config snippet (printed, not written: it goes in stacks/Pulumi.<stack>.yaml)` : "";
  if (!outDir) {
    process.stdout.write(report.services.map((s) => `---\n${stringify(s.spec, { lineWidth: 0 })}`).join(""));
    if (report.tiers) process.stdout.write(`---\n${burnRateTiersText(report.tiers.definitions, report.tiers.sources)}`);
    for (const note of notes) process.stderr.write(`note: ${note}\n`);
    process.stderr.write(`${summary}${tiers}${leftOut}\n`);
    return EXIT.ok;
  }
  const out = path.resolve(outDir);
  const targets = report.services.map((service) => ({ service, file: path.join(out, `${service.spec.name}.yaml`) }));
  const clashes = targets.filter((t) => existsSync(t.file));
  if (clashes.length > 0 && !force) {
    printProblems(clashes.map((t) => ({ file: displayPath(t.file), path: "(file)", message: "already exists (expected a new file; pass --force to overwrite it)" })), "nothing was written");
    return EXIT.invalidInput;
  }
  try {
    mkdirSync(out, { recursive: true });
    for (const { service, file } of targets) writeFileSync(file, declarationText(service, path.relative(REPOSITORY_ROOT, out)));
  } catch (error) {
    process.stderr.write(`${displayPath(out)}: (dir): cannot write (got ${(error as NodeJS.ErrnoException).code ?? "an error"}, expected a writable directory)\n`);
    return EXIT.invalidInput;
  }
  for (const note of notes) process.stdout.write(`note: ${note}\n`);
  if (report.tiers) process.stdout.write(burnRateTiersText(report.tiers.definitions, report.tiers.sources));
  process.stdout.write(`${summary}${tiers}${leftOut}: ${targets.map((t) => displayPath(t.file)).join(", ")}\n`);
  process.stdout.write(`next: npm run validate -- ${displayPath(out)}\n`);
  return EXIT.ok;
}
