/**
 * Every filter the plan generates names a real metric type, a monitored
 * resource type the metric is written against, and labels that exist on
 * them — checked against Cloud Monitoring's metric list (test/data).
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { PlannedResource } from "../../components/plan/mockRuntime";
import { fixturePlan, plan } from "../plan/helpers";

interface Catalogue {
  metrics: Record<string, { resourceTypes: string[]; labels: string[]; note?: string }>;
  resources: Record<string, { labels: string[] }>;
  sloSelectors: Record<string, unknown>;
}
const catalogue = JSON.parse(readFileSync(path.join(__dirname, "..", "data", "gcp-metrics.json"), "utf8")) as Catalogue;

/** Every string input whose key ends in "filter" (any case), anywhere in a resource's inputs. */
function filters(resources: readonly PlannedResource[]): { urn: string; filter: string }[] {
  const found: { urn: string; filter: string }[] = [];
  const walk = (urn: string, value: unknown, key = "") => {
    if (typeof value === "string" && /filter$/i.test(key)) found.push({ urn, filter: value });
    else if (Array.isArray(value)) value.forEach((item) => walk(urn, item, key));
    else if (typeof value === "object" && value !== null) for (const [k, v] of Object.entries(value)) walk(urn, v, k);
  };
  for (const resource of resources) walk(resource.urn, resource.inputs);
  return found;
}

/** Checks one filter; returns what is wrong, or nothing. */
function check(filter: string): string[] {
  const selector = /^(select_slo_[a-z_]+)\("projects\/[^/]+\/services\/[^/]+\/serviceLevelObjectives\/[^"]+", "(\d+)s"\)$/.exec(filter);
  if (selector) {
    const errors: string[] = [];
    if (!(selector[1]! in catalogue.sloSelectors)) errors.push(`unknown SLO selector ${selector[1]}`);
    if (Number(selector[2]) % 60 !== 0) errors.push(`lookback ${selector[2]}s is not whole minutes`);
    return errors;
  }
  const errors: string[] = [];
  const metricType = /metric\.type="([^"]+)"/.exec(filter)?.[1];
  const resourceType = /resource\.type="([^"]+)"/.exec(filter)?.[1];
  const metric = metricType ? catalogue.metrics[metricType] : undefined;
  if (!metric) return [`unknown metric type ${metricType}`];
  if (!resourceType || !metric.resourceTypes.includes(resourceType)) errors.push(`metric ${metricType} is not written against resource ${resourceType}`);
  for (const [, label] of filter.matchAll(/metric\.labels?\.([a-z_]+)/g)) {
    if (!metric.labels.includes(label!)) errors.push(`metric ${metricType} has no label ${label}`);
  }
  for (const [, label] of filter.matchAll(/resource\.labels?\.([a-z_]+)/g)) {
    if (!resourceType || !catalogue.resources[resourceType]?.labels.includes(label!)) errors.push(`resource ${resourceType} has no label ${label}`);
  }
  if (metricType?.startsWith("run.googleapis.com/") && /response_code_class=/.test(filter) && !/response_code_class="[1-5]xx"/.test(filter)) {
    errors.push('Cloud Run labels response_code_class as a string like "5xx"');
  }
  if (metricType?.startsWith("loadbalancing.googleapis.com/") && /response_code_class="/.test(filter)) {
    errors.push("load balancers label response_code_class as a number like 500");
  }
  return errors;
}

describe("generated filters against the metric catalogue", () => {
  let all: { urn: string; filter: string }[];
  beforeAll(async () => {
    const fixture = await fixturePlan();
    const local = await plan({ stack: "local" });
    all = [...filters(fixture.plan.resources), ...filters(local.plan.resources)];
  });

  it("finds the filters (the walk itself works)", () => {
    expect(all.length).toBeGreaterThan(30);
    expect(all.some((f) => f.filter.startsWith("select_slo_burn_rate("))).toBe(true);
    expect(all.some((f) => f.filter.includes("run.googleapis.com/request_latencies"))).toBe(true);
  });

  it("names only real metrics, resources, labels and SLO selectors", () => {
    const problems = all.flatMap(({ urn, filter }) => check(filter).map((error) => `${urn}: ${error}\n  ${filter}`));
    expect(problems).toEqual([]);
  });

  it("the checker rejects what it should (it can fail)", () => {
    expect(check('metric.type="run.googleapis.com/request_count" AND resource.type="cloud_run_revision" AND metric.label.response_code_class=500')).toHaveLength(1);
    expect(check('metric.type="run.googleapis.com/request_count" AND resource.type="gce_instance"')).toHaveLength(1);
    expect(check('metric.type="run.googleapis.com/requests" AND resource.type="cloud_run_revision"')).toHaveLength(1);
    expect(check('metric.type="run.googleapis.com/request_count" AND resource.type="cloud_run_revision" AND resource.label.cluster_name="x"')).toHaveLength(1);
    expect(check('select_slo_burn_rate("projects/p/services/s/serviceLevelObjectives/o", "90s")')).toHaveLength(1);
  });
});
