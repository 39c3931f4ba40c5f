/**
 * The resources an offline plan produced, grouped per service, as the
 * baseline and the peer consume them: the raw-SDK baseline registers exactly
 * these cloud resources (same types, names and inputs), and the peer
 * synthesises one alarm per alert policy (same thresholds) and a dashboard
 * per service.
 */
import type { PlannedResource } from "../plan/mockRuntime";

export interface WorkloadResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  /** True for our component resources (no inputs of their own). */
  component: boolean;
  /** Index, in the same list, of the parent resource; absent at the top. */
  parent?: number;
}

export interface Workload {
  /** Resources shared by the stack (the Platform's notification channels). */
  shared: WorkloadResource[];
  /** Cloud resources by service, services in name order. */
  services: { name: string; resources: WorkloadResource[] }[];
}

const SERVICE_COMPONENT = "monitoring-stack:service:ServiceMonitoring";

/**
 * Groups a plan's resources under the service whose ServiceMonitoring they
 * sit in (the Platform and its channels are shared), parents before their
 * children, each with the index of its parent in the same list.
 */
export function workloadFromPlan(resources: readonly PlannedResource[]): Workload {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const serviceOf = (resource: PlannedResource): string | undefined => {
    for (let at: PlannedResource | undefined = resource; at; at = at.parent ? byUrn.get(at.parent) : undefined) {
      if (at.type === SERVICE_COMPONENT) return at.name;
    }
    return undefined;
  };
  const depth = (urn: string) => urn.split("::")[2]!.split("$").length;
  const ordered = [...resources].sort((a, b) => depth(a.urn) - depth(b.urn) || (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
  const shared: WorkloadResource[] = [];
  const services = new Map<string, WorkloadResource[]>();
  const placed = new Map<string, number>();
  for (const resource of ordered) {
    const service = serviceOf(resource);
    const list = service === undefined ? shared : (services.get(service) ?? services.set(service, []).get(service)!);
    const parent = resource.parent === undefined ? undefined : placed.get(resource.parent);
    placed.set(resource.urn, list.length);
    list.push({ type: resource.type, name: resource.name, inputs: resource.inputs, component: resource.type.startsWith("monitoring-stack:"), ...(parent === undefined ? {} : { parent }) });
  }
  for (const name of resources.filter((r) => r.type === SERVICE_COMPONENT).map((r) => r.name)) {
    if (!services.has(name)) services.set(name, []);
  }
  return {
    shared,
    services: [...services.keys()].sort().map((name) => ({ name, resources: services.get(name)! })),
  };
}

/** How many resources the workload has: all, or only the cloud (non-component) ones. */
export function resourceCount(workload: Workload, which: "all" | "cloud" = "all"): number {
  const count = (list: readonly WorkloadResource[]) => list.filter((r) => which === "all" || !r.component).length;
  return count(workload.shared) + workload.services.reduce((sum, s) => sum + count(s.resources), 0);
}
