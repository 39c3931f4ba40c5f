/**
 * Durations read the same everywhere: any unit when the value is the same
 * (period: 5m is 300s), one expectation for every malformed duration, and a
 * backup start refused with one message that states the format and the hour.
 */
import { describe, expect, it } from "vitest";
import { serviceSchema } from "../../contract/serviceSchema";
import { zodProblems } from "../../contract/zodProblems";
import { validateOperations } from "../../catalog/validateOperations";

const base = { apiVersion: "monitoring-stack/v1", name: "shop", team: "web", runtime: { external: {} } };
const problems = (extra: Record<string, unknown>) => {
  const parsed = serviceSchema.safeParse({ ...base, ...extra }, { reportInput: true });
  return parsed.success ? [] : zodProblems("shop.yaml", parsed.error.issues).map((p) => `${p.path}: ${p.message}`);
};
const endpoint = (fields: Record<string, unknown>) => ({ endpoints: [{ name: "home", url: "https://shop.example.com/", ...fields }] });

describe("durations", () => {
  it("an uptime period is accepted in any unit when the value is allowed", () => {
    for (const period of ["5m", "300s", "1m", "10m", "15m", "900s"]) expect(problems(endpoint({ period })), period).toEqual([]);
    expect(problems(endpoint({ period: "2m" }))).toEqual(['endpoints[0].period: invalid value (got "2m", expected one of the uptime check periods: 60s, 300s, 600s, 900s (in any unit: 5m is 300s))']);
  });

  it("a timeout and a pending period written in words get the same expectation, once", () => {
    const timeout = problems(endpoint({ timeout: "10 seconds" }));
    const pending = problems({ alerts: [{ name: "Down", expr: "up == 0", severity: "page", for: "5 minutes" }] });
    expect(timeout).toEqual(['endpoints[0].timeout: invalid value (got "10 seconds", expected a timeout like "10s": a whole number and a unit with no space (ms, s, m, h, d), in whole seconds, between 1s and 60s)']);
    expect(pending).toEqual(['alerts[0].for: invalid value (got "5 minutes", expected a pending period like "5m": a whole number and a unit with no space (ms, s, m, h, d), in whole seconds, between 0s and 1d)']);
  });

  it("a backup start gets one expectation, whether the format or the hour is wrong", () => {
    const database = (start: string) => ({ database: { cloudSql: { instance: "db", region: "europe-west1", backups: { schedule: "daily", retentionDays: 7, start } } } });
    const expectation = 'expected a start time on the hour, "HH:00" in 24 h UTC like "03:00" (Backup and DR windows open on the hour)';
    expect(problems(database("3:30"))).toEqual([`database.cloudSql.backups.start: invalid value (got "3:30", ${expectation})`]);
    const semantic: string[] = [];
    const spec = serviceSchema.parse({ ...base, ...database("03:30") });
    validateOperations(spec, (path, message) => semantic.push(`${path}: ${message}`));
    expect(semantic).toEqual([`database.cloudSql.backups.start: invalid value (got "03:30", ${expectation})`]);
  });
});
