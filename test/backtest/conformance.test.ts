/**
 * The backtest is faithful, and proven so: the incident traces of the
 * alert-quality suite, for every SLO of its matrix, and a generated 28-day
 * trace (daily traffic cycle, incidents, a slow burn, a counter reset,
 * vanished series, quiet nights) go through the backtest and through promtool
 * on the rule files the plan writes, and fire the same episodes, each first
 * firing within one evaluation interval (in fact at the same evaluation).
 * For the incident traces, promtool's report is the one kept in
 * bench/alertQuality/results.json, valid only while what promtool read then is
 * what it would read now; the 28-day trace runs promtool here.
 */
import { describe, expect, it } from "vitest";
import { scenarios } from "../../bench/alertQuality/harness";
import { isCurrent, readStore } from "../../bench/alertQuality/store";
import { backtestSpans, benchService, describeDifferences, differences, planRuleFile, promtoolTrace, replayScenario, storedSpans, type Difference } from "../../bench/backtest/conformance";
import { generatedTrace, queryRangeDocument, ratioSeries } from "../../bench/backtest/trace";
import { replaySlo } from "../../backtest/fromModel";
import { parseHistory } from "../../backtest/history";
import { backtest } from "../../backtest/run";
import type { ReplaySlo } from "../../backtest/types";
import { requireTool } from "../components/prometheus/tools";

const store = readStore();

/** Every incident trace of our rules in the stored matrix, compared; `plant` changes the SLO the backtest replays. */
function incidentDifferences(plant?: (slo: ReplaySlo) => ReplaySlo, only?: (key: string, id: string) => boolean): { compared: number; differences: string[] } {
  let compared = 0;
  const found: string[] = [];
  for (const [key, entries] of Object.entries(store)) {
    const [objective, windowDays] = key.split("/").map(Number) as [number, number];
    const entry = entries.ours!;
    for (const run of entry.runs) {
      const kind = run.batch.startsWith("latency") ? "latency" : "ratio";
      for (const scenario of scenarios({ objective, windowDays, kind })) {
        if (!(scenario.id in run.fired) || (kind === "latency") !== Boolean(scenario.latency)) continue;
        if (only && !only(key, scenario.id)) continue;
        const step = scenario.stepSeconds / 60;
        const list: Difference[] = differences(storedSpans(run.fired[scenario.id]!, step), replayScenario({ objective, windowDays, kind }, scenario, plant), step);
        found.push(...describeDifferences(`${key} ${scenario.id}`, list));
        compared += 1;
      }
    }
  }
  return { compared, differences: found };
}

describe("the backtest against promtool", () => {
  it("reads promtool's report of rule and test files that are today's", () => {
    const stale = Object.entries(store).filter(([key, entries]) => {
      const [objective, windowDays] = key.split("/").map(Number) as [number, number];
      return !entries.ours || !isCurrent("ours", { objective, windowDays }, entries.ours);
    });
    expect(stale.map(([key]) => key), "measure again: npm run alert-quality -- --tools ours --changed").toEqual([]);
    expect(Object.keys(store)).toHaveLength(12);
  });

  it("fires what promtool fired on every incident trace of every SLO of the alert-quality matrix", () => {
    const { compared, differences: found } = incidentDifferences();
    expect(compared).toBe(120);
    expect(found).toEqual([]);
  });

  it("fails on a long window one minute too long (an off-by-one window)", () => {
    const plant = (slo: ReplaySlo): ReplaySlo => ({ ...slo, tiers: slo.tiers.map((t) => (t.name === "page-fast" ? { ...t, longWindowMs: t.longWindowMs + 60_000 } : t)) });
    const { differences: found } = incidentDifferences(plant, (key, id) => key === "99.5/28" && (id === "outage" || id === "errors10"));
    expect(found.length).toBeGreaterThan(0);
    expect(found.join("\n")).toMatch(/page-fast: promtool fired/);
  });

  it("fires what promtool fired on a generated 28-day trace, through the plan's own rule file", { timeout: 900_000 }, async () => {
    requireTool("promtool");
    // The longest interval a stack may set: 28 days of promtool evaluations stay within a test's time.
    const slo = { objective: 99.5, windowDays: 28, kind: "ratio" as const };
    const { service, prometheus } = benchService(slo, "5m");
    const trace = generatedTrace({ days: 28, warmUpDays: 0, budget: service.slos[0]!.budget });
    const stepMinutes = 5;
    const series = ratioSeries(trace, "api", stepMinutes);
    const minutes: number[] = [];
    for (let m = 0; m <= trace.minutes; m += stepMinutes) minutes.push(m);
    const history = parseHistory([{ file: "trace.json", text: queryRangeDocument(series) }]);
    const replay = replaySlo(service, service.slos[0]!, { prometheus, channels: {}, project: "bench" });
    expect(replay.evaluationIntervalMs).toBe(stepMinutes * 60_000);
    const result = backtest([replay], history, { fromHistoryStart: true, end: trace.minutes * 60_000 });
    const ours = backtestSpans(result.slos[0]!, minutes, stepMinutes);
    // promtool in two runs side by side (one per core): days 0–14, and days 11–28 watched from day 14, after 3 days of history
    // (longer than any window) so its windows are whole where it is compared.
    const half = 14 * 1440;
    const lead = 3 * 1440;
    const shifted = (from: number) => series.map((s) => ({ ...s, values: s.values.slice(from / stepMinutes) }));
    const runs = await Promise.all([
      promtoolTrace(planRuleFile(service, prometheus), shifted(0), stepMinutes * 60_000, minutes.filter((m) => m < half)),
      promtoolTrace(planRuleFile(service, prometheus), shifted(half - lead), stepMinutes * 60_000, minutes.filter((m) => m >= half).map((m) => m - (half - lead))),
    ]);
    const theirs = new Map<string, [number, number][]>();
    runs.forEach((spans, i) => {
      for (const [tier, list] of spans) theirs.set(tier, [...(theirs.get(tier) ?? []), ...list.map(([a, b]): [number, number] => (i === 0 ? [a, b] : [a + half - lead, b + half - lead]))]);
    });
    // An episode across the seam is one episode.
    for (const [tier, list] of theirs) {
      list.sort((a, b) => a[0] - b[0]);
      theirs.set(tier, list.reduce<[number, number][]>((out, span) => {
        const last = out[out.length - 1];
        if (last && span[0] - last[1] <= stepMinutes) last[1] = span[1];
        else out.push([...span]);
        return out;
      }, []));
    }
    // Every kind of alert fired at least once: the trace exercises pages, both tickets and metrics-absent.
    expect([...theirs.keys()].sort()).toEqual(["metrics-absent", "page-fast", "page-slow", "ticket", "ticket-fast"]);
    expect(describeDifferences("28-day trace", differences(theirs, ours, stepMinutes))).toEqual([]);
  });
});
