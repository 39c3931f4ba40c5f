/**
 * Contract v1 as component arguments: the fields a team writes in a service
 * declaration, shaped so that Pulumi's schema analyzer can read them (enums
 * instead of literal unions, optional objects instead of "exactly one of"
 * unions, mutable arrays) and so that another resource's output can be passed
 * where a team would pass one (the Cloud Run service, the Cloud SQL instance,
 * an endpoint URL). The loader's checks still apply: `declarationFromArgs`
 * turns resolved arguments into the raw declaration the contract parses.
 *
 * The contract (contract/serviceSchema.ts) is the source of every field: each
 * doc comment here is its description there, word for word, with "May be
 * another resource's output." before the closing sentence where the field takes
 * a `pulumi.Input`. test/contract/componentArgs.test.ts checks every field path:
 * present on both sides, same type, optionality, default and description.
 */
import type * as pulumi from "@pulumi/pulumi";
import { API_VERSION } from "../contract/serviceSchema";

/** Service tier: drives the defaults (check period, who is paged). */
export const ServiceTier = {
  /** Checked every minute; SLOs page and file tickets. */
  Critical: "critical",
  /** Checked every 5 minutes; SLOs page and file tickets. */
  Standard: "standard",
  /** Checked every 5 minutes; SLOs only file tickets. */
  Low: "low",
} as const;
export type ServiceTier = (typeof ServiceTier)[keyof typeof ServiceTier];

/** Who is told when an alert fires. */
export const AlertSeverity = {
  /** Wake someone up: the page channels. */
  Page: "page",
  /** Next business day: the ticket channels. */
  Ticket: "ticket",
  /** Reviewed once a day: the info channels, as a daily digest. */
  Info: "info",
} as const;
export type AlertSeverity = (typeof AlertSeverity)[keyof typeof AlertSeverity];

/** How often Backup and DR backs the Cloud SQL instance up. */
export const BackupSchedule = {
  /** Every few hours through the day. */
  Hourly: "hourly",
  /** Once a day, in the window that opens at `start`. */
  Daily: "daily",
  /** Once a week, on Sunday, in the window that opens at `start`. */
  Weekly: "weekly",
} as const;
export type BackupSchedule = (typeof BackupSchedule)[keyof typeof BackupSchedule];

/** How an SLO's error budget is counted. */
export const BudgetingMethod = {
  /** Good events among all events. */
  Occurrences: "occurrences",
  /** Good time slices among all slices; a slice is good when its share of good events reaches the slice target. */
  Timeslices: "timeslices",
} as const;
export type BudgetingMethod = (typeof BudgetingMethod)[keyof typeof BudgetingMethod];

/** How an SLO's error budget is counted: events, or time slices. */
export interface Budgeting {
  /** occurrences or timeslices. Required. */
  method: BudgetingMethod;
  /** With timeslices: the length of one slice, a whole number of minutes that divides a day, like "1m" or "5m". Required with timeslices. */
  slice?: string;
  /** With timeslices: the share of good events, strictly between 0 and 1, that makes a slice good, like 0.95. Required with timeslices. */
  sliceTarget?: number;
}

/** A Cloud Run service. */
export interface CloudRunRuntime {
  /** Cloud Run service name. May be another resource's output. Required. */
  service: pulumi.Input<string>;
  /** Cloud Run region, e.g. europe-west1. May be another resource's output. Required. */
  region: pulumi.Input<string>;
}

/** A workload on GKE. */
export interface GkeRuntime {
  /** GKE cluster name. May be another resource's output. Required. */
  cluster: pulumi.Input<string>;
  /** Cluster location: a region or a zone, e.g. europe-west1 or europe-west1-b. May be another resource's output. Required. */
  location: pulumi.Input<string>;
  /** Kubernetes namespace of the workload. May be another resource's output. Required. */
  namespace: pulumi.Input<string>;
  /** Deployment name of the workload. May be another resource's output. Required. */
  workload: pulumi.Input<string>;
  /** Labels of the workload's pods; its logs, PodDisruptionBudget and saturation alerts select by them. Default: { app: <workload> }. */
  selector?: Record<string, string>;
}

