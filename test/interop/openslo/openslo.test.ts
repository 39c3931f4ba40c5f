/**
 * OpenSLO v1 interop, as pure functions: import of realistic documents,
 * refusal of what the contract cannot express (with file, document, field,
 * value and expectation), export checked against OpenSLO's v1 JSON Schemas,
 * and round trips in both directions — on fixtures and on generated services.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import Ajv from "ajv";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadServices } from "../../../contract/load";
import { parseOpenSloFile, type SourceDocument } from "../../../interop/openslo/documents";
import { exportOpenSlo, target } from "../../../interop/openslo/exporter";
import { importOpenSlo, type ImportResult } from "../../../interop/openslo/importer";
import { declarationText, openSloText } from "../../../interop/openslo/render";
import { serviceModel, sloSeverities } from "../../../model/service";
import type { ServiceModel } from "../../../model/types";
import { DEFAULT_BURN_TIERS } from "../../../model/sloMath";
import { formatProblem, type Problem } from "../../../contract/problems";
import { serviceSchema, type ServiceSpec, type SloSpec } from "../../../contract/serviceSchema";
import type { StackSettings } from "../../../contract/stackConfig";
import { validateCatalog } from "../../../catalog/validate";
import { GOOD_DIR, REPO_ROOT, settingsFrom } from "../../support/declarations";

const FIXTURES = "test/fixtures/openslo";
const DATA = path.join(REPO_ROOT, "test/data/openslo");
const OPTIONS = { burnTiers: DEFAULT_BURN_TIERS };

function read(file: string, problems: Problem[] = []): SourceDocument[] {
  return parseOpenSloFile(readFileSync(path.join(REPO_ROOT, file), "utf8"), file, problems);
}

function importFiles(...files: string[]): ImportResult {
  const problems: Problem[] = [];
  const documents = files.flatMap((file) => read(file, problems));
  expect(problems.map(formatProblem)).toEqual([]);
  return importOpenSlo(documents, OPTIONS);
}

function importText(text: string, file = "exported.yaml", options: Parameters<typeof importOpenSlo>[1] = OPTIONS): ImportResult {
  const problems: Problem[] = [];
  const result = importOpenSlo(parseOpenSloFile(text, file, problems), options);
  return { ...result, problems: [...problems, ...result.problems] };
}

/** Problems as `path: start of message`, for exact assertions. */
function where(result: { problems: Problem[] }): string[] {
  return result.problems.map((p) => `${p.file}: ${p.path}`);
}

function models(specs: readonly ServiceSpec[], settings: StackSettings): ServiceModel[] {
  const loaded = specs.map((spec) => ({ file: `services/${spec.name}.yaml`, spec }));
  expect(validateCatalog(loaded, settings).map(formatProblem)).toEqual([]);
  return loaded.map(({ spec, file }) => serviceModel(spec, file, settings));
}

/** What a round trip must keep of an SLO. */
function essence(slo: SloSpec) {
  return { name: slo.name, objective: slo.objective, window: slo.window ?? "30d", ...(slo.budgeting?.method === "timeslices" ? { budgeting: slo.budgeting } : {}), indicator: slo.indicator };
}

const openSloValidator = (() => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const parts = readdirSync(path.join(DATA, "schemas-v1/parts")).map((file) => JSON.parse(readFileSync(path.join(DATA, "schemas-v1/parts", file), "utf8")) as object);
  ajv.addSchema(parts);
  return ajv.compile(JSON.parse(readFileSync(path.join(DATA, "schemas-v1/openslo.schema.json"), "utf8")) as object);
})();

