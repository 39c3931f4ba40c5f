/**
 * A new Cloud Monitoring SLO, recomputed from the raw metrics its SLI reads:
 * the pieces (events per minute, lookback sums, burn rates, the filters each
 * SLI kind reads), the replay on planted traffic (an outage opens and closes
 * the page at the minutes the lookbacks say; the budget is weighted by
 * traffic), the files (series summed, an empty result with its interval, one
 * line per problem) and --project through a loopback stand-in of the API.
 */
import { createServer, type Server } from "node:http";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadCatalog } from "../../catalog/loadCatalog";
import { REPOSITORY_ROOT } from "../../catalog/paths";
import { readStackSettings } from "../../catalog/stackSettings";
import { cloudRunRequestsFilter, cloudRunServerErrorsFilter } from "../../components/gcp/filters";
import { cloudMonitoringFilters } from "../../backtest/cloudMonitoring";
import { fetchCloudMonitoring, listRequests } from "../../backtest/cloudMonitoringApi";
import { RAW_APPROXIMATE, badAndTotal, burnRates, countsPerTick, rawFiltersOf, rawSlicesApproximate, requestFilters, sliceEnds, windowSums } from "../../backtest/cloudMonitoringRaw";
import { replaySlos } from "../../backtest/fromModel";
import { filterKey, parseHistory } from "../../backtest/history";
import { backtest } from "../../backtest/run";
import { BacktestInputError, type ReplaySlo } from "../../backtest/types";

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.parse("2026-11-01T00:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();

let slo: ReplaySlo;
let lb: ReplaySlo;

beforeAll(async () => {
  const { settings } = readStackSettings("local");
  const services = path.join(REPOSITORY_ROOT, "services");
  const catalog = await loadCatalog([services], settings!, { servicesDir: services });
  const all = replaySlos(catalog.services, settings!);
  slo = all.find((s) => s.service === "checkout-api" && s.slo === "availability")!;
  lb = all.find((s) => s.service === "catalog-web" && s.slo === "lb-availability")!;
}, 120_000);

/** A timeSeries.list response of one metric filter, newest point first as the API returns them. */
function metricDoc(filter: string, points: readonly (readonly [number, number])[], interval?: { from: number; to: number }): string {
  const series = points.length === 0 ? [] : [{ metricKind: "DELTA", valueType: "INT64", points: points.map(([t, v]) => ({ interval: { startTime: iso(t - MIN), endTime: iso(t) }, value: { int64Value: String(v) } })).reverse() }];
  return JSON.stringify({ filter, ...(interval ? { interval: { startTime: iso(interval.from), endTime: iso(interval.to) } } : {}), timeSeries: series });
}

const problems = (text: string) => {
  try {
    parseHistory([{ file: "h.json", text }]);
    return [];
  } catch (error) {
    return (error as BacktestInputError).lines;
  }
};

describe("the pieces", () => {
  it("counts events per minute: a point ending in (tick − 1 min, tick] counts at the tick; none is 0", () => {
    const ts = Float64Array.from([1, 2, 3, 4].map((k) => T0 + k * MIN));
    expect([...countsPerTick({ t: Float64Array.from([T0 + MIN, T0 + 2 * MIN + 30_000, T0 + 3 * MIN]), v: Float64Array.from([5, 7, 1]) }, ts)]).toEqual([5, 0, 8, 0]);
    // A point before the first tick's minute is not counted.
    expect([...countsPerTick({ t: Float64Array.from([T0]), v: Float64Array.from([9]) }, ts)]).toEqual([0, 0, 0, 0]);
  });

  it("sums each lookback over exactly lookback ÷ 1 min ticks", () => {
    expect([...windowSums(Float64Array.from([1, 2, 3, 4, 5]), MIN, 3 * MIN)]).toEqual([1, 3, 6, 9, 12]);
    expect([...windowSums(Float64Array.from([1, 2, 3]), MIN, MIN)]).toEqual([1, 2, 3]);
  });

  it("burn rate = bad ÷ total ÷ (1 − goal); no event, no burn rate", () => {
    const burn = burnRates(Float64Array.from([1, 0, 0]), Float64Array.from([100, 50, 0]), 0.99);
    expect(burn[0]).toBeCloseTo(1, 12);
    expect(burn[1]).toBe(0);
    expect(burn[2]).toBeNaN();
  });

  it("bad = total − good for a good/total ratio", () => {
    const ts = Float64Array.from([T0 + MIN, T0 + 2 * MIN]);
    const metrics = new Map([
      ["t", { t: ts, v: Float64Array.from([10, 20]) }],
      ["g", { t: ts, v: Float64Array.from([9, 20]) }],
    ]);
    expect(badAndTotal({ total: "t", good: "g" }, metrics, ts)).toEqual({ bad: Float64Array.from([1, 0]), total: Float64Array.from([10, 20]) });
  });

  it("reads the filters components/gcp builds the SLO from; the kinds it cannot recompute say why", () => {
    const runtime = { kind: "cloudRun", service: "api", region: "europe-west1" } as const;
    expect(requestFilters({ kind: "availability" }, runtime)).toEqual({ total: cloudRunRequestsFilter(runtime), bad: cloudRunServerErrorsFilter(runtime) });
    expect(requestFilters({ kind: "cloudMonitoring", total: "T", good: "G" })).toEqual({ total: "T", good: "G" });
    expect(requestFilters({ kind: "cloudMonitoring", total: "T", bad: "B" })).toEqual({ total: "T", bad: "B" });
    expect(slo.requestFilters).toEqual({ total: expect.stringContaining('service_name="checkout-api"'), bad: expect.stringContaining('response_code_class="5xx"') });
    const base = { budgeting: { method: "occurrences" } as const };
    expect(rawFiltersOf({ ...base, indicator: { kind: "latency", thresholdMs: 500 } })).toEqual({ unsupported: expect.stringMatching(/distribution cut/) });
    expect(rawFiltersOf({ ...base, indicator: { kind: "uptime", endpoint: "health" } })).toEqual({ unsupported: expect.stringMatching(/check_passed/) });
    expect(rawFiltersOf({ budgeting: { method: "timeslices", sliceMs: MIN, sliceTarget: 0.95 }, indicator: { kind: "cloudMonitoring", total: "T", bad: "B" } })).toEqual({ total: "T", bad: "B" });
    expect(rawFiltersOf({ budgeting: { method: "timeslices", sliceMs: 30_000, sliceTarget: 0.95 }, indicator: { kind: "cloudMonitoring", total: "T", bad: "B" } })).toEqual({ unsupported: expect.stringMatching(/^its slices of 30s are not whole minutes/) });
  });

  it("timeslices: each slice (from the epoch) judged at its last minute; a slice without events is good", () => {
    const ts = Float64Array.from([1, 2, 3, 4, 5, 6].map((k) => T0 + k * MIN));
    const total = Float64Array.from([10, 10, 0, 0, 10, 10]);
    const bad = Float64Array.from([0, 2, 0, 0, 0, 0]);
    // Slices of 2 minutes: (0, 2] has 2 bad of 20 (90 % good, below 95 %), (2, 4] no event, (4, 6] all good.
    expect(sliceEnds(bad, total, ts, MIN, 2 * MIN, 0.95)).toEqual({ bad: Float64Array.from([0, 1, 0, 0, 0, 0]), ends: Float64Array.from([0, 1, 0, 1, 0, 1]) });
  });
});

/** Two days of per-minute traffic: 100 a minute, 10 a minute from 00:00 to 06:00; a 20-minute total outage at 36:00; one bad request a minute through the second night. */
function traffic(): { total: [number, number][]; bad: [number, number][] } {
  const total: [number, number][] = [];
  const bad: [number, number][] = [];
  for (let k = 1; k <= 48 * 60; k++) {
    const t = T0 + k * MIN;
    const hour = new Date(t - MIN).getUTCHours();
    const n = hour < 6 ? 10 : 100;
    total.push([t, n]);
    if (t > T0 + 36 * HOUR && t <= T0 + 36 * HOUR + 20 * MIN) bad.push([t, n]);
    else if (t > T0 + 24 * HOUR && t <= T0 + 30 * HOUR && hour < 6) bad.push([t, 1]);
  }
  return { total, bad };
}

describe("a new SLO replayed on its raw metrics", () => {
  it("opens the page at the first minute both lookbacks exceed it and closes it when the 5-minute lookback no longer does", () => {
    const { total, bad } = traffic();
    const filters = slo.requestFilters!;
    const history = parseHistory([
      { file: "total.json", text: metricDoc(filters.total, total) },
      { file: "bad.json", text: metricDoc("bad" in filters ? filters.bad : "", bad) },
    ]);
    const result = backtest([slo], history, { days: 1 });
    expect(result.notEvaluated).toEqual([]);
    const one = result.slos[0]!;
    expect(one.source).toBe("Cloud Monitoring raw metrics");
    expect(one.approximate).toBe(RAW_APPROXIMATE);
    const outage = T0 + 36 * HOUR;
    // 100 % errors: the 5-minute and 1-hour lookbacks both exceed 14.4 × 0.1 % in the outage's first minute;
    // the 5-minute lookback holds its last bad minute for 5 minutes after it.
    // The night's 10 % errors page too, before it.
    expect(one.episodes.filter((e) => e.tier === "page-fast").at(-1)).toEqual({ severity: "page", tier: "page-fast", start: iso(outage + MIN).replace(".000Z", "Z"), end: iso(outage + 25 * MIN).replace(".000Z", "Z") });
    // Weighted by traffic: bad ÷ total events over the reported day, not the mean of per-minute ratios.
    const from = T0 + 24 * HOUR;
    const sum = (points: [number, number][]) => points.filter(([t]) => t > from).reduce((n, [, v]) => n + v, 0);
    expect(one.budgetSpent).toBeCloseTo(sum(bad) / sum(total) / slo.budget, 9);
    expect(one.achieved).toBeCloseTo(100 * (1 - sum(bad) / sum(total)), 9);
    expect(one.budgetSpan).toEqual({ from: "2026-11-02T00:00:00Z", to: "2026-11-03T00:00:00Z", wholeWindow: false });
    // Every incident opens and closes: two messages per page episode to the pager.
    const pages = one.episodes.filter((e) => e.severity === "page").length;
    expect(one.notifications.find((n) => n.receiver === "payments-pager")!.count).toBe(2 * pages);
  });

  it("a good/total ratio alike; burn-rate series, when given, win (the SLO exists)", () => {
    const { total, bad } = traffic();
    const badAt = new Map(bad);
    const good = total.map(([t, v]): [number, number] => [t, v - (badAt.get(t) ?? 0)]);
    const withGood = { ...lb, requestFilters: { total: "metric.type=\"a\"", good: "metric.type=\"a\" AND metric.label.ok=\"true\"" } };
    const history = parseHistory([
      { file: "total.json", text: metricDoc(withGood.requestFilters.total, total) },
      { file: "good.json", text: metricDoc(withGood.requestFilters.good, good) },
    ]);
    const one = backtest([withGood], history, { days: 1 }).slos[0]!;
    expect(one.source).toBe("Cloud Monitoring raw metrics");
    expect(one.episodes.some((e) => e.tier === "page-fast")).toBe(true);
    // The SLO exists: its own burn rates are read, exactly, and the raw metrics are not.
    const t = Float64Array.from(total.map(([at]) => at));
    for (const filter of cloudMonitoringFilters(withGood).burnRates) history.cloudMonitoring.set(filter, { filter, goal: 0.995, t, v: new Float64Array(t.length), files: ["burn.json"] });
    const exact = backtest([withGood], history, { days: 1 }).slos[0]!;
    expect(exact.source).toBe("Cloud Monitoring burn rates");
    expect(exact.episodes).toEqual([]);
  });

  it("timeslices: the lookbacks and the budget count bad slices among slices", () => {
    const { total, bad } = traffic();
    const sliced = { ...slo, budgeting: { method: "timeslices" as const, sliceMs: 5 * MIN, sliceTarget: 0.95 } };
    const filters = slo.requestFilters!;
    const history = parseHistory([
      { file: "total.json", text: metricDoc(filters.total, total) },
      { file: "bad.json", text: metricDoc("bad" in filters ? filters.bad : "", bad) },
    ]);
    const one = backtest([sliced], history, { days: 1 }).slos[0]!;
    expect(one.approximate).toBe(rawSlicesApproximate(5 * MIN));
    // Of the day's 288 slices, the night's 72 (10 % errors) and the outage's 4 are bad.
    expect(one.budgetSpent).toBeCloseTo(76 / 288 / slo.budget, 9);
    const outage = T0 + 36 * HOUR;
    // The first bad slice ends 5 minutes in; the 5-minute lookback holds the last bad slice until the next one ends.
    expect(one.episodes.filter((e) => e.tier === "page-fast").at(-1)).toEqual({ severity: "page", tier: "page-fast", start: iso(outage + 5 * MIN).replace(".000Z", "Z"), end: iso(outage + 25 * MIN).replace(".000Z", "Z") });
  });

  it("lists an SLO with no history, and one whose SLI it cannot recompute, with what it needs", () => {
    const latency = { ...slo, slo: "latency", indicator: { kind: "latency" as const, thresholdMs: 500 } };
    delete (latency as Partial<ReplaySlo>).requestFilters;
    const result = backtest([slo, latency], { raw: [], windows: new Map(), cloudMonitoring: new Map() });
    expect(result.notEvaluated.map((n) => n.reason)).toEqual([
      expect.stringMatching(/^no Cloud Monitoring history for it: expected timeSeries\.list responses of select_slo_burn_rate\(.*, or \(a new SLO\) of the raw metrics its SLI reads, aligned per minute: metric\.type="run\.googleapis\.com\/request_count" .* and .*"5xx" \(--print-queries prints the requests\)$/),
      expect.stringMatching(/\(a new SLO has none, and its latency SLI is a distribution cut of request latencies, which the backtest does not recompute from raw metrics: it needs the SLO's own select_slo_burn_rate series, once it exists\)$/),
    ]);
  });

  it("refuses the total without the bad filter, and history too short for the longest lookback, one line each", () => {
    const { total } = traffic();
    const only = parseHistory([{ file: "total.json", text: metricDoc(slo.requestFilters!.total, total) }]);
    expect(() => backtest([slo], only, { days: 1 })).toThrow(BacktestInputError);
    try {
      backtest([slo], only, { days: 1 });
    } catch (error) {
      expect((error as BacktestInputError).lines).toEqual([expect.stringMatching(/^total\.json: metric\.type=.*"5xx": missing \(expected the metric checkout-api\/availability's SLI reads beside metric\.type=.*, which is there; a filter that matched nothing needs its response with the request's interval\)$/)]);
    }
    // A bad filter that matched nothing: no series, the request's interval.
    const quiet = parseHistory([
      { file: "total.json", text: metricDoc(slo.requestFilters!.total, total) },
      { file: "bad.json", text: metricDoc("bad" in slo.requestFilters! ? slo.requestFilters.bad : "", [], { from: T0, to: T0 + 48 * HOUR }) },
    ]);
    const clean = backtest([slo], quiet, { days: 1 }).slos[0]!;
    expect(clean.episodes).toEqual([]);
    expect(clean.budgetSpent).toBe(0);
    expect(() => backtest([slo], quiet, { days: 1.6 })).toThrow(/^total\.json, bad\.json: checkout-api\/availability: too short \(got 2d from 2026-11-01T00:00:00Z to 2026-11-03T00:00:00Z, expected at least 2d2h24m: the 1d14h24m reported and 12h warm-up for the longest window its tiers read\)$/);
  });
});

describe("raw metric files", () => {
  it("sums every series of the filter by end time, int64 as strings or doubles", () => {
    const doc = JSON.stringify({
      filter: 'metric.type="x"   AND resource.type="y"',
      timeSeries: [
        { points: [{ interval: { endTime: iso(T0 + MIN) }, value: { int64Value: "3" } }] },
        { points: [{ interval: { endTime: iso(T0 + MIN) }, value: { doubleValue: 2 } }, { interval: { endTime: iso(T0 + 2 * MIN) }, value: { int64Value: "1" } }] },
      ],
    });
    const m = parseHistory([{ file: "h.json", text: doc }]).cloudMonitoringMetrics!.get(filterKey('metric.type="x" AND resource.type="y"'))!;
    expect([...m.t]).toEqual([T0 + MIN, T0 + 2 * MIN]);
    expect([...m.v]).toEqual([5, 1]);
  });

  it("a metric filter in any order is a raw metric; anything else, one line", () => {
    const doc = (filter: string) => JSON.stringify({ filter, interval: { startTime: iso(T0), endTime: iso(T0 + HOUR) } });
    expect([...parseHistory([{ file: "h.json", text: doc('resource.type="y" AND metric.type="x"') }]).cloudMonitoringMetrics!.keys()]).toEqual(['resource.type="y" AND metric.type="x"']);
    expect(problems(doc('resource.type="y"'))).toEqual([expect.stringMatching(/^h\.json: filter: invalid value \(got "resource\.type=\\"y\\"", expected the timeSeries\.list filter that read the series, .* or a metric filter metric\.type="\.\.\." AND \.\.\.\)$/)]);
  });

  it("pages of one request are summed; two requests over overlapping spans are refused, one line", () => {
    const page = (v: number, from: number, to: number) => ({ file: `${v}.json`, text: JSON.stringify({ filter: 'metric.type="x"', interval: { startTime: iso(from), endTime: iso(to) }, timeSeries: [{ points: [{ interval: { endTime: iso(T0 + MIN) }, value: { int64Value: String(v) } }] }] }) });
    expect([...parseHistory([page(1, T0, T0 + HOUR), page(2, T0, T0 + HOUR)]).cloudMonitoringMetrics!.get('metric.type="x"')!.v]).toEqual([3]);
    expect(() => parseHistory([page(1, T0, T0 + HOUR), page(2, T0 + 30 * MIN, T0 + 2 * HOUR)])).toThrow(
      "2.json: interval: invalid value (got 2026-11-01T00:30:00.000Z to 2026-11-01T02:00:00.000Z, overlapping 2026-11-01T00:00:00.000Z to 2026-11-01T01:00:00.000Z of 1.json for the same filter, expected the pages of one request or spans that do not overlap)",
    );
  });

  it("one line per problem: empty without its interval, a distribution, a bad point, a bad interval", () => {
    expect(problems('{"filter":"metric.type=\\"x\\"","timeSeries":[]}')).toEqual(['h.json: timeSeries: empty (got no series, expected the series of metric.type="x" over the range, or the request\'s interval to say it matched nothing there)']);
    expect(problems('{"filter":"metric.type=\\"x\\"","timeSeries":[{"valueType":"DISTRIBUTION","points":[]}]}')).toEqual(['h.json: timeSeries[0].valueType: invalid value (got "DISTRIBUTION", expected counts: INT64 or DOUBLE, aligned with ALIGN_DELTA)']);
    expect(problems('{"filter":"metric.type=\\"x\\"","timeSeries":[{"points":[{"value":{"int64Value":"1"}}]}]}')).toEqual([
      'h.json: timeSeries[0].points[0]: invalid value (got {"value":{"int64Value":"1"}}, expected {interval: {endTime}, value: {int64Value or doubleValue}}, a count of 0 or more)',
    ]);
    expect(problems('{"filter":"metric.type=\\"x\\"","interval":{"startTime":"2026-11-02T00:00:00Z","endTime":"2026-11-01T00:00:00Z"}}')).toEqual([
      expect.stringMatching(/^h\.json: interval: invalid value \(got \{"startTime":"2026-11-02T00:00:00Z",.*, expected the request's \{startTime, endTime\}, ISO 8601, start before end\)$/),
    ]);
  });
});

describe("the requests for a new SLO", () => {
  it("--print-queries' timeSeries.list requests: burn rates for an existing SLO, the raw metrics per minute from the warm-up for a new one", () => {
    const end = Date.parse("2026-12-01T00:00:00Z");
    const requests = listRequests(slo, end - 28 * 24 * HOUR, end);
    expect(requests.filter((r) => r.for === "existing SLO").map((r) => r.filter)).toContain(`select_slo_burn_rate("${slo.cloudMonitoringName}", "3600s")`);
    expect(requests.filter((r) => r.for === "new SLO")).toEqual([
      expect.objectContaining({ name: "projects/acme-monitoring-local", filter: slo.requestFilters!.total, "interval.startTime": "2026-11-02T12:00:00.000Z", "aggregation.alignmentPeriod": "60s", "aggregation.perSeriesAligner": "ALIGN_DELTA", "aggregation.crossSeriesReducer": "REDUCE_SUM" }),
      expect.objectContaining({ filter: "bad" in slo.requestFilters! ? slo.requestFilters.bad : "" }),
    ]);
  });

  it("--project: a new SLO (404) has its raw metrics read, every page, summed; a filter that matched nothing still covers its interval", async () => {
    const requests: URL[] = [];
    const server: Server = createServer((req, res) => {
      const url = new URL(req.url!, "http://x");
      requests.push(url);
      if (url.pathname.includes("/serviceLevelObjectives/")) return res.writeHead(404).end("{}");
      if (url.searchParams.get("filter")!.includes("5xx")) return res.end("{}");
      const point = (t: number, v: string) => ({ interval: { endTime: iso(t) }, value: { int64Value: v } });
      const page = url.searchParams.get("pageToken");
      res.end(JSON.stringify(page ? { timeSeries: [{ points: [point(T0 + 2 * MIN, "4"), point(T0 + MIN, "1")] }] } : { timeSeries: [{ points: [point(T0 + MIN, "2")] }], nextPageToken: "next" }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}/v3`;
      const fetched = await fetchCloudMonitoring([slo], { project: "acme", from: T0 + 12 * HOUR, to: T0 + 24 * HOUR, endpoint, token: "t0ken" });
      const lists = requests.filter((u) => u.pathname === "/v3/projects/acme/timeSeries");
      expect(lists.map((u) => u.searchParams.get("aggregation.perSeriesAligner"))).toEqual(["ALIGN_DELTA", "ALIGN_DELTA", "ALIGN_DELTA"]);
      expect(lists.every((u) => u.searchParams.get("aggregation.crossSeriesReducer") === "REDUCE_SUM" && u.searchParams.get("interval.startTime") === iso(T0))).toBe(true);
      expect(fetched.history.cloudMonitoring.size).toBe(0);
      const metrics = fetched.history.cloudMonitoringMetrics!;
      const total = metrics.get(filterKey(slo.requestFilters!.total))!;
      expect([...total.v]).toEqual([3, 4]);
      const bad = metrics.get(filterKey("bad" in slo.requestFilters! ? slo.requestFilters.bad : ""))!;
      expect({ n: bad.t.length, from: bad.from, to: bad.to }).toEqual({ n: 0, from: T0, to: T0 + 24 * HOUR });
      // What --save-history writes reads back to the same.
      const back = parseHistory(fetched.documents).cloudMonitoringMetrics!;
      expect([...back.get(filterKey(slo.requestFilters!.total))!.v]).toEqual([3, 4]);
      expect(back.get(filterKey("bad" in slo.requestFilters! ? slo.requestFilters.bad : ""))!.from).toBe(T0);
    } finally {
      server.close();
    }
  });
});
