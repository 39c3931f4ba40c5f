/**
 * Google Cloud's documented limits on what a stack creates, each with its
 * value, what it is counted over, the Google page it comes from and the date
 * that value was read. A limit whose only Google evidence is an archived copy
 * of a page says so (`evidence`): it may have been raised since.
 *
 * Where a limit is a quota Google raises on request, `raisableTo` says how far;
 * a stack that obtained an increase declares it in `monitoring-stack:quotas`.
 */
import { RAISABLE_QUOTAS } from "../contract/stackConfig";

/** When the values below were last checked against their sources. */
export const LIMITS_READ = "2026-12-01";

/** What a limit is counted over. "metrics scope": the scoping project that holds the configs. */
export type LimitScope = "project" | "metrics scope" | "service" | "policy" | "sink";

/** Where a value comes from, strongest first. */
export type LimitEvidence =
  | "Google documentation"
  | "Google API definition (googleapis proto)"
  | "archived copy of Google documentation only";

export interface Limit {
  /** What is limited, as messages name it (plural noun). */
  what: string;
  value: number;
  scope: LimitScope;
  /** Google's page (or API definition) that states the limit. */
  source: string;
  /** Date the value was read from the source (or the copy of it named in `evidence`). */
  read: string;
  evidence: LimitEvidence;
  /** For an archived-only value: the date of the archived copy and what else supports it. */
  caveat?: string;
  /** A quota Google raises on request, up to this value; absent: a fixed limit. */
  raisableTo?: number;
}

const MONITORING_QUOTAS = "https://cloud.google.com/monitoring/quotas";
const LOGGING_QUOTAS = "https://cloud.google.com/logging/quotas";
const ALERT_PROTO = "https://github.com/googleapis/googleapis/blob/master/google/monitoring/v3/alert.proto";

export const LIMITS = {
  uptimeChecks: {
    what: "uptime checks",
    value: 100,
    scope: "metrics scope",
    source: `${MONITORING_QUOTAS}#synmon_limits`,
    read: LIMITS_READ,
    evidence: "archived copy of Google documentation only",
    caveat:
      'the current page could not be read; value from its 2019-04-03 archived copy ("Uptime checks per Workspace | 100") and a 2025 report of "Error 429: ... too many configs in project" at the 101st check',
  },
  alertPolicies: {
    what: "alert policies",
    value: 2000,
    scope: "metrics scope",
    source: "https://cloud.google.com/monitoring/alerts/using-alerting-api",
    read: LIMITS_READ,
    evidence: "Google documentation",
  },
  conditionsPerPolicy: {
    what: "conditions in one alert policy",
    value: 6,
    scope: "policy",
    source: ALERT_PROTO,
    read: LIMITS_READ,
    evidence: "Google API definition (googleapis proto)",
  },
  channelsPerPolicy: {
    what: "notification channels on one alert policy",
    value: 16,
    scope: "policy",
    source: MONITORING_QUOTAS,
    read: LIMITS_READ,
    evidence: "archived copy of Google documentation only",
    caveat: 'value from the page\'s 2019-04-03 archived copy ("Notification channels per alerting policy | 16"), quoted unchanged by a 2026 third-party summary',
  },
  notificationChannels: {
    what: "notification channels",
    value: 4000,
    scope: "metrics scope",
    source: MONITORING_QUOTAS,
    read: LIMITS_READ,
    evidence: "archived copy of Google documentation only",
    caveat: 'value from the page\'s 2019-04-03 archived copy only ("Notification channels per Workspace | 4000"); not re-verified',
  },
  slosPerService: {
    what: "SLOs in one Cloud Monitoring service",
    value: 500,
    scope: "service",
    source: "https://cloud.google.com/stackdriver/docs/solutions/slo-monitoring/ui/create-slo",
    read: LIMITS_READ,
    evidence: "Google documentation",
  },
  logBuckets: {
    what: "log buckets",
    value: 100,
    scope: "project",
    source: LOGGING_QUOTAS,
    read: LIMITS_READ,
    evidence: "Google documentation",
    caveat: "buckets pending deletion (7 days after deletion) count too",
    raisableTo: RAISABLE_QUOTAS.logBuckets,
  },
  logSinks: {
    what: "log sinks",
    value: 200,
    scope: "project",
    source: LOGGING_QUOTAS,
    read: LIMITS_READ,
    evidence: "Google documentation",
    raisableTo: RAISABLE_QUOTAS.logSinks,
  },
  exclusionsPerSink: {
    what: "exclusion filters on one sink",
    value: 50,
    scope: "sink",
    source: LOGGING_QUOTAS,
    read: LIMITS_READ,
    evidence: "Google documentation",
  },
  logMetrics: {
    what: "user-defined log-based metrics",
    value: 500,
    scope: "project",
    source: LOGGING_QUOTAS,
    read: LIMITS_READ,
    evidence: "archived copy of Google documentation only",
    caveat: "value from an older copy of the page; the current copy's section was not readable",
  },
} as const satisfies Record<string, Limit>;

export type LimitId = keyof typeof LIMITS;

/** Limits counted over a whole project or metrics scope: what many services together can exhaust. */
export const PROJECT_LIMITS = ["uptimeChecks", "alertPolicies", "notificationChannels", "logBuckets", "logSinks", "logMetrics"] as const satisfies readonly LimitId[];
export type ProjectLimitId = (typeof PROJECT_LIMITS)[number];

/** Limits counted over one service, policy or sink: the largest single one counts. */
export const ITEM_LIMITS = ["slosPerService", "conditionsPerPolicy", "channelsPerPolicy", "exclusionsPerSink"] as const satisfies readonly LimitId[];
export type ItemLimitId = (typeof ITEM_LIMITS)[number];

/** Share of a limit from which the plan shows a notice. */
export const NOTICE_SHARE = 0.8;

/** Quota increases a stack declares it has obtained (`monitoring-stack:quotas`): limit id → granted value. */
export type QuotaOverrides = Partial<Record<LimitId, number>>;

/** The value that applies: the granted increase when one is declared, else Google's default. */
export function effectiveLimit(id: LimitId, overrides: QuotaOverrides = {}): number {
  return overrides[id] ?? LIMITS[id].value;
}

/** Limits that Google raises on request (the ones `monitoring-stack:quotas` may name), with their maximum. */
export function raisableLimits(): Partial<Record<LimitId, number>> {
  const out: Partial<Record<LimitId, number>> = {};
  for (const [id, limit] of Object.entries(LIMITS) as [LimitId, Limit][]) if (limit.raisableTo !== undefined) out[id] = limit.raisableTo;
  return out;
}

/** "per metrics scope (…source…, read 2026-12-01; archived copy only: …)" — how a message cites a limit. */
export function citeLimit(id: LimitId): string {
  const limit: Limit = LIMITS[id];
  return `${limit.source}, read ${limit.read}${limit.evidence === "archived copy of Google documentation only" ? `; ${limit.caveat ?? "archived copy only"}` : ""}`;
}
