/**
 * Grafana Cloud Synthetic Monitoring checks (`grafana:syntheticMonitoring/check:Check`),
 * in every plan that has them, against what the Synthetic Monitoring API
 * accepts: grafana/synthetic-monitoring-agent pkg/pb/synthetic_monitoring/checks_extra.go
 * (`Check.Validate`: probes, target, job, `validateFrequency`, `validateTimeout`,
 * `validateLabels`, `HttpSettings.Validate`, `validateHttpUrl`) and checks.proto,
 * and terraform-provider-grafana internal/resources/syntheticmonitoring/resource_check.go.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { PLAN_TIMEOUT_MS, TYPE, breaches, grafanaPlans, inputs, ofType, type Planned } from "./plans";
import type { ContractPlan } from "../../gcp/googleApi/plans";

let plans: ContractPlan[];
let checks: Planned[];

/** checks.proto `enum HttpMethod`. */
const HTTP_METHODS = ["GET", "CONNECT", "DELETE", "HEAD", "OPTIONS", "POST", "PUT", "TRACE", "PATCH"];
/** checks_extra.go `internalMarker`: reserved, refused as a job or target. */
const INTERNAL = "__internal__";

beforeAll(async () => {
  plans = await grafanaPlans();
  checks = ofType(plans, TYPE.check);
}, PLAN_TIMEOUT_MS);