/** A service reachable only by URL (Cloudflare Workers, Supabase, VMs, compose hosts). */
export interface ExternalRuntime {}

/** Where the service runs: set exactly one of cloudRun, gke or external. */
export interface Runtime {
  /** The service runs on Cloud Run. */
  cloudRun?: CloudRunRuntime;
  /** The service is a workload on GKE. */
  gke?: GkeRuntime;
  /** The service is reachable only by URL (Cloudflare Workers, Supabase, VMs, compose hosts). */
  external?: ExternalRuntime;
}

/** What a passing uptime check sees. */
export interface EndpointExpect {
  /** Accepted HTTP status codes. Default: any 2xx. */
  status?: number[];
  /** Text the response body must contain, at most 1024 bytes. Default: none. */
  contains?: string;
}

/** An uptime check of one URL. */
export interface Endpoint {
  /** Endpoint name, unique within the service (a DNS label). Required. */
  name: string;
  /** Absolute http or https URL to check, without user:password@ or #fragment (uptime checks send neither, and the URL is not secret). May be another resource's output. Required. */
  url: pulumi.Input<string>;
  /** Check period: 60s, 300s, 600s or 900s, in any unit (5m is 300s). Default: 60s for critical services, 300s otherwise. */
  period?: string;
  /** Request timeout in whole seconds, 1s to 60s. Default: 10s. */
  timeout?: string;
  /** Checker regions, each once: USA, EUROPE, SOUTH_AMERICA, ASIA_PACIFIC, USA_OREGON, USA_IOWA, USA_VIRGINIA. Together they cover at least 3 checker locations: USA counts 3 (and is not listed with USA_OREGON, USA_IOWA or USA_VIRGINIA, its parts), every other region 1. Default: USA, EUROPE, SOUTH_AMERICA, ASIA_PACIFIC. */
  regions?: string[];
  /** What a passing check sees. Default: any 2xx status. */
  expect?: EndpointExpect;
  /** Earlier names of the endpoint, oldest first, after a rename; never reorder them. Default: none. */
  formerly?: string[];
}

/** Good events are requests answered faster than a threshold. */
export interface LatencyIndicator {
  /** Latency threshold, e.g. 500ms, at most 10m. Required. */
  threshold: string;
}

/** Good events are passing uptime checks of an endpoint. */
export interface UptimeIndicator {
  /** Name of one of the service's endpoints. Required. */
  endpoint: string;
}

/** Good events from the service's own Prometheus metrics: a ratio (total with bad or good), a latency (histogram with threshold) or a 0/1 gauge (boolGauge). */
export interface PrometheusIndicator {
  /** Series selector of all events, e.g. http_requests_total{job="api"}. Default: none. */
  total?: string;
  /** Series selector of bad events (with total). Default: none. */
  bad?: string;
  /** Series selector of good events (with total). Default: none. */
  good?: string;
  /** Histogram bucket series selector, e.g. http_request_duration_seconds_bucket{job="api"}. Default: none. */
  histogram?: string;
  /** Latency threshold for the histogram, one of its bucket boundaries, e.g. 300ms. Default: none. */
  threshold?: string;
  /** Series selector of a gauge that is 1 when good and 0 when bad, e.g. probe_success{job="blackbox"} or up, alone (without the other fields): every sample is an event, the bad ones the samples minus the sum of their values. Default: none. */
  boolGauge?: string;
}

/** Any PromQL evaluated over each window, {{.window}} standing for it, as Sloth writes SLIs: errorRatio, or errors with total (the error ratio is errors ÷ total). Evaluated by Prometheus rules, never by Cloud Monitoring; the low-traffic guard does not apply, since the query gives no count of failed events. */
export interface PromqlIndicator {
  /** PromQL of the share of bad events over a window, 0 to 1, with {{.window}} where the window goes (Sloth's raw error_ratio_query), e.g. 1 - avg_over_time(up{job="api"}[{{.window}}]). Default: none (then errors and total are required). */
  errorRatio?: string;
  /** PromQL of the bad events over a window, with {{.window}} (Sloth's events error_query); the error ratio is errors ÷ total. Default: none (then errorRatio is required). */
  errors?: string;
  /** PromQL of all events over the same window, with {{.window}} (Sloth's events total_query). Default: none (then errorRatio is required). */
  total?: string;
}

