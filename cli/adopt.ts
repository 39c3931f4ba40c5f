/**
 * npm run adopt -- --stack STACK [--config-file FILE] [--services DIR] (--existing FILE... | --project P) [--out FILE.json] [--write-config] [--declarations DIR --team NAME]
 *
 * Reads what a project already has (gcloud … --format=json output, REST list
 * responses, Prometheus rule files, a Grafana policy tree) or the same lists
 * from project P's APIs (--project), plans the stack
 * offline, matches the two, prints what it adopts, refuses and leaves alone,
 * and writes the adopted ids: Pulumi's bulk import file (--out), the stack
 * file's monitoring-stack:adopt (--write-config), and starting declarations
 * for the checks and SLOs nothing declares (--declarations). Nothing is
 * written when an export cannot be read or a match is ambiguous (exit 2).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { displayPath } from "../contract/load";
import { DNS_LABEL } from "../contract/fields";
import type { Problem } from "../contract/problems";
import { REPOSITORY_ROOT } from "../catalog/paths";
import { stackFilePath } from "../catalog/stackSettings";
import { runPlan } from "../plan/runPlan";
import { readExisting, type ExportFile } from "../adopt/existing";
import { matchExisting } from "../adopt/match";
import { bulkImportFile, reportText, stackFileWithAdopt } from "../adopt/report";
import { startingDeclarations } from "../adopt/declarations";
import { fetchExisting, LiveReadError } from "../adopt/live";
import { accessToken } from "../backtest/cloudMonitoringApi";
import { BacktestInputError } from "../backtest/types";
import { declarationText } from "../interop/render";
import { EXIT, commandArgs, printProblems, runCommand, usageError, type CommandHelp } from "./output";

export const ADOPT_HELP: CommandHelp = {
  name: "adopt",
  usage: [
    "npm run adopt -- --stack NAME [--config-file FILE] [--services DIR] --existing FILE... [--out FILE.json] [--write-config] [--declarations DIR --team NAME]",
    "npm run adopt -- --stack NAME [--config-file FILE] [--services DIR] --project P [--existing FILE...] [--out FILE.json] [--write-config] [--declarations DIR --team NAME]",
  ],
  summary:
    "Matches what a project already has (the JSON gcloud lists print, REST list responses) with what the stack would create, and prints what it adopts (with the fields that will change), refuses (adopting would replace it) and leaves alone. Exits 2, writing nothing, when an export cannot be read, is partial or of another project, or a match is ambiguous.",
  options: [
    { flag: "--stack NAME", meaning: "the stack whose planned resources are matched; its config is stacks/Pulumi.<NAME>.yaml", default: "local" },
    { flag: "--config-file FILE", meaning: "read the stack config from FILE instead (and write it there with --write-config)", default: "stacks/Pulumi.<NAME>.yaml" },
    { flag: "--services DIR", meaning: "read the declarations from DIR instead of the stack's services.dir", default: "the stack's" },
    { flag: "--existing FILE...", meaning: "exports to read: the JSON lists gcloud prints (format json), REST list responses ({\"services\": [...]}, {\"serviceLevelObjectives\": [...]}), Prometheus rule files, a Grafana policy tree; a directory reads its .json, .yaml and .yml files", default: "required without --project" },
    { flag: "--project P", meaning: "read the lists from project P's APIs with Application Default Credentials (read permissions only) instead of, or besides, exports", default: "exports only" },
    { flag: "--out FILE.json", meaning: "write the adopted resources as Pulumi's bulk import file, which pulumi import reads", default: "not written" },
    { flag: "--write-config", meaning: "merge the adopted ids into the stack file's monitoring-stack:adopt, so pulumi up imports them", default: "the stack file is left as it is" },
    { flag: "--declarations DIR", meaning: "write starting declarations for the uptime checks and SLOs that no declaration covers to DIR/<service>.yaml, every unmapped field in a note", default: "not written" },
    { flag: "--team NAME", meaning: "with --declarations: the team of the declarations written", default: "required with --declarations" },
  ],
};

/** The export files of the paths given, directories read for .json, .yaml and .yml; one problem per path that cannot be read. */
function exportFiles(paths: readonly string[], problems: Problem[]): ExportFile[] {
  const files: ExportFile[] = [];
  for (const given of paths) {
    const shown = displayPath(path.resolve(given));
    try {
      if (statSync(given).isDirectory()) {
        for (const entry of readdirSync(given).sort()) {
          if (/\.(json|ya?ml)$/i.test(entry)) files.push({ file: displayPath(path.resolve(given, entry)), text: readFileSync(path.join(given, entry), "utf8") });
        }
      } else {
        files.push({ file: shown, text: readFileSync(given, "utf8") });
      }
    } catch (error) {
      problems.push({ file: shown, path: "(file)", message: `cannot be read (got ${(error as NodeJS.ErrnoException).code ?? "an error"}, expected an export file or a directory of them)` });
    }
  }
  return files;
}

