/**
 * Autoscaling alone under Pulumi's mocks: a HorizontalPodAutoscaler for the
 * GKE workload and, when two or more replicas always run, a
 * PodDisruptionBudget — both through the cluster's provider.
 */
import * as k8s from "@pulumi/kubernetes";
import { beforeAll, describe, expect, it } from "vitest";
import { Autoscaling } from "../../../components/kubernetes/Autoscaling";
import type { ServiceModel } from "../../../model/types";
import type { PlannedResource } from "../../../plan/mockRuntime";
import { expectOwnsEverything, named, recordComponent, resourceSetText, serviceFrom, theComponent } from "../../support/components";

const TYPE = "monitoring-stack:kubernetes:Autoscaling";
const PROVIDER = "pulumi:providers:kubernetes";

const gke = (name: string, scaling: Record<string, unknown>) =>
  serviceFrom({ name, tier: "critical", runtime: { gke: { cluster: "prod", location: "europe-west1", namespace: "shop", workload: name, selector: { app: name } } }, scaling });

/** The component with a provider made beside it, as Platform makes one per cluster. */
async function record(service: ServiceModel, name: string) {
  const run = await recordComponent(() => {
    const provider = new k8s.Provider("prod", { context: "prod-admin" });
    return new Autoscaling(name, { service, provider });
  });
  return run.resources;
}

let resources: PlannedResource[];

beforeAll(async () => {
  resources = await record(gke("cart", { maxInstances: 10, cpuTarget: 60 }), "cart-autoscaling");
});

describe("Autoscaling alone", () => {
  it("registers the HorizontalPodAutoscaler and the PodDisruptionBudget (snapshot)", async () => {
    await expect(resourceSetText(resources)).toMatchFileSnapshot("../../golden/components/Autoscaling.txt");
  });

  it("owns both objects, named after the component, in the workload's namespace under its name", () => {
    const component = theComponent(resources, TYPE);
    expectOwnsEverything(
      resources.filter((r) => r.type !== PROVIDER),
      component,
    );
    expect(named(resources, "cart-autoscaling-hpa").inputs).toMatchObject({ kind: "HorizontalPodAutoscaler", metadata: { name: "cart", namespace: "shop" } });
    expect(named(resources, "cart-autoscaling-pdb").inputs).toMatchObject({ kind: "PodDisruptionBudget", metadata: { name: "cart", namespace: "shop" }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: "cart" } } } });
  });

  it("scales between the model's bounds on its CPU and memory targets", () => {
    expect(named(resources, "cart-autoscaling-hpa").inputs["spec"]).toMatchObject({
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "cart" },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [{ resource: { name: "cpu", target: { averageUtilization: 60 } } }, { resource: { name: "memory", target: { averageUtilization: 80 } } }],
    });
  });

  it("no PodDisruptionBudget when a single replica may run: it would block every node drain", async () => {
    const single = await record(gke("solo", { minInstances: 1, maxInstances: 3 }), "solo-autoscaling");
    expect(single.filter((r) => r.type !== PROVIDER && r.type !== TYPE).map((r) => r.name)).toEqual(["solo-autoscaling-hpa"]);
  });

  it("refuses a Cloud Run service before creating anything", async () => {
    const cloudRun = serviceFrom({ name: "web", runtime: { cloudRun: { service: "web", region: "europe-west1" } }, scaling: { maxInstances: 5 } });
    const run = await recordComponent(() => {
      try {
        new Autoscaling("web-autoscaling", { service: cloudRun, provider: new k8s.Provider("prod", {}) });
        return "created";
      } catch (error) {
        return (error as Error).message;
      }
    });
    expect(run.component).toBe("services/web.yaml: Autoscaling needs a GKE service that declares scaling");
    expect(run.resources.map((r) => r.type).sort()).toEqual([TYPE, PROVIDER]);
  });
});
