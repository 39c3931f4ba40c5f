/**
 * The incident traces of the Prometheus backend (../prometheus/incidents.ts),
 * run on the Grafana-managed rules' queries: each Grafana rule is written as a
 * Prometheus alerting rule with its query, pending period, labels and
 * annotations (Grafana's condition fires for every series the query returns,
 * as Prometheus does), and promtool checks it fires and resolves at exactly
 * the evaluations the oracle counts. The Grafana rules read the SLI ratios
 * inline, so no recording rule is loaded.
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import type * as alerting from "@grafana/grafana-foundation-sdk/alerting";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { alertingContext, serviceGrafanaRuleGroups } from "../../../components/grafana/managedAlerting";
import { TIER_LABEL } from "../../../components/prometheus/ruleNames";
import { serviceSchema } from "../../../contract/serviceSchema";
import { detectionMinutes } from "../../../model/sloMath";
import { serviceModel } from "../../../model/service";
import type { ServiceModel } from "../../../model/types";
import { settingsFrom } from "../../support/declarations";
import { firstFiring, oracle, promtoolTest, transitions, type Phase, type Scenario } from "../prometheus/incidents";
import { runAsync, withTempDir } from "../prometheus/tools";

const H = 7 * 60; // the page tiers' longest window (6 h) and an hour
const RPM = 600;
const SERIES = { ok: 'http_requests_total{job="api",code="200"}', bad: 'http_requests_total{job="api",code="500"}' };

const settings = settingsFrom({
  "monitoring-stack:grafana": JSON.stringify({ url: "https://example.grafana.net", datasources: { prometheus: "prom" }, alerting: "grafana" }),
  "monitoring-stack:grafanaToken": "t",
});
const ctx = alertingContext(settings);

function apiService(indicator: Record<string, string>): ServiceModel {
  const spec = serviceSchema.parse({
    apiVersion: "monitoring-stack/v1",
    name: "api",
    team: "shop",
    tier: "critical",
    runbook: "https://runbooks.example.com/api",
    runtime: { gke: { cluster: "prod-1", location: "europe-west1", namespace: "shop", workload: "api" } },
    slos: [{ name: "sli", objective: 99.9, indicator: { prometheus: indicator } }],
  });
  return serviceModel(spec, "services/api.yaml", settings);
}

/** Grafana's own annotations (dashboard and panel links) are not part of the notification text. */
const visible = (annotations: Record<string, string> = {}) => Object.fromEntries(Object.entries(annotations).filter(([key]) => !key.startsWith("__")));

/** The Grafana alert rules of a service as one Prometheus rule group: alert name = the title's first word (the Prometheus alert name). */
function asPrometheus(rules: readonly alerting.Rule[]): { name: string; rules: Record<string, unknown>[] } {
  return {
    name: "grafana",
    rules: rules
      .filter((rule) => !rule.record)
      .map((rule) => ({
        alert: rule.title.split(" ")[0],
        expr: (rule.data[0]!.model as unknown as { expr: string }).expr,
        for: rule.for,
        // Grafana holds ticket tiers as Prometheus does (keep_firing_for).
        ...(rule.keep_firing_for && rule.keep_firing_for !== "0s" ? { keep_firing_for: rule.keep_firing_for } : {}),
        labels: rule.labels,
        annotations: visible(rule.annotations),
      })),
  };
}

const length = (phases: readonly Phase[]) => phases.reduce((sum, p) => sum + p.minutes, 0);
const incident = (e: number, minutes: number, after: number): Phase[] => [
  { minutes: H, requestsPerMinute: RPM, errorRatio: 0 },
  { minutes, requestsPerMinute: RPM, errorRatio: e },
  { minutes: after, requestsPerMinute: RPM, errorRatio: 0 },
];

function check(service: ServiceModel) {
  const slo = service.slos[0]!;
  const rules = serviceGrafanaRuleGroups(service, ctx).flatMap((g) => g.group.rules);
  const firing = (phases: readonly Phase[]) => oracle(phases, slo.tiers, slo.budget, settings.prometheus.minBadEventsToPage);
  const scenario = (name: string, phases: Phase[], extra: number[] = []): Scenario => {
    const f = firing(phases);
    const minutes = [...new Set([...transitions(length(phases), f, H), ...extra])].sort((a, b) => a - b);
    return { name, phases, checks: minutes.map((minute) => ({ minute, firing: f(minute), because: "oracle" })) };
  };
  const expected = (tier: string) => {
    const rule = rules.find((r) => !r.record && r.labels?.[TIER_LABEL] === tier)!;
    return { labels: rule.labels!, annotations: visible(rule.annotations) };
  };
  return {
    slo,
    firing,
    scenario,
    promtool: (scenarios: Scenario[]) =>
      withTempDir(async (dir) => {
        writeFileSync(path.join(dir, "rules.yaml"), stringify({ groups: [asPrometheus(rules)] }, { lineWidth: 0, aliasDuplicateObjects: false }));
        const tests = scenarios.map((sc) => promtoolTest(sc, SERIES, expected));
        writeFileSync(path.join(dir, "tests.yaml"), stringify({ rule_files: ["rules.yaml"], evaluation_interval: "1m", tests }, { lineWidth: 0, aliasDuplicateObjects: false }));
        return runAsync("promtool", ["test", "rules", "tests.yaml"], dir);
      }),
  };
}

describe("incident traces on the Grafana-managed rules' queries", () => {
  it.concurrent("page tiers, ratio SLO 99.9 %: outage, partial outage, a blip; detection as the model's formula says", async () => {
    const api = check(apiService({ total: 'http_requests_total{job="api"}', bad: 'http_requests_total{job="api",code=~"5.."}' }));
    const outage = incident(1, 60, 45);
    const partial = incident(0.1, 60, 45);
    for (const [e, phases] of [[1, outage], [0.1, partial]] as const) {
      for (const tier of api.slo.tiers.filter((t) => t.severity === "page")) {
        const theory = detectionMinutes(api.slo.objective, tier.burnRate, tier.longWindowMs, e);
        expect(firstFiring(length(phases), api.firing(phases), tier.name, H)! - H, `${tier.name} at ${e * 100} %`).toBe(Math.floor(theory) + 1);
      }
    }
    const result = await api.promtool([
      api.scenario("total outage for 1 h, then recovery", outage, [H]),
      api.scenario("10 % errors for 1 h, then recovery", partial, [H]),
      api.scenario("a single blip: 50 % errors for one minute", incident(0.5, 1, 60), [H + 1, H + 5, H + 60]),
    ]);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain("SUCCESS");
  });

  it.concurrent("ratio SLO with good ÷ total: a total outage fires and resolves at the same minutes", async () => {
    const api = check(apiService({ total: 'http_requests_total{job="api"}', good: 'http_requests_total{job="api",code!~"5.."}' }));
    const result = await api.promtool([api.scenario("total outage for 1 h, then recovery", incident(1, 60, 45), [H])]);
    expect(result.status, result.output).toBe(0);
  });
});
