/**
 * The component package for every language: Pulumi's own analyzer
 * (`ComponentProvider.getSchema`, what `pulumi package add` runs) reads
 * MonitoredService's arguments from the TypeScript sources. The schema it
 * infers is committed (schema/component-schema.json) and must stay current;
 * every contract v1 field must be in it with its description, its type and
 * whether it is required.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { beforeAll, describe, expect, it } from "vitest";
import { MonitoredService } from "../../index";
import { REPOSITORY_ROOT } from "../../catalog/paths";

interface SchemaProperty {
  type?: string;
  $ref?: string;
  description?: string;
  items?: SchemaProperty;
  additionalProperties?: SchemaProperty | boolean;
  properties?: Record<string, SchemaProperty>;
  required?: string[];
  enum?: unknown[];
  anyOf?: SchemaProperty[];
}
interface PackageSchema {
  name: string;
  resources: Record<string, { inputProperties: Record<string, SchemaProperty>; requiredInputs: string[]; description?: string }>;
  types: Record<string, { type: string; properties?: Record<string, SchemaProperty>; required?: string[]; enum?: { value: string }[] }>;
}

const TOKEN = "monitoring-stack:index:MonitoredService";
/** Contract fields the component takes another way: the version is implied, the resource name is the service name. */
const NOT_ARGUMENTS = ["apiVersion", "name"];

/**
 * Every field of the contract's JSON Schema, missing from or unlike the component schema: its description,
 * its type (string, number, integer as number, boolean, array, object) and whether it is required.
 */
export function contractCoverage(contract: SchemaProperty, schema: PackageSchema): string[] {
  const problems: string[] = [];
  const resource = schema.resources[TOKEN]!;
  const deref = (property: SchemaProperty): { type: string; properties?: Record<string, SchemaProperty>; required?: string[]; enum?: unknown[] } | SchemaProperty => {
    if (!property.$ref) return property;
    const type = schema.types[property.$ref.replace("#/types/", "")];
    if (!type) throw new Error(`unresolved ${property.$ref}`);
    return type;
  };
  const kind = (property: SchemaProperty): string => {
    const resolved = deref(property);
    if ("enum" in resolved && resolved.enum && property.$ref) return "string";
    if (resolved.type === "integer") return "number";
    return resolved.type ?? (property.anyOf ? "object" : "unknown");
  };
  const walk = (expected: SchemaProperty, actual: { properties?: Record<string, SchemaProperty>; required?: string[] }, at: string, skip: readonly string[]) => {
    for (const [field, want] of Object.entries(expected.properties ?? {})) {
      if (skip.includes(field)) continue;
      const where = at ? `${at}.${field}` : field;
      const got = actual.properties?.[field];
      if (!got) {
        problems.push(`${where}: missing`);
        continue;
      }
      if (!got.description?.trim()) problems.push(`${where}: no description`);
      const wantRequired = (expected.required ?? []).includes(field);
      const gotRequired = (actual.required ?? []).includes(field);
      if (wantRequired !== gotRequired) problems.push(`${where}: required ${gotRequired}, the contract says ${wantRequired}`);
      const wantType = want.type === "integer" ? "number" : want.type;
      if (wantType && wantType !== kind(got)) problems.push(`${where}: type ${kind(got)}, the contract says ${wantType}`);
      if (want.type === "object" && want.properties) walk(want, deref(got) as typeof actual, where, []);
      if (want.type === "array" && want.items?.type === "object" && got.items) walk(want.items, deref(got.items) as typeof actual, `${where}[]`, []);
    }
  };
  walk(contract, { properties: resource.inputProperties, required: resource.requiredInputs }, "", NOT_ARGUMENTS);
  return problems;
}

describe("the component package schema", () => {
  let schema: PackageSchema;
  beforeAll(async () => {
    const provider = new ComponentProvider({ name: "monitoring-stack", dirname: REPOSITORY_ROOT, components: [MonitoredService] });
    schema = JSON.parse(await provider.getSchema()) as PackageSchema;
  }, 600_000);

  it("is the committed schema/component-schema.json", async () => {
    await expect(`${JSON.stringify(schema, null, 2)}\n`).toMatchFileSnapshot(path.join(REPOSITORY_ROOT, "schema", "component-schema.json"));
  });

  it("carries every contract v1 field with its description, type and required-ness", () => {
    const contract = JSON.parse(readFileSync(path.join(REPOSITORY_ROOT, "schema", "service-v1.schema.json"), "utf8")) as SchemaProperty;
    expect(contractCoverage(contract, schema)).toEqual([]);
  });

  it("takes outputs where a team passes another resource's: Cloud Run service, Cloud SQL instance, endpoint URL", () => {
    const plain = (type: string, field: string) => schema.types[`monitoring-stack:index:${type}`]!.properties![field]!;
    for (const [type, field] of [["CloudRunRuntime", "service"], ["CloudSql", "instance"], ["Endpoint", "url"]] as const) {
      expect(plain(type, field), `${type}.${field}`).not.toHaveProperty("plain");
    }
  });

  it("notices a field that loses its description or its type", () => {
    const contract = JSON.parse(readFileSync(path.join(REPOSITORY_ROOT, "schema", "service-v1.schema.json"), "utf8")) as SchemaProperty;
    const broken = JSON.parse(JSON.stringify(schema)) as PackageSchema;
    delete broken.resources[TOKEN]!.inputProperties["team"]!.description;
    broken.types["monitoring-stack:index:Slo"]!.properties!["objective"]!.type = "string";
    delete broken.types["monitoring-stack:index:Logs"]!.properties!["sinks"];
    expect(contractCoverage(contract, broken)).toEqual(["team: no description", "slos[].objective: type string, the contract says number", "logs.sinks: missing"]);
  });
});