describe("Synthetic Monitoring checks", () => {
  it("covers the checks of the ftry example and the Grafana fixture (the walk works)", () => {
    expect([...new Set(checks.map((p) => p.plan.source))].sort()).toEqual(expect.arrayContaining(["example ftry", "fixture grafana"]));
    expect(checks.length).toBeGreaterThanOrEqual(4);
  });

  it("runs every 1 s to 1 h", () => {
    // checks_extra.go validateFrequency: [minCheckFrequency 1 s, maxCheckFrequency 1 h] in milliseconds for protocol checks; resource_check.go IntBetween(1000, 3600000).
    expect(breaches(checks, (p) => (Number.isInteger(inputs(p)["frequency"]) && inputs(p)["frequency"] >= 1_000 && inputs(p)["frequency"] <= 3_600_000 ? [] : [`frequency ${inputs(p)["frequency"]}`]))).toEqual([]);
  });

  it("times out after 1 s to the smaller of its frequency and 60 s", () => {
    // checks_extra.go validateTimeout, default case (HTTP, DNS, ping, TCP, gRPC): minTimeout minCheckTimeout (1 s),
    // maxTimeout min(frequency, maxCheckTimeout = 1 min). 180 s (MaxScriptedTimeout) is for scripted, MultiHTTP and browser checks only.
    expect(
      breaches(checks, (p) => {
        const { timeout, frequency } = inputs(p);
        const max = Math.min(frequency, 60_000);
        return Number.isInteger(timeout) && timeout >= 1_000 && timeout <= max ? [] : [`timeout ${timeout} ms (expected 1000 to ${max}: the smaller of the frequency ${frequency} ms and 60000 ms)`];
      }),
    ).toEqual([]);
  });

  it("has a job and an http(s) target without credentials, neither the reserved marker", () => {
    // Check.Validate: ErrInvalidCheckJob / ErrInvalidCheckTarget for empty or internalMarker; validateTarget: at most 2048 characters (a label value);
    // validateHttpUrl: no surrounding space, scheme http or https, no user or password, a host.
    expect(
      breaches(checks, (p) => {
        const { job, target } = inputs(p);
        const problems: string[] = [];
        if (typeof job !== "string" || job.length === 0 || job === INTERNAL) problems.push(`job ${JSON.stringify(job)}`);
        if (typeof target !== "string" || target.length === 0 || target === INTERNAL || target.length > 2048 || target.trim() !== target) problems.push(`target ${JSON.stringify(target)}`);
        else {
          let url: URL | undefined;
          try {
            url = new URL(target);
          } catch {
            problems.push(`target ${target} is not a URL`);
          }
          if (url && (!["http:", "https:"].includes(url.protocol) || url.username || url.password || !url.host)) problems.push(`target ${target}`);
        }
        return problems;
      }),
    ).toEqual([]);
  });

  it("runs from at least two distinct probes", () => {
    // Check.Validate: ErrInvalidCheckProbes when there is none. This stack's rule: the uptime alert fires when more than one probe fails, so one probe could never fire it.
    expect(
      breaches(checks, (p) => {
        const probes = inputs(p)["probes"] as unknown[];
        return Array.isArray(probes) && probes.length >= 2 && new Set(probes).size === probes.length && probes.every((id) => Number.isInteger(id)) ? [] : [`probes ${JSON.stringify(probes)}`];
      }),
    ).toEqual([]);
  });

  it("labels, if any, with names of letters, digits and '_' and values of 1 to 128 characters, each name once", () => {
    // checks_extra.go validateLabels: ErrDuplicateLabelName; Label.Validate: names /^[a-zA-Z0-9_]+$/, values 1..MaxLabelValueLength (128).
    expect(
      breaches(checks, (p) => {
        const labels = (inputs(p)["labels"] ?? {}) as Record<string, string>;
        return Object.entries(labels).flatMap(([name, value]) => (/^[a-zA-Z0-9_]{1,128}$/.test(name) && typeof value === "string" && value.length >= 1 && value.length <= 128 ? [] : [`label ${name}=${value}`]));
      }),
    ).toEqual([]);
  });

  it("is one HTTP check with a known method, status codes and regular expressions RE2 compiles, and a known alert sensitivity", () => {
    // resource_check.go settings: "Should contain exactly one nested block"; alert_sensitivity none, low, medium or high.
    // checks.proto HttpMethod; HttpSettings.Validate: every fail_if_body_* expression must compile (Go regexp, RE2: no lookaround, no backreference).
    expect(
      breaches(checks, (p) => {
        const settings = (inputs(p)["settings"] ?? {}) as Record<string, Record<string, unknown>>;
        const kinds = Object.keys(settings);
        const http = settings["http"] ?? {};
        const regexps = [...((http["failIfBodyNotMatchesRegexps"] as string[] | undefined) ?? []), ...((http["failIfBodyMatchesRegexps"] as string[] | undefined) ?? [])];
        const codes = (http["validStatusCodes"] as number[] | undefined) ?? [];
        return [
          ...(kinds.length === 1 && kinds[0] === "http" ? [] : [`settings ${kinds.join(", ")}`]),
          ...(HTTP_METHODS.includes(String(http["method"])) ? [] : [`method ${http["method"]}`]),
          ...codes.filter((code) => !Number.isInteger(code) || code < 100 || code > 599).map((code) => `status code ${code}`),
          ...regexps.filter((re) => !compiles(re) || /\(\?[=!<]|\\[1-9]/.test(re)).map((re) => `regexp ${re}`),
          ...(["none", "low", "medium", "high"].includes(inputs(p)["alertSensitivity"]) ? [] : [`alertSensitivity ${inputs(p)["alertSensitivity"]}`]),
        ];
      }),
    ).toEqual([]);
  });

  it("writes series a Grafana rule of the same plan reads, one check per job and target", () => {
    // This stack's rule: the uptime alert and SLO select the check's series by job (the agent sets job and instance = target on every series it writes).
    const duplicates = plans.flatMap((plan) => {
      const keys = ofType([plan], TYPE.check).map((c) => `${inputs(c)["job"]} ${inputs(c)["target"]}`);
      return keys.filter((k, i) => keys.indexOf(k) !== i).map((k) => `${plan.source}: ${k} twice`);
    });
    expect(duplicates).toEqual([]);
    expect(
      breaches(checks, (p) => {
        const queries = ofType([p.plan], TYPE.ruleGroup).flatMap((g) => (inputs(g)["rules"] as { datas: { model: string }[] }[]).flatMap((r) => r.datas.map((d) => d.model)));
        return queries.some((model) => model.includes(`job=\\"${inputs(p)["job"]}\\"`)) ? [] : [`no rule reads job ${inputs(p)["job"]}`];
      }),
    ).toEqual([]);
  });
});

function compiles(re: string): boolean {
  try {
    new RegExp(re);
    return true;
  } catch {
    return false;
  }
}
