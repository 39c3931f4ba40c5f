/**
 * What plan.json records about each service besides its resources: every SLO
 * of every backend (objective, window, budget, burn tiers and how fast each
 * detects a total outage) and who is notified per severity. The diff reads
 * this record, so a Prometheus-evaluated SLO (which has no Cloud Monitoring
 * resource) is compared exactly like a Cloud Monitoring one.
 */
import type { BurnSeverity } from "../contract/serviceSchema";
import { describeIndicator } from "../model/indicators";
import { readsPromql } from "../model/placement";
import { rollingWindowText } from "../model/service";
import type { BudgetingModel, EndpointModel, Evaluator, IndicatorModel, ServiceModel, SloModel } from "../model/types";
import { formatDuration } from "../contract/duration";
import type { StackSettings } from "../contract/stackConfig";
import { replaySlo } from "../backtest/fromModel";

export interface RecordedTier {
  name: string;
  severity: BurnSeverity;
  /** Burn-rate threshold both windows must exceed. */
  burnRate: number;
  longWindowMs: number;
  shortWindowMs: number;
  /** Minutes from the start of a total outage until the alert fires. */
  detectionMinutes: number;
}

/** Where a recorded SLO's data lives: a Cloud Monitoring SLO, or PromQL series (Prometheus or Grafana evaluates them). */
export type RecordedBackend = "cloudMonitoring" | "prometheus";

export interface RecordedSlo {
  name: string;
  /** Earlier names, oldest first. */
  formerly: string[];
  backend: RecordedBackend;
  /** Who evaluates a `prometheus`-backend SLO's alerts when it is not Prometheus itself: Grafana-managed alerting. Read with {@link recordedEvaluator}. */
  evaluatedBy?: "grafana";
  /** The indicator in words, as the summary shows it. */
  indicator: string;
  /**
   * What the indicator measures, independent of names a rename changes: an
   * uptime indicator names its check by the endpoint's oldest name, the id
   * the check keeps.
   */
  sli: string;
  objective: number;
  windowDays: number;
  /**
   * The window as declared: "30d" (rolling) or "calendar-month". Absent in
   * plans recorded before calendar periods existed: read as `<windowDays>d`.
   */
  window?: string;
  /**
   * How the budget is counted: "occurrences", or "timeslices 1m ≥ 0.95" (slice
   * and slice target). Absent in older plans: read as occurrences.
   */
  budgeting?: string;
  budgetMinutes: number;
  /** Burn tiers provisioned for this SLO. */
  tiers: RecordedTier[];
  /** Tiers switched on but covered by another one (absent in plans recorded before they were). */
  coveredTiers?: { name: string; coveredBy: string }[];
  /** How the evaluator evaluates the SLO's alerts and whom they reach, for the backtest (absent in plans recorded before it was). */
  alerting?: RecordedAlerting;
}

/** What the backtest replays an SLO's alerts with, besides its tiers. */
export interface RecordedAlerting {
  /** How often the evaluator evaluates the alerts. */
  evaluationIntervalMs: number;
  /** Pages need this many bad events in the tier's long window; 0: no guard. */
  minBadEventsToPage: number;
  /** How long the SLI's series may be missing before the metrics-absent ticket; absent where no such alert exists (Cloud Monitoring). */
  absentForMs?: number;
  /** Channels each severity reaches through the evaluator's router (Alertmanager reaches neither webhooks nor email without SMTP). */
  notifies: Record<BurnSeverity, string[]>;
  /** Per tier, how long the evaluator keeps its alert firing once the condition clears (`keep_firing_for`); absent where nothing is held. */
  keepFiringForMs?: Record<string, number>;
}

export interface RecordedService {
  name: string;
  /** Earlier names, oldest first. */
  formerly: string[];
  team: string;
  tier: string;
  slos: RecordedSlo[];
  /** Channels notified per severity: empty when nothing in the service raises that severity. */
  notifies: { page: string[]; ticket: string[]; info?: string[] };
}

