/**
 * `monitoring-stack:grafana` (where dashboards go and which data sources they
 * query) and the secret `monitoring-stack:grafanaToken` (a Grafana service
 * account token, kept apart so that nothing else has to be secret).
 */
import { z } from "zod";
import { strict } from "./fields";

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

export const grafanaConfigSchema = strict({
  url: z.url({ protocol: /^https?$/, error: "expected the Grafana URL like https://grafana.example.com" }),
  orgId: z.number({ error: "expected a Grafana organisation id" }).int().min(1, { error: "expected an organisation id of at least 1" }).optional(),
  /** Data source uids. `loki`: the Loki data source log-based alerts query (no default: without it, none are made). */
  datasources: strict({ prometheus: uid.optional(), cloudMonitoring: uid.optional(), loki: uid.optional() }).optional(),
  /** Where Prometheus-indicator alerts are evaluated. Default `prometheus`. */
  alerting: z.enum(ALERTING_BACKENDS, { error: `expected one of: ${ALERTING_BACKENDS.join(", ")}` }).optional(),
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
  };
}
