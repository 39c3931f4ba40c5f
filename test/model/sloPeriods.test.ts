/**
 * Calendar periods and timeslices budgeting in the model: the nominal days a
 * calendar SLO's budget and tiers are computed for, the slice as the SLI
 * window, Prometheus' sliding-slice onset in the detection times, and the
 * words every backend reads.
 */
import { describe, expect, it } from "vitest";
import { serviceSchema } from "../../contract/serviceSchema";
import { DAY_MS, MINUTE_MS } from "../../contract/duration";
import { budgetText, objectiveText, singleWindowWarning, tierMeaning, windowText } from "../../model/explain";
import { serviceModel, sliceOnsetMs } from "../../model/service";
import { CALENDAR_PERIOD_DAYS, budgetMinutes, burnTiers, cloudMonitoringMechanics, detectionMinutes, prometheusMechanics, tierDefinitions } from "../../model/sloMath";
import { settingsFrom } from "../support/declarations";

const settings = settingsFrom();

function model(slos: Record<string, unknown>[]) {
  const spec = serviceSchema.parse({
    apiVersion: "monitoring-stack/v1",
    name: "ledger",
    team: "finance",
    tier: "critical",
    runtime: { cloudRun: { service: "ledger", region: "europe-west1" } },
    slos,
  });
  return serviceModel(spec, "services/ledger.yaml", settings);
}

describe("calendar periods", () => {
  const service = model([
    { name: "day", objective: 99, window: "calendar-day", indicator: { availability: {} } },
    { name: "week", objective: 99.9, window: "calendar-week", indicator: { availability: {} } },
    { name: "fortnight", objective: 99.9, window: "calendar-fortnight", indicator: { availability: {} } },
    { name: "month", objective: 99.9, window: "calendar-month", indicator: { availability: {} } },
    { name: "rolling", objective: 99.9, window: "30d", indicator: { availability: {} } },
  ]);
  const slo = (name: string) => service.slos.find((s) => s.name === name)!;

  it("compute the budget for the period's nominal length: day 1, week 7, fortnight 14, month 30 days", () => {
    expect(CALENDAR_PERIOD_DAYS).toEqual({ day: 1, week: 7, fortnight: 14, month: 30 });
    expect(service.slos.map((s) => [s.name, s.calendarPeriod, s.windowDays, s.budgetMinutes])).toEqual([
      ["day", "day", 1, 14.4],
      ["week", "week", 7, 10.08],
      ["fortnight", "fortnight", 14, 20.16],
      ["month", "month", 30, 43.2],
      ["rolling", undefined, 30, 43.2],
    ]);
    expect(budgetMinutes(99.9, 7 * DAY_MS)).toBe(slo("week").budgetMinutes);
  });

  it("alert with the tiers of a rolling window of that length: the burn rate is error rate ÷ (1 − goal), whatever the period", () => {
    expect(slo("month").tiers).toEqual(slo("rolling").tiers);
    const week = burnTiers(99.9, 7 * DAY_MS, tierDefinitions(undefined), { minShortWindowMs: 5 * MINUTE_MS, maxLongWindowMs: DAY_MS, backend: "Cloud Monitoring", mechanics: cloudMonitoringMechanics() });
    expect(slo("week").tiers).toEqual(week);
  });

  it("say the period in every text: objective, budget, tier meaning", () => {
    expect(windowText(slo("month"))).toBe("calendar month");
    expect(objectiveText(slo("month"))).toBe("99.9 % per calendar month");
    expect(objectiveText(slo("rolling"))).toBe("99.9 % over 30 d");
    expect(budgetText(slo("week"))).toBe("10.08 min of total outage per calendar week (counted for 7 d)");
    expect(tierMeaning(slo("month"), slo("month").tiers[0]!)).toMatch(/^2 % of the calendar-month \(nominal 30 d\) budget spent in 1h/);
    expect(tierMeaning(slo("rolling"), slo("rolling").tiers[0]!)).toMatch(/^2 % of the 30-day budget spent in 1h/);
  });
});

describe("timeslices budgeting", () => {
  const service = model([
    { name: "slices", objective: 99, budgeting: { method: "timeslices", slice: "5m", sliceTarget: 0.95 }, indicator: { availability: {} } },
    { name: "events", objective: 99, budgeting: { method: "occurrences" }, indicator: { availability: {} } },
    { name: "default", objective: 99, indicator: { availability: {} } },
    {
      name: "prom",
      objective: 99,
      budgeting: { method: "timeslices", slice: "10m", sliceTarget: 0.9 },
      indicator: { prometheus: { total: "http_requests_total", bad: 'http_requests_total{code=~"5.."}' } },
    },
  ]);
  const slo = (name: string) => service.slos.find((s) => s.name === name)!;

  it("default to occurrences; timeslices carry the slice and its target, and the slice is the SLI window", () => {
    expect(slo("default").budgeting).toEqual({ method: "occurrences" });
    expect(slo("events").budgeting).toEqual({ method: "occurrences" });
    expect(slo("slices").budgeting).toEqual({ method: "timeslices", sliceMs: 5 * MINUTE_MS, sliceTarget: 0.95 });
    expect(slo("slices").sliWindowMs).toBe(5 * MINUTE_MS);
    expect(slo("default").sliWindowMs).toBeUndefined();
  });

  it("never alert on a window shorter than a slice, and count whole slices on Cloud Monitoring", () => {
    for (const tier of slo("prom").tiers) expect(tier.shortWindowMs).toBeGreaterThanOrEqual(10 * MINUTE_MS);
    const fast = slo("slices").tiers.find((t) => t.name === "page-fast")!;
    // The formula, then the first whole 5m slice after it (Cloud Monitoring counts a slice once it is over).
    const floor = detectionMinutes(99, fast.burnRate, fast.longWindowMs);
    expect(fast.detectionMinutesAtTotalOutage).toBe((Math.floor(floor / 5) + 1) * 5);
  });

  it("on Prometheus, add the time a total outage takes to turn the sliding slice bad: (1 − sliceTarget) × slice", () => {
    expect(sliceOnsetMs(slo("prom").budgeting)).toBe(60_000);
    expect(sliceOnsetMs(slo("events").budgeting)).toBe(0);
    expect(prometheusMechanics(30_000, 60_000)).toMatchObject({ onsetMs: 60_000 });
    const fast = slo("prom").tiers.find((t) => t.name === "page-fast")!;
    const floor = detectionMinutes(99, fast.burnRate, fast.longWindowMs);
    expect(fast.detectionMinutesAtTotalOutage).toBe((Math.floor((floor + 1) / 0.5) + 1) * 0.5);
  });

  it("say the slices in the texts, the budget in bad slices, and a single bad slice that pages", () => {
    expect(objectiveText(slo("slices"))).toBe("99 % of 5m slices, each good at ≥ 95 % good events, over 30 d");
    expect(budgetText(slo("slices"))).toBe("432 min of total outage per 30 d (86.4 bad 5m slices)");
    expect(singleWindowWarning(slo("slices"))).toBeUndefined();
    const tight = model([{ name: "tight", objective: 99.9, window: "calendar-week", budgeting: { method: "timeslices", slice: "5m", sliceTarget: 0.95 }, indicator: { availability: {} } }]).slos[0]!;
    expect(singleWindowWarning(tight)).toBe("one bad 5m slice spends 49.6 % of the budget, so a single bad slice fires page-fast, page-slow, ticket-fast, ticket");
  });
});
