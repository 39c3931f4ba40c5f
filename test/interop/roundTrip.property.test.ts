/**
 * Round trips of generated documents (property tests): valid Sloth specs
 * (both shapes), Pyrra objects and Sloth AlertWindows → import → a
 * declaration that passes the contract and the stack's validation, with the
 * SLO facts intact (objective, window, indicator selectors, alert switches,
 * tier windows). Through the OpenSLO exporter, import ∘ export ∘ import is
 * stable; boolGauge SLOs are the one thing OpenSLO cannot state, and the
 * export refuses exactly those.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { validateCatalog } from "../../catalog/validate";
import { formatProblem } from "../../contract/problems";
import { serviceSchema, type IndicatorSpec, type ServiceSpec, type SloSpec } from "../../contract/serviceSchema";
import { parseStackConfig } from "../../contract/stackConfig";
import { importFiles } from "../../interop/import";
import { exportOpenSlo } from "../../interop/openslo/exporter";
import { openSloText } from "../../interop/openslo/render";
import { burnRateTiersText } from "../../interop/render";
import { serviceModel } from "../../model/service";
import { burnRateThreshold, burnTiers, DEFAULT_BURN_TIERS, prometheusMechanics } from "../../model/sloMath";
import { settingsFrom } from "../support/declarations";

const settings = settingsFrom();
const OPTIONS = { burnTiers: DEFAULT_BURN_TIERS, team: "payments" };
const DAY = 86_400_000;

const metric = fc.constantFrom("http_requests_total", "grpc_server_handled_total", "rpc_calls_total");
const matchers = fc.subarray(['job="api"', 'code=~"5.."', 'handler="/pay"', 'route!="/health"'], { maxLength: 2 });
const selector = fc.tuple(metric, matchers).map(([name, list]) => (list.length > 0 ? `${name}{${list.join(",")}}` : name));
const gauge = fc.tuple(fc.constantFrom("probe_success", "up"), matchers.filter((m) => !m.includes("code"))).map(([name, list]) => (list.length > 0 ? `${name}{${list.join(",")}}` : name));
/** Objectives every default tier can fire at (burn 14.4 × budget below 1). */
const objective = fc.integer({ min: 95_000, max: 99_990 }).map((n) => n / 1000);
const sloName = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/);
/** A latency bound as histograms label it, in seconds. */
const bound = fc.constantFrom(0.005, 0.05, 0.1, 0.25, 0.3, 1, 2.5, 10);
const thresholdText = (seconds: number) => (Number.isInteger(seconds) ? `${seconds}s` : `${Math.round(seconds * 1000)}ms`);

type Expected = { indicator: IndicatorSpec };

/** A Sloth SLI and the indicator it must import as. */
const slothSli = fc.oneof(
  fc.tuple(selector, selector).map(([total, bad]) => ({
    sli: { events: { error_query: `sum(rate(${bad}[{{.window}}]))`, total_query: `sum(rate(${total}[{{.window}}]))` } },
    expected: { indicator: { prometheus: { total, bad } } } as Expected,
  })),
  fc.tuple(selector, selector).map(([total, good]) => ({
    sli: { raw: { error_ratio_query: `1 - (sum(rate(${good}[{{.window}}])) / sum(rate(${total}[{{.window}}])))` } },
    expected: { indicator: { prometheus: { total, good } } } as Expected,
  })),
  fc.tuple(fc.constantFrom("http_request_duration_seconds", "rpc_latency_seconds"), matchers.filter((m) => !m.includes("code")), bound).map(([base, list, le]) => {
    const rest = list.length > 0 ? `,${list.join(",")}` : "";
    const count = list.length > 0 ? `${base}_count{${list.join(",")}}` : `${base}_count`;
    return {
      sli: { events: { error_query: `sum(rate(${count}[{{.window}}])) - sum(rate(${base}_bucket{le="${le}"${rest}}[{{.window}}]))`, total_query: `sum(rate(${count}[{{.window}}]))` } },
      expected: { indicator: { prometheus: { histogram: list.length > 0 ? `${base}_bucket{${list.join(",")}}` : `${base}_bucket`, threshold: thresholdText(le) } } } as Expected,
    };
  }),
  gauge.map((g) => ({
    sli: { raw: { error_ratio_query: `1 - (sum(sum_over_time(${g}[{{.window}}])) / sum(count_over_time(${g}[{{.window}}])))` } },
    expected: { indicator: { prometheus: { boolGauge: g } } } as Expected,
  })),
);

