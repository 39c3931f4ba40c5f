/**
 * npm run stacks -- check [--stacks-dir DIR]
 *   Checks every stacks/Pulumi.*.yaml, that per environment every service is
 *   owned by exactly one stack, and that per project the stacks that target
 *   it stay within Google Cloud's limits. Exit 0 fine, 2 problems.
 * npm run stacks -- list [--stacks-dir DIR]
 *   Each stack: environment, what it owns, its platform stack, its services.
 * npm run stacks -- plan [--stacks-dir DIR] [--out DIR] [--jobs N] [--over-limits] [STACK...]
 *   Plans every stack of DIR (or those named) offline, each in its own
 *   `npm run plan` process, as many at a time as the machine has cores for;
 *   each stack's files go to OUT/<stack>/. Exit: the gravest of the stacks'.
 * npm run stacks -- affected [--json] FILE...
 *   The stacks whose preview the changed files (paths from the repository
 *   root, e.g. from `git diff --name-only`) can alter, one per line or as a
 *   JSON array for a CI matrix.
 */
import * as path from "node:path";
import { STACKS_DIR } from "../catalog/paths";
import { stackNames } from "../catalog/stackSettings";
import { affectedStacks, checkStacks, type ProjectLimits } from "../catalog/stacks";
import { counted } from "../contract/problems";
import { LIMITS } from "../model/googleLimits";
import { defaultJobs, overallExit, planStacks } from "./planStacks";
import { EXIT, commandArgs, printProblems, runCommand, unknownCommand, usageError, type CommandHelp } from "./output";

export const STACKS_HELP: CommandHelp = {
  name: "stacks",
  usage: [
    "npm run stacks -- check [--stacks-dir DIR]",
    "npm run stacks -- list [--stacks-dir DIR]",
    "npm run stacks -- plan [--stacks-dir DIR] [--out DIR] [--jobs N] [--over-limits] [STACK...]",
    "npm run stacks -- affected [--json] FILE...",
  ],
  summary:
    "check: every stack file, each service owned by exactly one stack per environment, and each project within Google Cloud's limits. list: each stack, its environment, what it owns, its platform and its services. plan: every stack (or those named) planned offline as npm run plan plans one, several at a time, each into OUT/<stack>/. affected: the stacks whose preview the changed files (paths from the repository root) can alter.",
  options: [
    { flag: "--stacks-dir DIR", meaning: "check, list and plan: the stack files of DIR instead", default: "stacks" },
    { flag: "--out DIR", meaning: "plan: write each stack's plan into DIR/<stack>/", default: "plan-output" },
    { flag: "--jobs N", meaning: "plan: at most N stacks at a time", default: "the machine's cores, at most one per stack" },
    { flag: "--over-limits", meaning: "plan: plan stacks past Google Cloud's limits, as npm run plan -- --over-limits (benchmarks only)", default: "refuse" },
    { flag: "--json", meaning: "affected: one JSON array, for a CI matrix", default: "one stack a line" },
  ],
};

