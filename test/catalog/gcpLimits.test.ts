/**
 * The documented limits derived ids are checked against: each entry's
 * pattern and length, and the message that names the id, the limit and its source.
 */
import { describe, expect, it } from "vitest";
import { BACKUP_HOURLY_FREQUENCY_RANGE, BACKUP_WINDOW_MIN_HOURS, GCP_ID_LIMITS, idProblem } from "../../catalog/gcpLimits";
import { BACKUP_WINDOW_HOURS, HOURLY_FREQUENCY } from "../../model/backups";

describe("Google Cloud id limits", () => {
  it("accepts ids at the limit and refuses one character more, naming the source", () => {
    expect(idProblem("logSink", "a".repeat(100))).toBeUndefined();
    expect(idProblem("logSink", "a".repeat(101))).toBe(
      `derived log sink name too long (got "${"a".repeat(101)}", 101 characters; expected at most 100: google/logging/v2/logging_config.proto LogSink.name)`,
    );
    expect(idProblem("backupDr", `a${"b".repeat(62)}`)).toBeUndefined();
    expect(idProblem("backupDr", `a${"b".repeat(63)}`)).toMatch(/64 characters; expected at most 63/);
  });

  it("refuses the characters each API refuses", () => {
    expect(idProblem("logSink", "_sink")).toMatch(/starting with a letter or digit/);
    expect(idProblem("logMetric", "/svc/m")).toMatch(/not starting with '\/'/);
    expect(idProblem("logMetric", "svc/m-1.x")).toBeUndefined();
    expect(idProblem("customService", "Svc")).toMatch(/lowercase/);
    expect(idProblem("slo", "a:b.c_d-e")).toBeUndefined();
    expect(idProblem("backupDr", "1plan")).toMatch(/a lowercase letter/);
    for (const limit of Object.values(GCP_ID_LIMITS)) expect(limit.source).toMatch(/\.proto /);
  });

  it("the schedule constants stay within Backup and DR's rules", () => {
    expect(HOURLY_FREQUENCY).toBeGreaterThanOrEqual(BACKUP_HOURLY_FREQUENCY_RANGE.min);
    expect(HOURLY_FREQUENCY).toBeLessThanOrEqual(BACKUP_HOURLY_FREQUENCY_RANGE.max);
    expect(24 % HOURLY_FREQUENCY).toBe(0);
    expect(BACKUP_WINDOW_HOURS).toBeGreaterThanOrEqual(BACKUP_WINDOW_MIN_HOURS);
  });
});
