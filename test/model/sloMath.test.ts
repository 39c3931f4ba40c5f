import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  CLOUD_MONITORING_MAX_LOOKBACK_MS,
  DEFAULT_BURN_TIERS,
  MIN_SHORT_WINDOW_MS,
  absentForMs,
  budgetMinutes,
  burnRateThreshold,
  burnTiers,
  cloudMonitoringMechanics,
  detectionMinutes,
  earliestDetectionMinutes,
  errorBudget,
  prometheusMechanics,
  scaleWindow,
  splitOmitted,
} from "../../model/sloMath";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../../contract/duration";

const THIRTY_DAYS = 30 * DAY_MS;
/** Pure scaling, no backend limits: the Workbook's arithmetic on its own. */
const UNLIMITED = { minShortWindowMs: MINUTE_MS, backend: "none", mechanics: prometheusMechanics(30_000) };

describe("SLO maths against the SRE Workbook (chapter 5, alerting on SLOs)", () => {
  it("gives the error budget and budget minutes", () => {
    expect(errorBudget(99.9)).toBe(0.001);
    expect(budgetMinutes(99.9, THIRTY_DAYS)).toBe(43.2);
    expect(budgetMinutes(99.95, 7 * DAY_MS)).toBe(5.04);
    expect(budgetMinutes(99, 28 * DAY_MS)).toBe(403.2);
  });

  it("derives burn rates 14.4, 6, 3 and 1 for a 30-day window", () => {
    const tiers = burnTiers(99.9, THIRTY_DAYS, DEFAULT_BURN_TIERS);
    expect(tiers.map((t) => [t.name, t.severity, t.burnRate, t.longWindowMs, t.shortWindowMs])).toEqual([
      ["page-fast", "page", 14.4, HOUR_MS, 5 * MINUTE_MS],
      ["page-slow", "page", 6, 6 * HOUR_MS, 30 * MINUTE_MS],
      ["ticket-fast", "ticket", 3, 12 * HOUR_MS, HOUR_MS],
      ["ticket", "ticket", 1, 3 * DAY_MS, 6 * HOUR_MS],
    ]);
  });

  it("detects a total outage on 99.9 % in 0.86 minutes on the fast page tier, at best", () => {
    const tiers = burnTiers(99.9, THIRTY_DAYS, DEFAULT_BURN_TIERS, UNLIMITED);
    expect(tiers.map((t) => t.floorMinutesAtTotalOutage)).toEqual([0.864, 2.16, 2.16, 4.32]);
  });

  it("adds what the backend's mechanics cost: the first data point past the floor, the evaluation that sees it, the hold", () => {
    // Prometheus at 30 s: the evaluation after the floor.
    const prometheus = burnTiers(99.9, THIRTY_DAYS, DEFAULT_BURN_TIERS, UNLIMITED);
    expect(prometheus.map((t) => t.detectionMinutesAtTotalOutage)).toEqual([1, 2.5, 2.5, 4.5]);
    // 99.5 % over 28 d: the 2 %-in-1 h floor is 4.03 min, so 4.5 min at 30 s and 5 min on per-minute data.
    const fast28 = burnTiers(99.5, 28 * DAY_MS, DEFAULT_BURN_TIERS, UNLIMITED)[0]!;
    expect(fast28.floorMinutesAtTotalOutage).toBeCloseTo(4.032, 6);
    expect(fast28.detectionMinutesAtTotalOutage).toBe(4.5);
    expect(earliestDetectionMinutes(99.5, fast28, cloudMonitoringMechanics())).toBe(5);
    // An uptime SLO checked every 5 minutes: a check window counts once it is over, whatever the floor.
    expect(earliestDetectionMinutes(99.5, fast28, cloudMonitoringMechanics(5 * MINUTE_MS))).toBe(5);
    expect(earliestDetectionMinutes(99.9, prometheus[0]!, cloudMonitoringMechanics(5 * MINUTE_MS))).toBe(5);
    // Exactly at the threshold the ratio only equals it: the next data point fires.
    expect(earliestDetectionMinutes(99, { burnRate: 10, longWindowMs: HOUR_MS }, cloudMonitoringMechanics())).toBe(7);
    // A condition that must hold adds its duration; a slower evaluation rounds up to its own grid.
    expect(earliestDetectionMinutes(99, { burnRate: 10, longWindowMs: HOUR_MS }, { sampleIntervalMs: MINUTE_MS, evaluationIntervalMs: 5 * MINUTE_MS, holdMs: 2 * MINUTE_MS })).toBe(12);
    // At a 10 % error ratio, ten times the floor.
    expect(earliestDetectionMinutes(99.5, fast28, prometheusMechanics(30_000), 0.1)).toBe(40.5);
  });

  it("matches the Workbook's detection time at the threshold error rate: the long window", () => {
    // At an error ratio equal to burn × budget the alert fires exactly when the long window is full.
    const tier = burnTiers(99.9, THIRTY_DAYS, DEFAULT_BURN_TIERS)[0]!;
    expect(detectionMinutes(99.9, tier.burnRate, tier.longWindowMs, tier.errorRatioThreshold)).toBeCloseTo(60, 6);
    expect(tier.errorRatioThreshold).toBeCloseTo(0.0144, 9);
  });

  it("says how long the budget lasts at each threshold", () => {
    const hours = burnTiers(99.9, THIRTY_DAYS, DEFAULT_BURN_TIERS).map((t) => t.hoursToExhaustion);
    expect(hours).toEqual([50, 120, 240, 720]);
  });

  it("scales windows to shorter SLO windows and keeps the burn rates", () => {
    const tiers = burnTiers(99.9, 7 * DAY_MS, DEFAULT_BURN_TIERS, UNLIMITED);
    expect(tiers.map((t) => t.longWindowMs / MINUTE_MS)).toEqual([14, 84, 168, 1008]);
    expect(tiers.map((t) => t.shortWindowMs / MINUTE_MS)).toEqual([1, 7, 14, 84]);
    expect(tiers.map((t) => t.burnRate)).toEqual([14.4, 6, 3, 1]);
    expect(tiers.flatMap((t) => t.adjustments)).toEqual([]);
  });

  it("rounds scaled windows to whole minutes, at least one, and derives the threshold from the rounded window", () => {
    expect(scaleWindow(5 * MINUTE_MS, DAY_MS)).toBe(MINUTE_MS);
    expect(scaleWindow(HOUR_MS, DAY_MS)).toBe(2 * MINUTE_MS);
    const [fast] = burnTiers(99.9, DAY_MS, DEFAULT_BURN_TIERS, UNLIMITED);
    expect(fast!.burnRate).toBe(burnRateThreshold(2, DAY_MS, 2 * MINUTE_MS));
    expect(fast!.burnRate).toBeCloseTo(14.4, 6);
  });

  it("never looks back less than 5 minutes: the short window grows, and a tier whose long window would not be longer is left out", () => {
    const week = burnTiers(99.9, 7 * DAY_MS, DEFAULT_BURN_TIERS);
    expect(week.map((t) => [t.longWindowMs / MINUTE_MS, t.shortWindowMs / MINUTE_MS, t.burnRate])).toEqual([
      [14, 5, 14.4],
      [84, 7, 6],
      [168, 14, 3],
      [1008, 84, 1],
    ]);
    expect(week[0]!.adjustments).toEqual(["short window 1m lengthened to 5m, the shortest that holds enough data"]);
    // A one-day SLO: page-fast's hour scales to 2 minutes, shorter than the 5-minute short window. A 5m / 5m pair
    // would AND two identical conditions (the long window would hold back nothing), so the tier is left out, with the reason.
    const day = burnTiers(99.9, DAY_MS, DEFAULT_BURN_TIERS);
    expect(day.map((t) => [t.name, t.longWindowMs / MINUTE_MS, t.shortWindowMs / MINUTE_MS, t.burnRate, t.omitted !== undefined])).toEqual([
      ["page-fast", 2, 5, 14.4, true],
      ["page-slow", 12, 5, 6, false],
      ["ticket-fast", 24, 5, 3, false],
      ["ticket", 144, 12, 1, false],
    ]);
    expect(day[0]!.omitted).toBe(
      "its long window 2m (1h scaled to the 1d SLO window) is no longer than its short window 5m, the shortest any backend can use here, so both windows would read the same errors and the long one would not hold back a short blip",
    );
    expect(splitOmitted(day).created.map((t) => t.name)).toEqual(["page-slow", "ticket-fast", "ticket"]);
    expect(splitOmitted(day).omitted).toEqual([{ name: "page-fast", severity: "page", reason: day[0]!.omitted }]);
  });

  it("fits long windows into Cloud Monitoring's 24 h lookback and keeps each tier's budget share", () => {
    const limits = { minShortWindowMs: MIN_SHORT_WINDOW_MS, maxLongWindowMs: CLOUD_MONITORING_MAX_LOOKBACK_MS, backend: "Cloud Monitoring", mechanics: cloudMonitoringMechanics() };
    const [, , ticketFast, ticket] = burnTiers(99.9, THIRTY_DAYS, DEFAULT_BURN_TIERS, limits);
    // 12 h fits: the tier is as defined, valid for select_slo_burn_rate.
    expect([ticketFast!.longWindowMs, ticketFast!.shortWindowMs, ticketFast!.burnRate, ticketFast!.adjustments]).toEqual([12 * HOUR_MS, HOUR_MS, 3, []]);
    expect([ticket!.longWindowMs, ticket!.shortWindowMs, ticket!.burnRate]).toEqual([DAY_MS, 2 * HOUR_MS, 3]);
    expect(ticket!.adjustments).toEqual([
      "long window 3d shortened to 1d, the longest lookback Cloud Monitoring evaluates",
      "burn-rate threshold 3 instead of 1, so the tier still fires at 10 % of the budget",
    ]);
    // Detection of a total outage depends only on the budget share: 10 % of 43.2 min.
    expect(ticket!.floorMinutesAtTotalOutage).toBeCloseTo(4.32, 6);
    expect(ticket!.detectionMinutesAtTotalOutage).toBe(5);
    const [, , , ticket28] = burnTiers(99.9, 28 * DAY_MS, DEFAULT_BURN_TIERS, limits);
    expect([ticket28!.longWindowMs, ticket28!.shortWindowMs, ticket28!.burnRate]).toEqual([DAY_MS, 2 * HOUR_MS, 2.8]);
  });

  it("flags a tier that can never fire: burn × budget ≥ 1", () => {
    const tiers = burnTiers(90, THIRTY_DAYS, DEFAULT_BURN_TIERS);
    expect(tiers.map((t) => t.canFire)).toEqual([false, true, true, true]);
    expect(burnTiers(93, THIRTY_DAYS, DEFAULT_BURN_TIERS)[0]!.canFire).toBe(false); // 14.4 × 0.07 = 1.008
    expect(burnTiers(93.1, THIRTY_DAYS, DEFAULT_BURN_TIERS)[0]!.canFire).toBe(true);
  });

  it("holds its invariants for any objective, window and limits (property)", () => {
    const limits = fc.record({
      minShortWindowMs: fc.constantFrom(MINUTE_MS, MIN_SHORT_WINDOW_MS, 10 * MINUTE_MS, 15 * MINUTE_MS),
      maxLongWindowMs: fc.option(fc.constant(CLOUD_MONITORING_MAX_LOOKBACK_MS), { nil: undefined }),
      backend: fc.constant("test"),
      mechanics: fc.record({
        sampleIntervalMs: fc.constantFrom(15_000, 30_000, MINUTE_MS, 5 * MINUTE_MS),
        evaluationIntervalMs: fc.constantFrom(15_000, 30_000, MINUTE_MS),
        holdMs: fc.constantFrom(0, 2 * MINUTE_MS),
      }),
    });
    fc.assert(
      fc.property(fc.double({ min: 50, max: 99.99, noNaN: true }), fc.integer({ min: 1, max: 30 }), limits, (objective, days, limit) => {
        const windowMs = days * DAY_MS;
        for (const tier of burnTiers(objective, windowMs, DEFAULT_BURN_TIERS, limit)) {
          expect(tier.shortWindowMs).toBeGreaterThanOrEqual(limit.minShortWindowMs);
          if (limit.maxLongWindowMs !== undefined) expect(tier.longWindowMs).toBeLessThanOrEqual(limit.maxLongWindowMs);
          // Spending the tier's budget share over the long window is exactly the threshold.
          expect((tier.burnRate * tier.longWindowMs) / windowMs).toBeCloseTo(tier.budgetPercent / 100, 5);
          // A created tier's long window is longer than its short one; a tier whose is not is left out, saying why.
          expect(tier.omitted === undefined).toBe(tier.shortWindowMs < tier.longWindowMs);
          expect(tier.longWindowMs % MINUTE_MS).toBe(0);
          expect(tier.canFire).toBe(tier.burnRate * errorBudget(objective) < 1);
          if (tier.canFire) expect(tier.floorMinutesAtTotalOutage).toBeLessThanOrEqual(tier.longWindowMs / MINUTE_MS);
          // Never faster than the formula; never slower than one data point, one evaluation and the hold after it.
          const { sampleIntervalMs, evaluationIntervalMs, holdMs } = limit.mechanics;
          expect(tier.detectionMinutesAtTotalOutage).toBeGreaterThan(tier.floorMinutesAtTotalOutage);
          expect(tier.detectionMinutesAtTotalOutage).toBeLessThanOrEqual(tier.floorMinutesAtTotalOutage + (sampleIntervalMs + evaluationIntervalMs + holdMs) / MINUTE_MS + 1e-9);
        }
      }),
    );
  });
});

