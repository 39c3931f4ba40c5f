/**
 * npm run openslo -- import ...   (the same as npm run import; see importCommand.ts)
 * npm run openslo -- export [--stack NAME] [--out FILE] [--skip-unmappable] [PATH...]
 *
 * export: the declarations (default: the stack's services), validated like
 * `npm run validate`, → OpenSLO v1 documents on stdout or in FILE. SLOs that
 * OpenSLO cannot express are refused (exit 2) unless --skip-unmappable, which
 * exports the rest and names each one left out.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { loadCatalog } from "../catalog/loadCatalog";
import { exportOpenSlo } from "../interop/openslo/exporter";
import { openSloText } from "../interop/openslo/render";
import { counted, formatProblem, type Problem } from "../contract/problems";
import { REPOSITORY_ROOT } from "../catalog/paths";
import { readStackSettings } from "../catalog/stackSettings";
import { importCommand, importUsage, IMPORT_HELP } from "./importCommand";
import { commandArgs, EXIT, helpText, printProblems, runCommand, unknownCommand, usageError, type CommandHelp } from "./output";

export const OPENSLO_HELP: CommandHelp = {
  name: "openslo",
  usage: [...importUsage("npm run openslo -- import"), "npm run openslo -- export [--stack NAME] [--out FILE] [--skip-unmappable] [PATH...]"],
  summary:
    "import: npm run import, with the same options. export: the declarations (the stack's services, or the files and directories given), validated as npm run validate does, as OpenSLO v1 documents; exit 2, writing nothing, when an SLO cannot be expressed in OpenSLO.",
  options: [
    { flag: "--stack NAME", meaning: "the stack whose services and channels are exported (import: as for npm run import)", default: "local" },
    { flag: "--out FILE", meaning: "export: write the documents to FILE (import: a directory, as for npm run import)", default: "stdout" },
    { flag: "--skip-unmappable", meaning: "export: export every other SLO and name each one left out (import: as for npm run import)", default: "refuse" },
    { flag: "--team NAME, --force, --table, --default-slo-period DURATION, --fit-alert-windows, --corpus FILE", meaning: "import only: as for npm run import" },
  ],
};

/** `npm run openslo -- import`: the import's options, under this command's name. */
const OPENSLO_IMPORT_HELP: CommandHelp = { ...IMPORT_HELP, name: "openslo", usage: importUsage("npm run openslo -- import") };

function fail(problems: readonly Problem[], what: string): number {
  printProblems(problems, what);
  return EXIT.invalidInput;
}

async function exportCommand(args: string[]): Promise<number> {
  const parsed = commandArgs(OPENSLO_HELP, {
    args,
    options: { out: { type: "string" }, stack: { type: "string" }, "skip-unmappable": { type: "boolean" }, help: { type: "boolean" } },
    allowPositionals: true,
    strict: true,
  });
  if (typeof parsed === "number") return parsed;
  const { values, positionals } = parsed;
  const config = readStackSettings(values.stack ?? "local");
  if (!config.settings) return fail(config.problems, "nothing was written");
  const paths = positionals.length > 0 ? positionals : [path.resolve(REPOSITORY_ROOT, config.settings.servicesDir)];
  const catalog = await loadCatalog(paths, config.settings);
  if (catalog.problems.length > 0) return fail(catalog.problems, "nothing was written");
  const result = exportOpenSlo(catalog.services, config.settings.channels);
  if (result.problems.length > 0) {
    if (!values["skip-unmappable"]) return fail(result.problems, "nothing was written (--skip-unmappable exports the rest)");
    for (const problem of result.problems) process.stderr.write(`skipped: ${formatProblem(problem)}\n`);
  }
  const text = openSloText(result.documents);
  if (values.out) {
    try {
      mkdirSync(path.dirname(path.resolve(values.out)), { recursive: true });
      writeFileSync(values.out, text);
    } catch (error) {
      process.stderr.write(`${values.out}: (file): cannot write (got ${(error as NodeJS.ErrnoException).code ?? "an error"}, expected a writable file path); nothing was written\n`);
      return EXIT.invalidInput;
    }
    process.stderr.write(`wrote ${result.documents.length} OpenSLO documents to ${values.out}${result.problems.length > 0 ? ` (${counted(result.problems.length, "SLO")} skipped)` : ""}\n`);
  } else {
    process.stdout.write(text);
  }
  return EXIT.ok;
}

runCommand(async () => {
  const [command, ...rest] = process.argv.slice(2);
  if (command === "import") return importCommand(rest, OPENSLO_IMPORT_HELP);
  if (command === "export") return exportCommand(rest);
  if (command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(`${helpText(OPENSLO_HELP)}\n`);
    return EXIT.ok;
  }
  return usageError(OPENSLO_HELP, unknownCommand(command, ["import", "export"]));
});
