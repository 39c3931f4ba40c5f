/**
 * Grafana-managed alerting as data: rules, contact points, the policy tree
 * and mute timings against Grafana's published types (foundation SDK
 * `alerting`), the rules' PromQL under promtool, the same labels and
 * annotations as the Prometheus rules, and the stack config that switches it on.
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import * as alerting from "@grafana/grafana-foundation-sdk/alerting";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import {
  ANY_SERIES,
  alertingContext,
  contactPointArgs,
  grafanaNote,
  maintenanceNote,
  intervalSeconds,
  logAlertExpr,
  muteTimingIntervals,
  notificationPolicyTree,
  providerRule,
  serviceGrafanaRuleGroups,
  stackGrafanaRuleGroups,
  type GrafanaAlertingContext,
  type PolicyNode,
} from "../../../components/grafana/managedAlerting";
import { ruleContext } from "../../../components/evaluators/prometheus";
import { ALERT, RECORD, TIER_LABEL } from "../../../components/prometheus/ruleNames";
import { serviceRuleGroups } from "../../../components/prometheus/rules";
import { serviceSchema } from "../../../contract/serviceSchema";
import { parseStackConfig, type ChannelConfig } from "../../../contract/stackConfig";
import { serviceModel } from "../../../model/service";
import type { ServiceModel } from "../../../model/types";
import { CHANNELS, rawConfig, settingsFrom } from "../../support/declarations";
import { run, withTempDir } from "../prometheus/tools";

const GRAFANA = { url: "https://example.grafana.net", datasources: { prometheus: "grafanacloud-prom", loki: "grafanacloud-logs" }, alerting: "grafana" };
const settings = settingsFrom({ "monitoring-stack:grafana": JSON.stringify(GRAFANA), "monitoring-stack:grafanaToken": "t" });

function service(overrides: Record<string, unknown> = {}): ServiceModel {
  const spec = serviceSchema.parse({
    apiVersion: "monitoring-stack/v1",
    name: "api",
    team: "shop",
    tier: "critical",
    runbook: "https://runbooks.example.com/api",
    runtime: { gke: { cluster: "prod-1", location: "europe-west1", namespace: "shop", workload: "api" } },
    slos: [
      { name: "errors", objective: 99.9, indicator: { prometheus: { total: 'http_requests_total{job="api"}', bad: 'http_requests_total{job="api",code=~"5.."}' } } },
      { name: "latency", objective: 99, indicator: { prometheus: { histogram: 'http_request_duration_seconds_bucket{job="api"}', threshold: "300ms" } } },
    ],
    alerts: [{ name: "DatabaseDown", expr: 'up{job="postgres"} == 0', for: "2m", severity: "page" }],
    logs: {
      filter: 'resource.labels.container_name="api"',
      metrics: [{ name: "panics", filter: 'textPayload:"panic"', logql: '{app="api"} |= "panic"', alert: { above: 0, per: "5m", severity: "page" } }],
    },
    maintenance: [{ weekdays: ["sunday"], start: "02:00", end: "04:00", timeZone: "Asia/Kolkata" }],
    ...overrides,
  });
  return serviceModel(spec, "services/api.yaml", settings);
}

const ctx: GrafanaAlertingContext = alertingContext(settings, () => 7);
const api = service();

/** Every rule of a service's Grafana groups, by title. */
function rules(svc: ServiceModel = api): Map<string, alerting.Rule> {
  return new Map(serviceGrafanaRuleGroups(svc, ctx).flatMap((g) => g.group.rules).map((rule) => [rule.title, rule]));
}

/** The PromQL (or LogQL) of a rule's query A. */
const queryOf = (rule: alerting.Rule) => (rule.data[0]!.model as unknown as { expr: string }).expr;

