/**
 * npm run stacks -- check [--stacks-dir DIR]
 *   Checks every stacks/Pulumi.*.yaml, that per environment every service is
 *   owned by exactly one stack, and that per project the stacks that target
 *   it stay within Google Cloud's limits. Exit 0 fine, 2 problems.
 * npm run stacks -- list [--stacks-dir DIR]
 *   Each stack: environment, what it owns, its platform stack, its services.
 * npm run stacks -- affected [--json] FILE...
 *   The stacks whose preview the changed files (paths from the repository
 *   root, e.g. from `git diff --name-only`) can alter, one per line or as a
 *   JSON array for a CI matrix.
 */
import * as path from "node:path";
import { affectedStacks, checkStacks, type ProjectLimits } from "../catalog/stacks";
import { counted } from "../contract/problems";
import { LIMITS } from "../model/googleLimits";
import { EXIT, commandArgs, printProblems, runCommand, unknownCommand, usageError, type CommandHelp } from "./output";

export const STACKS_HELP: CommandHelp = {
  name: "stacks",
  usage: ["npm run stacks -- check [--stacks-dir DIR]", "npm run stacks -- list [--stacks-dir DIR]", "npm run stacks -- affected [--json] FILE..."],
  summary:
    "check: every stack file, each service owned by exactly one stack per environment, and each project within Google Cloud's limits. list: each stack, its environment, what it owns, its platform and its services. affected: the stacks whose preview the changed files (paths from the repository root) can alter.",
  options: [
    { flag: "--stacks-dir DIR", meaning: "check and list: the stack files of DIR instead", default: "stacks" },
    { flag: "--json", meaning: "affected: one JSON array, for a CI matrix", default: "one stack a line" },
  ],
};

runCommand(async () => {
  const parsed = commandArgs(STACKS_HELP, { options: { json: { type: "boolean" }, "stacks-dir": { type: "string" }, help: { type: "boolean" } }, allowPositionals: true, strict: true });
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
    default:
      return usageError(STACKS_HELP, unknownCommand(command, ["check", "list", "affected"]));
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
