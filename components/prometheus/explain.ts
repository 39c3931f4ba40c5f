/** Plain-language lines about Prometheus-evaluated SLOs, for the plan summary. */
import type { ServiceModel } from "../../model/types";
import type { PrometheusSettings } from "../../contract/prometheusConfig";
import { describeTargets } from "./objects";

export function prometheusNote(service: ServiceModel, settings: PrometheusSettings): string {
  const guard =
    settings.minBadEventsToPage > 0
      ? `pages also need at least ${settings.minBadEventsToPage} failed events in the tier's long window (low-traffic guard)`
      : "no low-traffic guard";
  return `Evaluated by Prometheus: rules in ${describeTargets(service, settings)}; ${guard}; routed by Alertmanager (alertmanager/alertmanager.yml).`;
}
