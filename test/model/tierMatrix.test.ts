/**
 * The tiers over the whole matrix the alert-quality suite measures (99, 99.5,
 * 99.9, 99.95 % × 7, 28, 30 d): Cloud Monitoring's detection times, which no
 * trace can check here, against a minute-by-minute replay of its mechanics;
 * and tiers that fitting makes redundant, left out with the tier that covers them.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_BURN_TIERS, burnTiers, errorBudget, redundantTiers, type BurnTier } from "../../model/sloMath";
import { serviceModel, windowLimits } from "../../model/service";
import { serviceSchema, type SloSpec } from "../../contract/serviceSchema";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../../contract/duration";

const OBJECTIVES = [99, 99.5, 99.9, 99.95];
const WINDOWS = [7, 28, 30];
const MATRIX = OBJECTIVES.flatMap((objective) => WINDOWS.map((windowDays) => ({ objective, windowDays })));

const spec = (indicator: SloSpec["indicator"], objective: number, windowDays: number, endpoints: unknown[] = []) =>
  serviceSchema.parse({
    apiVersion: "monitoring-stack/v1",
    name: "api",
    team: "shop",
    tier: "critical",
    runtime: endpoints.length ? { external: {} } : { cloudRun: { service: "api", region: "europe-west1" } },
    endpoints,
    slos: [{ name: "sli", objective, window: `${windowDays}d`, indicator }],
  });

const model = (s: ReturnType<typeof spec>) => serviceModel(s, "api.yaml", { burnTiers: undefined, routes: { page: [], ticket: [], info: [] }, project: "p" }).slos[0]!;

/**
 * Minute-by-minute replay of a total outage on Cloud Monitoring, independent
 * of the model's formula: a data point every `sampleMinutes` (each counting
 * the minutes of the window it closes), evaluated every minute; the tier fires
 * at the first evaluation where both windows hold a bad share above the threshold.
 */
function replayMinutes(objective: number, tier: BurnTier, sampleMinutes: number): number {
  const threshold = tier.burnRate * errorBudget(objective);
  const long = tier.longWindowMs / MINUTE_MS;
  const short = tier.shortWindowMs / MINUTE_MS;
  for (let minute = 1; minute <= long; minute++) {
    // Bad minutes counted so far: whole sample windows that have closed.
    const seen = Math.floor(minute / sampleMinutes) * sampleMinutes;
    if (seen / long > threshold && Math.min(seen, short) / short > threshold) return minute;
  }
  return Infinity;
}

describe("Cloud Monitoring detection times over the measured matrix", () => {
  for (const { objective, windowDays } of MATRIX) {
    it(`${objective} % over ${windowDays} d: never sooner than the data and the evaluations allow`, () => {
      const request = model(spec({ availability: {} }, objective, windowDays));
      const uptime = model(spec({ uptime: { endpoint: "health" } }, objective, windowDays, [{ name: "health", url: "https://api.example.com/health", period: "300s" }]));
      for (const [slo, sampleMinutes] of [
        [request, 1],
        [uptime, 5],
      ] as const) {
        expect(slo.evaluator).toBe("cloudMonitoring");
        expect(slo.tiers.length).toBeGreaterThan(0);
        for (const tier of slo.tiers) {
          const at = `${tier.name} (${sampleMinutes}-minute data)`;
          // Strictly after the floor, on the 1-minute alignment grid, no sooner than one data point.
          expect(tier.detectionMinutesAtTotalOutage, at).toBeGreaterThan(tier.floorMinutesAtTotalOutage);
          expect(Number.isInteger(tier.detectionMinutesAtTotalOutage), at).toBe(true);
          expect(tier.detectionMinutesAtTotalOutage, at).toBeGreaterThanOrEqual(sampleMinutes);
          // And exactly what the replay of the mechanics gives.
          expect(tier.detectionMinutesAtTotalOutage, at).toBe(replayMinutes(objective, tier, sampleMinutes));
          // Lookbacks Cloud Monitoring accepts: whole minutes, at most 24 h.
          expect(tier.longWindowMs, at).toBeLessThanOrEqual(DAY_MS);
          expect(tier.shortWindowMs % MINUTE_MS, at).toBe(0);
        }
      }
    });
  }
});