describe("rule groups: the Prometheus backend's groups, evaluated by Grafana", () => {
  it("has the same groups, intervals and rules as the Prometheus rule file, plus the Loki log alerts", () => {
    const prometheus = serviceRuleGroups(api, { settings: settings.prometheus });
    const grafana = serviceGrafanaRuleGroups(api, ctx);
    expect(grafana.map((g) => g.group.title)).toEqual([...prometheus.map((g) => g.name), "api-logs"]);
    prometheus.forEach((group, i) => {
      expect(grafana[i]!.group.interval).toBe(intervalSeconds(group.interval));
      expect(grafana[i]!.group.rules.map((r) => (r.record ? r.record.metric : r.labels?.[TIER_LABEL] ?? r.title))).toEqual(
        group.rules.map((r) => r.record ?? r.labels?.[TIER_LABEL] ?? expect.stringContaining(r.alert!)),
      );
    });
    expect(grafana.every((g) => g.folder === "shop")).toBe(true);
  });

  it("has one rule per burn tier of every SLO, with the Prometheus rule's labels and annotations", () => {
    const byTitle = rules();
    const prometheusAlerts = serviceRuleGroups(api, ruleContext(api, settings)).flatMap((g) => g.rules).filter((r) => r.alert === ALERT.burn);
    for (const slo of api.slos) {
      expect(slo.tiers.length).toBeGreaterThan(0);
      for (const tier of slo.tiers) {
        const rule = byTitle.get(`${ALERT.burn} api ${slo.name} ${tier.name}`);
        expect(rule, `${slo.name} ${tier.name}`).toBeDefined();
        const twin = prometheusAlerts.find((r) => r.labels?.["slo"] === slo.name && r.labels?.[TIER_LABEL] === tier.name)!;
        expect(rule!.labels).toEqual(twin.labels);
        const { __dashboardUid__, __panelId__, ...annotations } = rule!.annotations!;
        expect(annotations).toEqual(twin.annotations);
        expect(annotations).toMatchObject({ runbook_url: "https://runbooks.example.com/api", budget: expect.any(String), dashboard: `https://example.grafana.net/d/${__dashboardUid__}` });
        expect(__panelId__).toBe("7");
        expect(rule!.for).toBe(twin.for ?? "0s");
      }
    }
  });

  it("reads the SLI ratios inline, never a recording rule's series, and carries each tier's threshold", () => {
    for (const [title, rule] of rules()) {
      if (rule.record) continue;
      expect(queryOf(rule), title).not.toMatch(/slo:/);
    }
    const errors = api.slos[0]!;
    const fast = errors.tiers[0]!;
    const query = queryOf(rules().get(`${ALERT.burn} api errors ${fast.name}`)!);
    expect(query).toContain(`> (${fast.burnRate} * 0.001)`);
    expect(query).toContain('(sum(rate(http_requests_total{job="api",code=~"5.."}[1h])) or vector(0)) / sum(rate(http_requests_total{job="api"}[1h]))');
    expect(query).toContain('(sum(rate(http_requests_total{job="api",code=~"5.."}[5m])) or vector(0)) / sum(rate(http_requests_total{job="api"}[5m]))');
  });

  it("fires for every series the query returns and treats no series as OK, a failing query as an error", () => {
    for (const [title, rule] of rules()) {
      if (rule.record) {
        expect(rule.record, title).toMatchObject({ from: "A", target_datasource_uid: "grafanacloud-prom" });
        continue;
      }
      expect(rule, title).toMatchObject({ condition: "B", noDataState: "OK", execErrState: "Error" });
      expect(rule.data[1]).toMatchObject({ refId: "B", datasourceUid: "__expr__", model: { type: "math", expression: ANY_SERIES } });
      expect(rule.data[0]!.model).toMatchObject(rule.data[0]!.datasourceUid === "grafanacloud-prom" ? { instant: true } : { queryType: "instant" });
    }
  });

  it("writes the dashboards' series with Grafana recording rules, labelled as Prometheus records them", () => {
    const records = [...rules().values()].filter((r) => r.record);
    expect(records.map((r) => r.record!.metric)).toEqual(expect.arrayContaining([RECORD.errorRatio("5m"), RECORD.budgetRemaining, RECORD.objective]));
    expect(records.every((r) => r.labels?.["service"] === "api" && typeof r.labels?.["slo"] === "string")).toBe(true);
  });

  it("gives every rule a stable uid Grafana accepts (at most 40 of letters, digits, '-' and '_'), unique in the stack", () => {
    const all = [...rules().values()];
    expect(new Set(all.map((r) => r.uid)).size).toBe(all.length);
    // ValidateUID (grafana/grafana pkg/util/shortid_generator.go); recording rules' series names hold ':'.
    expect(all.filter((r) => !/^[a-zA-Z0-9_-]{1,40}$/.test(r.uid!)).map((r) => r.uid)).toEqual([]);
    const renamed = service({ name: "api-v2", formerly: ["api"] });
    expect([...rules(renamed).values()].map((r) => r.uid).sort()).toEqual(all.map((r) => r.uid).sort());
  });

  it("maps to the provider's shape with the query models as JSON", () => {
    const rule = rules().get(`${ALERT.burn} api errors page-fast`)!;
    const input = providerRule(rule);
    expect(input).toMatchObject({ name: rule.title, condition: "B", for: "0s", noDataState: "OK", execErrState: "Error", labels: rule.labels });
    const datas = input.datas as { model: string }[];
    expect(JSON.parse(datas[0]!.model)).toMatchObject({ refId: "A", expr: queryOf(rule), instant: true, intervalMs: 1000, maxDataPoints: 43200 });
    const record = providerRule([...rules().values()].find((r) => r.record)!);
    expect(record).toMatchObject({ record: { from: "A", targetDatasourceUid: "grafanacloud-prom" } });
    // The provider refuses an alert's fields beside `record` ("conflicting fields"): none is sent.
    for (const field of ["condition", "for", "noDataState", "execErrState"]) expect(record).not.toHaveProperty(field);
  });

  it("alerts on Loki for log metrics with LogQL, only when the stack names a Loki data source", () => {
    const logs = rules().get("LogEntries api panics")!;
    expect(logs.data[0]).toMatchObject({ datasourceUid: "grafanacloud-logs", queryType: "instant" });
    expect(queryOf(logs)).toBe('sum(count_over_time({app="api"} |= "panic" [5m])) > 0');
    expect(logs.labels).toEqual({ service: "api", team: "shop", severity: "page", log_metric: "panics" });
    expect(api.logs!.metrics[0]!.alertIn).toBe("loki");
    const noLoki = settingsFrom({ "monitoring-stack:grafana": JSON.stringify({ ...GRAFANA, datasources: { prometheus: "p" } }), "monitoring-stack:grafanaToken": "t" });
    const plain = serviceModel(serviceSchema.parse({ ...api.spec }), "services/api.yaml", noLoki);
    expect(plain.logs!.metrics[0]!.alertIn).toBeUndefined();
    expect(serviceGrafanaRuleGroups(plain, alertingContext(noLoki)).map((g) => g.group.title)).not.toContain("api-logs");
    expect(logAlertExpr({ logql: '{a="b"}', alert: { above: 3, perMs: 600_000 } })).toBe('sum(count_over_time({a="b"} [10m])) > 3');
  });

  it("rejects what Grafana's published builders reject: an over-long title", () => {
    const long = service({ name: "a".repeat(63), slos: [{ name: "b".repeat(63), objective: 99, indicator: { prometheus: { total: "t", bad: "b" } } }] });
    expect(() => serviceGrafanaRuleGroups(long, ctx)).not.toThrow();
    expect(() => new alerting.RuleBuilder("x".repeat(191))).toThrow();
  });
});

