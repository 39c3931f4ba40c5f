/**
 * Traces for the backtest's conformance test and benchmark: the same counter
 * samples written two ways, as promtool's input series and as the
 * `query_range` response a Prometheus holding those samples returns for the
 * raw series (each step's latest sample within the 5-minute lookback, so a
 * series that stops without a staleness marker still shows for 5 minutes).
 *
 * The generated trace: 28 days (and the warm-up before them) of a daily
 * traffic cycle with a total outage, hours of 10 % errors, a slow burn over
 * two days, a counter reset, vanished series, 2-minute blips and quiet
 * nights of one request a minute, one of them with a single failed request.
 */
import { MINUTE_MS } from "../../contract/duration";

/** Samples of one series: a value per sample time, undefined where the series has no sample. */
export interface SampleSeries {
  series: string;
  stepMs: number;
  values: (number | undefined)[];
}

/** Expands promtool's notation ("0 30+30x3 _x2 7") into one value per step, as promtool's parser does (repeated addition). */
export function expandPromtool(text: string): (number | undefined)[] {
  const out: (number | undefined)[] = [];
  for (const token of text.trim().split(/\s+/)) {
    let m: RegExpExecArray | null;
    if ((m = /^_x(\d+)$/.exec(token))) out.push(...new Array<undefined>(Number(m[1])).fill(undefined));
    else if (token === "_") out.push(undefined);
    else if ((m = /^([-+]?[0-9.e+-]+?)([+-][0-9.e]+)x(\d+)$/.exec(token))) {
      let value = Number(m[1]);
      const delta = Number(m[2]);
      out.push(value);
      for (let i = 1; i <= Number(m[3]); i++) {
        value += delta;
        out.push(value);
      }
    } else if ((m = /^([-+]?[0-9.e+-]+)x(\d+)$/.exec(token))) out.push(...new Array<number>(Number(m[2])).fill(Number(m[1])));
    else {
      const value = Number(token);
      if (!Number.isFinite(value)) throw new Error(`not promtool series notation: ${token}`);
      out.push(value);
    }
  }
  return out;
}

/** promtool's notation for explicit samples: numbers, `_` where there is none. */
export function promtoolValues(values: readonly (number | undefined)[]): string {
  return values.map((v) => (v === undefined ? "_" : String(v))).join(" ");
}