runCommand(async () => {
  const parsed = commandArgs(ADOPT_HELP, {
    options: {
      stack: { type: "string" },
      "config-file": { type: "string" },
      services: { type: "string" },
      existing: { type: "string", multiple: true },
      project: { type: "string" },
      out: { type: "string" },
      "write-config": { type: "boolean" },
      declarations: { type: "string" },
      team: { type: "string" },
      help: { type: "boolean" },
    },
    strict: true,
    // More files after --existing FILE: `--existing a.json b.json`.
    allowPositionals: true,
  });
  if (typeof parsed === "number") return parsed;
  const { values, positionals } = parsed;
  const existingPaths = [...(values.existing ?? []), ...positionals];
  if (values.existing === undefined && positionals.length > 0) return usageError(ADOPT_HELP, `unexpected argument ${JSON.stringify(positionals[0])} (files to read go after --existing)`);
  if (values.existing === undefined && values.project === undefined) return usageError(ADOPT_HELP, "missing option --existing or --project (expected the export files to read, or the project to read the lists from)");
  if (values.declarations !== undefined && (values.team === undefined || !DNS_LABEL.test(values.team))) {
    return usageError(ADOPT_HELP, `option --declarations needs --team NAME (got ${values.team === undefined ? "none" : JSON.stringify(values.team)}, expected a DNS label)`);
  }
  const stack = values.stack ?? "local";
  const configFile = path.resolve(values["config-file"] ?? stackFilePath(stack));

  const problems: Problem[] = [];
  const files = exportFiles(existingPaths, problems);
  const outcome = await runPlan({ stack, configFile, ...(values.services ? { servicesDir: values.services } : {}) });
  if (!outcome.ok) {
    printProblems([...problems, ...outcome.problems], "nothing was written");
    return EXIT.invalidInput;
  }
  const project = outcome.plan.project ?? outcome.program.settings.project;
  if (values.project !== undefined && values.project !== project) {
    // Sinks and log-based metrics carry no project in their names: another project's would not be told apart.
    printProblems([...problems, { file: displayPath(configFile), path: "gcp:project", message: `another project (got --project ${values.project}, expected the stack's project ${project})` }], "nothing was written");
    return EXIT.invalidInput;
  }
  if (values.project !== undefined) {
    try {
      files.push(...(await fetchExisting({ project: values.project, token: accessToken() })));
    } catch (error) {
      if (!(error instanceof LiveReadError || error instanceof BacktestInputError)) throw error;
      for (const line of error instanceof BacktestInputError ? error.lines : [error.message]) process.stderr.write(`${line}\n`);
      process.stderr.write("nothing was written.\n");
      return EXIT.invalidInput;
    }
  }
  const { existing, problems: exportProblems } = readExisting(files, project);
  problems.push(...exportProblems);
  if (problems.length > 0) {
    printProblems(problems, "nothing was written");
    return EXIT.invalidInput;
  }
  const findings = matchExisting({ project, resources: outcome.plan.resources, services: outcome.plan.services ?? [], existing });
  if (findings.ambiguous.length > 0) {
    printProblems(
      findings.ambiguous.map((a) => ({ file: displayPath(configFile), path: "(matching)", message: `ambiguous: ${a.what} (got candidates ${a.candidates.join(", ")}, expected exactly one: remove or rename the extra ones, or adopt by hand in monitoring-stack:adopt)` })),
      "nothing was written",
    );
    return EXIT.invalidInput;
  }
  const drafts = values.declarations !== undefined ? startingDeclarations(findings, values.team!) : undefined;
  const targets = drafts ? drafts.services.map((service) => ({ service, file: path.resolve(values.declarations!, `${service.spec.name}.yaml`) })) : [];
  const clashes = targets.filter((t) => existsSync(t.file));
  if (clashes.length > 0) {
    printProblems(clashes.map((t) => ({ file: displayPath(t.file), path: "(file)", message: "already exists (expected a new file: adopt writes starting declarations only where none is)" })), "nothing was written");
    return EXIT.invalidInput;
  }

  process.stdout.write(reportText(findings));
  const written: string[] = [];
  try {
    if (values.out !== undefined) {
      mkdirSync(path.dirname(path.resolve(values.out)), { recursive: true });
      writeFileSync(values.out, `${JSON.stringify(bulkImportFile(findings, outcome.plan.resources), null, 2)}\n`);
      written.push(displayPath(path.resolve(values.out)));
    }
    if (values["write-config"] && findings.adopt.length > 0) {
      writeFileSync(configFile, stackFileWithAdopt(readFileSync(configFile, "utf8"), findings));
      written.push(`${displayPath(configFile)} (monitoring-stack:adopt)`);
    }
    if (drafts) {
      if (targets.length > 0) mkdirSync(path.resolve(values.declarations!), { recursive: true });
      for (const { service, file } of targets) {
        writeFileSync(file, declarationText(service, path.relative(REPOSITORY_ROOT, path.dirname(file)), "npm run adopt"));
        written.push(displayPath(file));
      }
      for (const skipped of drafts.skipped) process.stdout.write(`not declared: ${skipped}\n`);
    }
  } catch (error) {
    process.stderr.write(`${values.out ?? displayPath(configFile)}: (file): cannot write (got ${(error as NodeJS.ErrnoException).code ?? "an error"}, expected a writable file)\n`);
    return EXIT.invalidInput;
  }
  process.stdout.write(written.length > 0 ? `wrote ${written.join(", ")}\n` : "wrote nothing (--out, --write-config and --declarations say where)\n");
  return EXIT.ok;
});
