/** SLOs: goals Cloud Monitoring accepts and that leave an error budget. */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { TYPE, knownNumber, owner, type ResourceLike } from "./support";

export interface SloGoalConfig {
  /** Highest goal allowed. */
  maxGoal: number;
}

export const sloGoalLimit: ResourceValidationPolicy = {
  name: "slo-goal-limit",
  description: "SLO goals are at most 0.9999: above that the error budget is minutes a year and no alert can act in time.",
  enforcementLevel: "mandatory",
  configSchema: { properties: { maxGoal: { type: "number", default: 0.9999, description: "Highest SLO goal." } } },
  validateResource: (args, report) => checkSloGoal(args, args.getConfig<SloGoalConfig>(), report),
};

export function checkSloGoal(resource: ResourceLike, config: SloGoalConfig, report: (message: string) => void): void {
  if (resource.type !== TYPE.slo) return;
  const goal = knownNumber(resource.props["goal"]);
  if (goal !== undefined && goal > config.maxGoal) {
    report(`${owner(resource)}: SLO "${String(resource.props["displayName"])}" has goal ${goal}; expected at most ${config.maxGoal}.`);
  }
}
