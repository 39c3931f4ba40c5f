/**
 * Contract v1, valid declarations: the good fixtures (YAML, .yml and one
 * TypeScript module using defineService) load without a single problem and
 * together use every field of the contract.
 */
import { readdirSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { loadCatalog, type Catalog } from "../../catalog/loadCatalog";
import { defineService } from "../../contract/define";
import { loadServices, type LoadResult } from "../../contract/load";
import { API_VERSION, INDICATOR_KINDS, TIERS, UPTIME_PERIODS, UPTIME_REGIONS, serviceSchema } from "../../contract/serviceSchema";
import { GOOD_DIR, lines, settingsFrom } from "../support/declarations";

let loaded: LoadResult;
let catalog: Catalog;

beforeAll(async () => {
  loaded = await loadServices([GOOD_DIR]);
  catalog = await loadCatalog([GOOD_DIR], settingsFrom());
});

function spec(name: string) {
  const found = loaded.services.find((s) => s.spec.name === name);
  if (!found) throw new Error(`no good fixture named ${name}`);
  return found;
}

/** Every field path the schema knows, arrays as `[]`: e.g. `slos[].indicator.latency.threshold`. */
function schemaPaths(schema: z.core.$ZodType, prefix = ""): string[] {
  const def = schema._zod.def as unknown as { type: string; shape?: Record<string, z.core.$ZodType>; innerType?: z.core.$ZodType; element?: z.core.$ZodType };
  switch (def.type) {
    case "optional":
    case "nullable":
    case "default":
      return schemaPaths(def.innerType!, prefix);
    case "array":
      return schemaPaths(def.element!, `${prefix}[]`);
    case "object":
      return Object.entries(def.shape!).flatMap(([key, child]) => {
        const here = prefix ? `${prefix}.${key}` : key;
        return [here, ...schemaPaths(child, here)];
      });
    default:
      return [];
  }
}

/** Every field path a value uses, in the same notation; records (labels) count as a leaf. */
function valuePaths(value: unknown, prefix = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => valuePaths(item, `${prefix}[]`));
  if (typeof value !== "object" || value === null || prefix === "labels") return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const here = prefix ? `${prefix}.${key}` : key;
    return [here, ...valuePaths(child, here)];
  });
}

