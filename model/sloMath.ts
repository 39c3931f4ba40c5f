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
import type { BurnSeverity } from "../contract/serviceSchema";
import type { BurnTierDefinition } from "../contract/stackConfig";

/** The SLO window tiers are defined for unless they state one; other SLO windows scale them proportionally. */
export const REFERENCE_WINDOW_MS = 30 * DAY_MS;

/**
 * The default tiers, written for a 30-day window: the SRE Workbook's three (two
 * that page, one that files a ticket) and `ticket-fast` between its ticket tier
 * and its pages. `ticket-fast` tickets a steady burn once half the budget share
 * the Workbook's ticket tier waits for is spent, and its burn rate stays above
 * what short recurring outages average, so those do not flap it; the Workbook's
 * ticket tier tickets them once, as the budget will run out. Chosen by
 * measurement. This list is the only copy of the numbers: docs/alert-quality.md
 * tabulates them and says why, and test/docs/tierTables.test.ts checks every
 * docs table against it.
 */
export const DEFAULT_BURN_TIERS: readonly BurnTierDefinition[] = [
  { name: "page-fast", severity: "page", budgetPercent: 2, longWindowMs: 60 * MINUTE_MS, shortWindowMs: 5 * MINUTE_MS },
  { name: "page-slow", severity: "page", budgetPercent: 5, longWindowMs: 6 * 60 * MINUTE_MS, shortWindowMs: 30 * MINUTE_MS },
  { name: "ticket-fast", severity: "ticket", budgetPercent: 5, longWindowMs: 12 * 60 * MINUTE_MS, shortWindowMs: 60 * MINUTE_MS },
  { name: "ticket", severity: "ticket", budgetPercent: 10, longWindowMs: 3 * DAY_MS, shortWindowMs: 6 * 60 * MINUTE_MS },
];

/** The tiers a stack alerts with: those it declares (`monitoring-stack:burnRateTiers`), else the defaults. */
export function tierDefinitions(declared: readonly BurnTierDefinition[] | undefined): readonly BurnTierDefinition[] {
  return declared ?? DEFAULT_BURN_TIERS;
}

/** A tier resolved for one SLO: its windows scaled to the SLO's window and its threshold derived. */
export interface BurnTier {
  name: string;
  severity: BurnSeverity;
  budgetPercent: number;
  longWindowMs: number;
  shortWindowMs: number;
  /** Burn-rate threshold both windows must exceed: budget share × SLO window ÷ long window. */
  burnRate: number;
  /** Error ratio at which the alert starts to fire: burn rate × error budget. */
  errorRatioThreshold: number;
  /** Whether the tier can ever fire: the error ratio can not exceed 1. */
  canFire: boolean;
  /**
   * Minutes from the start of a total outage (100 % errors) until the alert
   * fires at the earliest on the evaluating backend: the formula's time, then
   * the first data point that shows it, the evaluation that sees it and the
   * time the condition must hold ({@link earliestDetectionMinutes}).
   */
  detectionMinutesAtTotalOutage: number;
  /** The formula alone ({@link detectionMinutes}): the floor no backend beats. */
  floorMinutesAtTotalOutage: number;
  /** Hours until the whole budget is gone if errors continue at exactly the threshold. */
  hoursToExhaustion: number;
  /** Why the windows differ from the definition scaled to the SLO window, in plain words; empty when they do not. */
  adjustments: string[];
  /**
   * Why the tier is not created, when fitting leaves its long window no
   * longer than its short one: both would then read the same errors, and the
   * long window, which is what keeps a short blip from alerting, would
   * protect nothing. Absent for every tier that is created.
   */
  omitted?: string;
  /**
   * Ticket tiers: how long the alert stays firing once its condition clears,
   * long window − short window, so a ticket closes when the errors that raised
   * it have left the long window (the short one clears a short window after
   * the last error), not in the gaps between recurring short outages. Pages
   * close as soon as the burn stops: no hold. Where the evaluator has no such
   * setting (Cloud Monitoring, Managed Prometheus `Rules`), tickets close with
   * the short window as before.
   */
  keepFiringForMs?: number;
}

/** What the evaluating backend can do; windows are fitted to it and the threshold follows. */
export interface WindowLimits {
  /** Shortest useful lookback: metrics arrive once a minute, minutes late; windows-based SLIs need at least one window. */
  minShortWindowMs: number;
  /** Longest lookback the backend evaluates, if limited (Cloud Monitoring: 24 h). */
  maxLongWindowMs?: number;
  /** Name of the backend, for the adjustment notes. */
  backend: string;
  /** How the backend samples and evaluates; detection times include it. */
  mechanics: DetectionMechanics;
}

