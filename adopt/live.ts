/**
 * What a project has, read from the APIs directly (`npm run adopt -- --project P`)
 * instead of from exports: the same lists `gcloud` prints, every page of
 * each followed, each list returned as one export file for readExisting.
 * Read permissions only (roles/monitoring.viewer, roles/logging.viewer); the
 * access token is Application Default Credentials', as the backtest gets it.
 */
import type { ExportFile } from "./existing";

export const MONITORING_API = "https://monitoring.googleapis.com/v3";
export const LOGGING_API = "https://logging.googleapis.com/v2";

export interface LiveOptions {
  project: string;
  token: string;
  /** Default: MONITORING_API. */
  monitoringEndpoint?: string;
  /** Default: LOGGING_API. */
  loggingEndpoint?: string;
  fetchImpl?: typeof fetch;
}

/** Why a list could not be read, in one line: the URL, the status and what the API said. */
export class LiveReadError extends Error {}

async function allPages(url: string, key: string, options: LiveOptions): Promise<unknown[]> {
  const fetchImpl = options.fetchImpl ?? fetch;
  const items: unknown[] = [];
  let pageToken = "";
  do {
    const query = new URLSearchParams({ pageSize: "1000", ...(pageToken ? { pageToken } : {}) });
    let response: Response;
    try {
      response = await fetchImpl(`${url}?${query}`, { headers: { Authorization: `Bearer ${options.token}` } });
    } catch (error) {
      throw new LiveReadError(`${url}: (request): failed (got ${error instanceof Error ? error.message : String(error)}, expected the Google Cloud API)`);
    }
    const text = await response.text();
    if (!response.ok) {
      throw new LiveReadError(`${url}: (response): HTTP ${response.status} (got ${text.slice(0, 200).replace(/\s+/g, " ")}, expected 200: the identity needs roles/monitoring.viewer and roles/logging.viewer)`);
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new LiveReadError(`${url}: (response): not JSON (got ${text.slice(0, 80).replace(/\s+/g, " ")}, expected the API's list response)`);
    }
    items.push(...(Array.isArray(body[key]) ? (body[key] as unknown[]) : []));
    pageToken = typeof body["nextPageToken"] === "string" ? body["nextPageToken"] : "";
  } while (pageToken);
  return items;
}

/** Every list adoption reads, as export files named by their URL. */
export async function fetchExisting(options: LiveOptions): Promise<ExportFile[]> {
  const monitoring = (options.monitoringEndpoint ?? MONITORING_API).replace(/\/+$/, "");
  const logging = (options.loggingEndpoint ?? LOGGING_API).replace(/\/+$/, "");
  const project = `projects/${options.project}`;
  const lists: Array<[string, string]> = [
    [`${monitoring}/${project}/uptimeCheckConfigs`, "uptimeCheckConfigs"],
    [`${monitoring}/${project}/alertPolicies`, "alertPolicies"],
    [`${monitoring}/${project}/notificationChannels`, "notificationChannels"],
    [`${monitoring}/${project}/services`, "services"],
    [`${logging}/${project}/sinks`, "sinks"],
    [`${logging}/${project}/locations/-/buckets`, "buckets"],
    [`${logging}/${project}/metrics`, "metrics"],
  ];
  const files: ExportFile[] = [];
  for (const [url, key] of lists) {
    const items = await allPages(url, key, options);
    files.push({ file: url, text: JSON.stringify({ [key]: items }) });
    if (key !== "services") continue;
    // SLOs are listed per service.
    for (const service of items) {
      const name = typeof service === "object" && service !== null ? (service as { name?: unknown }).name : undefined;
      if (typeof name !== "string") continue;
      const sloUrl = `${monitoring}/${name}/serviceLevelObjectives`;
      files.push({ file: sloUrl, text: JSON.stringify({ serviceLevelObjectives: await allPages(sloUrl, "serviceLevelObjectives", options) }) });
    }
  }
  return files;
}
