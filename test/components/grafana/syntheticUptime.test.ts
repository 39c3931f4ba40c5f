/**
 * Uptime through Synthetic Monitoring: an uptime SLO on a Synthetic
 * Monitoring check is a good/total ratio of its probe counters, evaluated by
 * Grafana-managed rules with the model's burn tiers; its windows hold 2.5
 * check frequencies and its detection times include the frequency; the
 * "fails from 2+ probes" alert replaces Cloud Monitoring's policy. promtool
 * checks every rule and proves when the alerts fire.
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { serviceSchema } from "../../../contract/serviceSchema";
import { serviceModel } from "../../../model/service";
import { DEFAULT_BURN_TIERS, burnTiers, earliestDetectionMinutes, syntheticMinWindowMs, syntheticMonitoringMechanics } from "../../../model/sloMath";
import type { ServiceModel } from "../../../model/types";
import { renderRuleFile, serviceRuleGroups } from "../../../components/prometheus/rules";
import { type RuleGroup } from "../../../components/prometheus/ruleNames";
import { alertingContext, serviceGrafanaRuleGroups } from "../../../components/grafana/managedAlerting";
import { ruleContext } from "../../../components/evaluators/prometheus";
import { endpointsCheckedBy } from "../../../model/placement";
import { serviceCounts } from "../../../model/resourceCount";
import { serviceUsage } from "../../../model/costs";
import { validateService } from "../../../catalog/validate";
import { formatProblem } from "../../../contract/problems";
import { syntheticSettings } from "../../support/components";
import { run, withTempDir } from "../prometheus/tools";

const SM_URL = "https://synthetic-monitoring-api-eu-west-2.grafana.net";
const settings = syntheticSettings(SM_URL, "sm_token");

const declaration = (period: string) => ({
  apiVersion: "monitoring-stack/v1",
  name: "web",
  team: "shop",
  tier: "critical",
  runtime: { external: {} },
  endpoints: [{ name: "home", url: "https://web.example.com/", period, expect: { status: [200] } }],
  slos: [{ name: "uptime", objective: 99.9, indicator: { uptime: { endpoint: "home" } } }],
});

function web(period = "60s"): ServiceModel {
  return serviceModel(serviceSchema.parse(declaration(period)), "services/web.yaml", settings);
}

describe("an uptime SLO on a Synthetic Monitoring check", () => {
  it("reads the probe counters as a ratio evaluated by Grafana, not a Cloud Monitoring SLO", () => {
    const slo = web().slos[0]!;
    expect(slo.evaluator).toBe("grafana");
    expect(slo.indicator).toEqual({
      kind: "uptime",
      endpoint: "home",
      probeSeries: {
        total: 'probe_all_success_count{job="test/web/home",instance="https://web.example.com/"}',
        good: 'probe_all_success_sum{job="test/web/home",instance="https://web.example.com/"}',
      },
    });
    expect(slo.sliWindowMs).toBeUndefined();
  });

  it("keeps every window at least 2.5 check frequencies and no 24 h cap; detection includes the frequency", () => {
    const fast = web("60s").slos[0]!;
    const slow = web("900s").slos[0]!;
    expect(syntheticMinWindowMs(60_000)).toBe(5 * 60_000);
    expect(syntheticMinWindowMs(900_000)).toBe(38 * 60_000);
    expect(slow.tiers.map((t) => t.shortWindowMs / 60_000)).toEqual([38, 38, 60, 360]);
    expect(fast.tiers.map((t) => t.longWindowMs / 3_600_000)).toEqual([1, 6, 12, 72]);
    const mechanics = syntheticMonitoringMechanics(900_000, 30_000);
    for (const tier of slow.tiers) expect(tier.detectionMinutesAtTotalOutage).toBe(earliestDetectionMinutes(99.9, tier, mechanics));
    // The first failed execution after the outage starts can be a whole frequency later: 15 min instead of 1.
    expect(fast.tiers[0]!.detectionMinutesAtTotalOutage).toBe(1);
    expect(slow.tiers[0]!.detectionMinutesAtTotalOutage).toBe(15);
    expect(slow.tiers[0]!.floorMinutesAtTotalOutage).toBeCloseTo(0.864, 6);
    // Same tiers as the model's for a Prometheus-evaluated SLO: burn rates from the definitions, none refitted.
    expect(fast.tiers.map((t) => t.burnRate)).toEqual(burnTiers(99.9, 30 * 86_400_000, DEFAULT_BURN_TIERS, { minShortWindowMs: 300_000, backend: "x", mechanics }).map((t) => t.burnRate));
  });

  it("has neither a Cloud Monitoring check nor policy; its executions are counted for Grafana Cloud's bill", () => {
    const service = web();
    expect(endpointsCheckedBy(service, "cloudMonitoring")).toEqual([]);
    expect(serviceCounts(service)).toMatchObject({ uptimeChecks: 0, alertPolicies: 0 });
    expect(serviceUsage(service)).toMatchObject({ uptimeCheckExecutionsPerDay: 0, syntheticExecutionsPerDay: 1440 * 6 });
  });

  it("accepts an objective above Cloud Monitoring's 99.99 %, and refuses regions standing for one probe", () => {
    const spec = serviceSchema.parse({ ...declaration("60s"), slos: [{ name: "uptime", objective: 99.995, indicator: { uptime: { endpoint: "home" } } }] });
    expect(validateService(spec, "services/web.yaml", settings).map(formatProblem)).toEqual([]);
    const lonely = syntheticSettings(SM_URL, "t", { EUROPE: ["Frankfurt"], ASIA_PACIFIC: ["Frankfurt"], SOUTH_AMERICA: ["Frankfurt"] });
    const one = serviceSchema.parse({ ...declaration("60s"), endpoints: [{ name: "home", url: "https://web.example.com/", regions: ["EUROPE", "ASIA_PACIFIC", "SOUTH_AMERICA"] }] });
    expect(validateService(one, "services/web.yaml", lonely).map(formatProblem)).toEqual([
      "services/web.yaml: endpoints[0].regions: too few Synthetic Monitoring probes (got EUROPE, ASIA_PACIFIC, SOUTH_AMERICA, which stand for 1: Frankfurt; expected regions standing for at least 2 probes: the uptime alert fires when more than one probe fails, so it could never fire; list more regions, or more probes for them in monitoring-stack:grafana.syntheticMonitoring.probes)",
    ]);
  });

  it("becomes Grafana rule groups: the SLO's tiers and its metrics-absent alert, and one uptime alert per endpoint", () => {
    const service = web();
    const groups = serviceGrafanaRuleGroups(service, alertingContext(settings));
    expect(groups.map((g) => g.group.title)).toEqual(["web-uptime-alerts", "web-uptime-budget", "web-uptime"]);
    const titles = groups.flatMap((g) => g.group.rules.filter((r) => !r.record).map((r) => r.title));
    expect(titles).toEqual([
      "SLOErrorBudgetBurn web uptime page-fast",
      "SLOErrorBudgetBurn web uptime page-slow",
      "SLOErrorBudgetBurn web uptime ticket-fast",
      "SLOErrorBudgetBurn web uptime ticket",
      "SLOMetricsAbsent web uptime",
      "UptimeCheckFailing web home",
    ]);
    const uids = groups.flatMap((g) => g.group.rules.map((r) => r.uid));
    expect(new Set(uids).size).toBe(uids.length);
  });
});

/** The rules as promtool loads them; annotations dropped for unit tests (they do not decide firing). */
function ruleFile(service: ServiceModel, groups: readonly RuleGroup[], annotations = true): string {
  return annotations ? renderRuleFile(service, groups) : renderRuleFile(service, groups.map((g) => ({ ...g, rules: g.rules.map(({ annotations: _a, ...rule }) => rule) })));
}

