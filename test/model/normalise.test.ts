/**
 * Normalisation (model/service.ts serviceModel): tier defaults,
 * endpoint defaults, default windows and route fallback.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { loadCatalog } from "../../catalog/loadCatalog";
import { DEFAULT_REGIONS, DEFAULT_TIMEOUT_MS, DEFAULT_WINDOW_DAYS, serviceModel } from "../../model/service";
import type { ServiceModel } from "../../model/types";
import { serviceSchema, type ServiceSpec, type Tier } from "../../contract/serviceSchema";
import { DAY_MS } from "../../contract/duration";
import { GOOD_DIR, lines, settingsFrom } from "../support/declarations";

const FOUR_BROAD_REGIONS = ["USA", "EUROPE", "SOUTH_AMERICA", "ASIA_PACIFIC"];

/** A minimal declaration of the given tier with one bare endpoint and one bare SLO. */
function bare(tier?: Tier, extra: Record<string, unknown> = {}): ServiceSpec {
  return serviceSchema.parse({
    apiVersion: "monitoring-stack/v1",
    name: "svc",
    team: "team",
    ...(tier ? { tier } : {}),
    runtime: { cloudRun: { service: "svc", region: "europe-west1" } },
    endpoints: [{ name: "health", url: "https://svc.example.com/health" }],
    slos: [{ name: "availability", objective: 99.9, indicator: { availability: {} } }],
    ...extra,
  });
}

const settings = () => settingsFrom();

