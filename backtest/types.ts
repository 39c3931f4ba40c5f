/**
 * What the backtest replays and what it reports. An SLO to replay carries
 * everything its evaluator decides with (tiers, evaluation interval, the
 * low-traffic guard, the metrics-absent hold) and whom its alerts reach after
 * routing; the model (fromModel.ts) and a plan record (plan/historySection.ts)
 * both produce it, so a stack's declarations and a plan.json replay alike.
 */
import type { BurnSeverity } from "../contract/serviceSchema";
import type { BudgetingModel, CalendarPeriod, Evaluator, IndicatorModel } from "../model/types";

export interface ReplayTier {
  name: string;
  severity: BurnSeverity;
  burnRate: number;
  longWindowMs: number;
  shortWindowMs: number;
  /**
   * How long the alert keeps firing once its condition clears (ticket tiers'
   * keep_firing_for, long window − short window), where the evaluator holds
   * it: rule files, PrometheusRule and Grafana. Absent: it resolves at the
   * first evaluation the condition no longer holds.
   */
  keepFiringForMs?: number;
}

/** Who routes an SLO's alerts, and so how notifications are grouped, repeated and inhibited. */
export type Router = "alertmanager" | "grafana" | "cloudMonitoring";

export interface ReplaySlo {
  service: string;
  slo: string;
  evaluator: Evaluator;
  /** Percent. */
  objective: number;
  /** Error budget as a fraction (99.9 → 0.001). */
  budget: number;
  windowMs: number;
  calendarPeriod?: CalendarPeriod;
  budgeting: BudgetingModel;
  indicator: IndicatorModel;
  tiers: ReplayTier[];
  /** How often the evaluator evaluates the alerts (Grafana's rounded interval; Cloud Monitoring's 60 s alignment). */
  evaluationIntervalMs: number;
  /** Pages need this many bad events in the tier's long window (PromQL evaluators; 0: no guard). */
  minBadEventsToPage: number;
  /** How long the SLI's series may be missing before the metrics-absent ticket (PromQL evaluators). */
  absentForMs: number;
  /** Channels each severity reaches through the evaluator's router. */
  receivers: Record<BurnSeverity, string[]>;
  /** Channels routed to that the router cannot reach, and why. */
  unreachable: { channel: string; reason: string }[];
  /** Cloud Monitoring's resource name of the SLO (`projects/P/services/S/serviceLevelObjectives/O`), for Cloud Monitoring SLOs. */
  cloudMonitoringName?: string;
  /**
   * The Cloud Monitoring SLO's request-based SLI as the filters it reads
   * (total, and good or bad), for recomputing it from raw metrics when the
   * SLO does not exist yet; absent when its SLI is not such a ratio.
   */
  requestFilters?: RequestFilters;
}

/** A good/total or bad/total ratio of Cloud Monitoring filters. */
export type RequestFilters = { total: string; good: string } | { total: string; bad: string };

/** The metrics-absent alert's tier name in episodes. */
export const ABSENT_TIER = "metrics-absent";

export interface Episode {
  severity: BurnSeverity;
  /** The burn tier, or `metrics-absent`. */
  tier: string;
  /** ISO 8601 UTC. */
  start: string;
  /** ISO 8601 UTC; null while still firing at the end of the history. */
  end: string | null;
  /** Already firing when the reported span began (start is the span's start). */
  firingAtStart?: boolean;
}

export interface Notification {
  receiver: string;
  severity: BurnSeverity;
  /** Messages sent to the receiver: firing and resolved. */
  count: number;
  firing: number;
  resolved: number;
}

/** Where an SLO's history came from, which says how exact the replay is. */
export type HistorySource = "raw series" | "window results" | "Cloud Monitoring burn rates" | "Cloud Monitoring raw metrics";

export interface SloResult {
  service: string;
  slo: string;
  evaluator: Evaluator;
  objective: number;
  source: HistorySource;
  /** The SLI achieved over the budget span, in percent; null when no event was counted. */
  achieved: number | null;
  /** Share of one window's error budget spent over the budget span (1 = all of it); null when no event was counted. */
  budgetSpent: number | null;
  /** What budgetSpent and achieved cover: the SLO window ending where the history ends, or the part of it the reported span covers. */
  budgetSpan: { from: string; to: string; wholeWindow: boolean };
  episodes: Episode[];
  notifications: Notification[];
  /** Why the figures are not exactly what the evaluator computed, when they are not. */
  approximate?: string;
  /** What was not checked against the evaluator itself. */
  notVerified?: string;
}

export interface NotEvaluated {
  service: string;
  slo: string;
  evaluator: Evaluator;
  reason: string;
}

export interface BacktestResult {
  /** The reported span, ISO 8601 UTC. */
  from: string;
  to: string;
  /** Where the history read for warm-up begins: the longest tier window before `from`. */
  warmUpFrom: string;
  slos: SloResult[];
  notEvaluated: NotEvaluated[];
}

/** One problem with the input: `FILE: where: what (got, expected)`. */
export class BacktestInputError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join("\n"));
  }
}
