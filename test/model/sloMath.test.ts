import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  DEFAULT_BURN_TIERS,
  budgetMinutes,
  burnRateThreshold,
  burnTiers,
  detectionMinutes,
  errorBudget,
  scaleWindow,
} from "../../components/model/sloMath";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../../components/spec/duration";

const THIRTY_DAYS = 30 * DAY_MS;

describe("SLO maths against the SRE Workbook (chapter 5, alerting on SLOs)", () => {
  it("gives the error budget and budget minutes", () => {
    expect(errorBudget(99.9)).toBe(0.001);
    expect(budgetMinutes(99.9, THIRTY_DAYS)).toBe(43.2);
    expect(budgetMinutes(99.95, 7 * DAY_MS)).toBe(5.04);
    expect(budgetMinutes(99, 28 * DAY_MS)).toBe(403.2);
  });

  it("derives burn rates 14.4, 6 and 1 for a 30-day window", () => {
    const tiers = burnTiers(99.9, THIRTY_DAYS, DEFAULT_BURN_TIERS);
    expect(tiers.map((t) => [t.name, t.severity, t.burnRate, t.longWindowMs, t.shortWindowMs])).toEqual([
      ["page-fast", "page", 14.4, HOUR_MS, 5 * MINUTE_MS],
      ["page-slow", "page", 6, 6 * HOUR_MS, 30 * MINUTE_MS],
      ["ticket", "ticket", 1, 3 * DAY_MS, 6 * HOUR_MS],
    ]);
  });

  it("detects a total outage on 99.9 % in 0.86 minutes on the fast page tier", () => {
    const [fast, slow, ticket] = burnTiers(99.9, THIRTY_DAYS, DEFAULT_BURN_TIERS);
    expect(fast!.detectionMinutesAtTotalOutage).toBeCloseTo(0.864, 6);
    expect(slow!.detectionMinutesAtTotalOutage).toBeCloseTo(2.16, 6);
    expect(ticket!.detectionMinutesAtTotalOutage).toBeCloseTo(4.32, 6);
  });

  it("matches the Workbook's detection time at the threshold error rate: the long window", () => {
    // At an error ratio equal to burn × budget the alert fires exactly when the long window is full.
    const tier = burnTiers(99.9, THIRTY_DAYS, DEFAULT_BURN_TIERS)[0]!;
    expect(detectionMinutes(99.9, tier.burnRate, tier.longWindowMs, tier.errorRatioThreshold)).toBeCloseTo(60, 6);
    expect(tier.errorRatioThreshold).toBeCloseTo(0.0144, 9);
  });

  it("says how long the budget lasts at each threshold", () => {
    const hours = burnTiers(99.9, THIRTY_DAYS, DEFAULT_BURN_TIERS).map((t) => t.hoursToExhaustion);
    expect(hours).toEqual([50, 120, 720]);
  });

  it("scales windows to shorter SLO windows and keeps the burn rates", () => {
    const tiers = burnTiers(99.9, 7 * DAY_MS, DEFAULT_BURN_TIERS);
    expect(tiers.map((t) => t.longWindowMs / MINUTE_MS)).toEqual([14, 84, 1008]);
    expect(tiers.map((t) => t.shortWindowMs / MINUTE_MS)).toEqual([1, 7, 84]);
    expect(tiers.map((t) => t.burnRate)).toEqual([14.4, 6, 1]);
  });

  it("rounds scaled windows to whole minutes, at least one, and derives the threshold from the rounded window", () => {
    expect(scaleWindow(5 * MINUTE_MS, DAY_MS)).toBe(MINUTE_MS);
    expect(scaleWindow(HOUR_MS, DAY_MS)).toBe(2 * MINUTE_MS);
    const [fast] = burnTiers(99.9, DAY_MS, DEFAULT_BURN_TIERS);
    expect(fast!.burnRate).toBe(burnRateThreshold(2, DAY_MS, 2 * MINUTE_MS));
    expect(fast!.burnRate).toBeCloseTo(14.4, 6);
  });

  it("flags a tier that can never fire: burn × budget ≥ 1", () => {
    const tiers = burnTiers(90, THIRTY_DAYS, DEFAULT_BURN_TIERS);
    expect(tiers.map((t) => t.canFire)).toEqual([false, true, true]);
    expect(burnTiers(93, THIRTY_DAYS, DEFAULT_BURN_TIERS)[0]!.canFire).toBe(false); // 14.4 × 0.07 = 1.008
    expect(burnTiers(93.1, THIRTY_DAYS, DEFAULT_BURN_TIERS)[0]!.canFire).toBe(true);
  });

  it("holds its invariants for any objective and window (property)", () => {
    fc.assert(
      fc.property(fc.double({ min: 50, max: 99.99, noNaN: true }), fc.integer({ min: 1, max: 30 }), (objective, days) => {
        const windowMs = days * DAY_MS;
        for (const tier of burnTiers(objective, windowMs, DEFAULT_BURN_TIERS)) {
          // Spending the tier's budget share over the long window is exactly the threshold.
          expect((tier.burnRate * tier.longWindowMs) / windowMs).toBeCloseTo(tier.budgetPercent / 100, 5);
          expect(tier.shortWindowMs).toBeLessThanOrEqual(tier.longWindowMs);
          expect(tier.longWindowMs % MINUTE_MS).toBe(0);
          expect(tier.canFire).toBe(tier.burnRate * errorBudget(objective) < 1);
          if (tier.canFire) expect(tier.detectionMinutesAtTotalOutage).toBeLessThanOrEqual(tier.longWindowMs / MINUTE_MS);
        }
      }),
    );
  });
});
