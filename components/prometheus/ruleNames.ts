/**
 * The names, labels and shapes of the Prometheus rules built here: recording
 * rule names, alert names, the tier label, what every rule of an SLO carries.
 *
 * Contract: every alert carries `service`, `slo`, `severity` (page | ticket)
 * and `burn_tier` (burn-rate alerts) so no two alerts share a label set;
 * annotations carry `summary`, `budget` and `runbook_url`.
 */
import { type IndicatorModel, type ServiceModel, type SloModel } from "../../model/types";
import { type PrometheusSettings } from "../../contract/prometheusConfig";

export interface PromRule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  /** How long the alert keeps firing after its condition clears (Prometheus 2.42+, Grafana); not in Managed Prometheus' Rules. */
  keep_firing_for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface RuleGroup {
  name: string;
  /** Evaluation interval; Google Managed Prometheus requires one on every group. */
  interval: string;
  rules: PromRule[];
}

/** Recording rule names (Prometheus `level:metric:operations` convention). */
export const RECORD = {
  /** Share of bad events over a window, 0..1. */
  errorRatio: (window: string) => `slo:sli_error:ratio_rate${window}`,
  /** Events per second over a window. */
  totalRate: (window: string) => `slo:sli_total:rate${window}`,
  /** The objective as a ratio (99.9 % → 0.999). */
  objective: "slo:objective:ratio",
  /** The error budget as a ratio (99.9 % → 0.001). */
  errorBudget: "slo:error_budget:ratio",
  /** Share of the budget left over the SLO window: 1 untouched, 0 spent, below 0 overspent. */
  budgetRemaining: "slo:error_budget_remaining:ratio",
  /** Timeslices budgeting: 1 when the slice ending now is bad (its share of good events below the slice target), else 0. */
  sliceBad: (slice: string) => `slo:sli_slice_bad:bool_rate${slice}`,
} as const;

export const ALERT = { burn: "SLOErrorBudgetBurn", absent: "SLOMetricsAbsent", uptime: "UptimeCheckFailing" } as const;

/** The label that tells the tiers of one SLO apart. */
export const TIER_LABEL = "burn_tier";

/** Interval of the SLO-window group: a rate over the whole window is costly and changes slowly. */
export const BUDGET_GROUP_INTERVAL_MS = 150_000;

export type PrometheusIndicator = Extract<IndicatorModel, { kind: "prometheus" }>;
/** A `promql` indicator: any PromQL over each window. */
export type WindowedIndicator = Extract<IndicatorModel, { kind: "promql" }>;
/** What the rules read an SLI from: series selectors, or queries over each window. */
export type PromqlSli = PrometheusIndicator | WindowedIndicator;

/** The labels every rule of an SLO carries. */
export function sloLabels(service: ServiceModel, slo: SloModel): Record<string, string> {
  return { service: service.name, slo: slo.name };
}

export interface RuleContext {
  settings: PrometheusSettings;
  /** Link to the service's dashboard, if dashboards are provisioned. */
  dashboardUrl?: string;
  /**
   * How burn-rate alerts read the SLI: `recorded`, the series of the SLO's
   * recording rules (default); `inline`, the ratio expressions themselves, for
   * an evaluator that does not load those recording rules (Grafana-managed alerting).
   */
  sli?: "recorded" | "inline";
}
