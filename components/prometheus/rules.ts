/**
 * Prometheus rules for `prometheus` indicators, as plain data: recording rules
 * for the error ratio (and traffic) over every window the tiers use, metadata
 * rules for dashboards (objective, error budget, budget remaining over the SLO
 * window), one multiwindow burn-rate alert per tier with the model's
 * thresholds, and an alert when the SLI's metrics are absent.
 *
 * Contract: every alert carries `service`, `slo`, `severity` (page | ticket)
 * and `burn_tier` (burn-rate alerts) so no two alerts share a label set;
 * annotations carry `summary`, `budget` and `runbook_url`.
 */
import { stringify } from "yaml";
import { budgetText, burnAlertDocumentation, describeIndicator, objectiveText, tierCondition } from "../../model/explain";
import type { IndicatorModel, ServiceModel, SloModel, SyntheticEndpoint } from "../../model/types";
import { absentForMs, type BurnTier } from "../../model/sloMath";
import { formatDuration } from "../../contract/duration";
import type { PrometheusSettings } from "../../contract/prometheusConfig";
import { durationSeconds, labelMatchers, leMatcher, promDuration, promNumber, withMatchers } from "./promql";
import { readsPromql, syntheticEndpoints } from "../../model/placement";

export interface PromRule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
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

type PrometheusIndicator = Extract<IndicatorModel, { kind: "prometheus" }>;

/** SLOs whose SLI is a PromQL query: Prometheus or Grafana-managed alerting evaluates the rules built here. */
export function prometheusSlos(service: ServiceModel): SloModel[] {
  return service.slos.filter(readsPromql);
}

/**
 * The SLO's indicator as a Prometheus ratio: a `prometheus` indicator as
 * declared; an uptime indicator on a Synthetic Monitoring check as the
 * successful executions (probe_all_success_sum) out of all (…_count).
 */
function indicatorOf(slo: SloModel): PrometheusIndicator {
  if (slo.indicator.kind === "uptime" && slo.indicator.probeSeries) return { kind: "prometheus", ...slo.indicator.probeSeries };
  if (slo.indicator.kind !== "prometheus") throw new Error(`SLO ${slo.name} has no prometheus indicator`);
  return slo.indicator;
}

/** Every window the SLO's tiers use, shortest first, in milliseconds. */
export function tierWindows(slo: SloModel): number[] {
  return [...new Set(slo.tiers.flatMap((tier) => [tier.longWindowMs, tier.shortWindowMs]))].sort((a, b) => a - b);
}

/** Samples of a 0/1 gauge over `window`: each sample is one event. */
function gaugeSamples(selector: string, window: string): string {
  return `sum(count_over_time(${selector}[${window}]))`;
}

/** Events per second over `window`: total requests, the +Inf bucket of a histogram, or a 0/1 gauge's samples. */
export function totalRateExpr(indicator: PrometheusIndicator, window: string): string {
  if (indicator.boolGauge) return `${gaugeSamples(indicator.boolGauge, window)} / ${promNumber(durationSeconds(window))}`;
  if (indicator.histogram) return `sum(rate(${withMatchers(indicator.histogram, 'le="+Inf"')}[${window}]))`;
  return `sum(rate(${indicator.total!}[${window}]))`;
}

/**
 * Share of bad events over `window`. A missing bad series means no errors yet
 * (counts as 0); a missing good series or threshold bucket is a mistake, so it
 * leaves the ratio empty and the absent alert says so instead of paging.
 */
export function errorRatioExpr(indicator: PrometheusIndicator, window: string): string {
  if (indicator.boolGauge) {
    // Bad samples: samples minus the sum of their values (a 0 adds nothing), as Pyrra counts them.
    const samples = gaugeSamples(indicator.boolGauge, window);
    return `(${samples} - sum(sum_over_time(${indicator.boolGauge}[${window}]))) / ${samples}`;
  }
  const total = totalRateExpr(indicator, window);
  if (indicator.histogram) {
    return `1 - sum(rate(${withMatchers(indicator.histogram, leMatcher(indicator.thresholdMs!))}[${window}])) / ${total}`;
  }
  if (indicator.bad) return `(sum(rate(${indicator.bad}[${window}])) or vector(0)) / ${total}`;
  return `(${total} - sum(rate(${indicator.good!}[${window}]))) / ${total}`;
}

/** Series that must exist for the SLI to be computed at all. */
export function requiredSeries(indicator: PrometheusIndicator): string[] {
  if (indicator.boolGauge) return [indicator.boolGauge];
  if (indicator.histogram) return [withMatchers(indicator.histogram, 'le="+Inf"'), withMatchers(indicator.histogram, leMatcher(indicator.thresholdMs!))];
  return indicator.good ? [indicator.total!, indicator.good] : [indicator.total!];
}

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