describe("tiers that fitting makes redundant", () => {
  it("on Cloud Monitoring at 30 d the ticket tier fitted to 1 d has ticket-fast's burn rate over a longer window: not created, covered by ticket-fast", () => {
    const slo = model(spec({ availability: {} }, 99.9, 30));
    expect(slo.tiers.map((t) => t.name)).toEqual(["page-fast", "page-slow", "ticket-fast"]);
    expect(slo.coveredTiers.map(({ name, coveredBy }) => [name, coveredBy])).toEqual([["ticket", "ticket-fast"]]);
    expect(slo.coveredTiers[0]!.reason).toBe(
      "burn rate 3 over 1d / 2h after fitting; ticket-fast has the same burn rate over 12h / 1h, so it alerts on every burn this tier would, as soon or sooner",
    );
  });

  it("everywhere else in the matrix every tier is created: at 28 d the fitted ticket tier (2.8) still catches burns ticket-fast (3) does not", () => {
    for (const { objective, windowDays } of MATRIX) {
      const cloud = model(spec({ availability: {} }, objective, windowDays));
      expect(cloud.coveredTiers.map((c) => c.name), `${objective}/${windowDays} Cloud Monitoring`).toEqual(windowDays === 30 ? ["ticket"] : []);
      // Prometheus keeps the 3-day tier (no lookback limit); at 7 d the scaled windows keep four distinct burn rates.
      const prometheus = model(spec({ prometheus: { total: 'http_requests_total{job="api"}', bad: 'http_requests_total{job="api",code=~"5.."}' } }, objective, windowDays));
      expect(prometheus.coveredTiers, `${objective}/${windowDays} Prometheus`).toEqual([]);
      expect(prometheus.tiers.map((t) => t.burnRate)).toEqual([14.4, 6, 3, 1]);
    }
    const fitted28 = model(spec({ availability: {} }, 99.5, 28)).tiers.find((t) => t.name === "ticket")!;
    expect([fitted28.burnRate, fitted28.longWindowMs]).toEqual([2.8, DAY_MS]);
  });

  it("covers by severity, burn rate and long window; of identical tiers the first stays; the cover named is one that stays", () => {
    const limits = windowLimits({ name: "s", objective: 99.9, indicator: { availability: {} } }, { tier: "standard" });
    const tiers = burnTiers(99.9, 30 * DAY_MS, [
      ...DEFAULT_BURN_TIERS,
      { name: "ticket-copy", severity: "ticket", budgetPercent: 5, longWindowMs: 12 * HOUR_MS, shortWindowMs: HOUR_MS },
      { name: "ticket-higher", severity: "ticket", budgetPercent: 10, longWindowMs: 18 * HOUR_MS, shortWindowMs: HOUR_MS },
      { name: "page-long", severity: "page", budgetPercent: 10, longWindowMs: 12 * HOUR_MS, shortWindowMs: HOUR_MS },
    ], limits);
    // ticket-higher: burn 4 over 18 h, covered by ticket-fast (burn 3 over 12 h); page-long: burn 6 over 12 h, covered by page-slow (6 over 6 h).
    expect(redundantTiers(tiers).map(({ name, coveredBy }) => [name, coveredBy])).toEqual([
      ["ticket", "ticket-fast"],
      ["ticket-copy", "ticket-fast"],
      ["ticket-higher", "ticket-fast"],
      ["page-long", "page-slow"],
    ]);
    // A lower burn rate over a longer window catches what the other misses: both stay.
    expect(redundantTiers(burnTiers(99.9, 30 * DAY_MS, DEFAULT_BURN_TIERS))).toEqual([]);
    expect(redundantTiers(tiers.filter((t) => t.severity === "page" && t.name !== "page-long"))).toEqual([]);
  });
});
