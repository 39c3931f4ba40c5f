/**
 * The catalogs in examples/: every one plans cleanly on its own stack config
 * (no invalid input, no mandatory policy violation, nothing declared but left
 * unprovisioned) and provisions the key targets of its system's operations guide.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { ALERTMANAGER_FILE } from "../../components/evaluators/prometheus";
import { GRAFANA_ALERTING_DIR } from "../../components/evaluators/grafana";
import { ALERT } from "../../components/prometheus/ruleNames";
import type { ServiceModel } from "../../model/types";
import type { PlannedResource } from "../../plan/mockRuntime";
import type { RecordedService } from "../../plan/planRecord";
import { runPlan } from "../../plan/runPlan";
import { ofType } from "../plan/helpers";
import { run, runAsync, withTempDir } from "../components/prometheus/tools";

const EXAMPLES = path.join(__dirname, "..", "..", "examples");
const SYSTEMS = ["magidesk-pos", "missing-table", "equestrian", "ftry", "dried-fruits"] as const;
type System = (typeof SYSTEMS)[number];

const T = {
  uptimeCheck: "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig",
  slo: "gcp:monitoring/slo:Slo",
  alertPolicy: "gcp:monitoring/alertPolicy:AlertPolicy",
  channel: "gcp:monitoring/notificationChannel:NotificationChannel",
  logBucket: "gcp:logging/projectBucketConfig:ProjectBucketConfig",
  backupPlan: "gcp:backupdisasterrecovery/backupPlan:BackupPlan",
  backupVault: "gcp:backupdisasterrecovery/backupVault:BackupVault",
  hpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
  gmpRules: "kubernetes:monitoring.googleapis.com/v1:Rules",
  dashboard: "grafana:oss/dashboard:Dashboard",
  contactPoint: "grafana:alerting/contactPoint:ContactPoint",
  notificationPolicy: "grafana:alerting/notificationPolicy:NotificationPolicy",
  ruleGroup: "grafana:alerting/ruleGroup:RuleGroup",
  muteTiming: "grafana:alerting/muteTiming:MuteTiming",
  smCheck: "grafana:syntheticMonitoring/check:Check",
} as const;

/**
 * The services each example renders a Prometheus rule file for (and so an
 * Alertmanager configuration); the "Prometheus rule files" test checks this
 * against what the example's own plan has Prometheus evaluate.
 */
const PROMETHEUS_RULE_FILES: Record<System, string[]> = {
  // Cloud Monitoring SLOs and alert policies only.
  "magidesk-pos": [],
  // Latency and error-rate SLOs on the backend's own metrics, and its threshold alerts.
  "missing-table": ["missing-table-backend", "missing-table-frontend"],
  // Cloud Monitoring SLOs and uptime checks only.
  equestrian: [],
  // Prometheus SLOs and Synthetic Monitoring uptime alerts, all evaluated by Grafana-managed alerting.
  ftry: [],
  // Error-rate and response-time SLOs, and the guide's host, database and backup alerts.
  "dried-fruits": ["dried-fruits-api"],
};

interface Planned {
  resources: PlannedResource[];
  artefacts: Record<string, string>;
  summary: string;
  /** The plan's record of every service's SLOs, with who evaluates each. */
  recorded: RecordedService[];
  /** The services as the program modelled them: threshold alerts and endpoints. */
  services: ServiceModel[];
  /** Whether the stack has Grafana-managed alerting evaluate what Prometheus would. */
  grafanaAlerting: boolean;
}

const planned = new Map<System, Planned>();

async function planExample(system: System): Promise<Planned> {
  const dir = path.join(EXAMPLES, system);
  const outcome = await runPlan({ stack: system, configFile: path.join(dir, `Pulumi.${system}.yaml`), servicesDir: path.join(dir, "services") });
  if (!outcome.ok) throw new Error(`${system}: invalid input:\n${outcome.problems.map((p) => `${p.file}: ${p.path}: ${p.message}`).join("\n")}`);
  expect(outcome.plan.violations, `${system}: policy violations and notices`).toEqual([]);
  return {
    resources: outcome.plan.resources,
    artefacts: outcome.artefacts,
    summary: outcome.summary,
    recorded: outcome.plan.services ?? [],
    services: outcome.program.services,
    grafanaAlerting: outcome.program.settings.grafana?.alerting === "grafana",
  };
}

