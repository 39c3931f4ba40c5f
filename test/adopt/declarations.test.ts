/**
 * Starting declarations for what exists and nothing declares: an uptime check
 * becomes an endpoint, a request-based SLO a cloudMonitoring indicator, one
 * declaration per service, valid against contract v1, every field that has
 * no place in it named in a note; what cannot be declared at all is said.
 */
import { describe, expect, it } from "vitest";
import { labelOf, startingDeclarations } from "../../adopt/declarations";
import type { Existing } from "../../adopt/existing";
import type { AdoptionFindings } from "../../adopt/match";
import { serviceSchema } from "../../contract/serviceSchema";

const alone = (...existing: Existing[]): AdoptionFindings => ({ adopt: [], refused: [], ambiguous: [], leftAlone: existing.map((e) => ({ existing: e, why: "not ours" })) });

const CHECK: Existing = {
  kind: "uptimeCheck",
  file: "uptime.json",
  at: "[0]",
  name: "projects/p/uptimeCheckConfigs/orders-Xy1",
  body: {
    name: "projects/p/uptimeCheckConfigs/orders-Xy1",
    displayName: "Orders API /health",
    monitoredResource: { type: "uptime_url", labels: { host: "orders.example.com", project_id: "p" } },
    httpCheck: { path: "/health", port: 8443, useSsl: true, requestMethod: "POST", headers: { "X-Probe": "1" }, acceptedResponseStatusCodes: [{ statusValue: 204 }] },
    period: "60s",
    timeout: "5s",
    selectedRegions: ["USA", "EUROPE"],
    checkerType: "VPC_CHECKERS",
  },
};

const SLO: Existing = {
  kind: "slo",
  file: "slos.json",
  at: "serviceLevelObjectives[0]",
  name: "projects/p/services/orders/serviceLevelObjectives/availability",
  body: {
    name: "projects/p/services/orders/serviceLevelObjectives/availability",
    goal: 0.9995,
    rollingPeriod: "604800s",
    serviceLevelIndicator: { requestBased: { goodTotalRatio: { goodServiceFilter: 'metric.type="a" AND metric.label.ok="true"', totalServiceFilter: 'metric.type="a"' } } },
  },
};

describe("starting declarations", () => {
  it("declares a check and an SLO of one service, valid against contract v1, with a note per unmapped field", () => {
    const { services, skipped } = startingDeclarations(alone(CHECK, SLO), "orders-team");
    expect(skipped).toEqual([]);
    expect(services.map((s) => s.spec.name)).toEqual(["orders"]);
    const [orders] = services;
    expect(serviceSchema.safeParse(orders!.spec).success).toBe(true);
    expect(orders!.spec.endpoints).toEqual([{ name: "orders-api-health", url: "https://orders.example.com:8443/health", period: "60s", timeout: "5s", expect: { status: [204] } }]);
    expect(orders!.spec.slos).toEqual([{ name: "availability", objective: 99.95, window: "7d", indicator: { cloudMonitoring: { total: 'metric.type="a"', good: 'metric.type="a" AND metric.label.ok="true"' } } }]);
    const notes = orders!.notes.join("\n");
    for (const unmapped of ["httpCheck.headers is not mapped", "requestMethod POST is not mapped", "checkerType VPC_CHECKERS is not mapped", "selectedRegions USA, EUROPE left out: at least 3"]) expect(notes).toContain(unmapped);
    expect(orders!.sources).toEqual(["slos.json", "uptime.json"]);
  });

  it("says what it cannot declare: a TCP check, an SLO without a request-based ratio", () => {
    const tcp: Existing = { ...CHECK, body: { ...CHECK.body, httpCheck: undefined, tcpCheck: { port: 5432 } } };
    const basic: Existing = { ...SLO, body: { ...SLO.body, serviceLevelIndicator: { basicSli: { availability: {} } } } };
    const { services, skipped } = startingDeclarations(alone(tcp, basic), "orders-team");
    expect(services).toEqual([]);
    expect(skipped).toEqual([
      "projects/p/uptimeCheckConfigs/orders-Xy1: not an HTTP check of a URL (got a TCP check, expected uptime_url with httpCheck): declarations check URLs over HTTP(S)",
      "projects/p/services/orders/serviceLevelObjectives/availability: its indicator (basicSli) is not mapped: only a request-based good/total ratio becomes a cloudMonitoring indicator",
    ]);
  });

  it("makes DNS labels of any name", () => {
    expect(labelOf("Orders API /health")).toBe("orders-api-health");
    expect(labelOf("42 things")).toBe("things");
    expect(labelOf("---")).toBe("imported");
  });
});
