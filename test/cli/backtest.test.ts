/**
 * npm run backtest as the checks call it: `--stack STACK --services DIR
 * --history FILE... --json OUT.json` prints a report and writes the result
 * with the fields docs/backtest.md promises; bad history is one line each and
 * exit 2 with nothing reported; --print-queries prints the chunked queries.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
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

describe("npm run backtest", { timeout: 300_000 }, () => {
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
    const queries = ran.stdout.trimEnd().split("\n").map((line) => JSON.parse(line) as { slo: string; query: string; start: number; end: number; step: number });
    expect([...new Set(queries.map((q) => q.slo))]).toEqual(["catalog-web/availability", "catalog-web/latency"]);
    for (const q of queries) {
      expect(q.step).toBe(30);
      expect((q.end - q.start) / q.step + 1).toBeLessThanOrEqual(11_000);
    }
    expect(queries[0]!.query).toContain('label_replace(((sum(rate(http_requests_total{job="catalog-web",code=~"5.."}[1h])) or vector(0)) / sum(rate(http_requests_total{job="catalog-web"}[1h]))), "backtest", "catalog-web/availability/error_ratio/3600s", "", "")');
    expect(queries.filter((q) => q.slo === "catalog-web/availability").at(-1)!.end).toBe(Date.parse("2026-12-01T00:00:00Z") / 1000);
  });
});