/** The SLI of an SLO over a window, as a burn-rate condition reads it (see RuleContext.sli). */
export function sliSeries(service: ServiceModel, slo: SloModel, context: Pick<RuleContext, "sli"> & { settings?: Pick<PrometheusSettings, "evaluationInterval"> }): { errorRatio: (window: string) => string; totalRate: (window: string) => string } {
  if (context.sli === "inline") {
    const indicator = indicatorOf(slo);
    const slices = slo.budgeting;
    if (slices.method === "timeslices") {
      // The recorded series is a sample per evaluation; inline, a subquery takes the same samples.
      const step = context.settings?.evaluationInterval;
      if (step === undefined) throw new Error(`SLO ${slo.name}: inline timeslice ratios need the evaluation interval`);
      const bad = sliceBadExpr(indicator, slices.sliceMs, slices.sliceTarget);
      return { errorRatio: (window) => `avg_over_time((${bad})[${window}:${step}])`, totalRate: (window) => `(${totalRateExpr(indicator, window)})` };
    }
    return { errorRatio: (window) => `(${errorRatioExpr(indicator, window)})`, totalRate: (window) => `(${totalRateExpr(indicator, window)})` };
  }
  const select = labelMatchers(sloLabels(service, slo));
  return { errorRatio: (window) => `${RECORD.errorRatio(window)}${select}`, totalRate: (window) => `${RECORD.totalRate(window)}${select}` };
}

/**
 * Timeslices budgeting: 1 when the slice of `sliceMs` ending at the evaluation
 * is bad, its share of good events below `sliceTarget`, else 0. A slice without
 * events (0 ÷ 0) compares false and counts as good.
 */
export function sliceBadExpr(indicator: PrometheusIndicator, sliceMs: number, sliceTarget: number): string {
  return `(1 - (${errorRatioExpr(indicator, promDuration(sliceMs))})) < bool ${promNumber(sliceTarget)}`;
}

export function burnAlert(service: ServiceModel, slo: SloModel, tier: BurnTier, context: RuleContext): PromRule {
  const labels = sloLabels(service, slo);
  const sli = sliSeries(service, slo, context);
  const long = promDuration(tier.longWindowMs);
  const short = promDuration(tier.shortWindowMs);
  const threshold = `(${promNumber(tier.burnRate)} * ${promNumber(slo.budget)})`;
  const conditions = [`${sli.errorRatio(long)} > ${threshold}`, `${sli.errorRatio(short)} > ${threshold}`];
  const guard = context.settings.minBadEventsToPage;
  // With timeslices the ratio is a share of bad slices, not of events: the low-traffic guard (bad events) does not apply.
  if (tier.severity === "page" && guard > 0 && slo.budgeting.method === "occurrences") {
    // Low-traffic guard: bad events in the long window = error ratio × events per second × seconds.
    conditions.push(`${sli.errorRatio(long)} * ${sli.totalRate(long)} * ${tier.longWindowMs / 1000} >= ${guard}`);
  }
  return {
    alert: ALERT.burn,
    expr: conditions.join("\nand\n"),
    labels: { ...labels, team: service.team, severity: tier.severity, [TIER_LABEL]: tier.name },
    annotations: {
      summary: `${service.name} ${slo.name}: error budget burning (${tier.name}, ${tierCondition(tier)})`,
      description: burnAlertDocumentation(service, slo, tier),
      budget: budgetText(slo),
      ...(service.runbook ? { runbook_url: service.runbook } : {}),
      ...(context.dashboardUrl ? { dashboard: context.dashboardUrl } : {}),
    },
  };
}

export function absentAlert(service: ServiceModel, slo: SloModel, context: RuleContext): PromRule {
  const series = requiredSeries(indicatorOf(slo));
  const absentFor = absentForMs(slo.tiers);
  return {
    alert: ALERT.absent,
    // count() folds the absent() results (which carry the selectors' labels) into one alert per SLO.
    expr: `count(\n  ${series.map((selector) => `absent(${selector})`).join("\n  or\n  ")}\n)`,
    for: promDuration(absentFor),
    labels: { ...sloLabels(service, slo), team: service.team, severity: "ticket" },
    annotations: {
      summary: `${service.name} ${slo.name}: SLI metrics absent for ${formatDuration(absentFor)}; the SLO and its burn-rate alerts are blind`,
      description: [
        `Prometheus has no series for ${series.join(" or ")}.`,
        slo.indicator.kind === "uptime"
          ? `Check that the Synthetic Monitoring check of ${slo.indicator.endpoint} exists, is enabled and its probes are online.`
          : "Check that the workload is scraped and the selector in the declaration matches its metrics" +
            (indicatorOf(slo).histogram ? "; for a latency SLO, that the threshold is one of the histogram's bucket boundaries." : "."),
        `Indicator: ${describeIndicator(slo.indicator)}; objective ${objectiveText(slo)}.`,
      ].join("\n"),
      budget: budgetText(slo),
      ...(service.runbook ? { runbook_url: service.runbook } : {}),
      ...(context.dashboardUrl ? { dashboard: context.dashboardUrl } : {}),
    },
  };
}