/** The indicator with an uptime endpoint named by its oldest name, as JSON: equal before and after a rename with `formerly`. */
export function sliIdentity(indicator: IndicatorModel, endpoints: readonly Pick<EndpointModel, "name" | "formerly">[]): string {
  if (indicator.kind !== "uptime") return JSON.stringify(indicator);
  const endpoint = endpoints.find((e) => e.name === indicator.endpoint);
  return JSON.stringify({ ...indicator, endpoint: endpoint?.formerly[0] ?? indicator.endpoint });
}

/** The budgeting method as recorded: "occurrences" or "timeslices 1m ≥ 0.95". */
export function budgetingRecord(budgeting: BudgetingModel): string {
  return budgeting.method === "timeslices" ? `timeslices ${formatDuration(budgeting.sliceMs)} ≥ ${budgeting.sliceTarget}` : "occurrences";
}

/** Who evaluates a recorded SLO: the model's placement, as the record keeps it (backend, and evaluatedBy for Grafana). */
export function recordedEvaluator(slo: Pick<RecordedSlo, "backend" | "evaluatedBy">): Evaluator {
  return slo.evaluatedBy === "grafana" ? "grafana" : slo.backend;
}

/** How the SLO's alerts are evaluated and routed, as the backtest replays them. */
export function recordAlerting(service: ServiceModel, slo: SloModel, settings: StackSettings): RecordedAlerting {
  const replay = replaySlo(service, slo, settings);
  return {
    evaluationIntervalMs: replay.evaluationIntervalMs,
    minBadEventsToPage: replay.minBadEventsToPage,
    ...(readsPromql(slo) ? { absentForMs: replay.absentForMs } : {}),
    notifies: replay.receivers,
    ...(replay.tiers.some((t) => t.keepFiringForMs) ? { keepFiringForMs: Object.fromEntries(replay.tiers.flatMap((t) => (t.keepFiringForMs ? [[t.name, t.keepFiringForMs]] : []))) } : {}),
  };
}

export function recordSlo(slo: SloModel, endpoints: readonly Pick<EndpointModel, "name" | "formerly">[] = [], alerting?: RecordedAlerting): RecordedSlo {
  return {
    name: slo.name,
    formerly: slo.formerly,
    backend: readsPromql(slo) ? "prometheus" : "cloudMonitoring",
    ...(slo.evaluator === "grafana" ? { evaluatedBy: "grafana" as const } : {}),
    indicator: describeIndicator(slo.indicator),
    sli: sliIdentity(slo.indicator, endpoints),
    objective: slo.objective,
    windowDays: slo.windowDays,
    window: slo.calendarPeriod ? `calendar-${slo.calendarPeriod}` : rollingWindowText(slo.windowDays),
    budgeting: budgetingRecord(slo.budgeting),
    budgetMinutes: slo.budgetMinutes,
    tiers: slo.tiers.map((tier) => ({
      name: tier.name,
      severity: tier.severity,
      burnRate: tier.burnRate,
      longWindowMs: tier.longWindowMs,
      shortWindowMs: tier.shortWindowMs,
      detectionMinutes: tier.detectionMinutesAtTotalOutage,
    })),
    ...(slo.coveredTiers.length ? { coveredTiers: slo.coveredTiers.map(({ name, coveredBy }) => ({ name, coveredBy })) } : {}),
    ...(alerting ? { alerting } : {}),
  };
}

/** Who a service's alerts reach, per severity: its route, when it raises that severity at all. */
export function notifiedChannels(service: ServiceModel): RecordedService["notifies"] {
  const raised = service.raises;
  return {
    page: raised.page ? [...service.routes.page].sort() : [],
    ticket: raised.ticket ? [...service.routes.ticket].sort() : [],
    // Absent when the service raises no info alert, as in plans recorded before info existed.
    ...(raised.info ? { info: [...service.routes.info].sort() } : {}),
  };
}

/** A service's record; with the stack's settings, each SLO's alerting as the backtest replays it. */
export function recordService(service: ServiceModel, settings?: StackSettings): RecordedService {
  return {
    name: service.name,
    formerly: service.formerly,
    team: service.team,
    tier: service.tier,
    slos: service.slos.map((slo) => recordSlo(slo, service.endpoints, settings ? recordAlerting(service, slo, settings) : undefined)),
    notifies: notifiedChannels(service),
  };
}