describe("the Grafana rules' PromQL under promtool", () => {
  it("parses every query as Prometheus would, alerting and recording alike", async () => {
    const groups = stackGrafanaRuleGroups([api], ctx).filter((g) => g.group.title !== "api-logs");
    const file = {
      groups: groups.map((g) => ({
        name: g.group.title,
        interval: `${g.group.interval}s`,
        rules: g.group.rules.map((rule) => (rule.record ? { record: rule.record.metric, expr: queryOf(rule), labels: rule.labels } : { alert: "A", expr: queryOf(rule), for: rule.for, labels: rule.labels })),
      })),
    };
    await withTempDir((dir) => {
      writeFileSync(path.join(dir, "grafana-rules.yaml"), stringify(file, { lineWidth: 0 }));
      const result = run("promtool", ["check", "rules", "grafana-rules.yaml"], dir);
      expect(result.output).toMatch(/SUCCESS/);
      expect(result.status, result.output).toBe(0);
    });
  });
});

/** A contact point input as Grafana's provisioning API type: what `type` and `settings` say. */
function asContactPoint(args: ReturnType<typeof contactPointArgs<string>>): alerting.ContactPoint[] {
  const out: alerting.ContactPoint[] = [];
  for (const pd of args.pagerduties ?? []) out.push({ name: args.name, type: "pagerduty", settings: { integrationKey: pd.integrationKey, severity: pd.severity, summary: pd.summary, details: pd.details } } satisfies alerting.ContactPoint);
  for (const slack of args.slacks ?? []) out.push({ name: args.name, type: "slack", settings: { token: slack.token, recipient: slack.recipient, title: slack.title, text: slack.text } } satisfies alerting.ContactPoint);
  for (const email of args.emails ?? []) out.push({ name: args.name, type: "email", settings: { addresses: email.addresses.join(";"), singleEmail: email.singleEmail } } satisfies alerting.ContactPoint);
  for (const hook of args.webhooks ?? []) out.push({ name: args.name, type: "webhook", settings: { url: hook.url, httpMethod: hook.httpMethod } } satisfies alerting.ContactPoint);
  return out;
}