/** Labels of a series selector written `name{a="b"}`. */
export function seriesLabels(series: string): Record<string, string> {
  const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?$/.exec(series.trim());
  if (!m) throw new Error(`not a series: ${series}`);
  const labels: Record<string, string> = { __name__: m[1]! };
  for (const pair of (m[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]!] = JSON.parse(`"${pair[2]!}"`) as string;
  return labels;
}

/** Prometheus 2's lookback for instant selectors: a step shows the latest sample at most this old. */
export const LOOKBACK_MS = 5 * MINUTE_MS;

/**
 * The query_range response for the raw series at their own step, from `startMs`:
 * at each step the latest sample within the lookback (both ends included).
 */
export function queryRangeDocument(series: readonly SampleSeries[], startMs = 0): string {
  const result = series.map((s) => {
    const values: [number, string][] = [];
    let last: { t: number; v: number } | undefined;
    s.values.forEach((v, k) => {
      const t = startMs + k * s.stepMs;
      if (v !== undefined) last = { t, v };
      if (last && t - last.t <= LOOKBACK_MS) values.push([t / 1000, String(last.v)]);
    });
    return { metric: seriesLabels(s.series), values };
  });
  return JSON.stringify({ status: "success", data: { resultType: "matrix", result } });
}

// ---------------------------------------------------------------- the generated trace

export interface GeneratedTrace {
  /** Minutes of history, warm-up included. */
  minutes: number;
  /** Requests and bad requests per minute; vanished minutes have no samples. */
  requests: Float64Array;
  bad: Float64Array;
  vanished: Uint8Array;
  /** Minutes at which the process restarts and its counters start again from 0. */
  resets: number[];
  /** What happens when, for the test's messages: minute → what. */
  incidents: { minute: number; what: string }[];
}

/**
 * `days` reported after `warmUpDays` of warm-up, for an SLO with error budget
 * `budget`: a daily cycle of `peakRpm` at 18:00 UTC down to a fifth of it at
 * 06:00; incidents placed by day of the reported span.
 */
export function generatedTrace(options: { days?: number; warmUpDays?: number; budget: number; peakRpm?: number }): GeneratedTrace {
  const days = options.days ?? 28;
  const warm = options.warmUpDays ?? 3;
  const peak = options.peakRpm ?? 600;
  const minutes = (days + warm) * 1440;
  const requests = new Float64Array(minutes);
  const bad = new Float64Array(minutes);
  const vanished = new Uint8Array(minutes);
  for (let m = 0; m < minutes; m++) {
    const hourOfDay = (m % 1440) / 60;
    requests[m] = Math.round(peak * (0.6 + 0.4 * Math.cos(((hourOfDay - 18) / 24) * 2 * Math.PI)));
  }
  const at = (day: number, hour: number) => (warm + day) * 1440 + hour * 60;
  const incidents: { minute: number; what: string }[] = [];
  const span = (from: number, length: number, apply: (m: number) => void, what: string) => {
    incidents.push({ minute: from, what });
    for (let m = from; m < from + length && m < minutes; m++) apply(m);
  };
  span(at(2, 3), 40, (m) => (bad[m] = requests[m]!), "total outage for 40 min");
  span(at(6, 14), 180, (m) => (bad[m] = Math.round(requests[m]! * 0.1)), "10 % errors for 3 h");
  span(at(11, 0), 48 * 60, (m) => (bad[m] = requests[m]! * 4 * options.budget), "slow burn: burn 4 for two days");
  span(at(16, 10), 35, (m) => (vanished[m] = 1), "the SLI's series vanish for 35 min");
  for (let i = 0; i < 4; i++) span(at(19, 2 + i * 3), 2, (m) => (bad[m] = requests[m]!), "2-minute total outage");
  for (const day of [4, 13, 22]) span(at(day, 1), 240, (m) => (requests[m] = 1), "a quiet night: one request a minute");
  span(at(13, 3), 1, (m) => (bad[m] = 1), "a single failed request in the quiet night");
  span(at(25, 20), 60, (m) => (bad[m] = Math.round(requests[m]! * 0.5)), "half the requests fail for an hour");
  return { minutes, requests, bad, vanished, resets: [at(8, 12) + 7], incidents: incidents.sort((a, b) => a.minute - b.minute) };
}

/** Counter samples every `stepMinutes`: events since the last reset up to each sample time; none while vanished. */
export function counterSamples(trace: GeneratedTrace, perMinute: (m: number) => number, stepMinutes: number): (number | undefined)[] {
  const out: (number | undefined)[] = [];
  let value = 0;
  let m = 0;
  const resets = new Set(trace.resets);
  for (let k = 0; k * stepMinutes <= trace.minutes; k++) {
    const t = k * stepMinutes;
    for (; m < t; m++) {
      if (resets.has(m)) value = 0;
      value += perMinute(m);
    }
    out.push(t > 0 && trace.vanished[t - 1] ? undefined : value);
  }
  return out;
}

/** The trace as the two counters of a ratio SLI (good and bad requests, by status code) sampled every `stepMinutes`. */
export function ratioSeries(trace: GeneratedTrace, job: string, stepMinutes: number): SampleSeries[] {
  const stepMs = stepMinutes * MINUTE_MS;
  return [
    { series: `http_requests_total{job="${job}",code="200"}`, stepMs, values: counterSamples(trace, (m) => trace.requests[m]! - trace.bad[m]!, stepMinutes) },
    { series: `http_requests_total{job="${job}",code="500"}`, stepMs, values: counterSamples(trace, (m) => trace.bad[m]!, stepMinutes) },
  ];
}

