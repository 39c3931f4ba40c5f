/**
 * The editor schema (schema/service-v1.schema.json): current with the zod
 * contract, accepted by a real JSON Schema validator (ajv), accepting every
 * valid declaration we have, rejecting shape errors, and referenced by every
 * YAML declaration's `yaml-language-server` comment.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { SERVICE_SCHEMA_FILE, schemaComment, serviceJsonSchemaText } from "../../contract/jsonSchema";
import { loadServices } from "../../contract/load";
import { serviceSchema } from "../../contract/serviceSchema";
import { BAD_DIR, GOOD_DIR, REPO_ROOT } from "../support/declarations";

/** Every directory of declarations meant to be valid. */
/** examples/large-org's declarations are generated, not committed: test/examples/largeOrg.test.ts checks them. */
const EXAMPLE_DIRS = readdirSync(path.join(REPO_ROOT, "examples"))
  .filter((system) => system !== "large-org")
  .map((system) => `examples/${system}/services`);
const VALID_DIRS = ["services", GOOD_DIR, "test/fixtures/plan/services", "test/fixtures/operations/services", "test/fixtures/policies/risky", ...EXAMPLE_DIRS];

/** Shape errors only the loader sees: they need arithmetic over several values. */
const RUNTIME_ONLY = {
  "regions-two.yaml": "checker locations are counted per region (USA counts 3)",
  "scaling-min-above-max.yaml": "minInstances ≤ maxInstances compares two fields",
};

let validate: ValidateFunction;

function compile(): ValidateFunction {
  const ajv = new Ajv({ allErrors: true });
  ajv.addFormat("uri", (text: string) => URL.canParse(text));
  return ajv.compile(JSON.parse(readFileSync(path.join(REPO_ROOT, SERVICE_SCHEMA_FILE), "utf8")) as object);
}

beforeAll(() => {
  validate = compile();
});

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return yamlFiles(full);
    return /\.ya?ml$/.test(entry) ? [full] : [];
  });
}

describe("editor schema", () => {
  it("is the file npm run schema generates from the current contract", () => {
    const committed = readFileSync(path.join(REPO_ROOT, SERVICE_SCHEMA_FILE), "utf8");
    expect(committed, "stale: run npm run schema").toBe(serviceJsonSchemaText());
  });

  it("accepts every valid declaration, YAML and TypeScript", async () => {
    const loaded = await loadServices(VALID_DIRS);
    expect(loaded.problems).toEqual([]);
    expect(loaded.services.length).toBeGreaterThanOrEqual(14);
    for (const { file, spec } of loaded.services) {
      expect(validate(spec), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it("rejects every shape error of the bad fixtures but the few that need arithmetic", () => {
    const accepted: string[] = [];
    for (const file of readdirSync(BAD_DIR).filter((f) => /\.ya?ml$/.test(f))) {
      let document: unknown;
      try {
        document = parse(readFileSync(path.join(BAD_DIR, file), "utf8"), { uniqueKeys: true });
      } catch {
        continue; // not YAML at all: the editor's YAML parser reports it
      }
      expect(serviceSchema.safeParse(document).success, file).toBe(false);
      if (validate(document)) accepted.push(file);
    }
    expect(accepted.sort()).toEqual(Object.keys(RUNTIME_ONLY).sort());
  });

  it("never refuses a timeout or window the contract accepts, and refuses the ones it rejects", () => {
    const base = { apiVersion: "monitoring-stack/v1", name: "a", team: "t", runtime: { external: {} } };
    const duration = fc.tuple(fc.stringMatching(/^0{0,2}[0-9]{1,6}$/), fc.constantFrom("ms", "s", "m", "h", "d", "")).map(([n, unit]) => `${n}${unit}`);
    fc.assert(
      fc.property(duration, (timeout) => {
        const value = { ...base, endpoints: [{ name: "e", url: "https://x.example.com/", timeout }] };
        expect(validate(value), timeout).toBe(serviceSchema.safeParse(value).success);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(duration, (window) => {
        const value = { ...base, slos: [{ name: "s", objective: 99, window, indicator: { cloudMonitoring: { total: 'metric.type="x"', good: 'metric.type="y"' } } }] };
        expect(validate(value), window).toBe(serviceSchema.safeParse(value).success);
      }),
      { numRuns: 300 },
    );
  });

  it("is referenced by every YAML declaration through a yaml-language-server comment that resolves", () => {
    const files = VALID_DIRS.flatMap((dir) => yamlFiles(path.join(REPO_ROOT, dir)));
    expect(files.length).toBeGreaterThanOrEqual(12);
    for (const file of files) {
      const first = readFileSync(file, "utf8").split("\n")[0]!;
      const dir = path.relative(REPO_ROOT, path.dirname(file));
      expect(first, file).toBe(schemaComment(dir));
      const target = path.resolve(path.dirname(file), first.replace(/^# yaml-language-server: \$schema=/, ""));
      expect(existsSync(target), file).toBe(true);
    }
  });
});