describe("serviceModel defaults", () => {
  it("the defaults are the documented ones", () => {
    expect(DEFAULT_TIMEOUT_MS).toBe(10_000);
    expect([...DEFAULT_REGIONS]).toEqual(FOUR_BROAD_REGIONS);
    expect(DEFAULT_WINDOW_DAYS).toBe(30);
  });

  it.each([
    ["critical", 60_000],
    ["standard", 300_000],
    ["low", 300_000],
  ] as const)("tier %s: endpoints are checked every %i ms unless a period is given", (tier, periodMs) => {
    const model = serviceModel(bare(tier), "f.yaml", settings());
    expect(model.endpoints[0]!.periodMs).toBe(periodMs);
    const explicit = serviceModel(bare(tier, { endpoints: [{ name: "health", url: "https://svc.example.com/health", period: "900s" }] }), "f.yaml", settings());
    expect(explicit.endpoints[0]!.periodMs).toBe(900_000);
  });

  it("no tier means standard", () => {
    const model = serviceModel(bare(), "f.yaml", settings());
    expect(model.tier).toBe("standard");
    expect(model.endpoints[0]!.periodMs).toBe(300_000);
    expect(model.labels.tier).toBe("standard");
  });

  it("an endpoint without timeout, regions or expect gets 10 s, the four broad regions and any 2xx", () => {
    const endpoint = serviceModel(bare("critical"), "f.yaml", settings()).endpoints[0]!;
    expect(endpoint).toMatchObject({
      timeoutMs: 10_000,
      regions: FOUR_BROAD_REGIONS,
      statusCodes: [],
      useSsl: true,
      host: "svc.example.com",
      path: "/health",
      port: 443,
    });
    expect(endpoint).not.toHaveProperty("contains");
  });

  it("explicit endpoint options win over the defaults", () => {
    const model = serviceModel(
      bare("low", {
        endpoints: [
          {
            name: "health",
            url: "http://svc.example.com:8080/health?deep=1",
            period: "60s",
            timeout: "30s",
            regions: ["USA_OREGON", "USA_IOWA", "USA_VIRGINIA"],
            expect: { status: [204], contains: "ok" },
          },
        ],
      }),
      "f.yaml",
      settings(),
    );
    expect(model.endpoints[0]).toMatchObject({
      periodMs: 60_000,
      timeoutMs: 30_000,
      regions: ["USA_OREGON", "USA_IOWA", "USA_VIRGINIA"],
      statusCodes: [204],
      contains: "ok",
      useSsl: false,
      port: 8080,
      path: "/health?deep=1",
    });
  });

  it("endpoint alerts page on critical and standard tiers and file tickets on the low tier", () => {
    expect(serviceModel(bare("critical"), "f.yaml", settings()).endpoints[0]!.alertSeverity).toBe("page");
    expect(serviceModel(bare("standard"), "f.yaml", settings()).endpoints[0]!.alertSeverity).toBe("page");
    expect(serviceModel(bare("low"), "f.yaml", settings()).endpoints[0]!.alertSeverity).toBe("ticket");
  });

  it("the low tier has no page burn tiers; critical and standard have page-fast, page-slow, ticket-fast and ticket (covered by ticket-fast on Cloud Monitoring at 30 d)", () => {
    const tierNames = (tier: Tier) => serviceModel(bare(tier), "f.yaml", settings()).slos[0]!.tiers.map((t) => t.name);
    expect(tierNames("critical")).toEqual(["page-fast", "page-slow", "ticket-fast"]);
    expect(tierNames("standard")).toEqual(["page-fast", "page-slow", "ticket-fast"]);
    expect(tierNames("low")).toEqual(["ticket-fast"]);
    expect(serviceModel(bare("low"), "f.yaml", settings()).slos[0]!.coveredTiers.map((c) => [c.name, c.coveredBy])).toEqual([["ticket", "ticket-fast"]]);
    const low = serviceModel(bare("low"), "f.yaml", settings()).slos[0]!;
    expect(low.tiers.every((t) => t.severity === "ticket")).toBe(true);
  });

  it("the SLO's alerting switches override the tier: page on the low tier, no ticket on critical", () => {
    const slos = [
      { name: "paged", objective: 99.9, indicator: { availability: {} }, alerting: { page: true } },
      { name: "quiet", objective: 99.9, indicator: { availability: {} }, alerting: { page: false, ticket: false } },
    ];
    const low = serviceModel(bare("low", { slos }), "f.yaml", settings()).slos;
    expect(low.map((s) => s.tiers.map((t) => t.name))).toEqual([["page-fast", "page-slow", "ticket-fast"], []]);
    // A tier switched off is not "covered": nothing is said about it.
    expect(low.map((s) => s.coveredTiers.map((c) => c.name))).toEqual([["ticket"], []]);
    const critical = serviceModel(bare("critical", { slos: [{ ...slos[0], alerting: { ticket: false } }] }), "f.yaml", settings()).slos[0]!;
    expect(critical.tiers.map((t) => t.name)).toEqual(["page-fast", "page-slow"]);
  });

  it("an SLO without window gets 30 days; an explicit window is kept", () => {
    const model = serviceModel(
      bare("standard", {
        slos: [
          { name: "a", objective: 99.9, indicator: { availability: {} } },
          { name: "b", objective: 99.9, window: "7d", indicator: { availability: {} } },
        ],
      }),
      "f.yaml",
      settings(),
    );
    expect(model.slos.map((s) => [s.windowDays, s.windowMs])).toEqual([
      [30, 30 * DAY_MS],
      [7, 7 * DAY_MS],
    ]);
    expect(model.slos[0]!.budget).toBe(0.001);
    expect(model.slos[0]!.budgetMinutes).toBe(43.2);
  });

  it("routes fall back to the stack's routes per severity; the service's own channels win", () => {
    const stack = settingsFrom({ "monitoring-stack:routes": JSON.stringify({ page: ["payments-pager"], ticket: ["catalog-email", "sre-slack"] }) });
    expect(serviceModel(bare("standard"), "f.yaml", stack).routes).toEqual({ page: ["payments-pager"], ticket: ["catalog-email", "sre-slack"], info: [] });
    expect(serviceModel(bare("standard", { alerting: { ticket: ["incident-webhook"] } }), "f.yaml", stack).routes).toEqual({
      page: ["payments-pager"],
      ticket: ["incident-webhook"],
      info: [],
    });
    expect(serviceModel(bare("standard", { alerting: { page: ["sre-pager"], ticket: ["sre-slack"] } }), "f.yaml", stack).routes).toEqual({
      page: ["sre-pager"],
      ticket: ["sre-slack"],
      info: [],
    });
  });

  it("labels carry the user's labels plus service, team, tier and managed-by", () => {
    const model = serviceModel(bare("critical", { labels: { env: "prod" } }), "f.yaml", settings());
    expect(model.labels).toEqual({ env: "prod", service: "svc", team: "team", tier: "critical", "managed-by": "monitoring-stack" });
    expect(model.runtime).toEqual({ kind: "cloudRun", service: "svc", region: "europe-west1" });
  });
});

