/**
 * What every policy module shares: the resource types they look at, the
 * labels our components put on resources, and small readers for props that
 * may still be unknown during a preview.
 */
import type { PolicyResource, ResourceValidationArgs } from "@pulumi/policy";

export const TYPE = {
  alertPolicy: "gcp:monitoring/alertPolicy:AlertPolicy",
  channel: "gcp:monitoring/notificationChannel:NotificationChannel",
  uptimeCheck: "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig",
  slo: "gcp:monitoring/slo:Slo",
  logBucket: "gcp:logging/projectBucketConfig:ProjectBucketConfig",
  sink: "gcp:logging/projectSink:ProjectSink",
  storageBucket: "gcp:storage/bucket:Bucket",
  backupVault: "gcp:backupdisasterrecovery/backupVault:BackupVault",
  backupPlan: "gcp:backupdisasterrecovery/backupPlan:BackupPlan",
  backupAssociation: "gcp:backupdisasterrecovery/backupPlanAssociation:BackupPlanAssociation",
  sqlInstance: "gcp:sql/databaseInstance:DatabaseInstance",
  bigqueryDataset: "gcp:bigquery/dataset:Dataset",
  projectIamMember: "gcp:projects/iAMMember:IAMMember",
  projectIamBinding: "gcp:projects/iAMBinding:IAMBinding",
  projectIamPolicy: "gcp:projects/iAMPolicy:IAMPolicy",
  serviceMonitoring: "monitoring-stack:service:ServiceMonitoring",
} as const;

/** The parts of a resource a policy reads; both the Pulumi policy host and the offline plan provide them. */
export type ResourceLike = Pick<ResourceValidationArgs, "type" | "props" | "urn" | "name"> & {
  opts: { protect?: boolean; retainOnDelete?: boolean; parent?: string };
};

export type StackResource = Pick<PolicyResource, "type" | "props" | "urn" | "name" | "propertyDependencies"> & {
  opts: ResourceLike["opts"];
};

/** Labels our components set on a resource (userLabels on Cloud Monitoring, labels elsewhere). */
export function labelsOf(props: Record<string, unknown>): Record<string, string> {
  const labels = props["userLabels"] ?? props["labels"];
  return typeof labels === "object" && labels !== null ? (labels as Record<string, string>) : {};
}

export function isCriticalTier(props: Record<string, unknown>): boolean {
  return labelsOf(props)["tier"] === "critical";
}

/** A known number, or undefined while the value is still unknown (computed) in a preview. */
export function knownNumber(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^[0-9]+(\.[0-9]+)?$/.test(value)) return Number(value);
  return undefined;
}

/** Seconds in a Google duration string like "60s". */
export function durationSeconds(value: unknown): number | undefined {
  return typeof value === "string" && /^[0-9]+s$/.test(value) ? Number(value.slice(0, -1)) : undefined;
}

/** Who a resource belongs to, for messages: "service checkout-api" when labelled, else its name. */
export function owner(resource: Pick<ResourceLike, "props" | "name">): string {
  const service = labelsOf(resource.props)["service"];
  return service ? `service ${service}` : resource.name;
}