/**
 * The two groups of one SLO. `<service>-<slo>-alerts`: the SLI recordings of
 * every tier window, then the alerts that read them. Prometheus evaluates the
 * rules of a group one after another at the same timestamp, so each alert
 * reads this evaluation's recordings; in separate groups, which run on their
 * own schedules, it could read values one interval old and fire one interval
 * later. (The group keeps the name the alerts had, so Prometheus carries their
 * state over a rule update.) `<service>-<slo>-budget`: the SLO-window metadata
 * for dashboards, no alert reads it, evaluated at most every 150 s.
 */
export function sloRuleGroups(service: ServiceModel, slo: SloModel, context: RuleContext): RuleGroup[] {
  const prefix = `${service.name}-${slo.name}`;
  const interval = context.settings.evaluationInterval;
  const budgetInterval = formatDuration(Math.max(BUDGET_GROUP_INTERVAL_MS, parseIntervalMs(interval)));
  return [
    { name: `${prefix}-alerts`, interval, rules: [...sliRecordings(service, slo), ...sloAlerts(service, slo, context)] },
    { name: `${prefix}-budget`, interval: budgetInterval, rules: budgetRecordings(service, slo) },
  ];
}

/**
 * Error ratio and traffic over every window the SLO's tiers use, shortest
 * first. With timeslices budgeting, first whether the slice ending now is
 * bad; the error ratio over a window is then the share of bad slices in it
 * (the average of those samples), which is what the budget counts.
 */
export function sliRecordings(service: ServiceModel, slo: SloModel): PromRule[] {
  const indicator = indicatorOf(slo);
  const labels = sloLabels(service, slo);
  const slices = slo.budgeting;
  const sliceRecords: PromRule[] = slices.method === "timeslices" ? [{ record: RECORD.sliceBad(promDuration(slices.sliceMs)), expr: sliceBadExpr(indicator, slices.sliceMs, slices.sliceTarget), labels }] : [];
  return [
    ...sliceRecords,
    ...tierWindows(slo).flatMap((ms) => {
      const window = promDuration(ms);
      return [
        { record: RECORD.errorRatio(window), expr: windowErrorRatioExpr(service, slo, window), labels },
        { record: RECORD.totalRate(window), expr: totalRateExpr(indicator, window), labels },
      ];
    }),
  ];
}

/** What `slo:sli_error:ratio_rate<window>` records: the share of bad events, or with timeslices the share of bad slices. */
export function windowErrorRatioExpr(service: ServiceModel, slo: SloModel, window: string): string {
  const slices = slo.budgeting;
  if (slices.method === "timeslices") return `avg_over_time(${RECORD.sliceBad(promDuration(slices.sliceMs))}${labelMatchers(sloLabels(service, slo))}[${window}])`;
  return errorRatioExpr(indicatorOf(slo), window);
}

/** One burn-rate alert per tier, then the absent alert. */
export function sloAlerts(service: ServiceModel, slo: SloModel, context: RuleContext): PromRule[] {
  return [...slo.tiers.map((tier) => burnAlert(service, slo, tier, context)), absentAlert(service, slo, context)];
}

/** Objective, error budget, error ratio over the SLO window and the budget left, for dashboards. */
export function budgetRecordings(service: ServiceModel, slo: SloModel): PromRule[] {
  const labels = sloLabels(service, slo);
  const select = labelMatchers(labels);
  const sloWindow = promDuration(slo.windowMs);
  return [
    { record: RECORD.objective, expr: `vector(${promNumber(slo.objective / 100)})`, labels },
    { record: RECORD.errorBudget, expr: `vector(${promNumber(slo.budget)})`, labels },
    { record: RECORD.errorRatio(sloWindow), expr: windowErrorRatioExpr(service, slo, sloWindow), labels },
    { record: RECORD.budgetRemaining, expr: `1 - ${RECORD.errorRatio(sloWindow)}${select} / ${RECORD.errorBudget}${select}`, labels },
  ];
}

function parseIntervalMs(text: string): number {
  const match = /^([0-9]+)(s|m)$/.exec(text);
  if (!match) throw new Error(`not an evaluation interval: ${text}`);
  return Number(match[1]) * (match[2] === "s" ? 1_000 : 60_000);
}

/** Name of the group of a service's threshold alerts; SLO groups end in -alerts or -budget, so it never clashes. */
export function alertRulesGroupName(service: ServiceModel): string {
  return `${service.name}-rules`;
}