/** A request-based ratio of Cloud Monitoring filters: total with good or bad. */
export interface CloudMonitoringIndicator {
  /** Monitoring filter of all events, naming its metric (metric.type="…"). Required. */
  total: string;
  /** Monitoring filter of good events. Default: none (then bad is required). */
  good?: string;
  /** Monitoring filter of bad events. Default: none (then good is required). */
  bad?: string;
}

/** The runtime's own request metrics: 5xx responses are bad. */
export interface AvailabilityIndicator {}

/** What counts as a good event: set exactly one field. */
export interface Indicator {
  /** Requests not answered with 5xx, from the runtime's own request metrics (Cloud Run services). */
  availability?: AvailabilityIndicator;
  /** Requests served within a threshold, whatever their status, from the runtime's own request metrics (Cloud Run services). */
  latency?: LatencyIndicator;
  /** Check periods in which the uptime check of one of the service's endpoints passed from at least one location. */
  uptime?: UptimeIndicator;
  /** From Prometheus metrics, evaluated by Prometheus rules: a ratio (total with bad or good), a latency (histogram with threshold) or a 0/1 gauge (boolGauge). */
  prometheus?: PrometheusIndicator;
  /** Any PromQL evaluated over each window, {{.window}} standing for it, as Sloth writes SLIs: errorRatio, or errors with total (the error ratio is errors ÷ total). Evaluated by Prometheus rules, never by Cloud Monitoring; the low-traffic guard does not apply, since the query gives no count of failed events. */
  promql?: PromqlIndicator;
  /** A request-based ratio of Cloud Monitoring filters: total with good or bad. */
  cloudMonitoring?: CloudMonitoringIndicator;
}

/** Which burn-rate alerts an SLO raises. */
export interface SloAlerting {
  /** Page on fast budget burn. Default: from the tier (critical and standard page, low does not). */
  page?: boolean;
  /** File a ticket on slow budget burn. Default: true. */
  ticket?: boolean;
}

/** A service level objective. */
export interface Slo {
  /** SLO name, unique within the service (a DNS label). Required. */
  name: string;
  /** Percent of good events (or good slices, with timeslices budgeting), strictly between 0 and 100 (at most 99.99 where Cloud Monitoring evaluates it). Required. */
  objective: number;
  /** Rolling window in whole days, 1d to 30d, or, where Prometheus evaluates the SLO, in whole hours, 1h to 23h (only with burn-rate tiers that page on burns of at least 6 over distinct windows), or a calendar period (calendar-day, calendar-week, calendar-fortnight, calendar-month; periods start at midnight UTC, weeks on Monday). Default: 30d. */
  window?: string;
  /** How the error budget is counted: {method: occurrences}, good events among all events, or {method: timeslices, slice, sliceTarget}, good slices among all slices, a slice being good when its share of good events is at least sliceTarget. Not with an uptime indicator, which already counts check periods. Default: {method: occurrences}. */
  budgeting?: Budgeting;
  /** What counts as a good event: exactly one of availability, latency, uptime, prometheus, promql, cloudMonitoring. Required. */
  indicator: Indicator;
  /** Which burn-rate alerts this SLO raises. Default: from the tier. */
  alerting?: SloAlerting;
  /** Earlier names of the SLO, oldest first, after a rename; never reorder them. Default: none. */
  formerly?: string[];
}

/** Channel names for page, ticket and info alerts. */
export interface Alerting {
  /** Channels paged. Default: the stack's page route (none with MonitoredService). */
  page?: string[];
  /** Channels that get tickets. Default: the stack's ticket route (none with MonitoredService). */
  ticket?: string[];
  /** Channels that get the daily digest of info alerts. Default: the stack's info route (none with MonitoredService). */
  info?: string[];
}

/** A BigQuery dataset destination. */
export interface BigQueryDestination {
  /** Dataset id in the project. Required. */
  dataset: string;
}

/** A Cloud Storage bucket destination, created for the sink. */
export interface StorageDestination {
  /** Bucket name. Required. */
  bucket: string;
  /** Days objects are kept, 1 to 36500. Default: the log retention. */
  retentionDays?: number;
}

