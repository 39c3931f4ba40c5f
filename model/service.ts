/**
 * The normalised model: a declaration with every default applied and the SLO
 * maths done. Components read only this; they never look at raw specs or
 * re-derive a number.
 */
import { parseDuration, DAY_MS, formatDuration } from "../contract/duration";
import { isCalendarWindow, type AlertRuleSpec, type EndpointSpec, type IndicatorSpec, type RuntimeSpec, type ServiceSpec, type BurnSeverity, type SloSpec, type Tier } from "../contract/serviceSchema";
import type { StackSettings } from "../contract/stackConfig";
import { CALENDAR_PERIOD_DAYS, MIN_SHORT_WINDOW_MS, alertQualityProblems, budgetMinutes, burnTiers, errorBudget, minPageBudgetPercent, redundantTiers, splitOmitted, tierDefinitions, type BurnTier, type WindowLimits } from "./sloMath";
import { EVALUATOR_TRAITS } from "./evaluators";
import { endpointChecker, indicatorKind, promqlEvaluator, raisedSeverities, sloEvaluator, tierAlertSeverity, type PlacementSettings } from "./placement";
import { buildIndicator } from "./indicators";
import { logsModel } from "./logs";
import { backupModel } from "./backups";
import { scalingModel } from "./scaling";
import type { AlertRuleModel, BudgetingModel, CalendarPeriod, EndpointModel, LogMetricModel, IndicatorModel, Renamed, RuntimeModel, ServiceModel, SloModel, SyntheticCheckModel } from "./types";
import { probesFor, type SyntheticMonitoringSettings } from "../contract/grafanaConfig";

/** What each tier implies when a declaration leaves a field out. */
export const TIER_DEFAULTS: Record<Tier, { periodMs: number; page: boolean; ticket: boolean }> = {
  critical: { periodMs: 60_000, page: true, ticket: true },
  standard: { periodMs: 300_000, page: true, ticket: true },
  low: { periodMs: 300_000, page: false, ticket: true },
};

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_REGIONS = ["USA", "EUROPE", "SOUTH_AMERICA", "ASIA_PACIFIC"] as const;
export const DEFAULT_WINDOW_DAYS = 30;

export function renamed(name: string, formerly: readonly string[] | undefined): Renamed {
  return { formerly: [...(formerly ?? [])], stableId: formerly?.[0] ?? name };
}

/**
 * With Grafana-managed alerting and a Loki data source, a log-based metric
 * that has a LogQL query alerts from Loki only, never also from Cloud Monitoring.
 */
export function lokiAlerting<L extends { metrics: LogMetricModel[] } | undefined>(logs: L, settings: Pick<StackSettings, "grafana">): L {
  if (!logs || promqlEvaluator(settings) !== "grafana" || !settings.grafana?.loki) return logs;
  return { ...logs, metrics: logs.metrics.map((metric) => (metric.logql && metric.alert ? { ...metric, alertIn: "loki" as const } : metric)) };
}

export function alertRuleModel(alert: AlertRuleSpec, service: string, settings: PlacementSettings = {}): AlertRuleModel {
  return {
    name: alert.name,
    expr: alert.expr,
    forMs: alert.for ? parseDuration(alert.for)! : 0,
    severity: alert.severity,
    summary: alert.summary ?? `${service}: ${alert.name}`,
    evaluator: promqlEvaluator(settings),
  };
}

export function runtimeModel(runtime: RuntimeSpec): RuntimeModel {
  if (runtime.cloudRun) return { kind: "cloudRun", ...runtime.cloudRun };
  if (runtime.gke) return { kind: "gke", ...runtime.gke, selector: { ...(runtime.gke.selector ?? { app: runtime.gke.workload }) } };
  return { kind: "external" };
}

export function indicatorModel(indicator: IndicatorSpec, synthetic?: (endpoint: string) => SyntheticCheckModel | undefined): IndicatorModel {
  const kind = indicatorKind(indicator);
  return buildIndicator(kind, indicator[kind]!, { syntheticCheck: (endpoint) => synthetic?.(endpoint) });
}

/** Where the stack checks endpoints and evaluates PromQL: the Synthetic Monitoring settings and the alerting backend. */
export type UptimeSettings = { grafana?: { syntheticMonitoring?: SyntheticMonitoringSettings } & PlacementSettings["grafana"] };

