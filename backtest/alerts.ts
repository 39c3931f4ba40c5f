/**
 * The alerts of one SLO replayed over its SLI timeline, as its rules decide:
 * per tier, both windows' error ratios above burn rate × budget (each number
 * written as the rule writes it) and, for pages counted in events, at least
 * `minBadEventsToPage` bad events in the long window; the metrics-absent
 * alert after its hold. An alert fires at the first evaluation its condition
 * has held for its `for` and resolves at the first evaluation it no longer
 * holds, or, for a tier with a hold (`keep_firing_for`), at the first
 * evaluation that hold after its condition first cleared, as Prometheus' rule
 * manager does (a condition true again within the hold keeps it firing).
 */
import { promNumber } from "../components/prometheus/promql";
import type { BurnSeverity } from "../contract/serviceSchema";
import type { SliTimeline } from "./sli";
import { ABSENT_TIER, type ReplaySlo, type ReplayTier } from "./types";

export const BURN_ALERT = "SLOErrorBudgetBurn";
export const ABSENT_ALERT = "SLOMetricsAbsent";

/** One alert (a tier, or metrics-absent) and when it fired: [start, end), end undefined while firing at the last evaluation. */
export interface AlertTimeline {
  alertname: string;
  tier: string;
  severity: BurnSeverity;
  firing: { start: number; end?: number }[];
}

/** The threshold exactly as the rule computes it: `(burnRate * budget)`, both as the rule file writes them. */
export function ruleThreshold(tier: Pick<ReplayTier, "burnRate">, budget: number): number {
  return Number(promNumber(tier.burnRate)) * Number(promNumber(budget));
}

/** Whether the tier's condition holds at each evaluation. */
export function tierCondition(slo: ReplaySlo, tier: ReplayTier, sli: SliTimeline, length: number): Uint8Array {
  const out = new Uint8Array(length);
  const long = sli.windows.get(tier.longWindowMs)!;
  const short = sli.windows.get(tier.shortWindowMs)!;
  const threshold = ruleThreshold(tier, slo.budget);
  const guarded = tier.severity === "page" && slo.minBadEventsToPage > 0 && slo.budgeting.method === "occurrences";
  const seconds = tier.longWindowMs / 1000;
  for (let i = 0; i < length; i++) {
    const e = long.errorRatio[i]!;
    if (!(e > threshold) || !(short.errorRatio[i]! > threshold)) continue;
    if (guarded && !(e * long.totalRate[i]! * seconds >= slo.minBadEventsToPage)) continue;
    out[i] = 1;
  }
  return out;
}

/**
 * Firing spans of an alert whose condition is `condition`, pending for `holdMs` (`for`) and kept firing for
 * `keepFiringMs` once it clears (`keep_firing_for`), evaluated at `ts` from index `from`.
 */
export function firingSpans(condition: Uint8Array, ts: Float64Array, holdMs: number, from = 0, keepFiringMs = 0): { start: number; end?: number }[] {
  const spans: { start: number; end?: number }[] = [];
  let activeAt: number | undefined;
  let clearedAt: number | undefined;
  let firing = false;
  for (let i = from; i < ts.length; i++) {
    if (!condition[i]) {
      if (firing) {
        clearedAt ??= ts[i]!;
        if (ts[i]! - clearedAt < keepFiringMs) continue;
        spans[spans.length - 1]!.end = ts[i]!;
      }
      activeAt = undefined;
      clearedAt = undefined;
      firing = false;
      continue;
    }
    clearedAt = undefined;
    activeAt ??= ts[i]!;
    if (!firing && ts[i]! - activeAt >= holdMs) {
      firing = true;
      spans.push({ start: ts[i]! });
    }
  }
  return spans;
}

/** Every alert of the SLO over the timeline: one per tier, then metrics-absent (PromQL evaluators only). */
export function replayAlerts(slo: ReplaySlo, sli: SliTimeline, ts: Float64Array, from = 0, options: { absent?: boolean } = {}): AlertTimeline[] {
  const alerts: AlertTimeline[] = slo.tiers.map((tier) => ({
    alertname: BURN_ALERT,
    tier: tier.name,
    severity: tier.severity,
    firing: firingSpans(tierCondition(slo, tier, sli, ts.length), ts, 0, from, tier.keepFiringForMs ?? 0),
  }));
  if (options.absent !== false) alerts.push({ alertname: ABSENT_ALERT, tier: ABSENT_TIER, severity: "ticket", firing: firingSpans(sli.absent, ts, slo.absentForMs, from) });
  return alerts;
}