describe("contact points", () => {
  const channels = CHANNELS as unknown as Record<string, ChannelConfig>;

  it("makes one integration of the channel's type, its credential taken only from the secret passed in", () => {
    expect(asContactPoint(contactPointArgs("sre-pager", channels["sre-pager"]!, "SECRET"))).toEqual([expect.objectContaining({ type: "pagerduty", settings: expect.objectContaining({ integrationKey: "SECRET" }) })]);
    expect(asContactPoint(contactPointArgs("sre-slack", channels["sre-slack"]!, "SECRET"))).toEqual([expect.objectContaining({ type: "slack", settings: expect.objectContaining({ token: "SECRET", recipient: "#sre-alerts" }) })]);
    expect(asContactPoint(contactPointArgs("incident-webhook", channels["incident-webhook"]!, "SECRET"))).toEqual([expect.objectContaining({ type: "webhook", settings: expect.objectContaining({ url: "SECRET" }) })]);
    expect(asContactPoint(contactPointArgs<string>("catalog-email", channels["catalog-email"]!, undefined))).toEqual([
      expect.objectContaining({ type: "email", settings: expect.objectContaining({ addresses: "catalog-team@example.com" }) }),
    ]);
    for (const name of ["sre-pager", "sre-slack", "incident-webhook"]) {
      expect(JSON.stringify(contactPointArgs(name, channels[name]!, "SECRET")).match(/SECRET/g)).toHaveLength(1);
    }
  });

  it("refuses a channel that needs a credential without one", () => {
    expect(() => contactPointArgs<string>("sre-pager", channels["sre-pager"]!, undefined)).toThrow(/channelSecrets/);
  });
});

/** The provider's policy node as Grafana's NotificationPolicy (Alertmanager route) type. */
function asPolicy(node: PolicyNode): alerting.NotificationPolicy {
  return {
    ...(node.contactPoint ? { receiver: node.contactPoint } : {}),
    ...(node.matchers ? { object_matchers: node.matchers.map((m) => [m.label, m.match, m.value]) } : {}),
    ...(node.continue ? { continue: true } : {}),
    ...(node.repeatInterval ? { repeat_interval: node.repeatInterval } : {}),
    ...(node.muteTimings ? { mute_time_intervals: node.muteTimings } : {}),
    ...(node.policies ? { routes: node.policies.map(asPolicy) } : {}),
  } satisfies alerting.NotificationPolicy;
}

