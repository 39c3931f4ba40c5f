/**
 * Cloud Monitoring history, live: for each Cloud Monitoring SLO that already
 * exists, its goal (serviceLevelObjectives.get) and the series its alert
 * policies evaluate (`select_slo_burn_rate` per tier lookback, and
 * `select_slo_budget_fraction`) through projects.timeSeries.list, every page.
 * The access token is Application Default Credentials' (through `gcloud auth
 * application-default print-access-token`), or GOOGLE_OAUTH_ACCESS_TOKEN when
 * set. Only read permissions are used (roles/monitoring.viewer). An SLO
 * that does not exist yet (404) has its raw metrics read instead, one count
 * per minute summed across series (cloudMonitoringRaw.ts), when its SLI is a
 * ratio the backtest can recompute.
 */
import { spawnSync } from "node:child_process";
import { mergeMetrics, type CloudMonitoringMetric, type CloudMonitoringSeries, type History } from "./history";
import { cloudMonitoringFilters } from "./cloudMonitoring";
import { RAW_AGGREGATION, rawFilterList, rawFiltersOf } from "./cloudMonitoringRaw";
import { BacktestInputError, type ReplaySlo } from "./types";

/** One projects.timeSeries.list request, as --print-queries prints it: its query parameters, flat. */
export interface ListRequest {
  /** `<service>/<slo>`. */
  slo: string;
  /** Which SLO it serves: one that exists (its burn rates), or a new one (the raw metrics its SLI reads). */
  for: "existing SLO" | "new SLO";
  /** `projects/P`: the request is GET https://monitoring.googleapis.com/v3/projects/P/timeSeries. */
  name: string;
  filter: string;
  "interval.startTime": string;
  "interval.endTime": string;
  "aggregation.alignmentPeriod"?: string;
  "aggregation.perSeriesAligner"?: string;
  "aggregation.crossSeriesReducer"?: string;
}

const isoTime = (ms: number) => new Date(ms).toISOString();

/**
 * The timeSeries.list requests of a Cloud Monitoring SLO for the span
 * [from, to]: its burn rates and budget fraction, for an SLO that exists;
 * its raw metrics, per minute and from the longest lookback before `from`
 * (the warm-up the recompute needs), for a new one.
 */
export function listRequests(slo: ReplaySlo, from: number, to: number, project?: string): ListRequest[] {
  if (slo.evaluator !== "cloudMonitoring" || !slo.cloudMonitoringName || slo.tiers.length === 0) return [];
  const id = `${slo.service}/${slo.slo}`;
  const name = `projects/${project ?? slo.cloudMonitoringName.split("/")[1]}`;
  const { burnRates, budget } = cloudMonitoringFilters(slo);
  const out: ListRequest[] = [...burnRates, budget].map((filter) => ({ slo: id, for: "existing SLO", name, filter, "interval.startTime": isoTime(from), "interval.endTime": isoTime(to) }));
  const filters = rawFiltersOf(slo);
  if ("unsupported" in filters) return out;
  const longest = Math.max(...slo.tiers.map((t) => t.longWindowMs));
  for (const filter of rawFilterList(filters)) {
    out.push({
      slo: id,
      for: "new SLO",
      name,
      filter,
      "interval.startTime": isoTime(from - longest),
      "interval.endTime": isoTime(to),
      "aggregation.alignmentPeriod": RAW_AGGREGATION.alignmentPeriod,
      "aggregation.perSeriesAligner": RAW_AGGREGATION.perSeriesAligner,
      "aggregation.crossSeriesReducer": RAW_AGGREGATION.crossSeriesReducer,
    });
  }
  return out;
}

type ListedSeries = { metricKind?: string; valueType?: string; points?: { interval?: { endTime?: string }; value?: { doubleValue?: number; int64Value?: string | number } }[] };

/** Every series of one request, all its pages. */
async function listAll(endpoint: string, request: ListRequest, token: string, fetchImpl: typeof fetch): Promise<ListedSeries[]> {
  const out: ListedSeries[] = [];
  const { slo: _slo, for: _for, name, ...params } = request;
  let pageToken = "";
  do {
    const query = new URLSearchParams({ ...(params as Record<string, string>), ...(pageToken ? { pageToken } : {}) });
    const { body } = await getJson(`${endpoint}/${name}/timeSeries?${query}`, token, fetchImpl);
    out.push(...((body["timeSeries"] as ListedSeries[] | undefined) ?? []));
    pageToken = typeof body["nextPageToken"] === "string" ? body["nextPageToken"] : "";
  } while (pageToken);
  return out;
}

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
    const requests = listRequests(slo, options.from, options.to, options.project);
    if (found.status === 404) {
      await fetchRaw(requests.filter((r) => r.for === "new SLO"), endpoint, token, fetchImpl, history, documents);
      continue;
    }
    const goal = found.body["goal"];
    if (typeof goal !== "number") throw new BacktestInputError([`${endpoint}/${slo.cloudMonitoringName}: goal: missing (expected the SLO's goal)`]);
    for (const request of requests.filter((r) => r.for === "existing SLO")) {
      const filter = request.filter;
      const points: { t: number; v: number }[] = [];
      for (const series of await listAll(endpoint, request, token, fetchImpl)) {
        for (const point of series.points ?? []) {
          const t = Date.parse(point.interval?.endTime ?? "");
          const v = Number(point.value?.doubleValue);
          if (Number.isFinite(t) && Number.isFinite(v)) points.push({ t, v });
        }
      }
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

/** A new SLO's raw metrics: each filter's series summed per end time, kept with the request's interval (a filter that matched nothing still covers it). */
async function fetchRaw(requests: readonly ListRequest[], endpoint: string, token: string, fetchImpl: typeof fetch, history: History, documents: { file: string; text: string }[]): Promise<void> {
  if (requests.length === 0) return;
  const read: CloudMonitoringMetric[] = [];
  for (const request of requests) {
    const sums = new Map<number, number>();
    for (const series of await listAll(endpoint, request, token, fetchImpl)) {
      for (const point of series.points ?? []) {
        const t = Date.parse(point.interval?.endTime ?? "");
        const v = Number(point.value?.int64Value ?? point.value?.doubleValue);
        if (Number.isFinite(t) && Number.isFinite(v)) sums.set(t, (sums.get(t) ?? 0) + v);
      }
    }
    const t = [...sums.keys()].sort((a, b) => a - b);
    const from = Date.parse(request["interval.startTime"]);
    const to = Date.parse(request["interval.endTime"]);
    read.push({ filter: request.filter, t: Float64Array.from(t), v: Float64Array.from(t.map((x) => sums.get(x)!)), from, to, files: [`${endpoint}/${request.name}/timeSeries`] });
    documents.push({
      file: request.filter,
      text: JSON.stringify({
        filter: request.filter,
        interval: { startTime: request["interval.startTime"], endTime: request["interval.endTime"] },
        timeSeries: t.length === 0 ? [] : [{ metricKind: "DELTA", valueType: "DOUBLE", points: t.map((x) => ({ interval: { endTime: isoTime(x) }, value: { doubleValue: sums.get(x)! } })) }],
      }),
    });
  }
  history.cloudMonitoringMetrics = mergeMetrics(read, history.cloudMonitoringMetrics ?? new Map());
}
