/**
 * Grafana-managed alerting, as plain data: the stack's channels as contact
 * points, one notification policy tree (team → service → severity → channel)
 * with mute timings from the services' maintenance windows, and per service
 * the very rule groups the Prometheus backend writes (components/prometheus/rules.ts),
 * evaluated by Grafana instead:
 *
 * - alerting rules become Grafana alert rules whose query is the Prometheus
 *   rule's expression, with the same `for`, labels and annotations. Burn-rate
 *   conditions read the SLI ratios inline (RuleContext.sli = "inline"), so an
 *   alert never depends on a recording rule having been written first; a
 *   condition node fires for every series the query returns, as Prometheus does;
 * - recording rules become Grafana-managed recording rules that write the same
 *   `slo:*` series into the Prometheus data source, which the dashboards read.
 *
 * Rules are built with Grafana's published types (foundation SDK `alerting`),
 * then mapped to the provider's input shape; their uids follow Grafana's uid
 * rule (./dashboards.ts `stableUid`). What Grafana and the provider accept is
 * checked on every plan by test/components/grafana/grafanaApi.
 */
import * as alerting from "@grafana/grafana-foundation-sdk/alerting";
import * as expr from "@grafana/grafana-foundation-sdk/expr";
import * as loki from "@grafana/grafana-foundation-sdk/loki";
import * as prometheus from "@grafana/grafana-foundation-sdk/prometheus";
import type * as grafana from "@pulumiverse/grafana";
import type { ChannelConfig, StackSettings } from "../../contract/stackConfig";
import { SEVERITIES } from "../../contract/serviceSchema";
import type { LogMetricModel, MaintenanceWindowModel, ServiceModel } from "../../model/types";
import { DELIVERY } from "../../model/delivery";
import { promDuration } from "../prometheus/promql";
import { guardText } from "../prometheus/explain";
import { TIER_LABEL, type PromRule, type RuleContext } from "../prometheus/ruleNames";
import { hasPrometheusRules, serviceRuleGroups } from "../prometheus/rules";
import { serviceDashboardUid, serviceFolder, stableUid } from "./dashboards";
import { endpointsCheckedBy, slosEvaluatedBy } from "../../model/placement";

/** Grafana's uid of server-side expressions (math, reduce, threshold). */
export const EXPRESSION_DATASOURCE = "__expr__";
/** Condition of every alert rule: fires for each series the query returns, whatever its value (NaN and ±Inf included), as a Prometheus alerting rule does. */
export const ANY_SERIES = "is_number($A) || is_nan($A) || is_inf($A)";
/** How far back the query's time range reaches; the PromQL and LogQL carry their own windows. */
export const QUERY_RANGE_SECONDS = 600;
/** Labels alerts are grouped by in notifications, as the Alertmanager configuration groups them. */
export const GROUP_BY = ["alertname", "service", "slo", "severity"];

/** What the builders need from the stack besides the services. */
export interface GrafanaAlertingContext {
  environment: string;
  /** Prometheus data source uid (rules query it, recording rules write to it). */
  prometheus: string;
  /** Loki data source uid; log-based alerts are made only with one. */
  loki?: string;
  /** The stack's Grafana URL, for dashboard links. */
  grafanaUrl: string;
  /** The Prometheus settings: evaluation interval and low-traffic guard. */
  settings: StackSettings["prometheus"];
  /** Panel id of the burn-rate panel of (service, SLO) in the service's dashboard, for Grafana's dashboard link. */
  panelId?: (service: ServiceModel, slo: string) => number | undefined;
}

export function alertingContext(settings: StackSettings, panelId?: GrafanaAlertingContext["panelId"]): GrafanaAlertingContext {
  if (!settings.grafana) throw new Error("Grafana-managed alerting needs monitoring-stack:grafana");
  return {
    environment: settings.environment,
    prometheus: settings.datasources.prometheus,
    ...(settings.grafana.loki ? { loki: settings.grafana.loki } : {}),
    grafanaUrl: settings.grafana.url.replace(/\/$/, ""),
    settings: settings.prometheus,
    ...(panelId ? { panelId } : {}),
  };
}

