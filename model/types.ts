/**
 * The normalised model's types, in one place: what a declaration becomes once
 * every default is applied and the SLO maths is done. Components, the plan and
 * the exporters read these; the builders beside this file produce them.
 */
import type { INDICATOR_KINDS, ServiceSpec, Severity, Tier, Weekday } from "../contract/serviceSchema";
import type { BurnTier, CoveredTier, OmittedTier } from "./sloMath";

/** The kinds of indicator a declaration can have, in the contract's order. */
export type IndicatorKind = (typeof INDICATOR_KINDS)[number];

/** Who evaluates an SLO's burn-rate alerts (decided in placement.ts). */
export const EVALUATORS = ["cloudMonitoring", "prometheus", "grafana"] as const;
export type Evaluator = (typeof EVALUATORS)[number];

/** Who evaluates alerts written in PromQL: Prometheus rule files, or Grafana-managed rules. */
export type PromqlEvaluator = Extract<Evaluator, "prometheus" | "grafana">;

/** Who checks an endpoint (decided in placement.ts). */
export const CHECKERS = ["cloudMonitoring", "syntheticMonitoring"] as const;
export type Checker = (typeof CHECKERS)[number];

export type RuntimeModel =
  | { kind: "cloudRun"; service: string; region: string }
  | { kind: "gke"; cluster: string; location: string; namespace: string; workload: string; selector: Record<string, string> }
  | { kind: "external" };

export type IndicatorModel =
  | { kind: "availability" }
  | { kind: "latency"; thresholdMs: number }
  | {
      kind: "uptime";
      endpoint: string;
      /**
       * When Synthetic Monitoring checks the endpoint: the counters its probes
       * write (one count per execution, one sum per success), which the SLO
       * reads as a good/total ratio, like a `prometheus` indicator.
       */
      probeSeries?: { total: string; good: string };
    }
  | { kind: "prometheus"; total?: string; bad?: string; good?: string; histogram?: string; thresholdMs?: number; boolGauge?: string }
  /** Any PromQL with `{{.window}}` for each window: the error ratio as written, or errors ÷ total. */
  | { kind: "promql"; errorRatio?: string; errors?: string; total?: string }
  | { kind: "cloudMonitoring"; total: string; good?: string; bad?: string };

/** What a rename leaves behind: earlier names (oldest first) and the id the cloud keeps. */
export interface Renamed {
  /** Earlier names, oldest first; each becomes a Pulumi alias. */
  formerly: string[];
  /** The id in Cloud Monitoring: the oldest name, which a rename never changes. */
  stableId: string;
}

export interface EndpointModel {
  name: string;
  /** Earlier names of the endpoint, oldest first. */
  formerly: string[];
  url: string;
  useSsl: boolean;
  host: string;
  /** Path with query string, as the checker requests it. */
  path: string;
  port: number;
  periodMs: number;
  timeoutMs: number;
  regions: string[];
  /** Accepted status codes; empty means any 2xx. */
  statusCodes: number[];
  /** Body text that must be present, if any. */
  contains?: string;
  /** Severity of the alert when checks fail from more than one region. */
  alertSeverity: Severity;
  /** Who checks the endpoint (placement): Cloud Monitoring uptime checks or Grafana Cloud Synthetic Monitoring. */
  checker: Checker;
  /** The Synthetic Monitoring check, when Synthetic Monitoring is the checker. */
  syntheticMonitoring?: SyntheticCheckModel;
}

/** An endpoint Synthetic Monitoring checks, with its check. */
export type SyntheticEndpoint = EndpointModel & { checker: "syntheticMonitoring"; syntheticMonitoring: SyntheticCheckModel };

/** A Synthetic Monitoring HTTP check: what it is called in its metrics and where it runs from. */
export interface SyntheticCheckModel {
  /** The check's `job`, the label of every series it writes: environment, service id and the endpoint's oldest name, which renames keep. */
  job: string;
  /** The check's target, its `instance` label: the URL. */
  target: string;
  /** Probe names, from the endpoint's regions (`monitoring-stack:grafana.syntheticMonitoring.probes`). */
  probes: string[];
}