/** The service's threshold alerts (`alerts[]`) as alerting rules, labelled like the SLO alerts so Alertmanager routes them alike. */
export function alertRules(service: ServiceModel, context: RuleContext): PromRule[] {
  return service.alerts.map((alert) => ({
    alert: alert.name,
    expr: alert.expr,
    ...(alert.forMs > 0 ? { for: formatDuration(alert.forMs) } : {}),
    labels: { service: service.name, team: service.team, severity: alert.severity },
    annotations: {
      summary: alert.summary,
      description: `${alert.summary}\nCondition: ${alert.expr}${alert.forMs > 0 ? ` for ${formatDuration(alert.forMs)}` : ""}. Declared in ${service.file}.`,
      ...(service.runbook ? { runbook_url: service.runbook } : {}),
      ...(context.dashboardUrl ? { dashboard: context.dashboardUrl } : {}),
    },
  }));
}

/** Name of the group of a service's Synthetic Monitoring uptime alerts. */
export function uptimeRulesGroupName(service: ServiceModel): string {
  return `${service.name}-uptime`;
}

/** How long the uptime alert's condition must hold, as Cloud Monitoring's uptime policies wait (60 s). */
export const UPTIME_ALERT_FOR = "1m";

/**
 * The Synthetic Monitoring twin of Cloud Monitoring's uptime policy: fires
 * when the latest execution (within two check periods, so every probe
 * counts despite scheduling jitter) failed on more than one probe, for a
 * minute. One flaky probe does not page.
 */
export function uptimeAlert(service: ServiceModel, endpoint: SyntheticEndpoint, context: RuleContext): PromRule {
  const check = endpoint.syntheticMonitoring;
  const select = labelMatchers({ job: check.job, instance: check.target });
  const lookback = promDuration(Math.max(2 * endpoint.periodMs, 120_000));
  const expects = `${endpoint.statusCodes.length ? `status ${endpoint.statusCodes.join(", ")}` : "any 2xx"}${endpoint.contains ? ` and a body containing ${JSON.stringify(endpoint.contains)}` : ""}`;
  return {
    alert: ALERT.uptime,
    expr: `count by (job, instance) (last_over_time(probe_success${select}[${lookback}]) == 0) > 1`,
    for: UPTIME_ALERT_FOR,
    labels: { service: service.name, team: service.team, severity: endpoint.alertSeverity, endpoint: endpoint.name },
    annotations: {
      summary: `${service.name}: ${endpoint.name} is failing Synthetic Monitoring checks from more than one probe`,
      description: [
        `${endpoint.url} failed its latest check on more than one probe for ${UPTIME_ALERT_FOR}.`,
        `Synthetic Monitoring check ${JSON.stringify(check.job)}: every ${formatDuration(endpoint.periodMs)} from ${check.probes.join(", ")}; timeout ${formatDuration(endpoint.timeoutMs)}; expects ${expects}.`,
      ].join("\n"),
      ...(service.runbook ? { runbook_url: service.runbook } : {}),
      ...(context.dashboardUrl ? { dashboard: context.dashboardUrl } : {}),
    },
  };
}

/** Whether Prometheus (or Grafana) evaluates anything for the service: prometheus SLOs, threshold alerts, Synthetic Monitoring checks. */
export function hasPrometheusRules(service: ServiceModel): boolean {
  return prometheusSlos(service).length > 0 || service.alerts.length > 0 || syntheticEndpoints(service).length > 0;
}

/** Every group of a service: per prometheus SLO its two groups, then its threshold alerts, then its uptime alerts; none when it has none. */
export function serviceRuleGroups(service: ServiceModel, context: RuleContext): RuleGroup[] {
  const alerts = alertRules(service, context);
  const uptime = syntheticEndpoints(service).map((endpoint) => uptimeAlert(service, endpoint, context));
  return [
    ...prometheusSlos(service).flatMap((slo) => sloRuleGroups(service, slo, context)),
    ...(alerts.length ? [{ name: alertRulesGroupName(service), interval: context.settings.evaluationInterval, rules: alerts }] : []),
    ...(uptime.length ? [{ name: uptimeRulesGroupName(service), interval: context.settings.evaluationInterval, rules: uptime }] : []),
  ];
}

/** A rule file any Prometheus loads through `rule_files`; byte-identical for the same input. */
export function renderRuleFile(service: ServiceModel, groups: readonly RuleGroup[]): string {
  const header = [
    `# Prometheus rules for ${service.name} (team ${service.team}), generated by monitoring-stack from ${service.file}.`,
    "# Do not edit: change the declaration and plan again. Check with: promtool check rules FILE",
  ].join("\n");
  return `${header}\n${stringify({ groups }, { lineWidth: 0, aliasDuplicateObjects: false })}`;
}