describe("OpenSLO import", () => {
  it("maps realistic Cloud Monitoring documents: Cloud Run filters back to availability and latency, others to cloudMonitoring", () => {
    const result = importFiles(`${FIXTURES}/checkout.yaml`);
    expect(result.problems.map(formatProblem)).toEqual([]);
    expect(result.services).toHaveLength(1);
    expect(result.services[0]!.spec).toEqual({
      apiVersion: "monitoring-stack/v1",
      name: "checkout",
      team: "payments",
      tier: "critical",
      runtime: { cloudRun: { service: "checkout", region: "europe-west1" } },
      slos: [
        { name: "availability", objective: 99.9, window: "30d", indicator: { availability: {} }, alerting: { page: true, ticket: true } },
        { name: "latency", objective: 99, window: "30d", indicator: { latency: { threshold: "300ms" } }, alerting: { page: false, ticket: true } },
        {
          name: "lb-success",
          objective: 99.5,
          window: "28d",
          indicator: {
            cloudMonitoring: {
              total: 'metric.type="loadbalancing.googleapis.com/https/request_count" AND resource.type="https_lb_rule" AND resource.label.url_map_name="checkout"',
              good: 'metric.type="loadbalancing.googleapis.com/https/request_count" AND resource.type="https_lb_rule" AND resource.label.url_map_name="checkout" AND metric.label.response_code_class!=500',
            },
          },
          alerting: { page: false, ticket: false },
        },
      ],
      alerting: { page: ["payments-pager"], ticket: ["payments-slack"] },
    });
    // What the contract decides for the user is said, not hidden.
    expect(result.services[0]!.notes.join("\n")).toMatch(/page-slow, ticket-fast tier\(s\) of the same severity also apply/);
    expect(result.services[0]!.notes.join("\n")).toMatch(/define the channels payments-pager, payments-slack in the stack config/);
    expect(result.notes.join("\n")).toMatch(/alertAfter of 3 burn-rate condition/);
    // Channels the target stack already defines are not asked for.
    const known = importOpenSlo(read(`${FIXTURES}/checkout.yaml`, []), { ...OPTIONS, knownChannels: ["payments-pager"] });
    expect(known.services[0]!.notes.join("\n")).toMatch(/define the channels payments-slack in the stack config/);
  });

  it("maps Prometheus SLIs by reference, through a DataSource, reads rate() queries as selectors and splits several objectives", () => {
    const result = importFiles(`${FIXTURES}/catalog.yaml`);
    expect(result.problems.map(formatProblem)).toEqual([]);
    const spec = result.services[0]!.spec;
    expect(spec.runtime).toEqual({ external: {} });
    expect(spec.slos!.map(essence)).toEqual([
      { name: "availability", objective: 99.5, window: "30d", indicator: { prometheus: { total: 'http_requests_total{job="catalog"}', bad: 'http_requests_total{job="catalog",code=~"5.."}' } } },
      { name: "latency-fast", objective: 95, window: "7d", indicator: { prometheus: { histogram: 'http_request_duration_seconds_bucket{job="catalog"}', threshold: "250ms" } } },
      { name: "latency-acceptable", objective: 99, window: "7d", indicator: { prometheus: { histogram: 'http_request_duration_seconds_bucket{job="catalog"}', threshold: "1s" } } },
    ]);
    expect(spec.alerting).toEqual({ page: ["catalog-email"] });
    const notes = result.services[0]!.notes.join("\n");
    expect(notes).toMatch(/read as the series selector http_requests_total\{job="catalog"\}/);
    expect(notes).toMatch(/runtime set to external/);
    expect(notes).toMatch(/no alert policies; page and ticket alerts switched off/);
  });

  it("writes declarations that carry the editor schema comment, pass the contract and validate against a stack with those channels", async () => {
    const result = importFiles(`${FIXTURES}/checkout.yaml`, `${FIXTURES}/catalog.yaml`);
    const settings = settingsFrom();
    expect(validateCatalog(result.services.map((s) => ({ file: "x.yaml", spec: s.spec })), settings).map(formatProblem)).toEqual([]);
    const text = declarationText(result.services[0]!, "services");
    expect(text.split("\n")[0]).toBe("# yaml-language-server: $schema=../schema/service-v1.schema.json");
    const { parse } = await import("yaml");
    expect(serviceSchema.safeParse(parse(text)).success).toBe(true);
  });

  it("refuses every official v1 example, naming each field it cannot map", () => {
    const problems: Problem[] = [];
    const files = ["budgeting-method/occurences-slo.yaml", "budgeting-method/ratio-timeslices.yaml", "budgeting-method/timeslices-slo.yaml", "treat-low-traffic-as-equally-important/timeslices-slo.yaml"];
    const documents = files.flatMap((file) => parseOpenSloFile(readFileSync(path.join(DATA, "examples", file), "utf8"), file, problems));
    expect(problems).toEqual([]);
    const result = importOpenSlo(documents, OPTIONS);
    expect(result.services).toEqual([]);
    // Two examples share the SLO name service-availability: that is refused as well.
    expect(where(result)).toEqual([
      "treat-low-traffic-as-equally-important/timeslices-slo.yaml: doc[0](SLO/service-availability).metadata.name",
      "budgeting-method/occurences-slo.yaml: doc[0](SLO/search-slo).spec.indicator.spec.thresholdMetric.metricSource.type",
      "budgeting-method/ratio-timeslices.yaml: doc[0](SLO/main-page).spec.budgetingMethod",
      "budgeting-method/ratio-timeslices.yaml: doc[0](SLO/main-page).spec.indicator.spec.ratioMetric.total.metricSource.type",
      "budgeting-method/ratio-timeslices.yaml: doc[0](SLO/main-page).spec.indicator.spec.ratioMetric.good.metricSource.type",
      "budgeting-method/timeslices-slo.yaml: doc[0](SLO/service-availability).spec.timeWindow[0].duration",
      "budgeting-method/timeslices-slo.yaml: doc[0](SLO/service-availability).spec.indicator.spec.ratioMetric.total.metricSource.type",
      "budgeting-method/timeslices-slo.yaml: doc[0](SLO/service-availability).spec.indicator.spec.ratioMetric.good.metricSource.type",
      "treat-low-traffic-as-equally-important/timeslices-slo.yaml: doc[0](SLO/service-availability).spec.timeWindow[0].calendar.timeZone",
      "treat-low-traffic-as-equally-important/timeslices-slo.yaml: doc[0](SLO/service-availability).spec.timeWindow[0].calendar.startTime",
      "treat-low-traffic-as-equally-important/timeslices-slo.yaml: doc[0](SLO/service-availability).spec.indicator.spec.ratioMetric.total.metricSource.type",
      "treat-low-traffic-as-equally-important/timeslices-slo.yaml: doc[0](SLO/service-availability).spec.indicator.spec.ratioMetric.good.metricSource.type",
    ]);
    for (const problem of result.problems) expect(problem.message).toMatch(/\(got .*, expected .*\)$/);
    expect(formatProblem(result.problems[1]!)).toBe(
      'budgeting-method/occurences-slo.yaml: doc[0](SLO/search-slo).spec.indicator.spec.thresholdMetric.metricSource.type: unknown metric source (got "Any", expected Prometheus or a Prometheus-compatible store (Mimir, Thanos, Cortex, VictoriaMetrics, AmazonPrometheus, GrafanaCloud, GoogleManagedPrometheus), or for Google Cloud Monitoring one of CloudMonitoring, GoogleCloudMonitoring, GCM, Stackdriver)',
    );
  });

  it("refuses what cannot be mapped, one problem per field, never dropping it", () => {
    const slo = (name: string, spec: string) => `---
apiVersion: openslo/v1
kind: SLO
metadata: { name: ${name}, labels: { team: t } }
spec:
  service: svc
${spec}`;
    const ratio = `  indicator:
    metadata: { name: i }
    spec:
      ratioMetric:
        good: { metricSource: { type: Prometheus, spec: { query: 'up{job="a"}' } } }
        total: { metricSource: { type: Prometheus, spec: { query: 'up' } } }`;
    const text = [
      slo("calendar", `${ratio}\n  timeWindow: [{ duration: 1M, isRolling: false, calendar: { startTime: "2024-01-01 00:00:00", timeZone: Europe/Paris } }]\n  budgetingMethod: Occurrences\n  objectives: [{ target: 0.99 }]`),
      slo("long", `${ratio}\n  timeWindow: [{ duration: 90d, isRolling: true }]\n  budgetingMethod: Occurrences\n  objectives: [{ target: 0.99 }]`),
      slo("quantile", `  indicator:\n    metadata: { name: q }\n    spec:\n      thresholdMetric: { metricSource: { type: Prometheus, spec: { query: 'histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m])))' } } }\n  budgetingMethod: Occurrences\n  objectives: [{ op: lt, value: 0.3, target: 0.99 }]`),
      slo("gauge", `  indicator:\n    metadata: { name: g }\n    spec:\n      thresholdMetric: { metricSource: { type: Prometheus, spec: { query: 'queue_depth' } } }\n  budgetingMethod: Occurrences\n  objectives: [{ op: gt, value: 10, target: 0.99 }]`),
      slo("raw", `  indicator:\n    metadata: { name: r }\n    spec:\n      ratioMetric: { counter: true, raw: { metricSource: { type: Prometheus, spec: { query: x } } }, total: { metricSource: { type: Prometheus, spec: { query: y } } } }\n  budgetingMethod: Occurrences\n  objectives: [{ target: 0.99 }]`),
      slo("datadog", `  indicator:\n    metadata: { name: d }\n    spec:\n      ratioMetric: { good: { metricSource: { type: Datadog, spec: { query: a } } }, total: { metricSource: { type: Datadog, spec: { query: b } } } }\n  budgetingMethod: Occurrences\n  objectives: [{ target: 0.99 }]`),
      slo("composite", `${ratio}\n  budgetingMethod: Occurrences\n  objectives: [{ target: 0.99, compositeWeight: 1 }]\n  composite: { target: 0.9 }`),
      slo("burn", `${ratio}\n  budgetingMethod: Occurrences\n  objectives: [{ target: 0.999 }]\n  alertPolicies:\n    - kind: AlertPolicy\n      metadata: { name: p }\n      spec:\n        conditions: [{ kind: AlertCondition, metadata: { name: c }, spec: { severity: page, condition: { kind: burnrate, op: gte, threshold: 10, lookbackWindow: 1h, alertAfter: 5m } } }]\n        notificationTargets: [{ targetRef: nobody }]`),
      slo("mql", `  indicator:\n    metadata: { name: m }\n    spec:\n      ratioMetric: { good: { metricSource: { type: GCM, spec: { query: 'fetch k8s_container | metric x' } } }, total: { metricSource: { type: GCM, spec: { query: 'fetch k8s_container' } } } }\n  budgetingMethod: Occurrences\n  objectives: [{ target: 0.99 }]`),
      "---\napiVersion: openslo.com/v2alpha\nkind: SLO\nmetadata: { name: newer }\nspec: {}\n",
    ].join("\n");
    const result = importText(text, "refused.yaml");
    // A quantile or a gauge compared to a threshold: its samples over each window, kept as PromQL (promql).
    expect(result.services.map((s) => s.spec.slos!.map((slo) => [slo.name, slo.indicator.promql?.errorRatio]))).toEqual([
      [
        ["quantile", "(sum(count_over_time(((histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m])))) >= 0.3)[{{.window}}:])) or vector(0)) / sum(count_over_time((histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m]))))[{{.window}}:]))"],
        ["gauge", "(sum(count_over_time(((queue_depth) <= 10)[{{.window}}:])) or vector(0)) / sum(count_over_time((queue_depth)[{{.window}}:]))"],
      ],
    ]);
    expect(where(result)).toEqual([
      "refused.yaml: doc[9].apiVersion",
      "refused.yaml: doc[0](SLO/calendar).spec.timeWindow[0].calendar.timeZone",
      "refused.yaml: doc[1](SLO/long).spec.timeWindow[0].duration",
      "refused.yaml: doc[4](SLO/raw).spec.indicator.spec.ratioMetric.raw",
      "refused.yaml: doc[4](SLO/raw).spec.indicator.spec.ratioMetric",
      "refused.yaml: doc[5](SLO/datadog).spec.indicator.spec.ratioMetric.total.metricSource.type",
      "refused.yaml: doc[5](SLO/datadog).spec.indicator.spec.ratioMetric.good.metricSource.type",
      "refused.yaml: doc[6](SLO/composite).spec.composite",
      "refused.yaml: doc[6](SLO/composite).spec.objectives[0].compositeWeight",
      "refused.yaml: doc[7](SLO/burn).spec.alertPolicies[0].spec.conditions[0].spec.condition",
      "refused.yaml: doc[7](SLO/burn).spec.alertPolicies[0].spec.notificationTargets[0]",
      "refused.yaml: doc[8](SLO/mql).spec.indicator.spec.ratioMetric.total.metricSource.spec.query",
      "refused.yaml: doc[8](SLO/mql).spec.indicator.spec.ratioMetric.good.metricSource.spec.query",
    ]);
    const burn = result.problems.find((p) => p.path.endsWith("spec.condition"))!;
    expect(burn.message).toContain("got threshold 10 over \"1h\"");
    expect(burn.message).toContain("page-fast (page) 14.4 over 1h");
    for (const problem of result.problems) expect(problem.message).toMatch(/\(got .*expected .*\)$/);
  });

  it("needs a team: from the Service, its SLOs or --team", () => {
    const text = readFileSync(path.join(REPO_ROOT, FIXTURES, "catalog.yaml"), "utf8").replace(/\n {2}labels:\n {4}team: catalog/g, "");
    // The service is refused at its first SLO; its other SLO says it was refused with it.
    expect(where(importText(text))).toEqual(["exported.yaml: doc[2](SLO/catalog-availability).metadata.labels.team", "exported.yaml: doc[3](SLO/catalog-latency)"]);
    expect(importText(text).problems[1]!.message).toMatch(/^refused with its service \(got service catalog refused at exported.yaml doc\[2\]\(SLO\/catalog-availability\)\.metadata\.labels\.team: missing team, expected a service that imports/);
    expect(importText(text, "x.yaml", { ...OPTIONS, team: "shop" }).services[0]!.spec.team).toBe("shop");
  });
});

/** Where the export refuses an indicator OpenSLO cannot state (uptime, a 0/1 gauge), else undefined. */
function notExported(indicator: ServiceModel["slos"][number]["indicator"]): string | undefined {
  if (indicator.kind === "uptime") return "indicator.uptime";
  if (indicator.kind === "promql") return "indicator.promql";
  return indicator.kind === "prometheus" && indicator.boolGauge !== undefined ? "indicator.prometheus.boolGauge" : undefined;
}

describe("OpenSLO calendar windows and time slices", () => {
  const example = readFileSync(path.join(DATA, "examples", "budgeting-method", "timeslices-slo.yaml"), "utf8");
  const SOURCE = /type: Any # Any service with needed metrics\n(\s+)spec: # Fields necessary to query service for the data.\n\s+query: Any # 'query' is just an example field./;
  const LB = 'metric.type=\\"loadbalancing.googleapis.com/https/request_count\\" resource.type=\\"https_lb_rule\\"';
  /** OpenSLO's own Timeslices example, with real sources (good first, then total) and its calendar as Cloud Monitoring's month. */
  const variant = (type: string, good: string, total: string) =>
    example
      .replace("duration: 1m # Contracts", "duration: 1M # Contracts")
      .replace("startTime: 2022-01-01 12:00:00", 'startTime: "2022-01-01 00:00:00"')
      .replace("timeZone: America/New_York", "timeZone: Etc/UTC")
      .replace(SOURCE, (_m, indent: string) => `type: ${type}\n${indent}spec:\n${indent}  query: "${good}"`)
      .replace(SOURCE, (_m, indent: string) => `type: ${type}\n${indent}spec:\n${indent}  query: "${total}"`);
  const monthly = variant("CloudMonitoring", `${LB} metric.label.response_code_class=200`, LB);

  it("maps a calendar month in UTC and Timeslices onto the contract, objective by objective", () => {
    expect(monthly).not.toBe(example);
    const result = importText(monthly, "timeslices-slo.yaml", { ...OPTIONS, team: "web" });
    expect(result.problems.map(formatProblem)).toEqual([]);
    const slos = result.services[0]!.spec.slos!;
    expect(slos.map((slo) => [slo.name, slo.objective, slo.window, slo.budgeting])).toEqual([
      ["service-availability-internal-objective", 99.5, "calendar-month", { method: "timeslices", slice: "1m", sliceTarget: 0.99 }],
      ["service-availability-sla", 99, "calendar-month", { method: "timeslices", slice: "1m", sliceTarget: 0.99 }],
    ]);
    expect(serviceSchema.safeParse(result.services[0]!.spec).success).toBe(true);
  });

  it("refuses a calendar Cloud Monitoring cannot honour: another time zone, a start off the period's boundary, a duration it has no period for", () => {
    const result = importText(example, "timeslices-slo.yaml", { ...OPTIONS, team: "web" });
    const at = (field: string) => result.problems.find((p) => p.path.endsWith(field))!.message;
    expect(at("spec.timeWindow[0].duration")).toBe(
      'not supported (got "1m" for a calendar window, expected 1d, 1w, 2w or 1M: Cloud Monitoring\'s calendar periods are a day, a week, a fortnight and a month)',
    );
    const oslo = read("test/data/interop/openslo/OpenSLO_oslo__test_inputs_v1_slo_slo-no-indicatorref-calendar-no-alerts.yaml");
    const day = importOpenSlo(oslo, { ...OPTIONS, team: "web" });
    const zone = day.problems.find((p) => p.path.endsWith("calendar.timeZone"))!;
    expect(zone.message).toMatch(/^not supported \(got "America\/New_York", expected UTC: Cloud Monitoring's calendar periods begin at midnight UTC/);
    expect(day.problems.find((p) => p.path.endsWith("calendar.startTime"))!.message).toMatch(/got "2020-01-21 12:30:00", expected a start at midnight \(00:00:00\)/);
    const calendar = (duration: string, start: string) =>
      importText(monthly.replace("duration: 1M # Contracts", `duration: ${duration} # Contracts`).replace('startTime: "2022-01-01 00:00:00"', `startTime: "${start}"`), "x.yaml", { ...OPTIONS, team: "web" }).problems.map((p) => p.message);
    expect(calendar("1w", "2024-01-02 00:00:00")).toEqual([expect.stringMatching(/got "2024-01-02 00:00:00", expected a Monday/)]);
    expect(calendar("2w", "2024-01-08 00:00:00")).toEqual([expect.stringMatching(/expected the Monday of an odd ISO week/)]);
    expect(calendar("2w", "2024-01-15 00:00:00")).toEqual([]);
    expect(calendar("1M", "2024-02-02 00:00:00")).toEqual([expect.stringMatching(/expected the 1st of a month/)]);
    expect(calendar("1Q", "2024-01-01 00:00:00")).toEqual([expect.stringMatching(/got "1Q" for a calendar window, expected 1d, 1w, 2w or 1M/)]);
    expect(calendar("1d", "2024-03-05 00:00:00")).toEqual([]);
  });

  it("keeps refusing RatioTimeslices, saying why Cloud Monitoring cannot count it", () => {
    const oslo = read("test/data/interop/openslo/OpenSLO_OpenSLO__examples_budgeting-method_ratio-timeslices.yaml");
    const result = importOpenSlo(oslo, { ...OPTIONS, team: "web" });
    const problem = result.problems.find((p) => p.path.endsWith("spec.budgetingMethod"))!;
    expect(problem.message).toMatch(/^not supported \(got "RatioTimeslices", expected Occurrences or Timeslices: RatioTimeslices averages the slices' ratios/);
    expect(problem.message).toContain("the count of time windows for which the provided service was of good quality");
  });

  it("refuses a calendar period on a Prometheus indicator, whose rules have no calendar boundaries", () => {
    const prometheus = variant("Prometheus", 'http_requests_total{code!~\\"5..\\"}', "http_requests_total");
    const result = importText(prometheus, "x.yaml", { ...OPTIONS, team: "web" });
    expect(result.services).toEqual([]);
    expect(result.problems.map((p) => p.message)).toEqual(expect.arrayContaining([expect.stringMatching(/got a calendar window, calendar-month, with a Prometheus indicator, expected a rolling window/)]));
  });
});

describe("OpenSLO export", () => {
  it("writes documents valid against OpenSLO's v1 JSON Schemas, tiers read from the model", async () => {
    const settings = settingsFrom();
    const loaded = await loadServices([GOOD_DIR, "services"]);
    const services = models(loaded.services.map((s) => s.spec).filter((spec) => spec.name !== "status-page" && spec.name !== "status-site"), settings);
    const result = exportOpenSlo(services, settings.channels);
    expect(result.problems.map((p) => p.path)).toEqual(services.flatMap((s) => s.slos.flatMap((slo, i) => (notExported(slo.indicator) ? [`slos[${i}].${notExported(slo.indicator)}`] : []))));
    for (const doc of result.documents) expect(openSloValidator(doc), `${JSON.stringify(doc).slice(0, 120)}: ${JSON.stringify(openSloValidator.errors)}`).toBe(true);
    // Every burn-rate condition is exactly a tier of the model.
    const policies = result.documents.filter((d) => d["kind"] === "AlertPolicy");
    const tiers = services.flatMap((s) => s.slos.filter((slo) => !notExported(slo.indicator)).flatMap((slo) => slo.tiers));
    expect(policies.map((p) => (p as { spec: { conditions: [{ spec: { condition: { threshold: number } } }] } }).spec.conditions[0].spec.condition.threshold)).toEqual(tiers.map((t) => t.burnRate));
    // No credential of the stack leaks into the documents.
    const text = openSloText(result.documents);
    for (const secret of ["pd-key", "xoxb-token", "t0ken"]) expect(text).not.toContain(secret);
  });

  it("round trip, ours → OpenSLO → ours: every SLO keeps its objective, window and indicator; switches, routes and runtime too", async () => {
    const settings = settingsFrom();
    const loaded = await loadServices([GOOD_DIR, "services"]);
    const specs = loaded.services.map((s) => s.spec);
    const services = models(specs, settings);
    const exported = exportOpenSlo(services, settings.channels);
    const back = importText(openSloText(exported.documents), "exported.yaml", { ...OPTIONS, team: "unused" });
    expect(back.problems.map(formatProblem)).toEqual([]);
    for (const service of services) {
      const original = specs.find((s) => s.name === service.name)!;
      const imported = back.services.find((s) => s.spec.name === service.name)!.spec;
      const mappable = (original.slos ?? []).filter((slo) => !slo.indicator.uptime && !slo.indicator.prometheus?.boolGauge && !slo.indicator.promql);
      expect(imported.slos?.map(essence) ?? []).toEqual(mappable.map(essence));
      expect(imported.slos?.map((slo) => slo.alerting) ?? []).toEqual(mappable.map((slo) => sloSeverities(slo, service.tier)));
      expect(imported.runtime).toEqual(original.runtime.gke ? { gke: { ...original.runtime.gke, selector: service.runtime.kind === "gke" ? service.runtime.selector : {} } } : original.runtime);
      expect([imported.team, imported.tier, imported.runbook]).toEqual([service.team, service.tier, service.runbook]);
      const severities = new Set(service.slos.filter((slo) => !notExported(slo.indicator)).flatMap((slo) => slo.tiers.map((t) => t.severity)));
      for (const severity of ["page", "ticket"] as const) {
        expect(imported.alerting?.[severity] ?? [], `${service.name} ${severity}`).toEqual(severities.has(severity) ? service.routes[severity] : []);
      }
    }
  });

  it("round trip, OpenSLO → ours → OpenSLO → ours: the realistic documents keep objectives, windows and indicators", () => {
    const settings = settingsFrom();
    const first = importFiles(`${FIXTURES}/checkout.yaml`, `${FIXTURES}/catalog.yaml`);
    expect(first.problems).toEqual([]);
    const exported = exportOpenSlo(models(first.services.map((s) => s.spec), settings), settings.channels);
    expect(exported.problems).toEqual([]);
    // The exported SLOs say what the originals said: same targets, same rolling windows (4w is 28d).
    const slos = exported.documents.filter((d) => d["kind"] === "SLO") as Array<{ metadata: { name: string }; spec: { objectives: Array<{ target: number; op?: string; value?: number }>; timeWindow: Array<{ duration: string }> } }>;
    expect(slos.map((d) => [d.metadata.name, d.spec.timeWindow[0]!.duration, d.spec.objectives[0]!.target, d.spec.objectives[0]!.value ?? null])).toEqual([
      ["catalog-availability", "30d", 0.995, null],
      ["catalog-latency-fast", "7d", 0.95, 0.25],
      ["catalog-latency-acceptable", "7d", 0.99, 1],
      ["checkout-availability", "30d", 0.999, null],
      ["checkout-latency", "30d", 0.99, 300],
      ["checkout-lb-success", "28d", 0.995, null],
    ]);
    const second = importText(openSloText(exported.documents));
    expect(second.problems.map(formatProblem)).toEqual([]);
    expect(second.services.map((s) => s.spec.slos)).toEqual(first.services.map((s) => s.spec.slos));
    expect(second.services.map((s) => [s.spec.runtime, s.spec.alerting, s.spec.team])).toEqual(first.services.map((s) => [s.spec.runtime, s.spec.alerting, s.spec.team]));
  });

  it("round trip of generated services: what export writes, import reads back to the same SLOs", () => {
    const settings = settingsFrom();
    const selector = fc.constantFrom('http_requests_total{job="api"}', "grpc_server_handled_total", 'rpc_total{svc="a",code=~"5.."}');
    const filter = fc.constantFrom('metric.type="loadbalancing.googleapis.com/https/request_count" AND resource.type="https_lb_rule"', 'metric.type="custom.googleapis.com/ok" AND metric.label.kind="good"');
    const ms = fc.integer({ min: 1, max: 600_000 }).map((n) => (n % 1000 === 0 ? `${n / 1000}s` : `${n}ms`));
    const indicator = (cloudRun: boolean) =>
      fc.oneof(
        fc.record({ prometheus: fc.oneof(fc.record({ total: selector, bad: selector }), fc.record({ total: selector, good: selector }), fc.record({ histogram: selector.map((s) => s.replace(/^(\w+)/, "$1_bucket")), threshold: ms })) }),
        fc.record({ cloudMonitoring: fc.oneof(fc.record({ total: filter, good: filter }), fc.record({ total: filter, bad: filter })) }),
        ...(cloudRun ? [fc.constant({ availability: {} }), ms.map((threshold) => ({ latency: { threshold } }))] : []),
      );
    const service = fc.boolean().chain((cloudRun) =>
      fc.record({
        tier: fc.constantFrom("critical", "standard", "low" as const),
        slos: fc.uniqueArray(
          fc.record({
            name: fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/),
            objective: fc.integer({ min: 95_000, max: 99_990 }).map((n) => n / 1000),
            window: fc.integer({ min: 7, max: 30 }).map((d) => `${d}d`),
            indicator: indicator(cloudRun),
            alerting: fc.record({ page: fc.boolean(), ticket: fc.boolean() }),
          }),
          { minLength: 1, maxLength: 3, selector: (s) => s.name },
        ),
        runtime: fc.constant(cloudRun ? { cloudRun: { service: "api", region: "europe-west1" } } : { external: {} }),
      }),
    );
    fc.assert(
      fc.property(service, (generated) => {
        const spec = { apiVersion: "monitoring-stack/v1", name: "svc", team: "team", ...generated } as ServiceSpec;
        fc.pre(serviceSchema.safeParse(spec).success && validateCatalog([{ file: "svc.yaml", spec }], settings).length === 0);
        const exported = exportOpenSlo([serviceModel(spec, "svc.yaml", settings)], settings.channels);
        const back = importText(openSloText(exported.documents));
        expect(back.problems.map(formatProblem)).toEqual([]);
        const imported = back.services[0]!.spec;
        expect(imported.slos!.map(essence)).toEqual(spec.slos!.map(essence));
        expect(imported.slos!.map((s) => s.alerting)).toEqual(spec.slos!.map((s) => s.alerting));
        expect(imported.runtime).toEqual(spec.runtime);
      }),
      { numRuns: 150 },
    );
  });

  it("writes objectives as fractions without float noise", () => {
    expect([99.9, 99.95, 99.99, 95.123, 99].map(target)).toEqual([0.999, 0.9995, 0.9999, 0.95123, 0.99]);
  });
});

