/**
 * npm run stacks -- check
 *   Checks every stacks/Pulumi.*.yaml and that, per environment, every
 *   service is owned by exactly one stack. Exit 0 fine, 2 problems.
 * npm run stacks -- list
 *   Each stack: environment, what it owns, its platform stack, its services.
 * npm run stacks -- affected [--json] FILE...
 *   The stacks whose preview the changed files (paths from the repository
 *   root, e.g. from `git diff --name-only`) can alter, one per line or as a
 *   JSON array for a CI matrix.
 */
import { affectedStacks, checkStacks } from "../catalog/stacks";
import { EXIT, commandArgs, printProblems, runCommand } from "./output";

const USAGE = "usage: npm run stacks -- check | list | affected [--json] FILE...";

runCommand(async () => {
  const parsed = commandArgs(USAGE, { options: { json: { type: "boolean" }, help: { type: "boolean" } }, allowPositionals: true, strict: true });
  if (typeof parsed === "number") return parsed;
  const [command, ...files] = parsed.positionals;
  switch (command) {
    case "check":
    case "list": {
      const { stacks, problems } = await checkStacks();
      if (command === "list") {
        for (const s of stacks) {
          process.stdout.write(`${s.stack}\tenvironment ${s.environment}\towns ${s.owns}${s.platform ? `\tplatform ${s.platform}` : ""}\t${s.services.length} service${s.services.length === 1 ? "" : "s"}${s.services.length ? `: ${s.services.join(", ")}` : ""}\n`);
        }
      }
      if (problems.length > 0) {
        printProblems(problems);
        return EXIT.invalidInput;
      }
      if (command === "check") {
        const environments = new Set(stacks.map((s) => s.environment)).size;
        process.stdout.write(`${stacks.length} stacks in ${environments} environments: every service is owned by exactly one stack per environment\n`);
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
      process.stderr.write(`${command === undefined ? "missing command (expected check, list or affected)" : `unknown command (got ${JSON.stringify(command)}, expected check, list or affected)`}\n${USAGE}\n`);
      return EXIT.invalidInput;
  }
});
