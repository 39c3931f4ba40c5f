/**
 * CloudSqlBackups through the offline plan: a protected vault that enforces
 * retention, a plan per schedule, the association with the instance, the
 * vault agent's grant, and the two alerts that say when backups stop.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { PlannedResource } from "../../../plan/mockRuntime";
import { backupModel, scheduleIntervalMs } from "../../../model/backups";
import { cloudSqlBackupSettings } from "../../../components/gcp/cloudSqlSettings";
import { lookbackRange } from "../../../components/gcp/CloudSqlBackups";
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
      backupMinimumEnforcedRetentionDuration: `${30 * 86400}s`,
      deletionPolicy: "PREVENT",
    });
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
      backupPlan: "projects/ops-project/locations/europe-west1/backupPlans/shop-api-shop-db-plan",
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
    expect(condition).toContain('jsonPayload.jobStatus="FAILED"');
    expect(byName(resources, "cart-backups-failed").inputs).toMatchObject({ severity: "WARNING", notificationChannels: ["projects/ops-project/notificationChannels/platform-team-email"] });
  });

  it("alerts when no backup succeeded for 1.5 schedule intervals: 36 h daily, 9 h hourly, 252 h weekly", () => {
    const query = (name: string) => (byName(resources, name).inputs["conditions"] as Array<{ conditionPrometheusQueryLanguage: { query: string } }>)[0]!.conditionPrometheusQueryLanguage.query;
    expect(query("shop-api-backups-late")).toBe('absent_over_time({"logging.googleapis.com/user/shop-api/shop-db-backups-succeeded"}[36h])');
    expect(query("reports-backups-late")).toMatch(/\[9h\]\)$/);
    expect(query("cart-backups-late")).toMatch(/\[252h\]\)$/);
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

  it("PostgreSQL: backups at the declared hour, retained count, PITR with up to 7 days of logs, maintenance 6 h later on Sundays", () => {
    expect(cloudSqlBackupSettings(declaration({ schedule: "daily", start: "02:00", retentionDays: 30, pointInTimeRecovery: true }), "POSTGRES")).toEqual({
      backupConfiguration: {
        enabled: true,
        startTime: "02:00",
        backupRetentionSettings: { retainedBackups: 30, retentionUnit: "COUNT" },
        pointInTimeRecoveryEnabled: true,
        transactionLogRetentionDays: 7,
      },
      maintenanceWindow: { day: 7, hour: 8, updateTrack: "stable" },
    });
  });

  it("MySQL uses binary logs for PITR; no PITR unless declared or critical; retention within Cloud SQL's 365", () => {
    expect(cloudSqlBackupSettings(declaration({ schedule: "daily", retentionDays: 3, pointInTimeRecovery: true }), "MYSQL").backupConfiguration).toMatchObject({ binaryLogEnabled: true, transactionLogRetentionDays: 3 });
    const plain = cloudSqlBackupSettings(declaration({ schedule: "daily", start: "20:00", retentionDays: 1000 }), "POSTGRES");
    expect(plain.backupConfiguration).not.toHaveProperty("pointInTimeRecoveryEnabled");
    expect(plain.backupConfiguration).toMatchObject({ backupRetentionSettings: { retainedBackups: 365 } });
    expect(plain.maintenanceWindow).toMatchObject({ hour: 2 });
    expect(cloudSqlBackupSettings(declaration({ schedule: "daily", retentionDays: 10 }, "critical"), "POSTGRES").backupConfiguration).toMatchObject({ pointInTimeRecoveryEnabled: true });
  });

  it("refuses a declaration without backups", () => {
    expect(() => cloudSqlBackupSettings(declaration(undefined), "POSTGRES")).toThrow(/database.cloudSql.backups/);
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
