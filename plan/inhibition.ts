/**
 * Whether an SLO's page silences its ticket while both fire. The Alertmanager
 * configuration the stack renders has one inhibit rule: a firing
 * `SLOErrorBudgetBurn` page suppresses the ticket of the same service and SLO
 * (components/prometheus/alertmanager.ts). It applies to the SLOs Prometheus
 * evaluates; Grafana's notification policies have no inhibition and Cloud
 * Monitoring notifies every alert policy on its own, so there both notify.
 */
import { evaluatorLabel } from "../model/evaluators";
import { recordedEvaluator, type RecordedService, type RecordedSlo } from "./planRecord";

/** True when the SLO raises both severities and Alertmanager silences its ticket while its page fires. */
export function pageSilencesTicket(slo: RecordedSlo): boolean {
  return recordedEvaluator(slo) === "prometheus" && slo.tiers.some((t) => t.severity === "page") && slo.tiers.some((t) => t.severity === "ticket");
}

function inhibitionText(slo: RecordedSlo): string {
  if (pageSilencesTicket(slo)) return "the ticket is silenced while the page fires (Alertmanager's inhibit rule)";
  const severities = new Set(slo.tiers.map((t) => t.severity));
  if (!severities.has("page") || !severities.has("ticket")) return `only ${[...severities].join(", ") || "no"} alerts: nothing to silence`;
  return `page and ticket both notify (${evaluatorLabel(recordedEvaluator(slo))} has no inhibition)`;
}

/** SLOs, present on both sides, whose page starts or stops silencing their ticket: [service / SLO, before, after]. */
export function inhibitionChanges(
  services: readonly { before?: RecordedService; after?: RecordedService }[],
  sloPairs: (before: readonly RecordedSlo[], after: readonly RecordedSlo[]) => { before?: RecordedSlo; after?: RecordedSlo }[],
): string[][] {
  const rows: string[][] = [];
  for (const service of services) {
    if (!service.before || !service.after) continue;
    for (const { before, after } of sloPairs(service.before.slos, service.after.slos)) {
      if (!before || !after || pageSilencesTicket(before) === pageSilencesTicket(after)) continue;
      rows.push([`${service.after.name} / ${after.name}`, inhibitionText(before), inhibitionText(after)]);
    }
  }
  return rows;
}
