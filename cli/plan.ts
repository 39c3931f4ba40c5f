/**
 * npm run plan -- [--stack NAME] [--config-file FILE] [--services DIR] [--out DIR] [--prices FILE] [--over-limits]
 *
 * Plans a stack offline (no credentials, no cloud) and writes OUT/plan.json,
 * OUT/summary.md and the rendered dashboards, rule files and Alertmanager
 * config (what an earlier plan rendered there is replaced, not merged).
 * --prices FILE: a JSON object of prices (model/prices.ts names) that replace
 * the list prices in summary.md's cost estimate.
 * --over-limits: plans a stack past Google Cloud's limits (to measure the plan
 * of a large catalog) instead of refusing it; each limit exceeded is noted
 * in summary.md, and pulumi up still refuses such a stack.
 * Exit codes: 0 fine, 1 mandatory policy violations, 2 invalid input.
 */
import { mkdirSync, rmSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import * as path from "node:path";
import { ARTEFACT_DIRS } from "../components/stackWide";
import { runPlan, writePlanJson } from "../plan/runPlan";
import { counted } from "../contract/problems";
import { EXIT, commandArgs, printProblems, runCommand, type CommandHelp } from "./output";
import { readPricesFile } from "./prices";

export const PLAN_HELP: CommandHelp = {
  name: "plan",
  usage: ["npm run plan -- [--stack NAME] [--config-file FILE] [--services DIR] [--out DIR] [--prices FILE] [--over-limits]"],
  summary:
    "Plans a stack offline, with no credentials and no cloud, and writes plan.json, summary.md and the rendered dashboards, rule files and Alertmanager configuration. Exits 1 on a mandatory policy violation (the files are written all the same), 2 on invalid input.",
  options: [
    { flag: "--stack NAME", meaning: "the stack to plan; its config is stacks/Pulumi.<NAME>.yaml", default: "local" },
    { flag: "--config-file FILE", meaning: "read the stack config from FILE instead", default: "stacks/Pulumi.<NAME>.yaml" },
    { flag: "--services DIR", meaning: "read the declarations from DIR instead of the stack's services.dir", default: "the stack's" },
    { flag: "--out DIR", meaning: "where to write", default: "plan-output" },
    { flag: "--prices FILE", meaning: "a JSON file of prices that replace the list prices in summary.md's cost estimate", default: "list prices" },
    { flag: "--over-limits", meaning: "plan a stack past Google Cloud's limits instead of refusing it, noting each limit exceeded; for benchmarks only, pulumi up still refuses such a stack", default: "refuse" },
  ],
};


runCommand(async () => {
  const parsed = commandArgs(PLAN_HELP, {
    options: { stack: { type: "string" }, "config-file": { type: "string" }, services: { type: "string" }, out: { type: "string" }, prices: { type: "string" }, "over-limits": { type: "boolean" }, help: { type: "boolean" } },
    strict: true,
  });
  if (typeof parsed === "number") return parsed;
  const values = parsed.values;
  const configFile = values["config-file"];
  const prices = values.prices !== undefined ? readPricesFile(values.prices) : undefined;
  if (prices && !prices.prices) {
    printProblems(prices.problems);
    return EXIT.invalidInput;
  }
  const outcome = await runPlan({
    ...(prices?.prices ? { prices: prices.prices } : {}),
    stack: values.stack ?? "local",
    ...(configFile ? { configFile: path.resolve(configFile) } : {}),
    ...(values.services ? { servicesDir: values.services } : {}),
    ...(values["over-limits"] ? { overLimits: true } : {}),
  });
  if (!outcome.ok) {
    printProblems(outcome.problems);
    return EXIT.invalidInput;
  }
  const out = path.resolve(values.out ?? "plan-output");
  try {
    mkdirSync(out, { recursive: true });
    // Emptied first, so nothing an earlier plan rendered survives.
    for (const dir of ARTEFACT_DIRS) rmSync(path.join(out, dir), { recursive: true, force: true });
    // Rendered artefacts: grafana/*.json, prometheus/<service>.yaml, alertmanager/alertmanager.yml.
    const files = Object.entries(outcome.artefacts);
    for (const dir of new Set(files.map(([file]) => path.dirname(path.join(out, file))))) mkdirSync(dir, { recursive: true });
    // Written side by side (Node's I/O threads do the copying); plan.json in pieces, never as one string.
    await Promise.all([
      writePlanJson(path.join(out, "plan.json"), outcome.plan),
      writeFile(path.join(out, "summary.md"), outcome.summary),
      ...files.map(([file, text]) => writeFile(path.join(out, file), text)),
    ]);
  } catch (error) {
    process.stderr.write(`${values.out ?? "plan-output"}: (dir): cannot write (got ${(error as NodeJS.ErrnoException).code ?? "an error"}, expected a writable directory)\n`);
    return EXIT.invalidInput;
  }
  const mandatory = outcome.plan.violations.filter((v) => v.level === "mandatory");
  const advisory = outcome.plan.violations.length - mandatory.length;
  process.stdout.write(
    `planned stack ${outcome.plan.stack}: ${counted(outcome.program.services.length, "service")}, ${counted(outcome.plan.resources.length, "resource")}, ` +
      `${counted(mandatory.length, "mandatory violation")}, ${counted(advisory, "notice")}\n` +
      `wrote ${path.relative(process.cwd(), path.join(out, "plan.json"))}, ${path.relative(process.cwd(), path.join(out, "summary.md"))} and ${renderedFiles(Object.keys(outcome.artefacts))}\n`,
  );
  for (const violation of mandatory) process.stderr.write(`policy ${violation.policy}: ${violation.message}\n`);
  return mandatory.length > 0 ? EXIT.violations : EXIT.ok;
});

/** "6 rendered files (grafana/ 4, prometheus/ 1, alertmanager/ 1)": only the folders written to. */
function renderedFiles(files: readonly string[]): string {
  if (files.length === 0) return "no rendered files";
  const folders = ARTEFACT_DIRS.map((dir) => [dir, files.filter((file) => file.startsWith(`${dir}/`)).length] as const).filter(([, count]) => count > 0);
  return `${counted(files.length, "rendered file")} (${folders.map(([dir, count]) => `${dir}/ ${count}`).join(", ")})`;
}