/** A rule group for one Grafana folder, in Grafana's published shape. */
export interface GrafanaRuleGroup {
  service: ServiceModel;
  /** Folder name (the service's dashboard folder); its uid comes from the dashboards. */
  folder: string;
  group: alerting.RuleGroup & { title: string; interval: number; rules: alerting.Rule[] };
}

/** Evaluation interval in whole seconds, a multiple of 10 as Grafana requires. */
export function intervalSeconds(text: string): number {
  if (!/^([0-9]+[hms])+$/.test(text)) throw new Error(`not an evaluation interval: ${text}`);
  const unit: Record<string, number> = { h: 3600, m: 60, s: 1 };
  const seconds = [...text.matchAll(/([0-9]+)([hms])/g)].reduce((sum, [, value, u]) => sum + Number(value) * unit[u!]!, 0);
  return Math.max(10, Math.ceil(seconds / 10) * 10);
}

function promModel(refId: string, uid: string, query: string): prometheus.DataqueryBuilder {
  return new prometheus.DataqueryBuilder().expr(query).instant().refId(refId).datasource({ type: "prometheus", uid }).intervalMs(1000).maxDataPoints(43200);
}

function anySeriesCondition(): alerting.QueryBuilder {
  return new alerting.QueryBuilder("B")
    .datasourceUid(EXPRESSION_DATASOURCE)
    .relativeTimeRange({ from: 0, to: 0 })
    .model(new expr.TypeMathBuilder().expression(ANY_SERIES).refId("B").datasource({ type: EXPRESSION_DATASOURCE, uid: EXPRESSION_DATASOURCE }));
}

/** The title (Grafana's alertname): the Prometheus alert name, then what tells the rule apart. */
export function ruleTitle(rule: PromRule): string {
  const labels = rule.labels ?? {};
  return [rule.alert ?? rule.record, labels["service"], labels["slo"], labels[TIER_LABEL], labels["endpoint"]].filter((part) => part).join(" ");
}

/** A Prometheus alerting rule evaluated by Grafana: same query, pending period, labels and annotations. */
export function alertRule(service: ServiceModel, group: string, rule: PromRule, ctx: GrafanaAlertingContext): alerting.Rule {
  const labels = rule.labels ?? {};
  const slo = service.slos.find((s) => s.name === labels["slo"]);
  const panel = slo ? ctx.panelId?.(service, slo.name) : undefined;
  // An endpoint's rule keeps its uid through renames: the endpoint's oldest name.
  const endpoint = service.endpoints.find((e) => e.name === labels["endpoint"]);
  return new alerting.RuleBuilder(ruleTitle(rule))
    .uid(
      stableUid(
        ctx.environment,
        service.stableId,
        ...(slo ? [slo.stableId] : []),
        rule.alert!,
        ...(labels[TIER_LABEL] ? [labels[TIER_LABEL]] : []),
        ...(endpoint ? [endpoint.formerly[0] ?? endpoint.name] : []),
      ),
    )
    .ruleGroup(group)
    .withQuery(new alerting.QueryBuilder("A").datasourceUid(ctx.prometheus).relativeTimeRange({ from: QUERY_RANGE_SECONDS, to: 0 }).model(promModel("A", ctx.prometheus, rule.expr)))
    .withQuery(anySeriesCondition())
    .condition("B")
    .forDuration(rule.for ?? "0s")
    .keepFiringFor(goDuration(rule.keep_firing_for ?? "0s"))
    // The conditions return no series while all is well: that is OK, not NoData. A failing query raises DatasourceError.
    .noDataState("OK")
    .execErrState("Error")
    .labels({ ...labels })
    .annotations({
      ...(rule.annotations ?? {}),
      ...(panel !== undefined ? { __dashboardUid__: serviceDashboardUid(service, ctx.environment), __panelId__: String(panel) } : {}),
    })
    .build();
}

/**
 * A Prometheus duration ("2d18h") as a Go duration ("66h"): the provider parses
 * `for` and `keep_firing_for` with go-openapi strfmt's ParseDuration, which
 * knows no days in a compound duration.
 */
