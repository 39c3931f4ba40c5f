/**
 * The alert-quality harness: incident traces run through `promtool test rules`
 * against a rule set, and the alerts Prometheus fires read back from promtool's
 * own report. Each trace asks promtool, at every evaluation of the watched
 * span, for "no alerts"; promtool then lists every alert that did fire, which
 * gives the full firing timeline of one run. Nothing is predicted: detection,
 * false alerts and reset times are read from what promtool evaluated.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { errorBudget } from "../../model/sloMath";
import { promNumber } from "../../components/prometheus/promql";
import { METRIC, longestWindowMinutes, type RuleSet, type Severity, type SloUnderTest } from "./rulesets";

export interface Phase {
  /** Length in minutes. */
  minutes: number;
  /** Requests per minute. */
  rpm: number;
  /** Share of requests that fail (ratio SLO) or are slower than 300 ms (latency SLO). */
  errorRatio: number;
  /** The SLI's series are gone (not scraped) during this phase. */
  vanished?: boolean;
}

export type Measure = "page" | "ticket" | "absent";

export interface Scenario {
  id: string;
  title: string;
  /** Sample and evaluation interval of the trace, seconds. */
  stepSeconds: number;
  phases: Phase[];
  /** Minute the incident starts: detection counts from here, and the watch begins. */
  start: number;
  /** Minute the errors stop, if they do: reset counts from here. */
  end?: number;
  /** What the scenario should raise; any other alert is false. */
  warranted: Set<Severity>;
  /** The alert whose detection time the scenario measures, if any. */
  detect?: Measure;
  /** Whether the page's reset time is measured. */
  reset?: boolean;
  /** The latency SLO's traces (histogram buckets) instead of the ratio SLO's. */
  latency?: boolean;
  /**
   * Severities not judged: the 30-second traces hold 7 h of history, less than
   * the ticket tiers' windows, so tickets are judged on the multi-day traces only.
   */
  ignore?: Set<Severity>;
  /**
   * Separate bursts of errors (their start minutes) that each warrant a page on
   * their own: a page per burst is no repeat, only a second page for one burst is.
   */
  pagedBursts?: number[];
}

/** Minutes in a trace. */
export function traceMinutes(phases: readonly Phase[]): number {
  return phases.reduce((sum, phase) => sum + phase.minutes, 0);
}

/** promtool's expanding notation for a counter sampled every `step` minutes; `_` where the series is gone. */
export function counterSeries(phases: readonly Phase[], perMinute: (phase: Phase) => number, step: number): string {
  const parts = ["0"];
  let value = 0;
  for (const phase of phases) {
    const samples = Math.round(phase.minutes / step);
    if (Math.abs(samples * step - phase.minutes) > 1e-9) throw new Error(`phase of ${phase.minutes} min is not a multiple of the ${step} min step`);
    if (samples === 0) continue;
    if (phase.vanished) {
      parts.push(`_x${samples}`);
      continue;
    }
    const increment = perMinute(phase) * step;
    parts.push(`${promNumber(value + increment)}+${promNumber(increment)}x${samples - 1}`);
    value += increment * samples;
  }
  return parts.join(" ");
}

function inputSeries(scenario: Scenario, step: number): { series: string; values: string }[] {
  const bad = (p: Phase) => p.rpm * p.errorRatio;
  const ok = (p: Phase) => p.rpm * (1 - p.errorRatio);
  const all = (p: Phase) => p.rpm;
  if (!scenario.latency) {
    return [
      { series: METRIC.good, values: counterSeries(scenario.phases, ok, step) },
      { series: METRIC.error, values: counterSeries(scenario.phases, bad, step) },
    ];
  }
  // Cumulative buckets: le="0.1" holds half the fast requests, le="0.3" all of them, le="+Inf" and _count every request.
  return [
    { series: 'http_request_duration_seconds_bucket{job="api",le="0.1"}', values: counterSeries(scenario.phases, (p) => ok(p) / 2, step) },
    { series: METRIC.fast, values: counterSeries(scenario.phases, ok, step) },
    { series: METRIC.all, values: counterSeries(scenario.phases, all, step) },
    { series: METRIC.count, values: counterSeries(scenario.phases, all, step) },
  ];
}

