/**
 * What a stack's monitoring costs a month at list prices (model/prices.ts):
 * first the billable quantities each service creates (usage, recorded in
 * plan.json so a diff can price two plans alike), then those quantities
 * priced, with every assumption said in words.
 */
import { checkerLocations } from "../contract/serviceSchema";
import { burnRatePolicyCount, serviceCounts } from "./resourceCount";
import { PRICE_SOURCES, SCHEDULED_ALERTING, type PriceList } from "./prices";
import type { ServiceModel } from "./types";
import { endpointsCheckedBy, readsPromql, slosEvaluatedBy, syntheticEndpoints } from "./placement";

/** Bytes one log-based counter point takes when billed (an INT64 or DOUBLE value). */
const POINT_BYTES = 8;
/** Log-based metrics are written once a minute per time series. */
const POINTS_PER_DAY = 1440;

/** The billable quantities of one service, per month-independent unit where possible. */
export interface ServiceUsage {
  /** Uptime-check executions a day: one per checker location per period, summed over endpoints. */
  uptimeCheckExecutionsPerDay: number;
  /** Whether the service has its own log bucket (it declares `logs`). */
  logBucket: boolean;
  /** Declared GiB of log entries a month (`logs.volumeGiBPerMonth`); null when not declared. */
  logGiBPerMonth: number | null;
  /** Retention of its log bucket in days (0 without a bucket). */
  logRetentionDays: number;
  /** User-defined log-based metrics (declared ones and the backup success counter). */
  userLogMetrics: number;
  /** Conditions in its alert policies that reference a metric, not counting uptime-check policies (never charged). */
  alertingMetricReferences: number;
  /** A Backup and DR vault holds its database's backups. */
  backupVault: boolean;
  /** SLOs or alerts Prometheus evaluates (Managed Prometheus samples are not estimated). */
  prometheusRules: boolean;
  /**
   * Synthetic Monitoring test executions a day (one per probe per check run),
   * billed by Grafana Cloud, not Google; absent when no endpoint is checked there.
   */
  syntheticExecutionsPerDay?: number;
  /** Destinations of its log sinks, one entry per sink (`bigquery`, `storage`, `pubsub`); absent without sinks. */
  exportSinks?: string[];
  /** Its dashboard reads Cloud Monitoring (SLO selectors, Cloud Run or uptime-check metrics) through the Monitoring API; absent when it does not. */
  dashboardReadsCloudMonitoring?: true;
}

/** What plan.json records: the project (free allotments are per project) and each service's usage. */
export interface StackUsage {
  project: string;
  services: Record<string, ServiceUsage>;
}

export function serviceUsage(service: ServiceModel): ServiceUsage {
  const counts = serviceCounts(service);
  const burnPolicies = burnRatePolicyCount(service);
  // Burn-rate policies hold two conditions; every other policy one; uptime policies are never charged.
  const references = burnPolicies * 2 + (counts.alertPolicies - burnPolicies - counts.uptimeChecks);
  const cloud = endpointsCheckedBy(service, "cloudMonitoring");
  const synthetic = syntheticEndpoints(service).reduce((sum, e) => sum + (86_400_000 / e.periodMs) * e.syntheticMonitoring.probes.length, 0);
  const sinks = (service.logs?.sinks ?? []).map((sink) => sink.destination.kind);
  const readsCloudMonitoring = slosEvaluatedBy(service, "cloudMonitoring").length > 0 || service.runtime.kind === "cloudRun" || cloud.length > 0;
  return {
    uptimeCheckExecutionsPerDay: cloud.reduce((sum, e) => sum + (86_400_000 / e.periodMs) * checkerLocations(e.regions), 0),
    logBucket: service.logs !== undefined,
    logGiBPerMonth: service.logs?.volumeGiBPerMonth ?? null,
    logRetentionDays: service.logs?.retentionDays ?? 0,
    userLogMetrics: counts.logMetrics,
    alertingMetricReferences: references,
    backupVault: service.backup !== undefined,
    prometheusRules: service.alerts.length > 0 || service.slos.some(readsPromql),
    ...(synthetic > 0 ? { syntheticExecutionsPerDay: synthetic } : {}),
    ...(sinks.length > 0 ? { exportSinks: sinks } : {}),
    ...(readsCloudMonitoring ? { dashboardReadsCloudMonitoring: true as const } : {}),
  };
}

