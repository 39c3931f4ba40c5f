/**
 * Backups of an existing Cloud SQL instance through Backup and DR: a vault
 * that enforces the minimum retention, a backup plan with the declared
 * schedule, and the plan's association with the instance. Two alerts watch
 * it: a backup job that ended without success, and no successful backup for
 * 1.5 schedule intervals, counted from the association's creation (the job
 * log is the only signal Backup and DR gives for vaulted backups; there is no
 * metric).
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { HOURLY_FREQUENCY, WEEKLY_BACKUP_DAY, backupWindow, cloudSqlResourceName, describeSchedule } from "../../model/backups";
import type { BackupModel } from "../../model/types";
import type { ServiceModel } from "../../model/types";
import { formatDuration } from "../../contract/duration";
import type { Severity } from "../../contract/serviceSchema";
import { CLOUD_MONITORING_INFO, DIGEST_PERIOD } from "../../model/delivery";
import { alertPolicyArgs } from "./alertPolicy";
import { counterMetricArgs, logMetricType } from "./LogPipeline";

/** What the vault's service agent needs on the instance's project to take Cloud SQL backups. */
export const VAULT_AGENT_ROLE = "roles/backupdr.cloudSqlOperator";
export const CLOUD_SQL_RESOURCE_TYPE = "sqladmin.googleapis.com/Instance";

export interface CloudSqlBackupsArgs {
  /** The service whose database is backed up; its `backup` must be set. Required. */
  service: ServiceModel;
  /** GCP project that holds the vault, the plan and the alerts. Required. */
  project: string;
  /** Notification channel resource names per severity. Required (may be empty lists). */
  channels: Record<Severity, pulumi.Input<string>[]>;
  /** Protect the vault (and the backups in it) from deletion by Pulumi. Default: true. */
  protectVault?: boolean;
}

export class CloudSqlBackups extends pulumi.ComponentResource {
  /** Full resource name of the backup vault. */
  public readonly vaultName: pulumi.Output<string>;

  constructor(name: string, args: CloudSqlBackupsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("monitoring-stack:gcp:CloudSqlBackups", name, args, opts);
    const backup = args.service.backup;
    if (!backup) throw new Error(`${args.service.file}: CloudSqlBackups needs a service that declares database.cloudSql.backups`);
    const { service, project } = args;
    const channels = args.channels[backup.severity];

    const vault = new gcp.backupdisasterrecovery.BackupVault(`${name}-vault`, backupVaultArgs(service, backup, project), {
      parent: this,
      protect: args.protectVault ?? true,
    });
    const agentGrant = new gcp.projects.IAMMember(
      `${name}-vault-agent`,
      { project: backup.project, role: VAULT_AGENT_ROLE, member: pulumi.interpolate`serviceAccount:${vault.serviceAccount}` },
      { parent: this },
    );
    const plan = new gcp.backupdisasterrecovery.BackupPlan(`${name}-plan`, backupPlanArgs(service, backup, project, vault.id), { parent: this });
    const association = new gcp.backupdisasterrecovery.BackupPlanAssociation(
      `${name}-association`,
      backupPlanAssociationArgs(backup, plan.name),
      { parent: this, dependsOn: [agentGrant] },
    );

    new gcp.monitoring.AlertPolicy(`${name}-failed`, backupFailedAlertArgs(service, backup, project, channels), { parent: this });
    const successes = new gcp.logging.Metric(`${name}-successes`, backupSuccessMetricArgs(service, backup, project), { parent: this });
    new gcp.monitoring.AlertPolicy(`${name}-late`, backupLateAlertArgs(service, backup, project, channels, association.createTime), {
      parent: this,
      dependsOn: [successes, association],
    });

    if (backup.reportCompletions) {
      new gcp.monitoring.AlertPolicy(`${name}-completed`, backupCompletedAlertArgs(service, backup, project, args.channels.info), { parent: this });
    }

    this.vaultName = vault.name;
    this.registerOutputs({ vaultName: this.vaultName });
  }
}

/** Seconds, as Backup and DR durations are written. */
function seconds(days: number): string {
  return `${days * 86_400}s`;
}

export function backupVaultArgs(service: ServiceModel, backup: BackupModel, project: string): gcp.backupdisasterrecovery.BackupVaultArgs {
  return {
    project,
    location: backup.region,
    backupVaultId: backup.vaultId,
    description: `Backups of Cloud SQL instance ${backup.instance} (${service.name}, team ${service.team})`,
    // Nobody, not even an administrator, can delete a backup younger than this. With point-in-time
    // recovery it is the log retention: a plan's log_retention_days must be at least the vault's minimum.
    backupMinimumEnforcedRetentionDuration: seconds(backup.vaultMinimumRetentionDays),
    deletionPolicy: "PREVENT",
    labels: service.labels,
  };
}

