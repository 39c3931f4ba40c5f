/**
 * What a project already has, read from exports: the JSON `gcloud … --format=json`
 * prints (a list: `monitoring uptime list-configs`, `alpha monitoring policies
 * list`, `beta monitoring channels list`, `logging sinks list`, `logging
 * buckets list`, `logging metrics list`), the REST API's list responses (a
 * paged object: `{"services": [...]}`, `{"serviceLevelObjectives": [...]}`),
 * Prometheus rule files (Sloth or Pyrra output already running) and a
 * Grafana notification policy tree (`GET /api/v1/provisioning/policies`).
 *
 * Every item keeps the file and the place in it it came from, so each
 * finding names it. Field names are the API's JSON names (the protos'
 * lowerCamelCase): monitoring/v3 uptime.proto, alert.proto, notification.proto,
 * service.proto; logging/v2 logging_config.proto, logging_metrics.proto.
 */
import { parse as parseYaml } from "yaml";
import type { Problem } from "../contract/problems";

export type ExistingKind = "uptimeCheck" | "alertPolicy" | "channel" | "service" | "slo" | "sink" | "bucket" | "logMetric" | "ruleGroup" | "grafanaPolicyTree";

export type Json = Record<string, unknown>;

export interface Existing {
  kind: ExistingKind;
  /** The file it was read from, as given. */
  file: string;
  /** Where in the file: `[2]`, `services[0]`, `groups[1]`. */
  at: string;
  /** The API's name for it: the full resource name, or the short name sinks and log metrics are listed by. */
  name: string;
  body: Json;
}

/** The attribution label Google's Terraform provider can put on what it creates (its `add_terraform_attribution_label` setting). */
export const TERRAFORM_LABEL = "goog-terraform-provisioned";