export function stackUsage(project: string, services: readonly ServiceModel[]): StackUsage {
  return { project, services: Object.fromEntries(services.map((service) => [service.name, serviceUsage(service)])) };
}

export interface CostLine {
  item: string;
  /** USD a month. */
  monthly: number;
  /** How the figure is made, in words. */
  basis: string;
}

/** An item of the bill the estimate has no figure for: what it is, and why (no volume, no price). */
export interface UnpricedLine {
  item: string;
  /** Why there is no figure, with the unit price when there is one. */
  reason: string;
}

export interface ServiceEstimate {
  service: string;
  lines: CostLine[];
  /** USD a month at list price, before free allotments. */
  total: number;
  /** USD a month per GiB of logs a month, when the service has a log bucket but declares no volume. */
  perLogGiB?: number;
  /** Every other item of the service's bill: not estimated, each with the reason. */
  notEstimated: UnpricedLine[];
}

/** "$1,234.56"; amounts under a cent as "< $0.01". */
export function formatUsd(amount: number): string {
  if (amount !== 0 && Math.abs(amount) < 0.005) return amount < 0 ? "−< $0.01" : "< $0.01";
  const text = Math.abs(amount).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return `${amount < 0 ? "−" : ""}$${text}`;
}

/** A unit price with the decimals it has: "$0.258", "$0.01", "$0.30". */
export function formatPrice(price: number): string {
  const decimals = Math.min(6, Math.max(2, (String(price).split(".")[1] ?? "").length));
  return `$${price.toFixed(decimals)}`;
}

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** Storage beyond the included days in steady state: GiB-months held beyond them per GiB ingested a month. */
function retainedMonthsPerGiB(retentionDays: number, prices: PriceList): number {
  return Math.max(0, retentionDays - prices.values.logIncludedRetentionDays) / prices.monthDays;
}

