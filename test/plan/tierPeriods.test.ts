/**
 * A stack whose burn-rate tiers are written for a stated SLO window plans
 * them as written for SLOs of that window, scales them for the others, and
 * the summary says which: the reviewer sees where each SLO's windows come from.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURE_SERVICES, FIXTURE_STACK, plan } from "./helpers";

const TIERS_28D = `  monitoring-stack:burnRateTiers:
    28d:
      - { name: page-quick, severity: page, budgetPercent: 2, longWindow: 1h, shortWindow: 5m }
      - { name: page-slow, severity: page, budgetPercent: 5, longWindow: 6h, shortWindow: 30m }
      - { name: ticket-quick, severity: ticket, budgetPercent: 10, longWindow: 1d, shortWindow: 2h }
`;

describe("burn-rate tiers defined for a stated SLO window, planned", () => {
  it("a 28-day SLO alerts on the 28d windows as written, a 30-day one on them scaled, and the summary says so", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tier-periods-"));
    const configFile = path.join(dir, "Pulumi.test.yaml");
    writeFileSync(configFile, `${readFileSync(FIXTURE_STACK, "utf8").trimEnd()}\n${TIERS_28D}`);
    const outcome = await plan({ stack: "test", configFile, servicesDir: FIXTURE_SERVICES });
    const web = outcome.program.services.find((s) => s.name === "web")!;
    const tiers = (name: string) => web.slos.find((s) => s.name === name)!.tiers.map((t) => [t.name, t.longWindowMs / 60_000, t.shortWindowMs / 60_000, t.burnRate]);
    expect(tiers("lb")).toEqual([
      ["page-quick", 60, 5, 13.44],
      ["page-slow", 360, 30, 5.6],
      ["ticket-quick", 1440, 120, 2.8],
    ]);
    // 30 d: each window × 30/28, whole minutes; the burn rate follows the rounded window.
    expect(tiers("prom")).toEqual([
      ["page-quick", 64, 5, 13.5],
      ["page-slow", 386, 32, 5.595855],
      ["ticket-quick", 1543, 129, 2.799741],
    ]);
    const section = outcome.summary.slice(outcome.summary.indexOf("## web"));
    expect(section).toContain("#### lb: burn-rate alerts");
    const lb = section.slice(section.indexOf("#### lb:"), section.indexOf("#### prom:"));
    expect(lb).toContain("- Tier windows as monitoring-stack:burnRateTiers defines them for 28 d.");
    const prom = section.slice(section.indexOf("#### prom:"));
    expect(prom).toContain("- Tier windows scaled from those monitoring-stack:burnRateTiers defines for 28 d to this 30-day window (none are defined for it).");
  }, 120_000);
});
