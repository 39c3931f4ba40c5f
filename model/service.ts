/**
 * The normalised model: a declaration with every default applied and the SLO
 * maths done. Components read only this; they never look at raw specs or
 * re-derive a number.
 */
import { parseDuration, DAY_MS } from "../contract/duration";
import type { AlertRuleSpec, EndpointSpec, IndicatorSpec, RuntimeSpec, ServiceSpec, Severity, SloSpec, Tier } from "../contract/serviceSchema";
import type { StackSettings } from "../contract/stackConfig";
import { CLOUD_MONITORING_MAX_LOOKBACK_MS, MIN_SHORT_WINDOW_MS, budgetMinutes, burnTiers, errorBudget, tierDefinitions, type BurnTier, type WindowLimits } from "./sloMath";
import { logsModel } from "./logs";
import { backupModel } from "./backups";
import { scalingModel } from "./scaling";
import type { AlertRuleModel, EndpointModel, IndicatorModel, Renamed, RuntimeModel, ServiceModel, SloModel } from "./types";

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
  return { formerly: [...(formerly ?? [])], gcpId: formerly?.[0] ?? name };
}

export function alertRuleModel(alert: AlertRuleSpec, service: string): AlertRuleModel {
  return {
    name: alert.name,
    expr: alert.expr,
    forMs: alert.for ? parseDuration(alert.for)! : 0,
    severity: alert.severity,
    summary: alert.summary ?? `${service}: ${alert.name}`,
  };
}

export function runtimeModel(runtime: RuntimeSpec): RuntimeModel {
  if (runtime.cloudRun) return { kind: "cloudRun", ...runtime.cloudRun };
  if (runtime.gke) return { kind: "gke", ...runtime.gke, selector: { ...(runtime.gke.selector ?? { app: runtime.gke.workload }) } };
  return { kind: "external" };
}

export function indicatorModel(indicator: IndicatorSpec): IndicatorModel {
  if (indicator.availability) return { kind: "availability" };
  if (indicator.latency) return { kind: "latency", thresholdMs: parseDuration(indicator.latency.threshold)! };
  if (indicator.uptime) return { kind: "uptime", endpoint: indicator.uptime.endpoint };
  if (indicator.prometheus) {
    const { threshold, ...rest } = indicator.prometheus;
    return { kind: "prometheus", ...rest, ...(threshold ? { thresholdMs: parseDuration(threshold)! } : {}) };
  }
  return { kind: "cloudMonitoring", ...indicator.cloudMonitoring! };
}

export function endpointModel(endpoint: EndpointSpec, tier: Tier): EndpointModel {
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
    alertSeverity: TIER_DEFAULTS[tier].page ? "page" : "ticket",
  };
}

/** Which severities an SLO alerts on: its own switch, else the tier's default. */
export function sloSeverities(slo: SloSpec, tier: Tier): Record<Severity, boolean> {
  return {
    page: slo.alerting?.page ?? TIER_DEFAULTS[tier].page,
    ticket: slo.alerting?.ticket ?? TIER_DEFAULTS[tier].ticket,
  };
}

export function sloWindowDays(slo: SloSpec): number {
  return slo.window ? Number(slo.window.slice(0, -1)) : DEFAULT_WINDOW_DAYS;
}

/** Length of one SLI window for windows-based indicators (an uptime SLO's check period), else undefined. */
export function sliWindowMs(slo: SloSpec, spec: Pick<ServiceSpec, "endpoints" | "tier">): number | undefined {
  const endpointName = slo.indicator.uptime?.endpoint;
  if (endpointName === undefined) return undefined;
  const endpoint = spec.endpoints?.find((e) => e.name === endpointName);
  if (!endpoint) return undefined;
  return endpoint.period ? parseDuration(endpoint.period)! : TIER_DEFAULTS[spec.tier ?? "standard"].periodMs;
}

/** What the backend that evaluates this SLO can do: Cloud Monitoring looks back at most 24 h. */
export function windowLimits(slo: SloSpec, spec: Pick<ServiceSpec, "endpoints" | "tier">): WindowLimits {
  const sliWindow = sliWindowMs(slo, spec);
  const minShortWindowMs = Math.max(MIN_SHORT_WINDOW_MS, sliWindow ?? 0);
  const windows = sliWindow !== undefined ? { sliWindowMs: sliWindow } : {};
  return slo.indicator.prometheus
    ? { minShortWindowMs, backend: "Prometheus", ...windows }
    : { minShortWindowMs, maxLongWindowMs: CLOUD_MONITORING_MAX_LOOKBACK_MS, backend: "Cloud Monitoring", ...windows };
}

/** Every tier resolved for this SLO, switched on or not (validation checks them all). */
export function allSloTiers(slo: SloSpec, spec: Pick<ServiceSpec, "endpoints" | "tier">, settings: Pick<StackSettings, "burnTiers">): BurnTier[] {
  return burnTiers(slo.objective, sloWindowDays(slo) * DAY_MS, tierDefinitions(settings.burnTiers), windowLimits(slo, spec));
}

export function sloModel(slo: SloSpec, spec: Pick<ServiceSpec, "endpoints" | "tier">, settings: Pick<StackSettings, "burnTiers">): SloModel {
  const tier = spec.tier ?? "standard";
  const windowDays = sloWindowDays(slo);
  const windowMs = windowDays * DAY_MS;
  const enabled = sloSeverities(slo, tier);
  const indicator = indicatorModel(slo.indicator);
  const sliWindow = sliWindowMs(slo, spec);
  return {
    name: slo.name,
    ...renamed(slo.name, slo.formerly),
    objective: slo.objective,
    windowDays,
    windowMs,
    indicator,
    budget: errorBudget(slo.objective),
    budgetMinutes: budgetMinutes(slo.objective, windowMs),
    tiers: allSloTiers(slo, spec, settings).filter((t) => enabled[t.severity]),
    backend: indicator.kind === "prometheus" ? "prometheus" : "cloudMonitoring",
    ...(sliWindow !== undefined ? { sliWindowMs: sliWindow } : {}),
  };
}

/** Applies defaults and resolves routes. Assumes the declaration passed validation. */
export function serviceModel(spec: ServiceSpec, file: string, settings: Pick<StackSettings, "burnTiers" | "routes" | "project">): ServiceModel {
  const tier = spec.tier ?? "standard";
  const { gcpId } = renamed(spec.name, spec.formerly);
  const runtime = runtimeModel(spec.runtime);
  const slos = (spec.slos ?? []).map((slo) => sloModel(slo, spec, settings));
  const logs = logsModel(spec, runtime, gcpId);
  const backup = backupModel(spec, runtime, tier, gcpId, settings.project);
  const scaling = scalingModel(spec, runtime, tier, slos);
  return {
    name: spec.name,
    ...renamed(spec.name, spec.formerly),
    team: spec.team,
    tier,
    ...(spec.runbook ? { runbook: spec.runbook } : {}),
    file,
    labels: { ...(spec.labels ?? {}), service: spec.name, team: spec.team, tier, "managed-by": "monitoring-stack" },
    runtime,
    endpoints: (spec.endpoints ?? []).map((endpoint) => endpointModel(endpoint, tier)),
    slos,
    alerts: (spec.alerts ?? []).map((alert) => alertRuleModel(alert, spec.name)),
    routes: {
      page: spec.alerting?.page ?? settings.routes.page,
      ticket: spec.alerting?.ticket ?? settings.routes.ticket,
    },
    ...(logs ? { logs } : {}),
    ...(backup ? { backup } : {}),
    ...(scaling ? { scaling } : {}),
    spec,
  };
}