describe("good fixtures", () => {
  it("load without a problem: YAML, .yml and TypeScript alike", () => {
    expect(lines(loaded.problems)).toEqual([]);
    expect(loaded.services.map((s) => s.file).sort()).toEqual(
      readdirSync(GOOD_DIR)
        .map((file) => `${GOOD_DIR}/${file}`)
        .sort(),
    );
  });

  it("pass every semantic check against a stack config and come out of the catalog sorted by name", () => {
    expect(lines(catalog.problems)).toEqual([]);
    expect(catalog.services.map((s) => s.name)).toEqual(["home-wifi", "ledger-api", "nightly-report", "payments-api", "shop-web", "status-site"]);
  });

  it("together use every field of the contract", () => {
    const used = new Set(loaded.services.flatMap((s) => valuePaths(s.spec)));
    const known = schemaPaths(serviceSchema);
    expect(known).toContain("slos[].indicator.prometheus.histogram");
    expect(known).toContain("logs.sinks[].destination.storage.retentionDays");
    const missing = known.filter((p) => !used.has(p));
    expect(missing).toEqual([]);
  });

  it("together use every tier, runtime, indicator kind, sink destination, period and checker region", () => {
    const specs = loaded.services.map((s) => s.spec);
    expect(new Set(specs.map((s) => s.tier ?? "standard"))).toEqual(new Set(TIERS));
    expect(specs.some((s) => s.tier === undefined)).toBe(true);
    expect(new Set(specs.map((s) => Object.keys(s.runtime)[0]))).toEqual(new Set(["cloudRun", "gke", "external"]));
    const indicators = specs.flatMap((s) => s.slos ?? []).map((slo) => slo.indicator);
    expect(new Set(indicators.map((i) => Object.keys(i)[0]))).toEqual(new Set(INDICATOR_KINDS));
    const prometheus = indicators.flatMap((i) => (i.prometheus ? [i.prometheus] : []));
    expect(prometheus.some((p) => p.total && p.bad)).toBe(true);
    expect(prometheus.some((p) => p.total && p.good)).toBe(true);
    expect(prometheus.some((p) => p.histogram && p.threshold)).toBe(true);
    const promql = indicators.flatMap((i) => (i.promql ? [i.promql] : []));
    expect(promql.some((q) => q.errorRatio)).toBe(true);
    expect(promql.some((q) => q.errors && q.total)).toBe(true);
    const cloudMonitoring = indicators.flatMap((i) => (i.cloudMonitoring ? [i.cloudMonitoring] : []));
    expect(cloudMonitoring.some((c) => c.good)).toBe(true);
    expect(cloudMonitoring.some((c) => c.bad)).toBe(true);
    const sinks = specs.flatMap((s) => s.logs?.sinks ?? []).map((sink) => Object.keys(sink.destination)[0]);
    expect(new Set(sinks)).toEqual(new Set(["bigquery", "storage", "pubsub"]));
    const endpoints = specs.flatMap((s) => s.endpoints ?? []);
    expect(new Set(endpoints.flatMap((e) => (e.period ? [e.period] : [])))).toEqual(new Set(UPTIME_PERIODS));
    expect(new Set(endpoints.flatMap((e) => e.regions ?? []))).toEqual(new Set(UPTIME_REGIONS));
    const metricAlerts = specs.flatMap((s) => s.logs?.metrics ?? []).map((m) => m.alert?.severity);
    expect(new Set(metricAlerts)).toEqual(new Set(["page", "ticket", undefined]));
    const schedules = specs.flatMap((s) => (s.database?.cloudSql.backups ? [s.database.cloudSql.backups.schedule] : []));
    expect(new Set(schedules)).toEqual(new Set(["hourly", "daily", "weekly"]));
  });

  it("keep the declaration exactly as written (nothing defaulted by the shape check)", () => {
    const { spec: payments } = spec("payments-api");
    expect(payments.endpoints![0]).toEqual({
      name: "health",
      url: "https://payments.example.com/health?deep=1",
      period: "60s",
      timeout: "5s",
      regions: ["USA", "EUROPE", "SOUTH_AMERICA", "ASIA_PACIFIC"],
      expect: { status: [200, 204], contains: '"status":"ok"' },
    });
    expect(payments.endpoints![4]).toEqual({ name: "plain", url: "https://payments.example.com/" });
    expect(payments.labels).toEqual({ "cost-center": "4711", data_class: "pci" });
    expect(payments.slos![2]!.alerting).toEqual({ page: true, ticket: false });
    expect(payments.database!.cloudSql.backups).toEqual({ schedule: "daily", start: "03:00", retentionDays: 35, pointInTimeRecovery: true });
    expect(payments.scaling).toEqual({ minInstances: 2, maxInstances: 50, concurrency: 80, cpuTarget: 65.5, memoryTarget: 80 });
    expect(spec("nightly-report").spec.tier).toBeUndefined();
    expect(spec("status-site").spec.slos![0]!.window).toBeUndefined();
  });

  it("the TypeScript declaration gets its apiVersion from defineService", () => {
    const ledger = spec("ledger-api");
    expect(ledger.file).toBe(`${GOOD_DIR}/ledger-api.ts`);
    expect(ledger.spec.apiVersion).toBe(API_VERSION);
    expect(ledger.spec.runtime).toEqual({ cloudRun: { service: "ledger-api", region: "us-central1" } });
    expect(ledger.spec.slos!.map((slo) => Object.keys(slo.indicator)[0])).toEqual(["availability", "latency", "uptime", "prometheus"]);
  });

  it("defineService adds apiVersion and leaves every other field untouched", () => {
    const declaration = { name: "x", team: "t", runtime: { external: {} } } as const;
    const defined = defineService(declaration);
    expect(defined).toEqual({ ...declaration, apiVersion: API_VERSION });
    expect(serviceSchema.safeParse(defined).success).toBe(true);
  });
});
