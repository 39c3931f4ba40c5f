/**
 * Every kind of indicator, in one table: what its declaration becomes in the
 * model, where its SLI is read (a Cloud Monitoring SLO or PromQL series, which
 * decides who evaluates it) and how it is described to responders and
 * reviewers. The table's type lists every kind of the contract, so a kind
 * added there and not here is a compile error.
 */
import { parseDuration, formatDuration } from "../contract/duration";
import { WINDOW_PLACEHOLDER, type IndicatorSpec } from "../contract/serviceSchema";
import type { Checker, IndicatorKind, IndicatorModel, SyntheticCheckModel } from "./types";

/** The model of one kind of indicator. */
export type IndicatorModelOf<K extends IndicatorKind> = Extract<IndicatorModel, { kind: K }>;
/** The declaration of one kind of indicator. */
export type IndicatorSpecOf<K extends IndicatorKind> = NonNullable<IndicatorSpec[K]>;

/** Where an SLI is read: Cloud Monitoring's SLO API (Cloud Monitoring evaluates it), or series a PromQL query reads (Prometheus or Grafana evaluates it). */
export type SliSource = "cloudMonitoring" | "promql";

/** What an indicator's model needs besides its declaration: the Synthetic Monitoring check of an endpoint, where there is one. */
export interface IndicatorContext {
  syntheticCheck(endpoint: string): SyntheticCheckModel | undefined;
}

export interface IndicatorTraits<K extends IndicatorKind> {
  /** The declaration with its defaults applied and durations in milliseconds. */
  model(spec: IndicatorSpecOf<K>, context: IndicatorContext): IndicatorModelOf<K>;
  /** Where the SLI is read, given who checks the stack's endpoints. */
  source(checker: Checker): SliSource;
  /** The indicator in plain words. */
  describe(model: IndicatorModelOf<K>): string;
}

/**
 * A query on one line, spaces folded, for descriptions; `{{.window}}` shown as
 * `<window>`, since alert annotations are templates that would expand it.
 */
function oneLine(query: string): string {
  return query.replace(WINDOW_PLACEHOLDER, "<window>").replace(/\s+/g, " ").trim();
}

/** PromQL string literal: backslashes and double quotes escaped. */
function promString(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/**
 * The Synthetic Monitoring counters of one check, as series selectors: every
 * execution adds 1 to `probe_all_success_count`, every successful one 1 to
 * `probe_all_success_sum` (a summary; its series carry the check's `job` and
 * `instance` and the `probe`). Source: Grafana Cloud docs, "Check metrics";
 * grafana/synthetic-monitoring-agent internal/scraper/testdata/http_ssl_basic.txt
 * (both are among the basic metrics).
 */
export function probeSeries(check: Pick<SyntheticCheckModel, "job" | "target">): { total: string; good: string } {
  const select = `{job=${promString(check.job)},instance=${promString(check.target)}}`;
  return { total: `probe_all_success_count${select}`, good: `probe_all_success_sum${select}` };
}

export const INDICATORS: { readonly [K in IndicatorKind]: IndicatorTraits<K> } = {
  availability: {
    model: () => ({ kind: "availability" }),
    source: () => "cloudMonitoring",
    describe: () => "availability: share of requests not answered with 5xx",
  },
  latency: {
    model: (spec) => ({ kind: "latency", thresholdMs: parseDuration(spec.threshold)! }),
    source: () => "cloudMonitoring",
    describe: (model) => `latency: share of requests served within ${formatDuration(model.thresholdMs)}`,
  },
  uptime: {
    model: (spec, context) => {
      const check = context.syntheticCheck(spec.endpoint);
      return { kind: "uptime", endpoint: spec.endpoint, ...(check ? { probeSeries: probeSeries(check) } : {}) };
    },
    // Synthetic Monitoring writes its results to the Grafana Cloud stack's Prometheus.
    source: (checker) => (checker === "syntheticMonitoring" ? "promql" : "cloudMonitoring"),
    describe: (model) =>
      model.probeSeries
        ? `uptime: share of ${model.endpoint} Synthetic Monitoring executions passed, over all probes`
        : `uptime: share of ${model.endpoint} check windows passed from at least one location`,
  },
  prometheus: {
    model: (spec) => {
      const { threshold, ...rest } = spec;
      return { kind: "prometheus", ...rest, ...(threshold ? { thresholdMs: parseDuration(threshold)! } : {}) };
    },
    source: () => "promql",
    describe: (model) => {
      if (model.boolGauge) return `Prometheus 0/1 gauge: mean of ${model.boolGauge} over its samples (the share that are 1)`;
      return model.histogram ? `Prometheus latency: ${model.histogram} within ${formatDuration(model.thresholdMs!)}` : `Prometheus ratio: ${model.good ? "good" : "bad"} ÷ ${model.total}`;
    },
  },
  promql: {
    model: (spec) => ({ kind: "promql", ...spec }),
    // PromQL only a Prometheus-compatible store answers: never a Cloud Monitoring SLO.
    source: () => "promql",
    describe: (model) => (model.errorRatio !== undefined ? `PromQL error ratio over each window: ${oneLine(model.errorRatio)}` : `PromQL errors ÷ total over each window: ${oneLine(model.errors!)} ÷ ${oneLine(model.total!)}`),
  },
  cloudMonitoring: {
    model: (spec) => ({ kind: "cloudMonitoring", ...spec }),
    source: () => "cloudMonitoring",
    describe: (model) => `Cloud Monitoring ratio: ${model.good ? "good" : "bad"} ÷ total`,
  },
};

/** The traits of a kind, typed for that kind (TypeScript does not correlate a union key with the table's value). */
function traits<K extends IndicatorKind>(kind: K): IndicatorTraits<K> {
  return INDICATORS[kind] as unknown as IndicatorTraits<K>;
}

/** The model of a declared indicator of kind `kind`. */
export function buildIndicator<K extends IndicatorKind>(kind: K, spec: IndicatorSpecOf<K>, context: IndicatorContext): IndicatorModel {
  return traits(kind).model(spec, context);
}

/** An indicator in plain words, as the summary and alert texts show it. */
export function describeIndicator(indicator: IndicatorModel): string {
  return traits(indicator.kind).describe(indicator as never);
}

/** Where an indicator of this kind is read, given who checks the stack's endpoints. */
export function sliSource(kind: IndicatorKind, checker: Checker): SliSource {
  return traits(kind).source(checker);
}
