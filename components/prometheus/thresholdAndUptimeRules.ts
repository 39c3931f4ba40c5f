/**
 * A service's alerts that are not about an SLO's budget: its threshold
 * alerts (`alerts[]`) and the uptime alerts over its Synthetic Monitoring checks.
 */
import { type ServiceModel, type SyntheticEndpoint } from "../../model/types";
import { formatDuration } from "../../contract/duration";
import { DELIVERY } from "../../model/delivery";
import { labelMatchers, promDuration } from "./promql";
import { type PromRule, ALERT, type RuleContext } from "./ruleNames";

/** Name of the group of a service's threshold alerts; SLO groups end in -alerts or -budget, so it never clashes. */
export function alertRulesGroupName(service: ServiceModel): string {
  return `${service.name}-rules`;
}

/** The service's threshold alerts (`alerts[]`) as alerting rules, labelled like the SLO alerts so Alertmanager routes them alike. */
export function alertRules(service: ServiceModel, context: RuleContext): PromRule[] {
  return service.alerts.map((alert) => ({
    alert: alert.name,
    expr: alert.expr,
    ...(alert.forMs > 0 ? { for: formatDuration(alert.forMs) } : {}),
    // Info alerts hold for the digest's day, so the daily digest lists a condition that lasted a minute.
    ...(DELIVERY[alert.severity].keepFiringFor ? { keep_firing_for: DELIVERY[alert.severity].keepFiringFor } : {}),
    labels: { service: service.name, team: service.team, severity: alert.severity },
    annotations: {
      summary: alert.summary,
      description: `${alert.summary}\nCondition: ${alert.expr}${alert.forMs > 0 ? ` for ${formatDuration(alert.forMs)}` : ""}. Declared in ${service.file}.`,
      ...(service.runbook ? { runbook_url: service.runbook } : {}),
      ...(context.dashboardUrl ? { dashboard: context.dashboardUrl } : {}),
    },
  }));
}

/** Name of the group of a service's Synthetic Monitoring uptime alerts. */
export function uptimeRulesGroupName(service: ServiceModel): string {
  return `${service.name}-uptime`;
}

/** How long the uptime alert's condition must hold, as Cloud Monitoring's uptime policies wait (60 s). */
export const UPTIME_ALERT_FOR = "1m";

/**
 * The Synthetic Monitoring twin of Cloud Monitoring's uptime policy: fires
 * when the latest execution (within two check periods, so every probe
 * counts despite scheduling jitter) failed on more than one probe, for a
 * minute. One flaky probe does not page.
 */
export function uptimeAlert(service: ServiceModel, endpoint: SyntheticEndpoint, context: RuleContext): PromRule {
  const check = endpoint.syntheticMonitoring;
  const select = labelMatchers({ job: check.job, instance: check.target });
  const lookback = promDuration(Math.max(2 * endpoint.periodMs, 120_000));
  const expects = `${endpoint.statusCodes.length ? `status ${endpoint.statusCodes.join(", ")}` : "any 2xx"}${endpoint.contains ? ` and a body containing ${JSON.stringify(endpoint.contains)}` : ""}`;
  return {
    alert: ALERT.uptime,
    expr: `count by (job, instance) (last_over_time(probe_success${select}[${lookback}]) == 0) > 1`,
    for: UPTIME_ALERT_FOR,
    labels: { service: service.name, team: service.team, severity: endpoint.alertSeverity, endpoint: endpoint.name },
    annotations: {
      summary: `${service.name}: ${endpoint.name} is failing Synthetic Monitoring checks from more than one probe`,
      description: [
        `${endpoint.url} failed its latest check on more than one probe for ${UPTIME_ALERT_FOR}.`,
        `Synthetic Monitoring check ${JSON.stringify(check.job)}: every ${formatDuration(endpoint.periodMs)} from ${check.probes.join(", ")}; timeout ${formatDuration(endpoint.timeoutMs)}; expects ${expects}.`,
      ].join("\n"),
      ...(service.runbook ? { runbook_url: service.runbook } : {}),
      ...(context.dashboardUrl ? { dashboard: context.dashboardUrl } : {}),
    },
  };
}
