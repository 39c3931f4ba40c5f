/**
 * Placement, decided once: who evaluates each SLO (Cloud Monitoring,
 * Prometheus, Grafana-managed alerting), who checks each endpoint (Cloud
 * Monitoring uptime checks, Grafana Synthetic Monitoring) and which severities
 * each service raises. The model stores the answers on every SLO, endpoint,
 * threshold alert and service; validation, components, the plan record, the
 * summary, the diff, costs and resource counts read those fields through the
 * functions here and never look at the stack settings again.
 */
import { INDICATOR_KINDS, type IndicatorSpec, type Severity, type Tier } from "../contract/serviceSchema";
import type { AlertingBackend } from "../contract/grafanaConfig";
import type { Checker, EndpointModel, Evaluator, IndicatorKind, PromqlEvaluator, ServiceModel, SyntheticEndpoint } from "./types";
import { sliSource } from "./indicators";

/** The compiler proves `value` impossible; reaching this at run time is a programming error. */
export function unreachable(value: never, what: string): never {
  throw new Error(`unknown ${what}: ${JSON.stringify(value)}`);
}

/** The one kind a validated indicator has. */
export function indicatorKind(indicator: IndicatorSpec): IndicatorKind {
  const kind = INDICATOR_KINDS.find((key) => indicator[key] !== undefined);
  // The contract's schema allows exactly one; a direct caller that passes none is a programming error.
  if (kind === undefined) throw new Error(`an indicator needs exactly one of ${INDICATOR_KINDS.join(", ")} (got none)`);
  return kind;
}

/** What placement reads of the stack settings: where PromQL alerts are evaluated and whether Synthetic Monitoring checks endpoints. */
export type PlacementSettings = { grafana?: { alerting?: AlertingBackend; syntheticMonitoring?: unknown } };

/** Who evaluates the stack's PromQL alerts (`monitoring-stack:grafana.alerting`, default prometheus). */
export function promqlEvaluator(settings: PlacementSettings): PromqlEvaluator {
  const alerting = settings.grafana?.alerting ?? "prometheus";
  switch (alerting) {
    case "prometheus":
      return "prometheus";
    case "grafana":
      return "grafana";
    default:
      return unreachable(alerting, "alerting backend");
  }
}

/** Whether Grafana-managed alerting evaluates and routes the stack's PromQL alerts (and so mutes them in maintenance windows). */
export function grafanaManagedAlerting(settings: PlacementSettings): boolean {
  return promqlEvaluator(settings) === "grafana";
}

/** Who checks the stack's endpoints: Synthetic Monitoring when the stack configures it (`grafana.uptime: syntheticMonitoring`), else Cloud Monitoring. */
export function endpointChecker(settings: PlacementSettings): Checker {
  return settings.grafana?.syntheticMonitoring !== undefined ? "syntheticMonitoring" : "cloudMonitoring";
}

/**
 * Who evaluates an SLO of this kind: Cloud Monitoring where the SLI is a
 * Cloud Monitoring SLO (the runtime's own metrics, Cloud Monitoring filters,
 * its own uptime checks); the stack's PromQL evaluator where the SLI is read
 * with PromQL (Prometheus indicators; uptime over Synthetic Monitoring, whose
 * results land in the Grafana Cloud stack's Prometheus, which is why the stack
 * configuration requires Grafana-managed alerting with it).
 */
export function sloEvaluator(kind: IndicatorKind, settings: PlacementSettings): Evaluator {
  const source = sliSource(kind, endpointChecker(settings));
  switch (source) {
    case "cloudMonitoring":
      return "cloudMonitoring";
    case "promql":
      return promqlEvaluator(settings);
    default:
      return unreachable(source, "SLI source");
  }
}

/** Who evaluates the SLOs and alerts over an endpoint's checks: the checker's own alerting. */
export function endpointUptimeEvaluator(checker: Checker): Evaluator {
  switch (checker) {
    case "cloudMonitoring":
      return "cloudMonitoring";
    case "syntheticMonitoring":
      return "grafana";
    default:
      return unreachable(checker, "checker");
  }
}

/** The severity of an endpoint's uptime alert, of a Cloud SQL backup alert: page for tiers that page, ticket otherwise. */
export function tierAlertSeverity(pages: boolean): Severity {
  return pages ? "page" : "ticket";
}

