/**
 * Every filter the plan generates names a real metric type, a monitored
 * resource type the metric is written against, and labels that exist on
 * them — checked against Cloud Monitoring's metric list (test/data).
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { PlannedResource } from "../../../plan/mockRuntime";
import { fixturePlan, plan } from "../../plan/helpers";

interface Catalogue {
  metrics: Record<string, { resourceTypes: string[]; labels: string[]; note?: string }>;
  metricPatterns: Record<string, unknown>;
  resources: Record<string, { labels: string[] }>;
  sloSelectors: Record<string, unknown>;
  backupDrJobLogs: { vaultedBackupPlanJobs: { logName: string; fields: string[]; jobCategoryValues: string[]; jobStatusValues: string[] } };
}
const catalogue = JSON.parse(readFileSync(path.join(__dirname, "..", "..", "data", "gcp-metrics.json"), "utf8")) as Catalogue;

type FilterKind = "monitoring" | "logging" | "promql";

/**
 * Every string input whose key ends in "filter" (any case) or is a PromQL
 * query, anywhere in a resource's inputs. Filters of logging resources (sinks,
 * exclusions, log-based metrics) and of log-match conditions are Cloud Logging
 * filters; the rest are Cloud Monitoring filters.
 */
function filters(resources: readonly PlannedResource[]): { urn: string; filter: string; kind: FilterKind }[] {
  const found: { urn: string; filter: string; kind: FilterKind }[] = [];
  const walk = (urn: string, logging: boolean, value: unknown, key = "") => {
    if (typeof value === "string" && /filter$/i.test(key)) found.push({ urn, filter: value, kind: logging ? "logging" : "monitoring" });
    else if (typeof value === "string" && key === "query" && value !== "[unknown]") found.push({ urn, filter: value, kind: "promql" });
    else if (Array.isArray(value)) value.forEach((item) => walk(urn, logging, item, key));
    else if (typeof value === "object" && value !== null) for (const [k, v] of Object.entries(value)) walk(urn, logging || k === "conditionMatchedLog", v, k);
  };
  for (const resource of resources) walk(resource.urn, resource.type.startsWith("gcp:logging/"), resource.inputs);
  return found;
}

const USER_LOG_METRIC = /^logging\.googleapis\.com\/user\/[A-Za-z0-9_.,+!*'()%\/-]{1,100}$/;

/** Checks a Cloud Logging filter: monitored resources and their labels, and Backup and DR job fields and values. */
function checkLogging(filter: string): string[] {
  const errors: string[] = [];
  for (const [, type] of filter.matchAll(/resource\.type="([^"]+)"/g)) {
    if (!catalogue.resources[type!]) errors.push(`unknown monitored resource ${type}`);
    for (const [, label] of filter.matchAll(/resource\.labels\.([a-z_]+)/g)) {
      if (!catalogue.resources[type!]?.labels.includes(label!)) errors.push(`resource ${type} has no label ${label}`);
    }
  }
  if (filter.includes("bdr_backup_restore_jobs")) {
    const jobs = catalogue.backupDrJobLogs.vaultedBackupPlanJobs;
    const logName = /logName="([^"]+)"/.exec(filter)?.[1];
    if (!logName || !new RegExp(`^${jobs.logName.replace("PROJECT_ID", "[a-z][a-z0-9-]+").replace(/\./g, "\\.")}$`).test(logName)) errors.push(`unexpected Backup and DR log name ${logName}`);
    for (const [, field] of filter.matchAll(/jsonPayload\.([A-Za-z]+)/g)) {
      if (!jobs.fields.includes(field!)) errors.push(`Backup and DR job entries have no field ${field}`);
    }
    for (const [, value] of filter.matchAll(/"([A-Z_]+)"/g)) {
      if (![...jobs.jobCategoryValues, ...jobs.jobStatusValues].includes(value!)) errors.push(`unknown job category or status ${value}`);
    }
  }
  return errors;
}

/** Checks the metrics a PromQL query names in UTF-8 form ({"metric.type"}). */
function checkPromql(query: string): string[] {
  const names = [...query.matchAll(/\{"([^"]+)"/g)].map((match) => match[1]!);
  if (names.length === 0) return [`no metric named in ${query}`];
  return names.filter((name) => !catalogue.metrics[name] && !USER_LOG_METRIC.test(name)).map((name) => `unknown metric ${name}`);
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
  // A log-based metric is written against the resource of the entries it counts.
  if (metricType && USER_LOG_METRIC.test(metricType) && "logging.googleapis.com/user/{LOG_METRIC_NAME}" in catalogue.metricPatterns) return [];
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
  let all: { urn: string; filter: string; kind: FilterKind }[];
  beforeAll(async () => {
    const fixture = await fixturePlan();
    const local = await plan({ stack: "local" });
    all = [...filters(fixture.plan.resources), ...filters(local.plan.resources)];
  });

  it("finds the filters (the walk itself works)", () => {
    expect(all.length).toBeGreaterThan(30);
    expect(all.some((f) => f.filter.startsWith("select_slo_burn_rate("))).toBe(true);
    expect(all.some((f) => f.filter.includes("run.googleapis.com/request_latencies"))).toBe(true);
    expect(new Set(all.map((f) => f.kind))).toEqual(new Set(["monitoring", "logging", "promql"]));
    expect(all.some((f) => f.kind === "logging" && f.filter.includes("bdr_backup_restore_jobs"))).toBe(true);
  });

  it("names only real metrics, resources, labels and SLO selectors", () => {
    const checker = { monitoring: check, logging: checkLogging, promql: checkPromql };
    const problems = all.flatMap(({ urn, filter, kind }) => checker[kind](filter).map((error) => `${urn}: ${error}\n  ${filter}`));
    expect(problems).toEqual([]);
  });

  it("the checker rejects what it should (it can fail)", () => {
    expect(check('metric.type="run.googleapis.com/request_count" AND resource.type="cloud_run_revision" AND metric.label.response_code_class=500')).toHaveLength(1);
    expect(check('metric.type="run.googleapis.com/request_count" AND resource.type="gce_instance"')).toHaveLength(1);
    expect(check('metric.type="run.googleapis.com/requests" AND resource.type="cloud_run_revision"')).toHaveLength(1);
    expect(check('metric.type="run.googleapis.com/request_count" AND resource.type="cloud_run_revision" AND resource.label.cluster_name="x"')).toHaveLength(1);
    expect(check('select_slo_burn_rate("projects/p/services/s/serviceLevelObjectives/o", "90s")')).toHaveLength(1);
    expect(checkLogging('resource.type="cloud_run_revision" AND resource.labels.namespace_name="x"')).toHaveLength(1);
    expect(checkLogging('resource.type="cloud_run" AND severity>=ERROR')).toHaveLength(1);
    expect(checkLogging('logName="projects/p1234/logs/bdr_backup_restore_jobs" AND jsonPayload.jobState="FAILED"')).toHaveLength(2);
    expect(checkPromql('absent_over_time({"run.googleapis.com/requests"}[1h])')).toHaveLength(1);
    expect(checkPromql("absent_over_time(up[1h])")).toHaveLength(1);
  });
});
