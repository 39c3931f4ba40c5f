/**
 * The plans the Grafana and Synthetic Monitoring contract suite reads: every
 * plan the repository makes (the Google Cloud suite's set, planned once and
 * cached: test/components/gcp/googleApi/plans.ts) that holds a Grafana
 * resource — today the stacks with a Grafana (local, dev), the dried-fruits
 * and ftry examples and the Grafana fixture (test/fixtures/grafana), whose
 * services sit at the edges: hashed uids, renames, every contact point kind,
 * checks every 5 and 15 minutes with the longest timeout allowed.
 */
import type { PlannedResource } from "../../../../plan/mockRuntime";
import { contractPlans, type ContractPlan } from "../../gcp/googleApi/plans";

export { PLAN_TIMEOUT_MS } from "../../gcp/googleApi/plans";

export const TYPE = {
  ruleGroup: "grafana:alerting/ruleGroup:RuleGroup",
  contactPoint: "grafana:alerting/contactPoint:ContactPoint",
  notificationPolicy: "grafana:alerting/notificationPolicy:NotificationPolicy",
  muteTiming: "grafana:alerting/muteTiming:MuteTiming",
  folder: "grafana:oss/folder:Folder",
  dashboard: "grafana:oss/dashboard:Dashboard",
  check: "grafana:syntheticMonitoring/check:Check",
} as const;

/** Plans with at least one Grafana resource (providers aside). */
export async function grafanaPlans(): Promise<ContractPlan[]> {
  return (await contractPlans()).filter((plan) => plan.resources.some((r) => r.type.startsWith("grafana:")));
}

/** One planned resource with the plan it belongs to. */
export interface Planned {
  plan: ContractPlan;
  resource: PlannedResource;
}

export function ofType(plans: readonly ContractPlan[], type: string): Planned[] {
  return plans.flatMap((plan) => plan.resources.filter((resource) => resource.type === type).map((resource) => ({ plan, resource })));
}

/** `source: name` for failure messages. */
export const where = ({ plan, resource }: Planned) => `${plan.source}: ${resource.name}`;

/** The inputs of a planned resource. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const inputs = (p: Planned) => p.resource.inputs as Record<string, any>;

/** Every problem `check` finds, each prefixed with where it was found; `[]` when all hold. */
export function breaches(planned: readonly Planned[], check: (p: Planned) => string[]): string[] {
  return planned.flatMap((p) => check(p).map((problem) => `${where(p)}: ${problem}`));
}
