/**
 * For teams that declare their Cloud SQL instance in Pulumi: the instance's
 * own backup configuration and maintenance window, matching the declaration's
 * `database.cloudSql.backups`, typed for `gcp.sql.DatabaseInstance`'s
 * `settings`. Backup and DR (components/gcp/CloudSqlBackups.ts) keeps the
 * vaulted copies; these are Cloud SQL's own automated backups and the
 * transaction logs that point-in-time recovery needs.
 *
 *   import checkout from "../monitoring/services/checkout-api";
 *   new gcp.sql.DatabaseInstance("checkout-db", {
 *     databaseVersion: "POSTGRES_16",
 *     settings: { tier: "db-custom-2-7680", ...cloudSqlBackupSettings(checkout, "POSTGRES") },
 *   });
 *
 * Turning point-in-time recovery on for an existing PostgreSQL instance
 * restarts it: plan the change for a quiet hour.
 */
import type * as gcp from "@pulumi/gcp";
import type { ServiceSpec } from "../../contract/serviceSchema";
import { PITR_LOG_RETENTION_DAYS } from "../../model/backups";

export type CloudSqlEngine = "POSTGRES" | "MYSQL" | "SQLSERVER";

/** Cloud SQL keeps at most this many automated backups. */
export const MAX_RETAINED_BACKUPS = 365;
/** Hours between the backup start and the maintenance window, so the two never overlap (Cloud SQL's backup window is 4 h). */
export const MAINTENANCE_AFTER_BACKUP_HOURS = 6;
/** Maintenance on Sundays (Cloud SQL counts days 1 = Monday … 7 = Sunday). */
export const MAINTENANCE_DAY = 7;

export type CloudSqlBackupSettings = Required<Pick<gcp.types.input.sql.DatabaseInstanceSettings, "backupConfiguration" | "maintenanceWindow">>;

export function cloudSqlBackupSettings(service: Pick<ServiceSpec, "name" | "tier" | "database">, engine: CloudSqlEngine): CloudSqlBackupSettings {
  const backups = service.database?.cloudSql.backups;
  if (!backups) throw new Error(`${service.name}: cloudSqlBackupSettings needs database.cloudSql.backups in the declaration`);
  const startHour = backups.start ? Number(backups.start.slice(0, 2)) : 2;
  const pitr = backups.pointInTimeRecovery ?? service.tier === "critical";
  // One automated backup a day: keep as many as the declared days, within Cloud SQL's limit.
  const retainedBackups = Math.min(MAX_RETAINED_BACKUPS, Math.max(1, backups.retentionDays));
  return {
    backupConfiguration: {
      enabled: true,
      startTime: `${String(startHour).padStart(2, "0")}:00`,
      backupRetentionSettings: { retainedBackups, retentionUnit: "COUNT" },
      ...(pitr
        ? {
            ...(engine === "MYSQL" ? { binaryLogEnabled: true } : { pointInTimeRecoveryEnabled: true }),
            transactionLogRetentionDays: Math.min(PITR_LOG_RETENTION_DAYS, backups.retentionDays),
          }
        : {}),
    },
    maintenanceWindow: { day: MAINTENANCE_DAY, hour: (startHour + MAINTENANCE_AFTER_BACKUP_HOURS) % 24, updateTrack: "stable" },
  };
}
