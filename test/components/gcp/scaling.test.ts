/**
 * Scaling through the offline plan: HorizontalPodAutoscaler and
 * PodDisruptionBudget on GKE (checked against the Kubernetes schema), one
 * provider per cluster, saturation alerts per runtime, and Cloud Run's
 * scaling block for teams' own deployments.
 */
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { beforeAll, describe, expect, it } from "vitest";
import type { PlannedResource } from "../../../plan/mockRuntime";
import { cloudRunScaling } from "../../../components/gcp/cloudRunScaling";
import { validateObjects } from "../../../components/kubernetes/Autoscaling";
import { gkeContext } from "../../../components/kubernetes/clusters";
import { byName, ofType } from "../../plan/helpers";
import { opsPlan } from "./operationsFixture";

let resources: PlannedResource[];
let planText: string;
let summary: string;
beforeAll(async () => {
  const outcome = await opsPlan();
  resources = outcome.plan.resources;
  planText = JSON.stringify(outcome.plan);
  summary = outcome.summary;
});

type Threshold = { filter: string; comparison: string; thresholdValue: number; duration: string; aggregations: Array<Record<string, unknown>> };
const condition = (name: string) => (byName(resources, name).inputs["conditions"] as Array<{ conditionThreshold: Threshold }>)[0]!.conditionThreshold;

describe("Kubernetes providers", () => {
  it("one per cluster with scaling rules: the stack's context, else gcloud's gke_<project>_<location>_<cluster>; kubeconfig kept secret", () => {
    const providers = ofType(resources, "pulumi:providers:kubernetes");
    expect(providers.map((p) => p.name)).toEqual(["platform-k8s-batch-1", "platform-k8s-prod-eu"]);
    expect(byName(resources, "platform-k8s-prod-eu").inputs).toMatchObject({ context: "prod-eu-admin", kubeconfig: "[secret]" });
    expect(byName(resources, "platform-k8s-batch-1").inputs).toMatchObject({ context: gkeContext("ops-project", "us-central1", "batch-1") });
    expect(planText).not.toContain("TOPSECRET");
  });
});

describe("HorizontalPodAutoscaler and PodDisruptionBudget", () => {
  it("scale the declared Deployment between the bounds on CPU and memory, and scale down slowly", () => {
    const hpa = byName(resources, "cart-autoscaling-hpa").inputs;
    expect(hpa).toMatchObject({
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: { name: "cart", namespace: "shop", labels: { service: "cart", "managed-by": "monitoring-stack" } },
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "cart" },
        minReplicas: 3,
        maxReplicas: 12,
        metrics: [
          { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } },
          { type: "Resource", resource: { name: "memory", target: { type: "Utilization", averageUtilization: 80 } } },
        ],
        behavior: { scaleDown: { stabilizationWindowSeconds: 600, selectPolicy: "Min", policies: [{ type: "Percent", value: 20, periodSeconds: 60 }] } },
      },
    });
    expect(byName(resources, "worker-autoscaling-hpa").inputs).toMatchObject({ spec: { minReplicas: 1, maxReplicas: 4 } });
  });

  it("keep a PodDisruptionBudget only where at least two replicas always run, selecting the pods by their labels", () => {
    expect(byName(resources, "cart-autoscaling-pdb").inputs).toMatchObject({ spec: { maxUnavailable: 1, selector: { matchLabels: { "app.kubernetes.io/name": "cart" } } } });
    expect(resources.some((r) => r.name === "worker-autoscaling-pdb")).toBe(false);
  });

  it("are valid against the Kubernetes schema as planned", () => {
    const objects = resources.filter((r) => r.type.startsWith("kubernetes:"));
    expect(objects.length).toBe(3);
    for (const object of objects) {
      const model = object.type.includes("HorizontalPodAutoscaler") ? new HorizontalPodAutoscaler(object.inputs as never) : new PodDisruptionBudget(object.inputs as never);
      expect(() => model.validate(), object.name).not.toThrow();
    }
  });

  it("the schema check refuses a broken object and names it", () => {
    const broken = { apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", metadata: { name: "x", namespace: "n" }, spec: { scaleTargetRef: { kind: "Deployment", name: "x" }, maxReplicas: "ten" } };
    expect(() => validateObjects("svc.yaml", [broken as never])).toThrow(/svc.yaml: invalid Kubernetes objects:\nHorizontalPodAutoscaler n\/x: /);
  });

  it("is not created for Cloud Run: the team's own deployment takes the scaling block", () => {
    expect(resources.some((r) => r.name.startsWith("shop-api-autoscaling"))).toBe(false);
    expect(cloudRunScaling({ name: "shop-api", runtime: { cloudRun: { service: "shop-api", region: "europe-west1" } }, scaling: { minInstances: 2, maxInstances: 40, concurrency: 60 } })).toEqual({
      scaling: { minInstanceCount: 2, maxInstanceCount: 40 },
      maxInstanceRequestConcurrency: 60,
    });
    expect(cloudRunScaling({ name: "s", runtime: { cloudRun: { service: "s", region: "europe-west1" } } })).toEqual({ scaling: { minInstanceCount: 0, maxInstanceCount: 100 }, maxInstanceRequestConcurrency: 80 });
    expect(() => cloudRunScaling({ name: "s", runtime: { external: {} } })).toThrow(/runtime cloudRun/);
  });
});

