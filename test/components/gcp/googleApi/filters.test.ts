/**
 * Every Cloud Monitoring filter, Cloud Logging filter and PromQL query in
 * every plan the repository makes names real metric types, the monitored
 * resource types they are written against and labels they carry, per Cloud
 * Monitoring's metric list (test/data/gcp-metrics.json, from
 * cloud.google.com/monitoring/api/metrics_gcp and /api/resources).
 * alert.proto MetricThreshold.filter: "The filter must specify the metric
 * type and the resource type"; an unknown resource type is refused
 * ("The filter contains unknown resource type", terraform-provider-google #13349).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { check, checkLogging, checkPromql, filters, type FilterKind } from "./metricCatalogue";
import { PLAN_TIMEOUT_MS, contractPlans } from "./plans";

let all: { urn: string; filter: string; kind: FilterKind; source: string }[];
beforeAll(async () => {
  all = (await contractPlans()).flatMap((plan) => filters(plan.resources).map((found) => ({ ...found, source: plan.source })));
}, PLAN_TIMEOUT_MS);

describe("filters and queries against the metric catalogue", () => {
  it("finds filters of every kind in every plan (the walk works)", async () => {
    expect(new Set(all.map((f) => f.kind))).toEqual(new Set(["monitoring", "logging", "promql"]));
    const sources = (await contractPlans()).filter((plan) => plan.resources.some((r) => r.type === "gcp:monitoring/alertPolicy:AlertPolicy")).map((plan) => plan.source);
    expect(new Set(all.map((f) => f.source))).toEqual(new Set(sources));
  });

  it("names only real metrics, resource types, labels, SLO selectors and job-log fields", () => {
    const checker = { monitoring: check, logging: checkLogging, promql: checkPromql };
    expect(all.flatMap(({ source, urn, filter, kind }) => checker[kind](filter).map((error) => `${source}: ${urn.split("::").pop()}: ${error}\n  ${filter}`))).toEqual([]);
  });
});
