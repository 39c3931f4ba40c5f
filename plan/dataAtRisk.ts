/**
 * What a change between two plans can lose, as data, by resource kind: the
 * inputs whose change makes the provider replace a resource and what the
 * replacement loses; what deleting it loses; per field that decides how long
 * data is kept, whether it is locked or protected, and what a sink routes,
 * what a change of its value loses (or why it loses nothing); and resources
 * that take over configuration this program did not create. plan/diff.ts lists
 * what these find under "History, data and credentials at risk", with the
 * values before and after. test/plan/dataAtRisk.test.ts reads the providers'
 * input types of every resource the components create and fails when a
 * retention-like field is in none of these tables.
 */
import { isDeepStrictEqual } from "node:util";
import type { PlannedResource } from "./mockRuntime";

type Inputs = Record<string, unknown>;

/** A field whose change can lose data or history: what a change loses, and how its values read. */
export interface RiskyField {
  /** What changing the value from `before` to `after` loses, in words; undefined when this change loses nothing (a longer retention). */
  loses(before: unknown, after: unknown): string | undefined;
  /** The value as a reviewer reads it. Default: the value itself, "unset" when absent. */
  show?(value: unknown): string;
}

/** A field whose change loses nothing, and why. */
export interface HarmlessField {
  harmless: string;
}

export type FieldClass = RiskyField | HarmlessField;

export const isRisky = (field: FieldClass): field is RiskyField => "loses" in field;

/** Inputs whose change makes the provider replace the resource; what the replacement loses and what deleting the resource loses. */
export const REPLACEMENT_FIELDS: Record<string, { fields: string[]; loses: string; deleted: string }> = {
  "gcp:monitoring/slo:Slo": { fields: ["sloId", "service", "project"], loses: "the SLO's history (a new, empty SLO)", deleted: "the SLO and its history" },
  "gcp:monitoring/customService:CustomService": {
    fields: ["serviceId", "project"],
    loses: "the Cloud Monitoring service and the history of every SLO under it",
    deleted: "the Cloud Monitoring service and the history of every SLO under it",
  },
  "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig": {
    fields: ["monitoredResource", "checkerType", "httpCheck.requestMethod", "project"],
    loses: "the check's id and results (alerts and SLOs follow the new id)",
    deleted: "the check and its results",
  },
  "gcp:logging/projectBucketConfig:ProjectBucketConfig": { fields: ["bucketId", "location", "project"], loses: "the stored log entries (a new, empty bucket)", deleted: "the stored log entries" },
  "gcp:storage/bucket:Bucket": { fields: ["name", "location", "project"], loses: "the exported objects (a new, empty bucket)", deleted: "the exported objects" },
  "gcp:backupdisasterrecovery/backupVault:BackupVault": { fields: ["backupVaultId", "location", "project"], loses: "the backups in the vault (a new, empty vault)", deleted: "the backups in the vault" },
  "gcp:backupdisasterrecovery/backupPlan:BackupPlan": {
    fields: ["backupPlanId", "location", "resourceType", "backupVault", "project"],
    loses: "the schedule until the new plan is associated",
    deleted: "the schedule: no backup is taken by this plan any more",
  },
  "gcp:backupdisasterrecovery/backupPlanAssociation:BackupPlanAssociation": {
    fields: ["backupPlanAssociationId", "resource", "location", "project"],
    loses: "the protection of the instance until the new association runs",
    deleted: "the protection of the instance: no backup is taken any more",
  },
  "gcp:logging/metric:Metric": { fields: ["name", "project"], loses: "the metric's history (counting restarts)", deleted: "the metric and its history" },
  "gcp:logging/projectSink:ProjectSink": { fields: ["name", "project"], loses: "the writer identity (grants must follow)", deleted: "the routing: entries are no longer kept or exported there" },
  "gcp:monitoring/notificationChannel:NotificationChannel": { fields: ["type", "project"], loses: "the channel's id (every alert policy is updated)", deleted: "the channel: alerts stop reaching it" },
  "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": {
    fields: ["metadata.name", "metadata.namespace"],
    loses: "nothing stored, but the workload is briefly unscaled",
    deleted: "nothing stored, but the workload is no longer scaled",
  },
  "kubernetes:policy/v1:PodDisruptionBudget": {
    fields: ["metadata.name", "metadata.namespace"],
    loses: "nothing stored, but drains are briefly unguarded",
    deleted: "nothing stored, but drains are no longer guarded",
  },
};

/** Resources that take over configuration this program did not create: what adding and removing one does. */
export const TAKES_OVER: Record<string, { added: string; removed: string }> = {
  // The provider's resource manages the entire tree and overwrites its policies (its documentation); deleting it resets the tree.
  "grafana:alerting/notificationPolicy:NotificationPolicy": {
    added:
      "takes over the organisation's whole notification policy tree: every policy, timing and default contact point set in Grafana by hand or by another program is replaced",
    removed: "Grafana resets the organisation's notification policy tree to its default: the team policies go, and alerts reach only the default contact point",
  },
};

