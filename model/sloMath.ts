/**
 * The SLO maths, in one place: error budget, budget minutes, multiwindow
 * multi-burn-rate alert tiers and their detection times. Every backend (GCP
 * alert policies, the plan summary, Prometheus rules, Grafana dashboards)
 * reads these numbers; none derives its own.
 *
 * Reference: Google SRE Workbook, "Alerting on SLOs", recommendation 6
 * (multiwindow, multi-burn-rate alerts).
 */
import { DAY_MS, MINUTE_MS, formatDuration, round } from "../contract/duration";
import type { Severity } from "../contract/serviceSchema";
import type { BurnTierDefinition } from "../contract/stackConfig";

/** The windows the tiers are defined for; other SLO windows scale them proportionally. */
export const REFERENCE_WINDOW_MS = 30 * DAY_MS;

/** The SRE Workbook's recommended tiers: 2 % in 1 h and 5 % in 6 h page; 10 % in 3 d files a ticket. */
export const DEFAULT_BURN_TIERS: readonly BurnTierDefinition[] = [
  { name: "page-fast", severity: "page", budgetPercent: 2, longWindowMs: 60 * MINUTE_MS, shortWindowMs: 5 * MINUTE_MS },
  { name: "page-slow", severity: "page", budgetPercent: 5, longWindowMs: 6 * 60 * MINUTE_MS, shortWindowMs: 30 * MINUTE_MS },
  { name: "ticket", severity: "ticket", budgetPercent: 10, longWindowMs: 3 * DAY_MS, shortWindowMs: 6 * 60 * MINUTE_MS },
];

/** The tiers a stack alerts with: those it declares (`monitoring-stack:burnTiers`), else the defaults. */
export function tierDefinitions(declared: readonly BurnTierDefinition[] | undefined): readonly BurnTierDefinition[] {
  return declared ?? DEFAULT_BURN_TIERS;
}

/** A tier resolved for one SLO: its windows scaled to the SLO's window and its threshold derived. */
export interface BurnTier {
  name: string;
  severity: Severity;
  budgetPercent: number;
  longWindowMs: number;
  shortWindowMs: number;
  /** Burn-rate threshold both windows must exceed: budget share × SLO window ÷ long window. */
  burnRate: number;
  /** Error ratio at which the alert starts to fire: burn rate × error budget. */
  errorRatioThreshold: number;
  /** Whether the tier can ever fire: the error ratio can not exceed 1. */
  canFire: boolean;
  /** Minutes from the start of a total outage (100 % errors) until the alert fires. */
  detectionMinutesAtTotalOutage: number;
  /** Hours until the whole budget is gone if errors continue at exactly the threshold. */
  hoursToExhaustion: number;
  /** Why the windows differ from the definition scaled to the SLO window, in plain words; empty when they do not. */
  adjustments: string[];
}

/** What the evaluating backend can do; windows are fitted to it and the threshold follows. */
export interface WindowLimits {
  /** Shortest useful lookback: metrics arrive once a minute, minutes late; windows-based SLIs need at least one window. */
  minShortWindowMs: number;
  /** Longest lookback the backend evaluates, if limited (Cloud Monitoring: 24 h). */
  maxLongWindowMs?: number;
  /** Name of the backend, for the adjustment notes. */
  backend: string;
  /**
   * For windows-based SLIs (uptime): the length of one good-or-bad window. The
   * SLI moves in whole windows, so detection is rounded up to whole windows,
   * plus the window in progress when the outage starts (a check that passed
   * just before the outage keeps that window good).
   */
  sliWindowMs?: number;
}

/** Shortest short window: Cloud Monitoring samples request metrics every 60 s and may report them up to a few minutes late. */
export const MIN_SHORT_WINDOW_MS = 5 * MINUTE_MS;
/** Cloud Monitoring evaluates `select_slo_burn_rate` over lookbacks of at most 24 hours. */
export const CLOUD_MONITORING_MAX_LOOKBACK_MS = DAY_MS;

/** Error budget as a fraction: 99.9 → 0.001. */
export function errorBudget(objectivePercent: number): number {
  return round(1 - objectivePercent / 100, 12);
}

/** Minutes of total outage the budget allows over the window: 99.9 % over 30 d → 43.2. */
export function budgetMinutes(objectivePercent: number, windowMs: number): number {
  return round((errorBudget(objectivePercent) * windowMs) / MINUTE_MS, 6);
}

/** Rounds to whole minutes, at least one: lookbacks are whole minutes. */
function wholeMinutes(ms: number): number {
  return Math.max(MINUTE_MS, Math.round(ms / MINUTE_MS) * MINUTE_MS);
}

