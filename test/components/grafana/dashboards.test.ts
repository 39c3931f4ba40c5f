/**
 * Dashboards: every panel queries something that exists — a recording rule
 * the plan writes, a metric the declaration names (the runtime emits it), a
 * Cloud Monitoring metric from the metric catalogue, or an SLO the plan
 * creates — and the JSON is stable: uids from names, no id or version,
 * byte-identical on every run, and the very JSON Grafana receives.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { dashboardContext } from "../../../components/grafana/dashboards";
import { serviceDashboardUid, stableUid, stackDashboards } from "../../../components/grafana/dashboards";
import { parseSelector } from "../../../components/prometheus/promql";
import { fixturePlan, plan } from "../../plan/helpers";

type Outcome = Awaited<ReturnType<typeof plan>>;
interface Catalogue {
  metrics: Record<string, { labels: string[]; resourceTypes: string[] }>;
  resources: Record<string, { labels: string[] }>;
  sloSelectors: Record<string, unknown>;
}
const catalogue = JSON.parse(readFileSync(path.join(__dirname, "..", "..", "data", "gcp-metrics.json"), "utf8")) as Catalogue;

interface Target {
  datasource?: { type?: string };
  expr?: string;
  queryType?: string;
  timeSeriesList?: { filters?: string[]; groupBys?: string[] };
  sloQuery?: { selectorName: string; sloName: string };
}
interface Panel {
  id?: number;
  type: string;
  title?: string;
  targets?: Target[];
  datasource?: { type?: string };
}

let outcomes: Outcome[];
beforeAll(async () => {
  outcomes = [await plan({ stack: "local" }), await fixturePlan()];
});

const PROMQL_WORDS = new Set(["sum", "rate", "by", "le", "histogram_quantile", "vector", "or", "and", "count", "absent"]);

/** Metric and recording-rule names a PromQL expression reads. */
function promMetrics(expr: string): string[] {
  const names = new Set<string>();
  for (const match of expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\{|\[|$|\s|\))/g)) {
    const name = match[1]!;
    if (PROMQL_WORDS.has(name) || /^[0-9]/.test(name)) continue;
    if (name.includes(":") || match[2] === "{" || match[2] === "[") names.add(name);
  }
  return [...names];
}

/** `[key, "=", value, "AND", ...]` back to pairs. */
function filterPairs(filters: string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < filters.length; i += 4) pairs.push([filters[i]!, filters[i + 2]!]);
  return pairs;
}

