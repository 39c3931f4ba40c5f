/**
 * The Prometheus rules as data and as files: the contract (labels,
 * annotations, thresholds read from the model), the rule objects against
 * their published schemas, and every generated file under promtool and amtool.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import Ajv from "ajv";
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ALERTMANAGER_FILE, stackRules } from "../../../components/evaluators/prometheus";
import { alertmanagerPlan, renderAlertmanagerConfig } from "../../../components/prometheus/alertmanager";
import { ruleObject } from "../../../components/prometheus/objects";
import { leMatcher, withMatchers } from "../../../components/prometheus/promql";
import { ALERT, RECORD, TIER_LABEL, type PromRule } from "../../../components/prometheus/ruleNames";
import { tierWindows } from "../../../components/prometheus/sliRecordings";
import { promDuration, promNumber } from "../../../components/prometheus/promql";
import { fixturePlan, plan } from "../../plan/helpers";
import { settingsFrom } from "../../support/declarations";
import { run, withTempDir } from "./tools";

type Outcome = Awaited<ReturnType<typeof plan>>;
let local: Outcome;
let fixture: Outcome;

beforeAll(async () => {
  local = await plan({ stack: "local" });
  fixture = await fixturePlan();
});

const rulesOf = (outcome: Outcome) => stackRules(outcome.program.services, outcome.program.settings);

describe("rule generation (contract)", () => {
  it("catalog-web, a GKE service with a ratio and a histogram indicator, plans to rules, routing and dashboards", () => {
    expect(Object.keys(local.artefacts)).toEqual(expect.arrayContaining(["prometheus/catalog-web.yaml", ALERTMANAGER_FILE, "grafana/local-slo-catalog-web.json"]));
    const text = local.artefacts["prometheus/catalog-web.yaml"]!;
    expect(text).toContain('http_request_duration_seconds_bucket{job="catalog-web",le="0.3"}');
    expect(text).toContain('(sum(rate(http_requests_total{job="catalog-web",code=~"5.."}[5m])) or vector(0)) / sum(rate(http_requests_total{job="catalog-web"}[5m]))');
  });

  it("alerts carry service, slo, severity and burn_tier; no two alerts share a label set; annotations carry summary, budget, runbook_url", () => {
    for (const outcome of [local, fixture]) {
      for (const { service, groups } of rulesOf(outcome)) {
        const alerts = groups.flatMap((g) => g.rules).filter((r): r is PromRule & { alert: string } => r.alert !== undefined);
        const sets = alerts.map((a) => JSON.stringify({ alertname: a.alert, ...a.labels }, Object.keys({ alertname: a.alert, ...a.labels }).sort()));
        expect(new Set(sets).size).toBe(sets.length);
        for (const alert of alerts) {
          expect(alert.labels).toMatchObject({ service: service.name, slo: expect.any(String), severity: expect.stringMatching(/^(page|ticket)$/) });
          if (alert.alert === ALERT.burn) expect(alert.labels![TIER_LABEL]).toEqual(expect.any(String));
          expect(Object.keys(alert.annotations!)).toEqual(expect.arrayContaining(["summary", "budget", ...(service.runbook ? ["runbook_url"] : [])]));
        }
      }
    }
  });

  it("reads every threshold and window from the model: one alert per tier, one recording per window the tiers use", () => {
    const { service, groups } = rulesOf(local).find((r) => r.service.name === "catalog-web")!;
    const rules = groups.flatMap((g) => g.rules);
    for (const slo of service.slos.filter((s) => s.evaluator === "prometheus")) {
      const records = rules.filter((r) => r.record && r.labels?.["slo"] === slo.name).map((r) => r.record);
      for (const ms of tierWindows(slo)) expect(records).toContain(RECORD.errorRatio(promDuration(ms)));
      for (const tier of slo.tiers) {
        const alert = rules.find((r) => r.alert === ALERT.burn && r.labels?.["slo"] === slo.name && r.labels[TIER_LABEL] === tier.name)!;
        const threshold = `> (${promNumber(tier.burnRate)} * ${promNumber(slo.budget)})`;
        expect(alert.expr).toContain(`${RECORD.errorRatio(promDuration(tier.longWindowMs))}{service="catalog-web",slo="${slo.name}"} ${threshold}`);
        expect(alert.expr).toContain(`${RECORD.errorRatio(promDuration(tier.shortWindowMs))}{service="catalog-web",slo="${slo.name}"} ${threshold}`);
        expect(alert.labels).toMatchObject({ severity: tier.severity });
        // The low-traffic guard is on pages only.
        expect(alert.expr.includes(" >= 2")).toBe(tier.severity === "page");
      }
      // Prometheus keeps the Workbook's 3-day ticket window that Cloud Monitoring cannot evaluate.
      expect(slo.tiers.find((t) => t.name === "ticket")!.longWindowMs).toBe(3 * 86_400_000);
    }
  });

  it("writes selectors with extra matchers and latency thresholds as bucket boundaries", () => {
    expect(withMatchers('m{a="1"}', 'le="0.3"')).toBe('m{a="1",le="0.3"}');
    expect(withMatchers("m", 'le="+Inf"')).toBe('m{le="+Inf"}');
    expect(leMatcher(300)).toBe('le="0.3"');
    expect(leMatcher(2000)).toBe('le=~"2|2\\\\.0"');
  });
});

/** kubernetes-models' validate(); its base class's types are exports-only, which moduleResolution "node" does not read. */
function validateOperatorRule(object: unknown): void {
  (new PrometheusRule(object as never) as unknown as { validate(): void }).validate();
}

