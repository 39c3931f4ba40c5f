/**
 * Declared things this version does not provision yet. They are reported as
 * advisory violations in plan.json and listed in summary.md, never dropped
 * silently.
 */
import type { ServiceModel } from "../model/types";

export interface Violation {
  policy: string;
  urn: string;
  message: string;
  level: "advisory" | "mandatory";
}

export const NOT_PROVISIONED_POLICY = "not-provisioned-yet";

export function serviceUrn(stack: string, project: string, service: string): string {
  return `urn:pulumi:${stack}::${project}::monitoring-stack:service:ServiceMonitoring::${service}`;
}

export function notProvisioned(service: ServiceModel, urn: string): Violation[] {
  const notices: string[] = [];
  const spec = service.spec;
  if (spec.database && !service.backup) notices.push(`database.cloudSql ${spec.database.cloudSql.instance} declares no backups, so nothing is provisioned for it`);
  return notices.map((message) => ({ policy: NOT_PROVISIONED_POLICY, urn, level: "advisory", message: `${service.name}: ${message}` }));
}
