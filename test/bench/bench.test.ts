import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { serviceKind, syntheticCatalog, writeCatalog } from "../../bench/catalog";
import { median, parseBenchArgs } from "../../bench/run";
import { resourceCount, workloadFromPlan } from "../../bench/workload";
import { loadCatalog } from "../../catalog/loadCatalog";
import { readStackFile } from "../../catalog/stackFile";
import { parseStackConfig } from "../../contract/stackConfig";
import { stackFilePath } from "../../catalog/stackSettings";
import { fixturePlan } from "../plan/helpers";

const dir = mkdtempSync(path.join(os.tmpdir(), "bench-catalog-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function localSettings() {
  const { stack } = readStackFile(stackFilePath("local"), "Pulumi.local.yaml");
  const { settings, problems } = parseStackConfig({ ...stack!.config }, "Pulumi.local.yaml");
  expect(problems).toEqual([]);
  return settings!;
}

describe("synthetic catalogs", () => {
  it("are valid declarations for the local stack, in the intended mix", async () => {
    const files = writeCatalog(dir, 20);
    expect(files).toHaveLength(20);
    const catalog = await loadCatalog([dir], localSettings());
    expect(catalog.problems).toEqual([]);
    expect(catalog.services).toHaveLength(20);
    const kinds = catalog.services.map((s) => s.runtime.kind);
    expect(kinds.filter((k) => k === "cloudRun")).toHaveLength(10);
    expect(kinds.filter((k) => k === "gke")).toHaveLength(6);
    expect(kinds.filter((k) => k === "external")).toHaveLength(4);
  });

  it("are deterministic and refuse a size that is not a whole positive number", () => {
    expect(syntheticCatalog(7)).toEqual(syntheticCatalog(7));
    expect(readFileSync(writeCatalog(dir, 3)[2]!, "utf8")).toBe(readFileSync(writeCatalog(dir, 3)[2]!, "utf8"));
    expect([0, 1, 4, 5, 7, 8, 9].map(serviceKind)).toEqual(["cloudRun", "cloudRun", "cloudRun", "gke", "gke", "external", "external"]);
    expect(() => syntheticCatalog(0)).toThrow(/at least 1/);
    expect(() => syntheticCatalog(2.5)).toThrow(/whole number/);
  });
});

describe("bench runner", () => {
  it("parses its options and names the bad one", () => {
    expect(parseBenchArgs([])).toEqual({ sizes: [10, 100, 1000], repeat: 3, maxLoad: 1, loadWaitSeconds: 600, write: true });
    expect(parseBenchArgs(["--sizes", "5, 50", "--repeat", "1", "--no-write"])).toMatchObject({ sizes: [5, 50], repeat: 1, write: false });
    expect(() => parseBenchArgs(["--sizes", "10,x"])).toThrow(/--sizes: invalid value \(got "10,x"/);
    expect(() => parseBenchArgs(["--repeat", "0"])).toThrow(/--repeat/);
    expect(() => parseBenchArgs(["--max-load", "-1"])).toThrow(/--max-load/);
    expect(() => parseBenchArgs(["--bogus"])).toThrow();
  });

  it("takes medians", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it("groups a plan's resources per service, parents first", async () => {
    const { plan } = await fixturePlan();
    const workload = workloadFromPlan(plan.resources);
    expect(resourceCount(workload)).toBe(plan.resources.length);
    expect(resourceCount(workload, "cloud")).toBe(plan.resources.filter((r) => !r.type.startsWith("monitoring-stack:")).length);
    expect(workload.shared.map((r) => r.type)).toEqual([
      "monitoring-stack:platform:Platform",
      ...workload.shared.slice(1).map(() => "gcp:monitoring/notificationChannel:NotificationChannel"),
    ]);
    const services = plan.resources.filter((r) => r.type === "monitoring-stack:service:ServiceMonitoring").map((r) => r.name).sort();
    expect(workload.services.map((s) => s.name)).toEqual(services);
    for (const service of workload.services) {
      expect(service.resources[0]).toMatchObject({ name: service.name, component: true });
      expect(service.resources[0]!.parent).toBeUndefined();
      service.resources.forEach((resource, index) => {
        expect(resource.name.startsWith(service.name)).toBe(true);
        if (index > 0) expect(resource.parent).toBeLessThan(index);
      });
    }
  });
});
