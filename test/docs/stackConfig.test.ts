/**
 * docs/stack-config.md documents every key path of the stack file's schema
 * (`stackConfigSchema`, walked through every nested object, mapping and
 * union) and no key that the schema does not have; and every
 * `monitoring-stack:` key named anywhere in README.md and docs/ exists.
 */
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { NAMESPACE, parseStackConfig, stackConfigSchema } from "../../contract/stackConfig";
import { documentationFiles, readDoc } from "../support/markdown";
import { codeSpans, tableRows } from "./sections";

const PAGE = "docs/stack-config.md";

interface KeyPath {
  path: string;
  /** A mapping of plain values, or a value checked by hand: any key below it is the user's, not the schema's. */
  open: boolean;
}

/** Wrappers whose inner schema is what the key holds. */
const WRAPPERS = new Set(["optional", "nullable", "default", "prefault", "readonly", "catch", "nonoptional"]);
/** Values with no keys below them. */
const LEAVES = new Set(["string", "number", "int", "boolean", "bigint", "enum", "literal", "date", "null", "undefined", "template_literal"]);

/**
 * Every key path of a zod schema: an object's keys, `<*>` for a mapping's keys
 * when its values have keys of their own, a list's element's keys. Fails on a
 * kind of schema it does not know, rather than skip what is under it.
 */
export function keyPaths(schema: z.ZodType, at = ""): KeyPath[] {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  const inner = (key: string) => def[key] as z.ZodType;
  if (WRAPPERS.has(def.type)) return keyPaths(inner("innerType"), at);
  if (LEAVES.has(def.type)) return [];
  switch (def.type) {
    case "pipe":
      return keyPaths(inner("in"), at);
    case "object":
      return Object.entries(def["shape"] as Record<string, z.ZodType>).flatMap(([key, value]) => {
        const path = at ? `${at}.${key}` : key;
        const below = keyPaths(value, path);
        return [{ path, open: isOpen(value) }, ...below];
      });
    case "record": {
      const below = keyPaths(inner("valueType"), `${at}.<*>`);
      return below.length > 0 ? [{ path: `${at}.<*>`, open: false }, ...below] : [];
    }
    case "union":
      return dedupe((def["options"] as z.ZodType[]).flatMap((option) => keyPaths(option, at)));
    case "intersection":
      return dedupe([...keyPaths(inner("left"), at), ...keyPaths(inner("right"), at)]);
    case "array":
      return keyPaths(inner("element"), at);
    case "custom":
      return [];
    default:
      throw new Error(`${at || "(root)"}: a ${def.type} schema; teach keyPaths what keys it has`);
  }
}

function dedupe(paths: KeyPath[]): KeyPath[] {
  const seen = new Map<string, KeyPath>();
  for (const p of paths) seen.set(p.path, { path: p.path, open: (seen.get(p.path)?.open ?? false) || p.open });
  return [...seen.values()];
}

/** A mapping whose values have no keys of their own, or a value the schema checks by hand (a custom schema). */
function isOpen(schema: z.ZodType): boolean {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  if (WRAPPERS.has(def.type)) return isOpen(def["innerType"] as z.ZodType);
  if (def.type === "custom") return true;
  if (def.type === "record") return keyPaths(def["valueType"] as z.ZodType).length === 0;
  return false;
}

/** Keys of the stack file outside the schema's namespace that parseStackConfig requires. */
function requiredOutsideNamespace(): string[] {
  const { problems } = parseStackConfig({}, "Pulumi.test.yaml");
  return problems.map((p) => p.path).filter((path) => !path.startsWith(`${NAMESPACE}:`));
}

const generic = (key: string) => key.replace(/<[^>]+>/g, "<*>");
const schemaKeys = keyPaths(stackConfigSchema);
const known = new Set([...schemaKeys.map((k) => k.path), ...requiredOutsideNamespace()]);
const openKeys = schemaKeys.filter((k) => k.open).map((k) => k.path);

/** Whether a key named in the docs is one a stack file can set: a known path, or below a mapping the user keys. */
function exists(key: string): boolean {
  const segments = key.replace(/\[\d+\]/g, "").split(".");
  const matches = (pattern: string, below: boolean) => {
    const want = pattern.split(".");
    if (below ? segments.length <= want.length : segments.length !== want.length) return false;
    return want.every((w, i) => w === "<*>" || w === segments[i]);
  };
  return [...known].some((k) => matches(k, false)) || openKeys.some((k) => matches(k, true));
}

describe(PAGE, () => {
  it("walks the schema's keys", () => {
    expect(known).toContain("gcp:project");
    expect(known).toContain(`${NAMESPACE}:grafana.syntheticMonitoring.url`);
    expect(known).toContain(`${NAMESPACE}:channels.<*>.type`);
    expect(known).toContain(`${NAMESPACE}:owns.teams`);
    expect(openKeys).toContain(`${NAMESPACE}:channelSecrets`);
    expect(known.size).toBeGreaterThan(50);
  });

  it("documents every key of the stack file, once, and no key that does not exist", () => {
    const documented = tableRows(readDoc(PAGE))
      .map((cells) => codeSpans(cells[0] ?? "")[0] ?? "")
      .filter((key) => key.startsWith(`${NAMESPACE}:`) || key.startsWith("gcp:"))
      .map(generic);
    expect(documented.filter((key, i) => documented.indexOf(key) !== i), "documented twice").toEqual([]);
    expect({ missingFromPage: [...known].filter((k) => !documented.includes(k)), notInSchema: documented.filter((k) => !known.has(k)) }).toEqual({ missingFromPage: [], notInSchema: [] });
  });
});

describe("monitoring-stack: keys named in README.md and docs/", () => {
  it("all exist", () => {
    const named = documentationFiles().flatMap((file) =>
      // `monitoring-stack:x.y` in prose, code spans and fenced blocks; a Pulumi type token (`monitoring-stack:index:MonitoredService`) is not a key.
      [...readDoc(file).matchAll(new RegExp(`${NAMESPACE}:([A-Za-z][\\w.<>\\[\\]-]*)(?!:?[A-Za-z])`, "g"))].map((m) => ({ file, key: `${NAMESPACE}:${m[1]!.replace(/\.$/, "")}` })),
    );
    expect(named.length).toBeGreaterThan(20);
    expect(named.filter(({ key }) => !exists(generic(key))).map(({ file, key }) => `${file}: ${key}`)).toEqual([]);
  });
});