describe("Synthetic Monitoring mechanics", () => {
  it("rounds Grafana's evaluation up to whole 10 s, at least 10 s", async () => {
    const { grafanaEvaluationIntervalMs } = await import("../../model/sloMath");
    expect([5_000, 10_000, 30_000, 45_000, 60_000].map(grafanaEvaluationIntervalMs)).toEqual([10_000, 10_000, 30_000, 50_000, 60_000]);
  });

  it("holds 2.5 check frequencies in every window, in whole minutes, never under 5 min", async () => {
    const { syntheticMinWindowMs } = await import("../../model/sloMath");
    expect([60_000, 120_000, 300_000, 600_000, 900_000].map((ms) => syntheticMinWindowMs(ms) / MINUTE_MS)).toEqual([5, 5, 13, 25, 38]);
  });

  it("detects a total outage no sooner than the first execution after it starts: later with a slower check", async () => {
    const { earliestDetectionMinutes, syntheticMonitoringMechanics } = await import("../../model/sloMath");
    const tier = { burnRate: 14.4, longWindowMs: HOUR_MS };
    const minutes = [60_000, 300_000, 600_000, 900_000].map((frequency) => earliestDetectionMinutes(99.9, tier, syntheticMonitoringMechanics(frequency, 30_000)));
    expect(minutes).toEqual([1, 5, 10, 15]);
  });
});

