/**
 * ServiceMonitoring alone under Pulumi's mocks: the facade creates the
 * service's components as its children — only those its model calls for —
 * routes their alerts to the stack's channels, and a renamed service keeps
 * every resource below it through inherited aliases.
 */
import * as k8s from "@pulumi/kubernetes";
import { beforeAll, describe, expect, it } from "vitest";
import { ServiceMonitoring } from "../../components/ServiceMonitoring";
import type { ServiceModel } from "../../model/types";
import type { PlannedResource } from "../../plan/mockRuntime";
import { GCP_PROJECT, named, recordComponent, resourceSetText, serviceFrom, shortUrn, theComponent } from "../support/components";

const TYPE = "monitoring-stack:service:ServiceMonitoring";
const channelIds = { "sre-pager": `projects/${GCP_PROJECT}/notificationChannels/platform-sre-pager`, "sre-slack": `projects/${GCP_PROJECT}/notificationChannels/platform-sre-slack` };

/** Renamed from `store`; declares everything a Cloud Run service can. */
const shop = serviceFrom({
  name: "shop",
  formerly: ["store"],
  tier: "critical",
  runtime: { cloudRun: { service: "shop", region: "europe-west1" } },
  endpoints: [{ name: "health", url: "https://shop.example.com/health" }],
  slos: [{ name: "availability", objective: 99.9, indicator: { availability: {} } }],
  logs: { metrics: [{ name: "errors", filter: "severity>=ERROR", alert: { above: 10, per: "5m", severity: "ticket" } }] },
  database: { cloudSql: { instance: "shop-db", backups: { schedule: "daily", retentionDays: 14 } } },
  scaling: { maxInstances: 10 },
});

let resources: PlannedResource[];

const create = (service: ServiceModel, extra: Partial<ConstructorParameters<typeof ServiceMonitoring>[1]> = {}) => () =>
  new ServiceMonitoring(service.name, { service, project: GCP_PROJECT, channelIds, ...extra });

/** The message `create` throws, with what was registered before it. */
async function refusal(service: ServiceModel, extra: Partial<ConstructorParameters<typeof ServiceMonitoring>[1]> = {}) {
  return recordComponent(() => {
    try {
      create(service, extra)();
      return "created";
    } catch (error) {
      return (error as Error).message;
    }
  });
}

beforeAll(async () => {
  resources = (await recordComponent(create(shop))).resources;
});

describe("ServiceMonitoring alone", () => {
  it("registers its components and their resources (snapshot of the tree; each component has its own snapshot)", async () => {
    await expect(resourceSetText(resources, { inputs: false })).toMatchFileSnapshot("../golden/components/ServiceMonitoring.txt");
  });

  it("creates one component per capability the model declares, each a child named <service>-<capability>", () => {
    const facade = theComponent(resources, TYPE);
    const components = resources.filter((r) => r.type.startsWith("monitoring-stack:") && r.type !== TYPE);
    expect(components.map((c) => [c.type, c.name]).sort()).toEqual([
      ["monitoring-stack:gcp:BurnRateAlerts", "shop-burn"],
      ["monitoring-stack:gcp:CloudSqlBackups", "shop-backups"],
      ["monitoring-stack:gcp:LogPipeline", "shop-logs"],
      ["monitoring-stack:gcp:SaturationAlerts", "shop-saturation"],
      ["monitoring-stack:gcp:ServiceLevelObjectives", "shop-slo"],
      ["monitoring-stack:gcp:UptimeChecks", "shop-uptime"],
    ]);
    for (const component of components) expect(component.parent, component.name).toBe(facade.urn);
    for (const resource of resources) expect(resource.name === "shop" || resource.name.startsWith("shop-"), resource.name).toBe(true);
  });

  it("a renamed service keeps every resource below it: each answers to its earlier name under the earlier parent", () => {
    const facade = theComponent(resources, TYPE);
    expect(facade.aliases?.map(shortUrn)).toEqual([`${TYPE}::store`]);
    for (const resource of resources.filter((r) => r !== facade)) {
      const earlier = `store${resource.name.slice("shop".length)}`;
      expect(resource.aliases?.map(shortUrn).some((alias) => alias.startsWith(`${TYPE}$`) && alias.endsWith(`::${earlier}`)), `${resource.name} answers to ${earlier}`).toBe(true);
    }
  });

  it("routes alerts by severity to the stack's channel resources", () => {
    expect(named(resources, "shop-burn-availability-page-fast").inputs["notificationChannels"]).toEqual([channelIds["sre-pager"]]);
    expect(named(resources, "shop-saturation-cpu").inputs["notificationChannels"]).toEqual([channelIds["sre-slack"]]);
    expect(named(resources, "shop-logs-errors-alert").inputs["notificationChannels"]).toEqual([channelIds["sre-slack"]]);
  });

  it("a service with only an endpoint and an SLO gets uptime checks, SLOs and burn-rate alerts, nothing else", async () => {
    const plain = serviceFrom({
      name: "api",
      runtime: { cloudRun: { service: "api", region: "europe-west1" } },
      endpoints: [{ name: "health", url: "https://api.example.com/health" }],
      slos: [{ name: "availability", objective: 99.5, indicator: { availability: {} } }],
    });
    const run = await recordComponent(create(plain));
    expect(run.resources.filter((r) => r.type.startsWith("monitoring-stack:gcp:")).map((r) => r.name).sort()).toEqual(["api-burn", "api-slo", "api-uptime"]);
    expect(run.resources.every((r) => r.aliases === undefined)).toBe(true);
  });

  it("a GKE service with scaling gets its autoscaler through its cluster's provider, and is refused without one", async () => {
    const cart = serviceFrom({ name: "cart", runtime: { gke: { cluster: "prod", location: "europe-west1", namespace: "shop", workload: "cart" } }, scaling: { maxInstances: 4 } });
    const run = await recordComponent(() => create(cart, { kubernetesProviders: { prod: new k8s.Provider("platform-k8s-prod", {}) } })());
    expect(named(run.resources, "cart-autoscaling")).toMatchObject({ type: "monitoring-stack:kubernetes:Autoscaling", parent: theComponent(run.resources, TYPE).urn });
    expect(named(run.resources, "cart-autoscaling-hpa").parent).toBe(named(run.resources, "cart-autoscaling").urn);
    expect((await refusal(cart)).component).toBe("services/cart.yaml: no Kubernetes provider for cluster prod");
  });

  it("refuses a route to a channel the stack does not define, before creating any child", async () => {
    const run = await refusal(shop, { channelIds: { "sre-pager": channelIds["sre-pager"] } });
    expect(run.component).toBe("services/shop.yaml: channel sre-slack is not defined in the stack config");
    expect(run.resources.map((r) => r.type)).toEqual([TYPE]);
  });
});