export function backupSchedule(backup: BackupModel): gcp.types.input.backupdisasterrecovery.BackupPlanBackupRuleStandardSchedule {
  const window = backupWindow(backup);
  switch (backup.schedule) {
    case "hourly":
      return { recurrenceType: "HOURLY", hourlyFrequency: HOURLY_FREQUENCY, timeZone: "UTC", backupWindow: window };
    case "daily":
      return { recurrenceType: "DAILY", timeZone: "UTC", backupWindow: window };
    case "weekly":
      return { recurrenceType: "WEEKLY", daysOfWeeks: [WEEKLY_BACKUP_DAY], timeZone: "UTC", backupWindow: window };
  }
}

export function backupPlanArgs(service: ServiceModel, backup: BackupModel, project: string, vaultId: pulumi.Input<string>): gcp.backupdisasterrecovery.BackupPlanArgs {
  return {
    project,
    location: backup.region,
    backupPlanId: backup.planId,
    description: `${service.name}: ${describeSchedule(backup)}, kept ${backup.retentionDays} days`,
    backupVault: vaultId,
    resourceType: CLOUD_SQL_RESOURCE_TYPE,
    backupRules: [{ ruleId: backup.schedule, backupRetentionDays: backup.retentionDays, standardSchedule: backupSchedule(backup) }],
    ...(backup.logRetentionDays !== undefined ? { logRetentionDays: backup.logRetentionDays } : {}),
  };
}

export function backupPlanAssociationArgs(backup: BackupModel, planName: pulumi.Input<string>): gcp.backupdisasterrecovery.BackupPlanAssociationArgs {
  return {
    // The association lives with the instance, in its project.
    project: backup.project,
    location: backup.region,
    backupPlanAssociationId: backup.associationId,
    backupPlan: planName,
    resource: cloudSqlResourceName(backup.project, backup.instance),
    resourceType: CLOUD_SQL_RESOURCE_TYPE,
  };
}

/** Backup and DR job entries of scheduled and on-demand backups of one instance. */
export function backupJobsFilter(project: string, instance: string): string {
  return [
    `logName="projects/${project}/logs/backupdr.googleapis.com%2Fbdr_backup_restore_jobs"`,
    'jsonPayload.jobCategory=("SCHEDULED_BACKUP" OR "ON_DEMAND_BACKUP")',
    `jsonPayload.sourceResourceName=~"/instances/${instance}$"`,
  ].join(" AND ");
}

/**
 * A log-match alert: one notification per job that ended without success
 * (FAILED, or SKIPPED when it never started), at most one per 5 minutes.
 */
export function backupFailedAlertArgs(service: ServiceModel, backup: BackupModel, project: string, channels: pulumi.Input<string>[]): gcp.monitoring.AlertPolicyArgs {
  return alertPolicyArgs({
    service,
    project,
    severity: backup.severity,
    displayName: `${service.name} backup of ${backup.instance} failed`,
    subject: `${service.name}: backup of ${backup.instance} failed`,
    paragraphs: [
      `**${service.name}** (team ${service.team}): a Backup and DR job for Cloud SQL instance \`${backup.instance}\` ended without success (failed or skipped). The job entry's jobStatus, errorType and errorMessage say why.`,
      `Schedule: ${describeSchedule(backup)}; backups kept ${backup.retentionDays} days in vault ${backup.vaultId} (${backup.region}).`,
    ],
    conditions: [
      {
        displayName: `a Backup and DR job for ${backup.instance} ended without success`,
        conditionMatchedLog: { filter: `${backupJobsFilter(project, backup.instance)} AND ${BACKUP_JOB_UNSUCCESSFUL}` },
      },
    ],
    alertStrategy: { notificationRateLimit: { period: "300s" }, autoClose: "86400s" },
    channels,
  });
}

/**
 * Completed backups, as info: a log-match policy on the instance's successful
 * jobs. Cloud Monitoring has no digest; a log-match policy's notification rate
 * limit ("not more than one notification per period", alert.proto
 * NotificationRateLimit, log-match policies only) of a day comes closest: the
 * info channels hear of the day's first completed backup, and the incident
 * lists the rest. It closes a day later (auto_close).
 */
