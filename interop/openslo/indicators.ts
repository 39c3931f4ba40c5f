/**
 * OpenSLO SLIs (ratioMetric, thresholdMetric) → our indicators. Prometheus
 * and Prometheus-compatible sources become selectors our rules rate over;
 * Cloud Monitoring filters become Cloud Run availability/latency when they
 * are exactly ours, else request-based ratios.
 */
import { describeValue } from "../../contract/problems";
import type { IndicatorSpec } from "../../contract/serviceSchema";
import { docPath, get, isObject, numberLike, type Json, type JsonObject } from "../documents";
import { guardMeaning, metricName, nonPromqlCalls, readCounterQuery } from "../promql";
import { failAt, names, type Context, type Fail } from "./context";
import type { SourceDocument } from "./documents";
import { KNOWN_SOURCE_TYPES, cloudRunAvailability, cloudRunLatency, sourceBackend, type SourceBackend } from "./sources";

type CloudRun = { kind: "cloudRun"; service: string; region: string };
export type MappedIndicator =
  | { kind: "ratio"; indicator: IndicatorSpec; runtime?: CloudRun }
  | { kind: "threshold"; backend: "prometheus"; histogram: string; runtime?: undefined }
  /** Any other PromQL compared to the objective's value: each evaluation step a sample, good when it meets the threshold. */
  | { kind: "threshold"; backend: "promql"; query: string; runtime?: undefined }
  | { kind: "threshold"; backend: "cloudMonitoring"; runtime: CloudRun };

interface IndicatorSource {
  /** The document the SLI is written in (the SLO itself when inline). */
  doc: SourceDocument;
  /** Path of the SLI's spec inside its document. */
  prefix: string;
  spec: JsonObject;
}

/** The SLI of an SLO, inline or by indicatorRef. */
export function resolveIndicator(doc: SourceDocument, spec: JsonObject, ctx: Context): IndicatorSource | undefined {
  const inline = spec["indicator"];
  const ref = spec["indicatorRef"];
  const fail = failAt(doc, ctx);
  if ((inline === undefined) === (ref === undefined)) {
    fail("spec.indicator", `${inline === undefined ? "missing field (got neither" : "conflicting fields (got both"} indicator and indicatorRef, expected exactly one of them)`);
    return undefined;
  }
  if (inline !== undefined) {
    const sliSpec = get(inline, "spec");
    if (!isObject(sliSpec)) {
      fail("spec.indicator.spec", `missing required field (got ${describeValue(sliSpec)}, expected an SLI spec with ratioMetric or thresholdMetric)`);
      return undefined;
    }
    return { doc, prefix: "spec.indicator.spec", spec: sliSpec };
  }
  const sli = typeof ref === "string" ? ctx.index.get(`SLI/${ref}`) : undefined;
  if (!sli) {
    fail("spec.indicatorRef", `unknown SLI (got ${describeValue(ref)}, expected the name of an SLI document given to the import: ${names(ctx, "SLI")})`);
    return undefined;
  }
  ctx.used.add(sli);
  return { doc: sli, prefix: "spec", spec: sli.body["spec"] as JsonObject };
}

interface ReadSource {
  backend: SourceBackend;
  text: string;
}

/** The type of a metricSource: inline, else from the DataSource it names. An unknown DataSource with an inline type is fine. */
function sourceType(doc: SourceDocument, at: string, source: JsonObject, ctx: Context, notes: string[]): Json | undefined {
  const type = source["type"];
  const ref = source["metricSourceRef"];
  if (ref === undefined) return type;
  const dataSource = typeof ref === "string" ? ctx.index.get(`DataSource/${ref}`) : undefined;
  if (dataSource) {
    ctx.used.add(dataSource);
    return type ?? get(dataSource.body, "spec", "type") ?? null;
  }
  if (typeof type === "string") {
    notes.push(`${doc.file} ${docPath(doc)}.${at}.metricSource: DataSource ${describeValue(ref)} not given; its inline type ${type} is used`);
    return type;
  }
  failAt(doc, ctx)(`${at}.metricSource.metricSourceRef`, `unknown DataSource (got ${describeValue(ref)}, expected the name of a DataSource document given to the import, or an inline type: ${names(ctx, "DataSource")})`);
  return undefined;
}

/** The query text of a metricSource spec: a string, or its query / promql / filter field. */
function sourceText(spec: Json | undefined, backend: SourceBackend): { key: string; text: Json | undefined } {
  if (typeof spec === "string") return { key: "spec", text: spec };
  if (backend === "prometheus") return get(spec, "query") !== undefined || get(spec, "promql") === undefined ? { key: "spec.query", text: get(spec, "query") } : { key: "spec.promql", text: get(spec, "promql") };
  return get(spec, "filter") !== undefined ? { key: "spec.filter", text: get(spec, "filter") } : { key: "spec.query", text: get(spec, "query") };
}

