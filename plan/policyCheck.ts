/**
 * The mandatory policy violations of a plan, by the service they belong to:
 * what `npm run validate` reports after the contract checks, so that a
 * declaration it passes is one `npm run plan` (and `pulumi preview`) accepts.
 */
import type { PlannedResource } from "./mockRuntime";
import type { PlanDocument } from "./runPlan";
import { TYPE } from "../policies/support";

/** The service a resource belongs to: the ServiceMonitoring it sits under, if any. */
export function owningService(urn: string, byUrn: ReadonlyMap<string, PlannedResource>): string | undefined {
  for (let current = byUrn.get(urn); current; current = current.parent ? byUrn.get(current.parent) : undefined) {
    if (current.type === TYPE.serviceMonitoring) return current.name;
  }
  // Violations about a whole service name its ServiceMonitoring's URN, which the plan records like any resource.
  return undefined;
}

/** Mandatory violations on the given services' resources, and on resources that belong to no service. */
export function mandatoryViolations(plan: PlanDocument, services: ReadonlySet<string>): { service?: string; policy: string; message: string }[] {
  const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
  return plan.violations
    .filter((v) => v.level === "mandatory")
    .flatMap((v) => {
      const service = owningService(v.urn, byUrn);
      if (service !== undefined && !services.has(service)) return [];
      return [{ ...(service !== undefined ? { service } : {}), policy: v.policy, message: v.message }];
    });
}
