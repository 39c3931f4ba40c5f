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
import { EXIT, commandArgs, printProblems, printWarnings, runCommand, type CommandHelp } from "./output";

export const VALIDATE_HELP: CommandHelp = {
  name: "validate",
  usage: ["npm run validate -- [--stack NAME] [PATH...]"],
  summary:
    "Checks declarations (the stack's services, or the files and directories given) against contract v1 and the stack's config: channels, burn tiers, ownership. One line per problem, all at once; exit 2 when there is any.",
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
  process.stdout.write(`${counted(catalog.services.length, "service declaration")} valid against stack ${stack}\n`);
  if (catalog.notOwned.length > 0) {
    process.stdout.write(`${catalog.notOwned.length} more not owned by stack ${stack} (monitoring-stack:owns), checked for shape only: ${catalog.notOwned.join(", ")}\n`);
  }
  return EXIT.ok;
});