describe("rule objects against their schemas", () => {
  const ajv = new Ajv({ allErrors: true, strict: true });
  const gmp = ajv.compile(JSON.parse(readFileSync(path.join(__dirname, "..", "..", "data", "gmp-rules.schema.json"), "utf8")) as object);

  it("PrometheusRule validates with kubernetes-models; GMP Rules and ClusterRules with the CRD's shape", () => {
    for (const { service, groups } of [...rulesOf(local), ...rulesOf(fixture)]) {
      const settings = local.program.settings.prometheus;
      const operator = ruleObject("prometheusRule", service, groups, settings);
      expect(() => validateOperatorRule(operator)).not.toThrow();
      expect(operator.metadata.labels).toMatchObject({ release: "kube-prometheus-stack" });
      for (const target of ["gmpRules", "gmpClusterRules"] as const) {
        const object = ruleObject(target, service, groups, settings);
        expect(gmp(object), JSON.stringify(gmp.errors)).toBe(true);
        expect(object.metadata.namespace).toBe(target === "gmpRules" ? ruleNamespace(service.runtime) : undefined);
      }
    }
  });

  it("the validators catch a broken object", () => {
    const { service, groups } = rulesOf(local)[0]!;
    const object = ruleObject("gmpRules", service, groups, local.program.settings.prometheus) as unknown as { spec: { groups: Record<string, unknown>[] } };
    delete object.spec.groups[0]!["interval"];
    expect(gmp(object)).toBe(false);
    const operator = ruleObject("prometheusRule", service, groups, local.program.settings.prometheus) as unknown as { spec: { groups: unknown } };
    operator.spec.groups = "not a list";
    expect(() => validateOperatorRule(operator)).toThrow();
  });

  it("the plan creates the configured rule objects with an explicit Kubernetes provider", () => {
    const rule = local.plan.resources.find((r) => r.type === "kubernetes:monitoring.coreos.com/v1:PrometheusRule")!;
    expect(rule.inputs).toMatchObject({ kind: "PrometheusRule", metadata: { name: "catalog-web-slo-rules", namespace: "shop" } });
    expect(local.plan.resources.find((r) => r.type === "pulumi:providers:kubernetes")!.inputs).toMatchObject({ context: "gke_acme-monitoring-local_europe-west1_prod-1" });
    const credentials = local.plan.resources.find((r) => r.name === "prometheus-channel-credentials")!;
    expect(credentials.inputs["stringData"]).toBe("[secret]");
  });
});

function ruleNamespace(runtime: { kind: string; namespace?: string }): string {
  return runtime.kind === "gke" ? runtime.namespace! : "monitoring";
}

describe("promtool check rules", () => {
  it("passes every generated rule file of the local and fixture plans", async () => {
    const files = [local, fixture].flatMap((o) => Object.entries(o.artefacts).filter(([file]) => file.startsWith("prometheus/")));
    expect(files.length).toBeGreaterThanOrEqual(2);
    await withTempDir((dir) => {
      files.forEach(([file, text], i) => writeFileSync(path.join(dir, `${i}-${path.basename(file)}`), text));
      const result = run("promtool", ["check", "rules", ...files.map(([file], i) => `${i}-${path.basename(file)}`)], dir);
      expect(result.status, result.output).toBe(0);
      expect(result.output).toContain("SUCCESS");
    });
  });

  it("fails a broken rule file (the check can fail)", async () => {
    await withTempDir((dir) => {
      writeFileSync(path.join(dir, "bad.yaml"), local.artefacts["prometheus/catalog-web.yaml"]!.replace("sum(rate(", "sum(rate(("));
      expect(run("promtool", ["check", "rules", "bad.yaml"], dir).status).not.toBe(0);
    });
  });
});

describe("amtool check-config", () => {
  it("passes the local plan's Alertmanager config", async () => {
    await withTempDir((dir) => {
      writeFileSync(path.join(dir, "alertmanager.yml"), local.artefacts[ALERTMANAGER_FILE]!);
      const result = run("amtool", ["check-config", "alertmanager.yml"], dir);
      expect(result.status, result.output).toBe(0);
    });
  });

  it("passes a config with every kind of channel, and holds no credential: only file references", async () => {
    const settings = settingsFrom({ "monitoring-stack:prometheus": JSON.stringify({ alertmanager: { smtp: { smarthost: "smtp.example.com:25", from: "am@example.com" } } }) });
    const services = fixture.program.services.map((service) => ({ ...service, routes: { page: ["sre-pager", "payments-pager"], ticket: ["sre-slack", "catalog-email", "incident-webhook"], info: [] } }));
    const am = alertmanagerPlan(services, settings);
    const text = renderAlertmanagerConfig(am, settings);
    for (const secret of ["pd-key", "xoxb-token", "t0ken"]) expect(text).not.toContain(secret);
    const receivers = (parse(text) as { receivers: Record<string, unknown>[] }).receivers;
    expect(receivers.find((r) => r["name"] === "sre-pager")).toMatchObject({ pagerduty_configs: [{ routing_key_file: "/etc/alertmanager/secrets/monitoring-stack-channels/sre-pager" }] });
    expect(receivers.find((r) => r["name"] === "sre-slack")).toMatchObject({
      slack_configs: [{ channel: "#sre-alerts", http_config: { authorization: { type: "Bearer", credentials_file: "/etc/alertmanager/secrets/monitoring-stack-channels/sre-slack" } } }],
    });
    expect(am.skipped.map((s) => s.channel)).toEqual(["incident-webhook"]);
    await withTempDir((dir) => {
      writeFileSync(path.join(dir, "alertmanager.yml"), text);
      const result = run("amtool", ["check-config", "alertmanager.yml"], dir);
      expect(result.status, result.output).toBe(0);
    });
  });
});
