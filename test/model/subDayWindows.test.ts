/**
 * SLO windows below a day (whole hours, "6h"): taken only where Prometheus
 * evaluates the SLO, and only with burn-rate tiers that pass the measures of
 * docs/alert-quality.md once the one tier-fitting function (burnTiers) has
 * fitted them: a burn rate of at least 1, pages only on burns of at least 6,
 * a long window longer than the short one. The default tiers, written for
 * 30 days, fail at 6 h (scaled, the page tiers' long windows, 1 and 3
 * minutes, are shorter than the 5-minute shortest short window), so such an
 * SLO is refused with what would pass; tiers declared for the window pass, validate, plan and load in
 * Prometheus. Cloud Monitoring, whose rolling periods are whole days, refuses
 * any window below a day. Import refuses rather than move an SLO to another
 * window.
 */
import { describe, expect, it } from "vitest";
import { serviceSchema, type ServiceSpec } from "../../contract/serviceSchema";
import { formatProblem } from "../../contract/problems";
import { zodProblems } from "../../contract/zodProblems";
import { validateService } from "../../catalog/validate";
import { serviceModel, allSloTiers } from "../../model/service";
import { alertQualityProblems } from "../../model/sloMath";
import { renderRuleFile, serviceRuleGroups } from "../../components/prometheus/rules";
import { importFiles } from "../../interop/import";
import { DEFAULT_BURN_TIERS } from "../../model/sloMath";
import { windowText } from "../../model/explain";
import { settingsFrom } from "../support/declarations";
import { run, withTempDir } from "../components/prometheus/tools";
import { writeFileSync } from "node:fs";
import * as path from "node:path";

/** Tiers written for a 6-hour window that pass: pages at burn 7.2 and 6, tickets at 2 and 1.2, two distinct windows each. */
const SIX_HOUR_TIERS = {
  "6h": [
    { name: "page-fast", severity: "page", budgetPercent: 20, longWindow: "10m", shortWindow: "5m" },
    { name: "page-slow", severity: "page", budgetPercent: 50, longWindow: "30m", shortWindow: "5m" },
    { name: "ticket-fast", severity: "ticket", budgetPercent: 50, longWindow: "90m", shortWindow: "15m" },
    { name: "ticket", severity: "ticket", budgetPercent: 100, longWindow: "5h", shortWindow: "30m" },
  ],
};

function spec(window: string, indicator: object = { prometheus: { total: 'http_requests_total{job="api"}', bad: 'http_requests_total{job="api",code=~"5.."}' } }): ServiceSpec {
  const parsed = serviceSchema.safeParse({ apiVersion: "monitoring-stack/v1", name: "api", team: "web", runtime: { external: {} }, slos: [{ name: "errors", objective: 99, window, indicator }] });
  if (!parsed.success) throw new Error(zodProblems("api.yaml", parsed.error.issues).map(formatProblem).join("\n"));
  return parsed.data;
}