describe("every panel queries something that exists", () => {
  it("Prometheus queries read recording rules the plan writes or metrics the declarations name", () => {
    for (const outcome of outcomes) {
      const ruleText = Object.entries(outcome.artefacts).filter(([f]) => f.startsWith("prometheus/")).map(([, t]) => parse(t) as { groups: { rules: { record?: string }[] }[] });
      const recorded = new Set(ruleText.flatMap((doc) => doc.groups.flatMap((g) => g.rules.map((r) => r.record).filter((r): r is string => r !== undefined))));
      const declared = new Set(
        outcome.program.services.flatMap((s) => s.slos.flatMap((slo) => (slo.indicator.kind === "prometheus" ? [slo.indicator.total, slo.indicator.bad, slo.indicator.good, slo.indicator.histogram] : []))).filter((x): x is string => x !== undefined).map((sel) => parseSelector(sel).metric),
      );
      let checked = 0;
      for (const [file, text] of Object.entries(outcome.artefacts).filter(([f]) => f.startsWith("grafana/"))) {
        for (const panel of (JSON.parse(text) as { panels: Panel[] }).panels) {
          for (const target of panel.targets ?? []) {
            if (target.datasource?.type !== "prometheus") continue;
            const names = promMetrics(target.expr!);
            expect(names.length, `${file}: ${panel.title}: ${target.expr}`).toBeGreaterThan(0);
            for (const name of names) {
              expect(recorded.has(name) || declared.has(name), `${file}: ${panel.title}: ${name} is neither recorded nor declared`).toBe(true);
              checked++;
            }
          }
        }
      }
      expect(checked).toBeGreaterThan(0);
    }
  });

  it("Cloud Monitoring queries name catalogued metrics, resource types and labels, and SLOs the plan creates", () => {
    for (const outcome of outcomes) {
      const slos = new Set(outcome.plan.resources.filter((r) => r.type === "gcp:monitoring/slo:Slo").map((r) => `projects/${String(r.inputs["project"])}/services/${String(r.inputs["service"])}/serviceLevelObjectives/${String(r.inputs["sloId"])}`));
      let series = 0;
      let sloQueries = 0;
      for (const [file, text] of Object.entries(outcome.artefacts).filter(([f]) => f.startsWith("grafana/"))) {
        for (const panel of (JSON.parse(text) as { panels: Panel[] }).panels) {
          for (const target of panel.targets ?? []) {
            if (target.datasource?.type !== "stackdriver") continue;
            const where = `${file}: ${panel.title}`;
            if (target.queryType === "slo") {
              expect(Object.keys(catalogue.sloSelectors), where).toContain(target.sloQuery!.selectorName);
              expect(slos.has(target.sloQuery!.sloName), `${where}: ${target.sloQuery!.sloName} is not planned`).toBe(true);
              sloQueries++;
              continue;
            }
            expect(target.queryType, where).toBe("timeSeriesList");
            const pairs = filterPairs(target.timeSeriesList!.filters!);
            const metricType = pairs.find(([k]) => k === "metric.type")?.[1];
            const metric = catalogue.metrics[metricType!];
            expect(metric, `${where}: metric ${metricType}`).toBeDefined();
            const resourceType = pairs.find(([k]) => k === "resource.type")?.[1];
            expect(metric!.resourceTypes, where).toContain(resourceType);
            for (const [key] of pairs.filter(([k]) => k.startsWith("resource.label."))) expect(catalogue.resources[resourceType!]!.labels, where).toContain(key.slice("resource.label.".length));
            for (const key of [...pairs.map(([k]) => k), ...(target.timeSeriesList!.groupBys ?? [])].filter((k) => k.startsWith("metric.label."))) {
              expect(metric!.labels, where).toContain(key.slice("metric.label.".length));
            }
            series++;
          }
        }
      }
      expect(series + sloQueries).toBeGreaterThan(0);
    }
  });

  it("the checker finds a query of something that does not exist", () => {
    expect(promMetrics('1 - slo:sli_error:ratio_rate1h{service="a"} / slo:error_budget:ratio{service="a"}')).toEqual(["slo:sli_error:ratio_rate1h", "slo:error_budget:ratio"]);
    expect(promMetrics('histogram_quantile(0.99, sum by (le) (rate(http_bucket{job="x"}[5m])))')).toEqual(["http_bucket"]);
  });
});

