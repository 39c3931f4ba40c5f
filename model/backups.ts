/**
 * Cloud SQL backups through Backup and DR, normalised: where the vault lives,
 * when jobs run, how long backups are kept, and when a missing backup is late.
 * Pure functions; components/gcp/CloudSqlBackups.ts provisions it.
 */
import { DAY_MS, HOUR_MS } from "../contract/duration";
import type { ServiceSpec, Tier } from "../contract/serviceSchema";
import type { BackupModel, BackupSchedule, RuntimeModel } from "./types";

/** Hours between two jobs of an hourly schedule. */
export const HOURLY_FREQUENCY = 6;
/** Backup and DR queues jobs at the start of the window and marks them NOT_RUN if they have not started by its end. */
export const BACKUP_WINDOW_HOURS = 6;
/** Day of a weekly backup. */
export const WEEKLY_BACKUP_DAY = "SUNDAY";
/** Days of transaction logs kept for point-in-time recovery (Cloud SQL allows 1–7 for its own, Backup and DR follows the plan). */
export const PITR_LOG_RETENTION_DAYS = 7;
/** A backup is late when none has succeeded for this many schedule intervals. */
export const LATE_AFTER_INTERVALS = 1.5;

/** Backup and DR ids of one instance's backups (at most 63 characters each; the vault's is the longest). */
export function backupIds(serviceId: string, instance: string): Pick<BackupModel, "vaultId" | "planId" | "associationId"> {
  const id = `${serviceId}-${instance}`;
  return { vaultId: `${id}-vault`, planId: `${id}-plan`, associationId: id };
}

/** Backup and DR's full resource name of a Cloud SQL instance. */
export function cloudSqlResourceName(project: string, instance: string): string {
  return `projects/${project}/instances/${instance}`;
}

export function scheduleIntervalMs(schedule: BackupSchedule): number {
  switch (schedule) {
    case "hourly":
      return HOURLY_FREQUENCY * HOUR_MS;
    case "daily":
      return DAY_MS;
    case "weekly":
      return 7 * DAY_MS;
  }
}

/** The region a service's database most likely lives in: declared, else the runtime's region. */
export function databaseRegion(spec: ServiceSpec, runtime: RuntimeModel): string | undefined {
  const declared = spec.database?.cloudSql.region;
  if (declared) return declared;
  if (runtime.kind === "cloudRun") return runtime.region;
  // A GKE location is a region or a zone (europe-west1-b); the instance is in the region.
  if (runtime.kind === "gke") return runtime.location.replace(/-[a-z]$/, "");
  return undefined;
}

export function backupModel(spec: ServiceSpec, runtime: RuntimeModel, tier: Tier, serviceId: string, defaultProject: string): BackupModel | undefined {
  const cloudSql = spec.database?.cloudSql;
  const backups = cloudSql?.backups;
  if (!cloudSql || !backups) return undefined;
  const region = databaseRegion(spec, runtime);
  // Validation refuses a database whose region cannot be known; this guards direct callers.
  if (region === undefined) throw new Error(`${spec.name}: database.cloudSql.region is required`);
  const intervalMs = scheduleIntervalMs(backups.schedule);
  const pointInTimeRecovery = backups.pointInTimeRecovery ?? tier === "critical";
  return {
    instance: cloudSql.instance,
    project: cloudSql.project ?? defaultProject,
    region,
    schedule: backups.schedule,
    startHour: backups.start ? Number(backups.start.slice(0, 2)) : 2,
    retentionDays: backups.retentionDays,
    pointInTimeRecovery,
    ...(pointInTimeRecovery ? { logRetentionDays: Math.min(PITR_LOG_RETENTION_DAYS, backups.retentionDays) } : {}),
    intervalMs,
    lateAfterMs: LATE_AFTER_INTERVALS * intervalMs,
    severity: tier === "critical" ? "page" : "ticket",
    ...backupIds(serviceId, cloudSql.instance),
  };
}

/** The schedule in words, for the plan summary and alert documentation. */
export function describeSchedule(backup: Pick<BackupModel, "schedule" | "startHour">): string {
  const hour = `${String(backup.startHour).padStart(2, "0")}:00 UTC`;
  switch (backup.schedule) {
    case "hourly":
      return `every ${HOURLY_FREQUENCY} h from ${hour}`;
    case "daily":
      return `daily, window opening ${hour}`;
    case "weekly":
      return `weekly on ${WEEKLY_BACKUP_DAY.toLowerCase()}, window opening ${hour}`;
  }
}