describe("saturation alerts (ticket severity)", () => {
  it("Cloud Run: CPU for 15 min, memory for 5 min, 90 % of max instances, p95 latency above the tightest latency SLO", () => {
    expect(condition("shop-api-saturation-cpu")).toMatchObject({ comparison: "COMPARISON_GT", thresholdValue: 0.65, duration: "900s" });
    expect(condition("shop-api-saturation-cpu").filter).toContain('metric.type="run.googleapis.com/container/cpu/utilizations"');
    expect(condition("shop-api-saturation-memory")).toMatchObject({ thresholdValue: 0.75, duration: "300s" });
    // Only GT and LT exist in threshold conditions (alert.proto MetricThreshold.comparison): 36 or more is more than 35.
    expect(condition("shop-api-saturation-instances")).toMatchObject({ comparison: "COMPARISON_GT", thresholdValue: 35 });
    expect(condition("shop-api-saturation-latency")).toMatchObject({ thresholdValue: 250, aggregations: [expect.objectContaining({ crossSeriesReducer: "REDUCE_PERCENTILE_95" })] });
    for (const key of ["cpu", "memory", "instances", "latency"]) {
      expect(byName(resources, `shop-api-saturation-${key}`).inputs).toMatchObject({ severity: "WARNING", notificationChannels: ["projects/ops-project/notificationChannels/platform-team-email"] });
    }
  });

  it("GKE: the workload's containers by their pod labels; pods counted one per pod; no latency alert without a latency SLO", () => {
    const cpu = condition("cart-saturation-cpu");
    expect(cpu.filter).toBe(
      'metric.type="kubernetes.io/container/cpu/request_utilization" AND resource.type="k8s_container" AND resource.label.cluster_name="prod-eu" AND resource.label.location="europe-west1-b" AND resource.label.namespace_name="shop" AND metadata.user_labels."app.kubernetes.io/name"="cart"',
    );
    expect(cpu.thresholdValue).toBe(0.7);
    expect(condition("cart-saturation-memory").filter).toContain('metric.label.memory_type="non-evictable"');
    const pods = condition("cart-saturation-instances");
    // 11 or more of 12 pods: more than 10 (threshold conditions compare with GT or LT only).
    expect(pods).toMatchObject({ comparison: "COMPARISON_GT", thresholdValue: 10 });
    expect(pods.aggregations.map((a) => a["groupByFields"])).toEqual([["resource.label.pod_name"], ["resource.label.namespace_name"]]);
    expect(resources.some((r) => r.name === "cart-saturation-latency")).toBe(false);
    expect(condition("worker-saturation-cpu").thresholdValue).toBe(0.8);
  });

  it("the summary shows bounds and what the saturation tickets watch", () => {
    expect(summary).toContain("- **Scaling**: 3–12 instances, CPU target 70 %, memory target 80 % — HorizontalPodAutoscaler and PodDisruptionBudget (1 pod at a time)");
    expect(summary).toContain("- **Backups** of Cloud SQL `shop-db` (europe-west1) by Backup and DR (enhanced backups; Cloud SQL's own automated backups are off): daily, window opening 03:00 UTC, kept 30 days");
    expect(summary).toContain(
      "- **Logs**: kept 400 days in log bucket `shop-api-logs` (a copy: the project's `_Default` bucket still stores and bills them); health-check requests kept out of this bucket and the exports below, but not out of `_Default` unless the project excludes them there",
    );
    expect(summary).toContain("  - sink audit-archive → Cloud Storage bucket acme-shop-api-audit (objects kept 2555 days)");
  });
});
