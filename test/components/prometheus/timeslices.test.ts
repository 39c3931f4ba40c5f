/**
 * Timeslices budgeting on Prometheus: the rules record whether the slice
 * ending at each evaluation is bad and alert on the share of bad slices; a
 * total outage pages when the model says, a healthy trace (errors within the
 * slice target, one short burst) never does. Checked under `promtool test rules`.
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { serviceModel } from "../../../model/service";
import type { ServiceModel } from "../../../model/types";
import { RECORD, type RuleGroup } from "../../../components/prometheus/ruleNames";
import { renderRuleFile, serviceRuleGroups } from "../../../components/prometheus/rules";
import { sliSeries } from "../../../components/prometheus/sliRecordings";
import { serviceGrafanaRuleGroups } from "../../../components/grafana/managedAlerting";
import { serviceSchema } from "../../../contract/serviceSchema";
import { settingsFrom } from "../../support/declarations";
import { promtoolTest, tierAlert, type Scenario } from "./incidents";
import { run, runAsync, withTempDir } from "./tools";

const HISTORY = 7 * 60; // the page tiers' longest window (6 h) and an hour, in minutes
const RPM = 600;
const SERIES = { ok: 'http_requests_total{job="api",code="200"}', bad: 'http_requests_total{job="api",code="500"}' };
const settings = settingsFrom();

/** 99 % of good 5m slices over 30 d, a slice good at ≥ 95 % good requests; pages only. */
function sliceService(): ServiceModel {
  const spec = serviceSchema.parse({
    apiVersion: "monitoring-stack/v1",
    name: "api",
    team: "shop",
    tier: "critical",
    runtime: { gke: { cluster: "prod-1", location: "europe-west1", namespace: "shop", workload: "api" } },
    slos: [
      {
        name: "sli",
        objective: 99,
        budgeting: { method: "timeslices", slice: "5m", sliceTarget: 0.95 },
        indicator: { prometheus: { total: 'http_requests_total{job="api"}', bad: 'http_requests_total{job="api",code=~"5.."}' } },
        alerting: { ticket: false },
      },
    ],
  });
  return serviceModel(spec, "services/api.yaml", settings);
}

const service = sliceService();
const slo = service.slos[0]!;
const groups: RuleGroup[] = serviceRuleGroups(service, { settings: settings.prometheus });
const rules = groups.flatMap((g) => g.rules);

describe("timeslice rules", () => {
  it("record the slice's verdict first, then the share of bad slices over every tier window", () => {
    expect(rules[0]).toMatchObject({
      record: RECORD.sliceBad("5m"),
      expr: '(1 - ((sum(rate(http_requests_total{job="api",code=~"5.."}[5m])) or vector(0)) / sum(rate(http_requests_total{job="api"}[5m])))) < bool 0.95',
    });
    expect(rules.find((r) => r.record === RECORD.errorRatio("1h"))!.expr).toBe(`avg_over_time(${RECORD.sliceBad("5m")}{service="api",slo="sli"}[1h])`);
    expect(rules.find((r) => r.record === RECORD.errorRatio("30d"))!.expr).toBe(`avg_over_time(${RECORD.sliceBad("5m")}{service="api",slo="sli"}[30d])`);
  });

  it("page without the low-traffic guard (it counts bad events; a slice is judged by its ratio)", () => {
    const alerts = rules.filter((r) => r.alert === "SLOErrorBudgetBurn");
    expect(alerts.map((a) => a.labels!["burn_tier"])).toEqual(["page-fast", "page-slow"]);
    for (const alert of alerts) expect(alert.expr).not.toContain(">=");
  });

  it("Grafana-managed alerting reads the same samples inline: a subquery at the evaluation interval", () => {
    const inline = sliSeries(service, slo, { sli: "inline", settings: settings.prometheus });
    expect(inline.errorRatio("1h")).toBe(
      `avg_over_time(((1 - ((sum(rate(http_requests_total{job="api",code=~"5.."}[5m])) or vector(0)) / sum(rate(http_requests_total{job="api"}[5m])))) < bool 0.95)[1h:${settings.prometheus.evaluationInterval}])`,
    );
    const grafana = serviceGrafanaRuleGroups(service, {
      environment: "test",
      prometheus: "prom",
      grafanaUrl: "https://grafana.example.com",
      settings: settings.prometheus,
    });
    expect(JSON.stringify(grafana)).toContain(`[1h:${settings.prometheus.evaluationInterval}]`);
  });

  it("pass promtool check rules", async () => {
    await withTempDir((dir) => {
      writeFileSync(path.join(dir, "rules.yaml"), renderRuleFile(service, groups));
      const result = run("promtool", ["check", "rules", "rules.yaml"], dir);
      expect(result.status, result.output).toBe(0);
    });
  });
});