/**
 * How a backend turns errors into a firing alert, for detection times that
 * never claim more than the backend can do.
 */
export interface DetectionMechanics {
  /**
   * Resolution of the SLI's data: the scrape interval for Prometheus, 60 s for
   * request-based Cloud Monitoring SLOs, the check period for uptime SLOs (a
   * check window counts once it is over).
   */
  sampleIntervalMs: number;
  /** How often the condition is evaluated: the rule group's interval; Cloud Monitoring's alignment period. */
  evaluationIntervalMs: number;
  /** How long the condition must hold before the alert fires: Prometheus `for`, the condition's duration. */
  holdMs: number;
  /**
   * Time from the start of a total outage until the SLI's samples show it:
   * for Prometheus' sliding time slices, (1 − sliceTarget) × slice, when the
   * trailing slice's share of bad events first exceeds what a good slice
   * allows. Default 0.
   */
  onsetMs?: number;
}

/** Cloud Monitoring: alert conditions align to at least 60 s; request-based SLO data is per minute. */
export const CLOUD_MONITORING_ALIGNMENT_MS = MINUTE_MS;
/** Duration of the burn-rate conditions: both windows already smooth the signal, so they fire on the first point. */
export const BURN_CONDITION_DURATION_MS = 0;

/** Cloud Monitoring's mechanics for an SLO whose SLI windows last `sliWindowMs` (uptime check period), else per-minute data. */
export function cloudMonitoringMechanics(sliWindowMs?: number): DetectionMechanics {
  return {
    sampleIntervalMs: Math.max(CLOUD_MONITORING_ALIGNMENT_MS, sliWindowMs ?? 0),
    evaluationIntervalMs: CLOUD_MONITORING_ALIGNMENT_MS,
    holdMs: BURN_CONDITION_DURATION_MS,
  };
}

/**
 * Prometheus' mechanics: rules evaluated every `evaluationIntervalMs` in one
 * group with the recordings they read (so an alert sees this evaluation's
 * values), no `for`; the SLI scraped at least as often as the rules run.
 */
export function prometheusMechanics(evaluationIntervalMs: number, onsetMs = 0): DetectionMechanics {
  return { sampleIntervalMs: evaluationIntervalMs, evaluationIntervalMs, holdMs: BURN_CONDITION_DURATION_MS, ...(onsetMs > 0 ? { onsetMs } : {}) };
}

/** Grafana evaluates rule groups every whole multiple of 10 s, at least 10 s (it rounds the Prometheus interval up). */
export function grafanaEvaluationIntervalMs(evaluationIntervalMs: number): number {
  return Math.max(10_000, Math.ceil(evaluationIntervalMs / 10_000) * 10_000);
}

/**
 * Grafana-managed rules over Synthetic Monitoring results: each probe
 * reports once per check frequency (an outage shows in the first execution
 * after it starts), rules run every evaluation interval, no hold.
 */
export function syntheticMonitoringMechanics(frequencyMs: number, evaluationIntervalMs: number): DetectionMechanics {
  return { sampleIntervalMs: frequencyMs, evaluationIntervalMs: grafanaEvaluationIntervalMs(evaluationIntervalMs), holdMs: BURN_CONDITION_DURATION_MS };
}

/**
 * Shortest window a rate over Synthetic Monitoring counters can use: 2.5
 * check frequencies, so that rate() always finds two samples of every probe
 * (Grafana's own rule of thumb, "Reduce Grafana Cloud Synthetic Monitoring
 * costs"), in whole minutes, and never below MIN_SHORT_WINDOW_MS.
 */
export function syntheticMinWindowMs(frequencyMs: number): number {
  return Math.max(MIN_SHORT_WINDOW_MS, Math.ceil((2.5 * frequencyMs) / MINUTE_MS) * MINUTE_MS);
}

/** Shortest short window: Cloud Monitoring samples request metrics every 60 s and may report them up to a few minutes late. */
export const MIN_SHORT_WINDOW_MS = 5 * MINUTE_MS;
/** Cloud Monitoring evaluates `select_slo_burn_rate` over lookbacks of at most 24 hours. */
export const CLOUD_MONITORING_MAX_LOOKBACK_MS = DAY_MS;

