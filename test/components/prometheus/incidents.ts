/**
 * Incident traces for `promtool test rules`: request counters minute by
 * minute through phases of traffic and errors, and the alerts expected at
 * given minutes. Expected firing times come from the model's detection-time
 * formula, never from observing the rules.
 */
import { promNumber } from "../../../components/prometheus/promql";
import type { RuleGroup } from "../../../components/prometheus/ruleNames";

export interface Phase {
  /** How long the phase lasts, in minutes. */
  minutes: number;
  /** Requests per minute. */
  requestsPerMinute: number;
  /** Share of them that fail (0..1). */
  errorRatio: number;
}

export interface Check {
  /** Minute of the trace at which the alerts are evaluated. */
  minute: number;
  /** Burn-rate tiers expected to be firing then (any order); others must not be. */
  firing: string[];
  /** Why, in words (shown when the check fails). */
  because: string;
}

export interface Scenario {
  name: string;
  phases: Phase[];
  checks: Check[];
}

/** Start minute of phase `index`. */
export function phaseStart(phases: readonly Phase[], index: number): number {
  return phases.slice(0, index).reduce((sum, phase) => sum + phase.minutes, 0);
}

/**
 * promtool's expanding notation for a counter sampled every `stepMinutes`
 * from 0: the value at a sample is everything counted before it.
 */
export function counterValues(phases: readonly Phase[], perMinute: (phase: Phase) => number, stepMinutes = 1): string {
  const parts = ["0"];
  let value = 0;
  for (const phase of phases) {
    if (phase.minutes % stepMinutes !== 0) throw new Error(`phase of ${phase.minutes} min is not a multiple of the ${stepMinutes} min step`);
    const samples = phase.minutes / stepMinutes;
    const step = perMinute(phase) * stepMinutes;
    if (samples === 0) continue;
    parts.push(`${promNumber(value + step)}+${promNumber(step)}x${samples - 1}`);
    value += step * samples;
  }
  return parts.join(" ");
}

export interface AlertExpectation {
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** The promtool test document for one scenario against the generated rule file. */
export function promtoolTest(
  scenario: Scenario,
  metric: { ok: string; bad: string },
  expectedAlert: (tier: string) => AlertExpectation,
  stepMinutes = 1,
): Record<string, unknown> {
  return {
    name: scenario.name,
    interval: `${stepMinutes}m`,
    input_series: [
      { series: metric.ok, values: counterValues(scenario.phases, (p) => p.requestsPerMinute * (1 - p.errorRatio), stepMinutes) },
      { series: metric.bad, values: counterValues(scenario.phases, (p) => p.requestsPerMinute * p.errorRatio, stepMinutes) },
    ],
    alert_rule_test: scenario.checks.flatMap((check) => [
      {
        eval_time: `${check.minute}m`,
        alertname: "SLOErrorBudgetBurn",
        exp_alerts: [...check.firing].sort().map((tier) => {
          const expected = expectedAlert(tier);
          return { exp_labels: expected.labels, exp_annotations: expected.annotations };
        }),
      },
      { eval_time: `${check.minute}m`, alertname: "SLOMetricsAbsent", exp_alerts: [] },
    ]),
  };
}

/** The alert rule of one tier in a generated group list. */
export function tierAlert(groups: readonly RuleGroup[], tier: string): AlertExpectation {
  for (const group of groups) {
    for (const rule of group.rules) {
      if (rule.alert && rule.labels?.["burn_tier"] === tier) return { labels: rule.labels, annotations: rule.annotations ?? {} };
    }
  }
  throw new Error(`no alert for tier ${tier}`);
}

/** Increment of a counter at each minute m (m ≥ 1): what the minute before it added. */
function increments(phases: readonly Phase[], perMinute: (phase: Phase) => number): number[] {
  const out: number[] = [0];
  for (const phase of phases) for (let i = 0; i < phase.minutes; i++) out.push(perMinute(phase));
  return out;
}

export interface OracleTier {
  name: string;
  severity: string;
  burnRate: number;
  longWindowMs: number;
  shortWindowMs: number;
  /** Keeps firing this long after the condition clears (Prometheus `keep_firing_for`). */
  keepFiringForMs?: number;
}

/**
 * Which tiers should be firing at each minute, by exact counting over the
 * trace (independent of Prometheus): both windows' error ratios above burn ×
 * budget, and for pages at least `minBadEvents` bad events in the long window.
 * A window holds what was counted between its two ends, as Prometheus 2's
 * closed range [t − w, t] sees it with samples at both ends; a window that
 * reaches back before the trace holds everything since it began (bad and
 * total are extrapolated alike, so their ratio is the same). A tier with a
 * hold (`keep_firing_for`) also fires while less than the hold has passed
 * since the first evaluation (every `step` minutes) at which its condition
 * was false again, as Prometheus keeps it.
 */
export function oracle(phases: readonly Phase[], tiers: readonly OracleTier[], budget: number, minBadEvents: number, step = 1): (minute: number) => string[] {
  const bad = increments(phases, (p) => p.requestsPerMinute * p.errorRatio);
  const all = increments(phases, (p) => p.requestsPerMinute);
  const prefix = (values: number[]) => {
    const sums: number[] = [];
    let sum = 0;
    for (const value of values) sums.push((sum += value));
    return sums;
  };
  const badSum = prefix(bad);
  const allSum = prefix(all);
  const inWindow = (sums: number[], minute: number, windowMinutes: number) => sums[minute]! - sums[Math.max(0, minute - windowMinutes)]!;
  const condition = (tier: OracleTier, minute: number): boolean => {
    const long = tier.longWindowMs / 60_000;
    const short = tier.shortWindowMs / 60_000;
    const ratio = (w: number) => inWindow(badSum, minute, w) / inWindow(allSum, minute, w);
    const above = ratio(long) > tier.burnRate * budget && ratio(short) > tier.burnRate * budget;
    const guarded = tier.severity !== "page" || minBadEvents === 0 || inWindow(badSum, minute, long) >= minBadEvents;
    return above && guarded;
  };
  const held = (tier: OracleTier, minute: number): boolean => {
    const hold = (tier.keepFiringForMs ?? 0) / 60_000;
    // The last evaluation at which the condition held; the hold runs from the first evaluation after it.
    for (let at = minute - step; at >= 0 && minute - (at + step) < hold; at -= step) if (condition(tier, at)) return true;
    return false;
  };
  return (minute) => tiers.filter((tier) => condition(tier, minute) || held(tier, minute)).map((tier) => tier.name);
}

/** Evaluations (every `step` minutes) where the oracle's answer changes, each with the one before it: where timing matters. */
export function transitions(total: number, firing: (minute: number) => string[], from: number, step = 1): number[] {
  const out = new Set<number>();
  let previous = firing(from).join(",");
  for (let minute = from + step; minute <= total; minute += step) {
    const now = firing(minute).join(",");
    if (now !== previous) {
      out.add(minute - step);
      out.add(minute);
    }
    previous = now;
  }
  return [...out].sort((a, b) => a - b);
}

/** First evaluation (every `step` minutes) at or after `from` at which `tier` fires, if any. */
export function firstFiring(total: number, firing: (minute: number) => string[], tier: string, from: number, step = 1): number | undefined {
  for (let minute = from; minute <= total; minute += step) if (firing(minute).includes(tier)) return minute;
  return undefined;
}