runCommand(async () => {
  const parsed = commandArgs(STACKS_HELP, {
    options: { json: { type: "boolean" }, "stacks-dir": { type: "string" }, out: { type: "string" }, jobs: { type: "string" }, "over-limits": { type: "boolean" }, help: { type: "boolean" } },
    allowPositionals: true,
    strict: true,
  });
  if (typeof parsed === "number") return parsed;
  const [command, ...files] = parsed.positionals;
  switch (command) {
    case "check":
    case "list": {
      const dir = parsed.values["stacks-dir"];
      const { stacks, problems, projects } = await checkStacks(dir ? path.resolve(dir) : undefined);
      if (command === "list") {
        for (const s of stacks) {
          process.stdout.write(`${s.stack}\tenvironment ${s.environment}\towns ${s.owns}${s.platform ? `\tplatform ${s.platform}` : ""}\t${counted(s.services.length, "service")}${s.services.length ? `: ${s.services.join(", ")}` : ""}\n`);
        }
      }
      if (problems.length > 0) {
        printProblems(problems);
        return EXIT.invalidInput;
      }
      if (command === "check") {
        const environments = new Set(stacks.map((s) => s.environment)).size;
        process.stdout.write(`${counted(stacks.length, "stack")} in ${counted(environments, "environment")}: every service is owned by exactly one stack per environment\n`);
        process.stdout.write(`${counted(projects.length, "project")}, each within Google Cloud's limits (largest share first):\n`);
        for (const project of projects) process.stdout.write(`${projectLine(project)}\n${uptimeLine(project)}\n`);
        for (const notice of projects.flatMap((p) => p.notices)) process.stdout.write(`notice: ${notice}\n`);
      }
      return EXIT.ok;
    }
    case "affected": {
      const { stacks, problems } = await affectedStacks(files);
      if (problems.length > 0) {
        printProblems(problems);
        return EXIT.invalidInput;
      }
      process.stdout.write(parsed.values.json ? `${JSON.stringify(stacks)}\n` : stacks.map((s) => `${s}\n`).join(""));
      return EXIT.ok;
    }
    case "plan": {
      const dir = path.resolve(parsed.values["stacks-dir"] ?? STACKS_DIR);
      let known: string[];
      try {
        known = stackNames(dir);
      } catch {
        return usageError(STACKS_HELP, `--stacks-dir: cannot read the directory (got ${JSON.stringify(parsed.values["stacks-dir"] ?? "stacks")}, expected a directory of Pulumi.<stack>.yaml files)`);
      }
      const unknown = files.filter((stack) => !known.includes(stack));
      if (unknown.length > 0) return usageError(STACKS_HELP, `plan: no such stack (got ${unknown.join(", ")}, expected one of ${known.join(", ") || "none: no stack files"})`);
      const chosen = files.length > 0 ? [...new Set(files)] : known;
      const jobsText = parsed.values.jobs;
      const jobs = jobsText === undefined ? defaultJobs(chosen.length) : Number(jobsText);
      if (!Number.isInteger(jobs) || jobs < 1) return usageError(STACKS_HELP, `--jobs: invalid value (got ${JSON.stringify(jobsText)}, expected a whole number, at least 1)`);
      const out = path.resolve(parsed.values.out ?? "plan-output");
      const runs = await planStacks(
        chosen.map((stack) => ({ stack, configFile: path.join(dir, `Pulumi.${stack}.yaml`) })),
        { out, jobs, ...(parsed.values["over-limits"] ? { overLimits: true } : {}) },
      );
      for (const run of runs) {
        process.stdout.write(`${run.stack} (exit ${run.code}, ${run.seconds.toFixed(1)} s): ${run.stdout.split("\n")[0] || "no output"}\n`);
        if (run.stderr) process.stderr.write(run.stderr.split("\n").filter((line) => line !== "").map((line) => `${run.stack}: ${line}\n`).join(""));
      }
      process.stdout.write(`planned ${runs.length} stack${runs.length === 1 ? "" : "s"}, at most ${Math.min(jobs, runs.length)} at a time, into ${path.relative(process.cwd(), out) || "."}/<stack>/\n`);
      return overallExit(runs);
    }
    default:
      return usageError(STACKS_HELP, unknownCommand(command, ["check", "list", "plan", "affected"]));
  }
});

/** "    uptime-check executions: 380,160 a month, all within the project's 1,000,000 free: $0.00 a month" — the allotment applied once per project. */
function uptimeLine(project: ProjectLimits): string {
  const { executions, free, monthly } = project.uptimeChecks;
  const n = (value: number) => Math.round(value).toLocaleString("en-US");
  return `    uptime-check executions: ${n(executions)} a month from its stacks, ${n(free)} of them free (the project's allotment, applied once): $${monthly.toFixed(2)} a month at list price`;
}

/** "acme-org-01 (stacks team-01): uptime checks 75/100, alert policies 830/2000, ..." — project limits only. */
function projectLine(project: ProjectLimits): string {
  const uses = project.uses.filter((use) => use.where.endsWith(`project ${project.project}`)).sort((a, b) => b.count / b.limit - a.count / a.limit);
  return `  ${project.project} (stack${project.stacks.length === 1 ? "" : "s"} ${project.stacks.join(", ")}): ${uses.map((use) => `${LIMITS[use.id].what} ${use.count}/${use.limit}`).join(", ")}`;
}
