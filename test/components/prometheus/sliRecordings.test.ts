/**
 * The SLI of a PromQL SLO as recording rules: one error ratio and one traffic
 * rate per window the tiers read, shortest first; the per-slice verdict first
 * with timeslices budgeting; the SLO-window metadata for dashboards.
 */
import { describe, expect, it } from "vitest";
import { RECORD } from "../../../components/prometheus/ruleNames";
import { budgetRecordings, sliRecordings, tierWindows, windowErrorRatioExpr } from "../../../components/prometheus/sliRecordings";
import { promDuration } from "../../../components/prometheus/promql";
import type { SloSpec } from "../../../contract/serviceSchema";
import { API_RATIO, apiRatioService } from "../../support/declarations";

const RATIO = API_RATIO;
const service = (slo: Partial<SloSpec> = {}) => apiRatioService(slo, 99.5);

describe("sliRecordings", () => {
  it("records the error ratio and the traffic over every window the tiers use, shortest first, labelled with service and SLO", () => {
    const model = service();
    const slo = model.slos[0]!;
    const windows = tierWindows(slo);
    expect(windows).toEqual([...new Set(slo.tiers.flatMap((t) => [t.longWindowMs, t.shortWindowMs]))].sort((a, b) => a - b));
    const rules = sliRecordings(model, slo);
    expect(rules.map((r) => r.record)).toEqual(windows.flatMap((ms) => [RECORD.errorRatio(promDuration(ms)), RECORD.totalRate(promDuration(ms))]));
    for (const rule of rules) expect(rule.labels).toEqual({ service: "api", slo: "ok" });
    expect(rules[0]!.expr).toContain(`${RATIO.bad}[${promDuration(windows[0]!)}]`);
  });

  it("with timeslices, records each slice's verdict first and averages it over every window", () => {
    const model = service({ budgeting: { method: "timeslices", slice: "5m", sliceTarget: 0.95 } });
    const slo = model.slos[0]!;
    const rules = sliRecordings(model, slo);
    expect(rules[0]!.record).toBe(RECORD.sliceBad("5m"));
    expect(rules[0]!.expr).toContain("< bool 0.95");
    expect(windowErrorRatioExpr(model, slo, "1h")).toBe(`avg_over_time(${RECORD.sliceBad("5m")}{service="api",slo="ok"}[1h])`);
  });

  it("writes the objective, the budget and the budget left over the SLO's own window for dashboards", () => {
    const model = service({ window: "28d" });
    const records = budgetRecordings(model, model.slos[0]!);
    expect(records.map((r) => r.record)).toEqual([RECORD.objective, RECORD.errorBudget, RECORD.errorRatio("28d"), RECORD.budgetRemaining]);
    expect(records[0]!.expr).toBe("vector(0.995)");
    expect(records[1]!.expr).toBe("vector(0.005)");
  });
});
