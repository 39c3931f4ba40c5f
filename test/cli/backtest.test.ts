/**
 * npm run backtest as the checks call it: `--stack STACK --services DIR
 * --history FILE... --json OUT.json` prints a report and writes the result
 * with the fields docs/backtest.md promises; bad history is one line each and
 * exit 2 with nothing reported; --print-queries prints the chunked queries
 * and Cloud Monitoring's timeSeries.list requests; a new Cloud Monitoring SLO
 * is recomputed from a fixture of its raw metrics and labelled approximate.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeSample } from "../../bench/backtest/sample";
import type { BacktestResult } from "../../backtest/types";

const ROOT = path.join(__dirname, "..", "..");
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
let dir: string;
let files: string[];

function backtest(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync("npx", ["tsx", "cli/backtest.ts", ...args], { cwd: ROOT, encoding: "utf8", timeout: 240_000, env: { ...process.env, DEBUG: "" } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "backtest-cli-"));
  files = await writeSample(path.join(dir, "history"), Date.parse("2026-12-01T00:00:00Z"), 28);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Per-minute counts of a new Cloud Monitoring SLO's raw metrics as timeSeries.list responses: 100 requests a minute for 3 days, all failing 20 minutes from 2026-11-30 12:00. */
function writeRawFixture(into: string): string[] {
  mkdirSync(into, { recursive: true });
  const start = Date.parse("2026-11-28T00:00:00Z");
  const outage = Date.parse("2026-11-30T12:00:00Z");
  const filter = 'metric.type="run.googleapis.com/request_count" AND resource.type="cloud_run_revision" AND resource.label.service_name="checkout-api" AND resource.label.location="europe-west1"';
  const total: { interval: { endTime: string }; value: { int64Value: string } }[] = [];
  const bad: typeof total = [];
  for (let t = start + 60_000; t <= start + 3 * 86_400_000; t += 60_000) {
    const point = { interval: { endTime: new Date(t).toISOString() }, value: { int64Value: "100" } };
    total.unshift(point);
    if (t > outage && t <= outage + 20 * 60_000) bad.unshift(point);
  }
  const interval = { startTime: new Date(start).toISOString(), endTime: new Date(start + 3 * 86_400_000).toISOString() };
  const files = [path.join(into, "total.json"), path.join(into, "bad.json")];
  writeFileSync(files[0]!, JSON.stringify({ filter, interval, timeSeries: [{ metricKind: "DELTA", valueType: "INT64", points: total }] }));
  writeFileSync(files[1]!, JSON.stringify({ filter: `${filter} AND metric.label.response_code_class="5xx"`, interval, timeSeries: [{ metricKind: "DELTA", valueType: "INT64", points: bad }] }));
  return files;
}