const shown = (value: unknown): string => (value === undefined ? "unset" : typeof value === "string" ? value : JSON.stringify(value));
const num = (value: unknown): number | undefined => (typeof value === "number" ? value : typeof value === "string" && /^\d+(\.\d+)?s?$/.test(value) ? Number.parseFloat(value) : undefined);
const daysText = (days: number) => `${Math.round(days * 100) / 100} day${days === 1 ? "" : "s"}`;
const on = (value: unknown) => value === true;

/** A number of days (or seconds shown as days) that keeps data: lowering it loses what lies past the new value. */
function shorter(defaultValue: number | undefined, unit: "days" | "seconds", what: (before: string, after: string, lost: string) => string): RiskyField {
  const read = (value: unknown) => num(value) ?? defaultValue;
  const text = (value: number) => (unit === "days" ? daysText(value) : daysText(value / 86_400));
  return {
    loses: (before, after) => {
      const was = read(before);
      const now = read(after);
      if (was === undefined || now === undefined || now >= was) return undefined;
      return what(text(was), text(now), text(was - now));
    },
    show: (value) => {
      const n = read(value);
      return n === undefined ? shown(value) : `${text(n)}${num(value) === undefined ? " (default)" : ""}`;
    },
  };
}

/** A switch whose turning on (or off) loses something. */
const turnedOn = (loses: string): RiskyField => ({ loses: (before, after) => (!on(before) && on(after) ? loses : undefined), show: (v) => (on(v) ? "true" : v === undefined ? "unset" : String(v)) });
const turnedOff = (loses: string, defaultOn = false): RiskyField => ({
  loses: (before, after) => ((before ?? defaultOn) === true && (after ?? defaultOn) !== true ? loses : undefined),
  show: (v) => (v === undefined ? `unset (${defaultOn})` : String(v)),
});
/** Any change at all is worth a look: what it does, in words. */
const anyChange = (what: (before: string, after: string) => string, show: (value: unknown) => string = shown): RiskyField => ({
  loses: (before, after) => (isDeepStrictEqual(before, after) ? undefined : what(show(before), show(after))),
  show,
});

/** Exclusions that drop entries: name → filter, for those not disabled. */
function activeExclusions(value: unknown): Map<string, string> {
  const list = Array.isArray(value) ? (value as { name?: unknown; filter?: unknown; disabled?: unknown }[]) : [];
  return new Map(list.filter((e) => e.disabled !== true).map((e) => [String(e.name), String(e.filter)]));
}

/** The shortest age after which a lifecycle rule deletes objects, if any. */
function deleteAfterDays(value: unknown): number | undefined {
  const rules = Array.isArray(value) ? (value as { action?: { type?: unknown }; condition?: { age?: unknown } }[]) : [];
  const ages = rules.filter((r) => r.action?.type === "Delete" && typeof r.condition?.age === "number").map((r) => r.condition!.age as number);
  return ages.length ? Math.min(...ages) : undefined;
}

/** Backup rules by id: days each keeps its backups. */
function ruleRetention(value: unknown): Map<string, number> {
  const rules = Array.isArray(value) ? (value as { ruleId?: unknown; backupRetentionDays?: unknown }[]) : [];
  return new Map(rules.map((r) => [String(r.ruleId), Number(r.backupRetentionDays)]));
}

/** deletionPolicy of the Google provider: DELETE (the default), ABANDON or PREVENT. */
const deletionPolicy: RiskyField = {
  loses: (before, after) =>
    (before === "PREVENT" || before === "ABANDON") && (after ?? "DELETE") === "DELETE"
      ? `removing the resource from the program now deletes it in Google Cloud (was ${before === "PREVENT" ? "refused" : "left in Google Cloud"})`
      : undefined,
  show: (v) => (v === undefined ? "unset (DELETE)" : String(v)),
};

/**
 * Fields of every kind: the Google provider's own deletion policy, and the
 * Kubernetes object metadata the API server sets.
 */
export const EVERY_KIND: Record<string, FieldClass> = {
  deletionPolicy,
  "metadata.deletionGracePeriodSeconds": { harmless: "set by the Kubernetes API server while an object is being deleted, never by this program" },
  "metadata.deletionTimestamp": { harmless: "set by the Kubernetes API server while an object is being deleted, never by this program" },
  "metadata.ownerReferences": { harmless: "garbage-collection order when an owner is deleted; this program sets no owner references" },
};

