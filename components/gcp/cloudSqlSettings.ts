/**
 * For teams that declare their Cloud SQL instance in Pulumi: the instance
 * settings that go with the declaration's `database.cloudSql.backups`, typed
 * for `gcp.sql.DatabaseInstance`'s `settings`.
 *
 * Backups of such an instance are Backup and DR's enhanced backups
 * (components/gcp/CloudSqlBackups.ts): its backup plan sets the schedule, the
 * retention and the transaction logs kept for point-in-time recovery. Cloud
 * SQL's own automated backups cannot run beside them ("instances can't use
 * multiple backup options simultaneously"), and once the plan is attached
 * Cloud SQL owns `settings.backupConfiguration` and refuses any change to it
 * ("Backup configuration cannot be changed for instances with a BackupDR
 * backup plan attached"). So these settings carry no backupConfiguration, and
 * the instance must ignore that field:
 *
 *   import checkout from "../monitoring/services/checkout-api";
 *   new gcp.sql.DatabaseInstance("checkout-db", {
 *     databaseVersion: "POSTGRES_16",
 *     settings: { tier: "db-custom-2-7680", ...cloudSqlBackupSettings(checkout) },
 *   }, { ignoreChanges: [CLOUD_SQL_IGNORE_CHANGES] });
 */
import type * as gcp from "@pulumi/gcp";
import type { ServiceSpec } from "../../contract/serviceSchema";

/** Hours between the backup window's start and the maintenance window, so the two never overlap (a Backup and DR window lasts 6 h). */
export const MAINTENANCE_AFTER_BACKUP_HOURS = 6;
/** Maintenance on Sundays (Cloud SQL counts days 1 = Monday … 7 = Sunday). */
export const MAINTENANCE_DAY = 7;
/** The instance field Backup and DR rewrites once its plan is attached; the instance's program must not manage it. */
export const CLOUD_SQL_IGNORE_CHANGES = "settings.backupConfiguration";

export type CloudSqlBackupSettings = Required<Pick<gcp.types.input.sql.DatabaseInstanceSettings, "maintenanceWindow">>;

export function cloudSqlBackupSettings(service: Pick<ServiceSpec, "name" | "database">): CloudSqlBackupSettings {
  const backups = service.database?.cloudSql.backups;
  if (!backups) throw new Error(`${service.name}: cloudSqlBackupSettings needs database.cloudSql.backups in the declaration`);
  const startHour = backups.start ? Number(backups.start.slice(0, 2)) : 2;
  return {
    maintenanceWindow: { day: MAINTENANCE_DAY, hour: (startHour + MAINTENANCE_AFTER_BACKUP_HOURS) % 24, updateTrack: "stable" },
  };
}
