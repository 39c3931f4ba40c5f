/**
 * Plain-language readings of the model, shared by alert documentation and
 * the plan summary so that responders and reviewers read the same words.
 */
import { formatDuration, humanizeMinutes, round } from "../contract/duration";
import { describeIndicator } from "./indicators";
import type { ServiceModel, SloModel } from "./types";
import type { BurnTierDefinition } from "../contract/stackConfig";
import { definitionsForWindow, type BurnTier } from "./sloMath";

/** The SLO's window in words: "30 d" (rolling) or "calendar month". */
/** A rolling window's length in words: "30 d", or "6 h" below a day. */
function daysText(days: number): string {
  return Number.isInteger(days) ? `${days} d` : `${Math.round(days * 24)} h`;
}

export function windowText(slo: Pick<SloModel, "windowDays" | "calendarPeriod">): string {
  return slo.calendarPeriod ? `calendar ${slo.calendarPeriod}` : daysText(slo.windowDays);
}

/** The window as an adjective: "30-day", or "calendar-month" (its budget computed for the nominal 30 d). */
function windowAdjective(slo: Pick<SloModel, "windowDays" | "calendarPeriod">): string {
  return slo.calendarPeriod ? `calendar-${slo.calendarPeriod} (nominal ${slo.windowDays} d)` : Number.isInteger(slo.windowDays) ? `${slo.windowDays}-day` : `${Math.round(slo.windowDays * 24)}-hour`;
}

/** Timeslices budgeting in words: "1m slices, each good at ≥ 95 % good events"; undefined for occurrences. */
export function slicesText(slo: Pick<SloModel, "budgeting">): string | undefined {
  const budgeting = slo.budgeting;
  return budgeting.method === "timeslices" ? `${formatDuration(budgeting.sliceMs)} slices, each good at ≥ ${round(budgeting.sliceTarget * 100, 6)} % good events` : undefined;
}

/** "99.9 % over 30 d", "99.9 % per calendar month", "99 % of 1m slices good (…) over 30 d". */
export function objectiveText(slo: SloModel): string {
  const slices = slicesText(slo);
  const over = slo.calendarPeriod ? `per calendar ${slo.calendarPeriod}` : `over ${daysText(slo.windowDays)}`;
  return slices ? `${slo.objective} % of ${slices}, ${over}` : `${slo.objective} % ${over}`;
}

/** What one bad SLI window is: a check window of an uptime SLO, a time slice. */
function windowNoun(slo: SloModel): string {
  return slo.budgeting.method === "timeslices" ? "slices" : "windows";
}

/** For windows-based SLIs, the budget in bad windows: " (5.04 bad 1m windows)"; else nothing. */
function budgetInWindows(slo: SloModel): string {
  const windows = budgetWindows(slo);
  return windows === undefined ? "" : ` (${round(windows, 2)} bad ${formatDuration(slo.sliWindowMs!)} ${windowNoun(slo)})`;
}

/** The budget for a table cell: "5.04 min (5.04 bad 1m windows)". */
export function budgetAmount(slo: SloModel): string {
  return `${round(slo.budgetMinutes, 2)} min${budgetInWindows(slo)}`;
}

/** The budget in a sentence: "43.2 min of total outage per 30 d". */
export function budgetText(slo: SloModel): string {
  const per = slo.calendarPeriod ? `calendar ${slo.calendarPeriod} (counted for ${slo.windowDays} d)` : daysText(slo.windowDays);
  return `${round(slo.budgetMinutes, 2)} min of total outage per ${per}${budgetInWindows(slo)}`;
}

/** For windows-based SLIs: how many bad windows the budget allows. */
export function budgetWindows(slo: SloModel): number | undefined {
  return slo.sliWindowMs === undefined ? undefined : (slo.budgetMinutes * 60_000) / slo.sliWindowMs;
}

/**
 * For windows-based SLIs whose budget is only a few windows: the tiers a
 * single bad window fires on its own, with the share of the budget it spends.
 */
export function singleWindowWarning(slo: SloModel): string | undefined {
  const windows = budgetWindows(slo);
  if (windows === undefined) return undefined;
  const share = 100 / windows;
  const fired = slo.tiers.filter((tier) => share >= tier.budgetPercent).map((tier) => tier.name);
  if (fired.length === 0) return undefined;
  const bad = slo.budgeting.method === "timeslices" ? "slice" : "check window";
  return `one bad ${formatDuration(slo.sliWindowMs!)} ${bad === "slice" ? "slice" : "window"} spends ${round(share, 2)} % of the budget, so a single ${bad === "slice" ? "bad slice" : "failing check window"} fires ${fired.join(", ")}`;
}

/**
 * Where an SLO's tier windows come from, when the stack's tiers state the SLO
 * window they are defined for; undefined for tiers defined for 30 d (scaled
 * to every window, as the SLO maths page says).
 */
export function tierOriginText(definitions: readonly BurnTierDefinition[], windowMs: number): string | undefined {
  if (definitions.every((d) => d.periodMs === undefined)) return undefined;
  const { periodMs } = definitionsForWindow(definitions, windowMs);
  const days = (ms: number) => round(ms / 86_400_000, 4);
  return periodMs === windowMs
    ? `Tier windows as monitoring-stack:burnRateTiers defines them for ${days(windowMs)} d`
    : `Tier windows scaled from those monitoring-stack:burnRateTiers defines for ${days(periodMs)} d to this ${days(windowMs)}-day window (none are defined for it)`;
}

export function tierCondition(tier: BurnTier): string {
  return `burn rate above ${tier.burnRate} over ${formatDuration(tier.longWindowMs)} and over ${formatDuration(tier.shortWindowMs)}`;
}

export function tierMeaning(slo: SloModel, tier: BurnTier): string {
  return `${tier.budgetPercent} % of the ${windowAdjective(slo)} budget spent in ${formatDuration(tier.longWindowMs)}; at this rate the whole budget lasts ${humanizeMinutes(tier.hoursToExhaustion * 60)}`;
}

/** Markdown for an SLO burn-rate alert's documentation: what burns, what it means, what to do. */
/** The closing line of every alert text. */
export function runbookLine(service: Pick<ServiceModel, "runbook">): string {
  return service.runbook ? `Runbook: ${service.runbook}` : "No runbook is declared for this service.";
}

export function burnAlertDocumentation(service: ServiceModel, slo: SloModel, tier: BurnTier): string {
  const lines = [
    `**${service.name}** (team ${service.team}, tier ${service.tier}) is spending the error budget of its SLO **${slo.name}** fast enough to ${tier.severity === "page" ? "page" : "open a ticket"}.`,
    "",
    `- Indicator: ${describeIndicator(slo.indicator)}`,
    `- Objective: ${objectiveText(slo)}`,
    `- Error budget: ${budgetText(slo)}`,
    `- This alert: ${tierCondition(tier)}`,
    `- What it means: ${tierMeaning(slo, tier)}`,
    `- A total outage fires it after ${humanizeMinutes(tier.detectionMinutesAtTotalOutage)} (plus the minutes metrics take to arrive)`,
    ...tier.adjustments.map((note) => `- Windows fitted: ${note}`),
    "",
    runbookLine(service),
  ];
  return lines.join("\n");
}
