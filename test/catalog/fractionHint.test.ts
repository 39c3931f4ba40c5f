/**
 * An objective written as a fraction (0.999) is refused with the percentage
 * it most likely means, on every tier and backend; before, a low-tier
 * Prometheus SLO took it (a budget of 99.9 % errors that never fires).
 */
import { describe, expect, it } from "vitest";
import { validateService } from "../../catalog/validate";
import type { ServiceSpec } from "../../contract/serviceSchema";
import { formatProblem } from "../../contract/problems";
import { lowestFiringObjective, objectiveAsPercent } from "../../model/sloMath";
import { settingsFrom } from "../support/declarations";

const spec = (tier: "low" | "critical", indicator: ServiceSpec["slos"] extends (infer S)[] | undefined ? S extends { indicator: infer I } ? I : never : never): ServiceSpec => ({
  apiVersion: "monitoring-stack/v1",
  name: "shop",
  team: "web",
  tier,
  runtime: { cloudRun: { service: "shop", region: "europe-west1" } },
  slos: [{ name: "availability", objective: 0.999, indicator }],
});

describe("an objective written as a fraction", () => {
  it.each([
    ["low", { prometheus: { total: 'http_requests_total{job="shop"}', bad: 'http_requests_total{job="shop",code=~"5.."}' } }],
    ["critical", { prometheus: { total: 'http_requests_total{job="shop"}', bad: 'http_requests_total{job="shop",code=~"5.."}' } }],
    ["critical", { availability: {} }],
  ] as const)("on a %s-tier service is refused with the percentage it means (%j)", (tier, indicator) => {
    const problems = validateService(spec(tier, indicator as never), "shop.yaml", settingsFrom()).map(formatProblem);
    expect(problems).toEqual([
      "shop.yaml: slos[0].objective: invalid value (got 0.999, expected a percentage: did you mean 99.9 (percent)? Objectives are percentages; 0.999 would allow 99.001 % errors)",
    ]);
  });

  it("the SLO maths answers which objectives are fractions and the lowest objective a tier can fire at", () => {
    expect([objectiveAsPercent(0.999), objectiveAsPercent(0.5), objectiveAsPercent(1), objectiveAsPercent(99.9)]).toEqual([99.9, 50, undefined, undefined]);
    expect([lowestFiringObjective(14.4), lowestFiringObjective(1), lowestFiringObjective(6)]).toEqual([93.0556, 0, 83.3333]);
  });
});
