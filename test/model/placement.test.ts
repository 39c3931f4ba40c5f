/**
 * Placement, decided once: who evaluates each kind of SLO under each stack
 * setting, who checks endpoints, which severities a service raises, and what
 * each evaluator refuses. Every other stage reads these answers.
 */
import { describe, expect, it } from "vitest";
import { INDICATOR_KINDS } from "../../contract/serviceSchema";
import { EVALUATOR_TRAITS, capabilityProblems } from "../../model/evaluators";
import { INDICATORS, sliSource } from "../../model/indicators";
import { endpointChecker, evaluatesAnyOf, promqlEvaluator, raisedSeverities, readsPromql, sloEvaluator, type PlacementSettings } from "../../model/placement";
import { EVALUATORS, type Evaluator, type IndicatorKind } from "../../model/types";

const CLOUD: PlacementSettings = {};
const PROMETHEUS: PlacementSettings = { grafana: { alerting: "prometheus" } };
const GRAFANA: PlacementSettings = { grafana: { alerting: "grafana" } };
const SYNTHETIC: PlacementSettings = { grafana: { alerting: "grafana", syntheticMonitoring: { url: "https://sm.example", probes: {} } } };

describe("who evaluates each kind of SLO", () => {
  const expected: Record<IndicatorKind, [Evaluator, Evaluator, Evaluator, Evaluator]> = {
    // no Grafana, Prometheus alerting, Grafana alerting, Grafana alerting with Synthetic Monitoring
    availability: ["cloudMonitoring", "cloudMonitoring", "cloudMonitoring", "cloudMonitoring"],
    latency: ["cloudMonitoring", "cloudMonitoring", "cloudMonitoring", "cloudMonitoring"],
    cloudMonitoring: ["cloudMonitoring", "cloudMonitoring", "cloudMonitoring", "cloudMonitoring"],
    uptime: ["cloudMonitoring", "cloudMonitoring", "cloudMonitoring", "grafana"],
    prometheus: ["prometheus", "prometheus", "grafana", "grafana"],
    // Any PromQL over each window: only a PromQL evaluator reads it, never Cloud Monitoring.
    promql: ["prometheus", "prometheus", "grafana", "grafana"],
  };

  it("covers every kind of the contract", () => {
    expect(Object.keys(expected).sort()).toEqual([...INDICATOR_KINDS].sort());
    expect(Object.keys(INDICATORS).sort()).toEqual([...INDICATOR_KINDS].sort());
  });

  it.each(INDICATOR_KINDS)("%s", (kind) => {
    expect([CLOUD, PROMETHEUS, GRAFANA, SYNTHETIC].map((settings) => sloEvaluator(kind, settings))).toEqual(expected[kind]);
  });

  it("places every SLO on an evaluator that reads its SLI", () => {
    for (const kind of INDICATOR_KINDS) {
      for (const settings of [CLOUD, PROMETHEUS, GRAFANA, SYNTHETIC]) {
        const evaluator = sloEvaluator(kind, settings);
        expect(EVALUATOR_TRAITS[evaluator].reads).toBe(sliSource(kind, endpointChecker(settings)));
        expect(readsPromql({ evaluator })).toBe(EVALUATOR_TRAITS[evaluator].reads === "promql");
      }
    }
  });

  it("reads the stack's PromQL evaluator and checker from its Grafana section", () => {
    expect([CLOUD, PROMETHEUS, GRAFANA].map(promqlEvaluator)).toEqual(["prometheus", "prometheus", "grafana"]);
    expect([CLOUD, GRAFANA, SYNTHETIC].map(endpointChecker)).toEqual(["cloudMonitoring", "cloudMonitoring", "syntheticMonitoring"]);
  });
});

describe("what each evaluator refuses", () => {
  it("refuses PromQL on Cloud Monitoring and a Cloud Monitoring SLO on Prometheus, naming what it reads", () => {
    expect(capabilityProblems("cloudMonitoring", { kind: "prometheus", source: "promql", objective: 99, calendar: false })).toEqual([
      { path: "indicator", message: "not evaluable by Cloud Monitoring (got a prometheus indicator read from PromQL series, expected one Cloud Monitoring reads: Cloud Monitoring SLOs)" },
    ]);
    expect(capabilityProblems("prometheus", { kind: "latency", source: "cloudMonitoring", objective: 99, calendar: false })[0]!.path).toBe("indicator");
  });

  it("holds Cloud Monitoring to goals of 0.9999 at most, and PromQL evaluators to rolling windows", () => {
    expect(capabilityProblems("cloudMonitoring", { kind: "availability", source: "cloudMonitoring", objective: 99.995, calendar: true })).toEqual([
      { path: "objective", message: "invalid value (got 99.995, expected at most 99.99: Cloud Monitoring accepts SLO goals up to 0.9999)" },
    ]);
    for (const evaluator of ["prometheus", "grafana"] as const) {
      expect(capabilityProblems(evaluator, { kind: "prometheus", source: "promql", objective: 99.995, calendar: true }, "calendar-week").map((p) => p.path)).toEqual(["window"]);
    }
  });

  it("has traits for every evaluator, each fitting tiers to its own limits", () => {
    expect(Object.keys(EVALUATOR_TRAITS).sort()).toEqual([...EVALUATORS].sort());
    const inputs = { kind: "prometheus" as const, evaluationIntervalMs: 15_000, sliceOnsetMs: 0 };
    expect(EVALUATOR_TRAITS.cloudMonitoring.limits(inputs).maxLongWindowMs).toBe(86_400_000);
    expect(EVALUATOR_TRAITS.prometheus.limits(inputs).mechanics.evaluationIntervalMs).toBe(15_000);
    // Grafana rounds a group's interval up to a multiple of 10 s.
    expect(EVALUATOR_TRAITS.grafana.limits(inputs).mechanics.evaluationIntervalMs).toBe(20_000);
  });
});

describe("which severities a service raises", () => {
  const none = { slos: [], endpoints: [], alerts: [] };
  it("counts provisioned tiers, uptime, threshold, log, backup and saturation alerts", () => {
    expect(raisedSeverities(none)).toEqual({ page: false, ticket: false, info: false });
    expect(raisedSeverities({ ...none, slos: [{ tiers: [{ severity: "ticket" }] }] })).toEqual({ page: false, ticket: true, info: false });
    expect(raisedSeverities({ ...none, endpoints: [{ alertSeverity: "page" }] })).toEqual({ page: true, ticket: false, info: false });
    expect(raisedSeverities({ ...none, logs: { metrics: [{ alert: { severity: "page" } }, {}] } })).toEqual({ page: true, ticket: false, info: false });
    expect(raisedSeverities({ ...none, backup: { severity: "page" }, scaling: {} })).toEqual({ page: true, ticket: true, info: false });
    expect(raisedSeverities({ ...none, alerts: [{ severity: "info" }] })).toEqual({ page: false, ticket: false, info: true });
    expect(raisedSeverities({ ...none, backup: { severity: "ticket", reportCompletions: true } })).toEqual({ page: false, ticket: true, info: true });
  });

  it("says which evaluator has anything of a service to evaluate", () => {
    const service = { slos: [{ evaluator: "grafana" as const }], alerts: [], endpoints: [], logs: undefined };
    expect(EVALUATORS.filter((e) => evaluatesAnyOf(service as never, e))).toEqual(["grafana"]);
  });
});