/** What each paged REST list holds its items under. */
const PAGED_LISTS: Record<string, ExistingKind> = {
  services: "service",
  serviceLevelObjectives: "slo",
  uptimeCheckConfigs: "uptimeCheck",
  alertPolicies: "alertPolicy",
  notificationChannels: "channel",
  sinks: "sink",
  buckets: "bucket",
  metrics: "logMetric",
};

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/** The kind of one listed item, from its name and the fields only that kind has. */
export function kindOf(item: Json): ExistingKind | undefined {
  const name = typeof item["name"] === "string" ? item["name"] : "";
  if (/\/uptimeCheckConfigs\//.test(name)) return "uptimeCheck";
  if (/\/alertPolicies\//.test(name)) return "alertPolicy";
  if (/\/notificationChannels\//.test(name)) return "channel";
  if (/\/serviceLevelObjectives\//.test(name)) return "slo";
  if (/^projects\/[^/]+\/services\/[^/]+$/.test(name)) return "service";
  if (/\/locations\/[^/]+\/buckets\//.test(name)) return "bucket";
  if (name !== "" && !name.includes(" ") && typeof item["destination"] === "string") return "sink";
  if (name !== "" && typeof item["filter"] === "string" && !("destination" in item)) return "logMetric";
  return undefined;
}

/** The project a full resource name is in; undefined for names without one (sinks, log metrics). */
export function projectOf(name: string): string | undefined {
  return /^projects\/([^/]+)\//.exec(name)?.[1];
}

export interface ExportFile {
  /** The path as given, named in problems. */
  file: string;
  text: string;
}

/** Every item of the files, or one problem per file, item or page that cannot be read; `project` is the stack's. */
export function readExisting(files: readonly ExportFile[], project: string): { existing: Existing[]; problems: Problem[] } {
  const existing: Existing[] = [];
  const problems: Problem[] = [];
  for (const { file, text } of files) {
    let body: unknown;
    try {
      body = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
    } catch (error) {
      problems.push({ file, path: "(file)", message: `cannot be read (got ${/\.ya?ml$/i.test(file) ? "YAML" : "JSON"} that does not parse: ${(error as Error).message.split("\n")[0]}, expected the output of gcloud … --format=json, a REST list response, a Prometheus rule file or a Grafana policy tree)` });
      continue;
    }
    const before = problems.length;
    const found = itemsOf(file, body, problems);
    for (const item of found) {
      const itemProject = projectOf(item.name);
      // Project numbers cannot be told from ids here; a different project id can.
      if (itemProject !== undefined && !/^[0-9]+$/.test(itemProject) && itemProject !== project) {
        problems.push({ file, path: `${item.at}.name`, message: `another project's export (got ${JSON.stringify(item.name)}, expected resources of the stack's project ${project})` });
      }
    }
    if (problems.length === before) existing.push(...found);
  }
  return { existing, problems };
}

function itemsOf(file: string, body: unknown, problems: Problem[]): Existing[] {
  if (Array.isArray(body)) return body.flatMap((item, index) => listed(file, `[${index}]`, item, problems));
  if (!isObject(body)) {
    problems.push({ file, path: "(file)", message: "unknown export (got a value that is not a list or an object, expected the output of gcloud … --format=json, a REST list response, a Prometheus rule file or a Grafana policy tree)" });
    return [];
  }
  // A Prometheus rule file, or the PrometheusRule object Sloth and Pyrra write for the operator.
  const spec = isObject(body["spec"]) ? body["spec"] : undefined;
  const groups = Array.isArray(body["groups"]) ? { at: "groups", list: body["groups"] } : body["kind"] === "PrometheusRule" && spec && Array.isArray(spec["groups"]) ? { at: "spec.groups", list: spec["groups"] } : undefined;
  if (groups) {
    return groups.list.flatMap((group, index): Existing[] =>
      isObject(group) && typeof group["name"] === "string" ? [{ kind: "ruleGroup", file, at: `${groups.at}[${index}]`, name: group["name"], body: group }] : [],
    );
  }
  if (typeof body["receiver"] === "string") return [{ kind: "grafanaPolicyTree", file, at: "(root)", name: "notification policy tree", body }];
  if (typeof body["nextPageToken"] === "string" && body["nextPageToken"] !== "") {
    problems.push({ file, path: "nextPageToken", message: `a partial export (got a nextPageToken, expected every page: list again with a larger pageSize, or gcloud, which follows the pages)` });
    return [];
  }
  const lists = Object.keys(body).filter((key) => key in PAGED_LISTS && Array.isArray(body[key]));
  if (lists.length === 0) {
    // An empty page carries no list at all: nothing exists of that kind.
    if (Object.keys(body).every((key) => key === "nextPageToken" || key === "totalSize")) return [];
    problems.push({ file, path: "(file)", message: `unknown export (got an object with ${Object.keys(body).slice(0, 5).join(", ")}, expected a list response holding one of: ${Object.keys(PAGED_LISTS).join(", ")})` });
    return [];
  }
  return lists.flatMap((key) => (body[key] as unknown[]).flatMap((item, index) => listed(file, `${key}[${index}]`, item, problems)));
}

function listed(file: string, at: string, item: unknown, problems: Problem[]): Existing[] {
  const kind = isObject(item) ? kindOf(item) : undefined;
  if (!kind || !isObject(item)) {
    problems.push({ file, path: at, message: `unknown resource (got ${isObject(item) ? `name ${JSON.stringify(item["name"])}` : "a value that is not an object"}, expected an uptime check, alert policy, notification channel, service, SLO, log sink, log bucket or log-based metric as the API returns it)` });
    return [];
  }
  return [{ kind, file, at, name: String(item["name"]), body: item }];
}

/** True when Terraform made it: its labels carry the Terraform provider's attribution label. */
export function madeByTerraform(item: Existing): boolean {
  return ["userLabels", "labels"].some((key) => isObject(item.body[key]) && TERRAFORM_LABEL in (item.body[key] as Json));
}

/** `file: at` with what the export calls it, for reports. */
export function describeExisting(item: Existing): string {
  const display = typeof item.body["displayName"] === "string" ? ` "${item.body["displayName"]}"` : "";
  return `${item.name}${display} (${item.file}: ${item.at})`;
}