export function estimateService(name: string, usage: ServiceUsage, prices: PriceList): ServiceEstimate {
  const p = prices.values;
  const lines: CostLine[] = [];
  const notEstimated: UnpricedLine[] = [];
  if (usage.uptimeCheckExecutionsPerDay > 0) {
    const executions = usage.uptimeCheckExecutionsPerDay * prices.monthDays;
    lines.push({
      item: "uptime checks",
      monthly: (executions / 1000) * p.uptimeCheckPer1000Executions,
      basis: `${Math.round(executions).toLocaleString("en-US")} executions × ${formatPrice(p.uptimeCheckPer1000Executions)} per 1,000`,
    });
  }
  let perLogGiB: number | undefined;
  if (usage.logBucket) {
    const perGiB = p.logIngestionPerGiB + retainedMonthsPerGiB(usage.logRetentionDays, prices) * p.logRetentionPerGiBMonth;
    if (usage.logGiBPerMonth === null) {
      perLogGiB = perGiB;
    } else {
      const gib = usage.logGiBPerMonth;
      lines.push({ item: "log ingestion", monthly: gib * p.logIngestionPerGiB, basis: `${gib} GiB declared × ${formatPrice(p.logIngestionPerGiB)} per GiB` });
      const retained = gib * retainedMonthsPerGiB(usage.logRetentionDays, prices);
      if (retained > 0) {
        lines.push({
          item: "log retention",
          monthly: retained * p.logRetentionPerGiBMonth,
          basis: `${round(retained)} GiB-months kept beyond ${p.logIncludedRetentionDays} d (retention ${usage.logRetentionDays} d) × ${formatPrice(p.logRetentionPerGiBMonth)}`,
        });
      }
    }
    // The project's _Default sink still routes the same entries to the _Default bucket: ingested and billed a second time.
    if (usage.logGiBPerMonth === null) {
      notEstimated.push({ item: "the same logs in the _Default bucket", reason: `no volume declared in logs.volumeGiBPerMonth; ${formatPrice(p.logIngestionPerGiB)} per GiB again, as the project's _Default sink stores them too` });
    } else {
      lines.push({
        item: "the same logs in the _Default bucket",
        monthly: usage.logGiBPerMonth * p.logIngestionPerGiB,
        basis: `${usage.logGiBPerMonth} GiB again × ${formatPrice(p.logIngestionPerGiB)}: the project's _Default sink stores them too`,
      });
    }
  }
  for (const kind of usage.exportSinks ?? []) {
    notEstimated.push({ item: `export to ${SINK_BILLED_BY[kind] ?? kind}`, reason: `volume not known; billed by ${SINK_BILLED_BY[kind] ?? kind} at prices not in model/prices.ts` });
  }
  if (usage.userLogMetrics > 0) {
    const mib = (usage.userLogMetrics * POINTS_PER_DAY * prices.monthDays * POINT_BYTES) / 2 ** 20;
    lines.push({ item: "log-based metrics", monthly: mib * p.metricPerMiB, basis: `${plural(usage.userLogMetrics, "metric")}, ${round(mib)} MiB × ${formatPrice(p.metricPerMiB)} per MiB` });
  }
  if (usage.alertingMetricReferences > 0) {
    lines.push({
      item: "alerting",
      monthly: usage.alertingMetricReferences * p.alertingPerMetricReference,
      basis:
        p.alertingPerMetricReference === 0 && !prices.overridden.includes("alertingPerMetricReference")
          ? `${plural(usage.alertingMetricReferences, "metric reference")}, not charged before ${SCHEDULED_ALERTING.notBefore}; then ${formatUsd(usage.alertingMetricReferences * SCHEDULED_ALERTING.perMetricReference)}`
          : `${plural(usage.alertingMetricReferences, "metric reference")} × ${formatPrice(p.alertingPerMetricReference)}`,
    });
  }
  if (usage.backupVault) notEstimated.push({ item: "backup storage", reason: `size of the backups not known; ${formatPrice(p.backupStoragePerGiBMonth)} per GiB-month kept` });
  if (usage.syntheticExecutionsPerDay) {
    const executions = Math.round(usage.syntheticExecutionsPerDay * prices.monthDays).toLocaleString("en-US");
    notEstimated.push({ item: "Synthetic Monitoring", reason: `${executions} test executions a month and the series they write, billed by Grafana Cloud at prices not in model/prices.ts` });
  }
  if (usage.prometheusRules) notEstimated.push({ item: "Managed Prometheus samples", reason: `scraped series not known; ${formatPrice(p.prometheusPerMillionSamples)} per million samples` });
  if (usage.dashboardReadsCloudMonitoring) {
    notEstimated.push({ item: "dashboard reads of Cloud Monitoring", reason: "depends on how often the dashboard is open; the Monitoring API bills time series returned beyond the billing account's free allotment" });
  }
  return {
    service: name,
    lines,
    total: lines.reduce((sum, line) => sum + line.monthly, 0),
    ...(perLogGiB !== undefined ? { perLogGiB } : {}),
    notEstimated,
  };
}

export interface StackEstimate {
  services: ServiceEstimate[];
  /**
   * USD a month, every service at list price. Free allotments are not taken
   * off: each has its own scope (the project, shared by every stack that
   * targets it; or the billing account), never one stack.
   */
  listTotal: number;
  /** This stack's uptime-check executions a month, which count against the project's free allotment with every other stack's. */
  uptimeExecutionsPerMonth: number;
  /** Services whose log volume is unknown, with their price per GiB. */
  undeclaredLogs: { service: string; perGiB: number }[];
  assumptions: string[];
}

