/**
 * The normalised model: a declaration with every default applied and the SLO
 * maths done. Components read only this; they never look at raw specs or
 * re-derive a number.
 */
import { parseDuration, DAY_MS } from "../spec/duration";
import type { AlertRuleSpec, EndpointSpec, IndicatorSpec, RuntimeSpec, ServiceSpec, SloSpec, Tier } from "../spec/schema";
import type { StackSettings } from "../spec/stackConfig";
import {
  CLOUD_MONITORING_MAX_LOOKBACK_MS,
  MIN_SHORT_WINDOW_MS,
  budgetMinutes,
  burnTiers,
  errorBudget,
  type BurnTier,
  type Severity,
  type WindowLimits,
} from "./sloMath";
import { logsModel, type LogsModel } from "./logs";
import { backupModel, type BackupModel } from "./backups";
import { scalingModel, type ScalingModel } from "./scaling";

/** What each tier implies when a declaration leaves a field out. */
export const TIER_DEFAULTS: Record<Tier, { periodMs: number; page: boolean; ticket: boolean }> = {
  critical: { periodMs: 60_000, page: true, ticket: true },
  standard: { periodMs: 300_000, page: true, ticket: true },
  low: { periodMs: 300_000, page: false, ticket: true },
};

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_REGIONS = ["USA", "EUROPE", "SOUTH_AMERICA", "ASIA_PACIFIC"] as const;
export const DEFAULT_WINDOW_DAYS = 30;

export type RuntimeModel =
  | { kind: "cloudRun"; service: string; region: string }
  | { kind: "gke"; cluster: string; location: string; namespace: string; workload: string; selector: Record<string, string> }
  | { kind: "external" };

export type IndicatorModel =
  | { kind: "availability" }
  | { kind: "latency"; thresholdMs: number }
  | { kind: "uptime"; endpoint: string }
  | { kind: "prometheus"; total?: string; bad?: string; good?: string; histogram?: string; thresholdMs?: number }
  | { kind: "cloudMonitoring"; total: string; good?: string; bad?: string };

/** What a rename leaves behind: earlier names (oldest first) and the id the cloud keeps. */
export interface Renamed {
  /** Earlier names, oldest first; each becomes a Pulumi alias. */
  formerly: string[];
  /** The id in Cloud Monitoring: the oldest name, which a rename never changes. */
  gcpId: string;
}

export function renamed(name: string, formerly: readonly string[] | undefined): Renamed {
  return { formerly: [...(formerly ?? [])], gcpId: formerly?.[0] ?? name };
}

export interface EndpointModel {
  name: string;
  /** Earlier names of the endpoint, oldest first. */
  formerly: string[];
  url: string;
  useSsl: boolean;
  host: string;
  /** Path with query string, as the checker requests it. */
  path: string;
  port: number;
  periodMs: number;
  timeoutMs: number;
  regions: string[];
  /** Accepted status codes; empty means any 2xx. */
  statusCodes: number[];
  /** Body text that must be present, if any. */
  contains?: string;
  /** Severity of the alert when checks fail from more than one region. */
  alertSeverity: Severity;
}

/** A threshold alert on the service's own Prometheus metrics (`alerts[]`). */
export interface AlertRuleModel {
  /** Prometheus alert name. */
  name: string;
  expr: string;
  /** Pending period; 0 fires at the first evaluation that matches. */
  forMs: number;
  severity: Severity;
  summary: string;
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

export type SloBackend = "cloudMonitoring" | "prometheus";

export interface SloModel extends Renamed {
  name: string;
  objective: number;
  windowDays: number;
  windowMs: number;
  indicator: IndicatorModel;
  /** Error budget as a fraction (99.9 → 0.001). */
  budget: number;
  budgetMinutes: number;
  /** Tiers that are switched on for this SLO, thresholds derived for its window. */
  tiers: BurnTier[];
  /** What evaluates the SLO and its alerts: Cloud Monitoring, or Prometheus rules for `prometheus` indicators. */
  backend: SloBackend;
  /** For windows-based SLIs (uptime): the length of one good-or-bad window. */
  sliWindowMs?: number;
}

export interface ServiceModel extends Renamed {
  name: string;
  team: string;
  tier: Tier;
  runbook?: string;
  /** Declaration file, for messages. */
  file: string;
  /** User labels plus the labels every resource carries (service, team, tier, managed-by). */
  labels: Record<string, string>;
  runtime: RuntimeModel;
  endpoints: EndpointModel[];
  slos: SloModel[];
  /** Threshold alerts Prometheus evaluates (`alerts[]`). */
  alerts: AlertRuleModel[];
  /** Channel names per severity: the service's own or the stack's defaults. */
  routes: Record<Severity, string[]>;
  /** Log bucket, sinks and log-based metrics, when the service declares `logs`. */
  logs?: LogsModel;
  /** Backup and DR schedule for its Cloud SQL instance, when it declares `database.cloudSql.backups`. */
  backup?: BackupModel;
  /** Instance bounds and saturation thresholds, when it declares `scaling` (Cloud Run or GKE). */
  scaling?: ScalingModel;
  /** The declaration as written, for capabilities that read it directly (dashboard). */
  spec: ServiceSpec;
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
  const minShortWindowMs = Math.max(MIN_SHORT_WINDOW_MS, sliWindowMs(slo, spec) ?? 0);
  return slo.indicator.prometheus
    ? { minShortWindowMs, backend: "Prometheus" }
    : { minShortWindowMs, maxLongWindowMs: CLOUD_MONITORING_MAX_LOOKBACK_MS, backend: "Cloud Monitoring" };
}

/** Every tier resolved for this SLO, switched on or not (validation checks them all). */
export function allSloTiers(slo: SloSpec, spec: Pick<ServiceSpec, "endpoints" | "tier">, settings: Pick<StackSettings, "burnTiers">): BurnTier[] {
  return burnTiers(slo.objective, sloWindowDays(slo) * DAY_MS, settings.burnTiers, windowLimits(slo, spec));
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