/** A threshold alert on the service's own Prometheus metrics (`alerts[]`). */
export interface AlertRuleModel {
  /** Prometheus alert name. */
  name: string;
  expr: string;
  /** Pending period; 0 fires at the first evaluation that matches. */
  forMs: number;
  severity: Severity;
  summary: string;
  /** Who evaluates the rule (placement): Prometheus rule files or Grafana-managed alerting. */
  evaluator: PromqlEvaluator;
}

/** A weekly maintenance window: from `start` to `end` (exclusive, "HH:MM") on each of `weekdays`, in `timeZone`. */
export interface MaintenanceWindowModel {
  weekdays: Weekday[];
  start: string;
  end: string;
  /** IANA time zone, e.g. Asia/Kolkata. */
  timeZone: string;
}

/** A calendar period an SLO is evaluated over (Cloud Monitoring's DAY, WEEK, FORTNIGHT, MONTH; from midnight UTC, weeks from Monday). */
export type CalendarPeriod = "day" | "week" | "fortnight" | "month";

/**
 * How the error budget is counted: `occurrences`, good events among all
 * events; `timeslices`, good slices among all slices, a slice being good when
 * its share of good events is at least `sliceTarget`.
 */
export type BudgetingModel = { method: "occurrences" } | { method: "timeslices"; sliceMs: number; sliceTarget: number };

export interface SloModel extends Renamed {
  name: string;
  objective: number;
  /**
   * Days of the window: the rolling window, or the calendar period's nominal
   * length (day 1, week 7, fortnight 14, month 30), which the budget and the
   * burn tiers are computed for.
   */
  windowDays: number;
  windowMs: number;
  /** The calendar period, when the SLO is evaluated per calendar period instead of over a rolling window. */
  calendarPeriod?: CalendarPeriod;
  /** How the budget is counted (default occurrences). */
  budgeting: BudgetingModel;
  indicator: IndicatorModel;
  /** Error budget as a fraction (99.9 → 0.001). */
  budget: number;
  budgetMinutes: number;
  /** Tiers that are switched on for this SLO, thresholds derived for its window. */
  tiers: BurnTier[];
  /**
   * Tiers switched on but not provisioned, because another tier of the same
   * severity covers them after the windows were fitted to the backend.
   */
  coveredTiers: CoveredTier[];
  /**
   * Tiers switched on but not provisioned, because fitting left their long
   * window no longer than their short one (short SLO windows, slow checks).
   */
  omittedTiers: OmittedTier[];
  /**
   * Who evaluates the SLO and its burn-rate alerts (placement): Cloud
   * Monitoring, Prometheus rules, or Grafana-managed alerting. Its tiers are
   * fitted to what that evaluator can do.
   */
  evaluator: Evaluator;
  /** For windows-based SLIs (uptime checks, timeslices budgeting): the length of one good-or-bad window. */
  sliWindowMs?: number;
}

export interface ServiceModel extends Renamed {
  name: string;
  team: string;
  tier: Tier;
  runbook?: string;
  /** Declaration file, for messages. */
  file: string;
  /** User labels plus the labels every resource carries (service, team, tier, managed-by). */
  labels: Record<string, string>;
  runtime: RuntimeModel;
  endpoints: EndpointModel[];
  slos: SloModel[];
  /** Threshold alerts Prometheus evaluates (`alerts[]`). */
  alerts: AlertRuleModel[];
  /** Recurring maintenance windows (`maintenance[]`); empty when none are declared. */
  maintenance: MaintenanceWindowModel[];
  /** Channel names per severity: the service's own or the stack's defaults. */
  routes: Record<Severity, string[]>;
  /** The severities the service's alerts raise (placement); a route for any other notifies nobody. */
  raises: Record<Severity, boolean>;
  /** Log bucket, sinks and log-based metrics, when the service declares `logs`. */
  logs?: LogsModel;
  /** Backup and DR schedule for its Cloud SQL instance, when it declares `database.cloudSql.backups`. */
  backup?: BackupModel;
  /** Instance bounds and saturation thresholds, when it declares `scaling` (Cloud Run or GKE). */
  scaling?: ScalingModel;
  /** The declaration as written, for capabilities that read it directly (dashboard). */
  spec: ServiceSpec;
}

export type SinkDestinationModel =
  | { kind: "bigquery"; dataset: string }
  | { kind: "storage"; bucket: string; retentionDays: number }
  | { kind: "pubsub"; topic: string };

