/**
 * `prometheus: {boolGauge}` indicators: a 0/1 gauge (probe_success, up) whose
 * every sample is an event, bad ones the samples minus the sum of their
 * values — what Pyrra's bool_gauge computes (slo/rules.go: count_over_time
 * minus sum_over_time, over count_over_time). A gauge is not a counter, so
 * no rate() is taken. The recorded error ratio and the alerts are proved on a
 * trace with `promtool test rules`.
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { errorRatioExpr, requiredSeries, totalRateExpr } from "../../../components/prometheus/sliRecordings";
import { renderRuleFile, serviceRuleGroups } from "../../../components/prometheus/rules";
import { serviceSchema } from "../../../contract/serviceSchema";
import { formatProblem } from "../../../contract/problems";
import { zodProblems } from "../../../contract/zodProblems";
import { describeIndicator } from "../../../model/indicators";
import { serviceModel } from "../../../model/service";
import { exportOpenSlo } from "../../../interop/openslo/exporter";
import { settingsFrom } from "../../support/declarations";
import { tierAlert } from "./incidents";
import { runAsync, withTempDir } from "./tools";

const GAUGE = 'probe_success{job="blackbox"}';
const settings = settingsFrom();

function probeService(indicator: Record<string, string> = { boolGauge: GAUGE }) {
  const spec = serviceSchema.parse({
    apiVersion: "monitoring-stack/v1",
    name: "probe",
    team: "sre",
    runtime: { external: {} },
    slos: [{ name: "sli", objective: 99, indicator: { prometheus: indicator } }],
  });
  return serviceModel(spec, "services/probe.yaml", settings);
}

function indicatorProblems(prometheus: Record<string, string>): string[] {
  const parsed = serviceSchema.safeParse({ apiVersion: "monitoring-stack/v1", name: "probe", team: "sre", runtime: { external: {} }, slos: [{ name: "sli", objective: 99, indicator: { prometheus } }] }, { reportInput: true });
  return parsed.success ? [] : zodProblems("probe.yaml", parsed.error.issues).map(formatProblem);
}

describe("boolGauge indicator (contract)", () => {
  it("is one of the three forms of a prometheus indicator, alone", () => {
    expect(indicatorProblems({ boolGauge: GAUGE })).toEqual([]);
    expect(indicatorProblems({ boolGauge: GAUGE, total: "requests_total", bad: "errors_total" })).toEqual([
      "probe.yaml: slos[0].indicator.prometheus: conflicting fields (got ratio and boolGauge fields, expected one of: total with bad or good, histogram with threshold, boolGauge)",
    ]);
    expect(indicatorProblems({ boolGauge: GAUGE, threshold: "300ms" })[0]).toMatch(/conflicting fields \(got latency and boolGauge fields/);
    expect(indicatorProblems({ boolGauge: "rate(probe_success[5m])" })).toEqual([
      'probe.yaml: slos[0].indicator.prometheus.boolGauge: invalid value (got "rate(probe_success[5m])", expected a PromQL series selector like http_requests_total{job="api"})',
    ]);
  });

  it("counts samples, never rates: bad samples are the samples minus the sum of their values", () => {
    const slo = probeService().slos[0]!;
    expect(slo.evaluator).toBe("prometheus");
    if (slo.indicator.kind !== "prometheus") throw new Error("expected a prometheus indicator");
    expect(errorRatioExpr(slo.indicator, "1h")).toBe(`(sum(count_over_time(${GAUGE}[1h])) - sum(sum_over_time(${GAUGE}[1h]))) / sum(count_over_time(${GAUGE}[1h]))`);
    // Events per second: samples over the window's seconds, so the low-traffic guard counts bad samples.
    expect(totalRateExpr(slo.indicator, "5h36m")).toBe(`sum(count_over_time(${GAUGE}[5h36m])) / 20160`);
    expect(requiredSeries(slo.indicator, "5m")).toEqual([GAUGE]);
    expect(describeIndicator(slo.indicator)).toBe(`Prometheus 0/1 gauge: mean of ${GAUGE} over its samples (the share that are 1)`);
    const rules = renderRuleFile(probeService(), serviceRuleGroups(probeService(), { settings: settings.prometheus }));
    expect(rules).not.toMatch(/rate\(probe_success/);
  });

  it("is refused by the OpenSLO export with the reason: no OpenSLO metric source states a gauge's samples", () => {
    const exported = exportOpenSlo([probeService()], settings.channels);
    expect(exported.problems.map((p) => `${p.path}: ${p.message.replace(/ \(got[\s\S]*$/, "")}`)).toEqual(["slos[0].indicator.prometheus.boolGauge: not expressible in OpenSLO"]);
  });
});

describe("boolGauge rules under promtool test rules", { timeout: 300_000 }, () => {
  it("records the share of 0 samples and fires the tiers it reaches: three probes, one failing for the last hour of eight", async () => {
    const service = probeService();
    const groups = serviceRuleGroups(service, { settings: settings.prometheus });
    const ratio = (window: string, value: number) => ({
      expr: `slo:sli_error:ratio_rate${window}{service="probe",slo="sli"}`,
      eval_time: "480m",
      exp_samples: [{ labels: `slo:sli_error:ratio_rate${window}{service="probe",slo="sli"}`, value }],
    });
    // 99 % leaves 1 %: page-fast fires above 14.4 × 1 % over 1 h and 5 min; ticket-fast above 3 % over 12 h and 1 h;
    // ticket above 1 % over 3 d and 6 h. One probe of three failing for an hour: 1/3 over 5 min and 1 h,
    // 61 of 1443 samples (4.2 %) since the start, 61 of about 1083 (5.6 %) over 6 h: page-slow (6 %) stays quiet.
    const test = {
      name: "one probe of three fails for the last hour",
      interval: "1m",
      input_series: [
        { series: 'probe_success{job="blackbox",instance="a"}', values: "1x480" },
        { series: 'probe_success{job="blackbox",instance="b"}', values: "1x480" },
        { series: 'probe_success{job="blackbox",instance="c"}', values: "1x419 0x60" },
      ],
      promql_expr_test: [
        { expr: `slo:sli_error:ratio_rate5m{service="probe",slo="sli"}`, eval_time: "400m", exp_samples: [{ labels: `slo:sli_error:ratio_rate5m{service="probe",slo="sli"}`, value: 0 }] },
        ratio("5m", 1 / 3),
        ratio("1h", 1 / 3),
        ratio("3d", 61 / 1443),
      ],
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
    expect(service.slos[0]!.tiers.map((t) => t.name)).toEqual(["page-fast", "page-slow", "ticket-fast", "ticket"]);
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