/** Evaluation minutes watched: every evaluation from the incident's start to the end of the trace. */
export function watchedMinutes(scenario: Scenario): number[] {
  const step = scenario.stepSeconds / 60;
  const out: number[] = [];
  const total = traceMinutes(scenario.phases);
  for (let i = Math.ceil(scenario.start / step - 1e-9); i * step <= total + 1e-9; i++) out.push(round3(i * step));
  return out;
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

function promtoolDuration(minutes: number): string {
  const seconds = Math.round(minutes * 60);
  return `${seconds}s`;
}

/** The promtool test document: every scenario (all of one step) against the rule set in one group order. */
export function testDocument(ruleSet: RuleSet, order: string[], scenarios: readonly Scenario[]): Record<string, unknown> {
  const steps = new Set(scenarios.map((s) => s.stepSeconds));
  if (steps.size !== 1) throw new Error("one promtool run evaluates at one interval: batch scenarios by step");
  const stepSeconds = [...steps][0]!;
  return {
    rule_files: ["rules.yaml"],
    evaluation_interval: `${stepSeconds}s`,
    group_eval_order: order,
    tests: scenarios.map((scenario) => ({
      name: scenario.id,
      interval: `${stepSeconds}s`,
      input_series: inputSeries(scenario, stepSeconds / 60),
      alert_rule_test: watchedMinutes(scenario).flatMap((minute) =>
        ruleSet.alertNames.map((alertname) => ({ eval_time: promtoolDuration(minute), alertname, exp_alerts: [] })),
      ),
    })),
  };
}

export interface FiredAlert {
  minute: number;
  labels: Record<string, string>;
}

/** Go duration text as promtool prints it (1d2h3m30s) in minutes. */
export function parseGoDuration(text: string): number {
  let minutes = 0;
  for (const match of text.matchAll(/([0-9.]+)(ms|y|w|d|h|m|s)/g)) {
    const value = Number(match[1]);
    const unit = { ms: 1 / 60_000, s: 1 / 60, m: 1, h: 60, d: 1440, w: 10080, y: 525600 }[match[2] as "ms"];
    minutes += value * unit;
  }
  return round3(minutes);
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const match of text.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[match[1]!] = match[2]!;
  return labels;
}

/** Firing alerts per test name, from promtool's failure report (it lists what it got where we asked for nothing). */
export function parseReport(output: string): Map<string, FiredAlert[]> {
  const fired = new Map<string, FiredAlert[]>();
  let test = "";
  let minute = 0;
  for (const line of output.split("\n")) {
    const name = /^\s*name: (.*),\s*$/.exec(line);
    if (name) {
      test = name[1]!;
      continue;
    }
    const at = /^\s*alertname: [^,]*, time: ([^,]+),/.exec(line);
    if (at) {
      minute = parseGoDuration(at[1]!);
      continue;
    }
    const labels = /^\s*Labels:(\{.*\}),?\s*$/.exec(line);
    if (labels) {
      if (!fired.has(test)) fired.set(test, []);
      fired.get(test)!.push({ minute, labels: parseLabels(labels[1]!) });
    }
  }
  return fired;
}

export interface RunResult {
  fired: Map<string, FiredAlert[]>;
  seconds: number;
}

/** The test file promtool reads for the rule set (in one group order) and the scenarios. */
export function testsText(ruleSet: RuleSet, order: string[], scenarios: readonly Scenario[]): string {
  return stringify(testDocument(ruleSet, order, scenarios), { lineWidth: 0, aliasDuplicateObjects: false });
}

/** Runs promtool on the rule set (in one group order) and the scenarios; rejects on anything but a clean report. */
export async function runPromtool(ruleSet: RuleSet, order: string[], scenarios: readonly Scenario[], renderRules: () => string): Promise<RunResult> {
  return runPromtoolFiles(renderRules(), testsText(ruleSet, order, scenarios));
}

/** Runs `promtool test rules` on a rule file and a test file (texts); rejects on anything but a clean report. */
export async function runPromtoolFiles(rules: string, tests: string): Promise<RunResult> {
  const dir = mkdtempSync(path.join(tmpdir(), "alert-quality-"));
  const started = Date.now();
  try {
    writeFileSync(path.join(dir, "rules.yaml"), rules);
    writeFileSync(path.join(dir, "tests.yaml"), tests);
    const { status, output } = await new Promise<{ status: number | null; output: string }>((resolve, reject) => {
      const child = spawn("promtool", ["test", "rules", "tests.yaml"], { cwd: dir, timeout: 900_000 });
      const chunks: Buffer[] = [];
      child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
      child.stderr.on("data", (chunk: Buffer) => chunks.push(chunk));
      child.on("error", reject);
      child.on("close", (code) => resolve({ status: code, output: Buffer.concat(chunks).toString("utf8") }));
    });
    const fired = parseReport(output);
    // Exit 1 with only "got alerts where none were asked" failures is the expected outcome; anything else is an error.
    const known = /^\s*(|Unit Testing:.*|FAILED:|SUCCESS|name: .*,|alertname: .*, time: .*,|exp:\[.*|got:\[|[0-9]+:|Labels:\{.*\},?|Annotations:\{.*\},?|\],?)\s*$/;
    const unexpected = output.split("\n").filter((line) => !known.test(line));
    if ((status !== 0 && status !== 1) || unexpected.length > 0 || (status === 1 && fired.size === 0)) {
      throw new Error(`promtool failed (exit ${status}):\n${unexpected.slice(0, 5).join("\n") || output.slice(0, 4000)}`);
    }
    return { fired, seconds: (Date.now() - started) / 1000 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface Outcome {
  /** Minutes from the start to the first firing of the measured alert; undefined: never. */
  detection?: number;
  /** Alerts that should not have been raised: unwarranted episodes, and repeats of warranted ones. */
  falseAlerts: number;
  /** What the false alerts were, in words. */
  falseDetail: string[];
  /** Minutes from the end of the errors until the last page resolved; undefined: no page, or still firing. */
  reset?: number;
  /** Still firing at the end of the trace. */
  stillFiring?: boolean;
}

/** Firing episodes per severity: maximal runs of evaluations at which at least one alert of that severity fires. */
export function episodes(scenario: Scenario, fired: readonly FiredAlert[], classify: RuleSet["classify"]): Map<Severity, { from: number; to: number }[]> {
  const minutes = watchedMinutes(scenario);
  const bySeverity = new Map<Severity, Set<number>>();
  for (const alert of fired) {
    const severity = classify(alert.labels);
    if (!severity || scenario.ignore?.has(severity)) continue;
    if (!bySeverity.has(severity)) bySeverity.set(severity, new Set());
    bySeverity.get(severity)!.add(alert.minute);
  }
  const out = new Map<Severity, { from: number; to: number }[]>();
  for (const [severity, at] of bySeverity) {
    const runs: { from: number; to: number }[] = [];
    let open: { from: number; to: number } | undefined;
    for (const minute of minutes) {
      if (at.has(minute)) {
        if (!open) runs.push((open = { from: minute, to: minute }));
        else open.to = minute;
      } else open = undefined;
    }
    out.set(severity, runs);
  }
  return out;
}

export function outcome(scenario: Scenario, fired: readonly FiredAlert[], classify: RuleSet["classify"]): Outcome {
  const runs = episodes(scenario, fired, classify);
  const falseDetail: string[] = [];
  let falseAlerts = 0;
  for (const [severity, list] of runs) {
    if (!scenario.warranted.has(severity)) {
      falseAlerts += list.length;
      falseDetail.push(`${list.length} ${severity}`);
    } else {
      const repeats = list.length - separateTroubles(severity === "page" ? scenario.pagedBursts : undefined, list);
      if (repeats > 0) {
        falseAlerts += repeats;
        falseDetail.push(`${repeats} repeated ${severity}`);
      }
    }
  }
  const result: Outcome = { falseAlerts, falseDetail };
  if (scenario.detect) {
    const first = runs.get(scenario.detect)?.[0];
    if (first) result.detection = round3(first.from - scenario.start);
  }
  if (scenario.reset && scenario.end !== undefined) {
    const pages = runs.get("page") ?? [];
    const last = pages[pages.length - 1];
    const step = scenario.stepSeconds / 60;
    const total = traceMinutes(scenario.phases);
    if (last && last.to + step > total + 1e-9) result.stillFiring = true;
    else if (last) result.reset = round3(last.to + step - scenario.end);
  }
  return result;
}

/**
 * How many of the episodes answer a trouble of their own: one for the whole
 * scenario, or, with bursts that each warrant the alert, one per burst that
 * has an episode starting at or after it (and before the next burst).
 */
export function separateTroubles(bursts: readonly number[] | undefined, list: readonly { from: number }[]): number {
  if (list.length === 0) return 0;
  if (!bursts || bursts.length === 0) return 1;
  const answered = new Set<number>();
  for (const episode of list) {
    const burst = [...bursts].reverse().find((start) => start <= episode.from + 1e-9);
    answered.add(burst ?? -1);
  }
  return answered.size;
}

/**
 * Whether a burst warrants a page on its own: it spends at least 2 % of the
 * budget, the share the fastest page (2 % in 1 h) stands for.
 */
export function burstWarrantsPage(burstMinutes: number, errorRatio: number, budgetMinutesOfWindow: number): boolean {
  return (burstMinutes * errorRatio) / budgetMinutesOfWindow >= 0.02;
}

/** What a scenario warrants, from the burn it holds on average: a page at 6 or more, a ticket above 1. */
export function warrantedBy(averageBurn: number): Set<Severity> {
  const out = new Set<Severity>();
  if (averageBurn >= 6) out.add("page");
  if (averageBurn > 1) out.add("ticket");
  return out;
}

/** Longest page window (Pyrra's 6 h tier at 30 d is 6h26m) and some margin. */
export const PAGE_HISTORY_MINUTES = 7 * 60;

const PAGES_ONLY = new Set<Severity>(["ticket"]);

/** The incident suite for one SLO. */
export function scenarios(slo: SloUnderTest): Scenario[] {
  const B = errorBudget(slo.objective);
  const H = PAGE_HISTORY_MINUTES;
  // Clean history as long as the longest window any rule set reads (Pyrra's 4-day tier at 30 d: 4d6h51m), and an hour.
  const LH = Math.ceil(longestWindowMinutes(slo) / 60) * 60 + 60;
  const RPM = 600;
  const clean = (minutes: number, rpm = RPM): Phase => ({ minutes, rpm, errorRatio: 0 });
  const burn = (b: number) => b * B;
  const list: Scenario[] = [
    {
      id: "outage",
      title: "total outage for 1 h, then recovery",
      stepSeconds: 30,
      ignore: PAGES_ONLY,
      phases: [clean(H), { minutes: 60, rpm: RPM, errorRatio: 1 }, clean(60)],
      start: H,
      end: H + 60,
      warranted: warrantedBy(1 / B),
      detect: "page",
      reset: true,
    },
    {
      id: "errors10",
      title: "10 % errors for 4 h, then recovery",
      stepSeconds: 30,
      ignore: PAGES_ONLY,
      phases: [clean(H), { minutes: 240, rpm: RPM, errorRatio: 0.1 }, clean(60)],
      start: H,
      end: H + 240,
      warranted: warrantedBy(0.1 / B),
      detect: "page",
      reset: true,
    },
    {
      id: "lowOutage",
      title: "low traffic (1 request a minute): total outage for 1 h",
      stepSeconds: 30,
      ignore: PAGES_ONLY,
      phases: [clean(H, 1), { minutes: 60, rpm: 1, errorRatio: 1 }, clean(60, 1)],
      start: H,
      end: H + 60,
      warranted: warrantedBy(1 / B),
      detect: "page",
    },
    {
      id: "lowSingle",
      title: "low traffic (1 request in 5 minutes): one request fails",
      stepSeconds: 30,
      ignore: PAGES_ONLY,
      phases: [clean(H, 0.2), { minutes: 5, rpm: 0.2, errorRatio: 1 }, clean(120, 0.2)],
      start: H,
      warranted: new Set(),
    },
    {
      id: "latency",
      title: "latency SLO (300 ms): every request slow for 1 h, then recovery",
      stepSeconds: 30,
      ignore: PAGES_ONLY,
      phases: [clean(H), { minutes: 60, rpm: RPM, errorRatio: 1 }, clean(60)],
      start: H,
      end: H + 60,
      warranted: warrantedBy(1 / B),
      detect: "page",
      reset: true,
      latency: true,
    },
    {
      id: "vanished",
      title: "vanished series: the SLI's metrics stop for 1 h",
      stepSeconds: 30,
      ignore: PAGES_ONLY,
      phases: [clean(H), { minutes: 60, rpm: RPM, errorRatio: 0, vanished: true }],
      start: H,
      warranted: new Set<Severity>(["absent"]),
      detect: "absent",
    },
    {
      id: "burn4",
      title: "burn 4 for two days",
      stepSeconds: 300,
      phases: [clean(LH), { minutes: 2 * 1440, rpm: RPM, errorRatio: burn(4) }, clean(6 * 60)],
      start: LH,
      warranted: warrantedBy(4),
      detect: "ticket",
    },
    {
      id: "burn09",
      title: "burn 0.9 for four days",
      stepSeconds: 300,
      phases: [clean(LH), { minutes: 4 * 1440, rpm: RPM, errorRatio: burn(0.9) }],
      start: LH,
      warranted: warrantedBy(0.9),
    },
    {
      id: "burn05",
      title: "burn 0.5 for four days",
      stepSeconds: 300,
      phases: [clean(LH), { minutes: 4 * 1440, rpm: RPM, errorRatio: burn(0.5) }],
      start: LH,
      warranted: warrantedBy(0.5),
    },
  ];
  const blips: Phase[] = [clean(LH)];
  for (let i = 0; i < 16; i++) blips.push({ minutes: 2, rpm: RPM, errorRatio: 1 }, clean(178));
  // Each blip spends 2 min of the budget minutes: on 99.9 % over 30 d (43.2 min) 4.6 %, a page on its own.
  const blipPages = burstWarrantsPage(2, 1, B * slo.windowDays * 1440);
  list.push({
    id: "blips",
    title: "2-minute total outages every 3 hours, for two days",
    stepSeconds: 120,
    phases: blips,
    start: LH,
    // Two minutes in 180: the burn the blips hold on average; and a page when each blip warrants one.
    warranted: new Set([...warrantedBy(2 / 180 / B), ...(blipPages ? (["page"] as const) : [])]),
    ...(blipPages ? { pagedBursts: Array.from({ length: 16 }, (_, i) => LH + i * 180) } : {}),
  });
  return list;
}