/**
 * Nominal days of each calendar period, used for a calendar SLO's budget and
 * burn tiers. A calendar month lasts 28 to 31 days; its budget is computed for
 * 30, the length the default tiers are defined for. The alerts do not depend
 * on the choice: Cloud Monitoring's burn rate is the error rate divided by
 * (1 − goal), the same for any period (its "Alerting on your burn rate"
 * page), and the thresholds, a share of the budget × window ÷ long window,
 * fire at the same error ratios as on a rolling window of the nominal length.
 * Only the budget's size in minutes is nominal: a 31-day month holds 1/30 more.
 */
export const CALENDAR_PERIOD_DAYS = { day: 1, week: 7, fortnight: 14, month: 30 } as const;

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

/** Scales a window defined for `periodMs` (default the 30-day reference) to the SLO's window, whole minutes, at least one minute. */
export function scaleWindow(referenceMs: number, windowMs: number, periodMs: number = REFERENCE_WINDOW_MS): number {
  return wholeMinutes((referenceMs * windowMs) / periodMs);
}

/** The SLO window a definition's windows are written for: its stated period, else the 30-day reference. */
export function definitionPeriodMs(definition: Pick<BurnTierDefinition, "periodMs">): number {
  return definition.periodMs ?? REFERENCE_WINDOW_MS;
}

/**
 * The definitions that apply to an SLO window, and the period they are
 * written for: those defined for exactly that window (used as written),
 * else those of the nearest period (the longer on a tie), to be scaled.
 * Definitions that state no period are defined for 30 days.
 */