/** At least two probes: the uptime alert fires when more than one fails, so one probe could never raise it. */
export const MIN_SYNTHETIC_PROBES = 2;

/** The Synthetic Monitoring check of an endpoint, when the stack checks endpoints there. */
export function syntheticCheck(
  endpoint: Pick<EndpointSpec, "name" | "formerly" | "url" | "regions">,
  serviceId: string,
  settings: UptimeSettings & { environment?: string },
): SyntheticCheckModel | undefined {
  const sm = settings.grafana?.syntheticMonitoring;
  if (endpointChecker(settings) !== "syntheticMonitoring" || !sm) return undefined;
  const endpointId = endpoint.formerly?.[0] ?? endpoint.name;
  return {
    job: [settings.environment, serviceId, endpointId].filter((part) => part).join("/"),
    target: endpoint.url,
    probes: probesFor(endpoint.regions ?? DEFAULT_REGIONS, sm.probes),
  };
}

export function endpointModel(endpoint: EndpointSpec, tier: Tier, synthetic?: SyntheticCheckModel): EndpointModel {
  const url = new URL(endpoint.url);
  const useSsl = url.protocol === "https:";
  return {
    name: endpoint.name,
    formerly: [...(endpoint.formerly ?? [])],
    url: endpoint.url,
    useSsl,
    host: url.hostname,
    path: `${url.pathname}${url.search}`,
    port: url.port ? Number(url.port) : useSsl ? 443 : 80,
    periodMs: endpoint.period ? parseDuration(endpoint.period)! : TIER_DEFAULTS[tier].periodMs,
    timeoutMs: endpoint.timeout ? parseDuration(endpoint.timeout)! : DEFAULT_TIMEOUT_MS,
    regions: endpoint.regions ? [...endpoint.regions] : [...DEFAULT_REGIONS],
    statusCodes: endpoint.expect?.status ? [...endpoint.expect.status] : [],
    ...(endpoint.expect?.contains ? { contains: endpoint.expect.contains } : {}),
    alertSeverity: tierAlertSeverity(TIER_DEFAULTS[tier].page),
    checker: synthetic ? "syntheticMonitoring" : "cloudMonitoring",
    ...(synthetic ? { syntheticMonitoring: synthetic } : {}),
  };
}

/** Which severities an SLO alerts on: its own switch, else the tier's default. */
export function sloSeverities(slo: SloSpec, tier: Tier): Record<BurnSeverity, boolean> {
  return {
    page: slo.alerting?.page ?? TIER_DEFAULTS[tier].page,
    ticket: slo.alerting?.ticket ?? TIER_DEFAULTS[tier].ticket,
  };
}

/** The calendar period of an SLO's window ("calendar-month" → month), or undefined for a rolling window. */
export function calendarPeriod(slo: Pick<SloSpec, "window">): CalendarPeriod | undefined {
  return isCalendarWindow(slo.window) ? (slo.window.slice("calendar-".length) as CalendarPeriod) : undefined;
}

/** Days of the SLO's window: the rolling days (a fraction for hours: 6h → 0.25), or the calendar period's nominal length (CALENDAR_PERIOD_DAYS). */
export function sloWindowDays(slo: Pick<SloSpec, "window">): number {
  const period = calendarPeriod(slo);
  if (period) return CALENDAR_PERIOD_DAYS[period];
  if (slo.window?.endsWith("h")) return Number(slo.window.slice(0, -1)) / 24;
  return slo.window ? Number(slo.window.slice(0, -1)) : DEFAULT_WINDOW_DAYS;
}

/** A rolling window as the contract writes it: whole days ("30d"), or hours below a day ("6h"). */
export function rollingWindowText(windowDays: number): string {
  return Number.isInteger(windowDays) ? `${windowDays}d` : `${Math.round(windowDays * 24)}h`;
}

/** The budgeting method with its slice in milliseconds; occurrences when none is declared. */
export function budgetingModel(slo: Pick<SloSpec, "budgeting">): BudgetingModel {
  const budgeting = slo.budgeting;
  if (budgeting?.method === "timeslices") return { method: "timeslices", sliceMs: parseDuration(budgeting.slice!)!, sliceTarget: budgeting.sliceTarget! };
  return { method: "occurrences" };
}

