/**
 * Short SLO windows (a calendar day, 1 d rolling) and slow checks: every tier
 * that is provisioned has a long window longer than its short one; a tier
 * fitting would leave with two equal windows is not created, and the summary
 * says which and why. Checked on the model, on the plan of the calendar-period
 * fixture (Cloud Monitoring policies, the summary) and on the Grafana fixture
 * (Grafana-managed rules).
 */
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { serviceSchema } from "../../contract/serviceSchema";
import { serviceModel } from "../../model/service";
import { settingsFrom } from "../support/declarations";
import { plan } from "./helpers";

const FIXTURES = path.join(__dirname, "..", "fixtures");

function slo(window: string, indicator: Record<string, unknown> = { availability: {} }, endpoint?: Record<string, unknown>) {
  const spec = serviceSchema.parse({
    apiVersion: "monitoring-stack/v1",
    name: "ledger",
    team: "finance",
    tier: "critical",
    runtime: { cloudRun: { service: "ledger", region: "europe-west1" } },
    ...(endpoint ? { endpoints: [endpoint] } : {}),
    slos: [{ name: "sli", objective: 99, window, indicator }],
  });
  return serviceModel(spec, "services/ledger.yaml", settingsFrom()).slos[0]!;
}

describe("short windows", () => {
  it("leaves out a tier whose long window would not be longer than its short one, and keeps the rest", () => {
    for (const window of ["calendar-day", "1d"]) {
      const day = slo(window);
      expect(day.tiers.map((t) => t.name)).toEqual(["page-slow", "ticket-fast", "ticket"]);
      expect(day.tiers.every((t) => t.longWindowMs > t.shortWindowMs)).toBe(true);
      expect(day.omittedTiers.map((t) => [t.name, t.severity])).toEqual([["page-fast", "page"]]);
    }
    // A week keeps all four: page-fast's hour scales to 14 minutes, longer than 5.
    expect(slo("calendar-week").omittedTiers).toEqual([]);
  });

  it("leaves out every page tier of a one-day uptime SLO checked every 15 minutes: no window under one check period", () => {
    const uptime = slo("1d", { uptime: { endpoint: "health" } }, { name: "health", url: "https://ledger.example.com/health", period: "900s" });
    expect(uptime.omittedTiers.map((t) => t.name)).toEqual(["page-fast", "page-slow"]);
    expect(uptime.tiers.map((t) => [t.name, t.longWindowMs / 60_000, t.shortWindowMs / 60_000])).toEqual([
      ["ticket-fast", 24, 15],
      ["ticket", 144, 15],
    ]);
  });

  it("plans no burn-rate policy with two equal lookbacks, and the summary names the tier it leaves out", async () => {
    const outcome = await plan({ stack: "periods", configFile: path.join(FIXTURES, "slo-periods", "Pulumi.periods.yaml"), servicesDir: path.join(FIXTURES, "slo-periods", "services") });
    const daily = outcome.plan.resources.filter((r) => r.type === "gcp:monitoring/alertPolicy:AlertPolicy" && (r.inputs["userLabels"] as Record<string, string> | undefined)?.["slo"] === "uptime-daily");
    expect(daily.map((r) => (r.inputs["userLabels"] as Record<string, string>)["burn-tier"]).sort()).toEqual(["page-slow", "ticket", "ticket-fast"]);
    for (const policy of daily) {
      const lookbacks = (policy.inputs["conditions"] as { conditionThreshold: { filter: string } }[]).map((c) => /"([0-9]+)s"\)$/.exec(c.conditionThreshold.filter)![1]);
      expect(new Set(lookbacks).size, policy.name).toBe(2);
    }
    expect(outcome.summary).toContain(
      "- page-fast: not created: its long window 2m (1h scaled to the 1d SLO window) is no longer than its short window 5m, the shortest Cloud Monitoring can use here, so both windows would read the same errors and the long one would not hold back a short blip.",
    );
    expect(outcome.summary).not.toMatch(/\| (\S+) \/ \1 \|/);
  });
});
