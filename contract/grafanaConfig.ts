/**
 * `monitoring-stack:grafana` (where dashboards go and which data sources they
 * query) and the secret `monitoring-stack:grafanaToken` (a Grafana service
 * account token, kept apart so that nothing else has to be secret).
 */
import { z } from "zod";
import { strict } from "./fields";
import { UPTIME_REGIONS, type UptimeRegion } from "./serviceSchema";

const uid = z
  .string({ error: "expected a Grafana data source uid" })
  .regex(/^[A-Za-z0-9_-]{1,40}$/, { error: "expected a Grafana data source uid: letters, digits, '-' or '_', at most 40 characters" });

/**
 * Where the alerts of `prometheus` indicators (burn rates, absent metrics,
 * threshold alerts) are evaluated and routed: `prometheus` writes rule files
 * and an Alertmanager configuration; `grafana` provisions Grafana-managed
 * alert rules, contact points, one notification policy tree and mute timings.
 */
export const ALERTING_BACKENDS = ["prometheus", "grafana"] as const;
export type AlertingBackend = (typeof ALERTING_BACKENDS)[number];

/**
 * Where the stack's endpoints are checked: `cloudMonitoring`, Cloud Monitoring
 * uptime checks with Cloud Monitoring alert policies and windows-based SLOs;
 * `syntheticMonitoring`, Grafana Cloud Synthetic Monitoring HTTP checks whose
 * results (probe_success, probe_all_success_sum/_count) land in the stack's
 * Grafana Cloud Prometheus, alerted on and turned into SLOs by Grafana-managed alerting.
 */
export const UPTIME_BACKENDS = ["cloudMonitoring", "syntheticMonitoring"] as const;
export type UptimeBackend = (typeof UPTIME_BACKENDS)[number];

/**
 * Public probes standing in for each Cloud Monitoring checker region, one
 * probe per checker location Cloud Monitoring runs there (USA: Oregon, Iowa
 * and Virginia; every other region one), so that "fails from 2+ locations"
 * means the same on both backends. Names as the Synthetic Monitoring API
 * lists them (`grafana.syntheticMonitoring.getProbes`, keys without spaces:
 * "North Virginia" is NorthVirginia, "São Paulo" SaoPaulo). Source: Grafana
 * Cloud docs, "Public probes" (grafana.com/docs/grafana-cloud/testing/
 * synthetic-monitoring/create-checks/public-probes/); Ohio stands in for
 * Iowa, the nearest public probe.
 */
export const DEFAULT_SM_PROBES: Readonly<Record<UptimeRegion, readonly string[]>> = {
  USA: ["Oregon", "Ohio", "NorthVirginia"],
  USA_OREGON: ["Oregon"],
  USA_IOWA: ["Ohio"],
  USA_VIRGINIA: ["NorthVirginia"],
  EUROPE: ["Frankfurt"],
  SOUTH_AMERICA: ["SaoPaulo"],
  ASIA_PACIFIC: ["Singapore"],
};

const probeName = z
  .string({ error: "expected a Synthetic Monitoring probe name like Frankfurt" })
  .regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/, { error: "expected a Synthetic Monitoring probe name like Frankfurt (letters, digits, space, '.', '_' or '-')" });

/** `monitoring-stack:grafana.syntheticMonitoring`: the SM API of the Grafana Cloud stack and the probes each region stands for. */
export const syntheticMonitoringSchema = strict({
  /** The stack's Synthetic Monitoring API (Synthetics → Config: "Your backend address is"). Required. */
  url: z.url({ protocol: /^https$/, error: "expected the Synthetic Monitoring API URL like https://synthetic-monitoring-api-eu-west-2.grafana.net" }),
  /** Probes per checker region; a region not listed keeps DEFAULT_SM_PROBES. */
  probes: z
    .partialRecord(
      z.enum(UPTIME_REGIONS, { error: `expected a checker region: ${UPTIME_REGIONS.join(", ")}` }),
      z
        .array(probeName, { error: "expected a list of probe names" })
        .min(1, { error: "expected at least one probe" })
        .refine((list) => new Set(list).size === list.length, { error: "expected each probe once" }),
      { error: "expected a mapping of checker region to probe names" },
    )
    .optional(),
});

