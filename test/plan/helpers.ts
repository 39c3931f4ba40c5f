import * as path from "node:path";
import { runPlan, type PlanOptions } from "../../plan/runPlan";
import type { PlannedResource } from "../../plan/mockRuntime";

export const FIXTURE_STACK = path.join(__dirname, "..", "fixtures", "plan", "Pulumi.test.yaml");
export const FIXTURE_SERVICES = path.join(__dirname, "..", "fixtures", "plan", "services");

/** Plans and fails loudly on invalid input, so tests read as plain assertions. */
export async function plan(options: PlanOptions) {
  const outcome = await runPlan(options);
  if (!outcome.ok) throw new Error(`plan failed:\n${outcome.problems.map((p) => `${p.file}: ${p.path}: ${p.message}`).join("\n")}`);
  return outcome;
}

export function fixturePlan() {
  return plan({ stack: "test", configFile: FIXTURE_STACK, servicesDir: FIXTURE_SERVICES });
}

export function byName(resources: readonly PlannedResource[], name: string): PlannedResource {
  const found = resources.find((r) => r.name === name);
  if (!found) throw new Error(`no resource named ${name}; have: ${resources.map((r) => r.name).join(", ")}`);
  return found;
}

export function ofType(resources: readonly PlannedResource[], type: string): PlannedResource[] {
  return resources.filter((r) => r.type === type);
}
