/**
 * UptimeChecks alone under Pulumi's mocks: one uptime check and one
 * "failing from more than one location" alert per endpoint, parented to the
 * component and named from it; a renamed endpoint keeps both through aliases.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { UptimeChecks } from "../../../components/gcp/UptimeChecks";
import type { PlannedResource } from "../../../plan/mockRuntime";
import { SEVERITY_CHANNELS, GCP_PROJECT, expectOwnsEverything, named, recordComponent, resourceSetText, serviceFrom, shortUrn, theComponent, valueOf } from "../../support/components";

const service = serviceFrom({
  name: "web",
  tier: "critical",
  runbook: "https://runbooks.example.com/web",
  runtime: { cloudRun: { service: "web", region: "europe-west1" } },
  endpoints: [
    { name: "health", url: "https://web.example.com/healthz?deep=1", timeout: "5s", expect: { status: [200], contains: "ok" }, formerly: ["healthz"] },
    { name: "ping", url: "http://web.example.com:8080/ping", period: "300s" },
  ],
});

let resources: PlannedResource[];
let checkIds: Record<string, string>;

beforeAll(async () => {
  const run = await recordComponent(async () => {
    const component = new UptimeChecks("web-uptime", { service, project: GCP_PROJECT, channels: SEVERITY_CHANNELS });
    const ids = await Promise.all(Object.entries(component.checkIds).map(async ([endpoint, id]) => [endpoint, await valueOf(id)] as const));
    return Object.fromEntries(ids);
  });
  resources = run.resources;
  checkIds = run.component;
});

describe("UptimeChecks alone", () => {
  it("registers one check and one alert per endpoint (snapshot)", async () => {
    await expect(resourceSetText(resources, { omit: ["project"] })).toMatchFileSnapshot("../../golden/components/UptimeChecks.txt");
  });

  it("owns every resource: children of the component, named after it", () => {
    const component = theComponent(resources, "monitoring-stack:gcp:UptimeChecks");
    expectOwnsEverything(resources, component);
    expect(resources.map((r) => r.name).sort()).toEqual(["web-uptime", "web-uptime-health", "web-uptime-health-failing", "web-uptime-ping", "web-uptime-ping-failing"]);
  });

  it("a renamed endpoint's check and alert answer to the earlier name, so the rename replaces nothing", () => {
    expect(named(resources, "web-uptime-health").aliases?.map(shortUrn)).toEqual(["monitoring-stack:gcp:UptimeChecks$gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig::web-uptime-healthz"]);
    expect(named(resources, "web-uptime-health-failing").aliases?.map(shortUrn)).toEqual(["monitoring-stack:gcp:UptimeChecks$gcp:monitoring/alertPolicy:AlertPolicy::web-uptime-healthz-failing"]);
    expect(named(resources, "web-uptime-ping").aliases).toBeUndefined();
  });

  it("each alert watches its own check and goes to the tier's severity channels", () => {
    for (const endpoint of ["health", "ping"]) {
      const alert = named(resources, `web-uptime-${endpoint}-failing`).inputs as { conditions: { conditionThreshold: { filter: string } }[]; notificationChannels: string[]; severity: string };
      expect(alert.conditions[0]!.conditionThreshold.filter).toContain(`metric.label.check_id="${checkIds[endpoint]}"`);
      expect(alert.notificationChannels).toEqual(SEVERITY_CHANNELS.page);
      expect(alert.severity).toBe("CRITICAL");
    }
    expect(checkIds).toEqual({ health: "web-uptime-healthz", ping: "web-uptime-ping" });
  });
});
