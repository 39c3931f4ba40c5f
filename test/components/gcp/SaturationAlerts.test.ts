/**
 * SaturationAlerts alone under Pulumi's mocks: one ticket per threshold the
 * model derives (model/scaling.ts saturationThresholds), measured on the
 * runtime's own container metrics — Cloud Run and GKE.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { SaturationAlerts } from "../../../components/gcp/SaturationAlerts";
import { saturationThresholds } from "../../../model/scaling";
import type { ServiceModel } from "../../../model/types";
import type { PlannedResource } from "../../../plan/mockRuntime";
import { SEVERITY_CHANNELS, GCP_PROJECT, expectOwnsEverything, named, recordComponent, resourceSetText, serviceFrom, theComponent } from "../../support/components";

const TYPE = "monitoring-stack:gcp:SaturationAlerts";

const cloudRun = serviceFrom({
  name: "web",
  runtime: { cloudRun: { service: "web-frontend", region: "europe-west1" } },
  slos: [{ name: "latency", objective: 99, indicator: { latency: { threshold: "250ms" } } }],
  scaling: { maxInstances: 40, cpuTarget: 65, memoryTarget: 75 },
});
const gke = serviceFrom({
  name: "cart",
  runtime: { gke: { cluster: "prod", location: "europe-west1", namespace: "shop", workload: "cart", selector: { app: "cart", track: "stable" } } },
  slos: [{ name: "latency", objective: 99, indicator: { latency: { threshold: "250ms" } } }],
  scaling: { minInstances: 2, maxInstances: 6 },
});

type Condition = { displayName: string; conditionThreshold: { filter: string; comparison: string; thresholdValue: number; duration: string } };

let cloudRunResources: PlannedResource[];
let gkeResources: PlannedResource[];

const record = async (service: ServiceModel, name: string) =>
  (await recordComponent(() => new SaturationAlerts(name, { service, project: GCP_PROJECT, channels: SEVERITY_CHANNELS.ticket }))).resources;

beforeAll(async () => {
  cloudRunResources = await record(cloudRun, "web-saturation");
  gkeResources = await record(gke, "cart-saturation");
});

describe("SaturationAlerts alone", () => {
  it("Cloud Run: CPU, memory, instances and latency tickets (snapshot)", async () => {
    await expect(resourceSetText(cloudRunResources, { omit: ["project", "userLabels", "documentation"] })).toMatchFileSnapshot("../../golden/components/SaturationAlerts.txt");
  });

  it("GKE: CPU, memory and pods, on the workload's containers; no latency ticket", () => {
    expect(gkeResources.filter((r) => r.type !== TYPE).map((r) => r.name)).toEqual(["cart-saturation-cpu", "cart-saturation-instances", "cart-saturation-memory"]);
    const filter = (named(gkeResources, "cart-saturation-cpu").inputs["conditions"] as Condition[])[0]!.conditionThreshold.filter;
    expect(filter).toContain('resource.type="k8s_container" AND resource.label.cluster_name="prod"');
    expect(filter).toContain('metadata.user_labels."app"="cart" AND metadata.user_labels."track"="stable"');
  });

  it.each([
    ["Cloud Run", () => cloudRunResources, cloudRun, "web-saturation"],
    ["GKE", () => gkeResources, gke, "cart-saturation"],
  ] as const)("%s: owns one ticket per model threshold, at the model's value, comparison and duration", (_runtime, resources, service, name) => {
    expectOwnsEverything(resources(), theComponent(resources(), TYPE));
    const thresholds = saturationThresholds(service.runtime, service.scaling!);
    expect(resources().filter((r) => r.type !== TYPE)).toHaveLength(thresholds.length);
    for (const threshold of thresholds) {
      const policy = named(resources(), `${name}-${threshold.key}`).inputs;
      const condition = (policy["conditions"] as Condition[])[0]!;
      expect(condition.displayName).toBe(threshold.title);
      expect(condition.conditionThreshold).toMatchObject({
        // Only GT and LT exist for threshold conditions: "N or more" whole instances is "more than N − 1".
        thresholdValue: threshold.inclusive ? threshold.threshold - 1 : threshold.threshold,
        comparison: "COMPARISON_GT",
        duration: `${threshold.durationMs / 1000}s`,
      });
      expect(policy).toMatchObject({ severity: "WARNING", notificationChannels: SEVERITY_CHANNELS.ticket, userLabels: { saturation: threshold.key, severity: "ticket" } });
    }
  });

  it("refuses a service without scaling before creating any alert", async () => {
    const plain = serviceFrom({ name: "api", runtime: { cloudRun: { service: "api", region: "europe-west1" } } });
    const run = await recordComponent(() => {
      try {
        new SaturationAlerts("api-saturation", { service: plain, project: GCP_PROJECT, channels: [] });
        return "created";
      } catch (error) {
        return (error as Error).message;
      }
    });
    expect(run.component).toBe("services/api.yaml: SaturationAlerts needs a service that declares scaling");
    expect(run.resources.map((r) => r.type)).toEqual([TYPE]);
  });
});
