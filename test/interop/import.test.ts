/**
 * Import of real documents in every format we read: format detection per
 * document, Sloth (both shapes, plugins, raw ratios), Pyrra (ratio, latency;
 * bool_gauge and native histograms refused), OpenSLO leniency where the
 * meaning is unambiguous, refusals grouped by document and reported once,
 * the acceptance table in docs/importing.md kept current, and imported
 * declarations that validate and plan.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { yamlFiles } from "../../cli/importCommand";
import { readStackSettings } from "../../catalog/stackSettings";
import { validateCatalog } from "../../catalog/validate";
import { displayPath } from "../../contract/load";
import { formatProblem } from "../../contract/problems";
import { serviceSchema } from "../../contract/serviceSchema";
import { acceptanceRows, acceptanceTable, detectFormat, importEachFile, importFiles, parseFile, type ImportReport } from "../../interop/import";
import { DEFAULT_BURN_TIERS, tierDefinitions } from "../../model/sloMath";
import { runPlan } from "../../plan/runPlan";
import { REPO_ROOT, settingsFrom } from "../support/declarations";

const DATA = "test/data/interop";
const OPTIONS = { burnTiers: DEFAULT_BURN_TIERS, team: "payments" };

function file(relative: string) {
  return { file: `${DATA}/${relative}`, text: readFileSync(path.join(REPO_ROOT, DATA, relative), "utf8") };
}

function text(content: string, name = "given.yaml") {
  return { file: name, text: content };
}

function sloSpecs(report: ImportReport) {
  return report.services.flatMap((s) => (s.spec.slos ?? []).map((slo) => ({ service: s.spec.name, ...slo })));
}

function reasons(report: ImportReport): string[] {
  return report.problems.map((p) => `${p.path}: ${p.message}`);
}

describe("format detection", () => {
  it("tells every format apart per document and names what it expected otherwise", () => {
    expect(detectFormat({ apiVersion: "openslo/v1", kind: "SLO" })).toBe("OpenSLO");
    expect(detectFormat({ apiVersion: "openslo.com/v1", kind: "SLO" })).toBe("OpenSLO");
    expect(detectFormat({ apiVersion: "openslo/v1alpha", kind: "SLO" })).toBe("OpenSLO");
    expect(detectFormat({ version: "prometheus/v1", service: "x" })).toBe("Sloth");
    expect(detectFormat({ apiVersion: "sloth.slok.dev/v1", kind: "PrometheusServiceLevel" })).toBe("Sloth");
    expect(detectFormat({ apiVersion: "pyrra.dev/v1alpha1", kind: "ServiceLevelObjective" })).toBe("Pyrra");
    expect(detectFormat({ apiVersion: "v1", kind: "ConfigMap" })).toBeUndefined();
    const report = importFiles([text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")], OPTIONS);
    expect(reasons(report)).toEqual([expect.stringMatching(/^doc\[0\]: unknown format \(got apiVersion "v1" kind "ConfigMap", expected OpenSLO .*Sloth .*Pyrra /)]);
  });
});

describe("Sloth", () => {
  it("imports both shapes of the getting-started example to the same SLO, with {{.window}} queries read as selectors", () => {
    const plain = importFiles([file("sloth/slok_sloth__examples_getting-started.yml")], OPTIONS);
    const kubernetes = importFiles([file("sloth/slok_sloth__examples_k8s-getting-started.yml")], OPTIONS);
    expect(plain.problems).toEqual([]);
    expect(kubernetes.problems).toEqual([]);
    const expected = {
      service: "myservice",
      name: "requests-availability",
      objective: 99.9,
      window: "30d",
      indicator: { prometheus: { total: 'http_request_duration_seconds_count{job="myservice"}', bad: 'http_request_duration_seconds_count{job="myservice",code=~"(5..|429)"}' } },
      alerting: { page: true, ticket: true },
    };
    expect(sloSpecs(plain)).toEqual([expected]);
    expect(sloSpecs(kubernetes)).toEqual([expected]);
    // The owner label names the team; Sloth's period default and its alert windows are said.
    expect(plain.services[0]!.spec.team).toBe("myteam");
    expect(plain.services[0]!.notes.join("\n")).toMatch(/Sloth's default 30d applies/);
    expect(plain.services[0]!.notes.join("\n")).toMatch(/become the stack's page and ticket tiers/);
  });

  it("reads total minus a histogram bucket as good events, disabled alerts as switches off, and expands published plugins", () => {
    const apiserver = importFiles([file("sloth/slok_sloth__examples_kubernetes-apiserver.yml")], OPTIONS);
    expect(sloSpecs(apiserver).map((s) => s.indicator)).toEqual([
      { prometheus: { total: "apiserver_request_total", bad: 'apiserver_request_total{code=~"(5..|429)"}' } },
      // count − bucket{le="0.4"} errors: the histogram's requests slower than 400 ms.
      { prometheus: { histogram: 'apiserver_request_duration_seconds_bucket{verb!="WATCH"}', threshold: "400ms" } },
    ]);
    const quiet = importFiles([file("sloth/slok_sloth__examples_no-alerts.yml")], OPTIONS);
    expect(sloSpecs(quiet)[0]!.alerting).toEqual({ page: false, ticket: false });

    const plugins = importFiles(
      [
        text(`version: prometheus/v1
service: cluster
labels: {team: platform}
slos:
  - name: apiserver
    objective: 99.5
    sli: {plugin: {id: sloth-common/kubernetes/apiserver/availability, options: {filter: 'job="apiserver"'}}}
  - name: ingress-latency
    objective: "99"
    sli: {plugin: {id: sloth-common/slok-go-http-metrics/latency, options: {filter: 'handler="/api"', bucket: "0.25"}}}
  - name: private
    objective: 99
    sli: {plugin: {id: lokalise/nginx-http/availability}}
  - name: missing-option
    objective: 99
    sli: {plugin: {id: sloth-common/istio/v1/availability, options: {service: api}}}
`),
      ],
      OPTIONS,
    );
    expect(sloSpecs(plugins).map((s) => [s.name, s.objective, s.indicator])).toEqual([
      ["apiserver", 99.5, { prometheus: { total: 'apiserver_request_total{job="apiserver"}', bad: 'apiserver_request_total{job="apiserver",code=~"(5..|429)"}' } }],
      ["ingress-latency", 99, { prometheus: { histogram: 'http_request_duration_seconds_bucket{handler="/api"}', threshold: "250ms" } }],
    ]);
    expect(reasons(plugins)).toEqual([
      expect.stringMatching(/^doc\[0\]\(Sloth\/cluster\)\.slos\[2\]\.sli\.plugin\.id: not supported \(got plugin "lokalise\/nginx-http\/availability": its query is not known here, expected one of the published sloth-common plugins: /),
      expect.stringMatching(/^doc\[0\]\(Sloth\/cluster\)\.slos\[3\]\.sli\.plugin\.options: invalid options \(got plugin "sloth-common\/istio\/v1\/availability": missing option namespace, /),
    ]);
  });

  it("reads a raw error ratio of counters, refuses an average of gauges and MetricsQL with the reason", () => {
    const raw = importFiles(
      [
        text(`version: prometheus/v1
service: api
labels: {owner: web}
slos:
  - name: ratio
    objective: 99.9
    sli: {raw: {error_ratio_query: 'sum(rate(errors_total[{{.window}}])) / sum(rate(requests_total[{{.window}}]))'}}
  - name: mql
    objective: 99
    sli: {events: {error_query: 'histogram_share(0.2, http_bucket[{{.window}}])', total_query: 'count_over_time(x[{{.window}}])'}}
`),
      ],
      OPTIONS,
    );
    expect(sloSpecs(raw).map((s) => s.indicator)).toEqual([{ prometheus: { total: "requests_total", bad: "errors_total" } }]);
    expect(reasons(raw).map((r) => r.replace(/ \(got[\s\S]*$/, ""))).toEqual(["doc[0](Sloth/api).slos[1].sli.events.total_query: not supported", "doc[0](Sloth/api).slos[1].sli.events.error_query: not supported"]);
    const wifi = importFiles([file("sloth/slok_sloth__examples_raw-home-wifi.yml")], OPTIONS);
    expect(reasons(wifi)).toEqual([expect.stringMatching(/sli\.raw\.error_ratio_query: not supported \(got .*sum_over_time.*expected an error ratio of two counters/s)]);
  });
});

describe("Sloth AlertWindows", () => {
  it("imports nothing from them, and gives the same tiers as burnRateTiers entries when they scale to whole minutes over 30d", () => {
    const windows = (period: string) =>
      text(`apiVersion: sloth.slok.dev/v1
kind: AlertWindows
spec:
  sloPeriod: ${period}
  page: {quick: {errorBudgetPercent: 1, shortWindow: 2m, longWindow: 30m}, slow: {errorBudgetPercent: 2, shortWindow: 15m, longWindow: 3h}}
  ticket: {quick: {errorBudgetPercent: 5, shortWindow: 1h, longWindow: 12h}, slow: {errorBudgetPercent: 5, shortWindow: 3h, longWindow: 36h}}
`);
    const thirty = importFiles([windows("30d")], OPTIONS);
    expect(thirty.problems).toEqual([]);
    expect(thirty.services).toEqual([]);
    expect(thirty.notes).toEqual([
      "given.yaml doc[0](AlertWindows): Sloth alert windows for a 30d SLO period, nothing to import; as the stack's tiers (defined for 30d, scaled to each SLO's window): monitoring-stack:burnRateTiers: [{name: page-quick, severity: page, budgetPercent: 1, longWindow: 30m, shortWindow: 2m}, {name: page-slow, severity: page, budgetPercent: 2, longWindow: 3h, shortWindow: 15m}, {name: ticket-quick, severity: ticket, budgetPercent: 5, longWindow: 12h, shortWindow: 1h}, {name: ticket-slow, severity: ticket, budgetPercent: 5, longWindow: 36h, shortWindow: 3h}]",
    ]);
    expect(importFiles([windows("7d")], OPTIONS).notes[0]).toMatch(/do not scale to whole minutes over the 30d window .*set those tiers by hand$/);
  });
});

describe("Pyrra", () => {
  it("imports ratio and latency objects with their percentage targets and week windows; refuses bool_gauge and native histograms with the reason", () => {
    const nginx = importFiles([file("pyrra/pyrra-dev_pyrra__examples_nginx.yaml"), file("pyrra/pyrra-dev_pyrra__examples_kubernetes_manifests_slos_slo-apiserver-read-resource-latency.yaml")], OPTIONS);
    expect(nginx.problems).toEqual([]);
    const slos = sloSpecs(nginx);
    expect(slos.map((s) => [s.service, s.name, s.objective, s.window])).toEqual([
      ["monitoring", "nginx-api-errors", 99.9, "28d"],
      ["monitoring", "nginx-api-latency", 90, "28d"],
      ["monitoring", "apiserver-read-resource-latency", 99, "14d"],
    ]);
    expect(slos[2]!.indicator).toEqual({ prometheus: { histogram: 'apiserver_request_sli_duration_seconds_bucket{component="apiserver",scope=~"resource|",verb=~"LIST|GET"}', threshold: "100ms" } });
    // At 90 % the page-fast tier (14.4 × 10 %) can never fire: that severity is switched off, and said.
    expect(slos[1]!.alerting).toEqual({ page: false, ticket: true });
    expect(nginx.services[0]!.notes.join("\n")).toMatch(/page alerts switched off: the page-fast tier can never fire at 90 %/);

    const refused = importFiles([file("pyrra/pyrra-dev_pyrra__examples_prometheus-probe-success.yaml"), file("pyrra/pyrra-dev_pyrra__examples_pyrra-connect-latency.yaml")], OPTIONS);
    expect(refused.services).toEqual([]);
    expect(refused.refusals.map((r) => [r.document, r.reasons.map((p) => p.path)])).toEqual([
      ["doc[0](ServiceLevelObjective/prometheus-blackbox-probe-success)", ["doc[0](ServiceLevelObjective/prometheus-blackbox-probe-success).spec.indicator.bool_gauge"]],
      ["doc[0](ServiceLevelObjective/pyrra-connect-latency)", ["doc[0](ServiceLevelObjective/pyrra-connect-latency).spec.indicator.latencyNative"]],
    ]);
  });
});

describe("OpenSLO leniency", () => {
  it("reads YAML lists, openslo.com/v1, Datasource, string numbers, inline types, Prometheus-compatible stores, sum(x) and by(), and renames to DNS labels", () => {
    const report = importFiles(
      [
        text(`- apiVersion: openslo.com/v1
  kind: Service
  metadata: {name: TheServiceName, labels: {team: web}}
  spec: {description: x}
- apiVersion: openslo.com/v1
  kind: SLO
  metadata: {name: Checkout_Availability}
  spec:
    service: TheServiceName
    indicator:
      metadata: {name: i}
      spec:
        ratioMetric:
          counter: true
          good: {metricSource: {metricSourceRef: not-given, type: mimir, spec: {query: 'sum(http_requests_total{code!~"5.."}) by (instance)'}}}
          total: {metricSource: {type: Thanos, spec: 'sum(rate(http_requests_total[5m]))'}}
    timeWindow: [{duration: 4w, isRolling: true}]
    objectives: [{target: "0.995"}]
`),
      ],
      OPTIONS,
    );
    expect(report.problems.map(formatProblem)).toEqual([]);
    expect(sloSpecs(report)).toEqual([
      { service: "the-service-name", name: "checkout-availability", objective: 99.5, window: "28d", indicator: { prometheus: { total: "http_requests_total", good: 'http_requests_total{code!~"5.."}' } }, alerting: { page: false, ticket: false } },
    ]);
    const notes = report.services[0]!.notes.join("\n");
    for (const said of [/service "TheServiceName" named the-service-name/, /SLO "Checkout_Availability" named checkout-availability/, /no budgetingMethod; read as Occurrences/, /DataSource "not-given" not given; its inline type mimir is used/, /grouping by instance not kept/]) {
      expect(notes).toMatch(said);
    }
  });

  it("reads burn-rate conditions spelled BurnRate with op lte or no op, a string threshold, and says so", () => {
    const slo = (policy: string) => `apiVersion: openslo/v1
kind: SLO
metadata: {name: api-availability, labels: {team: web}}
spec:
  service: api
  budgetingMethod: Occurrences
  indicator:
    metadata: {name: i}
    spec: {ratioMetric: {good: {metricSource: {type: Prometheus, spec: {query: 'ok_total'}}}, total: {metricSource: {type: Prometheus, spec: {query: 'all_total'}}}}}
  objectives: [{target: 0.999}]
  alertPolicies:
    - kind: AlertPolicy
      metadata: {name: fast}
      spec:
        conditions: [{kind: AlertCondition, metadata: {name: c}, spec: {severity: page, condition: ${policy}}}]
`;
    const lte = importFiles([text(slo("{kind: BurnRate, op: lte, threshold: '14.4', lookbackWindow: 1h}"))], OPTIONS);
    expect(lte.problems.map(formatProblem)).toEqual([]);
    expect(sloSpecs(lte)[0]!.alerting).toEqual({ page: true, ticket: false });
    expect(lte.services[0]!.notes.join("\n")).toMatch(/op lte read as gte/);
    const noOp = importFiles([text(slo("{threshold: 14.4, lookbackWindow: 1h}"))], OPTIONS);
    expect(noOp.problems.map(formatProblem)).toEqual([]);
    expect(noOp.services[0]!.notes.join("\n")).toMatch(/no op read as gte/);
  });
});

describe("refusals", () => {
  it("reports a shared AlertPolicy once, every problem of an SLO, and still maps the other documents", () => {
    const sli = (name: string) => `---
apiVersion: openslo/v1
kind: SLO
metadata: {name: ${name}, labels: {team: web}}
spec:
  service: api
  budgetingMethod: Occurrences
  indicator:
    metadata: {name: i}
    spec: {ratioMetric: {good: {metricSource: {type: Prometheus, spec: {query: 'ok_total'}}}, total: {metricSource: {type: Prometheus, spec: {query: 'all_total'}}}}}
  objectives: [{target: 0.999}]
  alertPolicies: [{alertPolicyRef: odd}]
`;
    const report = importFiles(
      [
        text(
          `${sli("one")}${sli("two")}---
apiVersion: openslo/v1
kind: AlertPolicy
metadata: {name: odd}
spec:
  conditions: [{kind: AlertCondition, metadata: {name: c}, spec: {severity: page, condition: {kind: burnrate, op: gte, threshold: 3, lookbackWindow: 2h}}}]
---
apiVersion: openslo/v1
kind: SLO
metadata: {name: bad, labels: {team: web}}
spec:
  service: api
  budgetingMethod: Timeslices
  timeWindow: [{duration: 1M, isRolling: false, calendar: {startTime: "2024-01-01 00:00:00", timeZone: UTC}}]
  indicator:
    metadata: {name: i}
    spec: {ratioMetric: {good: {metricSource: {type: Datadog, spec: {query: a}}}, total: {metricSource: {type: Datadog, spec: {query: b}}}}}
  objectives: [{target: 0.99, timeSliceTarget: 0.9}]
---
apiVersion: openslo/v1
kind: SLO
metadata: {name: fine, labels: {team: web}}
spec:
  service: web
  budgetingMethod: Occurrences
  indicator:
    metadata: {name: i}
    spec: {ratioMetric: {bad: {metricSource: {type: Prometheus, spec: {query: 'err_total'}}}, total: {metricSource: {type: Prometheus, spec: {query: 'all_total'}}}}}
  objectives: [{target: 0.99}]
`,
        ),
      ],
      OPTIONS,
    );
    expect(report.services.map((s) => s.spec.name)).toEqual(["web"]);
    expect(report.refusals.map((r) => [r.document, r.reasons.map((p) => p.path.slice(r.document.length))])).toEqual([
      ["doc[2](AlertPolicy/odd)", [".spec.conditions[0].spec.condition"]],
      // The calendar month in UTC and Timeslices map; the slice length is missing and the source unknown.
      ["doc[3](SLO/bad)", [".spec.indicator.spec.ratioMetric.total.metricSource.type", ".spec.indicator.spec.ratioMetric.good.metricSource.type", ".spec.objectives[0].timeSliceWindow"]],
    ]);
    expect(report.files).toEqual([{ file: "given.yaml", present: 4, imported: 1 }]);
  });
});

describe("acceptance on real documents", () => {
  const settings = readStackSettings("local").settings!;
  const options = { burnTiers: tierDefinitions(settings.burnTiers), knownChannels: Object.keys(settings.channels), team: "example" };
  const files = yamlFiles([path.join(REPO_ROOT, DATA)], []).map((f) => parseFile({ file: displayPath(f), text: readFileSync(f, "utf8") }));
  const reports = importEachFile(files, (f) => path.dirname(f), options);

  it("docs/importing.md holds the current acceptance table (npm run import -- --table --team example test/data/interop)", () => {
    const docs = readFileSync(path.join(REPO_ROOT, "docs/importing.md"), "utf8");
    const table = /<!-- acceptance-table:start -->\n([\s\S]*?)\n<!-- acceptance-table:end -->/.exec(docs)?.[1];
    expect(table).toBe(acceptanceTable(acceptanceRows(reports)));
  });

  it("everything with a Prometheus-compatible or Cloud Monitoring source imports; what is left is vendors, invalid documents and what contract v1 cannot honour", () => {
    const left = new Set(acceptanceRows(reports).flatMap((r) => r.reasons.map((reason) => reason.replace(/ \(×\d+\)$/, ""))));
    const allowed = [
      /^unknown metric source$/, // vendor sources: Datadog, Sumo Logic, CloudWatch, Any
      /^not supported: (timeZone|startTime|duration)$/, // calendars in another time zone or not starting where Cloud Monitoring's periods do
      /^not supported: budgetingMethod$/, // RatioTimeslices
      /^not supported: (bool_gauge|latencyNative|query|error_ratio_query|id|compositeWeight|indicator|indicatorRef|kind|op|ratioMetrics|spec)$/, // gauges, native histograms, MetricsQL, unknown plugins, composite SLOs
      /^(invalid value|missing field|missing required field|conflicting fields): /, // invalid documents
      /^(unknown SLI|unknown AlertPolicy|unknown AlertCondition|unknown AlertNotificationTarget|unknown severity|unknown DataSource)$/,
      /^not supported with a ratioMetric$/,
      /^burn-rate condition is not one of the stack's tiers$/,
      /^missing required field$/,
      /^invalid SLO name$/,
    ];
    expect([...left].filter((reason) => !allowed.some((pattern) => pattern.test(reason)))).toEqual([]);
    const prometheus = ["sloth/slok_sloth__examples_getting-started.yml", "pyrra/pyrra-dev_pyrra__examples_nginx.yaml", "osko/oskoperator_osko__config_samples_openslo_v1_slo_thanos.yaml", "openslo/v1alpha/slok_sloth__examples_openslo-kubernetes-apiserver.yml"];
    for (const name of prometheus) {
      const row = acceptanceRows(reports).find((r) => r.file === `${DATA}/${name}`)!;
      expect(row.imported, name).toBe(row.present);
    }
  });

  it("imported declarations pass the contract, validate against the stack and plan", async () => {
    const services = reports.flatMap((r) => r.services);
    expect(services.length).toBeGreaterThan(10);
    const dir = mkdtempSync(path.join(tmpdir(), "imported-"));
    const names = new Set<string>();
    for (const service of services) {
      expect(serviceSchema.safeParse(service.spec).success).toBe(true);
      // Files are imported one by one: keep one declaration per service name for the catalogue.
      if (names.has(service.spec.name)) continue;
      names.add(service.spec.name);
      writeFileSync(path.join(dir, `${service.spec.name}.yaml`), stringify(service.spec));
    }
    const loaded = services.filter((s, i) => services.findIndex((o) => o.spec.name === s.spec.name) === i).map((s) => ({ file: `${s.spec.name}.yaml`, spec: s.spec }));
    expect(validateCatalog(loaded, settingsFrom()).map(formatProblem)).toEqual([]);
    const outcome = await runPlan({ servicesDir: dir });
    expect(outcome.ok ? [] : outcome.problems.map(formatProblem)).toEqual([]);
    if (outcome.ok) expect(outcome.plan.resources.length).toBeGreaterThan(0);
  }, 120_000);
});
