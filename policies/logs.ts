/**
 * Logs: buckets keep entries long enough to investigate (30 days in
 * production), and a sink's writer identity is never granted a project-wide
 * role — only its destination.
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { TYPE, knownNumber, owner, type ResourceLike, type StackResource } from "./support";

export interface LogRetentionConfig {
  /** Fewest days a log bucket keeps entries. */
  minRetentionDays: number;
}

export const logRetention: ResourceValidationPolicy = {
  name: "log-retention",
  description: "Log buckets keep entries at least the configured days (7 by default, 30 in production).",
  enforcementLevel: "mandatory",
  configSchema: { properties: { minRetentionDays: { type: "integer", default: 7, description: "Fewest days a log bucket keeps entries." } } },
  validateResource: (args, report) => checkLogRetention(args, args.getConfig<LogRetentionConfig>(), report),
};

export function checkLogRetention(resource: ResourceLike, config: LogRetentionConfig, report: (message: string) => void): void {
  if (resource.type !== TYPE.logBucket) return;
  // Cloud Logging keeps 30 days when retentionDays is not set.
  const days = knownNumber(resource.props["retentionDays"]) ?? 30;
  if (days < config.minRetentionDays) {
    report(`${owner(resource)}: log bucket ${String(resource.props["bucketId"])} keeps entries ${days} day(s); expected at least ${config.minRetentionDays}.`);
  }
}

const PROJECT_IAM = new Set<string>([TYPE.projectIamMember, TYPE.projectIamBinding, TYPE.projectIamPolicy]);
const LOGGING_AGENT = /@gcp-sa-logging\.iam\.gserviceaccount\.com|^serviceAccount:cloud-logs@system\.gserviceaccount\.com$/;

export interface SinkWritersConfig {
  /** Project-wide roles a sink writer may still hold (an approved exception). */
  allowedProjectRoles: string[];
}

export const sinkWritersScoped: StackValidationPolicy = {
  name: "sink-writers-scoped",
  description: "A log sink's writer identity is granted roles on its destination only, never on the whole project.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: { allowedProjectRoles: { type: "array", items: { type: "string" }, default: [], description: "Project-wide roles a sink writer may hold (approved exceptions)." } },
  },
  validateStack: (args, report) => checkSinkWriters(args.resources, args.getConfig<SinkWritersConfig>(), report),
};

export function checkSinkWriters(resources: readonly StackResource[], config: SinkWritersConfig, report: (message: string, urn?: string) => void): void {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  for (const grant of resources.filter((r) => PROJECT_IAM.has(r.type) && !config.allowedProjectRoles.includes(String(r.props["role"])))) {
    const fromSink = Object.values(grant.propertyDependencies)
      .flat()
      .some((dependency) => byUrn.get(dependency.urn)?.type === TYPE.sink || dependency.type === TYPE.sink);
    const members = [grant.props["member"], ...((grant.props["members"] as unknown[]) ?? [])].filter((m): m is string => typeof m === "string");
    if (fromSink || members.some((member) => LOGGING_AGENT.test(member))) {
      report(`${grant.name}: grants ${String(grant.props["role"] ?? "roles")} on project ${String(grant.props["project"] ?? "")} to a log sink's writer identity; grant it on the sink's destination instead.`, grant.urn);
    }
  }
}
