/**
 * ServiceLevelObjectives alone under Pulumi's mocks: one custom service and
 * one SLO per objective Cloud Monitoring computes, kept on delete, with ids
 * that a rename never changes; Prometheus-evaluated SLOs are left to the rules.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ServiceLevelObjectives, goal, periodArgs, sliArgs } from "../../../components/gcp/ServiceLevelObjectives";
import type { PlannedResource } from "../../../plan/mockRuntime";
import { GCP_PROJECT, expectOwnsEverything, named, recordComponent, resourceSetText, serviceFrom, shortUrn, theComponent } from "../../support/components";

const TYPE = "monitoring-stack:gcp:ServiceLevelObjectives";

/** Renamed from `shop`, with an SLO renamed from `errors`. */
const service = serviceFrom({
  name: "web",
  formerly: ["shop"],
  runtime: { cloudRun: { service: "web", region: "europe-west1" } },
  endpoints: [{ name: "health", url: "https://web.example.com/health" }],
  slos: [
    { name: "availability", formerly: ["errors"], objective: 99.9, indicator: { availability: {} } },
    { name: "latency", objective: 99, window: "7d", indicator: { latency: { threshold: "300ms" } } },
    { name: "uptime", objective: 99.5, indicator: { uptime: { endpoint: "health" } } },
    {
      name: "lb",
      objective: 99.5,
      window: "28d",
      indicator: { cloudMonitoring: { total: 'metric.type="loadbalancing.googleapis.com/https/request_count"', bad: 'metric.type="loadbalancing.googleapis.com/https/request_count" AND metric.label.response_code_class=500' } },
    },
    { name: "prom", objective: 99, indicator: { prometheus: { total: "http_requests_total", bad: 'http_requests_total{code=~"5.."}' } } },
  ],
});

let resources: PlannedResource[];
let sloNames: Record<string, string>;

beforeAll(async () => {
  const run = await recordComponent(() => new ServiceLevelObjectives("web-slo", { service, project: GCP_PROJECT, uptimeCheckIds: { health: "web-uptime-health" } }));
  resources = run.resources;
  sloNames = run.component.sloNames;
});

describe("ServiceLevelObjectives alone", () => {
  it("registers a custom service and the Cloud Monitoring SLOs (snapshot)", async () => {
    await expect(resourceSetText(resources, { omit: ["project", "userLabels"] })).toMatchFileSnapshot("../../golden/components/ServiceLevelObjectives.txt");
  });

  it("owns every resource, and leaves the Prometheus-evaluated SLO to the rule files", () => {
    expectOwnsEverything(resources, theComponent(resources, TYPE));
    expect(resources.map((r) => r.name).sort()).toEqual(["web-slo", "web-slo-availability", "web-slo-latency", "web-slo-lb", "web-slo-service", "web-slo-uptime"]);
    expect(Object.keys(sloNames).sort()).toEqual(["availability", "latency", "lb", "uptime"]);
  });

  it("keeps ids across renames: the service and SLO ids are the oldest names, the renamed SLO answers to its earlier resource name", () => {
    expect(named(resources, "web-slo-service").inputs).toMatchObject({ serviceId: "shop" });
    expect(named(resources, "web-slo-availability").inputs).toMatchObject({ sloId: "errors", service: "shop" });
    expect(named(resources, "web-slo-availability").aliases?.map(shortUrn)).toEqual([`${TYPE}$gcp:monitoring/slo:Slo::web-slo-errors`]);
    expect(sloNames["availability"]).toBe(`projects/${GCP_PROJECT}/services/shop/serviceLevelObjectives/errors`);
  });

  it("keeps the service and every SLO when they leave the program (their history is not recreatable)", () => {
    for (const resource of resources.filter((r) => r.type !== TYPE)) expect(resource.retainOnDelete, resource.name).toBe(true);
  });

  it("sets goals without float noise and the uptime SLI on its check's results", () => {
    expect(99.9 / 100).not.toBe(0.999);
    expect(goal(99.9)).toBe(0.999);
    expect(named(resources, "web-slo-availability").inputs["goal"]).toBe(0.999);
    expect(named(resources, "web-slo-uptime").inputs["windowsBasedSli"]).toEqual({
      windowPeriod: "300s",
      goodBadMetricFilter: 'metric.type="monitoring.googleapis.com/uptime_check/check_passed" AND resource.type="uptime_url" AND metric.label.check_id="web-uptime-health"',
    });
  });

  it("retainOnDelete: false lets the service and SLOs go with the program", async () => {
    const run = await recordComponent(() => new ServiceLevelObjectives("web-slo", { service, project: GCP_PROJECT, uptimeCheckIds: { health: "web-uptime-health" }, retainOnDelete: false }));
    expect(run.resources.filter((r) => r.retainOnDelete)).toEqual([]);
  });

  it("creates nothing when one SLO cannot be computed by Cloud Monitoring", async () => {
    const gke = serviceFrom({
      name: "cart",
      runtime: { gke: { cluster: "prod", location: "europe-west1", namespace: "shop", workload: "cart" } },
      slos: [
        { name: "lb", objective: 99, indicator: { cloudMonitoring: { total: 'metric.type="a"', good: 'metric.type="b"' } } },
        { name: "availability", objective: 99, indicator: { availability: {} } },
      ],
    });
    const run = await recordComponent(() => {
      try {
        new ServiceLevelObjectives("cart-slo", { service: gke, project: GCP_PROJECT });
        return "created";
      } catch (error) {
        return (error as Error).message;
      }
    });
    expect(run.component).toBe("services/cart.yaml: SLO availability: indicator availability cannot be computed by Cloud Monitoring for runtime gke");
    expect(run.resources.map((r) => r.type)).toEqual([TYPE]);
  });
});

