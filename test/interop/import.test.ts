/**
 * Import of real documents in every format we read: format detection per
 * document, Sloth (both shapes, plugins, raw ratios, AlertWindows as tiers),
 * Pyrra (ratio, latency, bool_gauge; native histograms refused), OpenSLO leniency where the
 * meaning is unambiguous, refusals grouped by document and reported once,
 * the acceptance table in docs/importing.md kept current, and imported
 * declarations that validate and plan.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { yamlFiles } from "../../cli/importCommand";
import { readStackSettings } from "../../catalog/stackSettings";
import { validateCatalog } from "../../catalog/validate";
import { displayPath } from "../../contract/load";
import { formatProblem } from "../../contract/problems";
import { serviceSchema } from "../../contract/serviceSchema";
import { acceptanceFigure, acceptanceFigureText, acceptanceRows, acceptanceTable, detectFormat, importEachFile, importFiles, parseFile, type CorpusExclusions, type ImportReport } from "../../interop/import";
import { burnTiers, DEFAULT_BURN_TIERS, tierDefinitions } from "../../model/sloMath";
import { parseStackConfig } from "../../contract/stackConfig";
import { burnRateTiersText, declarationText } from "../../interop/render";
import { runPlan } from "../../plan/runPlan";
import { REPO_ROOT, settingsFrom } from "../support/declarations";
import { run } from "../components/prometheus/tools";

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
      expect.stringMatching(/^doc\[0\]\(Sloth\/cluster\)\.slos\[2\]\.sli\.plugin\.id: not supported \(got plugin "lokalise\/nginx-http\/availability": its query is not known here, expected one of the published sloth-common plugins: .*; or write the SLI the plugin generates as events \(error_query and total_query\) or raw \(error_ratio_query\) with \{\{\.window\}\}\)$/),
      expect.stringMatching(/^doc\[0\]\(Sloth\/cluster\)\.slos\[3\]\.sli\.plugin\.options: invalid options \(got plugin "sloth-common\/istio\/v1\/availability": missing option namespace, /),
    ]);
  });

  it("reads a raw error ratio of counters or of a 0/1 gauge's samples; keeps other PromQL as written; refuses MetricsQL with the reason", () => {
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
    expect(reasons(raw).map((r) => r.replace(/ \(got[\s\S]*$/, ""))).toEqual(["doc[0](Sloth/api).slos[1].sli.events.error_query: not PromQL"]);
    expect(reasons(raw)[0]).toMatch(/\(got histogram_share in /);
    // 1 − a gauge's mean over its samples is the boolGauge indicator's own error ratio.
    const wifi = importFiles([file("sloth/slok_sloth__examples_raw-home-wifi.yml")], { ...OPTIONS, team: "home" });
    expect(wifi.problems).toEqual([]);
    expect(sloSpecs(wifi).map((s) => s.indicator)).toEqual([{ prometheus: { boolGauge: "unifipoller_client_satisfaction_ratio" } }]);
    const gauges = importFiles(
      [
        text(`version: prometheus/v1
service: api
labels: {owner: web}
slos:
  - {name: spelled-out, objective: 99, sli: {raw: {error_ratio_query: '(count_over_time(up{job="a"}[{{.window}}]) - sum_over_time(up{job="a"}[{{.window}}])) / count_over_time(up{job="a"}[{{.window}}])'}}}
  - {name: average, objective: 99, sli: {raw: {error_ratio_query: '1 - avg_over_time(up[{{.window}}])'}}}
  - {name: two-gauges, objective: 99, sli: {raw: {error_ratio_query: '1 - sum(sum_over_time(up[{{.window}}])) / sum(count_over_time(other[{{.window}}]))'}}}
`),
      ],
      OPTIONS,
    );
    // Averages and ratios of two gauges are no ratio of counters: kept as written, over each window (promql).
    expect(sloSpecs(gauges).map((s) => s.indicator)).toEqual([
      { prometheus: { boolGauge: 'up{job="a"}' } },
      { promql: { errorRatio: "1 - avg_over_time(up[{{.window}}])" } },
      { promql: { errorRatio: "1 - sum(sum_over_time(up[{{.window}}])) / sum(count_over_time(other[{{.window}}]))" } },
    ]);
    expect(reasons(gauges)).toEqual([]);
    expect(gauges.services[0]!.notes.join("\n")).toMatch(/slos\[1\]\.sli\.raw: not a ratio of counters, kept as written \(promql indicator\).*no low-traffic guard/);
  });
});

describe("Sloth AlertWindows", () => {
  const windows = (period: string, ticketSlow = "{errorBudgetPercent: 5, shortWindow: 3h, longWindow: 36h}") =>
    text(`apiVersion: sloth.slok.dev/v1
kind: AlertWindows
spec:
  sloPeriod: ${period}
  page: {quick: {errorBudgetPercent: 1, shortWindow: 2m, longWindow: 30m}, slow: {errorBudgetPercent: 2, shortWindow: 15m, longWindow: 3h}}
  ticket: {quick: {errorBudgetPercent: 5, shortWindow: 1h, longWindow: 12h}, slow: ${ticketSlow}}
`);

  it("become tier definitions for their SLO period, exactly as written; the stack-config snippet parses back to the same tiers", () => {
    const custom28 = text(windows("4w", "{errorBudgetPercent: 10, shortWindow: 3h, longWindow: 36h}").text, "custom-28d.yaml");
    const report = importFiles([file("sloth/slok_sloth__internal_alert_windows_google-30d.yaml"), custom28], OPTIONS);
    expect(report.problems).toEqual([]);
    expect(report.services).toEqual([]);
    const DAY = 86_400_000;
    expect(report.tiers!.definitions.map((d) => [d.periodMs! / DAY, d.name, d.severity, d.budgetPercent, d.longWindowMs / 60_000, d.shortWindowMs / 60_000])).toEqual([
      // Windows given for 4w (28d), then Sloth's default 30d windows: shortest period first.
      [28, "page-quick", "page", 1, 30, 2],
      [28, "page-slow", "page", 2, 180, 15],
      [28, "ticket-quick", "ticket", 5, 720, 60],
      [28, "ticket-slow", "ticket", 10, 2160, 180],
      [30, "page-quick", "page", 2, 60, 5],
      [30, "page-slow", "page", 5, 360, 30],
      [30, "ticket-quick", "ticket", 10, 1440, 120],
      [30, "ticket-slow", "ticket", 10, 4320, 360],
    ]);
    expect(report.notes[0]).toMatch(/^Sloth AlertWindows \(.*\) for SLO periods 30d, 28d become the stack config's monitoring-stack:burnRateTiers/);
    // The snippet is a stack config: the same definitions come back from the stack-config parser.
    const snippet = parse(burnRateTiersText(report.tiers!.definitions, report.tiers!.sources)) as { config: Record<string, unknown> };
    const raw = Object.fromEntries(Object.entries({ "gcp:project": "p", "monitoring-stack:environment": "dev", ...snippet.config }).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
    const parsed = parseStackConfig(raw, "Pulumi.x.yaml");
    expect(parsed.problems).toEqual([]);
    expect(parsed.settings!.burnTiers).toEqual(report.tiers!.definitions);
    // A 28-day SLO alerts on the windows as written: 30 min at burn 1 % × 28 d ÷ 30 min = 13.44.
    const [quick] = burnTiers(99.9, 28 * DAY, parsed.settings!.burnTiers!);
    expect([quick!.longWindowMs / 60_000, quick!.burnRate]).toEqual([30, 13.44]);
  });

  it("refuse what the stack cannot honour, every reason at once: burn rates below 1, periods that are no SLO window, windows in seconds; nothing is written from a refused set", () => {
    // Sloth's own 7d example: 42 % over 3d on 7d is burn 0.98, which would ticket while the SLO is met.
    const week = importFiles([file("sloth/slok_sloth__examples_windows_7d.yaml")], OPTIONS);
    expect(week.tiers).toBeUndefined();
    expect(reasons(week)).toEqual([
      "doc[0](AlertWindows/7d).spec.ticket.slow: not supported (got 42 % of the budget over \"3d\" on a 7d period: burn rate 0.98, expected a burn rate of at least 1: below 1 the alert fires while the SLO is met; a longWindow of at most 2d22h33m or an errorBudgetPercent of at least 42.86, or import with --fit-alert-windows to raise errorBudgetPercent to 42.86 and keep the windows)",
    ]);
    // With --fit-alert-windows: the smallest share that makes it burn 1, the windows kept, and a note saying so.
    const fitted = importFiles([file("sloth/slok_sloth__examples_windows_7d.yaml")], { ...OPTIONS, fitAlertWindows: true });
    expect(fitted.problems).toEqual([]);
    expect(fitted.tiers!.definitions.find((d) => d.name === "ticket-slow")).toMatchObject({ budgetPercent: 42.86, longWindowMs: 3 * 86_400_000 });
    expect(fitted.notes.join("\n")).toMatch(/spec\.ticket\.slow: errorBudgetPercent 42 → 42\.86 \(burn rate 0\.98 → 1; --fit-alert-windows\)/);
    const bad = importFiles([windows("90d", "{errorBudgetPercent: 0, shortWindow: 30s, longWindow: 1h}"), windows("30d", "{errorBudgetPercent: 5, shortWindow: 36h, longWindow: 3h}")], OPTIONS);
    expect(bad.tiers).toBeUndefined();
    expect(reasons(bad).map((r) => r.replace(/ \(got[\s\S]*$/, ""))).toEqual([
      "doc[0](AlertWindows/90d).spec.sloPeriod: not supported",
      "doc[0](AlertWindows/90d).spec.ticket.slow.errorBudgetPercent: invalid value",
      "doc[0](AlertWindows/90d).spec.ticket.slow.shortWindow: not supported",
      "doc[0](AlertWindows/30d).spec.ticket.slow.shortWindow: invalid value",
    ]);
    expect(bad.refusals.map((r) => `${r.file}: ${r.document}`)).toEqual(["given.yaml: doc[0](AlertWindows/90d)", "given.yaml: doc[0](AlertWindows/30d)"]);
    const twice = importFiles([windows("30d"), text(windows("30d").text, "other.yaml")], OPTIONS);
    expect(reasons(twice)).toEqual([expect.stringMatching(/^doc\[0\]\(AlertWindows\/30d\)\.spec\.sloPeriod: duplicate SLO period \(got 30d, also in given\.yaml doc\[0\]\(AlertWindows\/30d\); expected one AlertWindows document per SLO period\)$/)]);
  });

  it("imported with SLOs, the declarations are checked against them: a tier that cannot fire at an objective switches its severity off", () => {
    // 1 % of the budget in 30 min on 30d is burn 14.4; 96 % leaves 4 %: 14.4 × 0.04 = 0.576 fires. 93 % cannot (1.008).
    const slos = text(`version: prometheus/v1
service: api
labels: {team: web}
slos:
  - {name: ok, objective: 96, sli: {raw: {error_ratio_query: 'sum(rate(e_total[{{.window}}])) / sum(rate(r_total[{{.window}}]))'}}}
  - {name: loose, objective: 93, sli: {raw: {error_ratio_query: 'sum(rate(e_total[{{.window}}])) / sum(rate(r_total[{{.window}}]))'}}}
`, "slos.yaml");
    const report = importFiles([windows("30d"), slos], OPTIONS);
    expect(report.problems).toEqual([]);
    expect(sloSpecs(report).map((s) => [s.name, s.alerting])).toEqual([
      ["ok", { page: true, ticket: true }],
      ["loose", { page: false, ticket: true }],
    ]);
    expect(report.services[0]!.notes.join("\n")).toMatch(/page alerts switched off: the page-quick tier can never fire at 93 %/);
  });
});

describe("Pyrra", () => {
  it("imports ratio, latency, latencyNative and bool_gauge objects with their percentage targets and week windows", () => {
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

    // bool_gauge: Pyrra's count_over_time − sum_over_time over count_over_time is the boolGauge indicator.
    const probe = importFiles([file("pyrra/pyrra-dev_pyrra__examples_prometheus-probe-success.yaml")], OPTIONS);
    expect(probe.problems).toEqual([]);
    expect(sloSpecs(probe).map((s) => [s.name, s.objective, s.window, s.indicator])).toEqual([["prometheus-blackbox-probe-success", 99, "7d", { prometheus: { boolGauge: "probe_success" } }]]);
    expect(probe.services[0]!.notes.join("\n")).toMatch(/grouping by target not kept/);
    // latencyNative: Pyrra's own native-histogram error ratio, over each window (promql); grouping not kept, as for the others.
    const native = importFiles([file("pyrra/pyrra-dev_pyrra__examples_pyrra-connect-latency.yaml")], OPTIONS);
    expect(native.problems).toEqual([]);
    expect(sloSpecs(native).map((s) => [s.name, s.objective, s.window, s.indicator])).toEqual([
      ["pyrra-connect-latency", 99, "14d", { promql: { errorRatio: '1 - histogram_fraction(0, 0.2, sum(rate(connect_server_requests_duration_seconds{job="pyrra",code="ok"}[{{.window}}])))' } }],
    ]);
    expect(native.services[0]!.notes.join("\n")).toMatch(/grouping by service, method not kept/);
    const refused = importFiles([text("apiVersion: pyrra.dev/v1alpha1\nkind: ServiceLevelObjective\nmetadata: {name: g}\nspec: {target: '99', window: 4w, indicator: {bool_gauge: {metric: 'avg_over_time(up[5m])'}}}\n")], OPTIONS);
    expect(refused.services).toEqual([]);
    expect(refused.refusals.map((r) => [r.document, r.reasons.map((p) => p.path)])).toEqual([["doc[0](ServiceLevelObjective/g)", ["doc[0](ServiceLevelObjective/g).spec.indicator.bool_gauge.metric"]]]);
  });
});

describe("what real files write", () => {
  it("Pyrra: an apiVersion without its group (Pyrra's loader ignores it) and a latency selector with spaces after commas", () => {
    const report = importFiles(
      [
        text(`apiVersion: v1alpha1
kind: ServiceLevelObjective
metadata:
  name: api-latency
  namespace: monitoring
  labels: {prometheus: k8s, role: alert-rules}
spec:
  target: "99"
  window: 4w
  indicator:
    latency:
      success:
        metric: http_request_duration_seconds_bucket{job="api", le="1.024"}
      total:
        metric: http_request_duration_seconds_count{job="api"}
`),
      ],
      OPTIONS,
    );
    expect(reasons(report)).toEqual([]);
    expect(sloSpecs(report).map((s) => [s.service, s.name, s.window, s.indicator])).toEqual([["monitoring", "api-latency", "28d", { prometheus: { histogram: 'http_request_duration_seconds_bucket{job="api"}', threshold: "1024ms" } }]]);
    expect(report.services[0]!.notes.join("\n")).toMatch(/apiVersion "v1alpha1" read as pyrra.dev\/v1alpha1/);
  });

  it("OpenSLO: opensloctl's {{.Window}} placeholder and Prometheus-compatible stores such as AmazonPrometheus", () => {
    const report = importFiles(
      [
        text(`apiVersion: openslo/v1
kind: SLO
metadata: {name: api-availability, labels: {team: web}}
spec:
  service: api
  budgetingMethod: Occurrences
  indicator:
    metadata: {name: api-errors}
    spec:
      ratioMetric:
        counter: true
        bad: {metricSource: {type: AmazonPrometheus, spec: {query: 'sum(rate(http_requests_total{job="api",code=~"5.."}[{{.Window}}]))'}}}
        total: {metricSource: {type: AmazonPrometheus, spec: {query: 'sum(rate(http_requests_total{job="api"}[{{.Window}}]))'}}}
  timeWindow: [{duration: 28d, isRolling: true}]
  objectives: [{target: 0.995}]
`),
      ],
      OPTIONS,
    );
    expect(reasons(report)).toEqual([]);
    expect(sloSpecs(report)[0]!.indicator).toEqual({ prometheus: { total: 'http_requests_total{job="api"}', bad: 'http_requests_total{job="api",code=~"5.."}' } });
  });

  it("guards an idle service reads 0 with keep the structured form, each said with what it changes", () => {
    const report = importFiles(
      [
        text(`apiVersion: sloth.slok.dev/v1
kind: PrometheusServiceLevel
metadata: {name: storage, namespace: monitoring}
spec:
  service: storage
  labels: {owner: platform}
  slos:
    - name: csi-operations
      objective: 99.5
      sli:
        events:
          errorQuery: 'sum(rate(storage_operation_duration_seconds_count{status="fail-unknown"}[{{.window}}])) or on() vector(0)'
          totalQuery: '(sum(rate(storage_operation_duration_seconds_count[{{.window}}])) > 0) or on() vector(1)'
    - name: reconcile-latency
      objective: 99
      sli:
        events:
          errorQuery: |-
            clamp_min(sum(rate(workqueue_queue_duration_seconds_count{}[{{.window}}])) by (cluster_id) - sum(rate(workqueue_queue_duration_seconds_bucket{le="10"}[{{.window}}])) by (cluster_id), 0)
          totalQuery: |-
            sum(rate(workqueue_queue_duration_seconds_count{}[{{.window}}])) by (cluster_id)
    - name: logins
      objective: 95
      sli:
        raw:
          errorRatioQuery: sum(rate(failed_logins_total[{{.window}}])) / clamp_min(sum(rate(logins_total[{{.window}}])), 1e-9) OR on() vector(0)
`),
      ],
      OPTIONS,
    );
    expect(reasons(report)).toEqual([]);
    expect(sloSpecs(report).map((s) => s.indicator)).toEqual([
      { prometheus: { total: "storage_operation_duration_seconds_count", bad: 'storage_operation_duration_seconds_count{status="fail-unknown"}' } },
      { prometheus: { histogram: "workqueue_queue_duration_seconds_bucket", threshold: "10s" } },
      { prometheus: { total: "logins_total", bad: "failed_logins_total" } },
    ]);
    const notes = report.services[0]!.notes.join("\n");
    expect(notes).toMatch(/errorQuery: guard or on\(\) vector\(0\): no series reads 0/);
    expect(notes).toMatch(/totalQuery: guard or on\(\) vector\(1\): no series reads 1/);
    expect(notes).toMatch(/totalQuery: guard > 0: a zero rate reads as the fallback/);
    expect(notes).toMatch(/guard clamp_min\(…, 0\): a rate is never below 0, nothing changes/);
    expect(notes).toMatch(/guard clamp_min\(…, 1e-9\): floored at 1e-9 per second in the source/);
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
      // Both SLOs that use the refused policy say so, at their own document: neither is left out unsaid.
      ["doc[0](SLO/one)", [""]],
      ["doc[1](SLO/two)", [""]],
      // The calendar month in UTC and Timeslices map; the slice length is missing and the source unknown.
      ["doc[3](SLO/bad)", [".spec.indicator.spec.ratioMetric.total.metricSource.type", ".spec.indicator.spec.ratioMetric.good.metricSource.type", ".spec.objectives[0].timeSliceWindow"]],
    ]);
    expect(report.files).toEqual([{ file: "given.yaml", present: 4, imported: 1 }]);
    expect(report.problems.find((p) => p.path === "doc[1](SLO/two)")!.message).toBe("refused with the documents it uses (got problems in given.yaml doc[2](AlertPolicy/odd), expected documents that import: their reasons are listed there)");
    expect(report.slos.map((s) => [s.path, s.imported, s.reasons.length])).toEqual([
      ["doc[0](SLO/one)", false, 1],
      ["doc[1](SLO/two)", false, 1],
      ["doc[3](SLO/bad)", false, 3],
      ["doc[4](SLO/fine)", true, 0],
    ]);
  });
});

describe("acceptance on real documents", () => {
  const settings = readStackSettings("local").settings!;
  const options = { burnTiers: tierDefinitions(settings.burnTiers), knownChannels: Object.keys(settings.channels), team: "example" };
  const files = yamlFiles([path.join(REPO_ROOT, DATA)], []).map((f) => parseFile({ file: displayPath(f), text: readFileSync(f, "utf8") }));
  const reports = importEachFile(files, (f) => path.dirname(f), options);

  it("docs/importing.md holds the current acceptance table and figure (npm run import -- --table --team example --corpus test/data/interop/corpus.yaml test/data/interop)", () => {
    const docs = readFileSync(path.join(REPO_ROOT, "docs/importing.md"), "utf8");
    const table = /<!-- acceptance-table:start -->\n([\s\S]*?)\n<!-- acceptance-table:end -->/.exec(docs)?.[1];
    const rows = acceptanceRows(reports);
    const figure = acceptanceFigure(rows, (parse(readFileSync(path.join(REPO_ROOT, DATA, "corpus.yaml"), "utf8")) as { excluded: CorpusExclusions }).excluded, DATA);
    expect(table).toBe(`${acceptanceTable(rows)}\n\n${acceptanceFigureText(figure, `${DATA}/corpus.yaml`)}`);
  });

  it("imports at least 90 % of the SLOs of valid documents whose SLIs are PromQL or Cloud Monitoring; every exclusion names a file, and none an SLO that imports", () => {
    const rows = acceptanceRows(reports);
    const exclusions = (parse(readFileSync(path.join(REPO_ROOT, DATA, "corpus.yaml"), "utf8")) as { excluded: CorpusExclusions }).excluded;
    const figure = acceptanceFigure(rows, exclusions, DATA);
    expect(figure.problems).toEqual([]);
    for (const { why } of Object.values(exclusions)) expect(why.trim()).not.toBe("");
    expect(figure.counted).toBeGreaterThan(100);
    expect(figure.imported / figure.counted).toBeGreaterThanOrEqual(0.9);
  });

  it("imports the same files to byte-identical declarations every time", () => {
    const render = (list: readonly ImportReport[]) => list.flatMap((r) => r.services.map((s) => declarationText(s, "services"))).join("\n---\n");
    const again = importEachFile(yamlFiles([path.join(REPO_ROOT, DATA)], []).map((f) => parseFile({ file: displayPath(f), text: readFileSync(f, "utf8") })), (f) => path.dirname(f), options);
    expect(render(again)).toBe(render(reports));
    expect(render(reports).length).toBeGreaterThan(10_000);
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
      /^refused with the documents it uses$/, // their own reasons are in the same row
      /^not PromQL$/, // MetricsQL (Sloth's VictoriaMetrics example)
      /^not supported: objectives$/, // a calendar month on a Prometheus indicator
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

  it("accounts for every SLO: the SLOs in equal those imported plus those refused, each refused one with a reason of its own", () => {
    const accounts = reports.flatMap((r) => r.slos);
    const present = acceptanceRows(reports).reduce((n, r) => n + r.present, 0);
    const imported = accounts.filter((a) => a.imported);
    const refused = accounts.filter((a) => !a.imported && a.reasons.length > 0);
    const unsaid = accounts.filter((a) => !a.imported && a.reasons.length === 0).map((a) => `${a.file} ${a.path}`);
    expect(unsaid).toEqual([]);
    expect(imported.length + refused.length).toBe(present);
    // What was imported is in the declarations, one SLO unit each.
    expect(imported.length).toBe(acceptanceRows(reports).reduce((n, r) => n + r.imported, 0));
    expect(reports.flatMap((r) => r.services.flatMap((s) => s.units)).length).toBe(imported.length);
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
    if (!outcome.ok) throw new Error(`the plan refused the imported declarations:\n${outcome.problems.map(formatProblem).join("\n") || "(no problem given)"}`);
    // Every imported service is planned, with resources of its own.
    expect(outcome.program.services.map((s) => s.name).sort()).toEqual([...names].sort());
    expect(outcome.plan.resources.length).toBeGreaterThan(0);
    // The rule files Prometheus would load (queries kept as written among them) are valid to Prometheus itself.
    const rules = Object.entries(outcome.artefacts).filter(([file]) => /^prometheus\/[^/]+\.yaml$/.test(file));
    expect(rules.length).toBeGreaterThan(5);
    const checkDir = mkdtempSync(path.join(tmpdir(), "imported-rules-"));
    rules.forEach(([file, content], i) => writeFileSync(path.join(checkDir, `${i}-${path.basename(file)}`), content));
    const checked = run("promtool", ["check", "rules", ...rules.map(([file], i) => `${i}-${path.basename(file)}`)], checkDir);
    expect(checked.status, checked.output).toBe(0);
  }, 120_000);
});
