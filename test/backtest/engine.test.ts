/**
 * The backtest's parts: PromQL's rate() as Prometheus computes it (values
 * promtool printed), selectors, history files and their one-line problems,
 * routing through Alertmanager's grouping, repeats and inhibition, Grafana's
 * and Cloud Monitoring's, the warm-up and the refusal of history too short or
 * incomplete.
 */
import { describe, expect, it } from "vitest";
import { MINUTE_MS } from "../../contract/duration";
import { parseHistory, scanQueryRange, type Series } from "../../backtest/history";
import { matches, parseMatchers, presentAt, rate, select } from "../../backtest/promql";
import { groupNotifications, notifications, ROUTE_TIMING } from "../../backtest/routing";
import { budgetSpan, periodStart } from "../../backtest/budget";
import { firingSpans } from "../../backtest/alerts";
import { goalRescale } from "../../backtest/cloudMonitoring";
import { backtest } from "../../backtest/run";
import { BacktestInputError, type ReplaySlo } from "../../backtest/types";

const series = (values: (number | undefined)[], stepMs: number = MINUTE_MS, labels: Record<string, string> = {}): Series => {
  const points = values.flatMap((v, k) => (v === undefined ? [] : [[k * stepMs, v] as const]));
  return { labels, t: Float64Array.from(points.map((p) => p[0])), v: Float64Array.from(points.map((p) => p[1])), files: ["test.json"] };
};

/** A query_range document of raw series. */
const doc = (list: { labels: Record<string, string>; values: [number, number][] }[]) =>
  JSON.stringify({ status: "success", data: { resultType: "matrix", result: list.map((s) => ({ metric: s.labels, values: s.values.map(([t, v]) => [t, String(v)]) })) } });

const problems = (text: string): string[] => {
  try {
    parseHistory([{ file: "h.json", text }]);
    return [];
  } catch (error) {
    return (error as BacktestInputError).lines;
  }
};

describe("rate() as Prometheus 2 computes it", () => {
  it("gives the value promtool printed, to the last bit (one factor, divided by the range, then one multiplication)", () => {
    // 99 % / 30 d, 10 % errors from minute 420 (the alert-quality suite's trace): rate(...[12h]) at 600 min; promtool printed 8.083333333333332.
    const values: number[] = [];
    let v = 0;
    for (let k = 0; k <= 1200; k++) {
      values.push(v);
      v += k < 840 ? 300 : 270;
    }
    const r = rate(series(values, 30_000), Float64Array.of(600 * MINUTE_MS), 12 * 60 * MINUTE_MS)[0];
    expect(r).toBe(8.083333333333332);
  });

  it("extrapolates to the range's ends, at most half a sample interval past a gap, never below zero", () => {
    const s = series([undefined, undefined, 10, 20, 30, 40]);
    // [1 min, 5 min]: points at 2..5 min; the start is a minute away (< 1.1 intervals), the counter's zero 1 min before its first point.
    expect(rate(s, Float64Array.of(5 * MINUTE_MS), 4 * MINUTE_MS)[0]).toBeCloseTo(40 / 240, 12);
    // [0, 5 min]: two minutes before the first point, but the counter's zero is one minute before it: extrapolated to the zero.
    expect(rate(s, Float64Array.of(5 * MINUTE_MS), 5 * MINUTE_MS)[0]).toBeCloseTo((30 * (180 + 60)) / 180 / 300, 12);
    // Starting high (no zero in reach): half an interval only.
    expect(rate(series([undefined, undefined, 100, 110, 120, 130]), Float64Array.of(5 * MINUTE_MS), 5 * MINUTE_MS)[0]).toBeCloseTo((30 * (180 + 30)) / 180 / 300, 12);
  });

  it("counts a counter reset as the value before it", () => {
    const s = series([0, 10, 20, 5, 15]);
    expect(rate(s, Float64Array.of(4 * MINUTE_MS), 4 * MINUTE_MS)[0]).toBeCloseTo((15 - 0 + 20) / 240, 12);
  });

  it("needs two points in the range, both ends included", () => {
    const s = series([0, 10]);
    expect(rate(s, Float64Array.of(MINUTE_MS), MINUTE_MS)[0]).toBeCloseTo(10 / 60, 12);
    expect(rate(s, Float64Array.of(2 * MINUTE_MS), 30_000)[0]).toBeNaN();
  });

  it("selects series with anchored regular expressions, in Prometheus' label order", () => {
    const m = parseMatchers('http_requests_total{job="api",code=~"5.."}');
    expect(matches({ __name__: "http_requests_total", job: "api", code: "503" }, m)).toBe(true);
    expect(matches({ __name__: "http_requests_total", job: "api", code: "5000" }, m)).toBe(false);
    expect(matches({ __name__: "http_requests_total", job: "api" }, parseMatchers('http_requests_total{code!~"5.."}'))).toBe(true);
    expect(matches({ le: "1.0" }, parseMatchers('x{le=~"1|1\\\\.0"}'.replace("x", "")))).toBe(true);
    const all = [series([1], MINUTE_MS, { __name__: "m", code: "500" }), series([1], MINUTE_MS, { __name__: "m", code: "200" })];
    expect(select(all, "m").map((s) => s.labels["code"])).toEqual(["200", "500"]);
  });

  it("reads a gap as a gap: a series is there only where it has a point within its own step", () => {
    const s = series([1, 2, undefined, undefined, 5]);
    expect([...presentAt([s], Float64Array.of(0, MINUTE_MS, 2 * MINUTE_MS, 3 * MINUTE_MS, 4 * MINUTE_MS), MINUTE_MS)]).toEqual([1, 1, 0, 0, 1]);
  });
});