/** Which receivers a label set reaches, walking the tree as Alertmanager does (first match, unless continue). */
function receivers(route: alerting.NotificationPolicy, labels: Record<string, string>, inherited: string, muted: string[] = []): { receiver: string; muted: string[] }[] {
  const here = route.receiver ?? inherited;
  const out: { receiver: string; muted: string[] }[] = [];
  for (const child of route.routes ?? []) {
    const matches = (child.object_matchers ?? []).every(([label, op, value]) => op === "=" && labels[label!] === value);
    if (!matches) continue;
    out.push(...receivers(child, labels, here, child.mute_time_intervals ?? []));
    if (!child.continue) return out;
  }
  return out.length ? out : [{ receiver: here, muted }];
}

describe("notification policy tree and mute timings", () => {
  const other = service({ name: "web", team: "front", alerting: { page: ["payments-pager", "sre-pager"], ticket: ["catalog-email"] }, maintenance: undefined, logs: undefined });
  const tree = notificationPolicyTree([api, other], settings, ctx)!;
  const root: alerting.NotificationPolicy = { receiver: tree.contactPoint, group_by: tree.groupBies, routes: tree.policies.map(asPolicy) };

  it("routes by team, service and severity to every channel of the service's route", () => {
    expect(tree.policies.map((p) => p.matchers)).toEqual([[{ label: "team", match: "=", value: "front" }], [{ label: "team", match: "=", value: "shop" }]]);
    const reach = (labels: Record<string, string>) => receivers(root, labels, tree.contactPoint).map((r) => r.receiver);
    expect(reach({ team: "shop", service: "api", severity: "page" })).toEqual(["sre-pager"]);
    expect(reach({ team: "shop", service: "api", severity: "ticket" })).toEqual(["sre-slack"]);
    expect(reach({ team: "front", service: "web", severity: "page" })).toEqual(["payments-pager", "sre-pager"]);
    expect(reach({ team: "front", service: "web", severity: "ticket" })).toEqual(["catalog-email"]);
    expect(reach({ team: "elsewhere", severity: "page" })).toEqual([tree.contactPoint]);
    expect(tree.contactPoint).toBe("sre-slack");
    expect(tree.groupBies).not.toContain("burn_tier");
  });

  it("mutes only the service that declares the maintenance window", () => {
    const muted = (labels: Record<string, string>) => receivers(root, labels, tree.contactPoint).flatMap((r) => r.muted);
    expect(muted({ team: "shop", service: "api", severity: "page" })).toEqual(["api-maintenance"]);
    expect(muted({ team: "front", service: "web", severity: "page" })).toEqual([]);
  });

  it("turns a maintenance window into Grafana's time interval: weekday, times (end exclusive) and IANA location", () => {
    const [interval] = muteTimingIntervals(api.maintenance) as { weekdays: string[]; times: { start: string; end: string }[]; location: string }[];
    expect(interval).toEqual({ weekdays: ["sunday"], times: [{ start: "02:00", end: "04:00" }], location: "Asia/Kolkata" });
    const day = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"].indexOf(interval!.weekdays[0]!);
    const asGrafana: alerting.MuteTiming = {
      name: "api-maintenance",
      time_intervals: [{ weekdays: [{ begin: day, end: day }], times: [{ from: interval!.times[0]!.start, to: interval!.times[0]!.end }], location: interval!.location }],
    };
    expect(asGrafana.time_intervals![0]).toMatchObject({ weekdays: [{ begin: 0, end: 0 }], times: [{ from: "02:00", to: "04:00" }] });
  });
});

