/**
 * Small checks the contract modules share: protobuf JSON durations and the
 * user-label rule that alert policies, SLOs, services, uptime checks and
 * notification channels have in common.
 */

/** The plan's marker for a value known only after creation. */
export const UNKNOWN = "[unknown]";

/**
 * Seconds of a protobuf JSON Duration as we send it ("60s"), or undefined
 * when it is not in that form. The server answers in "<seconds>s" form;
 * sending anything else ("1m", "60.0s") shows a change on every refresh.
 * Source: google/protobuf/duration.proto, JSON mapping: "encoded as a string
 * … ending in the suffix \"s\"".
 */
export function durationSeconds(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const match = /^(0|[1-9][0-9]*)s$/.exec(value);
  return match ? Number(match[1]) : undefined;
}

/**
 * google/monitoring/v3/alert.proto AlertPolicy.user_labels (the same text in
 * service.proto ServiceLevelObjective.user_labels, Service.user_labels,
 * uptime.proto UptimeCheckConfig.user_labels, notification.proto
 * NotificationChannel.user_labels): "The field can contain up to 64 entries.
 * Each key and value is limited to 63 Unicode characters or 128 bytes,
 * whichever is smaller. Labels and values can contain only lowercase letters,
 * numerals, underscores, and dashes. Keys must begin with a letter."
 */
export function userLabelProblems(labels: unknown): string[] {
  if (labels === undefined) return [];
  if (typeof labels !== "object" || labels === null) return [`userLabels is not a map (got ${JSON.stringify(labels)})`];
  const entries = Object.entries(labels as Record<string, unknown>);
  const problems: string[] = [];
  if (entries.length > 64) problems.push(`${entries.length} user labels (at most 64)`);
  for (const [key, value] of entries) {
    if (!/^[a-z][a-z0-9_-]{0,62}$/.test(key) || Buffer.byteLength(key) > 128) problems.push(`label key ${JSON.stringify(key)}`);
    if (typeof value !== "string" || !/^[a-z0-9_-]{0,63}$/.test(value) || Buffer.byteLength(value) > 128) problems.push(`label ${key} value ${JSON.stringify(value)}`);
  }
  return problems;
}

/** Every string at a key named `key`, anywhere in a value, with its path. */
export function stringsAt(value: unknown, key: RegExp, at = ""): { path: string; value: string }[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => stringsAt(item, key, `${at}[${index}]`));
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => {
      const here = at ? `${at}.${k}` : k;
      return typeof v === "string" && key.test(k) ? [{ path: here, value: v }] : stringsAt(v, key, here);
    });
  }
  return [];
}
