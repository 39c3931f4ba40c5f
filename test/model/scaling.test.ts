/**
 * Saturation thresholds (model/scaling.ts saturationThresholds): which
 * tickets a runtime gets, at what value and after how long — what both the
 * alert policies and the plan summary read.
 */
import { describe, expect, it } from "vitest";
import { CPU_SATURATION_MS, MEMORY_SATURATION_MS, SUSTAINED_MS, saturationThresholds, scalingModel } from "../../model/scaling";
import { serviceModel } from "../../model/service";
import { serviceSchema } from "../../contract/serviceSchema";
import { settingsFrom } from "../support/declarations";

function model(runtime: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const spec = serviceSchema.parse({ apiVersion: "monitoring-stack/v1", name: "svc", team: "team", runtime, scaling: { maxInstances: 20, cpuTarget: 65 }, ...extra });
  return serviceModel(spec, "svc.yaml", settingsFrom());
}

const CLOUD_RUN = { cloudRun: { service: "svc", region: "europe-west1" } };
const GKE = { gke: { cluster: "prod", location: "europe-west1", namespace: "shop", workload: "svc" } };

describe("saturationThresholds", () => {
  it("Cloud Run: CPU and memory above their targets (as fractions), ⌈90 %⌉ of the ceiling or more, p95 above the tightest latency SLO", () => {
    const service = model(CLOUD_RUN, {
      slos: [
        { name: "fast", objective: 99, indicator: { latency: { threshold: "400ms" } } },
        { name: "faster", objective: 95, indicator: { latency: { threshold: "250ms" } } },
      ],
    });
    expect(saturationThresholds(service.runtime, service.scaling!)).toEqual([
      { key: "cpu", title: "CPU above 65 % for 15m", threshold: 0.65, inclusive: false, durationMs: CPU_SATURATION_MS },
      { key: "memory", title: "memory above 80 % for 5m", threshold: 0.8, inclusive: false, durationMs: MEMORY_SATURATION_MS },
      { key: "instances", title: "18 or more of 20 instances for 15m", threshold: 18, inclusive: true, durationMs: SUSTAINED_MS },
      { key: "latency", title: "p95 latency above 250ms for 15m", threshold: 250, inclusive: false, durationMs: SUSTAINED_MS },
    ]);
  });

  it("Cloud Run without a latency SLO: no latency ticket", () => {
    const service = model(CLOUD_RUN);
    expect(saturationThresholds(service.runtime, service.scaling!).map((t) => t.key)).toEqual(["cpu", "memory", "instances"]);
  });

  it("GKE: requests and limits in the wording, pods instead of instances, never latency", () => {
    const service = model(GKE, { slos: [{ name: "fast", objective: 99, indicator: { latency: { threshold: "400ms" } } }] });
    expect(saturationThresholds(service.runtime, service.scaling!).map((t) => t.title)).toEqual([
      "CPU above 65 % of requests for 15m",
      "memory above 80 % of the limit for 5m",
      "18 or more of 20 pods for 15m",
    ]);
  });

  it("an external service has no scaling model, and its runtime no thresholds", () => {
    const spec = serviceSchema.parse({ apiVersion: "monitoring-stack/v1", name: "svc", team: "team", runtime: { external: {} }, scaling: { maxInstances: 3 } });
    expect(scalingModel(spec, { kind: "external" }, "standard", [])).toBeUndefined();
    expect(saturationThresholds({ kind: "external" }, model(CLOUD_RUN).scaling!)).toEqual([]);
  });
});