export const grafanaConfigSchema = strict({
  url: z.url({ protocol: /^https?$/, error: "expected the Grafana URL like https://grafana.example.com" }),
  orgId: z.number({ error: "expected a Grafana organisation id" }).int().min(1, { error: "expected an organisation id of at least 1" }).optional(),
  /** Data source uids. `loki`: the Loki data source log-based alerts query (no default: without it, none are made). */
  datasources: strict({ prometheus: uid.optional(), cloudMonitoring: uid.optional(), loki: uid.optional() }).optional(),
  /** Where Prometheus-indicator alerts are evaluated. Default `prometheus`. */
  alerting: z.enum(ALERTING_BACKENDS, { error: `expected one of: ${ALERTING_BACKENDS.join(", ")}` }).optional(),
  /** Where endpoints are checked. Default `cloudMonitoring`. */
  uptime: z.enum(UPTIME_BACKENDS, { error: `expected one of: ${UPTIME_BACKENDS.join(", ")}` }).optional(),
  /** Synthetic Monitoring API and probes; required with `uptime: syntheticMonitoring`, refused otherwise. */
  syntheticMonitoring: syntheticMonitoringSchema.optional(),
});

export type GrafanaConfig = z.output<typeof grafanaConfigSchema>;

/** Data source uids the dashboards query; dashboards are rendered whether or not Grafana is configured. */
export interface DashboardDatasources {
  /** Prometheus (or Google Managed Prometheus) data source uid. Default `prometheus`. */
  prometheus: string;
  /** Google Cloud Monitoring data source uid. Default `google-cloud-monitoring`. */
  cloudMonitoring: string;
}

export const DEFAULT_DATASOURCES: DashboardDatasources = { prometheus: "prometheus", cloudMonitoring: "google-cloud-monitoring" };

export interface GrafanaSettings {
  url: string;
  orgId?: number;
  /** Where Prometheus-indicator alerts are evaluated (`monitoring-stack:grafana.alerting`). Default `prometheus`. */
  alerting: AlertingBackend;
  /** Loki data source uid for log-based alerts (`monitoring-stack:grafana.datasources.loki`). Default: none. */
  loki?: string;
  /** Present when endpoints are checked by Synthetic Monitoring (`monitoring-stack:grafana.uptime: syntheticMonitoring`). Default: none (Cloud Monitoring). */
  syntheticMonitoring?: SyntheticMonitoringSettings;
}

export interface SyntheticMonitoringSettings {
  /** Synthetic Monitoring API URL of the Grafana Cloud stack. */
  url: string;
  /** Probe names per checker region, defaults filled in. */
  probes: Record<UptimeRegion, string[]>;
}

/** The probes an endpoint's regions stand for, each once, in region order. */
export function probesFor(regions: readonly string[], probes: Readonly<Record<UptimeRegion, readonly string[]>>): string[] {
  return [...new Set(regions.flatMap((region) => probes[region as UptimeRegion] ?? []))];
}

export function dashboardDatasources(config: GrafanaConfig | undefined): DashboardDatasources {
  const { loki: _loki, ...queried } = config?.datasources ?? {};
  return { ...DEFAULT_DATASOURCES, ...queried };
}

/** The Grafana section with defaults applied. */
export function grafanaSettings(config: GrafanaConfig): GrafanaSettings {
  return {
    url: config.url,
    ...(config.orgId !== undefined ? { orgId: config.orgId } : {}),
    alerting: config.alerting ?? "prometheus",
    ...(config.datasources?.loki ? { loki: config.datasources.loki } : {}),
    ...(config.uptime === "syntheticMonitoring" && config.syntheticMonitoring
      ? {
          syntheticMonitoring: {
            url: config.syntheticMonitoring.url,
            probes: Object.fromEntries(UPTIME_REGIONS.map((region) => [region, [...(config.syntheticMonitoring!.probes?.[region] ?? DEFAULT_SM_PROBES[region])]])) as Record<UptimeRegion, string[]>,
          },
        }
      : {}),
  };
}