export function goDuration(promDuration: string): string {
  const unit: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };
  const ms = [...promDuration.matchAll(/([0-9]+)(ms|s|m|h|d|w|y)/g)].reduce((sum, [, value, u]) => sum + Number(value) * unit[u!]!, 0);
  const parts: [number, string][] = [
    [Math.floor(ms / 3_600_000), "h"],
    [Math.floor((ms % 3_600_000) / 60_000), "m"],
    [Math.floor((ms % 60_000) / 1_000), "s"],
  ];
  return parts.filter(([n]) => n > 0).map(([n, u]) => `${n}${u}`).join("") || "0s";
}

/** A Prometheus recording rule as a Grafana-managed recording rule writing the same series into the Prometheus data source. */
export function recordingRule(service: ServiceModel, group: string, rule: PromRule, ctx: GrafanaAlertingContext): alerting.Rule {
  const labels = rule.labels ?? {};
  const slo = service.slos.find((s) => s.name === labels["slo"]);
  return new alerting.RuleBuilder(ruleTitle(rule))
    .uid(stableUid(ctx.environment, service.stableId, ...(slo ? [slo.stableId] : []), rule.record!))
    .ruleGroup(group)
    .withQuery(new alerting.QueryBuilder("A").datasourceUid(ctx.prometheus).relativeTimeRange({ from: QUERY_RANGE_SECONDS, to: 0 }).model(promModel("A", ctx.prometheus, rule.expr)))
    .condition("A")
    .record(new alerting.RecordRuleBuilder().metric(rule.record!).from("A").targetDatasourceUid(ctx.prometheus))
    .labels({ ...labels })
    .build();
}

/** The rule context of the Grafana backend: the Prometheus settings, the dashboard link, inline SLI ratios. */
export function grafanaRuleContext(service: ServiceModel, ctx: GrafanaAlertingContext): RuleContext {
  return { settings: ctx.settings, dashboardUrl: `${ctx.grafanaUrl}/d/${serviceDashboardUid(service, ctx.environment)}`, sli: "inline" };
}

/** Every group of a service the Prometheus backend would write, as Grafana rule groups (same names, intervals and rules). */
export function serviceGrafanaRuleGroups(service: ServiceModel, ctx: GrafanaAlertingContext): GrafanaRuleGroup[] {
  const groups = serviceRuleGroups(service, grafanaRuleContext(service, ctx)).map((group) => ({
    service,
    folder: serviceFolder(service),
    group: {
      title: group.name,
      interval: intervalSeconds(group.interval),
      rules: group.rules.map((rule) => (rule.alert ? alertRule(service, group.name, rule, ctx) : recordingRule(service, group.name, rule, ctx))),
    },
  }));
  const logs = lokiRuleGroup(service, ctx);
  return [...groups, ...(logs ? [logs] : [])];
}

/** Name of the group of a service's log-based alerts in Loki. */
export function logAlertsGroupName(service: ServiceModel): string {
  return `${service.name}-logs`;
}

/** Log-based metrics with an alert and a LogQL selector: what Loki evaluates. */
export function lokiAlertMetrics(service: ServiceModel): (LogMetricModel & { logql: string; alert: NonNullable<LogMetricModel["alert"]> })[] {
  return (service.logs?.metrics ?? []).filter((m): m is LogMetricModel & { logql: string; alert: NonNullable<LogMetricModel["alert"]> } => m.alertIn === "loki" && m.logql !== undefined && m.alert !== undefined);
}

/** The LogQL of a log-based alert: matching lines over the alert's period, above its threshold. */
export function logAlertExpr(metric: { logql: string; alert: { above: number; perMs: number } }): string {
  return `sum(count_over_time(${metric.logql} [${promDuration(metric.alert.perMs)}])) > ${metric.alert.above}`;
}