describe("stack config and declaration", () => {
  it("switches backend with monitoring-stack:grafana.alerting, default prometheus", () => {
    expect(settings.grafana).toMatchObject({ alerting: "grafana", loki: "grafanacloud-logs" });
    const plain = settingsFrom({ "monitoring-stack:grafana": JSON.stringify({ url: "https://g.example.com" }), "monitoring-stack:grafanaToken": "t" });
    expect(plain.grafana).toEqual({ url: "https://g.example.com", alerting: "prometheus" });
    expect(plain.datasources).not.toHaveProperty("loki");
  });

  it("refuses grafana alerting in a split environment or next to Prometheus rule targets, and an unknown backend", () => {
    const problems = (overrides: Record<string, string>) => parseStackConfig(rawConfig({ "monitoring-stack:grafanaToken": "t", ...overrides }), "stacks/Pulumi.x.yaml").problems;
    const split = problems({ "monitoring-stack:grafana": JSON.stringify(GRAFANA), "monitoring-stack:platform": JSON.stringify({ stack: "platform" }) });
    expect(split.map((p) => p.path)).toContain("monitoring-stack:grafana.alerting");
    const both = problems({
      "monitoring-stack:grafana": JSON.stringify(GRAFANA),
      "monitoring-stack:prometheus": JSON.stringify({ ruleTargets: ["prometheusRule"] }),
      "monitoring-stack:kubernetes": "{}",
    });
    expect(both).toEqual([expect.objectContaining({ path: "monitoring-stack:grafana.alerting", message: expect.stringContaining("every alert would be sent twice") })]);
    const unknown = problems({ "monitoring-stack:grafana": JSON.stringify({ ...GRAFANA, alerting: "mimir" }) });
    expect(unknown).toEqual([expect.objectContaining({ path: "monitoring-stack:grafana.alerting", message: expect.stringContaining("expected one of: prometheus, grafana") })]);
  });

  it("validates maintenance windows: weekdays, HH:MM, end after start, a real time zone — every problem at once", () => {
    const parsed = serviceSchema.safeParse({
      ...api.spec,
      maintenance: [
        { weekdays: ["sundy"], start: "2:00", end: "04:00", timeZone: "Asia/Kolkata" },
        { weekdays: ["monday"], start: "04:00", end: "02:00", timeZone: "Mars/Olympus" },
      ],
    });
    expect(parsed.success).toBe(false);
    const paths = parsed.error!.issues.map((i) => i.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["maintenance.0.weekdays.0", "maintenance.0.start", "maintenance.1.timeZone"]));
    expect(serviceSchema.safeParse({ ...api.spec, maintenance: [{ weekdays: ["monday"], start: "04:00", end: "02:00", timeZone: "UTC" }] }).error?.issues[0]).toMatchObject({
      path: ["maintenance", 0, "end"],
      message: expect.stringContaining("expected later than start 04:00"),
    });
    expect(serviceSchema.safeParse({ ...api.spec, maintenance: [{ weekdays: ["sunday"], start: "22:00", end: "24:00", timeZone: "UTC" }] }).success).toBe(true);
  });

  it("tells the plan reader where maintenance windows apply and which group evaluates an SLO", () => {
    expect(maintenanceNote(api, true)).toContain("Maintenance: Sun 02:00–04:00 Asia/Kolkata. Mute timing `api-maintenance`");
    expect(maintenanceNote(api, false)).toContain("Not applied");
    expect(maintenanceNote(service({ maintenance: undefined }), true)).toBeUndefined();
    expect(grafanaNote(api, "errors", settings)).toContain("group `api-errors-alerts` in folder `shop`");
  });

  it("rounds evaluation intervals up to Grafana's multiples of 10 s", () => {
    expect([intervalSeconds("30s"), intervalSeconds("1m"), intervalSeconds("2m30s"), intervalSeconds("15s"), intervalSeconds("5s")]).toEqual([30, 60, 150, 20, 10]);
  });
});
