import type { Severity } from "../../contract/serviceSchema";

/** Cloud Monitoring alert severities for our two kinds of alert. */
export const GCP_SEVERITY: Record<Severity, "CRITICAL" | "WARNING"> = { page: "CRITICAL", ticket: "WARNING" };

/** Objective in percent to a Cloud Monitoring goal, free of float noise: 99.9 → 0.999. */
export function goal(objectivePercent: number): number {
  return Math.round(objectivePercent * 1e6) / 1e8;
}
