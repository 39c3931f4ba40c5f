/**
 * The resources an offline plan produced, grouped per service, as the
 * baseline and the peer consume them: the raw-SDK baseline registers exactly
 * these cloud resources (same types, names and inputs), and the peer
 * synthesises one alarm per alert policy (same thresholds) and a dashboard
 * per service.
 */
import type { PlannedResource } from "../components/plan/mockRuntime";

export interface WorkloadResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

export interface Workload {
  /** Resources shared by the stack (the Platform's notification channels). */
  shared: WorkloadResource[];
  /** Cloud resources by service, services in name order. */
  services: { name: string; resources: WorkloadResource[] }[];
}

const SERVICE_COMPONENT = "monitoring-stack:service:ServiceMonitoring";

/**
 * Groups a plan's cloud resources (anything that is not one of our
 * components) under the service whose ServiceMonitoring they sit in.
 */
export function workloadFromPlan(resources: readonly PlannedResource[]): Workload {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const serviceOf = (resource: PlannedResource): string | undefined => {
    for (let at: PlannedResource | undefined = resource; at; at = at.parent ? byUrn.get(at.parent) : undefined) {
      if (at.type === SERVICE_COMPONENT) return at.name;
    }
    return undefined;
  };
  const shared: WorkloadResource[] = [];
  const services = new Map<string, WorkloadResource[]>();
  for (const resource of resources) {
    if (resource.type.startsWith("monitoring-stack:")) continue;
    const entry = { type: resource.type, name: resource.name, inputs: resource.inputs };
    const service = serviceOf(resource);
    if (service === undefined) shared.push(entry);
    else services.set(service, [...(services.get(service) ?? []), entry]);
  }
  for (const name of resources.filter((r) => r.type === SERVICE_COMPONENT).map((r) => r.name)) {
    if (!services.has(name)) services.set(name, []);
  }
  return {
    shared,
    services: [...services.keys()].sort().map((name) => ({ name, resources: services.get(name)! })),
  };
}

export function resourceCount(workload: Workload): number {
  return workload.shared.length + workload.services.reduce((sum, s) => sum + s.resources.length, 0);
}
