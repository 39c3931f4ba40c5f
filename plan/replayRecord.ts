/**
 * SLOs to replay from a plan's service record: a plan is replayed as data, so
 * the code that runs the backtest need not be the code that wrote the plan.
 */
import { DAY_MS, parseDuration } from "../contract/duration";
import { sloResourceName } from "../components/gcp/filters";
import { errorBudget } from "../model/sloMath";
import type { BudgetingModel, CalendarPeriod, IndicatorModel } from "../model/types";
import type { NotEvaluated, ReplaySlo } from "../backtest/types";
import { recordedEvaluator, type RecordedService, type RecordedSlo } from "./planRecord";
import type { PlanDocument } from "./runPlan";

function budgetingOf(text: string | undefined): BudgetingModel | undefined {
  if (text === undefined || text === "occurrences") return { method: "occurrences" };
  const match = /^timeslices (\S+) ≥ ([0-9.]+)$/.exec(text);
  const sliceMs = match ? parseDuration(match[1]!) : undefined;
  return match && sliceMs !== undefined ? { method: "timeslices", sliceMs, sliceTarget: Number(match[2]) } : undefined;
}

/** An SLO to replay from its plan record, or why it cannot be. */
export function replayFromRecord(project: string | undefined, service: RecordedService, slo: RecordedSlo): ReplaySlo | string {
  const alerting = slo.alerting;
  if (!alerting) return "its plan predates the record of how its alerts are evaluated (plan it again)";
  const budgeting = budgetingOf(slo.budgeting);
  if (!budgeting) return `its budgeting ${JSON.stringify(slo.budgeting)} is not one the backtest reads`;
  const window = slo.window ?? `${slo.windowDays}d`;
  const calendar = /^calendar-(day|week|fortnight|month)$/.exec(window)?.[1] as CalendarPeriod | undefined;
  const evaluator = recordedEvaluator(slo);
  return {
    service: service.name,
    slo: slo.name,
    evaluator,
    objective: slo.objective,
    budget: errorBudget(slo.objective),
    windowMs: slo.windowDays * DAY_MS,
    ...(calendar ? { calendarPeriod: calendar } : {}),
    budgeting,
    indicator: JSON.parse(slo.sli) as IndicatorModel,
    tiers: slo.tiers.map(({ name, severity, burnRate, longWindowMs, shortWindowMs }) => {
      const keepFiringForMs = alerting.keepFiringForMs?.[name];
      return { name, severity, burnRate, longWindowMs, shortWindowMs, ...(keepFiringForMs ? { keepFiringForMs } : {}) };
    }),
    evaluationIntervalMs: alerting.evaluationIntervalMs,
    minBadEventsToPage: alerting.minBadEventsToPage,
    absentForMs: alerting.absentForMs ?? 0,
    receivers: alerting.notifies,
    unreachable: [],
    ...(evaluator === "cloudMonitoring" && project ? { cloudMonitoringName: sloResourceName(project, service.formerly[0] ?? service.name, slo.formerly[0] ?? slo.name) } : {}),
  };
}

/** Every SLO of a plan to replay, and those that cannot be, with why. */
export function replaySlosFromPlan(plan: PlanDocument): { slos: ReplaySlo[]; skipped: NotEvaluated[] } {
  const slos: ReplaySlo[] = [];
  const skipped: NotEvaluated[] = [];
  for (const service of plan.services ?? []) {
    for (const slo of service.slos) {
      const replay = replayFromRecord(plan.project, service, slo);
      if (typeof replay === "string") skipped.push({ service: service.name, slo: slo.name, evaluator: recordedEvaluator(slo), reason: replay });
      else slos.push(replay);
    }
  }
  return { slos, skipped };
}