describe("normalised good fixtures", () => {
  let services: ServiceModel[];
  const byName = (name: string) => services.find((s) => s.name === name)!;

  beforeAll(async () => {
    const catalog = await loadCatalog([GOOD_DIR], settingsFrom());
    expect(lines(catalog.problems)).toEqual([]);
    services = catalog.services;
  });

  it("apply tier periods where none is written: critical 60 s, standard and low 300 s", () => {
    expect(byName("payments-api").endpoints.find((e) => e.name === "plain")!.periodMs).toBe(60_000);
    expect(byName("ledger-api").endpoints[0]!.periodMs).toBe(60_000);
    expect(byName("shop-web").endpoints[0]!.periodMs).toBe(300_000);
    expect(byName("status-site").endpoints[0]!.periodMs).toBe(300_000);
  });

  it("keep written periods, timeouts and regions", () => {
    const payments = byName("payments-api").endpoints;
    expect(payments.map((e) => [e.name, e.periodMs, e.timeoutMs, e.regions.length])).toEqual([
      ["health", 60_000, 5_000, 4],
      ["ready", 900_000, 60_000, 3],
      ["docs", 600_000, 1_000, 4],
      ["status", 300_000, 10_000, 4],
      ["plain", 60_000, 10_000, 4],
    ]);
    expect(byName("status-site").endpoints[0]).toMatchObject({ timeoutMs: 10_000, regions: FOUR_BROAD_REGIONS });
  });

  it("give the low tier no page tiers and default windows of 30 days", () => {
    const uptime = byName("status-site").slos[0]!;
    expect(uptime.windowDays).toBe(30);
    expect(uptime.tiers.map((t) => t.severity)).toEqual(["ticket"]);
    expect(uptime.coveredTiers.map((c) => c.name)).toEqual(["ticket"]);
    expect(byName("shop-web").slos.find((s) => s.name === "requests-bad")!.windowDays).toBe(30);
    expect(byName("shop-web").slos.find((s) => s.name === "latency-histogram")!.windowDays).toBe(1);
  });

  it("resolve routes: own channels, the stack's where the service names none", () => {
    expect(byName("payments-api").routes).toEqual({ page: ["payments-pager"], ticket: ["payments-slack", "incident-webhook"], info: [] });
    expect(byName("shop-web").routes).toEqual({ page: ["sre-pager"], ticket: ["catalog-email"], info: [] });
    expect(byName("status-site").routes).toEqual({ page: ["sre-pager"], ticket: ["sre-slack"], info: [] });
    expect(byName("ledger-api").routes).toEqual({ page: ["sre-pager"], ticket: ["sre-slack"], info: [] });
    expect(byName("nightly-report").routes.info).toEqual(["catalog-email"]);
  });

  it("map every indicator kind, with durations in milliseconds", () => {
    const kinds = services.flatMap((s) => s.slos.map((slo) => slo.indicator));
    expect(kinds).toContainEqual({ kind: "latency", thresholdMs: 300 });
    expect(kinds).toContainEqual({ kind: "prometheus", histogram: 'http_request_duration_seconds_bucket{job="shop-web"}', thresholdMs: 250 });
    expect(kinds).toContainEqual({ kind: "uptime", endpoint: "landing" });
    expect(byName("shop-web").runtime).toEqual({ kind: "gke", cluster: "prod-eu-1", location: "europe-west1-b", namespace: "shop", workload: "shop-web", selector: { "app.kubernetes.io/name": "shop-web", tier: "frontend" } });
    expect(byName("status-site").runtime).toEqual({ kind: "external" });
  });
});