describe("promtool on the Synthetic Monitoring rules", () => {
  it("checks the rules as Grafana evaluates them (inline ratios) and as recorded", async () => {
    const service = web();
    await withTempDir((dir) => {
      writeFileSync(path.join(dir, "inline.yaml"), ruleFile(service, serviceRuleGroups(service, { ...ruleContext(service, settings), sli: "inline" })));
      writeFileSync(path.join(dir, "recorded.yaml"), ruleFile(service, serviceRuleGroups(service, ruleContext(service, settings))));
      const result = run("promtool", ["check", "rules", "inline.yaml", "recorded.yaml"], dir);
      expect(result.output).toContain("SUCCESS");
      expect(result.status, result.output).toBe(0);
    });
  });

  it("fires the uptime alert when 2+ probes fail and not for one; every burn tier fires on a total outage", async () => {
    const service = web();
    const select = (probe: string) => `{job="test/web/home",instance="https://web.example.com/",probe="${probe}"}`;
    const probes = ["Oregon", "Ohio", "NorthVirginia", "Frankfurt", "SaoPaulo", "Singapore"];
    // One execution a minute per probe; failing ones from minute 10 on.
    const input = (failing: readonly string[]) =>
      probes.flatMap((probe) => {
        const down = failing.includes(probe);
        return [
          { series: `probe_all_success_count${select(probe)}`, values: "0+1x60" },
          { series: `probe_all_success_sum${select(probe)}`, values: down ? "0+1x10 10x50" : "0+1x60" },
          { series: `probe_success${select(probe)}`, values: down ? "1x10 0x50" : "1x60" },
        ];
      });
    const uptime = { alertname: "UptimeCheckFailing", service: "web", team: "shop", severity: "page", endpoint: "home" };
    const burn = (tier: string, severity: string) => ({ exp_labels: { alertname: "SLOErrorBudgetBurn", service: "web", slo: "uptime", team: "shop", severity, burn_tier: tier } });
    const tests = {
      rule_files: ["rules.yaml"],
      evaluation_interval: "30s",
      tests: [
        {
          interval: "1m",
          input_series: input(probes),
          alert_rule_test: [
            { eval_time: "9m", alertname: "UptimeCheckFailing", exp_alerts: [] },
            { eval_time: "9m", alertname: "SLOErrorBudgetBurn", exp_alerts: [] },
            { eval_time: "14m", alertname: "UptimeCheckFailing", exp_alerts: [{ exp_labels: { ...uptime, job: "test/web/home", instance: "https://web.example.com/" } }] },
            { eval_time: "14m", alertname: "SLOErrorBudgetBurn", exp_alerts: [burn("page-fast", "page"), burn("page-slow", "page"), burn("ticket-fast", "ticket"), burn("ticket", "ticket")] },
          ],
        },
        {
          interval: "1m",
          input_series: input(["Frankfurt"]),
          alert_rule_test: [{ eval_time: "14m", alertname: "UptimeCheckFailing", exp_alerts: [] }],
        },
        {
          interval: "1m",
          input_series: input(["Frankfurt", "Singapore"]),
          alert_rule_test: [{ eval_time: "14m", alertname: "UptimeCheckFailing", exp_alerts: [{ exp_labels: { ...uptime, job: "test/web/home", instance: "https://web.example.com/" } }] }],
        },
      ],
    };
    await withTempDir((dir) => {
      writeFileSync(path.join(dir, "rules.yaml"), ruleFile(service, serviceRuleGroups(service, ruleContext(service, settings)), false));
      writeFileSync(path.join(dir, "tests.yaml"), stringify(tests, { lineWidth: 0 }));
      const result = run("promtool", ["test", "rules", "tests.yaml"], dir);
      expect(result.status, result.output).toBe(0);
    });
  });
});