/** The service's log-based alerts as one Grafana rule group on Loki, when the stack names a Loki data source. */
export function lokiRuleGroup(service: ServiceModel, ctx: GrafanaAlertingContext): GrafanaRuleGroup | undefined {
  const metrics = lokiAlertMetrics(service);
  if (!ctx.loki || metrics.length === 0) return undefined;
  const lokiUid = ctx.loki;
  const group = logAlertsGroupName(service);
  const rules = metrics.map((metric) =>
    new alerting.RuleBuilder(`LogEntries ${service.name} ${metric.name}`)
      .uid(stableUid(ctx.environment, service.stableId, "log", metric.name))
      .ruleGroup(group)
      .withQuery(
        new alerting.QueryBuilder("A")
          .datasourceUid(lokiUid)
          .queryType(loki.LokiQueryType.Instant)
          .relativeTimeRange({ from: Math.max(QUERY_RANGE_SECONDS, metric.alert.perMs / 1000), to: 0 })
          .model(new loki.DataqueryBuilder().expr(logAlertExpr(metric)).queryType(loki.LokiQueryType.Instant).refId("A").datasource({ type: "loki", uid: lokiUid })),
      )
      .withQuery(anySeriesCondition())
      .condition("B")
      .forDuration("0s")
      .noDataState("OK")
      .execErrState("Error")
      .labels({ service: service.name, team: service.team, severity: metric.alert.severity, log_metric: metric.name })
      .annotations({
        summary: `${service.name}: more than ${metric.alert.above} log entries matching ${metric.name} in ${promDuration(metric.alert.perMs)}`,
        description: `Loki counts the entries of ${metric.logql} over ${promDuration(metric.alert.perMs)}; the alert fires above ${metric.alert.above}. Declared in ${service.file}.`,
        ...(service.runbook ? { runbook_url: service.runbook } : {}),
        dashboard: `${ctx.grafanaUrl}/d/${serviceDashboardUid(service, ctx.environment)}`,
      })
      .build(),
  );
  return { service, folder: serviceFolder(service), group: { title: group, interval: 60, rules } };
}

/** Whether Grafana evaluates anything for the service. */
export function hasGrafanaRules(service: ServiceModel, ctx: Pick<GrafanaAlertingContext, "loki">): boolean {
  return hasPrometheusRules(service) || (ctx.loki !== undefined && lokiAlertMetrics(service).length > 0);
}

/** Every rule group of the stack, services in catalog order. */
export function stackGrafanaRuleGroups(services: readonly ServiceModel[], ctx: GrafanaAlertingContext): GrafanaRuleGroup[] {
  return services.filter((s) => hasGrafanaRules(s, ctx)).flatMap((service) => serviceGrafanaRuleGroups(service, ctx));
}

/** A rule in the provider's input shape. */
export function providerRule(rule: alerting.Rule): grafana.types.input.alerting.RuleGroupRule {
  return {
    name: rule.title,
    ...(rule.uid ? { uid: rule.uid } : {}),
    // A recording rule sends none of an alert's fields: the provider refuses `condition`, `for`, `noDataState` and
    // `execErrState` beside `record` ("conflicting fields"; terraform-provider-grafana resource_alerting_rule_group.go unpackAlertRule).
    ...(rule.record ? {} : { condition: rule.condition, for: rule.for, noDataState: rule.noDataState, execErrState: rule.execErrState }),
    ...(!rule.record && rule.keep_firing_for && rule.keep_firing_for !== "0s" ? { keepFiringFor: rule.keep_firing_for } : {}),
    ...(rule.labels ? { labels: rule.labels } : {}),
    ...(rule.annotations && Object.keys(rule.annotations).length ? { annotations: rule.annotations } : {}),
    ...(rule.record ? { record: { metric: rule.record.metric, from: rule.record.from, ...(rule.record.target_datasource_uid ? { targetDatasourceUid: rule.record.target_datasource_uid } : {}) } } : {}),
    datas: rule.data.map((query) => ({
      refId: query.refId!,
      datasourceUid: query.datasourceUid!,
      queryType: query.queryType ?? "",
      relativeTimeRange: { from: query.relativeTimeRange?.from ?? 0, to: query.relativeTimeRange?.to ?? 0 },
      model: JSON.stringify(query.model),
    })),
  };
}

// ---------------------------------------------------------------- contact points

/** Channels the stack's Grafana alerts reach: every channel a service with Grafana rules routes to, sorted. */
export function usedChannels(services: readonly ServiceModel[], ctx: Pick<GrafanaAlertingContext, "loki">): string[] {
  const used = new Set<string>();
  for (const service of services) {
    if (!hasGrafanaRules(service, ctx)) continue;
    for (const severity of ["page", "ticket"] as const) service.routes[severity].forEach((name) => used.add(name));
  }
  return [...used].sort();
}

