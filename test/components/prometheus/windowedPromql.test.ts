/**
 * `promql` indicators: any PromQL evaluated over each window, `{{.window}}`
 * standing for it, as Sloth writes SLIs. The recorded error ratio over each
 * window is exactly the expression Sloth generates for the same file
 * (checked against Sloth's own generated rules for its home-wifi example);
 * placement keeps it off Cloud Monitoring; the low-traffic guard, which needs
 * a count of failed events the query does not give, is left out and the
 * summary says so. The rules are proved on a trace with `promtool test rules`.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { errorRatioExpr, prometheusDurationText, sliRecordings, totalRateExpr } from "../../../components/prometheus/sliRecordings";
import { renderRuleFile, serviceRuleGroups } from "../../../components/prometheus/rules";
import { prometheusNote } from "../../../components/prometheus/explain";
import { serviceSchema, type ServiceSpec } from "../../../contract/serviceSchema";
import { formatProblem } from "../../../contract/problems";
import { zodProblems } from "../../../contract/zodProblems";
import { describeIndicator } from "../../../model/indicators";
import { capabilityProblems } from "../../../model/evaluators";
import { serviceModel } from "../../../model/service";
import { exportOpenSlo } from "../../../interop/openslo/exporter";
import { importFiles } from "../../../interop/import";
import { DEFAULT_BURN_TIERS } from "../../../model/sloMath";
import { REPO_ROOT, settingsFrom } from "../../support/declarations";
import { tierAlert } from "./incidents";
import { runAsync, withTempDir } from "./tools";

const settings = settingsFrom();
const ERRORS = 'sum_over_time((count(wifi_satisfaction_ratio < 0.75))[{{.window}}:]) OR on() vector(0)';
const TOTAL = "sum_over_time((count(wifi_satisfaction_ratio))[{{.window}}:])";

function declaration(promql: Record<string, string>, window = "30d", objective = 95): unknown {
  return { apiVersion: "monitoring-stack/v1", name: "wifi", team: "home", runtime: { external: {} }, slos: [{ name: "satisfaction", objective, window, indicator: { promql } }] };
}

function wifiService(promql: Record<string, string> = { errors: ERRORS, total: TOTAL }, objective = 95) {
  return serviceModel(serviceSchema.parse(declaration(promql, "30d", objective)), "services/wifi.yaml", settings);
}

function problems(promql: Record<string, string>, window?: string): string[] {
  const parsed = serviceSchema.safeParse(declaration(promql, window), { reportInput: true });
  return parsed.success ? [] : zodProblems("wifi.yaml", parsed.error.issues).map(formatProblem);
}

describe("promql indicator (contract and model)", () => {
  it("takes errorRatio alone, or errors with total, with {{.window}} somewhere and no other template; rolling windows only", () => {
    expect(problems({ errorRatio: "1 - avg_over_time(up[{{.window}}])" })).toEqual([]);
    expect(problems({ errors: ERRORS, total: TOTAL })).toEqual([]);
    // A total of vector(1): the window is in the errors only.
    expect(problems({ errors: "sum_over_time(x[{{ .window }}])", total: "vector(1)" })).toEqual([]);
    expect(problems({ errorRatio: "1 - avg_over_time(up[{{.window}}])", total: TOTAL })).toEqual([
      "wifi.yaml: slos[0].indicator.promql: conflicting fields (got errorRatio with errors or total, expected errorRatio alone, or errors with total)",
    ]);
    expect(problems({ errors: ERRORS })).toEqual(["wifi.yaml: slos[0].indicator.promql.total: missing required field (got no errorRatio and no total, expected errorRatio, or errors with total)"]);
    expect(problems({ errorRatio: "1 - avg_over_time(up[1h])" })[0]).toMatch(/indicator\.promql: missing \{\{\.window\}\} \(got "1 - avg_over_time\(up\[1h\]\)", expected PromQL with \{\{\.window\}\}.*every window reads the same\)$/);
    expect(problems({ errorRatio: "1 - avg_over_time(up{job=\"{{.job}}\"}[{{.window}}])" })[0]).toMatch(/indicator\.promql\.errorRatio: unknown template \(got \{\{\.job\}\}/);
    expect(problems({ errorRatio: "1 - avg_over_time(up[{{.window}}])" }, "calendar-month")[0]).toMatch(/slos\[0\]\.window: not supported with a promql indicator/);
  });

  it("is read with PromQL: placed on Prometheus or Grafana, refused by Cloud Monitoring, not exported to OpenSLO", () => {
    const slo = wifiService().slos[0]!;
    expect(slo.evaluator).toBe("prometheus");
    expect(serviceModel(serviceSchema.parse(declaration({ errorRatio: "x[{{.window}}]" })), "w.yaml", settingsFrom({ "monitoring-stack:grafana": JSON.stringify({ url: "https://g.example", alerting: "grafana" }), "monitoring-stack:grafanaToken": "glsa_test" })).slos[0]!.evaluator).toBe("grafana");
    expect(capabilityProblems("cloudMonitoring", { kind: "promql", source: "promql", objective: 95, calendar: false }).map((p) => p.message)).toEqual([
      expect.stringMatching(/^not evaluable by Cloud Monitoring \(got a promql indicator read from PromQL series/),
    ]);
    // {{.window}} is shown as <window>: alert annotations are templates, and Prometheus would try to expand it.
    expect(describeIndicator(slo.indicator)).toBe(`PromQL errors ÷ total over each window: ${ERRORS.replace("{{.window}}", "<window>")} ÷ ${TOTAL.replace("{{.window}}", "<window>")}`);
    const exported = exportOpenSlo([wifiService()], settings.channels);
    expect(exported.problems.map((p) => `${p.path}: ${p.message.replace(/ \(got[\s\S]*$/, "")}`)).toEqual(["slos[0].indicator.promql: not expressible in OpenSLO"]);
  });

  it("records the query with each window as Prometheus writes it, no traffic series, and says the low-traffic guard cannot be derived", () => {
    const service = wifiService();
    const slo = service.slos[0]!;
    if (slo.indicator.kind !== "promql") throw new Error("expected a promql indicator");
    expect(prometheusDurationText("28d")).toBe("4w");
    expect(prometheusDurationText("1d")).toBe("1d");
    expect(prometheusDurationText("5h36m")).toBe("5h36m");
    expect(errorRatioExpr(slo.indicator, "1h")).toBe(`(${ERRORS.replace("{{.window}}", "1h")})\n/\n(${TOTAL.replace("{{.window}}", "1h")})\n`);
    expect(errorRatioExpr({ kind: "promql", errorRatio: "1 - avg_over_time(up[{{ .window }}])" }, "28d")).toBe("(1 - avg_over_time(up[4w]))");
    expect(totalRateExpr(slo.indicator, "1h")).toBeUndefined();
    const records = sliRecordings(service, slo).map((r) => r.record);
    expect(records.filter((r) => r!.startsWith("slo:sli_total"))).toEqual([]);
    expect(records.length).toBeGreaterThan(3);
    const rules = renderRuleFile(service, serviceRuleGroups(service, { settings: settings.prometheus }));
    expect(rules).not.toMatch(/slo:sli_total/);
    expect(settings.prometheus.minBadEventsToPage).toBeGreaterThan(0);
    expect(prometheusNote(service, settings.prometheus, slo)).toMatch(/no low-traffic guard: the SLI is a PromQL query over each window, which states its error ratio but no count of failed events, so the \d+ failed events a page needs cannot be derived/);
  });
});

describe("promql indicator imported from Sloth", () => {
  const DATA = "test/data/interop";
  const read = (relative: string) => ({ file: `${DATA}/${relative}`, text: readFileSync(path.join(REPO_ROOT, DATA, relative), "utf8") });

  it("records per window exactly the SLI expressions Sloth generates for the same file (examples/home-wifi.yml and its _gen output)", () => {
    // Sloth's default 30d alert windows, so the windows are Sloth's: 5m, 30m, 1h, 2h, 6h, 1d, 3d.
    const report = importFiles([read("sloth/slok_sloth__examples_home-wifi.yml"), read("sloth/slok_sloth__internal_alert_windows_google-30d.yaml")], { burnTiers: DEFAULT_BURN_TIERS, team: "home" });
    expect(report.problems.map(formatProblem)).toEqual([]);
    const spec = report.services[0]!.spec as ServiceSpec;
    expect(spec.slos!.map((s) => Object.keys(s.indicator))).toEqual([["promql"], ["promql"]]);
    const service = serviceModel(spec, "services/home-wifi.yaml", { ...settings, burnTiers: report.tiers!.definitions });
    const generated = parse(readFileSync(path.join(REPO_ROOT, DATA, "sloth-generated/slok_sloth__examples__gen_home-wifi.yml"), "utf8")) as { groups: { rules: { record?: string; expr: string; labels?: Record<string, string> }[] }[] };
    for (const slo of service.slos) {
      const ours = sliRecordings(service, slo).filter((r) => r.record?.startsWith("slo:sli_error:ratio_rate"));
      const sloths = generated.groups.flatMap((g) => g.rules).filter((r) => r.labels?.["sloth_slo"] === slo.name && r.record?.startsWith("slo:sli_error:ratio_rate") && r.labels?.["sloth_window"] !== "30d");
      expect(ours.map((r) => r.record).sort()).toEqual(sloths.map((r) => r.record).sort());
      expect(sloths.length).toBe(7);
      for (const rule of sloths) expect(ours.find((r) => r.record === rule.record)!.expr, `${slo.name} ${rule.record}`).toBe(rule.expr);
    }
  });
});

describe("promql rules under promtool test rules", { timeout: 300_000 }, () => {
  it("records the share of unsatisfied clients and fires the tiers it reaches, with no low-traffic guard: four clients, one unhappy for the last hour of eight", async () => {
    const service = wifiService({ errors: ERRORS, total: TOTAL }, 99);
    const groups = serviceRuleGroups(service, { settings: settings.prometheus });
    const ratio = (window: string, eval_time: string, value: number) => ({
      expr: `slo:sli_error:ratio_rate${window}{service="wifi",slo="satisfaction"}`,
      eval_time,
      exp_samples: [{ labels: `slo:sli_error:ratio_rate${window}{service="wifi",slo="satisfaction"}`, value }],
    });
    // 99 % leaves 1 %. One client of four unhappy (below 0.75) from 420m: 1/4 over 5 min and 1 h, so page-fast
    // (14.4 × 1 % over 1 h and 5 min) fires; 60 of 360 steps over 6 h (4.2 %) stays under page-slow's 6 %;
    // 60 unhappy of 481 steps since the start (3.1 %) passes ticket-fast's 3 % over 12 h (1 h: 25 %) and
    // ticket's 1 % over 3 d (6 h: 4.2 %).
    const test = {
      name: "one client of four unhappy for the last hour",
      interval: "1m",
      input_series: [
        { series: 'wifi_satisfaction_ratio{client="a"}', values: "0.9x480" },
        { series: 'wifi_satisfaction_ratio{client="b"}', values: "0.9x480" },
        { series: 'wifi_satisfaction_ratio{client="c"}', values: "0.9x480" },
        { series: 'wifi_satisfaction_ratio{client="d"}', values: "0.9x419 0.5x60" },
      ],
      promql_expr_test: [ratio("5m", "400m", 0), ratio("5m", "480m", 0.25), ratio("1h", "480m", 0.25)],
      alert_rule_test: [
        { eval_time: "400m", alertname: "SLOErrorBudgetBurn", exp_alerts: [] },
        {
          eval_time: "480m",
          alertname: "SLOErrorBudgetBurn",
          exp_alerts: ["page-fast", "ticket", "ticket-fast"].map((tier) => ({ exp_labels: tierAlert(groups, tier).labels, exp_annotations: tierAlert(groups, tier).annotations })),
        },
        { eval_time: "480m", alertname: "SLOMetricsAbsent", exp_alerts: [] },
      ],
    };
    expect(service.slos[0]!.tiers.map((t) => [t.name, t.burnRate, t.longWindowMs / 60_000])).toEqual([["page-fast", 14.4, 60], ["page-slow", 6, 360], ["ticket-fast", 3, 720], ["ticket", 1, 4320]]);
    const result = await withTempDir(async (dir) => {
      writeFileSync(path.join(dir, "rules.yaml"), renderRuleFile(service, groups));
      const document = { rule_files: ["rules.yaml"], evaluation_interval: "1m", group_eval_order: groups.map((g) => g.name), tests: [test] };
      writeFileSync(path.join(dir, "tests.yaml"), stringify(document, { lineWidth: 0, aliasDuplicateObjects: false }));
      return runAsync("promtool", ["test", "rules", "tests.yaml"], dir);
    });
    expect(result.output).toMatch(/SUCCESS/);
    expect(result.status, result.output).toBe(0);
  });
});
