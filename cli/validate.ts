/**
 * npm run validate -- [--stack NAME] [PATH...]
 *
 * Checks service declarations (files or directories; default: the stack's
 * services) against contract v1 and the stack config. Prints one line per
 * problem and exits 2 if there is any, 0 otherwise.
 */
import * as path from "node:path";
import { parseArgs } from "node:util";
import { loadCatalog } from "../components/catalog";
import { readStackFile } from "../components/plan/stackFile";
import { displayPath } from "../components/spec/load";
import { parseStackConfig } from "../components/spec/stackConfig";
import { PROJECT_ROOT, stackConfigPath } from "../stacks/program";
import { EXIT, printProblems, runCommand } from "./output";

const USAGE = "usage: npm run validate -- [--stack NAME] [PATH...]";

runCommand(async () => {
  let parsed;
  try {
    parsed = parseArgs({ options: { stack: { type: "string" }, help: { type: "boolean" } }, allowPositionals: true, strict: true });
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return EXIT.invalidInput;
  }
  if (parsed.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  const stack = parsed.values.stack ?? "local";
  const file = stackConfigPath(stack);
  const shown = displayPath(file);
  const stackFile = readStackFile(file, shown);
  const config = stackFile.stack ? parseStackConfig(stackFile.stack.config, shown) : { problems: stackFile.problems };
  if (!config.settings) {
    printProblems(config.problems);
    return EXIT.invalidInput;
  }
  const paths = parsed.positionals.length > 0 ? parsed.positionals : [path.resolve(PROJECT_ROOT, config.settings.servicesDir)];
  const catalog = await loadCatalog(paths, config.settings);
  if (catalog.problems.length > 0) {
    printProblems(catalog.problems);
    return EXIT.invalidInput;
  }
  process.stdout.write(`${catalog.services.length} service declaration(s) valid against stack ${stack}\n`);
  return EXIT.ok;
});