/**
 * Length of one SLI window for windows-based indicators: an uptime SLO's check
 * period, or the slice of timeslices budgeting; else undefined.
 */
export function sliWindowMs(slo: SloSpec, spec: Pick<ServiceSpec, "endpoints" | "tier">): number | undefined {
  const budgeting = budgetingModel(slo);
  if (budgeting.method === "timeslices") return budgeting.sliceMs;
  const endpointName = slo.indicator.uptime?.endpoint;
  if (endpointName === undefined) return undefined;
  const endpoint = spec.endpoints?.find((e) => e.name === endpointName);
  if (!endpoint) return undefined;
  return endpoint.period ? parseDuration(endpoint.period)! : TIER_DEFAULTS[spec.tier ?? "standard"].periodMs;
}

/**
 * Prometheus judges the slice that ends at each evaluation (a sliding slice):
 * in a total outage it turns bad once the outage fills more than
 * (1 − sliceTarget) of it. Whole milliseconds; 0 for occurrences.
 */
export function sliceOnsetMs(budgeting: BudgetingModel): number {
  return budgeting.method === "timeslices" ? Math.round((1 - budgeting.sliceTarget) * budgeting.sliceMs) : 0;
}

/**
 * The stack settings the tiers depend on: the declared tiers, for Prometheus
 * (and Grafana) the rules' evaluation interval (default 30 s), and whether
 * Synthetic Monitoring checks the endpoints.
 */
export type TierSettings = Pick<StackSettings, "burnTiers"> & { prometheus?: Pick<StackSettings["prometheus"], "evaluationInterval"> } & UptimeSettings;

/** Evaluation interval of Prometheus rules when the stack sets none (the `monitoring-stack:prometheus` default). */
const DEFAULT_EVALUATION_INTERVAL = "30s";

/**
 * What the evaluator placement picks for this SLO can do (its
 * {@link EVALUATOR_TRAITS} limits): Cloud Monitoring looks back at most 24 h
 * and aligns to a minute (uptime SLOs: to the check period); Prometheus and
 * Grafana evaluate every evaluation interval.
 */
export function windowLimits(slo: SloSpec, spec: Pick<ServiceSpec, "endpoints" | "tier">, settings: Pick<TierSettings, "prometheus" | "grafana"> = {}): WindowLimits {
  const kind = indicatorKind(slo.indicator);
  return EVALUATOR_TRAITS[sloEvaluator(kind, settings)].limits({
    kind,
    ...optional("sliWindowMs", sliWindowMs(slo, spec)),
    evaluationIntervalMs: parseDuration(settings.prometheus?.evaluationInterval ?? DEFAULT_EVALUATION_INTERVAL)!,
    sliceOnsetMs: sliceOnsetMs(budgetingModel(slo)),
  });
}

/** `{ key: value }` when the value is defined, else `{}` (for optional properties under exactOptionalPropertyTypes). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** Every tier resolved for this SLO, switched on or not (validation checks them all). */
export function allSloTiers(slo: SloSpec, spec: Pick<ServiceSpec, "endpoints" | "tier">, settings: TierSettings): BurnTier[] {
  return burnTiers(slo.objective, sloWindowDays(slo) * DAY_MS, tierDefinitions(settings.burnTiers), windowLimits(slo, spec, settings));
}

