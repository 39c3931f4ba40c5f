/**
 * GrafanaDashboards alone under Pulumi's mocks: a provider with the token as
 * a secret, one folder per team (or declared folder) that keeps its
 * dashboards, one dashboard per service and the fleet overview — the very
 * JSON the plan writes; a renamed service's dashboard keeps its identity.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { GrafanaDashboards } from "../../../components/grafana/GrafanaDashboards";
import { dashboardJson, folderUid, stackDashboards, type DashboardContext } from "../../../components/grafana/dashboards";
import type { PlannedResource } from "../../../plan/mockRuntime";
import { GCP_PROJECT, expectOwnsEverything, named, recordComponent, resourceSetText, serviceFrom, shortUrn, theComponent } from "../../support/components";

const TYPE = "monitoring-stack:grafana:GrafanaDashboards";
const TOKEN = "glsa_TOPSECRET_token";

const services = [
  serviceFrom({
    name: "web",
    formerly: ["storefront"],
    runtime: { cloudRun: { service: "web", region: "europe-west1" } },
    slos: [{ name: "availability", objective: 99.9, indicator: { availability: {} } }],
  }),
  serviceFrom({
    name: "cart",
    team: "checkout",
    dashboard: { folder: "payments" },
    runtime: { cloudRun: { service: "cart", region: "europe-west1" } },
    slos: [{ name: "prom", objective: 99, indicator: { prometheus: { total: "http_requests_total", bad: 'http_requests_total{code=~"5.."}' } } }],
  }),
];
const context: DashboardContext = { project: GCP_PROJECT, environment: "test", datasources: { prometheus: "prom", cloudMonitoring: "gcm" } };

let resources: PlannedResource[];
let urls: Record<string, string>;

beforeAll(async () => {
  const run = await recordComponent(() => new GrafanaDashboards("grafana", { services, grafana: { url: "https://grafana.example.com/", orgId: 2, alerting: "prometheus" }, token: TOKEN, context }));
  resources = run.resources;
  urls = run.component.urls;
});

describe("GrafanaDashboards alone", () => {
  it("registers the provider, the folders and the dashboards (snapshot)", async () => {
    await expect(resourceSetText(resources)).toMatchFileSnapshot("../../golden/components/GrafanaDashboards.txt");
  });

  it("owns every resource, named after the component", () => {
    expectOwnsEverything(resources, theComponent(resources, TYPE));
    expect(resources.filter((r) => r.type !== TYPE).map((r) => r.name).sort()).toEqual([
      "grafana-cart",
      "grafana-fleet",
      "grafana-folder-payments",
      "grafana-folder-shop",
      "grafana-folder-slo-overview",
      "grafana-provider",
      "grafana-web",
    ]);
  });

  it("keeps the token secret, in the provider and in the component's own inputs (stored in the state), even when passed as plain text", () => {
    // Provider inputs reach the engine as strings.
    expect(named(resources, "grafana-provider").inputs).toMatchObject({ url: "https://grafana.example.com/", auth: "[secret]", orgId: "2" });
    expect(JSON.stringify(resources)).not.toContain(TOKEN);
  });

  it("puts each dashboard, the very JSON the plan writes, in its folder; folders are not deleted with dashboards in them", () => {
    const rendered = stackDashboards(services, context);
    expect(named(resources, "grafana-web").inputs).toMatchObject({ folder: folderUid("shop", "test"), configJson: dashboardJson(rendered[0]!), overwrite: true });
    expect(named(resources, "grafana-cart").inputs).toMatchObject({ folder: folderUid("payments", "test"), configJson: dashboardJson(rendered[1]!) });
    for (const folder of resources.filter((r) => r.type === "grafana:oss/folder:Folder")) expect(folder.inputs["preventDestroyIfNotEmpty"], folder.name).toBe(true);
    expect(urls).toEqual({
      web: `https://grafana.example.com/d/${rendered[0]!.uid}`,
      cart: `https://grafana.example.com/d/${rendered[1]!.uid}`,
      fleet: `https://grafana.example.com/d/${rendered[2]!.uid}`,
    });
  });

  it("a renamed service's dashboard answers to its earlier resource name", () => {
    // Beside the provider SDK's own type aliases (grafana:index/... → grafana:oss/...).
    expect(named(resources, "grafana-web").aliases?.map(shortUrn)).toContain(`${TYPE}$grafana:oss/dashboard:Dashboard::grafana-storefront`);
    expect(named(resources, "grafana-cart").aliases?.map(shortUrn)).toEqual([`${TYPE}$grafana:index/dashboard:Dashboard::grafana-cart`]);
  });
});
