/**
 * Cloud Monitoring history, live: for each Cloud Monitoring SLO that already
 * exists, its goal (serviceLevelObjectives.get) and the series its alert
 * policies evaluate (`select_slo_burn_rate` per tier lookback, and
 * `select_slo_budget_fraction`) through projects.timeSeries.list, every page.
 * The access token is Application Default Credentials' (through `gcloud auth
 * application-default print-access-token`), or GOOGLE_OAUTH_ACCESS_TOKEN when
 * set. Only read permissions are used (roles/monitoring.viewer).
 */
import { spawnSync } from "node:child_process";
import type { CloudMonitoringSeries, History } from "./history";
import { cloudMonitoringFilters } from "./cloudMonitoring";
import { BacktestInputError, type ReplaySlo } from "./types";

export const MONITORING_API = "https://monitoring.googleapis.com/v3";

export interface CloudMonitoringOptions {
  project: string;
  /** The span to read, ms. */
  from: number;
  to: number;
  endpoint?: string;
  token?: string;
  fetchImpl?: typeof fetch;
}

/** An access token: GOOGLE_OAUTH_ACCESS_TOKEN, else Application Default Credentials through gcloud. */
export function accessToken(env: NodeJS.ProcessEnv = process.env): string {
  const given = env["GOOGLE_OAUTH_ACCESS_TOKEN"];
  if (given) return given;
  const result = spawnSync("gcloud", ["auth", "application-default", "print-access-token"], { encoding: "utf8", timeout: 60_000 });
  if (result.status !== 0 || !result.stdout.trim()) {
    throw new BacktestInputError([`--project: no credentials (got ${result.error ? "no gcloud" : (result.stderr ?? "").trim().split("\n").pop() || `gcloud exit ${result.status}`}, expected Application Default Credentials for gcloud, or GOOGLE_OAUTH_ACCESS_TOKEN)`]);
  }
  return result.stdout.trim();
}

async function getJson(url: string, token: string, fetchImpl: typeof fetch): Promise<{ status: number; body: Record<string, unknown> }> {
  let response: Response;
  try {
    response = await fetchImpl(url, { headers: { Authorization: `Bearer ${token}` } });
  } catch (error) {
    throw new BacktestInputError([`${url.replace(/\?.*/, "")}: (request): failed (got ${error instanceof Error ? error.message : String(error)}, expected the Cloud Monitoring API)`]);
  }
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Reported below with the status.
  }
  if (!response.ok && response.status !== 404) {
    throw new BacktestInputError([`${url.replace(/\?.*/, "")}: (response): HTTP ${response.status} (got ${text.slice(0, 200).replace(/\s+/g, " ")}, expected 200: the identity needs roles/monitoring.viewer)`]);
  }
  return { status: response.status, body };
}

/** Reads every Cloud Monitoring SLO's series; an SLO that does not exist yet is left out (the backtest lists it). */
export async function fetchCloudMonitoringHistory(slos: readonly ReplaySlo[], options: CloudMonitoringOptions): Promise<History> {
  return (await fetchCloudMonitoring(slos, options)).history;
}

/** The same, with each series as the history file that holds it (a timeSeries.list response with its filter and goal), to be saved. */
export async function fetchCloudMonitoring(slos: readonly ReplaySlo[], options: CloudMonitoringOptions): Promise<{ history: History; documents: { file: string; text: string }[] }> {
  const endpoint = (options.endpoint ?? MONITORING_API).replace(/\/+$/, "");
  const fetchImpl = options.fetchImpl ?? fetch;
  const history: History = { raw: [], windows: new Map(), cloudMonitoring: new Map() };
  const documents: { file: string; text: string }[] = [];
  const targets = slos.filter((slo) => slo.evaluator === "cloudMonitoring" && slo.cloudMonitoringName);
  if (targets.length === 0) return { history, documents };
  const token = options.token ?? accessToken();
  for (const slo of targets) {
    const found = await getJson(`${endpoint}/${slo.cloudMonitoringName}`, token, fetchImpl);
    if (found.status === 404) continue;
    const goal = found.body["goal"];
    if (typeof goal !== "number") throw new BacktestInputError([`${endpoint}/${slo.cloudMonitoringName}: goal: missing (expected the SLO's goal)`]);
    const { burnRates, budget } = cloudMonitoringFilters(slo);
    for (const filter of [...burnRates, budget]) {
      const points: { t: number; v: number }[] = [];
      let pageToken = "";
      do {
        const query = new URLSearchParams({
          filter,
          "interval.startTime": new Date(options.from).toISOString(),
          "interval.endTime": new Date(options.to).toISOString(),
          ...(pageToken ? { pageToken } : {}),
        });
        const { body } = await getJson(`${endpoint}/projects/${options.project}/timeSeries?${query}`, token, fetchImpl);
        for (const series of (body["timeSeries"] as { points?: { interval?: { endTime?: string }; value?: { doubleValue?: number } }[] }[] | undefined) ?? []) {
          for (const point of series.points ?? []) {
            const t = Date.parse(point.interval?.endTime ?? "");
            const v = Number(point.value?.doubleValue);
            if (Number.isFinite(t) && Number.isFinite(v)) points.push({ t, v });
          }
        }
        pageToken = typeof body["nextPageToken"] === "string" ? body["nextPageToken"] : "";
      } while (pageToken);
      if (points.length === 0) continue;
      points.sort((a, b) => a.t - b.t);
      const series: CloudMonitoringSeries = { filter, goal, t: Float64Array.from(points.map((p) => p.t)), v: Float64Array.from(points.map((p) => p.v)), files: [`${endpoint}/projects/${options.project}/timeSeries`] };
      history.cloudMonitoring.set(filter, series);
      documents.push({
        file: filter,
        text: JSON.stringify({ filter, goal, timeSeries: [{ metricKind: "GAUGE", valueType: "DOUBLE", points: points.map((p) => ({ interval: { endTime: new Date(p.t).toISOString() }, value: { doubleValue: p.v } })) }] }),
      });
    }
  }
  return { history, documents };
}
