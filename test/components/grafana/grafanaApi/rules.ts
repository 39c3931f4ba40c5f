/**
 * Rules the Grafana suite's modules share, each with its source. Written from
 * the sources, never imported from the code under test.
 */

/**
 * grafana/grafana pkg/util/shortid_generator.go: `ValidateUID` fails when
 * `IsShortUIDTooLong` (more than 40 characters, `MaxUIDLength`) or when
 * `IsValidShortUID` does not match `^[a-zA-Z0-9\-\_]*$`. Alert rules
 * (pkg/services/ngalert/provisioning/alert_rules.go `ReplaceRuleGroup`, and
 * pkg/services/ngalert/models/alert_rule.go `ValidateAlertRule`), dashboards
 * and folders (pkg/services/dashboards/service/dashboard_service.go:
 * "uid contains illegal characters", "uid too long, max 40 characters") all
 * call it; the provider's folder_uid adds that it is not empty
 * (terraform-provider-grafana resource_folder.go `folderUIDValidation`
 * `^[a-zA-Z0-9\-\_]+$`).
 */
export function uidProblems(uid: unknown, what = "uid"): string[] {
  if (typeof uid !== "string" || uid.length === 0) return [`${what} missing (got ${JSON.stringify(uid)})`];
  const problems: string[] = [];
  if (uid.length > 40) problems.push(`${what} ${JSON.stringify(uid)} is ${uid.length} characters (at most 40)`);
  if (!/^[a-zA-Z0-9\-_]*$/.test(uid)) problems.push(`${what} ${JSON.stringify(uid)} has characters other than letters, digits, '-' and '_'`);
  return problems;
}

/**
 * Milliseconds of a Go duration as the provider parses `for` (go-openapi
 * strfmt `ParseDuration`, which takes time.ParseDuration's form: "0", or
 * numbers with ns, us, µs, ms, s, m, h), or undefined when it does not parse.
 */
export function goDurationMs(text: unknown): number | undefined {
  if (typeof text !== "string") return undefined;
  if (text === "0") return 0;
  if (!/^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/.test(text)) return undefined;
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
  return [...text.matchAll(/([0-9]+(?:\.[0-9]+)?)(ns|us|µs|ms|s|m|h)/g)].reduce((sum, [, value, u]) => sum + Number(value) * unit[u!]!, 0);
}

/**
 * Milliseconds of a Prometheus duration (prometheus/common model
 * `ParseDuration`, which Grafana's notification policy `group_wait`,
 * `group_interval` and `repeat_interval` are: units y, w, d, h, m, s, ms,
 * largest first, each once), or undefined when it does not parse.
 */
export function promDurationMs(text: unknown): number | undefined {
  if (typeof text !== "string" || text === "") return undefined;
  if (text === "0") return 0;
  const match = /^(?:([0-9]+)y)?(?:([0-9]+)w)?(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?(?:([0-9]+)ms)?$/.exec(text);
  if (!match) return undefined;
  const units = [365 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1_000, 1];
  return units.reduce((sum, unit, i) => sum + Number(match[i + 1] ?? 0) * unit, 0);
}

/** Prometheus' classic label name rule (prometheus/common model `LabelNameRE`): what Alertmanager and Grafana's matchers read without quoting. */
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** Prometheus' classic metric name rule (prometheus/common model `IsValidLegacyMetricName`), which a Grafana recording rule's metric must follow (models/alert_rule.go `validateRecordingRuleFields`). */
export const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
