/**
 * Calendar periods and timeslices in the reviewer's views: the plan record
 * keeps each SLO's window and budgeting, the diff shows a change of either as
 * an SLO change and says what happens to the SLO, and the summary explains
 * the period and the slices.
 */
import { describe, expect, it } from "vitest";
import { serviceSchema } from "../../contract/serviceSchema";
import { serviceModel } from "../../model/service";
import { recordSlo, type RecordedSlo } from "../../plan/planRecord";
import { recordedSloText, sloChanges } from "../../plan/diff";
import { calendarNote, sliWindowNote } from "../../plan/summary";
import { settingsFrom } from "../support/declarations";

function slo(declaration: Record<string, unknown>, indicator: Record<string, unknown> = { availability: {} }) {
  const spec = serviceSchema.parse({
    apiVersion: "monitoring-stack/v1",
    name: "ledger",
    team: "finance",
    runtime: { cloudRun: { service: "ledger", region: "europe-west1" } },
    slos: [{ name: "sli", objective: 99.9, indicator, ...declaration }],
  });
  return serviceModel(spec, "services/ledger.yaml", settingsFrom()).slos[0]!;
}

describe("plan record and diff", () => {
  const rolling = recordSlo(slo({ window: "30d" }));
  const monthly = recordSlo(slo({ window: "calendar-month" }));
  const slices = recordSlo(slo({ window: "calendar-month", budgeting: { method: "timeslices", slice: "1m", sliceTarget: 0.95 } }));

  it("records the window as declared and the budgeting", () => {
    expect([rolling.window, rolling.budgeting]).toEqual(["30d", "occurrences"]);
    expect([slices.window, slices.budgeting]).toEqual(["calendar-month", "timeslices 1m ≥ 0.95"]);
  });

  it("shows a change of the period as an SLO change, updated in place on Cloud Monitoring", () => {
    // Same budget minutes and tiers (30 d nominal): only the period tells them apart.
    expect(monthly.budgetMinutes).toBe(rolling.budgetMinutes);
    expect(sloChanges(rolling, monthly)).toEqual([
      "window 30d → calendar-month (updated in place, not replaced: the SLO keeps its id and the alert policies that select it, and its budget is measured the new way from the update)",
    ]);
    expect(recordedSloText(monthly)).toBe("99.9 % per calendar month (budget 43.2 min)");
  });

  it("speaks of a window below a day in hours", () => {
    const sixHours = { ...rolling, window: "6h", windowDays: 0.25 };
    expect(recordedSloText(sixHours)).toMatch(/^99\.9 % over 6 h \(budget/);
    expect(sloChanges({ ...rolling, window: "12h", windowDays: 0.5 }, sixHours)[0]).toMatch(/^window 12 h → 6 h /);
    expect(sloChanges({ ...rolling, window: "1d", windowDays: 1 }, sixHours)[0]).toMatch(/^window 1 d → 6 h /);
  });

  it("shows a change of the budgeting as an SLO change", () => {
    expect(sloChanges(monthly, slices)[0]).toMatch(/^budgeting occurrences → timeslices 1m ≥ 0\.95 \(updated in place, not replaced/);
    expect(recordedSloText(slices)).toBe("99.9 % per calendar month, timeslices 1m ≥ 0.95 (budget 43.2 min)");
  });

  it("reads plans recorded before windows and budgeting were kept: a rolling window of the days, occurrences", () => {
    const { window: _window, budgeting: _budgeting, ...older } = rolling;
    const old: RecordedSlo = older;
    expect(sloChanges(old, rolling)).toEqual([]);
    expect(sloChanges(old, monthly)[0]).toMatch(/^window 30d → calendar-month/);
  });

  it("says what Prometheus does when the budgeting of its SLO changes", () => {
    const prom = (budgeting?: Record<string, unknown>) =>
      recordSlo(slo(budgeting ? { budgeting } : {}, { prometheus: { total: "http_requests_total", bad: 'http_requests_total{code=~"5.."}' } }));
    expect(sloChanges(prom(), prom({ method: "timeslices", slice: "5m", sliceTarget: 0.9 }))[0]).toBe(
      "budgeting occurrences → timeslices 5m ≥ 0.9 (the Prometheus rules are rewritten: series they newly record start empty and fill their windows over time)",
    );
  });
});

describe("summary", () => {
  it("explains when a calendar period starts and what its budget is computed for", () => {
    expect(calendarNote(slo({ window: "30d" }))).toEqual([]);
    expect(calendarNote(slo({ window: "calendar-week" }))[0]).toMatch(/^Calendar week: the budget starts afresh every Monday at midnight UTC\. Budget minutes and burn tiers are computed for 7 d;/);
    expect(calendarNote(slo({ window: "calendar-month" }))[0]).toContain("on the 1st of every month at midnight UTC");
  });

  it("explains how slices are judged on each backend", () => {
    expect(sliWindowNote(slo({ budgeting: { method: "timeslices", slice: "1m", sliceTarget: 0.95 } }))).toBe(
      "Timeslices: Cloud Monitoring counts consecutive 1m slices, each good when at least 95 % of its events are good; detection counts whole slices, plus the one in progress when the outage starts.",
    );
    const prom = slo({ budgeting: { method: "timeslices", slice: "10m", sliceTarget: 0.9 } }, { prometheus: { total: "http_requests_total", bad: 'http_requests_total{code=~"5.."}' } });
    expect(sliWindowNote(prom)).toMatch(/^Timeslices: at every evaluation Prometheus judges the 10m slice that ends then \(a sliding slice\), bad when fewer than 90 % of its events are good/);
    expect(sliWindowNote(prom)).toContain("Detection includes the 1 min a total outage takes to fill more than 10 % of a slice.");
  });
});

describe("diff of plans without recorded services", () => {
  it("reads a calendar SLO resource's period for its objective and budget", async () => {
    const { renderDiff } = await import("../../plan/diff");
    const resource = (inputs: Record<string, unknown>) => ({
      urn: "urn:pulumi:x::monitoring-stack::gcp:monitoring/slo:Slo::ledger-sli",
      type: "gcp:monitoring/slo:Slo",
      name: "ledger-sli",
      inputs: { goal: 0.999, userLabels: { service: "ledger", slo: "sli" }, ...inputs },
    });
    const base = { stack: "x", resources: [resource({ rollingPeriodDays: 30 })], violations: [] };
    const head = { stack: "x", resources: [resource({ calendarPeriod: "MONTH" })], violations: [] };
    const text = renderDiff(base as never, head as never);
    expect(text).toContain("99.9 % over 30 d (budget 43.2 min)");
    expect(text).toContain("99.9 % per calendar month (budget 43.2 min)");
    expect(text).not.toContain("undefined");
  });
});