beforeAll(async () => {
  for (const system of SYSTEMS) planned.set(system, await planExample(system));
});

const get = (system: System) => planned.get(system)!;
const of = (system: System, type: string) => ofType(get(system).resources, type);
const inputs = (r: PlannedResource) => r.inputs as Record<string, any>;
const labels = (r: PlannedResource) => (inputs(r)["userLabels"] ?? {}) as Record<string, string>;

/** Rule groups of a rendered rule file. */
function ruleFile(system: System, service: string): { name: string; rules: Record<string, any>[] }[] {
  const text = get(system).artefacts[`prometheus/${service}.yaml`];
  if (!text) throw new Error(`${system}: no rule file for ${service}; have ${Object.keys(get(system).artefacts).join(", ")}`);
  return parse(text).groups;
}
const rule = (system: System, service: string, alert: string) => {
  const found = ruleFile(system, service).flatMap((g) => g.rules).find((r) => r.alert === alert);
  if (!found) throw new Error(`${system}: no alert ${alert}`);
  return found;
};
const recording = (system: System, service: string, slo: string, record: string) =>
  ruleFile(system, service).flatMap((g) => g.rules).find((r) => r.record === record && r.labels?.slo === slo)?.expr as string | undefined;

/** The channel types an alert policy notifies, through its channel resources. */
function channelTypes(system: System, policy: PlannedResource): string[] {
  const channels = of(system, T.channel);
  return (inputs(policy)["notificationChannels"] as string[]).map((id) => {
    const channel = channels.find((c) => id.includes(c.name) || id.includes(String(inputs(c)["displayName"])));
    return channel ? String(inputs(channel)["type"]) : `unknown:${id}`;
  }).sort();
}

function uptimePaths(system: System): string[] {
  return of(system, T.uptimeCheck).map((c) => inputs(c)["httpCheck"].path as string).sort();
}

function backupRule(system: System) {
  const [plan, ...rest] = of(system, T.backupPlan);
  expect(rest).toEqual([]);
  return { plan: inputs(plan!), rule: inputs(plan!)["backupRules"][0] };
}

/** An alert the plan needs evaluated: its alert name and the labels that single it out. */
interface Evaluated {
  service: string;
  what: string;
  evaluator: "prometheus" | "grafana";
  alert: string;
  labels: Record<string, string>;
}

/**
 * Everything an example's plan has evaluated as PromQL, and by whom: each SLO
 * the plan records with the prometheus backend (by Prometheus unless the
 * record says Grafana), each threshold alert and each Synthetic Monitoring
 * uptime alert (by Grafana under Grafana-managed alerting, else Prometheus).
 */
function evaluated(system: System): Evaluated[] {
  const { recorded, services, grafanaAlerting } = get(system);
  const alerts: "prometheus" | "grafana" = grafanaAlerting ? "grafana" : "prometheus";
  return [
    ...recorded.flatMap((service) =>
      service.slos
        .filter((slo) => slo.backend === "prometheus")
        .map((slo): Evaluated => ({ service: service.name, what: `SLO ${slo.name}`, evaluator: slo.evaluatedBy ?? "prometheus", alert: ALERT.burn, labels: { slo: slo.name } })),
    ),
    ...services.flatMap((service) => [
      ...service.alerts.map((alert): Evaluated => ({ service: service.name, what: `alert ${alert.name}`, evaluator: alerts, alert: alert.name, labels: {} })),
      ...service.endpoints
        .filter((endpoint) => endpoint.syntheticMonitoring !== undefined)
        .map((endpoint): Evaluated => ({ service: service.name, what: `uptime alert of ${endpoint.name}`, evaluator: alerts, alert: ALERT.uptime, labels: { endpoint: endpoint.name } })),
    ]),
  ];
}

/** Alert names and labels of a rule list, Prometheus's (`alert`) or Grafana's (`title`, the alert name first). */
const alertsOf = (rules: Record<string, any>[]) =>
  rules.filter((r) => r.alert !== undefined || (r.title !== undefined && r.record === undefined)).map((r) => ({ alert: String(r.alert ?? String(r.title).split(" ")[0]), labels: (r.labels ?? {}) as Record<string, string> }));