/** Reads `<at>.metricSource` of an SLI: its backend and query (Prometheus) or filter (Cloud Monitoring). */
function readSource(doc: SourceDocument, at: string, holder: Json | undefined, ctx: Context, notes: string[]): ReadSource | undefined {
  const fail = failAt(doc, ctx);
  const source = get(holder, "metricSource");
  if (!isObject(source)) {
    fail(`${at}.metricSource`, `missing required field (got ${describeValue(source)}, expected a metricSource with type and spec)`);
    return undefined;
  }
  const type = sourceType(doc, at, source, ctx, notes);
  if (type === undefined && source["metricSourceRef"] !== undefined) return undefined;
  const backend = typeof type === "string" ? sourceBackend(type) : undefined;
  if (!backend) {
    fail(`${at}.metricSource.type`, `unknown metric source (got ${describeValue(type)}, expected ${KNOWN_SOURCE_TYPES})`);
    return undefined;
  }
  const { key, text } = sourceText(source["spec"], backend);
  if (typeof text !== "string" || text.trim() === "") {
    fail(`${at}.metricSource.${key}`, `missing required field (got ${describeValue(text)}, expected ${backend === "prometheus" ? "a PromQL series selector or rate() of one" : "a Cloud Monitoring filter"} as a string)`);
    return undefined;
  }
  if (backend === "cloudMonitoring" && !/metric\.type\s*=/.test(text)) {
    fail(`${at}.metricSource.${key}`, `not a Cloud Monitoring filter (got ${describeValue(text)}, expected a monitoring filter naming its metric: metric.type="..." AND ...; MQL and PromQL queries are not request-based SLIs)`);
    return undefined;
  }
  return { backend, text: text.trim() };
}

function selector(doc: SourceDocument, at: string, query: string, ctx: Context, notes: string[]): string | undefined {
  const read = readCounterQuery(query);
  if (!read) {
    failAt(doc, ctx)(`${at}.metricSource.spec.query`, `not supported (got ${describeValue(query)}, expected a series selector like http_requests_total{job="api"}, or rate()/increase() of one, optionally inside sum(): the rules aggregate over every series and take rates over each burn-rate window themselves)`);
    return undefined;
  }
  const where = `${doc.file} ${docPath(doc)}.${at}`;
  if (read.rewritten) notes.push(`${where}: query ${JSON.stringify(query)} read as the series selector ${read.selector} (rates are taken over each burn-rate window)`);
  if (read.grouping.length > 0) notes.push(`${where}: grouping by ${read.grouping.join(", ")} not kept: the SLO counts the events of every group together`);
  for (const guard of read.guards ?? []) notes.push(`${where}: guard ${guardMeaning(guard)}`);
  return read.selector;
}

/** Our indicator for an SLI spec, or problems. */
export function mapIndicator(source: IndicatorSource, ctx: Context, notes: string[]): MappedIndicator | undefined {
  const { doc, prefix, spec } = source;
  const ratio = spec["ratioMetric"];
  const threshold = spec["thresholdMetric"];
  if ((ratio === undefined) === (threshold === undefined)) {
    failAt(doc, ctx)(prefix, `${ratio === undefined ? "missing field (got neither" : "conflicting fields (got both"} ratioMetric and thresholdMetric, expected exactly one of them; raw and composite metrics are not supported)`);
    return undefined;
  }
  return threshold !== undefined ? mapThresholdMetric(doc, `${prefix}.thresholdMetric`, threshold, ctx, notes) : mapRatioMetric(doc, `${prefix}.ratioMetric`, ratio!, ctx, notes);
}