/** Scales a reference window to the SLO's window, whole minutes, at least one minute. */
export function scaleWindow(referenceMs: number, windowMs: number): number {
  return wholeMinutes((referenceMs * windowMs) / REFERENCE_WINDOW_MS);
}

/** Burn rate that spends `budgetPercent` of the budget within `longWindowMs`. */
export function burnRateThreshold(budgetPercent: number, windowMs: number, longWindowMs: number): number {
  return round(((budgetPercent / 100) * windowMs) / longWindowMs, 6);
}

/**
 * Time for the long-window burn rate to reach `burnRate` at a constant error
 * ratio `errorRatio`, starting from a clean window:
 * budget ÷ errorRatio × long window × burn rate.
 */
export function detectionMinutes(objectivePercent: number, burnRate: number, longWindowMs: number, errorRatio = 1): number {
  return round(((errorBudget(objectivePercent) / errorRatio) * longWindowMs * burnRate) / MINUTE_MS, 6);
}

/**
 * Detection time of a windows-based SLI: whole windows (the SLI moves once
 * per window), plus the window in progress when the outage began.
 */
export function windowsDetectionMinutes(minutes: number, sliWindowMs: number): number {
  const windowMinutes = sliWindowMs / MINUTE_MS;
  return round((Math.ceil(round(minutes / windowMinutes, 9)) + 1) * windowMinutes, 6);
}

/**
 * Resolves the tier definitions for one SLO: windows scaled to the SLO's
 * window, then fitted to the backend's limits (a short window no shorter than
 * `minShortWindowMs`; a long window no longer than `maxLongWindowMs`, the short
 * one shrinking with it), and the burn-rate threshold derived from the final
 * long window so that each tier still fires at its share of the budget.
 */
export function burnTiers(
  objectivePercent: number,
  windowMs: number,
  definitions: readonly BurnTierDefinition[],
  limits: WindowLimits = { minShortWindowMs: MIN_SHORT_WINDOW_MS, backend: "any backend" },
): BurnTier[] {
  const budget = errorBudget(objectivePercent);
  return definitions.map((definition) => {
    const adjustments: string[] = [];
    const scaledLongWindowMs = scaleWindow(definition.longWindowMs, windowMs);
    let longWindowMs = scaledLongWindowMs;
    let shortWindowMs = scaleWindow(definition.shortWindowMs, windowMs);
    if (limits.maxLongWindowMs !== undefined && longWindowMs > limits.maxLongWindowMs) {
      shortWindowMs = wholeMinutes((shortWindowMs * limits.maxLongWindowMs) / longWindowMs);
      adjustments.push(`long window ${formatDuration(longWindowMs)} shortened to ${formatDuration(limits.maxLongWindowMs)}, the longest lookback ${limits.backend} evaluates`);
      longWindowMs = limits.maxLongWindowMs;
    }
    if (shortWindowMs < limits.minShortWindowMs) {
      adjustments.push(`short window ${formatDuration(shortWindowMs)} lengthened to ${formatDuration(limits.minShortWindowMs)}, the shortest that holds enough data`);
      shortWindowMs = limits.minShortWindowMs;
    }
    if (longWindowMs < shortWindowMs) {
      adjustments.push(`long window ${formatDuration(longWindowMs)} lengthened to ${formatDuration(shortWindowMs)}, no shorter than the short window`);
      longWindowMs = shortWindowMs;
    }
    const burnRate = burnRateThreshold(definition.budgetPercent, windowMs, longWindowMs);
    if (longWindowMs !== scaledLongWindowMs) {
      const scaledBurnRate = burnRateThreshold(definition.budgetPercent, windowMs, scaledLongWindowMs);
      adjustments.push(`burn-rate threshold ${burnRate} instead of ${scaledBurnRate}, so the tier still fires at ${definition.budgetPercent} % of the budget`);
    }
    const errorRatioThreshold = round(burnRate * budget, 9);
    return {
      name: definition.name,
      severity: definition.severity,
      budgetPercent: definition.budgetPercent,
      longWindowMs,
      shortWindowMs,
      burnRate,
      errorRatioThreshold,
      canFire: errorRatioThreshold < 1,
      detectionMinutesAtTotalOutage:
        limits.sliWindowMs === undefined
          ? detectionMinutes(objectivePercent, burnRate, longWindowMs)
          : windowsDetectionMinutes(detectionMinutes(objectivePercent, burnRate, longWindowMs), limits.sliWindowMs),
      hoursToExhaustion: round(windowMs / burnRate / (60 * MINUTE_MS), 4),
      adjustments,
    };
  });
}
