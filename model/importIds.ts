/**
 * The resources a stack can adopt instead of creating, and the id Pulumi's
 * Google Cloud provider imports each one by (`pulumi import TYPE NAME ID`,
 * and the `import` resource option). The id is not always the API's full
 * resource name: a log sink is imported as `projects/P/sinks/NAME` (the API
 * lists it by its short name), a log-based metric as `P NAME`.
 *
 * Source: the "Import" section of each resource in @pulumi/gcp 9.37.0
 * (generated from magic-modules' `id_format`/`import_format`);
 * test/model/importIds.test.ts records each format with its source.
 */

/** A Google Cloud project id: 6 to 30 characters, lower-case letters, digits and hyphens, starting with a letter. */
const PROJECT = "[a-z][a-z0-9-]{4,28}[a-z0-9]";

export interface AdoptableKind {
  /** What messages call it. */
  label: string;
  /** The import id's shape, as the provider's documentation writes it. */
  format: string;
  /** Matches an import id of this kind; the first group is the project. */
  pattern: RegExp;
}

/** Pulumi type → what adopting one takes. */
export const ADOPTABLE: Readonly<Record<string, AdoptableKind>> = {
  "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig": {
    label: "uptime check",
    format: "{{name}}: projects/{{project}}/uptimeCheckConfigs/{{uptime_check_id}}",
    pattern: new RegExp(`^projects/(${PROJECT})/uptimeCheckConfigs/[^/\\s]+$`),
  },
  "gcp:monitoring/alertPolicy:AlertPolicy": {
    label: "alert policy",
    format: "{{name}}: projects/{{project}}/alertPolicies/{{policy_id}}",
    pattern: new RegExp(`^projects/(${PROJECT})/alertPolicies/[^/\\s]+$`),
  },
  "gcp:monitoring/notificationChannel:NotificationChannel": {
    label: "notification channel",
    format: "{{name}}: projects/{{project}}/notificationChannels/{{channel_id}}",
    pattern: new RegExp(`^projects/(${PROJECT})/notificationChannels/[^/\\s]+$`),
  },
  "gcp:monitoring/customService:CustomService": {
    label: "service",
    format: "{{name}}: projects/{{project}}/services/{{service_id}}",
    pattern: new RegExp(`^projects/(${PROJECT})/services/[^/\\s]+$`),
  },
  "gcp:monitoring/slo:Slo": {
    label: "SLO",
    format: "{{name}}: projects/{{project}}/services/{{service_id}}/serviceLevelObjectives/{{slo_id}}",
    pattern: new RegExp(`^projects/(${PROJECT})/services/[^/\\s]+/serviceLevelObjectives/[^/\\s]+$`),
  },
  "gcp:logging/projectSink:ProjectSink": {
    label: "log sink",
    format: "projects/{{project_id}}/sinks/{{name}}",
    pattern: new RegExp(`^projects/(${PROJECT})/sinks/[^/\\s]+$`),
  },
  "gcp:logging/projectBucketConfig:ProjectBucketConfig": {
    label: "log bucket",
    format: "projects/{{project}}/locations/{{location}}/buckets/{{bucket_id}}",
    pattern: new RegExp(`^projects/(${PROJECT})/locations/[a-z0-9-]+/buckets/[^/\\s]+$`),
  },
  "gcp:logging/metric:Metric": {
    label: "log-based metric",
    format: "{{project}} {{name}}",
    pattern: new RegExp(`^(${PROJECT}) [^\\s]+$`),
  },
};

/**
 * What is wrong with `id` as the import id of a resource of `type` in
 * `project`, in words ("expected ..."); undefined when nothing is.
 */
export function importIdProblem(type: string, id: string, project: string): string | undefined {
  const kind = ADOPTABLE[type];
  if (!kind) return `a ${type} cannot be adopted (expected one of: ${Object.values(ADOPTABLE).map((k) => k.label).join(", ")})`;
  const match = kind.pattern.exec(id);
  if (!match) return `expected the ${kind.label}'s import id, ${kind.format}`;
  if (match[1] !== project) return `expected an id in the stack's project ${project} (got project ${match[1]})`;
  return undefined;
}

/** The import id of a log sink listed by its short name. */
export const sinkImportId = (project: string, name: string) => `projects/${project}/sinks/${name}`;
/** The import id of a log-based metric listed by its name. */
export const metricImportId = (project: string, name: string) => `${project} ${name}`;
