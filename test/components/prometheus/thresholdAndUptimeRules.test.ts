/**
 * Threshold alerts (`alerts[]`): the contract's checks, the rules they become,
 * Alertmanager routing for a service that has no Prometheus SLOs, and
 * promtool's verdict on the rendered file.
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { serviceModel } from "../../../model/service";
import { alertmanagerPlan } from "../../../components/prometheus/alertmanager";
import { alertRulesGroupName } from "../../../components/prometheus/thresholdAndUptimeRules";
import { renderRuleFile, serviceRuleGroups } from "../../../components/prometheus/rules";
import { formatProblem } from "../../../contract/problems";
import { serviceSchema, unbalancedPromql, type ServiceSpec } from "../../../contract/serviceSchema";
import { validateService } from "../../../catalog/validate";
import { zodProblems } from "../../../contract/zodProblems";
import { ruleContext } from "../../../components/evaluators/prometheus";
import { settingsFrom } from "../../support/declarations";
import { run, withTempDir } from "./tools";

const CPU = '(100 - (avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m])) * 100)) > 80';

function declaration(alerts: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: "monitoring-stack/v1", name: "hosts", team: "ops", runtime: { external: {} }, alerts, ...extra };
}

function shapeProblems(raw: Record<string, unknown>): string[] {
  const parsed = serviceSchema.safeParse(raw, { reportInput: true });
  return parsed.success ? [] : zodProblems("hosts.yaml", parsed.error.issues).map(formatProblem);
}

function spec(alerts: unknown[], extra: Record<string, unknown> = {}): ServiceSpec {
  return serviceSchema.parse(declaration(alerts, extra));
}

describe("alerts[]: the contract", () => {
  it("accepts a rule as written in a Prometheus rule file", () => {
    expect(shapeProblems(declaration([{ name: "HighCPUUsage", expr: CPU, for: "5m", severity: "ticket", summary: "High CPU usage detected" }]))).toEqual([]);
  });

  it("names each mistake with its path", () => {
    const found = shapeProblems(
      declaration([
        { name: "high-cpu", expr: CPU, severity: "ticket" },
        { name: "SLOErrorBudgetBurn", expr: "up == 0", severity: "page" },
        { name: "Broken", expr: 'rate(http_requests_total{code="500"[5m])', severity: "warning" },
        { name: "Slow", expr: "up == 0", for: "90ms", severity: "ticket" },
      ]),
    );
    expect(found).toEqual([
      expect.stringMatching(/^hosts\.yaml: alerts\[0\]\.name: invalid value \(got "high-cpu", expected a Prometheus alert name like HighCPUUsage/),
      expect.stringMatching(/^hosts\.yaml: alerts\[1\]\.name: .*SLOErrorBudgetBurn and SLOMetricsAbsent/),
      expect.stringMatching(/^hosts\.yaml: alerts\[2\]\.expr: invalid PromQL, an unexpected "\)" \(got "rate\(http_requests_total\{code=\\"500\\"\[5m\]\)", expected balanced brackets and quotes\)$/),
      expect.stringMatching(/^hosts\.yaml: alerts\[2\]\.severity: .*expected page, ticket or info/),
      expect.stringMatching(/^hosts\.yaml: alerts\[3\]\.for: .*whole seconds/),
    ]);
  });

  it("finds unbalanced brackets and quotes, and is not fooled by brackets inside strings", () => {
    expect(unbalancedPromql(CPU)).toBeUndefined();
    expect(unbalancedPromql('up{job="a)b"} == 0')).toBeUndefined();
    expect(unbalancedPromql('up{job="a\\"b"} == 0')).toBeUndefined();
    expect(unbalancedPromql("sum(rate(x[5m])")).toBe('an unclosed "("');
    expect(unbalancedPromql('up{job="api} == 0')).toBe("an unclosed \" quote");
  });

  it("refuses a name used twice and a severity with no channel", () => {
    const settings = settingsFrom({ "monitoring-stack:routes": JSON.stringify({ ticket: ["sre-slack"] }) });
    const found = validateService(
      spec([
        { name: "HostDown", expr: "up == 0", severity: "page" },
        { name: "HostDown", expr: "up == 0", severity: "ticket" },
      ]),
      "hosts.yaml",
      settings,
    ).map(formatProblem);
    expect(found).toEqual([
      expect.stringMatching(/^hosts\.yaml: alerts\[1\]\.name: duplicate name \(got "HostDown"/),
      expect.stringMatching(/^hosts\.yaml: alerting\.page: missing required field/),
    ]);
  });
});

describe("alerts[]: the rules", () => {
  const settings = settingsFrom();
  const service = serviceModel(
    spec([
      { name: "HighCPUUsage", expr: CPU, for: "5m", severity: "ticket", summary: "High CPU usage detected" },
      { name: "DatabaseDown", expr: 'up{job="postgres"} == 0', for: "2m", severity: "page" },
      { name: "Restarted", expr: "changes(process_start_time_seconds[10m]) > 0", severity: "ticket" },
    ], { runbook: "https://runbooks.example.com/hosts" }),
    "examples/hosts.yaml",
    settings,
  );
  const groups = serviceRuleGroups(service, ruleContext(service, settings));

  it("become one group of alerting rules with the routing labels and the runbook", () => {
    expect(groups.map((g) => g.name)).toEqual([alertRulesGroupName(service)]);
    expect(groups[0]!.rules[0]).toEqual({
      alert: "HighCPUUsage",
      expr: CPU,
      for: "5m",
      labels: { service: "hosts", team: "ops", severity: "ticket" },
      annotations: {
        summary: "High CPU usage detected",
        description: `High CPU usage detected\nCondition: ${CPU} for 5m. Declared in examples/hosts.yaml.`,
        runbook_url: "https://runbooks.example.com/hosts",
      },
    });
    expect(groups[0]!.rules[1]).toMatchObject({ alert: "DatabaseDown", for: "2m", labels: { severity: "page" }, annotations: { summary: "hosts: DatabaseDown" } });
    expect(groups[0]!.rules[2]).not.toHaveProperty("for");
  });

  it("are routed by Alertmanager per severity even without Prometheus SLOs", () => {
    const plan = alertmanagerPlan([service], settings);
    const route = plan.config["route"] as { routes: { matchers: string[]; routes: { matchers: string[]; routes: { receiver: string }[] }[] }[] };
    expect(route.routes).toHaveLength(1);
    expect(route.routes[0]!.matchers).toEqual(['service="hosts"']);
    expect(route.routes[0]!.routes.map((r) => [r.matchers[0], r.routes.map((x) => x.receiver)])).toEqual([
      ['severity="page"', ["sre-pager"]],
      ['severity="ticket"', ["sre-slack"]],
    ]);
  });

  it("pass promtool check rules", async () => {
    await withTempDir((dir) => {
      writeFileSync(path.join(dir, "hosts.yaml"), renderRuleFile(service, groups));
      const result = run("promtool", ["check", "rules", "hosts.yaml"], dir);
      expect(result.status, result.output).toBe(0);
      expect(result.output).toContain(`SUCCESS: ${groups.flatMap((g) => g.rules).length} rules found`);
    });
  });
});
