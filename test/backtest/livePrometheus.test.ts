/**
 * The backtest against a real Prometheus: Debian's `prometheus` server, started
 * here on loopback at a free port with history backfilled by `promtool tsdb
 * create-blocks-from openmetrics`, queried through `--prometheus-url` (window
 * SLIs computed by the server, in chunks), then stopped. What it reports is
 * what the backtest reports from the same samples read as raw series; the
 * queries carry the header given, read from the environment.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { counterSamples, queryRangeDocument, type GeneratedTrace, type SampleSeries } from "../../bench/backtest/trace";
import { readHistory } from "../../backtest/history";
import { backtest } from "../../backtest/run";
import { replaySlos } from "../../backtest/fromModel";
import { loadCatalog } from "../../catalog/loadCatalog";
import { readStackSettings } from "../../catalog/stackSettings";
import type { BacktestResult } from "../../backtest/types";
import { INSTALL_TOOLS, requireTool } from "../components/prometheus/tools";

const ROOT = path.join(__dirname, "..", "..");
const MINUTE = 60_000;
/** Two days reported after a day of warm-up (the 7-day SLO's longest window is 16 h 48 min). */
const DAYS = 2;

const DECLARATION = `apiVersion: monitoring-stack/v1
name: catalog-web
team: catalog
runtime:
  gke: { cluster: prod-1, location: europe-west1, namespace: shop, workload: catalog-web }
slos:
  - name: availability
    objective: 99.5
    window: 7d
    indicator:
      prometheus:
        total: http_requests_total{job="catalog-web"}
        bad: http_requests_total{job="catalog-web",code=~"5.."}
alerting:
  ticket: [catalog-email]
`;

/** Three days of 600 requests a minute: a 30-minute total outage, two hours of 10 % errors, the series gone for 20 minutes. */
function trace(): GeneratedTrace {
  const minutes = (DAYS + 1) * 1440;
  const requests = new Float64Array(minutes).fill(600);
  const bad = new Float64Array(minutes);
  const vanished = new Uint8Array(minutes);
  const at = (day: number, hour: number) => (1 + day) * 1440 + hour * 60;
  for (let m = at(0, 10); m < at(0, 10) + 30; m++) bad[m] = 600;
  for (let m = at(1, 6); m < at(1, 8); m++) bad[m] = 60;
  for (let m = at(1, 15); m < at(1, 15) + 20; m++) vanished[m] = 1;
  return { minutes, requests, bad, vanished, resets: [at(0, 20)], incidents: [] };
}

/** OpenMetrics text of the samples, timestamps from `startMs`, as promtool backfills it. */
function openMetrics(series: readonly SampleSeries[], startMs: number): string {
  const lines = ["# TYPE http_requests counter"];
  for (const s of series) {
    s.values.forEach((v, k) => {
      if (v !== undefined) lines.push(`${s.series} ${v} ${(startMs + k * s.stepMs) / 1000}`);
    });
  }
  return `${lines.join("\n")}\n# EOF\n`;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function requirePrometheus(): void {
  const result = spawnSync("prometheus", ["--version"], { encoding: "utf8" });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === "ENOENT") throw new Error(`prometheus is not installed (Debian package prometheus); this test starts it: ${INSTALL_TOOLS}`);
}

let dir: string;
let server: ChildProcess | undefined;
let url: string;
let end: number;
let series: SampleSeries[];

