/**
 * Cloud SQL backups through Backup and DR, normalised: where the vault lives,
 * when jobs run, how long backups are kept, and when a missing backup is late.
 * Pure functions; components/gcp/CloudSqlBackups.ts provisions it.
 */
import { DAY_MS, HOUR_MS } from "../contract/duration";
import type { ServiceSpec, Tier } from "../contract/serviceSchema";
import { logMetricId } from "./logs";
import type { BackupModel, BackupSchedule, RuntimeModel } from "./types";
import { backupSeverity } from "./placement";

/**
 * Hours between two jobs of an hourly schedule. Backup and DR accepts 4–23
 * (backupplan.proto StandardSchedule.hourly_frequency); a divisor of 24 keeps
 * the gap across midnight equal to the others (see hourlyWindow).
 */
export const HOURLY_FREQUENCY = 6;
/**
 * Backup and DR queues jobs at the start of the window and marks them NOT_RUN
 * if they have not started by its end; a window lasts at least 6 hours and
 * ends by 24:00, exclusive (backupplan.proto BackupWindow; backup-plan docs).
 */
export const BACKUP_WINDOW_HOURS = 6;
/** Day of a weekly backup. */
export const WEEKLY_BACKUP_DAY = "SUNDAY";
/** Days of transaction logs kept for point-in-time recovery (Cloud SQL allows 1–7 for its own, Backup and DR follows the plan). */
export const PITR_LOG_RETENTION_DAYS = 7;
/** A backup is late when none has succeeded for this many schedule intervals. */
export const LATE_AFTER_INTERVALS = 1.5;

/**
 * Backup and DR ids of one instance's backups (each must match
 * [a-z][a-z0-9-]{0,62}). A plan's log retention is immutable, so it is part
 * of the plan id: switching point-in-time recovery creates a second plan, the
 * association moves to it in place, and the first plan is deleted after.
 */
export function backupIds(serviceId: string, instance: string, logRetentionDays?: number): Pick<BackupModel, "vaultId" | "planId" | "associationId"> {
  const id = `${serviceId}-${instance}`;
  return { vaultId: `${id}-vault`, planId: logRetentionDays === undefined ? `${id}-plan` : `${id}-plan-l${logRetentionDays}`, associationId: id };
}

/** The log-based metric that counts an instance's successful backups. */
export function backupSuccessMetricId(serviceId: string, instance: string): string {
  return logMetricId(serviceId, `${instance}-backups-succeeded`);
}

/** Days of transaction logs kept when point-in-time recovery is on: Cloud SQL's 7, never more than the backups themselves. */
export function pitrLogRetentionDays(retentionDays: number): number {
  return Math.min(PITR_LOG_RETENTION_DAYS, retentionDays);
}

/**
 * The hours of the day a schedule's jobs may start in, end exclusive. Daily
 * and weekly: the declared hour plus 6 (validation keeps it at 18:00 or
 * earlier). Hourly: from the first run of the day to midnight, so that jobs
 * run at start mod f, start mod f + f, … and the gap across midnight is f
 * like every other gap (a window closing before midnight would leave a
 * longer one).
 */
export function backupWindow(backup: Pick<BackupModel, "schedule" | "startHour">): { startHourOfDay: number; endHourOfDay: number } {
  if (backup.schedule === "hourly") return { startHourOfDay: backup.startHour % HOURLY_FREQUENCY, endHourOfDay: 24 };
  return { startHourOfDay: backup.startHour, endHourOfDay: backup.startHour + BACKUP_WINDOW_HOURS };
}

/** Hours (UTC) at which an hourly schedule's jobs are queued. */
export function hourlyRunHours(startHour: number): number[] {
  const first = startHour % HOURLY_FREQUENCY;
  return Array.from({ length: Math.ceil((24 - first) / HOURLY_FREQUENCY) }, (_, i) => first + i * HOURLY_FREQUENCY);
}

/**
 * When a missing backup is late: 1.5 intervals, and never before a job that
 * started at the very end of its window could have finished (interval +
 * window length).
 */
export function lateAfterMs(schedule: BackupSchedule): number {
  const intervalMs = scheduleIntervalMs(schedule);
  const windowMs = schedule === "hourly" ? HOURLY_FREQUENCY * HOUR_MS : BACKUP_WINDOW_HOURS * HOUR_MS;
  return Math.max(LATE_AFTER_INTERVALS * intervalMs, intervalMs + windowMs);
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
  const logRetentionDays = pointInTimeRecovery ? pitrLogRetentionDays(backups.retentionDays) : undefined;
  return {
    instance: cloudSql.instance,
    project: cloudSql.project ?? defaultProject,
    region,
    schedule: backups.schedule,
    startHour: backups.start ? Number(backups.start.slice(0, 2)) : 2,
    retentionDays: backups.retentionDays,
    pointInTimeRecovery,
    ...(logRetentionDays !== undefined ? { logRetentionDays } : {}),
    // The plan's log retention must be at least the vault's enforced minimum (backupplan.proto log_retention_days).
    vaultMinimumRetentionDays: Math.min(backups.retentionDays, logRetentionDays ?? backups.retentionDays),
    intervalMs,
    lateAfterMs: lateAfterMs(backups.schedule),
    severity: backupSeverity(tier),
    reportCompletions: backups.reportCompletions ?? false,
    ...backupIds(serviceId, cloudSql.instance, logRetentionDays),
    successMetricId: backupSuccessMetricId(serviceId, cloudSql.instance),
  };
}

/** The schedule in words, for the plan summary and alert documentation. */
export function describeSchedule(backup: Pick<BackupModel, "schedule" | "startHour">): string {
  const hour = `${String(backup.startHour).padStart(2, "0")}:00 UTC`;
  switch (backup.schedule) {
    case "hourly":
      return `every ${HOURLY_FREQUENCY} h, at ${hourlyRunHours(backup.startHour).map((h) => `${String(h).padStart(2, "0")}:00`).join(", ")} UTC`;
    case "daily":
      return `daily, window opening ${hour}`;
    case "weekly":
      return `weekly on ${WEEKLY_BACKUP_DAY.toLowerCase()}, window opening ${hour}`;
  }
}
