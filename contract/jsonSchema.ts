/**
 * The editor schema: a JSON Schema generated from the zod contract, so that
 * editors (the YAML language server in VS Code and others) complete fields and
 * flag shape errors while a team types a declaration.
 *
 * Refinements do not translate; schema.ts gives each one its closest JSON
 * Schema hint. The result accepts every valid declaration and catches most
 * shape errors; cross-field and catalog rules (checker locations, min ≤ max,
 * references, channels, burn tiers) stay with `npm run validate`.
 */
import * as path from "node:path";
import { z } from "zod";
import { API_VERSION, serviceSchema } from "./serviceSchema";

/** The committed schema, relative to the repository root. */
export const SERVICE_SCHEMA_FILE = "schema/service-v1.schema.json";

/** The comment that points the YAML language server at the schema, from a file in `fromDir` (both relative to the same root). */
export function schemaComment(fromDir: string, schemaFile: string = SERVICE_SCHEMA_FILE): string {
  const relative = path.relative(fromDir, schemaFile).split(path.sep).join("/");
  return `# yaml-language-server: $schema=${relative.startsWith(".") ? relative : `./${relative}`}`;
}

/** The JSON Schema (draft-07, what the YAML language server reads best) of contract v1. */
export function serviceJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(serviceSchema, { target: "draft-7", io: "input", unrepresentable: "throw" }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    title: `monitoring-stack service declaration (${API_VERSION})`,
    description: "Generated from the zod contract (contract/serviceSchema.ts) by `npm run schema`; do not edit. `npm run validate` has the last word.",
    ...rest,
  };
}

/** The file's text: stable key order as generated, two-space indent, final newline. */
export function serviceJsonSchemaText(): string {
  return `${JSON.stringify(serviceJsonSchema(), null, 2)}\n`;
}