describe("npm run backtest", { timeout: 300_000 }, () => {
  it("a new Cloud Monitoring SLO from its raw metrics: recomputed, labelled approximate; one it cannot recompute says why", () => {
    const out = path.join(dir, "raw.json");
    const ran = backtest(["--stack", "local", "--services", "services", "--history", ...writeRawFixture(path.join(dir, "raw")), "--days", "2", "--json", out]);
    expect(ran.stderr).toBe("");
    expect(ran.status).toBe(0);
    expect(ran.stdout).toContain("checkout-api / availability: Cloud Monitoring, 99.9 %, from Cloud Monitoring raw metrics");
    expect(ran.stdout).toContain("  approximate: recomputed from raw metrics");
    const result = JSON.parse(readFileSync(out, "utf8")) as BacktestResult;
    expect(result.slos.map((s) => `${s.service}/${s.slo}/${s.source}`)).toEqual(["checkout-api/availability/Cloud Monitoring raw metrics"]);
    const slo = result.slos[0]!;
    expect(slo.approximate).toMatch(/^recomputed from raw metrics .*Cloud Monitoring's own SLO evaluation may differ in its alignment and in how it counts missing points$/);
    // 2,000 bad of 288,000 over the two days reported.
    expect(slo.budgetSpent).toBeCloseTo(2000 / 288_000 / 0.001, 9);
    // Both lookbacks exceed 14.4 × 0.1 % in the outage's first minute; the 5-minute one holds its last bad minute for 5 minutes.
    expect(slo.episodes.filter((e) => e.tier === "page-fast")).toEqual([{ severity: "page", tier: "page-fast", start: "2026-11-30T12:01:00Z", end: "2026-11-30T12:25:00Z" }]);
    expect(slo.notifications.find((n) => n.receiver === "payments-pager")!.count).toBe(2 * slo.episodes.filter((e) => e.severity === "page").length);
    expect(result.notEvaluated.find((n) => n.slo === "latency" && n.service === "checkout-api")!.reason).toMatch(/distribution cut of request latencies, which the backtest does not recompute from raw metrics: it needs the SLO's own select_slo_burn_rate series, once it exists\)$/);
  });

  it("--stack --services --history --json: a report, and the result as the interface states it", () => {
    const out = path.join(dir, "out.json");
    const ran = backtest(["--stack", "local", "--services", "services", "--history", ...files, "--json", out]);
    expect(ran.stderr).toBe("");
    expect(ran.status).toBe(0);
    expect(ran.stdout).toMatch(/^Backtest of stack local: 2026-11-03 00:00 to 2026-12-01 00:00 UTC/);
    const result = JSON.parse(readFileSync(out, "utf8")) as BacktestResult;
    expect(result.from).toBe("2026-11-03T00:00:00Z");
    expect(result.slos.map((s) => `${s.service}/${s.slo}/${s.evaluator}/${s.source}`)).toEqual([
      "catalog-web/lb-availability/cloudMonitoring/Cloud Monitoring burn rates",
      "catalog-web/availability/prometheus/raw series",
      "catalog-web/latency/prometheus/raw series",
    ]);
    for (const slo of result.slos) {
      expect(Object.keys(slo)).toEqual(expect.arrayContaining(["service", "slo", "evaluator", "achieved", "budgetSpent", "episodes", "notifications"]));
      expect(slo.achieved).toBeGreaterThan(99);
      expect(slo.budgetSpent).toBeGreaterThan(0);
      for (const e of slo.episodes) {
        expect(Object.keys(e)).toEqual(expect.arrayContaining(["severity", "tier", "start", "end"]));
        expect(e.start).toMatch(ISO);
        if (e.end !== null) expect(e.end).toMatch(ISO);
      }
      expect(slo.notifications.every((n) => typeof n.receiver === "string" && n.count === n.firing + n.resolved)).toBe(true);
    }
    const availability = result.slos[1]!;
    expect(availability.episodes.filter((e) => e.tier === "metrics-absent").map((e) => e.severity)).toEqual(["ticket"]);
    expect(availability.notifications.map((n) => n.receiver)).toEqual(["sre-pager", "catalog-email"]);
    expect(result.notEvaluated.map((n) => `${n.service}/${n.slo}`)).toEqual(["catalog-web/uptime", "checkout-api/availability", "checkout-api/latency", "checkout-api/uptime", "status-page/uptime"]);
  });

  it("refuses bad history with one line each (file, what, expected) and exit 2, reporting nothing", () => {
    const wrong = path.join(dir, "wrong.json");
    writeFileSync(wrong, JSON.stringify({ status: "success", data: { resultType: "vector", result: [] } }));
    const empty = path.join(dir, "empty.json");
    writeFileSync(empty, JSON.stringify({ status: "success", data: { resultType: "matrix", result: [] } }));
    const ran = backtest(["--history", wrong, empty, "--json", path.join(dir, "never.json")]);
    expect(ran.status).toBe(2);
    expect(ran.stdout).toBe("");
    expect(ran.stderr.trimEnd().split("\n")).toEqual([
      `${wrong}: data.resultType: invalid value (got "vector", expected "matrix": the response of a query_range request, not of an instant query)`,
      `${empty}: data.result: empty (got no series, expected at least one: the query matched nothing over its range)`,
      "2 problems found; nothing was reported.",
    ]);
    expect(existsSync(path.join(dir, "never.json"))).toBe(false);
    const short = backtest(["--history", files[0]!, "--days", "30"]);
    expect(short.status).toBe(2);
    expect(short.stderr).toContain(`${files[0]}: catalog-web/availability: too short (got 31d from 2026-10-31T00:00:00Z to 2026-12-01T00:00:00Z, expected at least 33d: the 30d reported and 3d warm-up for the longest window its tiers read)`);
  });

  it("--print-queries: one query_range request per line, chunked under 11,000 points, at the SLO's evaluation interval", () => {
    const ran = backtest(["--print-queries", "--days", "28", "--end", "2026-12-01T00:00:00Z"]);
    expect(ran.status).toBe(0);
    const lines = ran.stdout.trimEnd().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    const queries = lines.filter((l) => "query" in l) as unknown as { slo: string; query: string; start: number; end: number; step: number }[];
    // Cloud Monitoring SLOs: timeSeries.list requests, the burn rates of an existing SLO and the raw metrics of a new one.
    const lists = lines.filter((l) => "filter" in l);
    expect(lists.length + queries.length).toBe(lines.length);
    expect(lists.filter((l) => l["slo"] === "checkout-api/availability" && l["for"] === "new SLO")).toEqual([
      {
        slo: "checkout-api/availability",
        for: "new SLO",
        name: "projects/acme-monitoring-local",
        filter: 'metric.type="run.googleapis.com/request_count" AND resource.type="cloud_run_revision" AND resource.label.service_name="checkout-api" AND resource.label.location="europe-west1"',
        "interval.startTime": "2026-11-02T12:00:00.000Z",
        "interval.endTime": "2026-12-01T00:00:00.000Z",
        "aggregation.alignmentPeriod": "60s",
        "aggregation.perSeriesAligner": "ALIGN_DELTA",
        "aggregation.crossSeriesReducer": "REDUCE_SUM",
      },
      expect.objectContaining({ filter: expect.stringContaining('metric.label.response_code_class="5xx"') }),
    ]);
    expect(lists.filter((l) => l["slo"] === "checkout-api/latency" && l["for"] === "new SLO")).toEqual([]);
    expect(lists.some((l) => l["slo"] === "checkout-api/latency" && l["filter"] === 'select_slo_burn_rate("projects/acme-monitoring-local/services/checkout-api/serviceLevelObjectives/latency", "3600s")')).toBe(true);
    expect([...new Set(queries.map((q) => q.slo))]).toEqual(["catalog-web/availability", "catalog-web/latency"]);
    for (const q of queries) {
      expect(q.step).toBe(30);
      expect((q.end - q.start) / q.step + 1).toBeLessThanOrEqual(11_000);
    }
    expect(queries[0]!.query).toContain('label_replace(((sum(rate(http_requests_total{job="catalog-web",code=~"5.."}[1h])) or vector(0)) / sum(rate(http_requests_total{job="catalog-web"}[1h]))), "backtest", "catalog-web/availability/error_ratio/3600s", "", "")');
    expect(queries.filter((q) => q.slo === "catalog-web/availability").at(-1)!.end).toBe(Date.parse("2026-12-01T00:00:00Z") / 1000);
  });
});