/** A Pub/Sub topic destination. */
export interface PubSubDestination {
  /** Topic id in the project. Required. */
  topic: string;
}

/** Where a sink exports to: set exactly one field. */
export interface SinkDestination {
  /** Export to a BigQuery dataset. */
  bigquery?: BigQueryDestination;
  /** Export to a Cloud Storage bucket, created for the sink. */
  storage?: StorageDestination;
  /** Export to a Pub/Sub topic. */
  pubsub?: PubSubDestination;
}

/** A log sink exporting the service's entries. */
export interface LogSink {
  /** Sink name, unique within the service (a DNS label). Required. */
  name: string;
  /** Logging filter narrowing the service's entries. Default: all of them. */
  filter?: string;
  /** Where the entries go: exactly one of bigquery, storage, pubsub. Required. */
  destination: SinkDestination;
}

/** When a log-based metric alerts. */
export interface LogMetricAlert {
  /** Alert when more entries than this match. Required. */
  above: number;
  /** Over this period, 1m to 1d, e.g. 5m. Required. */
  per: string;
  /** Who is told: page, ticket or info (a daily digest). Required. */
  severity: AlertSeverity;
}

/** A log-based counter metric. */
export interface LogMetric {
  /** Metric name, unique within the service (a DNS label). Required. */
  name: string;
  /** Logging filter of the entries counted, among the service's. Required. */
  filter: string;
  /** Threshold alert on the count. Default: none. */
  alert?: LogMetricAlert;
  /** The same entries in Loki, as a LogQL log query (stream selector and filters) like {app="api"} |= "failed", for stacks whose logs also go to Loki: Grafana alerts on it with the metric's alert. Default: none (Cloud Logging only). */
  logql?: string;
}

/** Log bucket retention, exclusions, sinks and log-based metrics. */
export interface Logs {
  /** Logging filter of the service's own entries; required for external services. Default: from the runtime. */
  filter?: string;
  /** Days the service's log bucket keeps entries, 1 to 3650. Default: 30. */
  retentionDays?: number;
  /** GiB of log entries the service writes a month; the plan prices its log storage with it. Default: unknown (the plan shows the price per GiB). */
  volumeGiBPerMonth?: number;
  /** Noise left out of the service's log bucket and exports: healthChecks (uptime checks, kubelet probes, load-balancer health checks). Default: none. */
  exclude?: string[];
  /** Exports of the service's entries. Default: none. */
  sinks?: LogSink[];
  /** Log-based counter metrics. Default: none. */
  metrics?: LogMetric[];
}

/** Backups of the Cloud SQL instance through Backup and DR. */
export interface Backups {
  /** How often: hourly, daily, or weekly on Sunday. Required. */
  schedule: BackupSchedule;
  /** Hour the backup window opens, HH:00 in UTC. Default: 02:00. */
  start?: string;
  /** Days each backup is kept. Required. */
  retentionDays: number;
  /** Keep transaction logs for point-in-time recovery. Default: true for critical services. */
  pointInTimeRecovery?: boolean;
  /** Report each completed backup as an info alert, in the daily digest of the info channels. Default: false. */
  reportCompletions?: boolean;
}

/** An existing Cloud SQL instance. */
export interface CloudSql {
  /** Instance name. May be another resource's output. Required. */
  instance: pulumi.Input<string>;
  /** Region of the instance; required for external services. Default: the Cloud Run region, or the GKE cluster's region. */
  region?: string;
  /** Project of the instance. Default: the project that holds the monitoring resources. */
  project?: string;
  /** Backups through Backup and DR. Default: none. */
  backups?: Backups;
}

/** The service's database. */
export interface Database {
  /** A Cloud SQL instance. Required. */
  cloudSql: CloudSql;
}

/** Instance bounds and saturation targets. */
export interface Scaling {
  /** Minimum Cloud Run instances or GKE replicas, 0 to 1000. Default: 0 on Cloud Run; on GKE 2 for critical services, 1 otherwise. */
  minInstances?: number;
  /** Maximum Cloud Run instances or GKE replicas, 1 to 1000; required on GKE. Default: 100 on Cloud Run. */
  maxInstances?: number;
  /** Concurrent requests per Cloud Run instance, 1 to 1000 (Cloud Run only). Default: 80. */
  concurrency?: number;
  /** CPU utilisation target in percent. Default: 70. */
  cpuTarget?: number;
  /** Memory utilisation target in percent. Default: 80. */
  memoryTarget?: number;
}

