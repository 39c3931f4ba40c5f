/**
 * The model's backup schedule and detection maths: hourly runs without a
 * long gap across midnight, windows of at least 6 hours, late intervals that
 * wait for a job at the end of its window, and windows-based detection in
 * whole check windows.
 */
import { describe, expect, it } from "vitest";
import { backupWindow, describeSchedule, hourlyRunHours, lateAfterMs } from "../../model/backups";
import { cloudMonitoringMechanics, earliestDetectionMinutes } from "../../model/sloMath";

describe("backup schedules", () => {
  it("hourly: runs from start mod 6 to midnight, every gap 6 h", () => {
    expect(backupWindow({ schedule: "hourly", startHour: 12 })).toEqual({ startHourOfDay: 0, endHourOfDay: 24 });
    expect(hourlyRunHours(14)).toEqual([2, 8, 14, 20]);
    expect(describeSchedule({ schedule: "hourly", startHour: 14 })).toBe("every 6 h, at 02:00, 08:00, 14:00, 20:00 UTC");
  });

  it("daily and weekly: a 6-hour window from the declared hour", () => {
    expect(backupWindow({ schedule: "daily", startHour: 18 })).toEqual({ startHourOfDay: 18, endHourOfDay: 24 });
  });

  it("late after 1.5 intervals, never before interval + window", () => {
    expect([lateAfterMs("hourly"), lateAfterMs("daily"), lateAfterMs("weekly")].map((ms) => ms / 3_600_000)).toEqual([12, 36, 252]);
  });
});

describe("windows-based detection", () => {
  // The uptime SLI moves once per check window: no sooner than the end of the window in which the formula's time falls.
  const fastPage = { burnRate: 14.4, longWindowMs: 3_600_000 };
  it("never claims less than one check window", () => {
    expect(earliestDetectionMinutes(99.99, fastPage, cloudMonitoringMechanics(60_000))).toBe(1); // formula: 0.0864 min
    expect(earliestDetectionMinutes(99.9, fastPage, cloudMonitoringMechanics(300_000))).toBe(5); // formula: 0.864 min
  });
  it("rounds up to whole check windows", () => {
    expect(earliestDetectionMinutes(99, fastPage, cloudMonitoringMechanics(300_000))).toBe(10); // formula: 8.64 min
  });
});