describe("history files: one line per problem, naming the file, where and what was expected", () => {
  it("refuses a file of the wrong shape", () => {
    expect(problems("[1, 2]")).toEqual([expect.stringMatching(/^h\.json: \(document\): invalid value \(got \[1,2\], expected a Prometheus query_range response/)]);
    expect(problems('{"status":"success","data":{"resultType":"vector","result":[]}}')).toEqual([
      'h.json: data.resultType: invalid value (got "vector", expected "matrix": the response of a query_range request, not of an instant query)',
    ]);
    expect(problems("{not json")).toEqual([expect.stringMatching(/^h\.json: \(json\): invalid JSON \(.*; expected a Prometheus query_range response/)]);
    expect(problems('{"status":"error","error":"bad_data"}')).toEqual(['h.json: status: invalid value (got "error", error "bad_data", expected "success": the query failed)']);
    expect(problems(doc([{ labels: { __name__: "m" }, values: [[60, 1], [0, 2]] }]))).toEqual([
      "h.json: data.result[0].values[1]: invalid value (got time 0 after 60, expected points in increasing time order)",
    ]);
    expect(problems('{"filter":"select_slo_burn_rate(\\"projects/p/services/s/serviceLevelObjectives/o\\", \\"3600s\\")","timeSeries":[]}')).toEqual([
      "h.json: goal: invalid value (got undefined, expected the SLO's goal when the series were read, between 0 and 1, e.g. 0.995)",
    ]);
  });

  it("refuses an empty result", () => {
    expect(problems('{"status":"success","data":{"resultType":"matrix","result":[]}}')).toEqual(["h.json: data.result: empty (got no series, expected at least one: the query matched nothing over its range)"]);
  });

  it("reads Prometheus' own layout fast, and anything else the careful way, to the same series", () => {
    const text = doc([{ labels: { __name__: "m", job: "a,}\"b" }, values: [[0, 1], [60.5, 2], [120, Number.NaN]] }, { labels: { __name__: "m" }, values: [[0, 3]] }]);
    expect(scanQueryRange(text)).toEqual([
      { labels: { __name__: "m", job: 'a,}"b' }, t: [0, 60_500, 120_000], v: [1, 2, Number.NaN] },
      { labels: { __name__: "m" }, t: [0], v: [3] },
    ]);
    // "values" before "metric": not Prometheus' layout, read the careful way.
    const parsed = JSON.parse(text) as { data: { result: { metric: unknown; values: unknown }[] } };
    const reordered = JSON.stringify({ status: "success", data: { resultType: "matrix", result: parsed.data.result.map((r) => ({ values: r.values, metric: r.metric })) } });
    expect(scanQueryRange(reordered)).toBeUndefined();
    const fast = parseHistory([{ file: "a.json", text }]);
    const careful = parseHistory([{ file: "b.json", text: reordered }]);
    expect(fast.raw.map((s) => [s.labels, [...s.t], [...s.v]])).toEqual(careful.raw.map((s) => [s.labels, [...s.t], [...s.v]]));
  });

  it("merges the chunks of one series read in several requests", () => {
    const h = parseHistory([
      { file: "a.json", text: doc([{ labels: { __name__: "m" }, values: [[0, 1], [60, 2]] }]) },
      { file: "b.json", text: doc([{ labels: { __name__: "m" }, values: [[60, 2], [120, 3]] }]) },
    ]);
    expect(h.raw).toHaveLength(1);
    expect([...h.raw[0]!.v]).toEqual([1, 2, 3]);
    expect(h.raw[0]!.files).toEqual(["a.json", "b.json"]);
  });
});

const slo = (over: Partial<ReplaySlo> = {}): ReplaySlo => ({
  service: "api",
  slo: "availability",
  evaluator: "prometheus",
  objective: 99.5,
  budget: 0.005,
  windowMs: 28 * 1440 * MINUTE_MS,
  budgeting: { method: "occurrences" },
  indicator: { kind: "prometheus", total: 'http_requests_total{job="api"}', bad: 'http_requests_total{job="api",code=~"5.."}' },
  tiers: [{ name: "page-fast", severity: "page", burnRate: 14.4, longWindowMs: 56 * MINUTE_MS, shortWindowMs: 5 * MINUTE_MS }],
  evaluationIntervalMs: 30_000,
  minBadEventsToPage: 2,
  absentForMs: 5 * MINUTE_MS,
  receivers: { page: ["pager"], ticket: ["slack"] },
  unreachable: [],
  ...over,
});

describe("routing: notifications per receiver", () => {
  const m = MINUTE_MS;
  it("Alertmanager: the first after group_wait, a resolve at the next group_interval tick, a repeat after repeat_interval", () => {
    const short = groupNotifications([{ id: "page-fast", inhibitable: false, spans: [{ start: 0, end: 10 * m }] }], ROUTE_TIMING.repeatMs.page, ROUTE_TIMING, () => false, 1e12);
    expect(short).toEqual([{ at: 30_000, firing: true }, { at: 10 * m + 30_000, firing: false }]);
    // Three hours firing with a 1-hour repeat: repeats at the first tick after each hour (1 h 5 min 30 s, 2 h 10 min 30 s).
    const long = groupNotifications([{ id: "page-fast", inhibitable: false, spans: [{ start: 0, end: 180 * m }] }], ROUTE_TIMING.repeatMs.page, ROUTE_TIMING, () => false, 1e12);
    expect(long.map((s) => [s.at / m, s.firing])).toEqual([[0.5, true], [65.5, true], [130.5, true], [180.5, false]]);
  });

  it("Alertmanager: a second tier joining a firing group notifies at the next tick; one firing and resolving between ticks is not sent", () => {
    const sent = groupNotifications(
      [
        { id: "page-fast", inhibitable: false, spans: [{ start: 0, end: 30 * m }] },
        { id: "page-slow", inhibitable: false, spans: [{ start: 7 * m, end: 30 * m }] },
      ],
      ROUTE_TIMING.repeatMs.page,
      ROUTE_TIMING,
      () => false,
      1e12,
    );
    expect(sent.map((s) => s.at / m)).toEqual([0.5, 10.5, 30.5]);
    expect(groupNotifications([{ id: "x", inhibitable: false, spans: [{ start: 0, end: 10_000 }] }], 3_600_000, ROUTE_TIMING, () => false, 1e12)).toEqual([]);
  });

  it("Alertmanager mutes an SLO's burn-rate tickets while its page fires; Grafana has no inhibit rule; Cloud Monitoring notifies each incident's open and close", () => {
    const alerts = [
      { alertname: "SLOErrorBudgetBurn", tier: "page-fast", severity: "page" as const, firing: [{ start: 0, end: 30 * m }] },
      { alertname: "SLOErrorBudgetBurn", tier: "ticket-fast", severity: "ticket" as const, firing: [{ start: 5 * m, end: 25 * m }] },
    ];
    const count = (evaluator: ReplaySlo["evaluator"]) => notifications(slo({ evaluator }), alerts, 0, 1e12).map((n) => [n.receiver, n.count]);
    expect(count("prometheus")).toEqual([["pager", 2], ["slack", 0]]);
    expect(count("grafana")).toEqual([["pager", 2], ["slack", 2]]);
    expect(count("cloudMonitoring")).toEqual([["pager", 2], ["slack", 2]]);
  });
});

describe("alerts, budget and the replay", () => {
  it("fires after the hold, at the first evaluation the condition has held that long, and resolves at the first it no longer holds", () => {
    const ts = Float64Array.from([0, 1, 2, 3, 4, 5, 6].map((k) => k * MINUTE_MS));
    expect(firingSpans(Uint8Array.from([0, 1, 1, 1, 0, 1, 1]), ts, 2 * MINUTE_MS)).toEqual([{ start: 3 * MINUTE_MS, end: 4 * MINUTE_MS }]);
    expect(firingSpans(Uint8Array.from([1, 1, 0, 1, 1, 1, 1]), ts, 0)).toEqual([{ start: 0, end: 2 * MINUTE_MS }, { start: 3 * MINUTE_MS }]);
    // keep_firing_for 2m: a gap shorter than the hold keeps it firing; it resolves the hold after the condition first cleared.
    expect(firingSpans(Uint8Array.from([1, 0, 1, 0, 0, 0, 0]), ts, 0, 0, 2 * MINUTE_MS)).toEqual([{ start: 0, end: 5 * MINUTE_MS }]);
  });

  it("covers the window ending where the history ends, or what the reported span holds of it; calendar periods from their UTC start", () => {
    const end = Date.parse("2026-12-10T06:00:00Z");
    expect(budgetSpan({ windowMs: 28 * 86_400_000 }, end - 30 * 86_400_000, end)).toEqual({ from: end - 28 * 86_400_000, to: end, wholeWindow: true });
    expect(budgetSpan({ windowMs: 28 * 86_400_000 }, end - 7 * 86_400_000, end).wholeWindow).toBe(false);
    expect(new Date(periodStart("month", end)).toISOString()).toBe("2026-12-01T00:00:00.000Z");
    expect(new Date(periodStart("week", end)).toISOString()).toBe("2026-12-07T00:00:00.000Z");
    expect(goalRescale(0.995, 99.9)).toBeCloseTo(5, 9);
  });

  const history = (minutes: number, withBad = true) =>
    parseHistory([
      {
        file: "h.json",
        text: doc([
          { labels: { __name__: "http_requests_total", job: "api", code: "200" }, values: Array.from({ length: minutes + 1 }, (_, k): [number, number] => [k * 60, k * 100]) },
          ...(withBad ? [{ labels: { __name__: "http_requests_total", job: "api", code: "500" }, values: Array.from({ length: minutes + 1 }, (_, k): [number, number] => [k * 60, k >= minutes - 30 ? (k - minutes + 31) * 100 : 0]) }] : []),
        ]),
      },
    ]);

  it("reports nothing from the warm-up: the first evaluation is a long window after the history starts", () => {
    const result = backtest([slo()], history(180));
    expect(result.warmUpFrom).toBe("1970-01-01T00:00:00Z");
    expect(result.from).toBe("1970-01-01T00:56:00Z");
    expect(result.slos[0]!.episodes.map((e) => [e.tier, e.start, e.end])).toEqual([["page-fast", "1970-01-01T02:34:00Z", null]]);
    expect(result.slos[0]!.notifications).toEqual([{ receiver: "pager", severity: "page", count: 1, firing: 1, resolved: 0 }, { receiver: "slack", severity: "ticket", count: 0, firing: 0, resolved: 0 }]);
  });

  it("refuses history too short for the reported span and the warm-up, with the length needed", () => {
    expect(() => backtest([slo()], history(180), { days: 1 })).toThrow(
      "h.json: api/availability: too short (got 3h from 1970-01-01T00:00:00Z to 1970-01-01T03:00:00Z, expected at least 1d56m: the 1d reported and 56m warm-up for the longest window its tiers read)",
    );
  });

  it("refuses history that holds some of the series an SLI reads but not all; lists an SLO it holds nothing for", () => {
    const good = slo({ indicator: { kind: "prometheus", total: 'http_requests_total{job="api"}', good: 'http_requests_total{job="api",code="200"}' } });
    const onlyTotal = parseHistory([{ file: "t.json", text: doc([{ labels: { __name__: "http_requests_total", job: "api", code: "500" }, values: [[0, 1], [60, 2]] }]) }]);
    expect(() => backtest([{ ...good, indicator: { ...good.indicator, good: 'http_requests_total{job="api",code="201"}' } as ReplaySlo["indicator"] }], onlyTotal)).toThrow(
      't.json: http_requests_total{job="api",code="201"}: missing (expected the series api/availability\'s SLI reads beside http_requests_total{job="api"}, which is there)',
    );
    const other = slo({ service: "web", indicator: { kind: "prometheus", total: 'http_requests_total{job="web"}' } });
    const result = backtest([slo(), other], history(180));
    expect(result.notEvaluated).toEqual([{ service: "web", slo: "availability", evaluator: "prometheus", reason: 'no history for it: expected query_range results of http_requests_total{job="web"}, or the window SLIs of --print-queries' }]);
  });

  it("counts a missing bad series as no errors, as the rule's `or vector(0)` does", () => {
    const result = backtest([slo()], history(180, false));
    expect(result.slos[0]!.episodes).toEqual([]);
    expect(result.slos[0]!.achieved).toBe(100);
    expect(result.slos[0]!.budgetSpent).toBe(0);
  });
});
