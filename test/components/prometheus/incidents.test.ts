/**
 * Proof with the real tool: generated rules against incident traces under
 * `promtool test rules`. Every expectation comes from exact counting over the
 * trace (the oracle, see incidents.ts), and the oracle's detection times are
 * checked against the model's formula; promtool then shows that Prometheus
 * fires and resolves each alert at exactly those evaluations.
 *
 * Two regimes keep the suite fast: page tiers at one-minute evaluation after
 * 7 hours of clean traffic (their windows are at most 6 h), and the ticket
 * tier at five-minute evaluation after 3 days and an hour (its 3-day window).
 * promtool runs take tens of seconds each, minutes on a loaded machine: hence the timeout.
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { serviceModel } from "../../../model/service";
import type { ServiceModel } from "../../../model/types";
import { absentForMs, detectionMinutes } from "../../../model/sloMath";
import { renderRuleFile, serviceRuleGroups } from "../../../components/prometheus/rules";
import { type RuleGroup } from "../../../components/prometheus/ruleNames";
import { serviceSchema } from "../../../contract/serviceSchema";
import { settingsFrom } from "../../support/declarations";
import { counterValues, firstFiring, oracle, promtoolTest, tierAlert, transitions, type Phase, type Scenario } from "./incidents";
import { runAsync, withTempDir } from "./tools";

const PAGE_HISTORY = 7 * 60; // the page tiers' longest window (6 h) and an hour
const TICKET_HISTORY = 3 * 24 * 60 + 60; // the ticket tier's 3-day window and an hour
const RPM = 600; // 10 requests per second
const RATIO = { total: 'http_requests_total{job="api"}', bad: 'http_requests_total{job="api",code=~"5.."}' };
const SERIES = { ok: 'http_requests_total{job="api",code="200"}', bad: 'http_requests_total{job="api",code="500"}' };

const settings = settingsFrom();

function apiService(name: string, objective: number, indicator: Record<string, string>): ServiceModel {
  const spec = serviceSchema.parse({
    apiVersion: "monitoring-stack/v1",
    name,
    team: "shop",
    tier: "critical",
    runbook: "https://runbooks.example.com/api",
    runtime: { gke: { cluster: "prod-1", location: "europe-west1", namespace: "shop", workload: name } },
    slos: [{ name: "sli", objective, indicator: { prometheus: indicator } }],
  });
  return serviceModel(spec, `services/${name}.yaml`, settings);
}

/** `history` clean minutes, then error ratio `e` for `minutes`, then `after` clean minutes. */
function incident(history: number, e: number, minutes: number, after: number, rpm = RPM): Phase[] {
  return [
    { minutes: history, requestsPerMinute: rpm, errorRatio: 0 },
    { minutes, requestsPerMinute: rpm, errorRatio: e },
    { minutes: after, requestsPerMinute: rpm, errorRatio: 0 },
  ];
}

const length = (phases: readonly Phase[]) => phases.reduce((sum, p) => sum + p.minutes, 0);

class Rules {
  readonly groups: RuleGroup[];
  constructor(readonly service: ServiceModel) {
    this.groups = serviceRuleGroups(service, { settings: settings.prometheus });
  }
  get slo() {
    return this.service.slos[0]!;
  }
  firing(phases: readonly Phase[], step = 1) {
    return oracle(phases, this.slo.tiers, this.slo.budget, settings.prometheus.minBadEventsToPage, step);
  }
  /** First evaluation after `start` at which `tier` fires, in minutes from `start`. */
  detection(phases: readonly Phase[], tier: string, start: number, step = 1): number | undefined {
    const at = firstFiring(length(phases), this.firing(phases, step), tier, start, step);
    return at === undefined ? undefined : at - start;
  }
  /** The scenario checked at every transition the oracle finds from `from` on, plus `extra` minutes. */
  scenario(name: string, phases: Phase[], from: number, extra: number[] = [], step = 1): Scenario {
    const firing = this.firing(phases, step);
    const minutes = [...new Set([...transitions(length(phases), firing, from, step), ...extra])].sort((a, b) => a - b);
    return { name, phases, checks: minutes.map((minute) => ({ minute, firing: firing(minute), because: "oracle" })) };
  }
  /** Runs promtool on the rule file and the scenarios. */
  promtool(scenarios: Scenario[], step = 1, series = SERIES, adapt?: (test: Record<string, unknown>, scenario: Scenario) => void) {
    return withTempDir(async (dir) => {
      writeFileSync(path.join(dir, "rules.yaml"), renderRuleFile(this.service, this.groups));
      const tests = scenarios.map((sc) => {
        const test = promtoolTest(sc, series, (tier) => tierAlert(this.groups, tier), step);
        adapt?.(test, sc);
        return test;
      });
      const document = {
        rule_files: ["rules.yaml"],
        evaluation_interval: `${step}m`,
        // Recordings first, then alerts, as listed: each alert sees this evaluation's recordings.
        group_eval_order: this.groups.map((g) => g.name),
        tests,
      };
      writeFileSync(path.join(dir, "tests.yaml"), stringify(document, { lineWidth: 0, aliasDuplicateObjects: false }));
      return runAsync("promtool", ["test", "rules", "tests.yaml"], dir);
    });
  }
}