/** The service's Grafana dashboard. */
export interface Dashboard {
  /** Grafana folder of the dashboard (a DNS label). Default: the team. */
  folder?: string;
}

/** A threshold alert rule (PromQL) evaluated by Prometheus. */
export interface AlertRule {
  /** Prometheus alert name, e.g. HighCPUUsage, unique within the service (not SLOErrorBudgetBurn or SLOMetricsAbsent). Required. */
  name: string;
  /** PromQL condition: the alert fires for every series it returns. Required. */
  expr: string;
  /** How long the condition must hold before the alert fires, 0s to 1d in whole seconds, e.g. 5m. Default: 0s (at once). */
  for?: string;
  /** Who is told: page, ticket or info (a daily digest). Required. */
  severity: AlertSeverity;
  /** One line shown in notifications. Default: "<service>: <name>". */
  summary?: string;
}

/** A weekly maintenance window: alerts are muted where Grafana routes them. */
export interface MaintenanceWindow {
  /** Days of the week, each once, lowercase English names (monday … sunday). Required. */
  weekdays: string[];
  /** Start time, HH:MM (24 h). Required. */
  start: string;
  /** End time, exclusive: HH:MM (24 h) after start, or 24:00 for midnight. Required. */
  end: string;
  /** IANA time zone of start and end, e.g. Asia/Kolkata or UTC. Required. */
  timeZone: string;
}

/** The fields of a service declaration (contract v1); the resource name is the service name. */
export interface ServiceDeclarationArgs {
  /** The owning team: a DNS label. Required. */
  team: string;
  /** critical, standard or low: drives the defaults (check period, who is paged). Default: standard. */
  tier?: ServiceTier;
  /** Runbook URL (http or https) linked from every alert. Default: none. */
  runbook?: string;
  /** User labels copied to every resource; the keys the library sets itself (service, team, tier, …) are refused. Default: none. */
  labels?: Record<string, string>;
  /** Where the service runs: exactly one of cloudRun, gke, external. Required. */
  runtime: Runtime;
  /** Uptime checks; names unique within the service. Default: none. */
  endpoints?: Endpoint[];
  /** Service level objectives; names unique within the service. Default: none. */
  slos?: Slo[];
  /** Channel names for page, ticket and info alerts: channels the stack config defines or, with MonitoredService, keys of its channelIds. Default: the stack's routes; MonitoredService has none, so an SLO that pages or files tickets needs its channels here. */
  alerting?: Alerting;
  /** Log bucket retention, exclusions, sinks and log-based metrics. Default: none (no log bucket). */
  logs?: Logs;
  /** The Cloud SQL instance and its backups through Backup and DR. Default: none. */
  database?: Database;
  /** Instance bounds and saturation targets. Default: none. */
  scaling?: Scaling;
  /** The service's Grafana dashboard. Default: in the team's folder. */
  dashboard?: Dashboard;
  /** Threshold alert rules (PromQL) evaluated by Prometheus next to the SLO rules. Default: none. */
  alerts?: AlertRule[];
  /** Recurring maintenance windows: notifications of the service's Grafana-managed alerts are muted while one lasts. Default: none. */
  maintenance?: MaintenanceWindow[];
  /** Earlier names of the service, oldest first, after a rename; never reorder them. Default: none. */
  formerly?: string[];
}

/**
 * The raw declaration the contract parses, from resolved arguments and the
 * resource name: the same object a YAML file with these fields would hold.
 * Fields left out stay out, so the contract's defaults apply.
 */
export function declarationFromArgs(name: string, args: pulumi.Unwrap<ServiceDeclarationArgs>): Record<string, unknown> {
  return { apiVersion: API_VERSION, name, ...withoutUndefined(args as Record<string, unknown>) };
}

function withoutUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, isPlainObject(v) ? withoutUndefined(v) : Array.isArray(v) ? v.map((item) => (isPlainObject(item) ? withoutUndefined(item) : item)) : v]),
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}