describe("SLO windows below a day", () => {
  it("are whole hours from 1h to 23h in the contract", () => {
    for (const window of ["1h", "6h", "12h", "23h"]) expect(() => spec(window)).not.toThrow();
    for (const window of ["24h", "0h", "90m", "6.5h"]) expect(() => spec(window), window).toThrow(/expected a rolling window in whole days from "1d" to "30d".*whole hours from "1h" to "23h"/);
  });

  it("are refused with the default tiers, naming the tier, what fails the measures and what would pass", () => {
    const settings = settingsFrom();
    const tiers = allSloTiers(spec("6h").slos![0]!, { endpoints: [], tier: "standard" }, settings);
    expect(tiers.map((t) => [t.name, t.longWindowMs / 60_000, t.shortWindowMs / 60_000, t.burnRate])).toEqual([
      ["page-fast", 1, 5, 7.2],
      ["page-slow", 3, 5, 6],
      ["ticket-fast", 6, 5, 3],
      ["ticket", 36, 5, 1],
    ]);
    const problems = validateService(spec("6h"), "api.yaml", settings).map(formatProblem);
    expect(problems).toEqual([
      expect.stringMatching(/^api\.yaml: slos\[0\]\.window: not supported with burn tier page-fast \(got "6h": page-fast fitted to 1m \/ 5m at burn rate 7\.2: long window 1m no longer than the short window 5m: both would read the same errors and the long one would not hold back a short blip; expected tiers that pass the alert-quality measures at this window, declared for it in monitoring-stack:burnRateTiers \(6h: pages of at least 16\.67 % of the budget over 10 min, tickets at burn 1 or more\), or a window of at least 1d\)$/),
      expect.stringMatching(/^api\.yaml: slos\[0\]\.window: not supported with burn tier page-slow \(got "6h": page-slow fitted to 3m \/ 5m at burn rate 6: long window 3m no longer than the short window 5m/),
    ]);
    // Days are not held to the sub-day gate: their tiers are the ones measured in docs/alert-quality.md.
    expect(validateService(spec("1d"), "api.yaml", settings).map(formatProblem)).toEqual([]);
  });

  it("are taken with tiers declared for the window that pass: validated, planned with the windows as written, loaded by promtool", () => {
    const settings = settingsFrom({ "monitoring-stack:burnRateTiers": JSON.stringify(SIX_HOUR_TIERS) });
    expect(validateService(spec("6h"), "api.yaml", settings).map(formatProblem)).toEqual([]);
    const service = serviceModel(spec("6h"), "services/api.yaml", settings);
    const slo = service.slos[0]!;
    expect(slo.windowMs).toBe(6 * 3_600_000);
    expect(windowText(slo)).toBe("6 h");
    expect(slo.tiers.map((t) => [t.name, t.longWindowMs / 60_000, t.shortWindowMs / 60_000, t.burnRate, alertQualityProblems(t)])).toEqual([
      ["page-fast", 10, 5, 7.2, []],
      ["page-slow", 30, 5, 6, []],
      ["ticket-fast", 90, 15, 2, []],
      ["ticket", 300, 30, 1.2, []],
    ]);
    const rules = renderRuleFile(service, serviceRuleGroups(service, { settings: settings.prometheus }));
    expect(rules).toMatch(/slo:sli_error:ratio_rate6h/);
    const checked = withTempDir(async (dir) => {
      writeFileSync(path.join(dir, "rules.yaml"), rules);
      return run("promtool", ["check", "rules", "rules.yaml"], dir);
    });
    return checked.then((result) => expect(result.status, result.output).toBe(0));
  });

  it("are refused by Cloud Monitoring, whose rolling periods are whole days", () => {
    const settings = settingsFrom({ "monitoring-stack:burnRateTiers": JSON.stringify(SIX_HOUR_TIERS) });
    const filters = { total: 'metric.type="loadbalancing.googleapis.com/https/request_count"', bad: 'metric.type="loadbalancing.googleapis.com/https/request_count" metric.label.response_code_class=500' };
    expect(validateService(spec("6h", { cloudMonitoring: filters }), "api.yaml", settings).map(formatProblem)).toEqual([
      'api.yaml: slos[0].window: not supported by Cloud Monitoring (got "6h", expected a rolling window of whole days from "1d": Cloud Monitoring\'s rolling periods are whole days; windows below a day are for SLOs Prometheus evaluates)',
    ]);
  });

  it("import from Pyrra's 6h and 12h windows: refused with the stack's default tiers, taken with tiers for the window; never moved to another window", () => {
    const pyrra = (window: string) => ({
      file: "slo.yaml",
      text: `apiVersion: pyrra.dev/v1alpha1
kind: ServiceLevelObjective
metadata: {name: api-errors, namespace: api, labels: {prometheus: k8s, role: alert-rules}}
spec:
  target: "99"
  window: ${window}
  indicator:
    ratio:
      errors: {metric: 'http_requests_total{job="api",code=~"5.."}'}
      total: {metric: 'http_requests_total{job="api"}'}
`,
    });
    for (const window of ["6h", "12h"]) {
      const refused = importFiles([pyrra(window)], { burnTiers: DEFAULT_BURN_TIERS, team: "web" });
      expect(refused.services).toEqual([]);
      expect(refused.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([expect.stringMatching(new RegExp(`^doc\\[0\\]\\(ServiceLevelObjective/api-errors\\)\\.spec\\.window: not supported with burn tier page-fast \\(got "${window}"`))]);
    }
    const settings = settingsFrom({ "monitoring-stack:burnRateTiers": JSON.stringify(SIX_HOUR_TIERS) });
    const taken = importFiles([pyrra("6h")], { burnTiers: settings.burnTiers!, team: "web" });
    expect(taken.problems.map(formatProblem)).toEqual([]);
    expect(taken.services[0]!.spec.slos!.map((s) => s.window)).toEqual(["6h"]);
  });
});