describe("calendar periods and timeslices budgeting (pure arguments)", () => {
  const LB_TOTAL = 'metric.type="loadbalancing.googleapis.com/https/request_count"';
  const LB_GOOD = 'metric.type="loadbalancing.googleapis.com/https/request_count" AND metric.label.response_code_class=200';
  const periods = serviceFrom({
    name: "ledger",
    runtime: { cloudRun: { service: "ledger", region: "europe-west1" } },
    endpoints: [{ name: "health", url: "https://ledger.example.com/health" }],
    slos: [
      { name: "monthly", objective: 99.9, window: "calendar-month", indicator: { availability: {} } },
      { name: "rolling", objective: 99.9, window: "7d", indicator: { availability: {} } },
      { name: "slices", objective: 99, window: "calendar-week", budgeting: { method: "timeslices", slice: "5m", sliceTarget: 0.95 }, indicator: { availability: {} } },
      { name: "fast", objective: 99, budgeting: { method: "timeslices", slice: "1m", sliceTarget: 0.9 }, indicator: { latency: { threshold: "300ms" } } },
      { name: "ratio", objective: 99, budgeting: { method: "timeslices", slice: "1h", sliceTarget: 0.99 }, indicator: { cloudMonitoring: { total: LB_TOTAL, good: LB_GOOD } } },
      { name: "counted", objective: 99, budgeting: { method: "occurrences" }, indicator: { availability: {} } },
      { name: "daily", objective: 99, window: "calendar-day", indicator: { uptime: { endpoint: "health" } } },
    ],
  });
  const slo = (name: string) => periods.slos.find((s) => s.name === name)!;

  it("sets calendarPeriod instead of rollingPeriodDays for a calendar window, and the nominal days for the maths", () => {
    expect(periodArgs(slo("monthly"))).toEqual({ calendarPeriod: "MONTH" });
    expect(periodArgs(slo("slices"))).toEqual({ calendarPeriod: "WEEK" });
    expect(periodArgs(slo("daily"))).toEqual({ calendarPeriod: "DAY" });
    expect(periodArgs(slo("rolling"))).toEqual({ rollingPeriodDays: 7 });
    expect([slo("monthly").windowDays, slo("slices").windowDays, slo("daily").windowDays]).toEqual([30, 7, 1]);
  });

  it("wraps the request-based ratio in a windowsBasedSli whose windows are the slices, good at the slice target", () => {
    const runtime = { service: "ledger", region: "europe-west1" };
    expect(sliArgs(periods, slo("slices"), {})).toEqual({
      windowsBasedSli: {
        windowPeriod: "300s",
        goodTotalRatioThreshold: { threshold: 0.95, performance: sliArgs(periods, slo("counted"), {}).requestBasedSli },
      },
    });
    expect(sliArgs(periods, slo("fast"), {}).windowsBasedSli).toMatchObject({
      windowPeriod: "60s",
      goodTotalRatioThreshold: { threshold: 0.9, performance: { distributionCut: { range: { min: 0, max: 300 } } } },
    });
    expect(sliArgs(periods, slo("ratio"), {})).toEqual({
      windowsBasedSli: { windowPeriod: "3600s", goodTotalRatioThreshold: { threshold: 0.99, performance: { goodTotalRatio: { totalServiceFilter: LB_TOTAL, goodServiceFilter: LB_GOOD } } } },
    });
    expect(sliArgs(periods, slo("counted"), {}).requestBasedSli).toMatchObject({ goodTotalRatio: { totalServiceFilter: expect.stringContaining(runtime.service) } });
    expect(sliArgs(periods, slo("counted"), {}).windowsBasedSli).toBeUndefined();
  });

  it("registers the SLOs with those arguments and says the period in the display name", async () => {
    const run = await recordComponent(() => new ServiceLevelObjectives("ledger-slo", { service: periods, project: GCP_PROJECT, uptimeCheckIds: { health: "ledger-uptime-health" } }));
    const inputs = (name: string) => named(run.resources, `ledger-slo-${name}`).inputs as Record<string, unknown>;
    expect(inputs("monthly")).toMatchObject({ calendarPeriod: "MONTH", displayName: "ledger monthly: 99.9 % per calendar month" });
    expect(inputs("monthly")["rollingPeriodDays"]).toBeUndefined();
    expect(inputs("slices")).toMatchObject({ calendarPeriod: "WEEK", windowsBasedSli: { windowPeriod: "300s" } });
    expect(inputs("slices")["displayName"]).toBe("ledger slices: 99 % of 5m slices, each good at ≥ 95 % good events, per calendar week");
    expect(inputs("daily")).toMatchObject({ calendarPeriod: "DAY", windowsBasedSli: { windowPeriod: "300s" } });
  });
});
