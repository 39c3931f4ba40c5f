/**
 * `--project P`: the lists read from the APIs, against a loopback stand-in for
 * Cloud Monitoring (v3) and Cloud Logging (v2) serving the fixture project's
 * resources, one list split over two pages. Every page is followed, each
 * request carries the token, and the adoption is the same as from exports. An
 * API error is one line with the URL, the status and what the API said.
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchExisting, LiveReadError } from "../../adopt/live";
import { readExisting } from "../../adopt/existing";
import { adoptConfig, matchExisting } from "../../adopt/match";
import { plan } from "../plan/helpers";
import { ADOPT_SERVICES, ADOPT_STACK, EXISTING, EXPECTED_ADOPTED, PROJECT } from "./fixture";

const fixture = (file: string): unknown => JSON.parse(readFileSync(path.join(EXISTING, file), "utf8"));
const P = `/projects/${PROJECT}`;
/** Path → the items served there, under the key the API lists them by. */
const LISTS: Record<string, [string, unknown[]]> = {
  [`/v3${P}/uptimeCheckConfigs`]: ["uptimeCheckConfigs", fixture("uptime.json") as unknown[]],
  [`/v3${P}/alertPolicies`]: ["alertPolicies", fixture("policies.json") as unknown[]],
  [`/v3${P}/notificationChannels`]: ["notificationChannels", fixture("channels.json") as unknown[]],
  [`/v3${P}/services`]: ["services", (fixture("services.json") as { services: unknown[] }).services],
  [`/v3${P}/services/shop-api/serviceLevelObjectives`]: ["serviceLevelObjectives", (fixture("slos-shop-api.json") as { serviceLevelObjectives: unknown[] }).serviceLevelObjectives],
  [`/v3${P}/services/search/serviceLevelObjectives`]: ["serviceLevelObjectives", (fixture("slos-search.json") as { serviceLevelObjectives: unknown[] }).serviceLevelObjectives],
  [`/v3${P}/services/canonical-ist:proj-418223350961-europe-west1-checkout/serviceLevelObjectives`]: ["serviceLevelObjectives", (fixture("slos-checkout.json") as { serviceLevelObjectives: unknown[] }).serviceLevelObjectives],
  [`/v2${P}/sinks`]: ["sinks", fixture("sinks.json") as unknown[]],
  [`/v2${P}/locations/-/buckets`]: ["buckets", fixture("buckets.json") as unknown[]],
  [`/v2${P}/metrics`]: ["metrics", fixture("metrics.json") as unknown[]],
};

const requests: string[] = [];
let base = "";
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  requests.push(`${decodeURIComponent(url.pathname)}${url.searchParams.get("pageToken") ? `#${url.searchParams.get("pageToken")}` : ""}`);
  if (req.headers.authorization !== "Bearer t0ken") return void res.writeHead(401).end('{"error":{"code":401}}');
  const list = LISTS[decodeURIComponent(url.pathname)];
  if (!list) return void res.writeHead(404).end("{}");
  const [key, items] = list;
  // The uptime checks come in two pages.
  if (key === "uptimeCheckConfigs") {
    const second = url.searchParams.get("pageToken") === "page-2";
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(second ? { [key]: items.slice(2) } : { [key]: items.slice(0, 2), nextPageToken: "page-2" }));
    return;
  }
  res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ [key]: items }));
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("reading the lists from the APIs", () => {
  it("follows every page and adopts what the exports adopt", async () => {
    const files = await fetchExisting({ project: PROJECT, token: "t0ken", monitoringEndpoint: `${base}/v3`, loggingEndpoint: `${base}/v2` });
    expect(requests).toContain(`/v3${P}/uptimeCheckConfigs#page-2`);
    expect(requests.filter((r) => r.includes("serviceLevelObjectives"))).toHaveLength(3);
    const { existing, problems } = readExisting(files, PROJECT);
    expect(problems).toEqual([]);
    expect(existing.filter((e) => e.kind === "uptimeCheck")).toHaveLength(3);
    const planned = (await plan({ stack: "shop", configFile: ADOPT_STACK, servicesDir: ADOPT_SERVICES })).plan;
    const findings = matchExisting({ project: PROJECT, resources: planned.resources, services: planned.services ?? [], existing });
    expect(adoptConfig(findings)).toEqual(EXPECTED_ADOPTED);
  }, 120_000);

  it("reports an API error in one line: the URL, the status and what the API said", async () => {
    const failing = fetchExisting({ project: PROJECT, token: "t0ken", monitoringEndpoint: `${base}/elsewhere`, loggingEndpoint: `${base}/v2` });
    await expect(failing).rejects.toBeInstanceOf(LiveReadError);
    await expect(fetchExisting({ project: PROJECT, token: "wrong", monitoringEndpoint: `${base}/v3` })).rejects.toThrow(
      new RegExp(`^${base}/v3/projects/acme-shop-prod/uptimeCheckConfigs: \\(response\\): HTTP 401 \\(got \\{"error":\\{"code":401\\}\\}, expected 200: the identity needs roles/monitoring.viewer and roles/logging.viewer\\)$`),
    );
  });
});
