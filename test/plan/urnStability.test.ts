/**
 * Adding a service or reordering and renaming declaration files must not
 * change any other resource's URN or inputs: URNs come from names, never from
 * positions or file names.
 */
import { cpSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { PlannedResource } from "../../plan/mockRuntime";
import { FIXTURE_SERVICES, FIXTURE_STACK, plan } from "./helpers";

const ROOT = path.join(__dirname, "..", "..");
const workDirs: string[] = [];

function copyCatalog(): string {
  // Inside the repository, so TypeScript declarations resolve their imports the same way.
  const dir = mkdtempSync(path.join(ROOT, ".urn-test-"));
  workDirs.push(dir);
  cpSync(FIXTURE_SERVICES, dir, { recursive: true });
  writeFileSync(
    path.join(dir, "checkout-api.ts"),
    [
      'import { defineService } from "../contract/define";',
      "export default defineService({",
      '  name: "checkout-api", team: "payments", tier: "critical",',
      '  runtime: { cloudRun: { service: "checkout", region: "europe-west1" } },',
      '  endpoints: [{ name: "health", url: "https://checkout.example.com/health" }],',
      '  slos: [{ name: "availability", objective: 99.9, indicator: { availability: {} } }],',
      "});",
    ].join("\n"),
  );
  return dir;
}

afterAll(() => {
  for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
});

const index = (resources: readonly PlannedResource[]) => new Map(resources.map((r) => [r.urn, r]));

describe("URN stability", () => {
  it("adding a service (sorted first) and renaming files leaves every existing resource untouched", async () => {
    const baseDir = copyCatalog();
    const base = await plan({ stack: "test", configFile: FIXTURE_STACK, servicesDir: baseDir });

    const changedDir = copyCatalog();
    renameSync(path.join(changedDir, "web.yaml"), path.join(changedDir, "0-web.yaml"));
    renameSync(path.join(changedDir, "batch.yaml"), path.join(changedDir, "zz-batch.yml"));
    renameSync(path.join(changedDir, "checkout-api.ts"), path.join(changedDir, "a-checkout.ts"));
    writeFileSync(
      path.join(changedDir, "00-aardvark.yaml"),
      [
        "apiVersion: monitoring-stack/v1",
        "name: aardvark",
        "team: zoo",
        "runtime: { cloudRun: { service: aardvark, region: europe-west1 } }",
        "endpoints: [{ name: health, url: https://aardvark.example.com/health }]",
        "slos: [{ name: availability, objective: 99.5, indicator: { availability: {} } }]",
        "alerting: { page: [oncall-pager], ticket: [team-slack] }",
      ].join("\n"),
    );
    const changed = await plan({ stack: "test", configFile: FIXTURE_STACK, servicesDir: changedDir });

    const before = index(base.plan.resources);
    const after = index(changed.plan.resources);
    for (const [urn, resource] of before) {
      const same = after.get(urn);
      expect(same, `missing after the change: ${urn}`).toBeDefined();
      expect(same!.inputs, urn).toEqual(resource.inputs);
    }
    const added = [...after.keys()].filter((urn) => !before.has(urn));
    expect(added.length).toBeGreaterThan(0);
    for (const urn of added) expect(urn).toMatch(/::aardvark(-[a-z0-9-]+)?$/);
  });
});
