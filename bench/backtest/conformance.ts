/**
 * The backtest against promtool: the same traces through the backtest (from
 * the query_range responses a Prometheus holding them returns) and through
 * `promtool test rules` on the rule files the plan writes; the alerts each
 * fired, per tier, as spans of consecutive evaluations, compared. For the
 * alert-quality suite's incident traces, what promtool reported is the record
 * in bench/alertQuality/results.json, valid while the digest of the rule and
 * test files promtool read is that of today's (isCurrent); the generated
 * 28-day trace runs promtool here.
 */
import { stringify } from "yaml";
import { prometheusSettings } from "../../contract/prometheusConfig";
import { serviceRuleGroups } from "../../components/prometheus/rules";
import { replaySlo } from "../../backtest/fromModel";
import { parseHistory } from "../../backtest/history";
import { backtest } from "../../backtest/run";
import { ABSENT_TIER, type ReplaySlo, type SloResult } from "../../backtest/types";
import { runPromtoolFiles, testDocument, watchedMinutes, type FiredAlert, type Scenario } from "../alertQuality/harness";
import { ours, ourService, type SloUnderTest } from "../alertQuality/rulesets";
import { compact, expand, type StoredAlert } from "../alertQuality/store";
import { expandPromtool, promtoolValues, queryRangeDocument, type SampleSeries } from "./trace";

/** Firing spans per alert, keyed by tier (`metrics-absent` for the absent alert), in minutes: [first, last] evaluation. */
export type Spans = Map<string, [number, number][]>;

const tierOf = (labels: Readonly<Record<string, string>>) => (labels["alertname"] === "SLOMetricsAbsent" ? ABSENT_TIER : labels["burn_tier"] ?? labels["alertname"] ?? "?");

/** What promtool reported, as spans per tier. */
export function promtoolSpans(alerts: readonly StoredAlert[]): Spans {
  const out: Spans = new Map();
  for (const alert of alerts) out.set(tierOf(alert.labels), [...(out.get(tierOf(alert.labels)) ?? []), ...alert.spans].sort((a, b) => a[0] - b[0]));
  return out;
}

/** The backtest's episodes as the evaluations they fired at, within `minutes` (the evaluations watched), compacted like promtool's. */
export function backtestSpans(result: SloResult, minutes: readonly number[], step: number): Spans {
  const fired: FiredAlert[] = [];
  for (const e of result.episodes) {
    const from = Date.parse(e.start) / 60_000;
    const to = e.end === null ? Infinity : Date.parse(e.end) / 60_000;
    for (const minute of minutes) if (minute >= from - 1e-9 && minute < to - 1e-9) fired.push({ minute, labels: { alertname: e.tier === ABSENT_TIER ? "SLOMetricsAbsent" : "SLOErrorBudgetBurn", burn_tier: e.tier } });
  }
  return promtoolSpans(compact(fired, step));
}

export interface Difference {
  tier: string;
  promtool: [number, number][];
  backtest: [number, number][];
}

/**
 * Where the two disagree: per tier, a different number of episodes, or an
 * episode that starts or ends more than `toleranceMinutes` (one evaluation
 * interval) apart.
 */
export function differences(promtool: Spans, ours: Spans, toleranceMinutes: number): Difference[] {
  const tiers = [...new Set([...promtool.keys(), ...ours.keys()])].sort();
  return tiers.flatMap((tier) => {
    const a = promtool.get(tier) ?? [];
    const b = ours.get(tier) ?? [];
    const same = a.length === b.length && a.every(([s, e], i) => Math.abs(s - b[i]![0]) <= toleranceMinutes + 1e-9 && Math.abs(e - b[i]![1]) <= toleranceMinutes + 1e-9);
    return same ? [] : [{ tier, promtool: a, backtest: b }];
  });
}