/** Per resource kind, per field (a dotted path; a field covers what it holds): what a change of its value loses, or why it loses nothing. */
export const FIELD_RISKS: Record<string, Record<string, FieldClass>> = {
  "gcp:logging/projectBucketConfig:ProjectBucketConfig": {
    // Cloud Logging keeps entries 30 days in a bucket created without a retention.
    retentionDays: shorter(30, "days", (was, now, lost) => `entries older than ${now} are deleted: ${lost} of history (was ${was})`),
    locked: {
      loses: (before, after) =>
        on(before) && !on(after)
          ? "the update fails: a locked bucket cannot be unlocked"
          : !on(before) && on(after)
            ? "cannot be undone: the retention can never be changed again, and the bucket can be deleted only when empty"
            : undefined,
      show: (v) => String(v ?? false),
    },
  },
  "gcp:logging/projectSink:ProjectSink": {
    destination: anyChange((was, now) => `entries go to ${now} from now on; ${was} keeps what it holds and receives nothing more`),
    filter: anyChange(() => "entries the old filter matched and the new one does not are no longer routed by this sink"),
    disabled: turnedOn("the sink routes nothing: no entry is kept or exported by it from now on"),
    exclusions: {
      loses: (before, after) => {
        const was = activeExclusions(before);
        const added = [...activeExclusions(after)].filter(([name, filter]) => was.get(name) !== filter);
        return added.length ? `entries matching ${added.map(([name, filter]) => `${name} (${filter})`).join(", ")} are no longer routed by this sink` : undefined;
      },
      show: (v) => {
        const names = [...activeExclusions(v).keys()];
        return names.length ? names.join(", ") : "none";
      },
    },
  },
  "gcp:logging/metric:Metric": {
    disabled: turnedOn("the metric records no points from now on: a gap in its history, and alerts on it see no data"),
  },
  "gcp:storage/bucket:Bucket": {
    "retentionPolicy.retentionPeriod": shorter(undefined, "seconds", (was, now) => `objects can be deleted or overwritten after ${now} instead of ${was}`),
    "retentionPolicy.isLocked": {
      loses: (before, after) =>
        on(before) && !on(after) ? "the update fails: a locked retention policy cannot be unlocked" : !on(before) && on(after) ? "cannot be undone: the retention policy can never be shortened or removed" : undefined,
      show: (v) => String(v ?? false),
    },
    lifecycleRules: {
      loses: (before, after) => {
        const was = deleteAfterDays(before);
        const now = deleteAfterDays(after);
        return now !== undefined && (was === undefined || now < was) ? `objects older than ${daysText(now)} are deleted${was === undefined ? "" : ` (was ${daysText(was)})`}` : undefined;
      },
      show: (v) => (deleteAfterDays(v) === undefined ? "no deletion" : `deleted after ${daysText(deleteAfterDays(v)!)}`),
    },
    // Cloud Storage keeps deleted objects 7 days by default; 0 turns soft delete off.
    "softDeletePolicy.retentionDurationSeconds": shorter(604_800, "seconds", (was, now) => `deleted objects can be restored for ${now} instead of ${was}`),
    "versioning.enabled": turnedOff("overwritten and deleted objects keep no earlier version from now on"),
    forceDestroy: turnedOn("deleting the bucket now deletes the objects in it instead of failing"),
    enableObjectRetention: { harmless: "allows retention on single objects; it keeps more, never less" },
    "cors.maxAgeSeconds": { harmless: "how long browsers cache a CORS answer" },
  },
  "gcp:backupdisasterrecovery/backupVault:BackupVault": {
    backupMinimumEnforcedRetentionDuration: shorter(undefined, "seconds", (was, now) => `backups can be deleted after ${now} instead of ${was}: the vault's lock is weaker`),
    effectiveTime: anyChange((was, now) => `when the vault locks changes (${was} → ${now}): until it locks, its enforced retention can be lowered`),
    backupRetentionInheritance: anyChange((was, now) => `how long each backup is locked changes (${was} → ${now})`),
    forceDelete: turnedOn("deleting the vault is no longer refused while data sources or an active backup plan still use it"),
    ignoreInactiveDatasources: turnedOn("deleting the vault is no longer refused while it holds inactive data sources"),
    ignoreBackupPlanReferences: turnedOn("deleting the vault is no longer refused while an active backup plan uses it"),
    forceUpdate: { harmless: "only lets an update extend the enforced retention" },
  },
  "gcp:backupdisasterrecovery/backupPlan:BackupPlan": {
    backupRules: {
      loses: (before, after) => {
        const now = ruleRetention(after);
        const losses = [...ruleRetention(before)].flatMap(([rule, days]) => {
          const kept = now.get(rule);
          if (kept === undefined) return [`rule ${rule} removed: no more backups from it`];
          return kept < days ? [`${rule} backups kept ${daysText(kept)} instead of ${daysText(days)}: a restore goes back ${daysText(kept)} at most`] : [];
        });
        return losses.length ? losses.join("; ") : undefined;
      },
      show: (v) => [...ruleRetention(v)].map(([rule, days]) => `${rule} kept ${daysText(days)}`).join(", ") || "none",
    },
    logRetentionDays: {
      loses: (before, after) => {
        const was = num(before);
        const now = num(after);
        if (was === undefined) return undefined;
        if (now === undefined) return `point-in-time recovery off: the instance can be restored to a backup only, no longer to any moment of the last ${daysText(was)}`;
        return now < was ? `point-in-time recovery reaches back ${daysText(now)} instead of ${daysText(was)}` : undefined;
      },
      show: (v) => (num(v) === undefined ? "unset (no point-in-time recovery)" : `${daysText(num(v)!)} (point-in-time recovery)`),
    },
    maxCustomOnDemandRetentionDays: shorter(undefined, "days", (was, now) => `on-demand backups are kept at most ${now} instead of ${was}`),
  },
  "gcp:monitoring/notificationChannel:NotificationChannel": {
    forceDelete: { harmless: "only lets a channel that alert policies still name be deleted; the channel holds no data" },
  },
  "grafana:syntheticMonitoring/check:Check": {
    enabled: turnedOff("the check stops running: its uptime SLO and alerts get no data from now on", true),
  },
  "grafana:oss/folder:Folder": {
    preventDestroyIfNotEmpty: turnedOff("deleting the folder is no longer refused while it holds dashboards or alert rules"),
  },
  "grafana:alerting/contactPoint:ContactPoint": {
    "pushovers.expire": { harmless: "how long Pushover retries an emergency notification" },
    "telegrams.protectContent": { harmless: "whether Telegram lets a message be forwarded or saved" },
  },
  "grafana:alerting/ruleGroup:RuleGroup": {
    "rules.keepFiringFor": { harmless: "how long an alert keeps firing after its condition clears" },
  },
  "pulumi:providers:kubernetes": {
    deleteUnreachable: { harmless: "forgets, in Pulumi's state only, the resources of a cluster that no longer answers" },
  },
};

