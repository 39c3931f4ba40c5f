/**
 * Cloud Monitoring history: the burn rates an SLO's policies evaluate, read
 * from timeSeries.list responses, replayed per tier and rescaled for a changed
 * objective; the budget from select_slo_budget_fraction, or time-weighted from
 * the burn rates and labelled approximate; --project reads them through the
 * API (here a loopback stand-in of it), every page, and leaves out an SLO that
 * does not exist yet.
 */
import { createServer, type Server } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeSample } from "../../bench/backtest/sample";
import { loadCatalog } from "../../catalog/loadCatalog";
import { REPOSITORY_ROOT } from "../../catalog/paths";
import { readStackSettings } from "../../catalog/stackSettings";
import { fetchCloudMonitoringHistory } from "../../backtest/cloudMonitoringApi";
import { budgetFractionFilter } from "../../backtest/cloudMonitoring";
import { replaySlos } from "../../backtest/fromModel";
import { readHistory, type History } from "../../backtest/history";
import { backtest } from "../../backtest/run";
import type { ReplaySlo } from "../../backtest/types";

let dir: string;
let history: History;
let slo: ReplaySlo;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "backtest-cm-"));
  history = readHistory(await writeSample(dir, Date.parse("2026-12-01T00:00:00Z"), 28));
  const { settings } = readStackSettings("local");
  const services = path.join(REPOSITORY_ROOT, "services");
  const catalog = await loadCatalog([services], settings!, { servicesDir: services });
  slo = replaySlos(catalog.services, settings!).find((s) => s.service === "catalog-web" && s.slo === "lb-availability")!;
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("Cloud Monitoring SLOs from their burn rates", () => {
  it("replays each tier's policy; a higher objective rescales the burn rates by (1 − old goal) ÷ (1 − new goal)", () => {
    const same = backtest([slo], history, { days: 28 }).slos[0]!;
    expect(same.source).toBe("Cloud Monitoring burn rates");
    expect(same.approximate).toBeUndefined();
    const raised = { ...slo, objective: 99.9, budget: 0.001, tiers: slo.tiers };
    const after = backtest([raised], history, { days: 28 }).slos[0]!;
    expect(after.episodes.length).toBeGreaterThan(same.episodes.length);
    // The same errors against a budget five times smaller.
    expect(after.budgetSpent! / same.budgetSpent!).toBeCloseTo(5, 6);
    expect(after.achieved).toBeCloseTo(same.achieved!, 9);
    // Every incident opens and closes: two messages per episode to each channel of its severity.
    const pages = same.episodes.filter((e) => e.severity === "page").length;
    expect(same.notifications.find((n) => n.receiver === "sre-pager")!.count).toBe(2 * pages);
  });

  it("without the budget fraction, the budget is averaged over time from the burn rates and labelled approximate", () => {
    const without: History = { ...history, cloudMonitoring: new Map([...history.cloudMonitoring].filter(([filter]) => filter !== budgetFractionFilter(slo.cloudMonitoringName!))) };
    const result = backtest([slo], without, { days: 28 }).slos[0]!;
    expect(result.approximate).toMatch(/^the budget is averaged over time from the 5-minute burn rate, not weighted by traffic/);
    const exact = backtest([slo], history, { days: 28 }).slos[0]!;
    expect(Math.abs(result.budgetSpent! / exact.budgetSpent! - 1)).toBeLessThan(0.3);
  });

  it("--project: reads the SLO's goal and every page of each series through the API, and leaves out an SLO that does not exist", async () => {
    const requests: string[] = [];
    const server: Server = createServer((req, res) => {
      requests.push(`${req.headers.authorization} ${decodeURIComponent(req.url!)}`);
      const url = new URL(req.url!, "http://x");
      if (url.pathname.endsWith("/serviceLevelObjectives/lb-availability")) return res.end(JSON.stringify({ goal: 0.995 }));
      if (url.pathname.includes("/serviceLevelObjectives/")) return res.writeHead(404).end("{}");
      const page = url.searchParams.get("pageToken");
      const point = (t: string, v: number) => ({ interval: { endTime: t }, value: { doubleValue: v } });
      res.end(JSON.stringify(page ? { timeSeries: [{ points: [point("2026-11-30T00:00:00Z", 1)] }] } : { timeSeries: [{ points: [point("2026-11-30T00:01:00Z", 2)] }], nextPageToken: "next" }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}/v3`;
      const other = { ...slo, slo: "uptime", cloudMonitoringName: slo.cloudMonitoringName!.replace("lb-availability", "uptime") };
      const fetched = await fetchCloudMonitoringHistory([slo, other], { project: "acme", from: 0, to: Date.parse("2026-12-01T00:00:00Z"), endpoint, token: "t0ken" });
      expect(requests.every((r) => r.startsWith("Bearer t0ken "))).toBe(true);
      expect([...fetched.cloudMonitoring.keys()]).toHaveLength(8);
      const series = [...fetched.cloudMonitoring.values()][0]!;
      expect([...series.v]).toEqual([1, 2]);
      expect(series.goal).toBe(0.995);
      expect(requests.some((r) => r.includes("/serviceLevelObjectives/uptime"))).toBe(true);
      expect(requests.filter((r) => r.includes("select_slo_burn_rate") && r.includes("uptime"))).toEqual([]);
    } finally {
      server.close();
    }
  });
});
