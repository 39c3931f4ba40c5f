/** Plain-language lines about Prometheus-evaluated SLOs, for the plan summary. */
import type { ServiceModel, SloModel } from "../../model/types";
import type { PrometheusSettings } from "../../contract/prometheusConfig";
import { describeTargets } from "./objects";

/** What the low-traffic guard does for this SLO's pages; timeslices count bad slices, so the guard (bad events) is not applied. */
export function guardText(settings: Pick<PrometheusSettings, "minBadEventsToPage">, slo?: Pick<SloModel, "budgeting" | "indicator">): string {
  if (slo?.budgeting.method === "timeslices") return "no low-traffic guard (timeslices budgeting judges each slice by its ratio, whatever its traffic)";
  if (slo?.indicator.kind === "promql" && settings.minBadEventsToPage > 0) {
    return `no low-traffic guard: the SLI is a PromQL query over each window, which states its error ratio but no count of failed events, so the ${settings.minBadEventsToPage} failed events a page needs cannot be derived (pages fire on the burn rate alone; the traffic panel is left out for the same reason)`;
  }
  return settings.minBadEventsToPage > 0 ? `pages also need at least ${settings.minBadEventsToPage} failed events in the tier's long window (low-traffic guard)` : "no low-traffic guard";
}

export function prometheusNote(service: ServiceModel, settings: PrometheusSettings, slo?: Pick<SloModel, "budgeting" | "indicator">): string {
  return `Evaluated by Prometheus: rules in ${describeTargets(service, settings)}; ${guardText(settings, slo)}; routed by Alertmanager (alertmanager/alertmanager.yml).`;
}
