/**
 * Reads `stacks/Pulumi.<stack>.yaml` the way the Pulumi CLI hands config to a
 * program: every value a string, objects JSON-encoded. Encrypted (`secure:`)
 * values are never decrypted offline; they reach the program as "[secret]"
 * and their keys are marked secret.
 */
import { existsSync, readFileSync } from "node:fs";
import { parseYaml } from "../contract/load";
import type { Problem } from "../contract/problems";

export const SECRET_PLACEHOLDER = "[secret]";

export interface StackFile {
  config: Record<string, string>;
  secretKeys: string[];
}

export function readStackFile(file: string, shown: string): { stack?: StackFile; problems: Problem[] } {
  const problems: Problem[] = [];
  if (!existsSync(file)) {
    return { problems: [{ file: shown, path: "(file)", message: "not found (expected a stack config file; stacks live in stacks/Pulumi.<stack>.yaml)" }] };
  }
  const document = parseYaml(readFileSync(file, "utf8"), shown, problems);
  if (problems.length > 0) return { problems };
  const root = (document ?? {}) as { config?: unknown };
  if (typeof root !== "object" || root === null || Array.isArray(root)) {
    return { problems: [{ file: shown, path: "(root)", message: "invalid value (expected a mapping with a config: section)" }] };
  }
  const raw = root.config ?? {};
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return { problems: [{ file: shown, path: "config", message: "invalid value (expected a mapping of config keys)" }] };
  }
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const { text, secret } = encode(value);
    config[key] = text;
    if (secret) secretKeys.push(key);
  }
  return { stack: { config, secretKeys }, problems };
}

function isSecure(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 && "secure" in value;
}

/** Encodes one config value; `secure:` values anywhere inside become the placeholder and make the key secret. */
function encode(value: unknown): { text: string; secret: boolean } {
  let secret = false;
  const replace = (node: unknown): unknown => {
    if (isSecure(node)) {
      secret = true;
      return SECRET_PLACEHOLDER;
    }
    if (Array.isArray(node)) return node.map(replace);
    if (typeof node === "object" && node !== null) {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, replace(v)]));
    }
    return node;
  };
  const replaced = replace(value);
  const text = typeof replaced === "string" ? replaced : typeof replaced === "object" && replaced !== null ? JSON.stringify(replaced) : String(replaced);
  return { text, secret };
}
