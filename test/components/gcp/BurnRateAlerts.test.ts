/**
 * BurnRateAlerts alone under Pulumi's mocks: per SLO and switched-on tier one
 * policy whose long- and short-window burn-rate conditions must both hold,
 * routed by the tier's severity; a renamed SLO's policies keep their identity.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { BurnRateAlerts } from "../../../components/gcp/BurnRateAlerts";
import { sloResourceName } from "../../../components/gcp/filters";
import type { PlannedResource } from "../../../plan/mockRuntime";
import { SEVERITY_CHANNELS, GCP_PROJECT, expectOwnsEverything, named, recordComponent, resourceSetText, serviceFrom, shortUrn, theComponent } from "../../support/components";

const TYPE = "monitoring-stack:gcp:BurnRateAlerts";

const service = serviceFrom({
  name: "web",
  runtime: { cloudRun: { service: "web", region: "europe-west1" } },
  slos: [
    { name: "availability", formerly: ["errors"], objective: 99.9, indicator: { availability: {} } },
    { name: "latency", objective: 99, window: "7d", indicator: { latency: { threshold: "300ms" } }, alerting: { page: false } },
    { name: "prom", objective: 99, indicator: { prometheus: { total: "http_requests_total", bad: 'http_requests_total{code=~"5.."}' } } },
  ],
});
/** What ServiceLevelObjectives hands over: the SLOs Cloud Monitoring computes (not `prom`). */
const sloNames = { availability: sloResourceName(GCP_PROJECT, "web", "errors"), latency: sloResourceName(GCP_PROJECT, "web", "latency") };

type Policy = { combiner: string; severity: string; notificationChannels: string[]; conditions: { conditionThreshold: { filter: string; thresholdValue: number } }[] };

let resources: PlannedResource[];

beforeAll(async () => {
  resources = (await recordComponent(() => new BurnRateAlerts("web-burn", { service, project: GCP_PROJECT, sloNames, channels: SEVERITY_CHANNELS }))).resources;
});

describe("BurnRateAlerts alone", () => {
  it("registers one policy per SLO and tier (snapshot)", async () => {
    await expect(resourceSetText(resources, { omit: ["project", "userLabels"] })).toMatchFileSnapshot("../../golden/components/BurnRateAlerts.txt");
  });

  it("owns every policy, named <component>-<slo>-<tier>; no policy for an SLO without a Cloud Monitoring SLO or for a switched-off tier", () => {
    expectOwnsEverything(resources, theComponent(resources, TYPE));
    expect(resources.filter((r) => r.type !== TYPE).map((r) => r.name).sort()).toEqual([
      "web-burn-availability-page-fast",
      "web-burn-availability-page-slow",
      // No web-burn-availability-ticket: at 30 d its fitted windows make it a copy of ticket-fast.
      "web-burn-availability-ticket-fast",
      "web-burn-latency-ticket",
      "web-burn-latency-ticket-fast",
    ]);
  });

  it("each policy needs both windows above the tier's burn rate, on its own SLO, to the tier's severity channels", () => {
    for (const [name, slo, severity] of [
      ["web-burn-availability-page-fast", "availability", "page"],
      ["web-burn-latency-ticket", "latency", "ticket"],
    ] as const) {
      const policy = named(resources, name).inputs as unknown as Policy;
      const tier = service.slos.find((s) => s.name === slo)!.tiers.find((t) => name.endsWith(t.name))!;
      expect(policy.combiner).toBe("AND");
      expect(policy.severity).toBe(severity === "page" ? "CRITICAL" : "WARNING");
      expect(policy.notificationChannels).toEqual(SEVERITY_CHANNELS[severity]);
      expect(policy.conditions.map((c) => c.conditionThreshold.thresholdValue)).toEqual([tier.burnRate, tier.burnRate]);
      for (const condition of policy.conditions) expect(condition.conditionThreshold.filter).toContain(`select_slo_burn_rate("${sloNames[slo]}"`);
    }
  });

  it("a renamed SLO's policies answer to the earlier names, so the rename replaces nothing", () => {
    for (const tier of ["page-fast", "page-slow", "ticket-fast"]) {
      expect(named(resources, `web-burn-availability-${tier}`).aliases?.map(shortUrn)).toEqual([`${TYPE}$gcp:monitoring/alertPolicy:AlertPolicy::web-burn-errors-${tier}`]);
    }
    expect(named(resources, "web-burn-latency-ticket").aliases).toBeUndefined();
  });
});
