/**
 * Checks every filter and PromQL query a plan generates against Cloud
 * Monitoring's metric list (test/data/gcp-metrics.json): metric types,
 * the monitored resource types they are written against, their labels, SLO
 * selectors, and the Backup and DR job-log fields.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { PlannedResource } from "../../../../plan/mockRuntime";

interface Catalogue {
  metrics: Record<string, { resourceTypes: string[]; labels: string[]; note?: string }>;
  metricPatterns: Record<string, unknown>;
  resources: Record<string, { labels: string[] }>;
  sloSelectors: Record<string, unknown>;
  backupDrJobLogs: { vaultedBackupPlanJobs: { logName: string; fields: string[]; jobCategoryValues: string[]; jobStatusValues: string[] } };
}
const catalogue = JSON.parse(readFileSync(path.join(__dirname, "..", "..", "..", "data", "gcp-metrics.json"), "utf8")) as Catalogue;

export type FilterKind = "monitoring" | "logging" | "promql";

/**
 * Every string input whose key ends in "filter" (any case) or is a PromQL
 * query, anywhere in a resource's inputs. Filters of logging resources (sinks,
 * exclusions, log-based metrics) and of log-match conditions are Cloud Logging
 * filters; the rest are Cloud Monitoring filters.
 */
export function filters(resources: readonly PlannedResource[]): { urn: string; filter: string; kind: FilterKind }[] {
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
export function checkLogging(filter: string): string[] {
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
export function checkPromql(query: string): string[] {
  const names = [...query.matchAll(/\{"([^"]+)"/g)].map((match) => match[1]!);
  if (names.length === 0) return [`no metric named in ${query}`];
  const resources = [...query.matchAll(/monitored_resource="([^"]+)"/g)].map((match) => match[1]!).filter((type) => !catalogue.resources[type]);
  return [...names.filter((name) => !catalogue.metrics[name] && !USER_LOG_METRIC.test(name)).map((name) => `unknown metric ${name}`), ...resources.map((type) => `unknown monitored resource ${type}`)];
}

/** Checks one filter; returns what is wrong, or nothing. */
export function check(filter: string): string[] {
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
  // A log-based metric is written against the resource of the entries it counts: any known monitored resource, named.
  if (metricType && USER_LOG_METRIC.test(metricType) && "logging.googleapis.com/user/{LOG_METRIC_NAME}" in catalogue.metricPatterns) {
    return resourceType && catalogue.resources[resourceType] ? [] : [`log-based metric ${metricType} without a known resource.type (got ${resourceType})`];
  }
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