/** Minutes after which a tier fires in a total outage: the model's time, taken at the next one-minute evaluation. */
function pageAt(tier: string): number {
  const minutes = slo.tiers.find((t) => t.name === tier)!.floorMinutesAtTotalOutage + 0.25; // + (1 − 0.95) × 5 min for the slice to turn bad
  return Math.floor(minutes) + 1;
}

describe("timeslice traces under promtool test rules", { timeout: 300_000 }, () => {
  it("a total outage pages page-fast, then page-slow, when the model says; a healthy trace never pages", async () => {
    const fast = pageAt("page-fast");
    const slow = pageAt("page-slow");
    expect([fast, slow]).toEqual([9, 22]); // 1 % × 60 min × 14.4 = 8.64 min; 1 % × 360 min × 6 = 21.6 min; + 15 s for the slice
    const outage: Scenario = {
      name: "total outage",
      phases: [
        { minutes: HISTORY, requestsPerMinute: RPM, errorRatio: 0 },
        { minutes: 40, requestsPerMinute: RPM, errorRatio: 1 },
      ],
      checks: [
        { minute: HISTORY + fast - 1, firing: [], because: "too few bad slices yet" },
        { minute: HISTORY + fast, firing: ["page-fast"], because: "2 % of the budget in 1 h" },
        { minute: HISTORY + slow - 1, firing: ["page-fast"], because: "page-slow not yet" },
        { minute: HISTORY + slow, firing: ["page-fast", "page-slow"], because: "5 % of the budget in 6 h" },
      ],
    };
    // 3 % errors all along: every slice stays good (≥ 95 % good requests). One 2-minute burst makes a few slices bad, far from 2 % of the budget.
    const healthy: Scenario = {
      name: "healthy with a burst",
      phases: [
        { minutes: HISTORY, requestsPerMinute: RPM, errorRatio: 0.03 },
        { minutes: 2, requestsPerMinute: RPM, errorRatio: 1 },
        { minutes: 60, requestsPerMinute: RPM, errorRatio: 0.03 },
      ],
      checks: [HISTORY - 60, HISTORY + 2, HISTORY + 5, HISTORY + 10, HISTORY + 30, HISTORY + 60].map((minute) => ({ minute, firing: [], because: "healthy" })),
    };
    const result = await withTempDir(async (dir) => {
      writeFileSync(path.join(dir, "rules.yaml"), renderRuleFile(service, groups));
      const document = {
        rule_files: ["rules.yaml"],
        evaluation_interval: "1m",
        group_eval_order: groups.map((g) => g.name),
        tests: [outage, healthy].map((scenario) => promtoolTest(scenario, SERIES, (tier) => tierAlert(groups, tier))),
      };
      writeFileSync(path.join(dir, "tests.yaml"), stringify(document, { lineWidth: 0, aliasDuplicateObjects: false }));
      return runAsync("promtool", ["test", "rules", "tests.yaml"], dir);
    });
    expect(result.status, result.output).toBe(0);
  });

  it("the check can fail: the outage does not page a minute before the model's time", async () => {
    const early: Scenario = {
      name: "too early",
      phases: [
        { minutes: HISTORY, requestsPerMinute: RPM, errorRatio: 0 },
        { minutes: 20, requestsPerMinute: RPM, errorRatio: 1 },
      ],
      checks: [{ minute: HISTORY + pageAt("page-fast") - 1, firing: ["page-fast"], because: "wrong on purpose" }],
    };
    const result = await withTempDir(async (dir) => {
      writeFileSync(path.join(dir, "rules.yaml"), renderRuleFile(service, groups));
      const document = { rule_files: ["rules.yaml"], evaluation_interval: "1m", group_eval_order: groups.map((g) => g.name), tests: [promtoolTest(early, SERIES, (tier) => tierAlert(groups, tier))] };
      writeFileSync(path.join(dir, "tests.yaml"), stringify(document, { lineWidth: 0, aliasDuplicateObjects: false }));
      return runAsync("promtool", ["test", "rules", "tests.yaml"], dir);
    });
    expect(result.status).not.toBe(0);
  });
});