function expectEvaluatedIn(rules: Record<string, any>[], items: readonly Evaluated[], where: string): void {
  const alerts = alertsOf(rules);
  for (const item of items) {
    const found = alerts.some((a) => a.alert === item.alert && Object.entries(item.labels).every(([k, v]) => a.labels[k] === v));
    expect(found, `${where}: ${item.service} ${item.what} (${item.alert})`).toBe(true);
  }
}

const promFiles = (system: System) => Object.keys(get(system).artefacts).filter((name) => name.startsWith("prometheus/")).sort();

/** What the plan's Grafana-managed alerting evaluates has its rules in grafana/alerting/<service>.json. */
function expectGrafanaEvaluates(system: System): void {
  const byGrafana = evaluated(system).filter((item) => item.evaluator === "grafana");
  for (const service of new Set(byGrafana.map((item) => item.service))) {
    const file = `${GRAFANA_ALERTING_DIR}/${service}.json`;
    const text = get(system).artefacts[file];
    expect(text, `${system}: ${file}`).toBeDefined();
    const rules = (JSON.parse(text!) as { groups: { rules: Record<string, any>[] }[] }).groups.flatMap((g) => g.rules);
    expectEvaluatedIn(rules, byGrafana.filter((item) => item.service === service), file);
  }
}