export function sloModel(
  slo: SloSpec,
  spec: Pick<ServiceSpec, "endpoints" | "tier"> & Partial<Pick<ServiceSpec, "name" | "formerly">>,
  settings: TierSettings & { environment?: string },
): SloModel {
  const tier = spec.tier ?? "standard";
  const windowDays = sloWindowDays(slo);
  const windowMs = windowDays * DAY_MS;
  const enabled = sloSeverities(slo, tier);
  const serviceId = spec.name !== undefined ? renamed(spec.name, spec.formerly).stableId : "";
  const synthetic = (name: string) => {
    const endpoint = spec.endpoints?.find((e) => e.name === name);
    return endpoint ? syntheticCheck(endpoint, serviceId, settings) : undefined;
  };
  const indicator = indicatorModel(slo.indicator, synthetic);
  const evaluator = sloEvaluator(indicator.kind, settings);
  // Synthetic Monitoring results are a ratio of executions, not check windows.
  const sliWindow = indicator.kind === "uptime" && indicator.probeSeries !== undefined ? undefined : sliWindowMs(slo, spec);
  // A tier whose fitted long window is no longer than its short one is not provisioned; the summary says why.
  const { created: switchedOn, omitted } = splitOmitted(allSloTiers(slo, spec, settings).filter((t) => enabled[t.severity]));
  // A tier that fitting made redundant is not provisioned; the summary names the tier that covers it.
  const covered = redundantTiers(switchedOn);
  const period = calendarPeriod(slo);
  return {
    name: slo.name,
    ...renamed(slo.name, slo.formerly),
    objective: slo.objective,
    windowDays,
    windowMs,
    ...(period ? { calendarPeriod: period } : {}),
    budgeting: budgetingModel(slo),
    indicator,
    budget: errorBudget(slo.objective),
    budgetMinutes: budgetMinutes(slo.objective, windowMs),
    tiers: switchedOn.filter((t) => !covered.some((c) => c.name === t.name)),
    coveredTiers: covered,
    omittedTiers: omitted,
    evaluator,
    ...(sliWindow !== undefined ? { sliWindowMs: sliWindow } : {}),
  };
}

/** Applies defaults and resolves routes. Assumes the declaration passed validation. */
export function serviceModel(spec: ServiceSpec, file: string, settings: TierSettings & Pick<StackSettings, "routes" | "project"> & Partial<Pick<StackSettings, "grafana" | "environment">>): ServiceModel {
  const tier = spec.tier ?? "standard";
  const { stableId } = renamed(spec.name, spec.formerly);
  const runtime = runtimeModel(spec.runtime);
  const slos = (spec.slos ?? []).map((slo) => sloModel(slo, spec, settings));
  const logs = lokiAlerting(logsModel(spec, runtime, stableId), settings);
  const backup = backupModel(spec, runtime, tier, stableId, settings.project);
  const scaling = scalingModel(spec, runtime, tier, slos);
  const endpoints = (spec.endpoints ?? []).map((endpoint) => endpointModel(endpoint, tier, syntheticCheck(endpoint, stableId, settings)));
  const alerts = (spec.alerts ?? []).map((alert) => alertRuleModel(alert, spec.name, settings));
  return {
    name: spec.name,
    ...renamed(spec.name, spec.formerly),
    team: spec.team,
    tier,
    ...(spec.runbook ? { runbook: spec.runbook } : {}),
    file,
    labels: { ...(spec.labels ?? {}), service: spec.name, team: spec.team, tier, "managed-by": "monitoring-stack" },
    runtime,
    endpoints,
    slos,
    alerts,
    maintenance: (spec.maintenance ?? []).map((window) => ({ weekdays: [...window.weekdays], start: window.start, end: window.end, timeZone: window.timeZone })),
    routes: {
      page: spec.alerting?.page ?? settings.routes.page,
      ticket: spec.alerting?.ticket ?? settings.routes.ticket,
      info: spec.alerting?.info ?? settings.routes.info,
    },
    raises: raisedSeverities({ slos, endpoints, alerts, logs, backup, scaling }),
    ...(logs ? { logs } : {}),
    ...(backup ? { backup } : {}),
    ...(scaling ? { scaling } : {}),
    spec,
  };
}

/**
 * Why a window below a day is refused for one tier: the tier as fitted, what
 * fails the alert-quality measures, and what would pass (a page tier's
 * smallest budget share over a 10-minute long window; a window of a day).
 */
export function subDayTierMessage(window: string, tier: BurnTier, reasons: readonly string[]): string {
  const windowMs = sloWindowDays({ window }) * DAY_MS;
  const share = minPageBudgetPercent(windowMs, 2 * MIN_SHORT_WINDOW_MS);
  return `not supported with burn tier ${tier.name} (got ${JSON.stringify(window)}: ${tier.name} fitted to ${formatDuration(tier.longWindowMs)} / ${formatDuration(tier.shortWindowMs)} at burn rate ${tier.burnRate}: ${reasons.join("; ")}; expected tiers that pass the alert-quality measures at this window, declared for it in monitoring-stack:burnRateTiers (${window}: pages of at least ${share <= 100 ? `${share} %` : "more than all"} of the budget over 10 min, tickets at burn 1 or more), or a window of at least 1d)`;
}

export { alertQualityProblems };