beforeAll(async () => {
  requireTool("promtool");
  requirePrometheus();
  dir = mkdtempSync(path.join(tmpdir(), "backtest-prometheus-"));
  const t = trace();
  end = Math.floor(Date.now() / MINUTE) * MINUTE - 10 * MINUTE;
  const start = end - t.minutes * MINUTE;
  series = [
    { series: 'http_requests_total{job="catalog-web",code="200"}', stepMs: MINUTE, values: counterSamples(t, (m) => t.requests[m]! - t.bad[m]!, 1) },
    { series: 'http_requests_total{job="catalog-web",code="500"}', stepMs: MINUTE, values: counterSamples(t, (m) => t.bad[m]!, 1) },
  ];
  writeFileSync(path.join(dir, "history.om"), openMetrics(series, start));
  writeFileSync(path.join(dir, "raw.json"), queryRangeDocument(series, start));
  const data = path.join(dir, "data");
  const backfill = spawnSync("promtool", ["tsdb", "create-blocks-from", "openmetrics", path.join(dir, "history.om"), data], { encoding: "utf8", timeout: 120_000 });
  expect(backfill.status, backfill.stderr).toBe(0);
  writeFileSync(path.join(dir, "prometheus.yml"), "global:\n  scrape_interval: 1m\n");
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  server = spawn("prometheus", [`--config.file=${path.join(dir, "prometheus.yml")}`, `--storage.tsdb.path=${data}`, `--web.listen-address=127.0.0.1:${port}`, "--storage.tsdb.retention.time=30d"], { stdio: "ignore" });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/-/ready`)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline || server.exitCode !== null) throw new Error(`prometheus did not become ready at ${url} (exit ${server.exitCode})`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  mkdirSync(path.join(dir, "services"));
  writeFileSync(path.join(dir, "services", "catalog-web.yaml"), DECLARATION);
}, 180_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server!.once("exit", resolve));
    server.kill("SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    if (server.exitCode === null) server.kill("SIGKILL");
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const episodes = (r: BacktestResult) => r.slos[0]!.episodes.map((e) => ({ tier: e.tier, start: Date.parse(e.start), end: e.end === null ? null : Date.parse(e.end) }));

/** Episodes that differ by more than one evaluation interval (30 s) at either end, or do not pair up. */
function apart(a: ReturnType<typeof episodes>, b: ReturnType<typeof episodes>): string[] {
  if (a.length !== b.length) return [`${a.length} episodes against ${b.length}`];
  return a.flatMap((x, i) => {
    const y = b[i]!;
    const close = (u: number | null, v: number | null) => (u === null || v === null ? u === v : Math.abs(u - v) <= 30_000);
    return x.tier === y.tier && close(x.start, y.start) && close(x.end, y.end) ? [] : [`${JSON.stringify(x)} against ${JSON.stringify(y)}`];
  });
}

describe("npm run backtest --prometheus-url on a real Prometheus", { timeout: 300_000 }, () => {
  it("reports what the server's own rate() gives: the same episodes as the raw series replayed here", async () => {
    const out = path.join(dir, "live.json");
    const ran = spawnSync(
      "npx",
      ["tsx", "cli/backtest.ts", "--stack", "local", "--services", path.join(dir, "services"), "--prometheus-url", url, "--header", "X-Backtest-Token: ${BACKTEST_TEST_TOKEN}", "--days", String(DAYS), "--end", new Date(end).toISOString(), "--json", out, "--save-history", path.join(dir, "saved")],
      { cwd: ROOT, encoding: "utf8", timeout: 240_000, env: { ...process.env, BACKTEST_TEST_TOKEN: "not-a-secret" } },
    );
    expect(ran.stderr).toBe("");
    expect(ran.status).toBe(0);
    const live = JSON.parse(readFileSync(out, "utf8")) as BacktestResult;
    expect(live.slos.map((s) => `${s.service}/${s.slo}/${s.source}`)).toEqual(["catalog-web/availability/window results"]);
    expect(live.slos[0]!.episodes.map((e) => e.tier)).toEqual(expect.arrayContaining(["page-fast", "page-slow", "metrics-absent"]));

    const { settings } = readStackSettings("local");
    const catalog = await loadCatalog([path.join(dir, "services")], settings!, { servicesDir: path.join(dir, "services") });
    const raw = backtest(replaySlos(catalog.services, settings!), readHistory([path.join(dir, "raw.json")]), { days: DAYS, end });
    // The raw series' metrics-absent reads a gap within one step of the file (1 min): one evaluation apart at most.
    expect(apart(episodes(live), episodes(raw))).toEqual([]);
    expect(live.slos[0]!.notifications.map((n) => n.receiver)).toEqual(raw.slos[0]!.notifications.map((n) => n.receiver));
    // What it read, saved as history files, replays the same.
    const saved = readdirSync(path.join(dir, "saved")).map((f) => path.join(dir, "saved", f));
    expect(saved.length).toBeGreaterThan(0);
    const again = backtest(replaySlos(catalog.services, settings!), readHistory(saved), { days: DAYS, end });
    expect(again.slos[0]!.episodes).toEqual(live.slos[0]!.episodes);
    // The budget from window SLIs sums the shortest window's rate()s (extrapolated at gaps and resets); from raw series, counted events.
    expect(Math.abs(live.slos[0]!.budgetSpent! / raw.slos[0]!.budgetSpent! - 1)).toBeLessThan(0.02);
  });

  it("says which request failed, in one line, when the server cannot answer", () => {
    const ran = spawnSync("npx", ["tsx", "cli/backtest.ts", "--stack", "local", "--services", path.join(dir, "services"), "--prometheus-url", `${url}/nothing-here`, "--days", "1"], { cwd: ROOT, encoding: "utf8", timeout: 240_000 });
    expect(ran.status).toBe(2);
    expect(ran.stderr.split("\n")[0]).toMatch(new RegExp(`^${url}/nothing-here/api/v1/query_range \\(catalog-web/availability, .* to .*\\): \\(response\\): HTTP 404 \\(got .*, expected 200\\)$`));
  });
});