function mapThresholdMetric(doc: SourceDocument, at: string, threshold: Json, ctx: Context, notes: string[]): MappedIndicator | undefined {
  const fail = failAt(doc, ctx);
  const source = readSource(doc, at, threshold, ctx, notes);
  if (!source) return undefined;
  if (source.backend === "prometheus") {
    const read = readCounterQuery(source.text);
    if (read && metricName(read.selector).endsWith("_bucket")) {
      const histogram = selector(doc, at, source.text, ctx, notes);
      return histogram ? { kind: "threshold", backend: "prometheus", histogram } : undefined;
    }
    // A gauge or a quantile compared to the threshold: its samples over each window, as written.
    const foreign = nonPromqlCalls(source.text);
    if (foreign.length > 0 || /\{\{/.test(source.text)) {
      fail(`${at}.metricSource.spec.query`, `not supported (got ${describeValue(source.text)}, expected PromQL${foreign.length > 0 ? `: ${foreign.join(", ")} is not a Prometheus function` : " without templates"})`);
      return undefined;
    }
    return { kind: "threshold", backend: "promql", query: source.text };
  }
  const runtime = cloudRunLatency(source.text);
  if (!runtime) {
    fail(`${at}.metricSource.spec.filter`, `not supported (got ${describeValue(source.text)}, expected the Cloud Run request_latencies filter of one service, as npm run openslo -- export writes it; other Cloud Monitoring distributions have no threshold indicator here)`);
    return undefined;
  }
  return { kind: "threshold", backend: "cloudMonitoring", runtime };
}

function mapRatioMetric(doc: SourceDocument, at: string, ratio: Json, ctx: Context, notes: string[]): MappedIndicator | undefined {
  const fail = failAt(doc, ctx);
  if (!isObject(ratio)) {
    fail(at, `invalid value (got ${describeValue(ratio)}, expected a mapping with total and good or bad)`);
    return undefined;
  }
  if (ratio["counter"] === false) {
    fail(`${at}.counter`, "not supported (got false, expected counter: true or no counter: SLIs here are rates of counters, good or bad events over total events)");
    return undefined;
  }
  const unknown = Object.keys(ratio).filter((key) => !["counter", "good", "bad", "total"].includes(key));
  for (const key of unknown) fail(`${at}.${key}`, `not supported (got ${describeValue(key)}, expected only counter, total and good or bad; raw ratios are not supported)`);
  if (ratio["total"] === undefined) fail(`${at}.total`, "missing required field (expected the total events' metricSource)");
  if ((ratio["good"] === undefined) === (ratio["bad"] === undefined)) {
    fail(at, `${ratio["good"] === undefined ? "missing field (got neither" : "conflicting fields (got both"} good and bad, expected exactly one of them)`);
  }
  if (unknown.length > 0 || ratio["total"] === undefined || (ratio["good"] === undefined) === (ratio["bad"] === undefined)) return undefined;
  const part = ratio["good"] !== undefined ? "good" : "bad";
  const total = readSource(doc, `${at}.total`, ratio["total"], ctx, notes);
  const counted = readSource(doc, `${at}.${part}`, ratio[part], ctx, notes);
  if (!total || !counted) return undefined;
  if (total.backend !== counted.backend) {
    fail(`${at}.${part}.metricSource.type`, `conflicting metric sources (got ${counted.backend} for ${part} and ${total.backend} for total, expected both from the same source)`);
    return undefined;
  }
  if (total.backend === "prometheus") {
    const totalSelector = selector(doc, `${at}.total`, total.text, ctx, notes);
    const countedSelector = selector(doc, `${at}.${part}`, counted.text, ctx, notes);
    if (!totalSelector || !countedSelector) return undefined;
    return { kind: "ratio", indicator: { prometheus: { total: totalSelector, [part]: countedSelector } } };
  }
  const runtime = part === "bad" ? cloudRunAvailability(total.text, counted.text) : undefined;
  if (runtime) return { kind: "ratio", indicator: { availability: {} }, runtime };
  return { kind: "ratio", indicator: { cloudMonitoring: { total: total.text, [part]: counted.text } } };
}

/** A latency indicator from a threshold SLI and an objective's op and value. */
/** The comparison that makes a sample bad, for each op that makes it good. */
const BAD_OP: Record<string, string> = { lte: ">", lt: ">=", gte: "<", gt: "<=" };

export function thresholdIndicator(mapped: Extract<MappedIndicator, { kind: "threshold" }>, objective: JsonObject, at: string, fail: Fail, notes: string[], where: string): IndicatorSpec | undefined {
  const op = objective["op"];
  const value = numberLike(objective["value"]);
  if (mapped.backend === "promql") {
    const bad = typeof op === "string" ? BAD_OP[op] : undefined;
    if (!bad || value === undefined) {
      if (!bad) fail(`${at}.op`, `not supported (got ${describeValue(op)}, expected lte, lt, gte or gt: how a sample compares to the threshold to be good)`);
      if (value === undefined) fail(`${at}.value`, `invalid value (got ${describeValue(objective["value"])}, expected the threshold as a number)`);
      return undefined;
    }
    const query = mapped.query.trim();
    const errorRatio = `(sum(count_over_time(((${query}) ${bad} ${value})[{{.window}}:])) or vector(0)) / sum(count_over_time((${query})[{{.window}}:]))`;
    notes.push(`${where}.${at}: ${describeValue(query)} ${op} ${value} read as the promql indicator ${errorRatio}: each rule evaluation a sample of the query, bad when it is ${bad} ${value}, over every window; no low-traffic guard, since samples are no count of failed events`);
    return { promql: { errorRatio } };
  }
  if (op !== "lt" && op !== "lte") {
    fail(`${at}.op`, `not supported (got ${describeValue(op)}, expected lte or lt: good events are those at or below the threshold, like requests served within 300 ms)`);
    return undefined;
  }
  const unit = mapped.backend === "prometheus" ? 1000 : 1; // Prometheus histograms are in seconds; Cloud Run request_latencies in milliseconds.
  const ms = value !== undefined ? Math.round(value * unit * 1e6) / 1e6 : undefined;
  if (ms === undefined || !Number.isInteger(ms) || ms < 1 || ms > 600_000) {
    fail(`${at}.value`, `invalid value (got ${describeValue(objective["value"])}, expected a latency threshold in ${mapped.backend === "prometheus" ? "seconds (the histogram's unit), like 0.3" : "milliseconds (request_latencies' unit), like 500"}: a whole number of milliseconds between 1 ms and 10 min)`);
    return undefined;
  }
  if (op === "lt") notes.push(`${where}.${at}: op lt read as lte (histogram buckets count values up to and including their bound)`);
  const threshold = ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
  return mapped.backend === "prometheus" ? { prometheus: { histogram: mapped.histogram, threshold } } : { latency: { threshold } };
}
