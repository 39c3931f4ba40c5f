/**
 * Google Cloud's documented limits on the ids this stack derives from
 * declarations, in one place: validation checks every derived id against
 * them before anything is planned. Each entry names its source.
 */

export interface IdLimit {
  /** What the id is, for messages. */
  what: string;
  maxLength: number;
  pattern: RegExp;
  /** The allowed characters, in words, for messages. */
  expected: string;
  /** Where Google defines the limit. */
  source: string;
}

export const GCP_ID_LIMITS = {
  /** "Sink identifiers are limited to 100 characters and can include only … alphanumeric characters, underscores, hyphens, and periods. First character has to be alphanumeric." */
  logSink: {
    what: "log sink name",
    maxLength: 100,
    pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]*$/,
    expected: "letters, digits, '_', '-' or '.', starting with a letter or digit",
    source: "google/logging/v2/logging_config.proto LogSink.name",
  },
  /** "Bucket identifiers must … be limited to 100 characters and can include only letters, digits, underscores, hyphens, and periods." */
  logBucket: {
    what: "log bucket id",
    maxLength: 100,
    pattern: /^[A-Za-z0-9_.-]+$/,
    expected: "letters, digits, '_', '-' or '.'",
    source: "google/logging/v2/logging_config.proto CreateBucketRequest.bucket_id",
  },
  /** "Exclusion names are limited to 100 characters and can include only letters, digits, underscores, hyphens, and periods. First character has to be alphanumeric." */
  logExclusion: {
    what: "log exclusion name",
    maxLength: 100,
    pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]*$/,
    expected: "letters, digits, '_', '-' or '.', starting with a letter or digit",
    source: "google/logging/v2/logging_config.proto LogExclusion.name",
  },
  /** "Metric identifiers are limited to 100 characters and can include only … A-Z, a-z, 0-9, and the special characters _-.,+!*',()%/ … cannot be the first character of the name." */
  logMetric: {
    what: "log-based metric name",
    maxLength: 100,
    pattern: /^[A-Za-z0-9_.,+!*'()%-][A-Za-z0-9_.,+!*'()%/-]*$/,
    expected: "letters, digits and _-.,+!*'()%/, not starting with '/'",
    source: "google/logging/v2/logging_metrics.proto LogMetric.name",
  },
  /** "Must match the pattern `[a-z0-9\-]+`". No length is documented; 100 keeps names readable and within resource-name limits. */
  customService: {
    what: "Cloud Monitoring service id",
    maxLength: 100,
    pattern: /^[a-z0-9-]+$/,
    expected: "lowercase letters, digits or '-'",
    source: "google/monitoring/v3/service_service.proto CreateServiceRequest.service_id",
  },
  /** "Must match the pattern `^[a-zA-Z0-9-_:.]+$`". No length is documented; 100 as for the service id. */
  slo: {
    what: "SLO id",
    maxLength: 100,
    pattern: /^[a-zA-Z0-9_:.-]+$/,
    expected: "letters, digits, '-', '_', ':' or '.'",
    source: "google/monitoring/v3/service_service.proto CreateServiceLevelObjectiveRequest.service_level_objective_id",
  },
  /** "must start with a lowercase letter followed by up to 62 lowercase letters, numbers, or hyphens. Pattern, /[a-z][a-z0-9-]{,62}/." Vault and association ids follow the same rule. */
  backupDr: {
    what: "Backup and DR id",
    maxLength: 63,
    pattern: /^[a-z][a-z0-9-]{0,62}$/,
    expected: "a lowercase letter, then lowercase letters, digits or '-'",
    source: "google/cloud/backupdr/v1/backupplan.proto CreateBackupPlanRequest.backup_plan_id, BackupRule.rule_id",
  },
} as const satisfies Record<string, IdLimit>;

export type IdKind = keyof typeof GCP_ID_LIMITS;

/** What is wrong with a derived id, as the middle of a problem message; undefined when it fits. */
export function idProblem(kind: IdKind, id: string): string | undefined {
  const limit: IdLimit = GCP_ID_LIMITS[kind];
  if (id.length > limit.maxLength) {
    return `derived ${limit.what} too long (got ${JSON.stringify(id)}, ${id.length} characters; expected at most ${limit.maxLength}: ${limit.source})`;
  }
  if (!limit.pattern.test(id)) return `invalid derived ${limit.what} (got ${JSON.stringify(id)}; expected ${limit.expected}: ${limit.source})`;
  return undefined;
}

/**
 * Backup and DR's hourly frequency: "Value of hourly frequency should be
 * between 4 and 23" (backupplan.proto StandardSchedule.hourly_frequency).
 */
export const BACKUP_HOURLY_FREQUENCY_RANGE = { min: 4, max: 23 } as const;
/** "The window must be at least six hours long" (cloud.google.com/backup-disaster-recovery/docs/concepts/backup-plan); "end_hour_of_day <= 24" (backupplan.proto BackupWindow). */
export const BACKUP_WINDOW_MIN_HOURS = 6;
