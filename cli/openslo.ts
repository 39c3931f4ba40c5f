/**
 * npm run openslo -- import --out DIR [--team NAME] [--stack NAME] [--force] PATH...
 * npm run openslo -- export [--stack NAME] [--out FILE] [--skip-unmappable] [PATH...]
 *
 * import: OpenSLO v1 documents (files or directories of .yaml/.yml) → one
 * declaration per service in DIR. Anything that cannot be mapped is a
 * problem; with any problem nothing is written. Exit 0 fine, 2 invalid input.
 *
 * export: the declarations (default: the stack's services), validated like
 * `npm run validate`, → OpenSLO v1 documents on stdout or in FILE. SLOs that
 * OpenSLO cannot express are refused (exit 2) unless --skip-unmappable, which
 * exports the rest and names each one left out.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { loadCatalog } from "../catalog/loadCatalog";
import { parseOpenSloFile, type SourceDocument } from "../interop/openslo/documents";
import { exportOpenSlo } from "../interop/openslo/exporter";
import { importOpenSlo } from "../interop/openslo/importer";
import { declarationText, openSloText } from "../interop/openslo/render";
import { displayPath } from "../contract/load";
import { counted, formatProblem, type Problem } from "../contract/problems";
import { REPOSITORY_ROOT } from "../catalog/paths";
import { tierDefinitions } from "../model/sloMath";
import { readStackSettings } from "../catalog/stackSettings";
import { commandArgs, EXIT, printProblems, runCommand } from "./output";

const USAGE = [
  "usage: npm run openslo -- import --out DIR [--team NAME] [--stack NAME] [--force] PATH...",
  "       npm run openslo -- export [--stack NAME] [--out FILE] [--skip-unmappable] [PATH...]",
].join("\n");

function fail(problems: readonly Problem[], what: string): number {
  printProblems(problems, what);
  return EXIT.invalidInput;
}

function usage(message: string): number {
  process.stderr.write(`${message}\n${USAGE}\n`);
  return EXIT.invalidInput;
}

function openSloFiles(paths: readonly string[], problems: Problem[]): string[] {
  const files: string[] = [];
  for (const given of paths) {
    if (!existsSync(given)) {
      problems.push({ file: displayPath(given), path: "(file)", message: "not found (expected an OpenSLO YAML file or a directory of them)" });
    } else if (statSync(given).isDirectory()) {
      for (const entry of readdirSync(given).sort()) if (/\.ya?ml$/.test(entry)) files.push(path.join(given, entry));
    } else {
      files.push(given);
    }
  }
  return files;
}

async function importCommand(args: string[]): Promise<number> {
  const parsed = commandArgs(USAGE, {
    args,
    options: { out: { type: "string" }, team: { type: "string" }, stack: { type: "string" }, force: { type: "boolean" }, help: { type: "boolean" } },
    allowPositionals: true,
    strict: true,
  });
  if (typeof parsed === "number") return parsed;
  const { values, positionals } = parsed;
  if (!values.out) return usage("import needs --out DIR: where the declarations are written");
  if (positionals.length === 0) return usage("import needs at least one OpenSLO file or directory");
  const config = readStackSettings(values.stack ?? "local");
  if (!config.settings) return fail(config.problems, "nothing was written");

  const problems: Problem[] = [];
  const documents: SourceDocument[] = [];
  for (const file of openSloFiles(positionals, problems)) {
    documents.push(...parseOpenSloFile(readFileSync(file, "utf8"), displayPath(file), problems));
  }
  if (problems.length > 0) return fail(problems, "nothing was written");
  const result = importOpenSlo(documents, { burnTiers: tierDefinitions(config.settings.burnTiers), knownChannels: Object.keys(config.settings.channels), ...(values.team ? { team: values.team } : {}) });
  if (result.problems.length > 0) return fail(result.problems, "nothing was written");
  if (result.services.length === 0) return fail([{ file: positionals.join(", "), path: "(file)", message: "nothing to import (got no SLO or Service documents, expected OpenSLO v1 documents of kind SLO or Service)" }], "nothing was written");

  const out = path.resolve(values.out);
  const outFromRoot = path.relative(REPOSITORY_ROOT, out);
  const targets = result.services.map((service) => ({ service, file: path.join(out, `${service.spec.name}.yaml`) }));
  const clashes = targets.filter((t) => existsSync(t.file));
  if (clashes.length > 0 && !values.force) {
    return fail(
      clashes.map((t) => ({ file: displayPath(t.file), path: "(file)", message: "already exists (expected a new file; pass --force to overwrite it)" })),
      "nothing was written",
    );
  }
  mkdirSync(out, { recursive: true });
  for (const { service, file } of targets) writeFileSync(file, declarationText(service, outFromRoot));
  for (const note of [...result.notes, ...result.services.flatMap((s) => s.notes)]) process.stdout.write(`note: ${note}\n`);
  process.stdout.write(`imported ${counted(targets.length, "service")}, ${counted(targets.reduce((n, t) => n + (t.service.spec.slos?.length ?? 0), 0), "SLO")}: ${targets.map((t) => displayPath(t.file)).join(", ")}\n`);
  process.stdout.write(`next: npm run validate -- ${displayPath(out)}\n`);
  return EXIT.ok;
}

async function exportCommand(args: string[]): Promise<number> {
  const parsed = commandArgs(USAGE, {
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
    mkdirSync(path.dirname(path.resolve(values.out)), { recursive: true });
    writeFileSync(values.out, text);
    process.stderr.write(`wrote ${counted(result.documents.length, "OpenSLO document")} to ${values.out}${result.problems.length > 0 ? ` (${counted(result.problems.length, "SLO")} skipped)` : ""}\n`);
  } else {
    process.stdout.write(text);
  }
  return EXIT.ok;
}

runCommand(async () => {
  const [command, ...rest] = process.argv.slice(2);
  if (command === "import") return importCommand(rest);
  if (command === "export") return exportCommand(rest);
  if (command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  return usage(`unknown command (got ${JSON.stringify(command ?? "")}, expected import or export)`);
});