export function describeDifferences(label: string, list: readonly Difference[]): string[] {
  const spans = (s: [number, number][]) => (s.length ? s.map(([a, b]) => `${a}–${b} min`).join(", ") : "never");
  return list.map((d) => `${label}: ${d.tier}: promtool fired ${spans(d.promtool)}; the backtest ${spans(d.backtest)}`);
}

const settings = prometheusSettings(undefined);

/** The alert-quality suite's SLO ("api"/"sli") as a model service, with the stack's Prometheus settings. */
export function benchService(slo: SloUnderTest, evaluationInterval = settings.evaluationInterval) {
  const prometheus = { ...settings, evaluationInterval };
  const service = ourService(slo, prometheus);
  return { service, prometheus };
}

/** The SLO to replay, evaluated every `stepSeconds` as promtool evaluates the trace. */
export function benchReplaySlo(slo: SloUnderTest, stepSeconds: number, plant?: (slo: ReplaySlo) => ReplaySlo): ReplaySlo {
  const { service, prometheus } = benchService(slo);
  const replay = { ...replaySlo(service, service.slos[0]!, { prometheus, channels: {}, project: "bench" }), evaluationIntervalMs: stepSeconds * 1000 };
  return plant ? plant(replay) : replay;
}

/** One incident trace through the backtest: its input series as a query_range response, replayed from the start as promtool evaluates it. */
export function replayScenario(slo: SloUnderTest, scenario: Scenario, plant?: (slo: ReplaySlo) => ReplaySlo): Spans {
  const doc = testDocument(ours(slo), ours(slo).orders[0]!, [scenario]) as { tests: { input_series: { series: string; values: string }[] }[] };
  const stepMs = scenario.stepSeconds * 1000;
  const series: SampleSeries[] = doc.tests[0]!.input_series.map((s) => ({ series: s.series, stepMs, values: expandPromtool(s.values) }));
  const minutes = watchedMinutes(scenario);
  const history = parseHistory([{ file: `${scenario.id}.json`, text: queryRangeDocument(series) }]);
  const result = backtest([benchReplaySlo(slo, scenario.stepSeconds, plant)], history, { fromHistoryStart: true, end: minutes[minutes.length - 1]! * 60_000 });
  return backtestSpans(result.slos[0]!, minutes, scenario.stepSeconds / 60);
}

/** The stored promtool spans of a scenario, as harness steps expand them. */
export function storedSpans(alerts: readonly StoredAlert[], step: number): Spans {
  return promtoolSpans(compact(expand(alerts, step), step));
}

/** The rule file the plan writes for the service, without the budget groups (no alert reads them; over 30 days they are costly for promtool) and annotations. */
export function planRuleFile(service: ReturnType<typeof benchService>["service"], prometheus: ReturnType<typeof benchService>["prometheus"]): string {
  const groups = serviceRuleGroups(service, { settings: prometheus })
    .filter((g) => !g.name.endsWith("-budget"))
    .map((g) => ({ ...g, rules: g.rules.map(({ annotations: _, ...rule }) => rule) }));
  return stringify({ groups }, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** A trace through promtool: the rule file and the samples, every evaluation watched; what fired, as spans per tier. */
export async function promtoolTrace(rules: string, series: readonly SampleSeries[], stepMs: number, minutes: readonly number[]): Promise<Spans> {
  const step = `${stepMs / 1000}s`;
  const tests = {
    rule_files: ["rules.yaml"],
    evaluation_interval: step,
    tests: [
      {
        name: "trace",
        interval: step,
        input_series: series.map((s) => ({ series: s.series, values: promtoolValues(s.values) })),
        alert_rule_test: minutes.flatMap((minute) => ["SLOErrorBudgetBurn", "SLOMetricsAbsent"].map((alertname) => ({ eval_time: `${Math.round(minute * 60)}s`, alertname, exp_alerts: [] }))),
      },
    ],
  };
  const { fired } = await runPromtoolFiles(rules, stringify(tests, { lineWidth: 0, aliasDuplicateObjects: false }));
  return promtoolSpans(compact(fired.get("trace") ?? [], stepMs / 60_000));
}