describe("stable dashboards", () => {
  it("have uids from names (at most 40 characters), no id or version, numbered panels, the fleet overview worst first", () => {
    for (const outcome of outcomes) {
      for (const [file, text] of Object.entries(outcome.artefacts).filter(([f]) => f.startsWith("grafana/"))) {
        const model = JSON.parse(text) as { uid: string; id?: unknown; version?: unknown; panels: Panel[] };
        expect(file).toBe(`grafana/${model.uid}.json`);
        expect(model.uid.length).toBeLessThanOrEqual(40);
        expect(model.id).toBeUndefined();
        expect(model.version).toBeUndefined();
        expect(model.panels.map((p) => p.id)).toEqual(model.panels.map((_, i) => i + 1));
      }
    }
    const fleet = JSON.parse(outcomes[0]!.artefacts["grafana/local-slo-fleet.json"]!) as { panels: (Panel & { transformations: { id: string; options: unknown }[] })[] };
    expect(fleet.panels[0]!.transformations.at(-1)).toEqual({ id: "sortBy", options: { sort: [{ field: "Budget left", desc: false }] } });
    // Prometheus SLOs in one query, and one query per Cloud Monitoring SLO: every SLO of the stack.
    const gcpSlos = outcomes[0]!.program.services.flatMap((s) => s.slos.filter((slo) => slo.evaluator === "cloudMonitoring"));
    expect(fleet.panels[0]!.targets!.length).toBe(gcpSlos.length + 1);
  });

  it("makes only uids Grafana accepts, and leaves every uid that was already valid byte-identical", () => {
    // Grafana's rule (pkg/util/shortid_generator.go ValidateUID): at most 40 of [a-zA-Z0-9_-].
    const valid = /^[a-zA-Z0-9_-]{1,40}$/;
    // The rule before uids were made valid: a uid Grafana already stores (rule state, silences, links) must come out the same.
    const before = (...parts: string[]) => {
      const text = parts.join("-");
      return text.length <= 40 ? text : `${text.slice(0, 31)}-${createHash("sha256").update(text).digest("hex").slice(0, 8)}`;
    };
    expect(stableUid("local", "slo", "catalog-web")).toBe("local-slo-catalog-web");
    expect(stableUid("prod", "ftry-api", "uptime", "SLOMetricsAbsent")).toBe("prod-ftry-api-uptime-SLOMetricsAbsent");
    // A recording rule's series name holds ':', which Grafana refuses: replaced, with the hash of the whole text.
    const record = stableUid("prod", "ftry-api", "uptime", "slo:objective:ratio");
    expect(record).toMatch(valid);
    expect(record).toBe(`prod-ftry-api-uptime-slo_object-${createHash("sha256").update("prod-ftry-api-uptime-slo:objective:ratio").digest("hex").slice(0, 8)}`);
    expect(stableUid("prod", "a:b")).not.toBe(stableUid("prod", "a_b"));
    const part = fc.string({ unit: fc.constantFrom(..."abcXYZ019-_:./ ".split("")), maxLength: 30 });
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 4 }), (parts) => {
        const uid = stableUid(...parts);
        expect(uid).toMatch(valid);
        if (valid.test(before(...parts))) expect(uid).toBe(before(...parts));
      }),
      { numRuns: 2000 },
    );
  });

  it("keeps a renamed service's uid (its first name) and shortens long names with a hash", () => {
    const [service] = outcomes[1]!.program.services;
    expect(serviceDashboardUid({ ...service!, name: "renamed", stableId: service!.stableId }, "test")).toBe(serviceDashboardUid(service!, "test"));
    const long = stableUid("production", "slo", "a-very-long-service-name-that-goes-on-and-on");
    expect(long.length).toBe(40);
    expect(long).toBe(stableUid("production", "slo", "a-very-long-service-name-that-goes-on-and-on"));
    expect(long).not.toBe(stableUid("production", "slo", "a-very-long-service-name-that-goes-on-and-off"));
  });

  it("renders byte-identical JSON every time, and Grafana receives exactly the planned file", () => {
    const { services, settings } = outcomes[0]!.program;
    // A new array: rendered afresh, not taken from the once-per-catalog cache.
    const again = stackDashboards([...services], dashboardContext(settings, "local"));
    for (const rendered of again) expect(`${JSON.stringify(rendered.model, null, 2)}\n`).toBe(outcomes[0]!.artefacts[`grafana/${rendered.uid}.json`]);
    const resource = outcomes[0]!.plan.resources.find((r) => r.name === "grafana-catalog-web")!;
    expect(resource.inputs["configJson"]).toBe(outcomes[0]!.artefacts["grafana/local-slo-catalog-web.json"]);
    expect(resource.inputs).toMatchObject({ overwrite: true });
  });

  it("configures the Grafana provider from the stack with the token as a secret, and one folder per team", () => {
    const resources = outcomes[0]!.plan.resources;
    expect(resources.find((r) => r.type === "pulumi:providers:grafana")!.inputs).toMatchObject({ url: "https://grafana.example.com", auth: "[secret]" });
    const folders = resources.filter((r) => r.type === "grafana:oss/folder:Folder").map((r) => r.inputs["uid"]);
    expect(folders).toEqual(["local-folder-catalog", "local-folder-payments", "local-folder-slo-overview", "local-folder-sre"]);
    // The fixture stack configures no Grafana: dashboards are rendered, nothing is provisioned.
    expect(outcomes[1]!.plan.resources.some((r) => r.type.startsWith("grafana:"))).toBe(false);
    expect(Object.keys(outcomes[1]!.artefacts).filter((f) => f.startsWith("grafana/")).length).toBe(3);
  });
});

describe("dashboards in a split environment", () => {
  it("give each service stack its own fleet overview and folders, so stacks never claim one uid", async () => {
    const { fleetDashboardUid, folderUid } = await import("../../../components/grafana/dashboards");
    const { services, settings } = (await plan({ stack: "local" })).program;
    const whole = stackDashboards(services, dashboardContext(settings, "local"));
    expect(whole.at(-1)!.uid).toBe(fleetDashboardUid(settings.environment));
    const sharded = { ...settings, platform: { stack: "prod-platform" } };
    const payments = stackDashboards(services, dashboardContext(sharded, "prod-payments"));
    const shop = stackDashboards(services, dashboardContext(sharded, "prod-shop"));
    expect(payments.at(-1)!.uid).toBe(fleetDashboardUid(settings.environment, "prod-payments"));
    expect(payments.at(-1)!.uid).not.toBe(shop.at(-1)!.uid);
    expect(payments.at(-1)!.model.title).toBe(`SLO fleet overview (${settings.environment}, prod-payments)`);
    // Service dashboards belong to the one stack that owns the service: their uids do not change.
    expect(payments.slice(0, -1).map((d) => d.uid)).toEqual(whole.slice(0, -1).map((d) => d.uid));
    expect(folderUid("payments", "prod", "prod-payments")).not.toBe(folderUid("payments", "prod", "prod-shop"));
  });
});
