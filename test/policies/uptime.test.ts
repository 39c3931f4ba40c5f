import { describe, expect, it } from "vitest";
import { TYPE } from "../../policies/support";
import { checkCriticalChecked, checkUptimeCoverage } from "../../policies/uptime";
import { reports, resource } from "./helpers";

const check = (name: string, props: Record<string, unknown>, tier = "critical") =>
  resource(TYPE.uptimeCheck, name, { displayName: name, period: "60s", selectedRegions: ["USA", "EUROPE"], httpCheck: { useSsl: true }, userLabels: { service: "pay", tier }, ...props });

describe("uptime-coverage", () => {
  const config = { minLocations: 3 };
  it("passes https checks from enough locations (and checks with every region)", () => {
    const { messages, report } = reports();
    checkUptimeCoverage(check("a", {}), config, report);
    checkUptimeCoverage(check("b", { selectedRegions: [] }), config, report);
    checkUptimeCoverage(check("c", { httpCheck: { useSsl: false } }, "standard"), config, report);
    expect(messages).toEqual([]);
  });

  it("reports too few locations, and plain http on the critical tier", () => {
    const { messages, report } = reports();
    checkUptimeCoverage(check("a", { selectedRegions: ["EUROPE", "ASIA_PACIFIC"] }), config, report);
    checkUptimeCoverage(check("b", { httpCheck: { useSsl: false } }), config, report);
    expect(messages).toEqual([
      'service pay: uptime check "a" runs from 2 location(s) (EUROPE, ASIA_PACIFIC); expected at least 3.',
      'service pay: uptime check "b" is on the critical tier but checks over plain http; expected https.',
    ]);
  });
});

describe("critical-checked-every-minute", () => {
  const config = { maxPeriodSeconds: 60 };
  it("passes a critical service whose fastest check runs every minute, and slow checks on other tiers", () => {
    const { messages, report } = reports();
    checkCriticalChecked([check("a", {}), check("b", { period: "300s" }), check("c", { period: "900s" }, "low")], config, report);
    expect(messages).toEqual([]);
  });

  it("reports a critical service checked only every 15 minutes", () => {
    const { messages, report } = reports();
    checkCriticalChecked([check("a", { period: "900s" })], config, report);
    expect(messages).toEqual(["service pay: critical tier, but its fastest uptime check runs every 900s; expected one every 60s or more often."]);
  });
});