const slothSpec = fc.record({
  kubernetes: fc.boolean(),
  slos: fc.uniqueArray(fc.record({ name: sloName, objective, sli: slothSli, page: fc.boolean(), ticket: fc.boolean() }), { minLength: 1, maxLength: 3, selector: (s) => s.name }),
});

/** camelCase field names of the sloth.slok.dev/v1 shape. */
function camel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camel);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), camel(v)]));
}

function slothText(generated: typeof slothSpec extends fc.Arbitrary<infer T> ? T : never): string {
  const slos = generated.slos.map((s) => ({
    name: s.name,
    objective: s.objective,
    sli: s.sli.sli,
    alerting: { name: "Alert", page_alert: { disable: !s.page }, ticket_alert: { disable: !s.ticket } },
  }));
  const spec = { service: "checkout", labels: { team: "payments" }, slos };
  return stringify(generated.kubernetes ? { apiVersion: "sloth.slok.dev/v1", kind: "PrometheusServiceLevel", metadata: { name: "checkout" }, spec: camel(spec) } : { version: "prometheus/v1", ...spec });
}

/** The declaration passes the contract and the stack's validation. */
function expectValid(spec: ServiceSpec): void {
  expect(serviceSchema.safeParse(spec).success).toBe(true);
  expect(validateCatalog([{ file: `${spec.name}.yaml`, spec }], settings).map(formatProblem)).toEqual([]);
}

function essence(slo: SloSpec) {
  return { name: slo.name, objective: slo.objective, window: slo.window ?? "30d", indicator: slo.indicator, alerting: slo.alerting };
}

/** Import ∘ export ∘ import through OpenSLO: the same SLOs, except boolGauge ones, which the export refuses. */
function expectStableThroughOpenSlo(spec: ServiceSpec): void {
  const exported = exportOpenSlo([serviceModel(spec, `${spec.name}.yaml`, settings)], settings.channels);
  const gauges = (spec.slos ?? []).filter((s) => s.indicator.prometheus?.boolGauge !== undefined);
  expect(exported.problems.map((p) => p.path)).toEqual(gauges.map((s) => `slos[${spec.slos!.indexOf(s)}].indicator.prometheus.boolGauge`));
  const kept = (spec.slos ?? []).filter((s) => !gauges.includes(s));
  if (kept.length === 0) return;
  const back = importFiles([{ file: "exported.yaml", text: openSloText(exported.documents) }], OPTIONS);
  expect(back.problems.map(formatProblem)).toEqual([]);
  expect(back.services[0]!.spec.slos!.map(essence)).toEqual(kept.map(essence));
}