export function backupCompletedAlertArgs(service: ServiceModel, backup: BackupModel, project: string, channels: pulumi.Input<string>[]): gcp.monitoring.AlertPolicyArgs {
  const day = `${CLOUD_MONITORING_INFO.autoCloseSeconds}s`;
  return alertPolicyArgs({
    service,
    project,
    severity: "info",
    displayName: `${service.name} backup of ${backup.instance} completed`,
    subject: `${service.name}: backup of ${backup.instance} completed`,
    paragraphs: [
      `**${service.name}** (team ${service.team}): a Backup and DR backup of Cloud SQL instance \`${backup.instance}\` completed. Info, for the daily review: nothing to do.`,
      `Schedule: ${describeSchedule(backup)}; backups kept ${backup.retentionDays} days in vault ${backup.vaultId} (${backup.region}). At most one notification per ${DIGEST_PERIOD}: later backups of the day are listed in this incident.`,
    ],
    conditions: [
      {
        displayName: `a Backup and DR backup of ${backup.instance} completed`,
        conditionMatchedLog: { filter: `${backupJobsFilter(project, backup.instance)} AND jsonPayload.jobStatus="SUCCESSFUL"` },
      },
    ],
    alertStrategy: { notificationRateLimit: { period: day }, autoClose: day },
    channels,
  });
}

/** A job that ended and did not succeed: FAILED, or SKIPPED (never started within its window). */
export const BACKUP_JOB_UNSUCCESSFUL = 'jsonPayload.jobStatus!="SUCCESSFUL" AND jsonPayload.jobStatus!="RUNNING"';

/** Counts successful backups of the instance, so their absence can alert. */
export function backupSuccessMetricArgs(service: ServiceModel, backup: BackupModel, project: string): gcp.logging.MetricArgs {
  return counterMetricArgs(
    project,
    backup.successMetricId,
    `${service.name}: successful Backup and DR backups of ${backup.instance}`,
    `${backupJobsFilter(project, backup.instance)} AND jsonPayload.jobStatus="SUCCESSFUL"`,
    `${service.name} ${backup.instance} backups succeeded`,
  );
}

/**
 * The late-backup query: no successful backup within the lookback, and the
 * association older than the lookback. A log-based metric has no points
 * before its first matching entry, so without the second clause the alert
 * would fire from creation until the first backup succeeds. `createTime` is
 * the association's RFC 3339 creation time, set by the server and stable.
 * Google always sets it; only a test's mocks can leave it out, and then the
 * query has no quiet period (a test runs no alert).
 */
export function backupLateQuery(metricType: string, lateAfterMs: number, createTime: string | undefined): string {
  if (createTime === undefined) return `absent_over_time({"${metricType}"}[${lookbackRange(lateAfterMs)}])`;
  const created = Date.parse(createTime);
  if (Number.isNaN(created)) throw new Error(`backup plan association createTime: not an RFC 3339 time (got ${JSON.stringify(createTime)})`);
  const quietUntil = Math.floor(created / 1000) + Math.ceil(lateAfterMs / 1000);
  return `absent_over_time({"${metricType}"}[${lookbackRange(lateAfterMs)}]) and on() (vector(time()) > ${quietUntil})`;
}

/**
 * No successful backup for the late interval, counted from the association's
 * creation. A PromQL condition, because metric absence and threshold
 * conditions look back at most about a day, and a daily schedule needs 36 h
 * (a weekly one 10.5 days); metric validation is off because the success
 * counter is created in the same apply and has no data until the first backup.
 */
export function backupLateAlertArgs(
  service: ServiceModel,
  backup: BackupModel,
  project: string,
  channels: pulumi.Input<string>[],
  associationCreateTime: pulumi.Input<string | undefined>,
): gcp.monitoring.AlertPolicyArgs {
  const late = formatDuration(backup.lateAfterMs);
  const metric = logMetricType(backup.successMetricId);
  return alertPolicyArgs({
    service,
    project,
    severity: backup.severity,
    displayName: `${service.name} no successful backup of ${backup.instance} for ${late}`,
    subject: `${service.name}: no successful backup of ${backup.instance} for ${late}`,
    paragraphs: [
      `**${service.name}** (team ${service.team}): Cloud SQL instance \`${backup.instance}\` has had no successful Backup and DR backup for ${late} (schedule: ${describeSchedule(backup)}), or none since its backup plan was attached that long ago.`,
      "Check the backup plan association's last backup state and the bdr_backup_restore_jobs log; a restore now would lose more data than the schedule promises.",
    ],
    conditions: [
      {
        displayName: `no successful backup of ${backup.instance} in ${late}`,
        conditionPrometheusQueryLanguage: {
          query: pulumi.output(associationCreateTime).apply((createTime) => backupLateQuery(metric, backup.lateAfterMs, createTime)),
          duration: "0s",
          evaluationInterval: "300s",
          disableMetricValidation: true,
        },
      },
    ],
    alertStrategy: { autoClose: "86400s" },
    channels,
  });
}

/**
 * A PromQL range in whole hours or minutes ("36h", "252h"), as Cloud
 * Monitoring's PromQL conditions take it; the rule files use prometheus/promql's
 * day-based promDuration instead.
 */
export function lookbackRange(ms: number): string {
  return ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : `${Math.round(ms / 60_000)}m`;
}
