/** The project's own files: Pulumi.yaml against Pulumi's schema, and no reach outside the repository. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const ROOT = path.join(__dirname, "..");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    if (entry === "node_modules" || entry.startsWith(".")) return [];
    const full = path.join(dir, entry);
    return statSync(full).isDirectory() ? files(full) : [full];
  });
}

describe("project files", () => {
  it("Pulumi.yaml is a valid Pulumi project with the program and stack configs in stacks/", () => {
    const schema = JSON.parse(readFileSync(path.join(ROOT, "test", "data", "pulumi-project.schema.json"), "utf8")) as object;
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(schema);
    const project = parse(readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as Record<string, unknown>;
    expect(validate(project), JSON.stringify(validate.errors)).toBe(true);
    expect(project).toMatchObject({ name: "monitoring-stack", runtime: { name: "nodejs" }, main: "stacks/", stackConfigDir: "stacks" });
    // The schema check can fail: a project without a name is rejected.
    expect(validate({ runtime: "nodejs" })).toBe(false);
  });

  it("no code, test or config reads outside the repository", () => {
    const offenders = ["components", "stacks", "cli", "services", "policies", "bench", "examples", "schema", "test"]
      .flatMap((dir) => files(path.join(ROOT, dir)))
      .filter((file) => /\.(ts|ya?ml|json)$/.test(file) && !file.includes(`${path.sep}data${path.sep}`))
      .filter((file) => /\.\.\/shared\b|\/work\/shared/.test(readFileSync(file, "utf8")));
    expect(offenders).toEqual([]);
  });
});