/** Detection minute expected at one-minute (or `step`) evaluation: the formula, rounded up to the next evaluation after it. */
function expectedDetection(theoryMinutes: number, step = 1): number {
  return (Math.floor(theoryMinutes / step) + 1) * step;
}

describe("incident traces under promtool test rules", { timeout: 600_000 }, () => {
  const api = new Rules(apiService("api", 99.9, RATIO));
  const H = PAGE_HISTORY;

  it.concurrent("page tiers, 99.9 % over 30 d: outages and recovery, errors under budget, blips", async () => {
    const outage = incident(H, 1, 60, 45);
    const partial = incident(H, 0.1, 60, 45);
    // The oracle detects when the model's formula says, rounded up to the next evaluation.
    for (const [e, phases] of [[1, outage], [0.1, partial]] as const) {
      for (const tier of api.slo.tiers.filter((t) => t.severity === "page")) {
        const theory = detectionMinutes(api.slo.objective, tier.burnRate, tier.longWindowMs, e);
        expect(api.detection(phases, tier.name, H), `${tier.name} at ${e * 100} % errors`).toBe(expectedDetection(theory));
      }
    }
    const blips: Phase[] = [{ minutes: H, requestsPerMinute: RPM, errorRatio: 0 }];
    for (let i = 0; i < 12; i++) blips.push({ minutes: 1, requestsPerMinute: RPM, errorRatio: 0.5 }, { minutes: 9, requestsPerMinute: RPM, errorRatio: 0 });
    const single = incident(H, 0.5, 1, 60);
    const underBudget: Phase[] = [{ minutes: 8 * 60, requestsPerMinute: RPM, errorRatio: 0.0009 }];
    const scenarios = [
      api.scenario("total outage for 1 h, then recovery", outage, H, [H]),
      api.scenario("10 % errors for 1 h, then recovery", partial, H, [H]),
      api.scenario("errors just under budget: 0.09 % for 8 h", underBudget, 5, [60, 360, 480]),
      api.scenario("a single blip: 50 % errors for one minute", single, H, [H + 1, H + 5, H + 60]),
      api.scenario("recurring blips: 50 % errors one minute in ten, for 2 h", blips, H),
    ];
    // The scenarios show what they claim: errors under budget never alert; a single blip (1.2 % of the budget) never
    // pages (in this regime the ticket tier's 3-day window holds only 7 h, so it sees the blip as a larger share);
    // recurring blips page, and the page resolves within the short window once they stop.
    const pages = (names: string[]) => names.filter((name) => name.startsWith("page"));
    expect(scenarios[2]!.checks.every((c) => c.firing.length === 0)).toBe(true);
    expect(scenarios[3]!.checks.every((c) => pages(c.firing).length === 0)).toBe(true);
    expect(scenarios[4]!.checks.some((c) => c.firing.includes("page-fast"))).toBe(true);
    // Recovery: each page resolves one short window after the errors stop.
    for (const tier of api.slo.tiers.filter((t) => t.severity === "page")) {
      const end = H + 60 + tier.shortWindowMs / 60_000;
      const firing = api.firing(outage);
      expect(firing(end - 1), `${tier.name} still firing`).toContain(tier.name);
      expect(firing(end), `${tier.name} resolved`).not.toContain(tier.name);
    }
    const result = await api.promtool(scenarios);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain("SUCCESS");
  });

  it.concurrent("ticket tier, 99.9 % over 30 d at five-minute evaluation: total outage, slow burn", async () => {
    const T = TICKET_HISTORY;
    const outage = incident(T, 1, 60, 420);
    const slow = incident(T, 0.0021, 2100, 0);
    expect(api.detection(outage, "ticket", T, 5)).toBe(expectedDetection(detectionMinutes(99.9, 1, 3 * 86_400_000, 1), 5));
    expect(api.detection(slow, "ticket", T, 5)).toBe(expectedDetection(detectionMinutes(99.9, 1, 3 * 86_400_000, 0.0021), 5));
    // A slow burn of 2.1 never reaches a page tier's threshold (6).
    expect(api.detection(slow, "page-slow", T, 5)).toBeUndefined();
    const result = await api.promtool(
      [api.scenario("total outage for 1 h, then recovery", outage, T, [T], 5), api.scenario("slow burn: 0.21 % errors (burn 2.1) for 35 h", slow, T, [T + 60, T + 1440], 5)],
      5,
    );
    expect(result.status, result.output).toBe(0);
  });

  it.concurrent("ratio SLO with good ÷ total: a total outage fires and resolves at the same minutes", async () => {
    const rules = new Rules(apiService("api-good", 99.9, { total: RATIO.total, good: 'http_requests_total{job="api",code!~"5.."}' }));
    const result = await rules.promtool([rules.scenario("total outage for 1 h, then recovery", incident(H, 1, 60, 45), H, [H])]);
    expect(result.status, result.output).toBe(0);
  });

  it.concurrent("latency SLO from a histogram (300 ms), 99 %: every request slow for 1 h", async () => {
    const rules = new Rules(apiService("api-latency", 99, { histogram: 'http_request_duration_seconds_bucket{job="api"}', threshold: "300ms" }));
    const phases = incident(H, 1, 60, 45);
    expect(rules.detection(phases, "page-fast", H)).toBe(expectedDetection(detectionMinutes(99, 14.4, 3_600_000, 1)));
    // Cumulative buckets: le="0.3" counts the fast requests, le="+Inf" all of them.
    const result = await rules.promtool([rules.scenario("every request slower than 300 ms for 1 h", phases, H, [H])], 1, SERIES, (test, sc) => {
      test["input_series"] = [
        { series: 'http_request_duration_seconds_bucket{job="api",le="0.1"}', values: counterValues(sc.phases, (p) => p.requestsPerMinute * (1 - p.errorRatio) * 0.5) },
        { series: 'http_request_duration_seconds_bucket{job="api",le="0.3"}', values: counterValues(sc.phases, (p) => p.requestsPerMinute * (1 - p.errorRatio)) },
        { series: 'http_request_duration_seconds_bucket{job="api",le="+Inf"}', values: counterValues(sc.phases, (p) => p.requestsPerMinute) },
      ];
    });
    expect(result.status, result.output).toBe(0);
  });

  it.concurrent("the low-traffic guard holds a page until enough requests have failed; tickets are not held", async () => {
    const quiet = new Rules(apiService("api-quiet", 99.9, RATIO));
    const phases = incident(H, 1, 30, 30, 1.5);
    const guard = settings.prometheus.minBadEventsToPage;
    // 1.5 requests a minute: the ratios are over threshold after a minute, the guard after ceil(5 / 1.5) = 4 minutes.
    expect(quiet.detection(phases, "page-fast", H)).toBe(Math.ceil(guard / 1.5));
    expect(quiet.detection(phases, "ticket", H)).toBe(1);
    const result = await quiet.promtool([quiet.scenario("total outage at 1.5 requests a minute", phases, H, [H + 1])]);
    expect(result.status, result.output).toBe(0);
  });

  it.concurrent("the absent alert fires when the SLI's series disappear, or when the threshold is no bucket boundary", async () => {
    const latency = new Rules(apiService("api-buckets", 99, { histogram: 'http_request_duration_seconds_bucket{job="api"}', threshold: "300ms" }));
    const absent = latency.groups.flatMap((g) => g.rules).find((r) => r.alert === "SLOMetricsAbsent")!;
    // Held as long as a total outage takes to reach the fastest tier: page-fast's 8.64 min at 99 %, rounded up.
    const holdMinutes = absentForMs(latency.service.slos[0]!.tiers) / 60_000;
    expect(holdMinutes).toBe(9);
    expect(absent.for).toBe("9m");
    const result = await withTempDir(async (dir) => {
      writeFileSync(path.join(dir, "rules.yaml"), renderRuleFile(latency.service, latency.groups));
      const expected = [{ exp_labels: absent.labels, exp_annotations: absent.annotations }];
      const document = {
        rule_files: ["rules.yaml"],
        evaluation_interval: "1m",
        tests: [
          {
            name: "buckets at 0.25 and 0.5 s: no 0.3 s boundary",
            interval: "1m",
            input_series: [
              { series: 'http_request_duration_seconds_bucket{job="api",le="0.25"}', values: "0+60x60" },
              { series: 'http_request_duration_seconds_bucket{job="api",le="0.5"}', values: "0+60x60" },
              { series: 'http_request_duration_seconds_bucket{job="api",le="+Inf"}', values: "0+60x60" },
            ],
            alert_rule_test: [
              { eval_time: `${holdMinutes - 1}m`, alertname: "SLOMetricsAbsent", exp_alerts: [] },
              { eval_time: `${holdMinutes}m`, alertname: "SLOMetricsAbsent", exp_alerts: expected },
            ],
          },
          {
            name: "series stop after 30 minutes",
            interval: "1m",
            input_series: [
              { series: 'http_request_duration_seconds_bucket{job="api",le="0.3"}', values: "0+60x30 _x30" },
              { series: 'http_request_duration_seconds_bucket{job="api",le="+Inf"}', values: "0+60x30 _x30" },
            ],
            alert_rule_test: [
              // Gone from minute 31; absent once the 5-minute lookback passes (36), firing 9 minutes later (45).
              { eval_time: "30m", alertname: "SLOMetricsAbsent", exp_alerts: [] },
              { eval_time: `${35 + holdMinutes}m`, alertname: "SLOMetricsAbsent", exp_alerts: [] },
              { eval_time: `${36 + holdMinutes}m`, alertname: "SLOMetricsAbsent", exp_alerts: expected },
            ],
          },
        ],
      };
      writeFileSync(path.join(dir, "tests.yaml"), stringify(document, { lineWidth: 0, aliasDuplicateObjects: false }));
      return runAsync("promtool", ["test", "rules", "tests.yaml"], dir);
    });
    expect(result.status, result.output).toBe(0);
  });
});
