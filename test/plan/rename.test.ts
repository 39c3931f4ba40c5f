/**
 * Renaming a service, an SLO or an endpoint with `formerly` replaces nothing:
 * every earlier URN is answered by an alias, and the fields that force a
 * replacement (and reset SLO history) keep their values.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PlannedResource } from "../../plan/mockRuntime";
import { FIXTURE_SERVICES, FIXTURE_STACK, plan } from "./helpers";

/** Inputs whose change makes the provider replace the resource (a new id: history and check ids lost). */
const REPLACING: Record<string, string[]> = {
  "gcp:monitoring/customService:CustomService": ["serviceId", "project"],
  "gcp:monitoring/slo:Slo": ["sloId", "service", "project"],
  "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig": ["monitoredResource", "checkerType", "project"],
};

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function catalog(edit: (webYaml: string) => string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "rename-"));
  dirs.push(dir);
  cpSync(FIXTURE_SERVICES, dir, { recursive: true });
  const file = path.join(dir, "web.yaml");
  writeFileSync(file, edit(readFileSync(file, "utf8")));
  return dir;
}

const renameAll = (yaml: string) =>
  yaml
    .replace("name: web\n", "name: storefront\nformerly: [web]\n")
    .replace("  - name: availability\n", "  - name: success-rate\n    formerly: [availability]\n")
    .replace("  - name: health\n", "  - name: healthz\n    formerly: [health]\n")
    .replace("uptime: { endpoint: health }", "uptime: { endpoint: healthz }");

function answering(resources: readonly PlannedResource[], urn: string): PlannedResource | undefined {
  return resources.find((r) => r.urn === urn || r.aliases?.includes(urn));
}

describe("renames", () => {
  let base: PlannedResource[];
  beforeAll(async () => {
    base = (await plan({ stack: "test", configFile: FIXTURE_STACK, servicesDir: catalog((y) => y) })).plan.resources;
  });

  it("with formerly, every earlier resource is answered by an alias and keeps its replacement-forcing inputs", async () => {
    const renamed = (await plan({ stack: "test", configFile: FIXTURE_STACK, servicesDir: catalog(renameAll) })).plan.resources;
    expect(renamed.length).toBe(base.length);
    for (const before of base) {
      const after = answering(renamed, before.urn);
      expect(after, `nothing answers to ${before.urn}`).toBeDefined();
      expect(after!.type).toBe(before.type);
      for (const field of REPLACING[before.type] ?? []) expect(after!.inputs[field], `${before.urn}: ${field}`).toEqual(before.inputs[field]);
    }
    // The cloud ids stay the original names; the display follows the new ones.
    const slo = renamed.find((r) => r.name === "storefront-slo-success-rate")!;
    expect(slo.inputs).toMatchObject({ service: "web", sloId: "availability", displayName: "storefront success-rate: 99.9 % over 30 d" });
    expect(slo.aliases).toContain("urn:pulumi:test::monitoring-stack::monitoring-stack:service:ServiceMonitoring$monitoring-stack:gcp:ServiceLevelObjectives$gcp:monitoring/slo:Slo::web-slo-availability");
    const alert = renamed.find((r) => r.name === "storefront-burn-success-rate-page-fast")!;
    expect(JSON.stringify(alert.inputs["conditions"])).toContain("projects/test-project/services/web/serviceLevelObjectives/availability");
  });

  it("without formerly, a rename shows up as new resources (the check above can fail)", async () => {
    const plain = (yaml: string) => renameAll(yaml).replace("formerly: [web]\n", "").replace("    formerly: [availability]\n", "").replace("    formerly: [health]\n", "");
    const renamed = (await plan({ stack: "test", configFile: FIXTURE_STACK, servicesDir: catalog(plain) })).plan.resources;
    const lost = base.filter((before) => !answering(renamed, before.urn));
    expect(lost.map((r) => r.name)).toContain("web-slo-availability");
    expect(renamed.find((r) => r.name === "storefront-slo-success-rate")!.inputs).toMatchObject({ service: "storefront", sloId: "success-rate" });
  });

  it("refuses an earlier name that another service still uses", async () => {
    const { runPlan } = await import("../../plan/runPlan");
    const clash = catalog((y) => y.replace("name: web\n", "name: storefront\nformerly: [batch]\n"));
    const outcome = await runPlan({ stack: "test", configFile: FIXTURE_STACK, servicesDir: clash });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([expect.stringMatching(/^formerly\[0\]: earlier name in use \(got "batch"/)]);
  });

  it("refuses an SLO's earlier name that another SLO of the service still uses", async () => {
    const { runPlan } = await import("../../plan/runPlan");
    const clash = catalog((y) => y.replace("  - name: latency\n", "  - name: latency\n    formerly: [uptime]\n"));
    const outcome = await runPlan({ stack: "test", configFile: FIXTURE_STACK, servicesDir: clash });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.problems.map((p) => p.path)).toEqual(["slos[1].formerly[0]"]);
  });
});