describe("round trips of generated documents", () => {
  it("Sloth specs, both shapes: import gives a valid declaration with every SLO fact, stable through the OpenSLO export", () => {
    fc.assert(
      fc.property(slothSpec, (generated) => {
        const report = importFiles([{ file: "sloth.yaml", text: slothText(generated) }], OPTIONS);
        expect(report.problems.map(formatProblem)).toEqual([]);
        const spec = report.services[0]!.spec;
        expect([spec.name, spec.team]).toEqual(["checkout", "payments"]);
        expectValid(spec);
        expect(spec.slos!.map(essence)).toEqual(
          generated.slos.map((s) => ({ name: s.name, objective: s.objective, window: "30d", indicator: s.sli.expected.indicator, alerting: { page: s.page, ticket: s.ticket } })),
        );
        expectStableThroughOpenSlo(spec);
      }),
      { numRuns: 120 },
    );
  });

  const pyrraIndicator = fc.oneof(
    fc.tuple(selector, selector).map(([total, errors]) => ({ body: { ratio: { errors: { metric: errors }, total: { metric: total } } }, expected: { prometheus: { total, bad: errors } } as IndicatorSpec })),
    fc.tuple(fc.constantFrom("http_request_duration_seconds", "rpc_latency_seconds"), matchers.filter((m) => !m.includes("code")), bound).map(([base, list, le]) => {
      const rest = list.length > 0 ? `,${list.join(",")}` : "";
      return {
        body: { latency: { success: { metric: `${base}_bucket{le="${le}"${rest}}` }, total: { metric: list.length > 0 ? `${base}_count{${list.join(",")}}` : `${base}_count` } } },
        expected: { prometheus: { histogram: list.length > 0 ? `${base}_bucket{${list.join(",")}}` : `${base}_bucket`, threshold: thresholdText(le) } } as IndicatorSpec,
      };
    }),
    gauge.map((g) => ({ body: { bool_gauge: { metric: g } }, expected: { prometheus: { boolGauge: g } } as IndicatorSpec })),
  );
  const pyrraWindow = fc.oneof(fc.integer({ min: 1, max: 30 }).map((d) => ({ text: `${d}d`, days: d })), fc.integer({ min: 1, max: 4 }).map((w) => ({ text: `${w}w`, days: 7 * w })));

  it("Pyrra objects: import gives a valid declaration with target, window and indicator, stable through the OpenSLO export", () => {
    fc.assert(
      fc.property(sloName, objective, pyrraWindow, pyrraIndicator, fc.boolean(), (name, target, window, indicator, alerting) => {
        const text = stringify({
          apiVersion: "pyrra.dev/v1alpha1",
          kind: "ServiceLevelObjective",
          metadata: { name, namespace: "shop", labels: { "pyrra.dev/service": "checkout", team: "payments" } },
          spec: { target: String(target), window: window.text, indicator: indicator.body, ...(alerting ? {} : { alerting: { burnrates: false } }) },
        });
        const report = importFiles([{ file: "pyrra.yaml", text }], OPTIONS);
        expect(report.problems.map(formatProblem)).toEqual([]);
        const spec = report.services[0]!.spec;
        expect(spec.name).toBe("checkout");
        expectValid(spec);
        const slo = spec.slos![0]!;
        expect([slo.objective, slo.window, slo.indicator, slo.alerting]).toEqual([target, `${window.days}d`, indicator.expected, { page: alerting, ticket: alerting }]);
        expectStableThroughOpenSlo(spec);
      }),
      { numRuns: 120 },
    );
  });

  it("Sloth AlertWindows: the tiers come back from the stack-config snippet and resolve, for an SLO of their period, to Sloth's windows and burn factors", () => {
    const window = fc.record({ long: fc.integer({ min: 2, max: 24 * 60 }), shortShare: fc.integer({ min: 1, max: 20 }) });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.array(window, { minLength: 4, maxLength: 4 }), fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 4, maxLength: 4 }), (days, windows, extra) => {
        // Budget shares with a burn rate of at least 1 (budget × period ≥ long window), as the stack requires.
        const budgets = windows.map((w, i) => Math.min(100, Math.ceil(((w.long * 60_000) / (days * DAY)) * 10_000) / 100 + extra[i]! / 100));
        const text = (severity: number, speed: number) => {
          const i = severity * 2 + speed;
          const w = windows[i]!;
          return { errorBudgetPercent: budgets[i], longWindow: `${w.long}m`, shortWindow: `${Math.max(1, Math.floor((w.long * w.shortShare) / 100))}m` };
        };
        fc.pre(windows.every((w) => Math.max(1, Math.floor((w.long * w.shortShare) / 100)) < w.long && w.long * 60_000 <= days * DAY));
        const document = {
          apiVersion: "sloth.slok.dev/v1",
          kind: "AlertWindows",
          spec: { sloPeriod: `${days}d`, page: { quick: text(0, 0), slow: text(0, 1) }, ticket: { quick: text(1, 0), slow: text(1, 1) } },
        };
        const report = importFiles([{ file: "windows.yaml", text: stringify(document) }], OPTIONS);
        expect(report.problems.map(formatProblem)).toEqual([]);
        const tiers = report.tiers!.definitions;
        const snippet = parse(burnRateTiersText(tiers, report.tiers!.sources)) as { config: Record<string, unknown> };
        const parsed = parseStackConfig({ "gcp:project": "p", "monitoring-stack:environment": "dev", "monitoring-stack:burnRateTiers": JSON.stringify(snippet.config["monitoring-stack:burnRateTiers"]) }, "Pulumi.x.yaml");
        expect(parsed.problems.map(formatProblem)).toEqual([]);
        expect(parsed.settings!.burnTiers).toEqual(tiers);
        const resolved = burnTiers(99, days * DAY, parsed.settings!.burnTiers!, { minShortWindowMs: 60_000, backend: "none", mechanics: prometheusMechanics(30_000) });
        expect(resolved.map((t) => [t.name, t.longWindowMs, t.shortWindowMs, t.burnRate])).toEqual(
          tiers.map((t) => [t.name, t.longWindowMs, t.shortWindowMs, burnRateThreshold(t.budgetPercent, days * DAY, t.longWindowMs)]),
        );
        expect(resolved.every((t) => t.burnRate >= 1)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});
