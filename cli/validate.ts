/**
 * npm run validate -- [--stack NAME] [PATH...]
 *
 * Checks service declarations (files or directories; default: the stack's
 * services) against contract v1 and the stack config. Prints one line per
 * problem and exits 2 if there is any, 0 otherwise.
 */
import * as path from "node:path";
import { loadCatalog } from "../catalog/loadCatalog";
import { REPOSITORY_ROOT } from "../catalog/paths";
import { readStackSettings } from "../catalog/stackSettings";
import { ownedByNoStack } from "../catalog/stacks";
import { counted } from "../contract/problems";
import { displayPath } from "../contract/load";
import type { Problem } from "../contract/problems";
import type { ServiceModel } from "../model/types";
import { mandatoryViolations } from "../plan/policyCheck";
import { runPlan } from "../plan/runPlan";
import { stackFilePath } from "../catalog/stackSettings";
import { EXIT, commandArgs, printProblems, printWarnings, runCommand, type CommandHelp } from "./output";

export const VALIDATE_HELP: CommandHelp = {
  name: "validate",
  usage: ["npm run validate -- [--stack NAME] [PATH...]"],
  summary:
    "Checks declarations (the stack's services, or the files and directories given) against contract v1 and the stack's config (channels, burn tiers, ownership), then plans the stack offline and reports the policy pack's mandatory violations on those services, as npm run plan would. One line per problem, all at once; exit 2 when there is any.",
  options: [{ flag: "--stack NAME", meaning: "the stack whose config the declarations are checked against", default: "local" }],
};

runCommand(async () => {
  const parsed = commandArgs(VALIDATE_HELP, { options: { stack: { type: "string" }, help: { type: "boolean" } }, allowPositionals: true, strict: true });
  if (typeof parsed === "number") return parsed;
  const stack = parsed.values.stack ?? "local";
  const config = readStackSettings(stack);
  if (!config.settings) {
    printProblems(config.problems);
    return EXIT.invalidInput;
  }
  const paths = parsed.positionals.length > 0 ? parsed.positionals : [path.resolve(REPOSITORY_ROOT, config.settings.servicesDir)];
  const catalog = await loadCatalog(paths, config.settings, { servicesDir: path.resolve(REPOSITORY_ROOT, config.settings.servicesDir) });
  const unowned = await ownedByNoStack(stack, config.settings, catalog.notOwned);
  printWarnings(catalog.warnings);
  if (catalog.problems.length > 0 || unowned.length > 0) {
    printProblems([...catalog.problems, ...unowned]);
    return EXIT.invalidInput;
  }
  const policies = await mandatoryPolicies(stack, path.resolve(REPOSITORY_ROOT, config.settings.servicesDir), catalog.services);
  if (policies.problems.length > 0) {
    printProblems(policies.problems, "npm run plan would refuse the same");
    return EXIT.invalidInput;
  }
  process.stdout.write(`${counted(catalog.services.length, "service declaration")} valid against stack ${stack}${policies.note}\n`);
  if (catalog.notOwned.length > 0) {
    process.stdout.write(`${catalog.notOwned.length} more not owned by stack ${stack} (monitoring-stack:owns), checked for shape only: ${catalog.notOwned.join(", ")}\n`);
  }
  return EXIT.ok;
});

/**
 * Plans the stack offline and turns the mandatory violations on the checked
 * services into problems; declarations outside the stack's services
 * directory are not part of its plan, and the note says who checks them.
 */
async function mandatoryPolicies(stack: string, servicesDir: string, services: readonly ServiceModel[]): Promise<{ problems: Problem[]; note: string }> {
  const outside = services.filter((s) => path.relative(servicesDir, path.resolve(s.file)).startsWith(".."));
  const inside = services.filter((s) => !outside.includes(s));
  const notPlanned = outside.length
    ? `; ${counted(outside.length, "declaration")} outside ${path.relative(process.cwd(), servicesDir) || "."} not planned (npm run plan -- --stack ${stack} --services DIR runs the mandatory policies on them)`
    : "";
  if (inside.length === 0) return { problems: [], note: notPlanned };
  const outcome = await runPlan({ stack });
  // The stack's other declarations have problems of their own: npm run validate without paths names them.
  if (!outcome.ok) return { problems: [], note: `; mandatory policies not checked: the stack's other declarations do not load (npm run validate -- --stack ${stack} names them)${notPlanned}` };
  const files = new Map(inside.map((s) => [s.name, s.file]));
  const problems = mandatoryViolations(outcome.plan, new Set(files.keys())).map(
    (v): Problem => ({ file: v.service !== undefined ? files.get(v.service)! : displayPath(stackFilePath(stack)), path: `(policy ${v.policy})`, message: v.message }),
  );
  return { problems, note: `, mandatory policies included${notPlanned}` };
}
