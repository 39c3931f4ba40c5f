/**
 * Tier definitions for a stated SLO window (`monitoring-stack:burnRateTiers`
 * keyed by window): used as written for SLOs of that window, scaled from the
 * nearest stated window for the others; definitions without a window are for
 * 30 days, as before.
 */
import { describe, expect, it } from "vitest";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../../contract/duration";
import type { BurnTierDefinition } from "../../contract/stackConfig";
import { tierOriginText } from "../../model/explain";
import { burnTiers, DEFAULT_BURN_TIERS, definitionsForWindow, prometheusMechanics } from "../../model/sloMath";

const UNLIMITED = { minShortWindowMs: MINUTE_MS, backend: "none", mechanics: prometheusMechanics(30_000) };

/** Sloth's google-28d.yaml windows, as the import writes them for 28 d. */
const SLOTH_28D: BurnTierDefinition[] = [
  { name: "page-quick", severity: "page", budgetPercent: 2, longWindowMs: HOUR_MS, shortWindowMs: 5 * MINUTE_MS, periodMs: 28 * DAY_MS },
  { name: "page-slow", severity: "page", budgetPercent: 5, longWindowMs: 6 * HOUR_MS, shortWindowMs: 30 * MINUTE_MS, periodMs: 28 * DAY_MS },
  { name: "ticket-quick", severity: "ticket", budgetPercent: 10, longWindowMs: DAY_MS, shortWindowMs: 2 * HOUR_MS, periodMs: 28 * DAY_MS },
];
const SEVEN_DAYS: BurnTierDefinition[] = [{ name: "week-page", severity: "page", budgetPercent: 8, longWindowMs: HOUR_MS, shortWindowMs: 5 * MINUTE_MS, periodMs: 7 * DAY_MS }];

describe("tier definitions for a stated SLO window", () => {
  it("uses windows defined for the SLO's own window as written: Sloth's 28d windows stay 1h, 6h and 1d on a 28-day SLO", () => {
    const tiers = burnTiers(99.9, 28 * DAY_MS, SLOTH_28D, UNLIMITED);
    expect(tiers.map((t) => [t.name, t.longWindowMs / MINUTE_MS, t.shortWindowMs / MINUTE_MS, t.burnRate])).toEqual([
      ["page-quick", 60, 5, 13.44], // Sloth's factor: 2 % × 28 d × 24 h ÷ 1 h
      ["page-slow", 360, 30, 5.6],
      ["ticket-quick", 1440, 120, 2.8],
    ]);
    expect(tiers.every((t) => t.adjustments.length === 0)).toBe(true);
    // The same tiers defined for 30 d would have been scaled: 56 min, not 1 h.
    expect(burnTiers(99.9, 28 * DAY_MS, SLOTH_28D.map(({ periodMs: _, ...t }) => t), UNLIMITED)[0]!.longWindowMs).toBe(56 * MINUTE_MS);
  });

  it("picks the definitions of the SLO's window among several, else scales those of the nearest window (the longer on a tie)", () => {
    const both = [...SEVEN_DAYS, ...SLOTH_28D];
    expect(definitionsForWindow(both, 7 * DAY_MS)).toEqual({ periodMs: 7 * DAY_MS, definitions: SEVEN_DAYS });
    expect(definitionsForWindow(both, 28 * DAY_MS).definitions).toEqual(SLOTH_28D);
    expect(definitionsForWindow(both, 30 * DAY_MS).periodMs).toBe(28 * DAY_MS);
    expect(definitionsForWindow(both, 14 * DAY_MS).periodMs).toBe(7 * DAY_MS);
    expect(definitionsForWindow(both, 17 * DAY_MS + DAY_MS / 2).periodMs).toBe(28 * DAY_MS); // 10.5 d from either: the longer
    // A 14-day SLO scales the 7-day windows by 2 and keeps their burn rate.
    const [week] = burnTiers(99.9, 14 * DAY_MS, both, UNLIMITED);
    expect([week!.name, week!.longWindowMs, week!.burnRate]).toEqual(["week-page", 2 * HOUR_MS, 13.44]);
    // Definitions without a window are for 30 days: mixed with stated ones, they are the 30 d set.
    expect(definitionsForWindow([...SEVEN_DAYS, ...DEFAULT_BURN_TIERS], 30 * DAY_MS).definitions).toEqual(DEFAULT_BURN_TIERS);
  });

  it("leaves the defaults and plain lists exactly as before", () => {
    for (const days of [1, 7, 28, 30]) {
      expect(definitionsForWindow(DEFAULT_BURN_TIERS, days * DAY_MS)).toEqual({ periodMs: 30 * DAY_MS, definitions: DEFAULT_BURN_TIERS });
      expect(tierOriginText(DEFAULT_BURN_TIERS, days * DAY_MS)).toBeUndefined();
    }
  });

  it("says in the summary where the windows come from when the tiers state a window", () => {
    expect(tierOriginText(SLOTH_28D, 28 * DAY_MS)).toBe("Tier windows as monitoring-stack:burnRateTiers defines them for 28 d");
    expect(tierOriginText(SLOTH_28D, 7 * DAY_MS)).toBe("Tier windows scaled from those monitoring-stack:burnRateTiers defines for 28 d to this 7-day window (none are defined for it)");
  });
});
