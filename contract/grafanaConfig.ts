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

export const grafanaConfigSchema = strict({
  url: z.url({ protocol: /^https?$/, error: "expected the Grafana URL like https://grafana.example.com" }),
  orgId: z.number({ error: "expected a Grafana organisation id" }).int().min(1, { error: "expected an organisation id of at least 1" }).optional(),
  datasources: strict({ prometheus: uid.optional(), cloudMonitoring: uid.optional() }).optional(),
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
}

export function dashboardDatasources(config: GrafanaConfig | undefined): DashboardDatasources {
  return { ...DEFAULT_DATASOURCES, ...(config?.datasources ?? {}) };
}
