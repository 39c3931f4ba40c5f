/**
 * CloudSqlBackups through the offline plan: a protected vault that enforces
 * retention, a plan per schedule, the association with the instance, the
 * vault agent's grant, and the two alerts that say when backups stop.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { PlannedResource } from "../../../plan/mockRuntime";
import { backupModel, lateAfterMs, scheduleIntervalMs } from "../../../model/backups";
import { CLOUD_SQL_IGNORE_CHANGES, cloudSqlBackupSettings } from "../../../components/gcp/cloudSqlSettings";
import { backupLateQuery, lookbackRange } from "../../../components/gcp/CloudSqlBackups";
import type { ServiceSpec } from "../../../contract/serviceSchema";
import { byName, ofType } from "../../plan/helpers";
import { opsPlan } from "./operationsFixture";

let resources: PlannedResource[];
beforeAll(async () => {
  resources = (await opsPlan()).plan.resources;
});

describe("backup vault, plan and association", () => {
  it("protects the vault, enforces the declared retention and refuses deletion by the provider", () => {
    const vault = byName(resources, "shop-api-backups-vault");
    expect(vault.protect).toBe(true);
    expect(vault.inputs).toMatchObject({
      backupVaultId: "shop-api-shop-db-vault",
      location: "europe-west1",
      // Point-in-time recovery keeps 7 days of logs, and a plan's log retention must be at least the vault's minimum.
      backupMinimumEnforcedRetentionDuration: `${7 * 86400}s`,
      deletionPolicy: "PREVENT",
    });
    // Without point-in-time recovery the vault locks each backup for its whole retention.
    expect(byName(resources, "cart-backups-vault").inputs).toMatchObject({ backupMinimumEnforcedRetentionDuration: `${90 * 86400}s` });
    for (const other of ofType(resources, "gcp:backupdisasterrecovery/backupVault:BackupVault")) expect(other.protect, other.name).toBe(true);
  });

  it("schedules daily, weekly and hourly jobs in a window of at least 6 hours, in UTC", () => {
    const rule = (name: string) => (byName(resources, name).inputs["backupRules"] as Array<Record<string, unknown>>)[0];
    expect(rule("shop-api-backups-plan")).toEqual({
      ruleId: "daily",
      backupRetentionDays: 30,
      standardSchedule: { recurrenceType: "DAILY", timeZone: "UTC", backupWindow: { startHourOfDay: 3, endHourOfDay: 9 } },
    });
    expect(rule("cart-backups-plan")).toMatchObject({
      backupRetentionDays: 90,
      standardSchedule: { recurrenceType: "WEEKLY", daysOfWeeks: ["SUNDAY"], backupWindow: { startHourOfDay: 2, endHourOfDay: 8 } },
    });
    expect(rule("reports-backups-plan")).toMatchObject({
      standardSchedule: { recurrenceType: "HOURLY", hourlyFrequency: 6, backupWindow: { startHourOfDay: 0, endHourOfDay: 24 } },
    });
    expect(byName(resources, "shop-api-backups-plan").inputs).toMatchObject({
      resourceType: "sqladmin.googleapis.com/Instance",
      backupVault: "projects/ops-project/locations/europe-west1/backupVaults/shop-api-shop-db-vault",
      logRetentionDays: 7,
    });
    expect(byName(resources, "cart-backups-plan").inputs["logRetentionDays"]).toBeUndefined();
  });

  it("associates the plan with the instance in its own project and region (defaulting to the runtime's region)", () => {
    expect(byName(resources, "shop-api-backups-association").inputs).toMatchObject({
      project: "ops-project",
      location: "europe-west1",
      resource: "projects/ops-project/instances/shop-db",
      resourceType: "sqladmin.googleapis.com/Instance",
      backupPlan: "projects/ops-project/locations/europe-west1/backupPlans/shop-api-shop-db-plan-l7",
    });
    expect(byName(resources, "cart-backups-association").inputs).toMatchObject({ location: "europe-west1" });
    expect(byName(resources, "reports-backups-association").inputs).toMatchObject({ project: "data-warehouse-prod", location: "us-east1", resource: "projects/data-warehouse-prod/instances/reports-db" });
  });

  it("grants the vault's service agent the Cloud SQL backup role on the instance's project only", () => {
    expect(byName(resources, "reports-backups-vault-agent").inputs).toEqual({
      project: "data-warehouse-prod",
      role: "roles/backupdr.cloudSqlOperator",
      member: "serviceAccount:reports-reports-db-vault.vault-agent@stand-in.invalid",
    });
  });
});

describe("backup alerts", () => {
  it("pages on a failed job for the critical tier and opens a ticket otherwise", () => {
    const failed = byName(resources, "shop-api-backups-failed").inputs;
    expect(failed).toMatchObject({ severity: "CRITICAL", notificationChannels: ["projects/ops-project/notificationChannels/platform-oncall-pager"], alertStrategy: { notificationRateLimit: { period: "300s" } } });
    const condition = (failed["conditions"] as Array<{ conditionMatchedLog: { filter: string } }>)[0]!.conditionMatchedLog.filter;
    expect(condition).toContain('logName="projects/ops-project/logs/backupdr.googleapis.com%2Fbdr_backup_restore_jobs"');
    expect(condition).toContain('jsonPayload.sourceResourceName=~"/instances/shop-db$"');
    expect(condition).toContain('jsonPayload.jobStatus!="SUCCESSFUL" AND jsonPayload.jobStatus!="RUNNING"');
    expect(byName(resources, "cart-backups-failed").inputs).toMatchObject({ severity: "WARNING", notificationChannels: ["projects/ops-project/notificationChannels/platform-team-email"] });
  });

  it("alerts when no backup succeeded for 1.5 schedule intervals (at least interval + window): 36 h daily, 12 h hourly, 252 h weekly", () => {
    expect([lateAfterMs("daily"), lateAfterMs("hourly"), lateAfterMs("weekly")].map(lookbackRange)).toEqual(["36h", "12h", "252h"]);
    const condition = (name: string) => (byName(resources, name).inputs["conditions"] as Array<{ conditionPrometheusQueryLanguage: Record<string, unknown> }>)[0]!.conditionPrometheusQueryLanguage;
    // The query needs the association's creation time, known only once it exists.
    expect(condition("shop-api-backups-late")).toMatchObject({ query: "[unknown]", duration: "0s", evaluationInterval: "300s", disableMetricValidation: true });
  });

  it("stays quiet until the association is older than the late interval, so it does not page before the first backup could run", () => {
    const query = backupLateQuery("logging.googleapis.com/user/shop-api/shop-db-backups-succeeded", lateAfterMs("daily"), "2026-03-01T10:00:00.123456Z");
    const quietUntil = Date.UTC(2026, 2, 1, 10, 0, 0) / 1000 + 36 * 3600;
    expect(query).toBe(`absent_over_time({"logging.googleapis.com/user/shop-api/shop-db-backups-succeeded"}[36h]) and on() (vector(time()) > ${quietUntil})`);
    expect(() => backupLateQuery("m", 1, "")).toThrow(/RFC 3339/);
    // Mocks that leave createTime out (a team's own unit tests) get the query without the quiet period, not a crash.
    expect(backupLateQuery("m", 36 * 3_600_000, undefined)).toBe('absent_over_time({"m"}[36h])');
    expect(byName(resources, "shop-api-backups-successes").inputs["filter"]).toContain('jsonPayload.jobStatus="SUCCESSFUL"');
  });

  it("formats PromQL ranges in whole hours or minutes", () => {
    expect(lookbackRange(1.5 * scheduleIntervalMs("daily"))).toBe("36h");
    expect(lookbackRange(90 * 60_000)).toBe("90m");
  });
});

describe("cloudSqlBackupSettings: the instance's own settings for teams that declare it", () => {
  const declaration = (backups: NonNullable<ServiceSpec["database"]>["cloudSql"]["backups"], tier: ServiceSpec["tier"] = "standard") => ({
    name: "svc",
    tier,
    database: { cloudSql: { instance: "db", ...(backups ? { backups } : {}) } },
  });

  it("leaves the backup configuration to Backup and DR: only the maintenance window, 6 h after the backup window opens, on Sundays", () => {
    const settings = cloudSqlBackupSettings(declaration({ schedule: "daily", start: "02:00", retentionDays: 30, pointInTimeRecovery: true }));
    expect(settings).toEqual({ maintenanceWindow: { day: 7, hour: 8, updateTrack: "stable" } });
    expect(settings).not.toHaveProperty("backupConfiguration");
    expect(cloudSqlBackupSettings(declaration({ schedule: "daily", start: "20:00", retentionDays: 1000 })).maintenanceWindow).toMatchObject({ hour: 2 });
    expect(CLOUD_SQL_IGNORE_CHANGES).toBe("settings.backupConfiguration");
  });

  it("refuses a declaration without backups", () => {
    expect(() => cloudSqlBackupSettings(declaration(undefined))).toThrow(/database.cloudSql.backups/);
  });
});

describe("backupModel", () => {
  it("takes the GKE region from a zonal location and keeps ids on the oldest service name", () => {
    const spec = {
      apiVersion: "monitoring-stack/v1",
      name: "new-name",
      team: "t",
      runtime: { gke: { cluster: "c", location: "europe-west4-a", namespace: "n", workload: "w" } },
      database: { cloudSql: { instance: "db", backups: { schedule: "daily", retentionDays: 7 } } },
    } as ServiceSpec;
    const model = backupModel(spec, { kind: "gke", cluster: "c", location: "europe-west4-a", namespace: "n", workload: "w", selector: { app: "w" } }, "standard", "old-name", "p")!;
    expect(model).toMatchObject({ region: "europe-west4", vaultId: "old-name-db-vault", planId: "old-name-db-plan", associationId: "old-name-db", startHour: 2, pointInTimeRecovery: false, severity: "ticket" });
  });
});
