/**
 * Cloud Monitoring uptime checks, in every plan the repository makes, against
 * google/monitoring/v3/uptime.proto (googleapis) and
 * mmv1/products/monitoring/UptimeCheckConfig.yaml (magic-modules).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { PLAN_TIMEOUT_MS, TYPE, resourcesOfType, where, type Planned } from "./plans";
import { durationSeconds, userLabelProblems } from "./rules";

let checks: Planned[];
const inputs = (p: Planned) => p.resource.inputs as Record<string, any>;
const breaches = (check: (p: Planned) => string[]) => checks.flatMap((p) => check(p).map((problem) => `${where(p)}: ${problem}`));

beforeAll(async () => {
  checks = await resourcesOfType(TYPE.uptimeCheck);
}, PLAN_TIMEOUT_MS);

/** uptime.proto UptimeCheckRegion. */
const REGIONS = ["USA", "EUROPE", "SOUTH_AMERICA", "ASIA_PACIFIC", "USA_OREGON", "USA_IOWA", "USA_VIRGINIA"];
/** Checker locations per region: USA has three (Oregon, Iowa, Virginia), the others one each (uptime.proto UptimeCheckRegion). */
const LOCATIONS: Record<string, number> = { USA: 3 };

describe("uptime checks", () => {
  it("covers the checks (the walk works)", () => {
    expect(checks.length).toBeGreaterThan(150);
  });

  it("sends the period explicitly, one of 60 s, 300 s, 600 s, 900 s", () => {
    // uptime.proto UptimeCheckConfig.period: "the only supported values are 60s (1 minute), 300s (5 minutes), 600s (10 minutes), and 900s (15 minutes)".
    // UptimeCheckConfig.yaml period: default_value "300s" while the API defaults to 60s, so leaving it out would not mean what the API doc says.
    expect(breaches((p) => ([60, 300, 600, 900].includes(durationSeconds(inputs(p)["period"]) ?? -1) ? [] : [`period ${inputs(p)["period"]}`]))).toEqual([]);
  });

  it("times out after 1 to 60 s, and before the next check", () => {
    // uptime.proto UptimeCheckConfig.timeout: "The value can be between 1 and 60 seconds). Required." (required: true in UptimeCheckConfig.yaml)
    expect(
      breaches((p) => {
        const timeout = durationSeconds(inputs(p)["timeout"]);
        return timeout === undefined || timeout < 1 || timeout > 60 || timeout > (durationSeconds(inputs(p)["period"]) ?? 0) ? [`timeout ${inputs(p)["timeout"]}`] : [];
      }),
    ).toEqual([]);
  });

  it("checks from known regions covering at least 3 locations", () => {
    // uptime.proto UptimeCheckConfig.selected_regions: "If this field is specified, enough regions must be provided to include a minimum of 3 locations."
    expect(
      breaches((p) => {
        const regions = (inputs(p)["selectedRegions"] ?? []) as string[];
        const unknown = regions.filter((region) => !REGIONS.includes(region));
        const locations = regions.reduce((sum, region) => sum + (LOCATIONS[region] ?? 1), 0);
        return [...unknown.map((region) => `region ${region}`), ...(regions.length > 0 && locations < 3 ? [`${locations} locations`] : [])];
      }),
    ).toEqual([]);
  });

  it("has a display name, a checker type, an uptime_url resource with project_id and host, and GET over http(s)", () => {
    // UptimeCheckConfig.yaml displayName: required: true. uptime.proto CheckerType: STATIC_IP_CHECKERS or VPC_CHECKERS (VPC needs servicedirectory_service).
    // uptime.proto UptimeCheckConfig.monitored_resource: "uptime_url, gce_instance, gae_app, aws_ec2_instance, aws_elb_load_balancer, k8s_service, servicedirectory_service, cloud_run_revision".
    // gcp-metrics.json resources.uptime_url.labels: project_id, host. HttpCheck.request_method: METHOD_UNSPECIFIED, GET, POST (the provider default GET sent explicitly).
    expect(
      breaches((p) => {
        const i = inputs(p);
        const resource = i["monitoredResource"] ?? {};
        const http = i["httpCheck"] ?? {};
        return [
          ...(typeof i["displayName"] === "string" && i["displayName"].length > 0 ? [] : ["no displayName"]),
          ...(i["checkerType"] === "STATIC_IP_CHECKERS" ? [] : [`checkerType ${i["checkerType"]}`]),
          ...(resource["type"] === "uptime_url" && Object.keys(resource["labels"] ?? {}).sort().join() === "host,project_id" ? [] : [`monitoredResource ${JSON.stringify(resource)}`]),
          ...(http["requestMethod"] === "GET" ? [] : [`requestMethod ${http["requestMethod"]}`]),
          ...(typeof http["path"] === "string" && http["path"].startsWith("/") ? [] : [`path ${http["path"]} (the provider prepends "/", a diff on every plan)`]),
          ...(Number.isInteger(http["port"]) && http["port"] > 0 && http["port"] < 65536 ? [] : [`port ${http["port"]}`]),
        ];
      }),
    ).toEqual([]);
  });

  it("has at most one content matcher, with a matcher and content of at most 1024 bytes", () => {
    // uptime.proto UptimeCheckConfig.content_matchers: "Currently, only the first entry in the content_matchers list is supported, and additional entries will be ignored."
    // ContentMatcher.content: "String, regex or JSON content to match. Maximum 1024 bytes." Matcher default CONTAINS_STRING, sent explicitly.
    expect(
      breaches((p) => {
        const matchers = (inputs(p)["contentMatchers"] ?? []) as Array<{ content?: string; matcher?: string }>;
        return [
          ...(matchers.length > 1 ? [`${matchers.length} content matchers`] : []),
          ...matchers.flatMap((m) => [...(Buffer.byteLength(m.content ?? "") > 1024 || !m.content ? ["content length"] : []), ...(m.matcher ? [] : ["no matcher"])]),
        ];
      }),
    ).toEqual([]);
  });

  it("accepts status codes by value (100–599) or class", () => {
    // uptime.proto HttpCheck.ResponseStatusCode: status_value or status_class (STATUS_CLASS_1XX … STATUS_CLASS_ANY).
    expect(
      breaches((p) =>
        ((inputs(p)["httpCheck"]?.["acceptedResponseStatusCodes"] ?? []) as Array<{ statusValue?: number; statusClass?: string }>).flatMap((code) =>
          (code.statusValue !== undefined) === (code.statusClass !== undefined) ||
          (code.statusValue !== undefined && (code.statusValue < 100 || code.statusValue > 599)) ||
          (code.statusClass !== undefined && !/^STATUS_CLASS_([1-5]XX|ANY)$/.test(code.statusClass))
            ? [`status code ${JSON.stringify(code)}`]
            : [],
        ),
      ),
    ).toEqual([]);
  });

  it("labels follow the user-label rule", () => {
    // uptime.proto UptimeCheckConfig.user_labels (see rules.ts).
    expect(breaches((p) => userLabelProblems(inputs(p)["userLabels"]))).toEqual([]);
  });
});
