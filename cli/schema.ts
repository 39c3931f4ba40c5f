/**
 * npm run schema [-- --check]
 *
 * Writes the editor schema (schema/service-v1.schema.json) generated from the
 * zod contract. With --check, writes nothing and exits 2 when the committed
 * file is missing or stale.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { SERVICE_SCHEMA_FILE, serviceJsonSchemaText } from "../contract/jsonSchema";
import { REPOSITORY_ROOT } from "../catalog/paths";
import { EXIT, commandArgs, runCommand, type CommandHelp } from "./output";

export const SCHEMA_HELP: CommandHelp = {
  name: "schema",
  usage: ["npm run schema [-- --check]"],
  summary: "Writes the editor schema, schema/service-v1.schema.json, generated from the contract.",
  options: [{ flag: "--check", meaning: "write nothing; exit 2 when the committed file is missing or stale", default: "write" }],
};

runCommand(async () => {
  const parsed = commandArgs(SCHEMA_HELP, { options: { check: { type: "boolean" }, help: { type: "boolean" } }, strict: true });
  if (typeof parsed === "number") return parsed;
  const values = parsed.values;
  const file = path.join(REPOSITORY_ROOT, SERVICE_SCHEMA_FILE);
  const text = serviceJsonSchemaText();
  if (values.check) {
    const current = existsSync(file) ? readFileSync(file, "utf8") : undefined;
    if (current === text) {
      process.stdout.write(`${SERVICE_SCHEMA_FILE} is up to date\n`);
      return EXIT.ok;
    }
    process.stderr.write(`${SERVICE_SCHEMA_FILE}: (file): ${current === undefined ? "missing" : "stale"} (expected the schema generated from contract/serviceSchema.ts; run npm run schema)\n`);
    return EXIT.invalidInput;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  process.stdout.write(`wrote ${SERVICE_SCHEMA_FILE}\n`);
  return EXIT.ok;
});