/** The message templates' fields, shared by every integration: summary first, then each alert's description. */
const TITLE = "{{ .CommonLabels.severity | toUpper }} {{ .CommonAnnotations.summary }}";
const TEXT = "{{ range .Alerts }}{{ .Annotations.description }}\n{{ if .Annotations.runbook_url }}Runbook: {{ .Annotations.runbook_url }}\n{{ end }}{{ end }}";

/**
 * The provider input of one channel's contact point. `credential` is the
 * channel's entry of `monitoring-stack:channelSecrets` (the caller passes it
 * as a Pulumi secret); email takes none.
 */
export function contactPointArgs<C>(name: string, channel: ChannelConfig, credential: C | undefined): {
  name: string;
  pagerduties?: { integrationKey: C; severity: string; summary: string; details: Record<string, string> }[];
  slacks?: { token: C; recipient: string; title: string; text: string }[];
  emails?: { addresses: string[]; singleEmail: boolean; subject: string; message: string }[];
  webhooks?: { url: C; httpMethod: string }[];
} {
  const needs = (what: string): C => {
    if (credential === undefined) throw new Error(`channel ${name}: no credential in monitoring-stack:channelSecrets (expected ${what})`);
    return credential;
  };
  switch (channel.type) {
    case "pagerduty":
      return {
        name,
        pagerduties: [
          {
            integrationKey: needs("the PagerDuty integration key"),
            severity: '{{ if eq .CommonLabels.severity "page" }}critical{{ else }}warning{{ end }}',
            summary: TITLE,
            details: { runbook: "{{ .CommonAnnotations.runbook_url }}", dashboard: "{{ .CommonAnnotations.dashboard }}", budget: "{{ .CommonAnnotations.budget }}" },
          },
        ],
      };
    case "slack":
      return { name, slacks: [{ token: needs("the Slack bot token"), recipient: channel.channel, title: TITLE, text: TEXT }] };
    case "email":
      return { name, emails: [{ addresses: [channel.address], singleEmail: true, subject: TITLE, message: TEXT }] };
    case "webhook":
      return { name, webhooks: [{ url: needs("the webhook URL"), httpMethod: "POST" }] };
  }
}

// ---------------------------------------------------------------- mute timings and the policy tree

/** Name of a service's mute timing. */
export function muteTimingName(service: ServiceModel): string {
  return `${service.name}-maintenance`;
}

/** A service's maintenance windows as the provider's mute timing intervals. */
export function muteTimingIntervals(windows: readonly MaintenanceWindowModel[]): grafana.types.input.alerting.MuteTimingInterval[] {
  return windows.map((window) => ({ weekdays: [...window.weekdays], times: [{ start: window.start, end: window.end }], location: window.timeZone }));
}

export type PolicyMatcher = { label: string; match: "=" | "!=" | "=~" | "!~"; value: string };

/** A node of the policy tree, in the provider's field names. */
export interface PolicyNode {
  matchers?: PolicyMatcher[];
  contactPoint?: string;
  continue?: boolean;
  repeatInterval?: string;
  /** Info: the daily digest's grouping (model/delivery.ts). */
  groupBies?: string[];
  groupWait?: string;
  groupInterval?: string;
  muteTimings?: string[];
  policies?: PolicyNode[];
}

export interface PolicyTree {
  /** Default contact point: alerts no team policy claims (other alert rules of the organisation) go there. */
  contactPoint: string;
  groupBies: string[];
  groupWait: string;
  groupInterval: string;
  repeatInterval: string;
  policies: PolicyNode[];
}

/**
 * The organisation's one notification policy tree: per team, per service,
 * per severity, one child per channel (each continues, so every channel gets
 * the alert). A service's maintenance windows mute the channels' policies.
 * The default contact point is the stack's first ticket channel (else its
 * first page channel, else the first channel used).
 */