export function estimateStack(usage: StackUsage, prices: PriceList): StackEstimate {
  const services = Object.entries(usage.services)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, u]) => estimateService(name, u, prices));
  const listTotal = services.reduce((sum, s) => sum + s.total, 0);
  return {
    services,
    listTotal,
    uptimeExecutionsPerMonth: uptimeExecutionsPerMonth(usage, prices),
    undeclaredLogs: services.filter((s) => s.perLogGiB !== undefined).map((s) => ({ service: s.service, perGiB: s.perLogGiB! })),
    assumptions: assumptions(usage.project, prices),
  };
}

/** Uptime-check executions a month of one stack's usage. */
export function uptimeExecutionsPerMonth(usage: StackUsage, prices: PriceList): number {
  return Object.values(usage.services).reduce((sum, u) => sum + u.uptimeCheckExecutionsPerDay, 0) * prices.monthDays;
}

/**
 * Uptime checks priced per project, with its free allotment applied once for
 * every stack that targets the project (`npm run stacks -- check`).
 */
export function projectUptimeEstimate(executionsPerMonth: number, prices: PriceList): { executions: number; free: number; monthly: number } {
  const free = Math.min(executionsPerMonth, prices.values.uptimeCheckFreeExecutionsPerProject);
  return { executions: executionsPerMonth, free, monthly: ((executionsPerMonth - free) / 1000) * prices.values.uptimeCheckPer1000Executions };
}

/** Who bills an export sink's destination. */
const SINK_BILLED_BY: Record<string, string> = { bigquery: "BigQuery", storage: "Cloud Storage", pubsub: "Pub/Sub" };

/** What every estimate assumes, in words. */
export function assumptions(project: string, prices: PriceList): string[] {
  const p = prices.values;
  return [
    `List prices in USD read ${PRICE_SOURCES.logIngestionPerGiB.read} from ${PRICE_SOURCES.logIngestionPerGiB.source}${prices.overridden.length ? `, except ${prices.overridden.join(", ")} from the --prices file` : ""}; a ${prices.monthDays}-day month; taxes and discounts not included.`,
    `Uptime checks: one execution per checker location per period (all regions: 6 locations; USA counts 3). The first ${p.uptimeCheckFreeExecutionsPerProject.toLocaleString("en-US")} executions a month are free per project (${project}), shared by every stack that targets it: not taken off here; \`npm run stacks -- check\` applies them once per project.`,
    `Logs: ${formatPrice(p.logIngestionPerGiB)} per GiB streamed into the service's bucket (${p.logIncludedRetentionDays} days of storage included), then ${formatPrice(p.logRetentionPerGiBMonth)} per GiB-month kept longer, and ${formatPrice(p.logIngestionPerGiB)} per GiB again for the same entries in the project's _Default bucket, which still receives them. Volume is what the service declares in logs.volumeGiBPerMonth; without it the price per GiB is shown. The project's ${p.logFreeGiBPerProject} GiB free a month is per project: not taken off here.`,
    `Log-based metrics: one time series each, one ${POINT_BYTES}-byte point a minute, at ${formatPrice(p.metricPerMiB)} per MiB; the ${p.metricFreeMiBPerBillingAccount} MiB free a month is per billing account (the whole account shares it): not taken off here.`,
    `Alerting: ${p.alertingPerMetricReference === 0 ? `not charged today; Google announced ${formatPrice(SCHEDULED_ALERTING.perMetricReference)} a month per metric reference starting no sooner than ${SCHEDULED_ALERTING.notBefore}` : `${formatPrice(p.alertingPerMetricReference)} a month per metric reference`} (each condition counts as one; uptime-check policies are never charged; points returned are not estimated).`,
  ];
}

function round(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString("en-US") : String(Math.round(value * 100) / 100);
}
