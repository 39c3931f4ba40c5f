/**
 * npx tsx bench/backtest/sample.ts DIR [--end TIME] [--days N]
 *
 * Writes sample history for the `local` stack's catalog-web into DIR, for the
 * docs and for trying the backtest without a Prometheus: the generated trace
 * (bench/backtest/trace.ts) as the query_range response of its raw series
 * (requests by status code, the latency histogram's 300 ms and +Inf buckets,
 * one point a minute), and for its Cloud Monitoring SLO lb-availability the
 * timeSeries.list responses of select_slo_burn_rate at each tier lookback and
 * of select_slo_budget_fraction, as a 99.5 % SLO would have read them (one
 * point every 5 minutes). The history ends at --end (default
 * 2026-12-01T00:00:00Z) and covers --days (default 28) after 3 days of warm-up.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { MINUTE_MS } from "../../contract/duration";
import { readStackSettings } from "../../catalog/stackSettings";
import { loadCatalog } from "../../catalog/loadCatalog";
import { REPOSITORY_ROOT } from "../../catalog/paths";
import { replaySlos } from "../../backtest/fromModel";
import { cloudMonitoringFilters } from "../../backtest/cloudMonitoring";
import { counterSamples, generatedTrace, queryRangeDocument, type GeneratedTrace, type SampleSeries } from "./trace";

const JOB = "catalog-web";
const GOAL = 0.995;

function prometheusSeries(trace: GeneratedTrace): SampleSeries[] {
  const stepMs = MINUTE_MS;
  const ok = (m: number) => trace.requests[m]! - trace.bad[m]!;
  return [
    { series: `http_requests_total{job="${JOB}",code="200"}`, stepMs, values: counterSamples(trace, ok, 1) },
    { series: `http_requests_total{job="${JOB}",code="500"}`, stepMs, values: counterSamples(trace, (m) => trace.bad[m]!, 1) },
    { series: `http_request_duration_seconds_bucket{job="${JOB}",le="0.3"}`, stepMs, values: counterSamples(trace, ok, 1) },
    { series: `http_request_duration_seconds_bucket{job="${JOB}",le="+Inf"}`, stepMs, values: counterSamples(trace, (m) => trace.requests[m]!, 1) },
  ];
}

/** A timeSeries.list response (newest point first) with the filter that read it and the SLO's goal. */
function timeSeriesDocument(filter: string, points: { t: number; v: number }[]): string {
  return JSON.stringify({
    filter,
    goal: GOAL,
    timeSeries: [{ metricKind: "GAUGE", valueType: "DOUBLE", points: [...points].reverse().map((p) => ({ interval: { startTime: new Date(p.t).toISOString(), endTime: new Date(p.t).toISOString() }, value: { doubleValue: p.v } })) }],
  });
}

export async function writeSample(dir: string, end: number, days: number): Promise<string[]> {
  const { settings } = readStackSettings("local");
  if (!settings) throw new Error("the local stack's config does not read");
  const catalog = await loadCatalog([path.join(REPOSITORY_ROOT, "services")], settings, { servicesDir: path.join(REPOSITORY_ROOT, "services") });
  const trace = generatedTrace({ days, warmUpDays: 3, budget: 1 - GOAL });
  const start = end - trace.minutes * MINUTE_MS;
  mkdirSync(dir, { recursive: true });
  const written = [path.join(dir, "prometheus.json")];
  writeFileSync(written[0]!, queryRangeDocument(prometheusSeries(trace), start));
  // Cloud Monitoring's series over the reported span: burn rate = errors ÷ requests over the lookback ÷ (1 − goal).
  const requests = new Float64Array(trace.minutes + 1);
  const bad = new Float64Array(trace.minutes + 1);
  for (let m = 0; m < trace.minutes; m++) {
    requests[m + 1] = requests[m]! + trace.requests[m]!;
    bad[m + 1] = bad[m]! + trace.bad[m]!;
  }
  const slo = replaySlos(catalog.services, settings).find((s) => s.service === JOB && s.slo === "lb-availability")!;
  const { burnRates, budget } = cloudMonitoringFilters(slo);
  const from = trace.minutes - days * 1440;
  burnRates.forEach((filter, i) => {
    const lookback = Number(/"(\d+)s"\)$/.exec(filter)![1]) / 60;
    const points: { t: number; v: number }[] = [];
    for (let m = from; m <= trace.minutes; m += 5) {
      const a = Math.max(0, m - lookback);
      const total = requests[m]! - requests[a]!;
      points.push({ t: start + m * MINUTE_MS, v: total > 0 ? (bad[m]! - bad[a]!) / total / (1 - GOAL) : 0 });
    }
    written.push(path.join(dir, `cloud-monitoring-${i + 1}.json`));
    writeFileSync(written[written.length - 1]!, timeSeriesDocument(filter, points));
  });
  const window = slo.windowMs / MINUTE_MS;
  const fractions: { t: number; v: number }[] = [];
  for (let m = from; m <= trace.minutes; m += 60) {
    const a = Math.max(0, m - window);
    fractions.push({ t: start + m * MINUTE_MS, v: 1 - (bad[m]! - bad[a]!) / (requests[m]! - requests[a]!) / (1 - GOAL) });
  }
  written.push(path.join(dir, "cloud-monitoring-budget.json"));
  writeFileSync(written[written.length - 1]!, timeSeriesDocument(budget, fractions));
  return written;
}

if (require.main === module) {
  const { values, positionals } = parseArgs({ options: { end: { type: "string" }, days: { type: "string" } }, allowPositionals: true, strict: true });
  const dir = positionals[0];
  if (!dir) {
    process.stderr.write("usage: npx tsx bench/backtest/sample.ts DIR [--end TIME] [--days N]\n");
    process.exitCode = 2;
  } else {
    const end = Date.parse(values.end ?? "2026-12-01T00:00:00Z");
    void writeSample(dir, end, Number(values.days ?? 28)).then((files) => process.stdout.write(`wrote ${files.length} history files in ${dir}\n`));
  }
}

