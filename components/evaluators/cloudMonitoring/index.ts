/**
 * Cloud Monitoring evaluates the SLOs of the runtime's own metrics, of Cloud
 * Monitoring filters and of its own uptime checks: per service, a Cloud
 * Monitoring service with its SLOs, and the burn-rate alert policies over them.
 * Nothing stack-wide and no files: the plan records the resources themselves.
 */
import { BurnRateAlerts } from "../../gcp/BurnRateAlerts";
import { ServiceLevelObjectives } from "../../gcp/ServiceLevelObjectives";
import { NO_FILES, type EvaluatorBuilder } from "../types";

export const cloudMonitoringEvaluator: EvaluatorBuilder = {
  evaluator: "cloudMonitoring",
  renderFiles: () => NO_FILES,
  provisionStack: () => undefined,
  provisionService({ name, parent, service, project, channels, uptimeCheckIds, retainSloHistory }) {
    const slos = new ServiceLevelObjectives(`${name}-slo`, { service, project, uptimeCheckIds, retainOnDelete: retainSloHistory }, { parent });
    new BurnRateAlerts(`${name}-burn`, { service, project, sloNames: slos.sloNames, sloResources: slos.slos, channels }, { parent });
    return { sloNames: slos.sloNames };
  },
};