describe.each(SYSTEMS)("example %s", (system) => {
  it("has a README that maps the guide's targets", async () => {
    const { readFileSync } = await import("node:fs");
    const readme = readFileSync(path.join(EXAMPLES, system, "README.md"), "utf8");
    expect(readme).toMatch(/\| Target .*\| Where in the guide .*\| Provisioned/);
    expect(readme).toMatch(/## Out of scope/);
  });

  // What each example is stated to render: rule files for these services, or none. Either way, the plan must agree.
  const ruleFiles = PROMETHEUS_RULE_FILES[system];

  it(`evaluates with Prometheus exactly what it renders rule files for: ${ruleFiles.length ? ruleFiles.join(", ") : "nothing"}`, () => {
    // The plan records every service the program modelled: what follows reads all of them.
    expect(get(system).services.length).toBeGreaterThan(0);
    expect(get(system).recorded.map((service) => service.name)).toEqual(get(system).services.map((service) => service.name));
    const byPrometheus = evaluated(system).filter((item) => item.evaluator === "prometheus");
    expect([...new Set(byPrometheus.map((item) => item.service))].sort(), "services the plan has Prometheus evaluate").toEqual(ruleFiles);
    expect(promFiles(system), "rendered rule files").toEqual(ruleFiles.map((service) => `prometheus/${service}.yaml`));
    expect(get(system).artefacts[ALERTMANAGER_FILE] !== undefined, ALERTMANAGER_FILE).toBe(ruleFiles.length > 0);
    for (const service of ruleFiles) {
      expectEvaluatedIn(ruleFile(system, service).flatMap((g) => g.rules), byPrometheus.filter((item) => item.service === service), `prometheus/${service}.yaml`);
    }
    expectGrafanaEvaluates(system);
  });

  if (ruleFiles.length > 0) {
    it(`renders Prometheus rules promtool accepts: ${ruleFiles.map((service) => `prometheus/${service}.yaml`).join(", ")}`, async () => {
      const files = promFiles(system);
      expect(files).toEqual(ruleFiles.map((service) => `prometheus/${service}.yaml`));
      await withTempDir((dir) => {
        mkdirSync(path.join(dir, "prometheus"));
        for (const name of files) writeFileSync(path.join(dir, name), get(system).artefacts[name]!);
        const result = run("promtool", ["check", "rules", ...files], dir);
        expect(result.status, result.output).toBe(0);
        for (const service of ruleFiles) {
          const count = ruleFile(system, service).flatMap((g) => g.rules).length;
          expect(count, service).toBeGreaterThan(0);
          expect(result.output, service).toContain(`Checking prometheus/${service}.yaml\n  SUCCESS: ${count} rules found`);
        }
      });
    });
  } else {
    it("renders no Prometheus rules: nothing in its plan is evaluated by Prometheus", () => {
      expect(evaluated(system).filter((item) => item.evaluator === "prometheus")).toEqual([]);
      expect(promFiles(system)).toEqual([]);
      expect(get(system).artefacts[ALERTMANAGER_FILE]).toBeUndefined();
      expect(get(system).summary).not.toContain("Evaluated by Prometheus");
    });
  }
});

describe("magidesk-pos: Cloud Run APIs, Cloud SQL with backups", () => {
  it("checks /health and /health/ready on every API", () => {
    expect(uptimePaths("magidesk-pos")).toEqual(["/health", "/health", "/health/ready", "/health/ready"]);
  });

  it("has availability and latency SLOs from Cloud Run's own metrics", () => {
    const slos = of("magidesk-pos", T.slo).map((s) => `${labels(s)["service"]}/${labels(s)["slo"]}:${inputs(s)["goal"]}`).sort();
    expect(slos).toEqual(["orders-api/availability:0.999", "orders-api/latency:0.99", "payments-api/availability:0.999", "payments-api/latency:0.99"]);
  });

  it("backs up the POS database daily for 30 days with point-in-time recovery", () => {
    const { rule, plan } = backupRule("magidesk-pos");
    expect(rule).toMatchObject({ backupRetentionDays: 30, standardSchedule: { recurrenceType: "DAILY" } });
    expect(plan["logRetentionDays"]).toBe(7);
  });

  it("keeps logs 30 days and pages PagerDuty", () => {
    expect(of("magidesk-pos", T.logBucket).map((b) => inputs(b)["retentionDays"])).toEqual([30, 30]);
    const pages = of("magidesk-pos", T.alertPolicy).filter((p) => labels(p)["severity"] === "page");
    expect(pages.length).toBeGreaterThan(0);
    for (const page of pages) expect(channelTypes("magidesk-pos", page)).toEqual(["pagerduty"]);
  });
});

describe("missing-table: GKE backend and frontend", () => {
  it("has a 99.9 % uptime SLO on both", () => {
    expect(of("missing-table", T.slo).map((s) => [labels(s)["service"], labels(s)["slo"], inputs(s)["goal"], inputs(s)["rollingPeriodDays"]]).sort()).toEqual([
      ["missing-table-backend", "uptime", 0.999, 30],
      ["missing-table-frontend", "uptime", 0.999, 30],
    ]);
  });

  it("has API p95 < 200 ms and database p95 < 100 ms as Prometheus latency SLOs", () => {
    expect(recording("missing-table", "missing-table-backend", "api-latency", "slo:objective:ratio")).toBe("vector(0.95)");
    expect(recording("missing-table", "missing-table-backend", "api-latency", "slo:sli_error:ratio_rate6h")).toContain('le="0.2"');
    expect(recording("missing-table", "missing-table-backend", "db-query-latency", "slo:objective:ratio")).toBe("vector(0.95)");
    expect(recording("missing-table", "missing-table-backend", "db-query-latency", "slo:sli_error:ratio_rate6h")).toMatch(/db_query_duration_seconds_bucket\{.*le="0\.1"\}/);
    // Warnings in the guide: tickets only.
    const burns = ruleFile("missing-table", "missing-table-backend").flatMap((g) => g.rules).filter((r) => r.alert === "SLOErrorBudgetBurn");
    expect(new Set(burns.map((r) => r.labels.severity))).toEqual(new Set(["ticket"]));
    expect(of("missing-table", T.gmpRules).map((r) => inputs(r)["metadata"]["namespace"])).toEqual(["missing-table-prod", "missing-table-prod"]);
  });

  it("scales at CPU 70 % and memory 80 %, and tickets on p95 above 500 ms", () => {
    const hpas = of("missing-table", T.hpa);
    expect(hpas).toHaveLength(2);
    for (const hpa of hpas) {
      const metrics = inputs(hpa)["spec"]["metrics"].map((m: any) => [m.resource.name, m.resource.target.averageUtilization]);
      expect(metrics).toEqual([["cpu", 70], ["memory", 80]]);
    }
    const scaleOut = rule("missing-table", "missing-table-backend", "BackendResponseTimeAbove500ms");
    expect(scaleOut.expr).toMatch(/histogram_quantile\(0\.95, .*\) > 0\.5/);
    expect(scaleOut.labels.severity).toBe("ticket");
  });

  it("backs up daily, keeps 30 days, with point-in-time recovery", () => {
    const { rule, plan } = backupRule("missing-table");
    expect(rule).toMatchObject({ backupRetentionDays: 30, standardSchedule: { recurrenceType: "DAILY", backupWindow: { startHourOfDay: 1 } } });
    expect(plan["logRetentionDays"]).toBe(7);
  });

  it("sends critical to PagerDuty (and #alerts), warnings to Slack and the on-call email, info to the on-call email", () => {
    const policies = of("missing-table", T.alertPolicy);
    const bySeverity = (severity: string) => [...new Set(policies.filter((p) => labels(p)["severity"] === severity).map((p) => channelTypes("missing-table", p).join(",")))];
    expect(bySeverity("page")).toEqual(["pagerduty,slack"]);
    expect(bySeverity("ticket")).toEqual(["email,slack"]);
    const alertmanager = parse(get("missing-table").artefacts["alertmanager/alertmanager.yml"]!);
    const backend = alertmanager.route.routes.find((r: any) => r.matchers[0] === 'service="missing-table-backend"');
    expect(backend.routes.map((r: any) => [r.matchers[0], r.routes.map((x: any) => x.receiver)])).toEqual([
      ['severity="page"', ["mt-pagerduty", "mt-slack"]],
      ['severity="ticket"', ["mt-slack", "mt-oncall-email"]],
      ['severity="info"', ["mt-oncall-email"]],
    ]);
  });
});

describe("equestrian: Cloudflare Workers and Supabase, watched from outside", () => {
  it("checks /api/health for status ok, and for an answer within 1 s", () => {
    const checks = of("equestrian", T.uptimeCheck).filter((c) => inputs(c)["httpCheck"].path === "/api/health");
    expect(checks.map((c) => [inputs(c)["timeout"], inputs(c)["contentMatchers"][0].content]).sort()).toEqual([
      ["10s", '"status":"ok"'],
      ["1s", '"status":"ok"'],
    ]);
  });

  it("has error-rate and response-time objectives of 99 %, the response time on tickets only", () => {
    const slos = of("equestrian", T.slo).map((s) => `${labels(s)["service"]}/${labels(s)["slo"]}:${inputs(s)["goal"]}`).sort();
    expect(slos).toEqual(["equestrian-api-response-time/within-1s:0.99", "equestrian-api/error-rate:0.99", "equestrian-web/uptime:0.99"]);
    const slowPages = of("equestrian", T.alertPolicy).filter((p) => labels(p)["service"] === "equestrian-api-response-time" && labels(p)["severity"] === "page");
    expect(slowPages).toEqual([]);
  });

  it("provisions no backups or log buckets: those are Supabase's and Cloudflare's", () => {
    expect(of("equestrian", T.backupPlan)).toEqual([]);
    expect(of("equestrian", T.backupVault)).toEqual([]);
    expect(of("equestrian", T.logBucket)).toEqual([]);
  });
});

describe("ftry: NestJS on Cloud Run, Prometheus metrics in Grafana Cloud", () => {
  /** A rule of ftry's Grafana rule groups, from the plan's resources. */
  const grafanaRules = () => of("ftry", T.ruleGroup).flatMap((g) => inputs(g)["rules"] as Record<string, any>[]);
  const grafanaRecording = (slo: string, record: string) =>
    grafanaRules().find((r) => r.record?.metric === record && r.labels?.slo === slo)?.datas[0].model as string | undefined;

  it("has the SLO table: uptime 99.9 % monthly, p95 < 500 ms, errors < 0.1 %, database p95 < 100 ms", () => {
    // Uptime is measured by Synthetic Monitoring and evaluated by Grafana: no Cloud Monitoring SLO at all.
    expect(of("ftry", T.slo)).toEqual([]);
    expect(JSON.parse(grafanaRecording("uptime", "slo:objective:ratio")!).expr).toBe("vector(0.999)");
    expect(JSON.parse(grafanaRecording("uptime", "slo:sli_error:ratio_rate5m")!).expr).toContain('probe_all_success_sum{job="prod/ftry-api/live",instance="https://api.ftry.example.com/api/v1/health/live"}');
    expect(JSON.parse(grafanaRecording("api-latency", "slo:objective:ratio")!).expr).toBe("vector(0.95)");
    expect(JSON.parse(grafanaRecording("api-latency", "slo:sli_error:ratio_rate5m")!).expr).toContain('le="0.5"');
    expect(JSON.parse(grafanaRecording("error-rate", "slo:error_budget:ratio")!).expr).toBe("vector(0.001)");
    expect(JSON.parse(grafanaRecording("db-query-latency", "slo:sli_error:ratio_rate5m")!).expr).toContain('le="0.1"');
  });

  it("alerts through Grafana: contact points, one notification policy, a rule per burn tier of every Prometheus SLO", () => {
    expect(of("ftry", T.contactPoint).map((c) => inputs(c)["name"]).sort()).toEqual(["ftry-oncall", "ftry-ops"]);
    expect(of("ftry", T.notificationPolicy)).toHaveLength(1);
    const tiers = (slo: string) => grafanaRules().filter((r) => r.labels?.slo === slo && r.labels?.burn_tier).map((r) => r.labels.burn_tier).sort();
    for (const slo of ["api-latency", "error-rate", "db-query-latency"]) expect(tiers(slo), slo).toEqual(["page-fast", "page-slow", "ticket", "ticket-fast"]);
    expect(of("ftry", T.muteTiming).map((m) => inputs(m)["intervals"])).toEqual([[{ weekdays: ["sunday"], times: [{ start: "02:00", end: "04:00" }], location: "Asia/Kolkata" }]]);
    const logs = grafanaRules().find((r) => r.labels?.log_metric === "error-logs")!;
    expect(logs.datas[0].datasourceUid).toBe("grafanacloud-logs");
    // No Prometheus rule file or Alertmanager configuration to upload, and no duplicate Cloud Monitoring log alert.
    expect(Object.keys(get("ftry").artefacts).filter((f) => f.startsWith("prometheus/") || f.startsWith("alertmanager/"))).toEqual([]);
    expect(of("ftry", T.alertPolicy).filter((p) => /error-logs/.test(String(inputs(p)["displayName"])))).toEqual([]);
  });

  it("says in its plan summary where the SLOs alert, when notifications are muted and which log alert Loki evaluates", () => {
    const summary = get("ftry").summary;
    expect(summary).toContain("Evaluated by Grafana-managed alerting: group `ftry-api-error-rate-alerts` in folder `ftry`");
    expect(summary).not.toContain("Evaluated by Prometheus");
    expect(summary).toContain("Maintenance: Sun 02:00–04:00 Asia/Kolkata. Mute timing `ftry-api-maintenance`");
    expect(summary).toContain("(Grafana alert rule on Loki: `{service_name=\"ftry-api\"} | json | level >= 50`; no Cloud Monitoring alert)");
  });

  it("checks its health endpoints with Grafana Synthetic Monitoring, alerting through Grafana when 2+ probes fail", () => {
    expect(of("ftry", T.uptimeCheck)).toEqual([]);
    expect(of("ftry", T.alertPolicy).filter((p) => /uptime/i.test(String(inputs(p)["displayName"])))).toEqual([]);
    const checks = of("ftry", T.smCheck).map((c) => [inputs(c)["job"], inputs(c)["target"], inputs(c)["frequency"], inputs(c)["probes"].length, inputs(c)["settings"]]);
    expect(checks).toEqual([
      ["prod/ftry-api/live", "https://api.ftry.example.com/api/v1/health/live", 60_000, 7, { http: { method: "GET", failIfNotSsl: true, validStatusCodes: [200] } }],
      ["prod/ftry-api/ready", "https://api.ftry.example.com/api/v1/health/ready", 60_000, 7, { http: { method: "GET", failIfNotSsl: true, validStatusCodes: [200] } }],
    ]);
    expect(grafanaRules().filter((r) => r.title === undefined && String(r.name).startsWith("UptimeCheckFailing")).map((r) => [r.name, r.labels.severity])).toEqual([
      ["UptimeCheckFailing ftry-api live", "page"],
      ["UptimeCheckFailing ftry-api ready", "page"],
    ]);
    const provider = of("ftry", "pulumi:providers:grafana").find((p) => inputs(p)["smUrl"] !== undefined)!;
    expect(inputs(provider)["smAccessToken"]).toBe("[secret]");
    const summary = get("ftry").summary;
    expect(summary).toContain("### Uptime checks (Grafana Synthetic Monitoring)");
    expect(summary).toContain("| live | https://api.ftry.example.com/api/v1/health/live | 1m | 10s | Oregon, Ohio, NorthVirginia, Frankfurt, SaoPaulo, Mumbai, Singapore (USA, EUROPE, SOUTH_AMERICA, ASIA_PACIFIC) | status 200 | page → ftry-oncall |");
    expect(summary).toContain("Detection times include the check frequency (1m)");
  });

  it("has no manual upload step in its README", async () => {
    const { readFileSync } = await import("node:fs");
    expect(readFileSync(path.join(EXAMPLES, "ftry", "README.md"), "utf8")).not.toMatch(/mimirtool|cortextool|amtool/);
  });

  it("alerts on every failed or missing daily backup, and keeps logs 30 days", () => {
    const { rule } = backupRule("ftry");
    expect(rule).toMatchObject({ standardSchedule: { recurrenceType: "DAILY" }, backupRetentionDays: 30 });
    const backupAlerts = of("ftry", T.alertPolicy).filter((p) => /backup/i.test(String(inputs(p)["displayName"])));
    expect(backupAlerts).toHaveLength(2);
    expect(of("ftry", T.logBucket).map((b) => inputs(b)["retentionDays"])).toEqual([30]);
  });

  it("puts its dashboards in Grafana Cloud", () => {
    expect(of("ftry", T.dashboard).length).toBeGreaterThan(0);
    expect(get("ftry").artefacts["grafana/prod-slo-ftry-api.json"]).toContain("grafanacloud-prom");
  });
});

describe("dried-fruits: hosts with their own Prometheus and Grafana", () => {
  it("carries the guide's four alert rules with their thresholds, periods and severities", () => {
    const cpu = rule("dried-fruits", "dried-fruits-api", "HighCPUUsage");
    expect(cpu).toMatchObject({ for: "5m", labels: { severity: "ticket" } });
    expect(cpu.expr).toMatch(/node_cpu_seconds_total\{mode="idle"\}\[5m\].* > 80$/);
    const memory = rule("dried-fruits", "dried-fruits-api", "HighMemoryUsage");
    expect(memory).toMatchObject({ for: "5m", labels: { severity: "ticket" } });
    expect(memory.expr).toMatch(/MemAvailable_bytes.* > 85$/);
    expect(rule("dried-fruits", "dried-fruits-api", "DatabaseConnectionFailed")).toMatchObject({ expr: 'up{job="postgres"} == 0', for: "2m", labels: { severity: "page" } });
    const slow = rule("dried-fruits", "dried-fruits-api", "HighResponseTime");
    expect(slow).toMatchObject({ for: "5m", labels: { severity: "ticket" } });
    expect(slow.expr).toMatch(/^histogram_quantile\(0\.95, sum by \(le\) \(rate\(api_request_duration_seconds_bucket\[5m\]\)\)\) > 2$/);
  });

  it("watches the three health endpoints and the daily backup", () => {
    expect(uptimePaths("dried-fruits")).toEqual(["/api/v1/health/database", "/api/v1/health/redis", "/health"]);
    expect(rule("dried-fruits", "dried-fruits-api", "DailyBackupMissing").expr).toContain("26 * 3600");
  });

  it("routes page alerts to PagerDuty and the rest to Slack through Alertmanager, and provisions dashboards in its Grafana", () => {
    const alertmanager = parse(get("dried-fruits").artefacts["alertmanager/alertmanager.yml"]!);
    expect(alertmanager.route.routes[0].routes.map((r: any) => [r.matchers[0], r.routes.map((x: any) => x.receiver)])).toEqual([
      ['severity="page"', ["df-oncall"]],
      ['severity="ticket"', ["df-ops"]],
    ]);
    expect(of("dried-fruits", T.dashboard).map((d) => d.name).sort()).toEqual(expect.arrayContaining([expect.stringContaining("dried-fruits-api")]));
  });
});

describe("missing-table: info alerts reviewed daily (Alert Levels: Info)", () => {
  const AM = "alertmanager/alertmanager.yml";

  it("routes info to the on-call mailbox alone, as one digest per service a day; page and ticket as before (amtool)", async () => {
    await withTempDir((dir) => {
      writeFileSync(path.join(dir, "alertmanager.yml"), get("missing-table").artefacts[AM]!);
      const routes = (labels: string, receivers: string) =>
        run("amtool", ["config", "routes", "test", "--config.file", path.join(dir, "alertmanager.yml"), `--verify.receivers=${receivers}`, ...labels.split(" ")]);
      for (const [labels, receivers] of [
        ["service=missing-table-backend severity=info alertname=BackendDeployed", "mt-oncall-email"],
        ["service=missing-table-backend severity=page alertname=SLOErrorBudgetBurn", "mt-pagerduty,mt-slack"],
        ["service=missing-table-backend severity=ticket alertname=BackendContainerRestarts", "mt-slack,mt-oncall-email"],
      ] as const) {
        const result = routes(labels, receivers);
        expect(result.status, `${labels} → ${result.output}`).toBe(0);
      }
      // The check can fail: info never reaches the pager.
      expect(routes("service=missing-table-backend severity=info alertname=BackendDeployed", "mt-pagerduty").status).toBe(1);
    });
    const info = parse(get("missing-table").artefacts[AM]!).route.routes[0].routes.find((r: any) => r.matchers[0] === 'severity="info"');
    expect(info).toMatchObject({ group_by: ["service", "severity"], group_wait: "24h", group_interval: "24h", repeat_interval: "24h" });
  });

  it("declares the guide's three signals: traffic above the same hour a week before, a rollout, a completed backup", () => {
    for (const alert of ["BackendTrafficWellAboveUsual", "BackendDeployed"]) {
      expect(rule("missing-table", "missing-table-backend", alert)).toMatchObject({ keep_firing_for: "24h", labels: { severity: "info" } });
    }
    expect(rule("missing-table", "missing-table-backend", "BackendTrafficWellAboveUsual").expr).toContain("offset 1w");
    const completed = of("missing-table", T.alertPolicy).filter((p) => labels(p)["severity"] === "info");
    expect(completed.map((p) => inputs(p)["displayName"])).toEqual(["missing-table-backend backup of missing-table-db completed"]);
    expect(inputs(completed[0]!)["alertStrategy"]).toEqual({ notificationRateLimit: { period: "86400s" }, autoClose: "86400s" });
    expect(channelTypes("missing-table", completed[0]!)).toEqual(["email"]);
    expect(get("missing-table").summary).toContain("info → mt-oncall-email (through Alertmanager or Grafana, one digest per service a day");
  });

  it("keeps a rollout in the digest for a day, then lets it go (promtool test rules)", async () => {
    await withTempDir(async (dir) => {
      const file = "prometheus/missing-table-backend.yaml";
      const deployed = rule("missing-table", "missing-table-backend", "BackendDeployed");
      const firing = [{ exp_labels: { service: "missing-table-backend", team: "missing-table", severity: "info" }, exp_annotations: deployed.annotations }];
      mkdirSync(path.join(dir, "prometheus"));
      writeFileSync(path.join(dir, file), get("missing-table").artefacts[file]!);
      // A ReplicaSet created at minute 0 (its creation time in seconds), then no new one for two days.
      const test = {
        rule_files: [file],
        evaluation_interval: "1m",
        tests: [
          {
            interval: "1m",
            input_series: [{ series: 'kube_replicaset_created{namespace="missing-table-prod",replicaset="missing-table-backend-7d9f8"}', values: "0+0x3000" }],
            alert_rule_test: [
              { eval_time: "5m", alertname: "BackendDeployed", exp_alerts: firing },
              { eval_time: "20h", alertname: "BackendDeployed", exp_alerts: firing },
              // The condition ends a day after the rollout; keep_firing_for holds it a day more in the rule files.
              { eval_time: "47h", alertname: "BackendDeployed", exp_alerts: firing },
              { eval_time: "49h", alertname: "BackendDeployed", exp_alerts: [] },
            ],
          },
        ],
      };
      writeFileSync(path.join(dir, "test.yaml"), stringify(test));
      const result = await runAsync("promtool", ["test", "rules", "test.yaml"], dir);
      expect(result.status, result.output).toBe(0);
    });
  });
});