export function notificationPolicyTree(services: readonly ServiceModel[], settings: Pick<StackSettings, "routes">, ctx: Pick<GrafanaAlertingContext, "loki">): PolicyTree | undefined {
  const alerting = services.filter((s) => hasGrafanaRules(s, ctx));
  const used = usedChannels(alerting, ctx);
  if (used.length === 0) return undefined;
  const fallback = settings.routes.ticket.find((c) => used.includes(c)) ?? settings.routes.page.find((c) => used.includes(c)) ?? used[0]!;
  const teams = [...new Set(alerting.map((s) => s.team))].sort();
  const eq = (label: string, value: string): PolicyMatcher => ({ label, match: "=", value });
  return {
    contactPoint: fallback,
    groupBies: GROUP_BY,
    groupWait: "30s",
    groupInterval: "5m",
    repeatInterval: "4h",
    policies: teams.map((team) => ({
      matchers: [eq("team", team)],
      policies: alerting
        .filter((s) => s.team === team)
        .map((service) => ({
          matchers: [eq("service", service.name)],
          policies: SEVERITIES.filter((severity) => service.routes[severity].length > 0 && (severity !== "info" || service.raises.info)).map((severity) => {
            const delivery = DELIVERY[severity];
            return {
              matchers: [eq("severity", severity)],
              ...(delivery.groupBy ? { groupBies: delivery.groupBy, groupWait: delivery.groupWait, groupInterval: delivery.groupInterval } : {}),
              repeatInterval: delivery.repeatInterval,
              policies: service.routes[severity].map((channel) => ({
                contactPoint: channel,
                continue: true,
                ...(service.maintenance.length ? { muteTimings: [muteTimingName(service)] } : {}),
              })),
            };
          }),
        })),
    })),
  };
}

// ---------------------------------------------------------------- plan summary wording

const WEEKDAY_SHORT: Record<string, string> = { monday: "Mon", tuesday: "Tue", wednesday: "Wed", thursday: "Thu", friday: "Fri", saturday: "Sat", sunday: "Sun" };

/** A maintenance window in words: "Sun 02:00–04:00 Asia/Kolkata". */
export function describeMaintenance(window: MaintenanceWindowModel): string {
  return `${window.weekdays.map((day) => WEEKDAY_SHORT[day]).join(", ")} ${window.start}–${window.end} ${window.timeZone}`;
}

/** Plain-language line about an SLO Grafana evaluates, for the plan summary. */
export function grafanaNote(service: ServiceModel, slo: string, settings: Pick<StackSettings, "prometheus">): string {
  const guard = guardText(settings.prometheus, service.slos.find((s) => s.name === slo));
  const groups = serviceRuleGroups(service, { settings: settings.prometheus, sli: "inline" });
  const group = groups.find((g) => g.rules.some((rule) => rule.alert && rule.labels?.["slo"] === slo))?.name ?? `${service.name}-${slo}`;
  return (
    `Evaluated by Grafana-managed alerting: group \`${group}\` in folder \`${serviceFolder(service)}\`, one rule per tier computing the error ratios itself ` +
    `(Grafana recording rules write the series the dashboard reads); ${guard}; routed by Grafana's notification policy (team ${service.team} → service ${service.name} → severity → channel).`
  );
}

/** Which of the service's alerts Cloud Monitoring raises, and so a mute timing does not hold back. */
function cloudMonitoringAlertsNote(service: ServiceModel): string {
  const kinds = [
    ...(endpointsCheckedBy(service, "cloudMonitoring").length ? ["uptime"] : []),
    ...(slosEvaluatedBy(service, "cloudMonitoring").length ? ["SLO burn rates"] : []),
    ...(service.backup ? ["backups"] : []),
    ...(service.scaling ? ["saturation"] : []),
    ...((service.logs?.metrics ?? []).some((m) => m.alert && m.alertIn !== "loki") ? ["log-based metrics"] : []),
  ];
  return kinds.length ? `Cloud Monitoring alerts (${kinds.join(", ")}) are not muted.` : "Every alert of the service is Grafana-managed, so all are muted.";
}

/** Plain-language lines about where a service's maintenance windows apply, for the plan summary. */
export function maintenanceNote(service: ServiceModel, grafanaAlerts: boolean): string | undefined {
  if (service.maintenance.length === 0) return undefined;
  const windows = service.maintenance.map(describeMaintenance).join("; ");
  return grafanaAlerts
    ? `Maintenance: ${windows}. Mute timing \`${muteTimingName(service)}\` holds back notifications of the service's Grafana-managed alerts meanwhile; an alert still firing when the window ends notifies then. ${cloudMonitoringAlertsNote(service)}`
    : "Maintenance: " + windows + ". Not applied: only Grafana-managed alerting mutes notifications (monitoring-stack:grafana.alerting: grafana); this stack's alerts notify during the window.";
}