export interface LogSinkModel {
  name: string;
  /** The sink's name in Cloud Logging: `<service id>-<name>`. */
  sinkName: string;
  /** The service's entries, narrowed by the sink's own filter. */
  filter: string;
  destination: SinkDestinationModel;
}

export interface LogMetricModel {
  name: string;
  /** Log-based metric id: `<service>/<metric>`, shown in Cloud Monitoring as logging.googleapis.com/user/<id>. */
  metricId: string;
  filter: string;
  /** The same entries in Loki (LogQL log query), for Grafana-managed log alerts. */
  logql?: string;
  /** Monitored resource type of the matched entries (and so of the metric's time series), when known. */
  resourceType?: string;
  alert?: { above: number; perMs: number; severity: Severity };
  /** Where the alert is evaluated: Cloud Monitoring (default), or Loki through Grafana-managed alerting. */
  alertIn?: "loki";
}

export interface LogExclusionModel {
  name: string;
  description: string;
  filter: string;
}

export interface LogsModel {
  /** Log bucket id (the service's Cloud Monitoring id, which a rename keeps). */
  bucketId: string;
  retentionDays: number;
  /** Declared GiB of entries a month (`logs.volumeGiBPerMonth`), for the cost estimate; unknown when absent. */
  volumeGiBPerMonth?: number;
  /** Entries that belong to the service. */
  serviceFilter: string;
  /** Entries dropped before they reach any of the service's sinks. */
  exclusions: LogExclusionModel[];
  sinks: LogSinkModel[];
  metrics: LogMetricModel[];
}

export type BackupSchedule = "hourly" | "daily" | "weekly";

export interface BackupModel {
  instance: string;
  /** Project of the Cloud SQL instance. */
  project: string;
  /** Region of the instance; the vault and plan live there too. */
  region: string;
  schedule: BackupSchedule;
  /** Hour (UTC) at which the backup window opens. */
  startHour: number;
  retentionDays: number;
  pointInTimeRecovery: boolean;
  /** Days of transaction logs kept, when point-in-time recovery is on. */
  logRetentionDays?: number;
  /**
   * Days during which nobody can delete a backup (the vault's minimum enforced
   * retention): the retention, or the log retention when that is shorter,
   * because Backup and DR wants a plan's log retention at least the vault's minimum.
   */
  vaultMinimumRetentionDays: number;
  /** Time between two scheduled backups. */
  intervalMs: number;
  /** No successful backup for this long raises an alert. */
  lateAfterMs: number;
  /** Severity of backup alerts: page for the critical tier, ticket otherwise. */
  severity: Severity;
  /** Whether each completed backup is reported as info (`backups.reportCompletions`). */
  reportCompletions: boolean;
  /** Ids (Backup and DR allows lowercase letters, digits and '-'). */
  vaultId: string;
  /** Carries the log retention (`-plan-l7`), which Backup and DR cannot change on an existing plan. */
  planId: string;
  associationId: string;
  /** Log-based metric counting successful backup jobs of the instance. */
  successMetricId: string;
}

export interface ScalingModel {
  minInstances: number;
  maxInstances: number;
  /** Requests per Cloud Run instance; undefined for GKE. */
  concurrency?: number;
  cpuTargetPercent: number;
  memoryTargetPercent: number;
  /** Instance count at which "near the ceiling" fires: ⌈90 % of the maximum⌉. */
  instanceAlertAt: number;
  /** The tightest latency SLO threshold, in ms, if the service has one on its runtime's metrics. */
  latencyThresholdMs?: number;
  /** A PodDisruptionBudget is worth having only when at least two replicas always run. */
  disruptionBudget: boolean;
}

/** What a saturation alert watches: the scaling target or bound it compares against, and for how long. */
export type SaturationKey = "cpu" | "memory" | "instances" | "latency";

/** When a saturation ticket fires, derived from the scaling targets and the latency SLOs. */
export interface SaturationThreshold {
  /** Short key, part of the alert's resource name. */
  key: SaturationKey;
  /** What the alert says, e.g. "CPU above 70 % of requests for 15m". */
  title: string;
  /**
   * In the measure's own unit: a fraction (0–1) of the CPU or memory target's
   * resource, a number of instances or pods, or milliseconds of p95 latency.
   */
  threshold: number;
  /** Fires at the threshold itself ("N or more"), not only above it. */
  inclusive: boolean;
  /** How long the condition must hold before the ticket. */
  durationMs: number;
}