/** Backup alerts page for critical services (their data is the hardest to lose) and file tickets otherwise. */
export function backupSeverity(tier: Tier): Severity {
  return tierAlertSeverity(tier === "critical");
}

// ---------------------------------------------------------------- reading placement off the model

/** SLOs of a service that `evaluators` evaluate. */
export function slosEvaluatedBy<S extends { evaluator: Evaluator }>(service: { slos: readonly S[] }, ...evaluators: Evaluator[]): S[] {
  return service.slos.filter((slo) => evaluators.includes(slo.evaluator));
}

/** Endpoints of a service that `checker` checks. */
export function endpointsCheckedBy<E extends { checker: Checker }>(service: { endpoints: readonly E[] }, checker: Checker): E[] {
  return service.endpoints.filter((endpoint) => endpoint.checker === checker);
}

/** Endpoints of a service Synthetic Monitoring checks, with their checks. */
export function syntheticEndpoints(service: { endpoints: readonly EndpointModel[] }): SyntheticEndpoint[] {
  return service.endpoints.filter((e): e is SyntheticEndpoint => e.checker === "syntheticMonitoring" && e.syntheticMonitoring !== undefined);
}

/**
 * Whether `evaluator` evaluates anything of the service: its SLOs, its
 * threshold alerts, the uptime alerts of the endpoints its checker feeds it,
 * its log-metric alerts (Loki's, through Grafana).
 */
export function evaluatesAnyOf(service: Pick<ServiceModel, "slos" | "alerts" | "endpoints" | "logs">, evaluator: Evaluator): boolean {
  return (
    service.slos.some((slo) => slo.evaluator === evaluator) ||
    service.alerts.some((alert) => alert.evaluator === evaluator) ||
    service.endpoints.some((endpoint) => endpoint.checker !== "cloudMonitoring" && endpointUptimeEvaluator(endpoint.checker) === evaluator) ||
    (evaluator === "grafana" && (service.logs?.metrics ?? []).some((metric) => metric.alert !== undefined && metric.alertIn === "loki"))
  );
}

/**
 * Whether an SLO's SLI is a PromQL query (Prometheus or Grafana evaluates it,
 * from series in a Prometheus-compatible store), rather than a Cloud
 * Monitoring SLO: the rule builders and the dashboard panels go by this.
 */
export function readsPromql(slo: { evaluator: Evaluator }): boolean {
  switch (slo.evaluator) {
    case "cloudMonitoring":
      return false;
    case "prometheus":
    case "grafana":
      return true;
    default:
      return unreachable(slo.evaluator, "evaluator");
  }
}

/** What decides which severities a service raises: its parts, as the model builds them. */
export interface SeveritySources {
  slos: readonly { tiers: readonly { severity: Severity }[] }[];
  endpoints: readonly { alertSeverity: Severity }[];
  alerts: readonly { severity: Severity }[];
  logs?: { metrics: readonly { alert?: { severity: Severity } | undefined }[] } | undefined;
  /** The backup alerts' severity; completed backups are reported as info when asked. */
  backup?: { severity: Severity; reportCompletions?: boolean } | undefined;
  /** Saturation alerts: tickets. */
  scaling?: unknown;
}

/**
 * The severities a service's alerts actually use: burn tiers provisioned,
 * uptime alerts, threshold alerts, log-metric alerts, the backup alert and
 * the saturation alerts (tickets). A route for a severity nothing raises
 * notifies nobody, and a severity raised with no route is refused.
 */
export function raisedSeverities(service: SeveritySources): Record<Severity, boolean> {
  const used = new Set<Severity>([
    ...service.slos.flatMap((slo) => slo.tiers.map((tier) => tier.severity)),
    ...service.endpoints.map((endpoint) => endpoint.alertSeverity),
    ...service.alerts.map((alert) => alert.severity),
    ...(service.logs?.metrics ?? []).flatMap((metric) => (metric.alert ? [metric.alert.severity] : [])),
    ...(service.backup ? [service.backup.severity] : []),
    ...(service.scaling ? (["ticket"] as const) : []),
  ]);
  if (service.backup?.reportCompletions) used.add("info");
  return { page: used.has("page"), ticket: used.has("ticket"), info: used.has("info") };
}
