/**
 * What each evaluator can do, as data: the SLOs it accepts (a capability
 * check that placement runs before anything is built) and the limits its
 * burn tiers are fitted to (shortest and longest lookback, how it samples and
 * evaluates). The summary, the diff and the tier maths read these; adding an
 * evaluator is one entry here (the compiler asks for it) plus its builder
 * under components/.
 */
import { DAY_MS, round } from "../contract/duration";
import type { SliSource } from "./indicators";
import type { Evaluator, IndicatorKind } from "./types";
import {
  CLOUD_MONITORING_MAX_LOOKBACK_MS,
  MIN_SHORT_WINDOW_MS,
  cloudMonitoringMechanics,
  grafanaEvaluationIntervalMs,
  prometheusMechanics,
  syntheticMinWindowMs,
  syntheticMonitoringMechanics,
  type WindowLimits,
} from "./sloMath";

/** Cloud Monitoring accepts SLO goals up to 0.9999 (service.proto: goal must be ≤ 0.9999 in the API; Slo.yaml). */
export const MAX_CLOUD_MONITORING_OBJECTIVE = 99.99;

/** What an evaluator's tiers depend on, besides the SLO's window. */
export interface TierInputs {
  kind: IndicatorKind;
  /** Length of one SLI window for windows-based SLIs (uptime check period, timeslices' slice). */
  sliWindowMs?: number;
  /** The rule evaluation interval of the stack's PromQL rules (`monitoring-stack:prometheus.evaluationInterval`). */
  evaluationIntervalMs: number;
  /** Prometheus' sliding time slices: time from a total outage's start until a slice turns bad. */
  sliceOnsetMs: number;
}

/** An SLO as a capability check sees it. */
export interface CapabilityInput {
  kind: IndicatorKind;
  /** Where its SLI is read (model/indicators.ts). */
  source: SliSource;
  objective: number;
  calendar: boolean;
  /** The rolling window's length, where it is one. */
  windowMs?: number;
}

export interface EvaluatorTraits {
  /** In words, for the summary, the diff and the tier notes. */
  label: string;
  /** Where the SLIs it evaluates are read. */
  reads: SliSource;
  /** Highest objective (percent) it accepts, if limited. */
  maxObjective?: number;
  /** Whether it evaluates SLOs over calendar periods (PromQL ranges have none). */
  calendarPeriods: boolean;
  /** Shortest rolling SLO window it evaluates, if limited (Cloud Monitoring: whole days). */
  minWindowMs?: number;
  /** The limits its tiers are fitted to. */
  limits(inputs: TierInputs): WindowLimits;
}

export const EVALUATOR_TRAITS: Record<Evaluator, EvaluatorTraits> = {
  cloudMonitoring: {
    label: "Cloud Monitoring",
    reads: "cloudMonitoring",
    maxObjective: MAX_CLOUD_MONITORING_OBJECTIVE,
    calendarPeriods: true,
    // rollingPeriod: whole days, 1 to 30 (service.proto RequestBasedSli / ServiceLevelObjective.rolling_period).
    minWindowMs: DAY_MS,
    // Looks back at most 24 h; aligns to a minute, uptime SLOs to the check period.
    limits: ({ sliWindowMs }) => ({
      minShortWindowMs: Math.max(MIN_SHORT_WINDOW_MS, sliWindowMs ?? 0),
      maxLongWindowMs: CLOUD_MONITORING_MAX_LOOKBACK_MS,
      backend: "Cloud Monitoring",
      mechanics: cloudMonitoringMechanics(sliWindowMs),
    }),
  },
  prometheus: {
    label: "Prometheus",
    reads: "promql",
    calendarPeriods: false,
    limits: ({ sliWindowMs, evaluationIntervalMs, sliceOnsetMs }) => ({
      minShortWindowMs: Math.max(MIN_SHORT_WINDOW_MS, sliWindowMs ?? 0),
      backend: "Prometheus",
      mechanics: prometheusMechanics(evaluationIntervalMs, sliceOnsetMs),
    }),
  },
  grafana: {
    label: "Grafana-managed alerting",
    reads: "promql",
    calendarPeriods: false,
    limits: ({ kind, sliWindowMs, evaluationIntervalMs, sliceOnsetMs }) =>
      kind === "uptime" && sliWindowMs !== undefined
        ? // Synthetic Monitoring: the check period is the probes' frequency; rate() needs 2.5 of them.
          { minShortWindowMs: syntheticMinWindowMs(sliWindowMs), backend: "Grafana-managed alerting", mechanics: syntheticMonitoringMechanics(sliWindowMs, evaluationIntervalMs) }
        : {
            minShortWindowMs: Math.max(MIN_SHORT_WINDOW_MS, sliWindowMs ?? 0),
            backend: "Grafana-managed alerting",
            // Grafana runs rule groups every whole multiple of 10 s, the group's interval rounded up.
            mechanics: prometheusMechanics(grafanaEvaluationIntervalMs(evaluationIntervalMs), sliceOnsetMs),
          },
  },
};

/** The evaluator in words. */
export function evaluatorLabel(evaluator: Evaluator): string {
  return EVALUATOR_TRAITS[evaluator].label;
}

/**
 * Why `evaluator` cannot evaluate this SLO, one message per field (path
 * relative to the SLO), or none. Placement only ever picks a capable
 * evaluator for the indicator's kind; the objective and window are the SLO's own.
 */
export function capabilityProblems(evaluator: Evaluator, slo: CapabilityInput, window?: string): { path: string; message: string }[] {
  const traits = EVALUATOR_TRAITS[evaluator];
  const problems: { path: string; message: string }[] = [];
  if (traits.reads !== slo.source) {
    problems.push({ path: "indicator", message: `not evaluable by ${traits.label} (got a ${slo.kind} indicator read from ${slo.source === "promql" ? "PromQL series" : "a Cloud Monitoring SLO"}, expected one ${traits.label} reads: ${traits.reads === "promql" ? "PromQL series" : "Cloud Monitoring SLOs"})` });
  }
  if (traits.maxObjective !== undefined && slo.objective > traits.maxObjective) {
    problems.push({ path: "objective", message: `invalid value (got ${slo.objective}, expected at most ${traits.maxObjective}: ${traits.label} accepts SLO goals up to ${round(traits.maxObjective / 100, 6)})` });
  }
  if (traits.minWindowMs !== undefined && slo.windowMs !== undefined && slo.windowMs < traits.minWindowMs) {
    problems.push({
      path: "window",
      message: `not supported by ${traits.label} (got ${JSON.stringify(window)}, expected a rolling window of whole days from "1d": ${traits.label}'s rolling periods are whole days; windows below a day are for SLOs Prometheus evaluates)`,
    });
  }
  if (slo.calendar && !traits.calendarPeriods) {
    problems.push({
      path: "window",
      message: `not supported by ${traits.label} (got ${JSON.stringify(window)}, expected a rolling window like "30d": PromQL ranges look back a fixed time and have no calendar boundaries)`,
    });
  }
  return problems;
}