export function definitionsForWindow(definitions: readonly BurnTierDefinition[], windowMs: number): { periodMs: number; definitions: readonly BurnTierDefinition[] } {
  const periods = [...new Set(definitions.map(definitionPeriodMs))];
  const periodMs = periods.reduce((best, p) => {
    const [d, bestD] = [Math.abs(p - windowMs), Math.abs(best - windowMs)];
    return d < bestD || (d === bestD && p > best) ? p : best;
  }, periods[0] ?? REFERENCE_WINDOW_MS);
  return { periodMs, definitions: definitions.filter((d) => definitionPeriodMs(d) === periodMs) };
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
 * Minutes until a tier fires at the earliest at a constant error ratio from a
 * clean window, on a backend with the given mechanics: the formula's time
 * ({@link detectionMinutes}), then the first data point after it (at the
 * formula's time the ratio only equals the threshold, and alerts need more),
 * the first evaluation at or after that point, and the hold. Data and
 * evaluations are taken as aligned; where they are not, add up to one
 * evaluation interval. Metrics that arrive late add their delay on top.
 */
export function earliestDetectionMinutes(
  objectivePercent: number,
  tier: Pick<BurnTier, "burnRate" | "longWindowMs">,
  mechanics: DetectionMechanics,
  errorRatio = 1,
): number {
  const floorMs = detectionMinutes(objectivePercent, tier.burnRate, tier.longWindowMs, errorRatio) * MINUTE_MS + (mechanics.onsetMs ?? 0);
  const sample = mechanics.sampleIntervalMs;
  const seenMs = (Math.floor(round(floorMs / sample, 9)) + 1) * sample;
  const evaluatedMs = Math.ceil(round(seenMs / mechanics.evaluationIntervalMs, 9)) * mechanics.evaluationIntervalMs;
  return round((evaluatedMs + mechanics.holdMs) / MINUTE_MS, 6);
}

/**
 * Resolves the tier definitions for one SLO: those for its window
 * ({@link definitionsForWindow}), their windows scaled to the SLO's
 * window (unchanged when defined for it), then fitted to the backend's limits (a short window no shorter than
 * `minShortWindowMs`; a long window no longer than `maxLongWindowMs`, the short
 * one shrinking with it), and the burn-rate threshold derived from the final
 * long window so that each tier still fires at its share of the budget.
 * A tier whose long window ends up no longer than its short one (a short SLO
 * window such as a calendar day, or a slow check period, scales it below the
 * shortest usable lookback) is marked {@link BurnTier.omitted}: a two-window
 * alert needs a long window longer than its short one, so the SLO gets fewer
 * tiers rather than one whose two windows are the same.
 */
export function burnTiers(
  objectivePercent: number,
  windowMs: number,
  definitions: readonly BurnTierDefinition[],
  limits: WindowLimits = { minShortWindowMs: MIN_SHORT_WINDOW_MS, backend: "any backend", mechanics: cloudMonitoringMechanics() },
): BurnTier[] {
  const budget = errorBudget(objectivePercent);
  const applicable = definitionsForWindow(definitions, windowMs);
  return applicable.definitions.map((definition) => {
    const adjustments: string[] = [];
    const scaledLongWindowMs = scaleWindow(definition.longWindowMs, windowMs, applicable.periodMs);
    let longWindowMs = scaledLongWindowMs;
    let shortWindowMs = scaleWindow(definition.shortWindowMs, windowMs, applicable.periodMs);
    if (limits.maxLongWindowMs !== undefined && longWindowMs > limits.maxLongWindowMs) {
      shortWindowMs = wholeMinutes((shortWindowMs * limits.maxLongWindowMs) / longWindowMs);
      adjustments.push(`long window ${formatDuration(longWindowMs)} shortened to ${formatDuration(limits.maxLongWindowMs)}, the longest lookback ${limits.backend} evaluates`);
      longWindowMs = limits.maxLongWindowMs;
    }
    if (shortWindowMs < limits.minShortWindowMs) {
      adjustments.push(`short window ${formatDuration(shortWindowMs)} lengthened to ${formatDuration(limits.minShortWindowMs)}, the shortest that holds enough data`);
      shortWindowMs = limits.minShortWindowMs;
    }
    const omitted =
      longWindowMs <= shortWindowMs
        ? `its long window ${formatDuration(longWindowMs)} (${formatDuration(definition.longWindowMs)} scaled to the ${formatDuration(windowMs)} SLO window) is no longer than its short window ${formatDuration(shortWindowMs)}, the shortest ${limits.backend} can use here, so both windows would read the same errors and the long one would not hold back a short blip`
        : undefined;
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
      detectionMinutesAtTotalOutage: earliestDetectionMinutes(objectivePercent, { burnRate, longWindowMs }, limits.mechanics),
      floorMinutesAtTotalOutage: detectionMinutes(objectivePercent, burnRate, longWindowMs),
      hoursToExhaustion: round(windowMs / burnRate / (60 * MINUTE_MS), 4),
      adjustments,
      ...(omitted ? { omitted } : {}),
      ...(definition.severity === "ticket" && longWindowMs > shortWindowMs ? { keepFiringForMs: longWindowMs - shortWindowMs } : {}),
    };
  });
}

/** The lowest objective (percent) at which a tier with this burn-rate threshold can fire: budget × burn rate must stay below 1. */
export function lowestFiringObjective(burnRate: number): number {
  return round(100 * (1 - 1 / burnRate), 4);
}

/**
 * The percentage an objective written as a fraction most likely means
 * (0.999 → 99.9), or undefined when it reads as a percentage. Objectives are
 * percentages; one below 1 % leaves a budget of more than 99 % errors, which
 * no team means.
 */
export function objectiveAsPercent(objective: number): number | undefined {
  return objective > 0 && objective < 1 ? round(objective * 100, 6) : undefined;
}

/** A tier not provisioned because fitting left its long window no longer than its short one ({@link BurnTier.omitted}). */
export interface OmittedTier {
  name: string;
  severity: BurnSeverity;
  /** Why, in plain words. */
  reason: string;
}

/** The tiers fitting did not omit, and those it did. */
export function splitOmitted(tiers: readonly BurnTier[]): { created: BurnTier[]; omitted: OmittedTier[] } {
  return {
    created: tiers.filter((t) => t.omitted === undefined),
    omitted: tiers.flatMap((t) => (t.omitted === undefined ? [] : [{ name: t.name, severity: t.severity, reason: t.omitted }])),
  };
}

/** A tier not provisioned because another tier of the same severity raises every alert it would, no later. */
export interface CoveredTier {
  name: string;
  severity: BurnSeverity;
  /** The tier that covers it. */
  coveredBy: string;
  /** Why, in plain words. */
  reason: string;
}

/**
 * Tiers that fitting has made redundant: a tier whose burn-rate threshold is
 * no lower than that of another tier of the same severity whose long window is
 * no longer. Any burn that keeps the first above its threshold over its long
 * window keeps the other above its own, over a window it reaches sooner: the
 * other tier alerts first, and the first only repeats it. (On Cloud Monitoring
 * at 30 d, the default `ticket` tier fitted to the 24-hour lookback is covered
 * by `ticket-fast` this way: docs/slo-maths.md.) Of two identical tiers the
 * first listed stays. Returns the redundant tiers, each with a tier that stays.
 */
export function redundantTiers(tiers: readonly BurnTier[]): CoveredTier[] {
  const covers = (u: number, t: number): boolean => {
    const a = tiers[u]!;
    const b = tiers[t]!;
    if (u === t || a.severity !== b.severity || a.burnRate > b.burnRate || a.longWindowMs > b.longWindowMs) return false;
    return a.burnRate < b.burnRate || a.longWindowMs < b.longWindowMs || u < t;
  };
  const coveredIndexes = new Set(tiers.flatMap((_, t) => (tiers.some((__, u) => covers(u, t)) ? [t] : [])));
  return [...coveredIndexes].map((t) => {
    const tier = tiers[t]!;
    // A covering tier that is itself kept (one exists: covering is transitive).
    const by = tiers[tiers.findIndex((_, u) => covers(u, t) && !coveredIndexes.has(u))]!;
    const same = by.burnRate === tier.burnRate ? "the same burn rate" : `a lower burn rate (${by.burnRate})`;
    return {
      name: tier.name,
      severity: tier.severity,
      coveredBy: by.name,
      reason: `burn rate ${tier.burnRate} over ${formatDuration(tier.longWindowMs)} / ${formatDuration(tier.shortWindowMs)}${tier.adjustments.length ? " after fitting" : ""}; ${by.name} has ${same} over ${formatDuration(by.longWindowMs)} / ${formatDuration(by.shortWindowMs)}, so it alerts on every burn this tier would, as soon or sooner`,
    };
  });
}

/** Bounds of how long an SLI's series may be missing before the absent alert fires. */
export const ABSENT_FOR_MIN_MS = MINUTE_MS;
export const ABSENT_FOR_MAX_MS = 10 * MINUTE_MS;

/**
 * How long an SLI's series may be missing before the absent alert fires: as
 * long as a total outage takes to reach the fastest tier's threshold (its
 * {@link BurnTier.floorMinutesAtTotalOutage}), in whole minutes between 1 and
 * 10. Missing series leave the burn-rate alerts blind, and a service that
 * stops exporting them is often the one that is down: it is reported no later
 * than its outage would have paged. A restarted or redeployed target does not
 * trip it: absent() looks at every series the selector matches, and a series
 * stays visible for the 5-minute lookback after its last sample.
 */
export function absentForMs(tiers: readonly Pick<BurnTier, "floorMinutesAtTotalOutage">[]): number {
  if (tiers.length === 0) return ABSENT_FOR_MAX_MS;
  const fastest = Math.min(...tiers.map((tier) => tier.floorMinutesAtTotalOutage));
  const minutes = Math.ceil(round(fastest, 6));
  return Math.min(ABSENT_FOR_MAX_MS, Math.max(ABSENT_FOR_MIN_MS, minutes * MINUTE_MS));
}

/**
 * The slowest burn a page is for: the SRE Workbook's slowest page tier, and
 * what docs/alert-quality.md counts a page as warranted by.
 */
export const MIN_PAGE_BURN_RATE = 6;

/**
 * Why a fitted tier's alerts would fail the measures of docs/alert-quality.md,
 * one reason each; empty when it passes: a burn rate of at least 1 (below it
 * the alert fires while the SLO is met), a page only on a burn of at least
 * {@link MIN_PAGE_BURN_RATE} (a slower burn does not warrant one), and a long
 * window longer than the short one (with one window a burst that has ended
 * keeps the alert firing for the whole window). Windows shorter than a day
 * are taken only when every tier passes; fitting them to the 5-minute
 * shortest window is what breaks the default tiers there.
 */
export function alertQualityProblems(tier: Pick<BurnTier, "severity" | "burnRate" | "longWindowMs" | "shortWindowMs">): string[] {
  const problems: string[] = [];
  if (tier.burnRate < 1) problems.push(`burn rate ${tier.burnRate} below 1 alerts while the SLO is met`);
  if (tier.severity === "page" && tier.burnRate < MIN_PAGE_BURN_RATE) problems.push(`a page at burn rate ${tier.burnRate}, below ${MIN_PAGE_BURN_RATE}, pages on burns that warrant no page`);
  if (tier.longWindowMs <= tier.shortWindowMs) problems.push(`long window ${formatDuration(tier.longWindowMs)} no longer than the short window ${formatDuration(tier.shortWindowMs)}: both would read the same errors and the long one would not hold back a short blip`);
  return problems;
}

/** The smallest budget share (percent) a page tier needs at an SLO window to page at burn {@link MIN_PAGE_BURN_RATE} over a long window of `longWindowMs`. */
export function minPageBudgetPercent(windowMs: number, longWindowMs: number): number {
  return Math.ceil(((MIN_PAGE_BURN_RATE * longWindowMs) / windowMs) * 100 * 100) / 100;
}