/** The class of a field of a kind: its own entry, an entry for a field that holds it, or one for every kind. */
export function fieldClass(type: string, path: string): FieldClass | undefined {
  const tables = [FIELD_RISKS[type] ?? {}, EVERY_KIND];
  for (const table of tables) {
    for (let prefix = path; prefix; prefix = prefix.includes(".") ? prefix.slice(0, prefix.lastIndexOf(".")) : "") {
      if (table[prefix]) return table[prefix];
    }
    // A field that holds classified fields is classified through them.
    if (Object.keys(table).some((field) => field.startsWith(`${path}.`))) return { harmless: "classified field by field" };
  }
  return undefined;
}

function valueAt(inputs: Inputs, dotted: string): unknown {
  return dotted.split(".").reduce<unknown>((value, key) => (typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined), inputs);
}

/** One field of one resource changed in a way that loses data or history. */
export interface FieldLoss {
  field: string;
  before: string;
  after: string;
  loses: string;
}

/** The risky fields of a resource kind whose change between two versions loses something, with both values. */
export function fieldLosses(type: string, before: Inputs, after: Inputs): FieldLoss[] {
  const fields = { ...EVERY_KIND, ...(FIELD_RISKS[type] ?? {}) };
  const losses: FieldLoss[] = [];
  for (const [field, rule] of Object.entries(fields)) {
    if (!isRisky(rule)) continue;
    const was = valueAt(before, field);
    const now = valueAt(after, field);
    if (isDeepStrictEqual(was, now)) continue;
    const loses = rule.loses(was, now);
    const show = rule.show ?? shown;
    if (loses !== undefined) losses.push({ field, before: show(was), after: show(now), loses });
  }
  return losses;
}

/** How a removed resource leaves: kept by Pulumi's options or the provider's deletion policy, or deleted. */
export function removal(resource: PlannedResource): { kept: boolean; happens: string } {
  if (resource.protect) return { kept: true, happens: "removed from the program; protected: the update stops until it is unprotected" };
  if (resource.retainOnDelete) return { kept: true, happens: "removed from the program; kept in Google Cloud (retainOnDelete), no longer managed" };
  const policy = resource.inputs["deletionPolicy"];
  if (policy === "PREVENT") return { kept: true, happens: "removed from the program; deletionPolicy PREVENT: the update fails until it is changed" };
  if (policy === "ABANDON") return { kept: true, happens: "removed from the program; kept in Google Cloud (deletionPolicy ABANDON), no longer managed" };
  return { kept: false, happens: "deleted" };
}