describe("how long missing SLI series are tolerated", () => {
  const at = (objective: number, days: number) => burnTiers(objective, days * DAY_MS, DEFAULT_BURN_TIERS, { minShortWindowMs: MIN_SHORT_WINDOW_MS, backend: "Prometheus", mechanics: prometheusMechanics(30_000) });

  it("is as long as a total outage takes to reach the fastest tier, in whole minutes", () => {
    // 99.5 % over 28 d: page-fast (2 % in 1 h) fires after 4.03 min of total outage.
    expect(absentForMs(at(99.5, 28))).toBe(5 * MINUTE_MS);
    // 99 % over 30 d: 8.64 min.
    expect(absentForMs(at(99, 30))).toBe(9 * MINUTE_MS);
  });

  it("stays between 1 and 10 minutes, and is 10 minutes with no tier", () => {
    expect(absentForMs(at(99.99, 30))).toBe(MINUTE_MS);
    expect(absentForMs(at(90, 30))).toBe(10 * MINUTE_MS);
    expect(absentForMs([])).toBe(10 * MINUTE_MS);
  });

  it("is never longer than the fastest tier's time to fire on a total outage, rounded up to the minute", () => {
    fc.assert(
      fc.property(fc.constantFrom(99, 99.5, 99.9, 99.95), fc.constantFrom(7, 28, 30), (objective, days) => {
        const tiers = at(objective, days);
        const fastest = Math.min(...tiers.map((t) => t.floorMinutesAtTotalOutage));
        const hold = absentForMs(tiers) / MINUTE_MS;
        return hold >= 1 && hold <= 10 && (hold === 1 || hold === 10 || (hold >= fastest && hold < fastest + 1));
      }),
    );
  });
});
