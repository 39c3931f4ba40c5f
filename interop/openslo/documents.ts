/**
 * OpenSLO v1 documents as they are read: multi-document YAML, each document
 * remembered with its file, index and kind/name so that every message can say
 * exactly where the problem is.
 */
import { describeValue, type Problem } from "../../contract/problems";
import { isObject, parseYamlDocuments, positionPath, type DocumentRef, type Json, type JsonObject, type RawDocument } from "../documents";

export { docPath, docProblem, isObject, type Json, type JsonObject } from "../documents";

export const OPENSLO_API_VERSION = "openslo/v1";
/** Versions read as v1: the spec's, and the Kubernetes group/version operators and vendors use for v1-shaped documents. */
export const OPENSLO_V1_VERSIONS = ["openslo/v1", "openslo.com/v1", "openslo.openslo/v1"] as const;
export const OPENSLO_V1ALPHA = "openslo/v1alpha";

/** Annotation on a Service carrying our runtime as JSON: OpenSLO does not say where a service runs. */
export const RUNTIME_ANNOTATION = "monitoring-stack.runtime";
/** Annotation on a Service carrying its runbook URL. */
export const RUNBOOK_ANNOTATION = "monitoring-stack.runbook";

/** The kinds of OpenSLO v1. */
export const OPENSLO_KINDS = ["Service", "SLO", "SLI", "AlertPolicy", "AlertCondition", "AlertNotificationTarget", "DataSource"] as const;
export type OpenSloKind = (typeof OPENSLO_KINDS)[number];

/** One OpenSLO document, in v1 shape whatever version it was written in. */
export interface SourceDocument extends DocumentRef {
  kind: OpenSloKind;
  /** The whole document. */
  body: JsonObject;
}

/** Whether a document is OpenSLO (any version we read). */
export function isOpenSlo(body: Json): boolean {
  const version = isObject(body) ? body["apiVersion"] : undefined;
  return typeof version === "string" && ((OPENSLO_V1_VERSIONS as readonly string[]).includes(version) || version === OPENSLO_V1ALPHA);
}

/**
 * An OpenSLO document of any version we read, in v1 shape: `openslo.com/v1`
 * as v1, v1alpha converted (see `fromV1alpha`), `kind: Datasource` (an
 * operator's spelling) as DataSource. Problems for what is not one.
 */
export function openSloDocument(raw: RawDocument, problems: Problem[]): SourceDocument | undefined {
  const { file, body } = raw;
  const at = positionPath(raw);
  if (!isObject(body)) {
    problems.push({ file, path: at, message: `not an OpenSLO document (got ${describeValue(body)}, expected a mapping with apiVersion, kind, metadata and spec)` });
    return undefined;
  }
  const version = body["apiVersion"];
  if (!isOpenSlo(body)) {
    problems.push({ file, path: `${at}.apiVersion`, message: `unsupported apiVersion (got ${describeValue(version)}, expected ${[...OPENSLO_V1_VERSIONS, OPENSLO_V1ALPHA].join(", ")})` });
    return undefined;
  }
  const kindText = body["kind"] === "Datasource" ? "DataSource" : body["kind"];
  if (typeof kindText !== "string" || !(OPENSLO_KINDS as readonly string[]).includes(kindText)) {
    problems.push({ file, path: `${at}.kind`, message: `unknown kind (got ${describeValue(body["kind"])}, expected one of: ${OPENSLO_KINDS.join(", ")})` });
    return undefined;
  }
  const kind = kindText as OpenSloKind;
  const metadata = body["metadata"];
  const name = isObject(metadata) ? metadata["name"] : undefined;
  if (typeof name !== "string" || name === "") {
    problems.push({ file, path: `${at}(${kind}).metadata.name`, message: `missing required field (got ${describeValue(name)}, expected the document's name)` });
    return undefined;
  }
  if (!isObject(body["spec"])) {
    problems.push({ file, path: `${at}(${kind}/${name}).spec`, message: `missing required field (got ${describeValue(body["spec"])}, expected a mapping)` });
    return undefined;
  }
  return { file, index: raw.index, ...(raw.item !== undefined ? { item: raw.item } : {}), kind, name, body: { ...body, kind } };
}

/**
 * The v1 documents of a document: itself, or for a v1alpha SLO its v1 shape
 * (one SLO per objective when the objectives count different ratioMetrics,
 * named `<name>-<objective>`).
 */
export function openSloDocuments(raw: RawDocument, problems: Problem[]): SourceDocument[] {
  const doc = openSloDocument(raw, problems);
  if (!doc) return [];
  if (doc.body["apiVersion"] !== OPENSLO_V1ALPHA || doc.kind !== "SLO") return [doc];
  const objectives = get1(doc.body["spec"], "objectives");
  const ratios = Array.isArray(objectives) ? objectives.map((o) => JSON.stringify(get1(o, "ratioMetrics") ?? null)) : [];
  if (!Array.isArray(objectives) || new Set(ratios).size <= 1) return [{ ...doc, body: fromV1alpha(doc.body) }];
  return objectives.map((objective, i) => {
    const own = get1(objective, "name") ?? get1(objective, "displayName");
    const name = `${doc.name}-${typeof own === "string" ? own : i + 1}`;
    const single = { ...doc.body, metadata: { ...(doc.body["metadata"] as JsonObject), name }, spec: { ...(doc.body["spec"] as JsonObject), objectives: [objective] } };
    return { ...doc, name, body: fromV1alpha(single) };
  });
}

/**
 * Parses the text of one file into OpenSLO documents. YAML errors, documents
 * that are not OpenSLO and unknown kinds are problems; empty documents are
 * skipped; a top-level list holds one document per item.
 */
export function parseOpenSloFile(text: string, file: string, problems: Problem[]): SourceDocument[] {
  return parseYamlDocuments(text, file, problems).flatMap((raw) => openSloDocuments(raw, problems));
}

const V1ALPHA_UNITS: Record<string, string> = { Second: "s", Minute: "m", Hour: "h", Day: "d", Week: "w", Month: "M", Quarter: "Q", Year: "Y" };

/** A v1alpha metric (`{source, queryType, query}`) as a v1 metricSource. */
function v1alphaSource(metric: Json | undefined): Json {
  if (!isObject(metric)) return metric ?? null;
  return { metricSource: { type: metric["source"] ?? null, spec: { query: metric["query"] ?? null } } };
}

/**
 * A v1alpha SLO in v1 shape: `timeWindows` (unit and count) as `timeWindow`
 * (duration shorthand), `indicator.thresholdMetric` and the objectives'
 * `ratioMetrics` as the v1 indicator. Objectives with different ratioMetrics
 * keep them, which the importer refuses (one v1 SLO has one indicator).
 */
export function fromV1alpha(body: JsonObject): JsonObject {
  const spec = body["spec"] as JsonObject;
  const { timeWindows, indicator, objectives, ...rest } = spec;
  const converted: JsonObject = { ...rest };
  if (Array.isArray(timeWindows)) {
    converted["timeWindow"] = timeWindows.map((w) => {
      if (!isObject(w)) return w;
      const { unit, count, ...others } = w;
      const suffix = typeof unit === "string" ? V1ALPHA_UNITS[unit] : undefined;
      return { duration: suffix ? `${count}${suffix}` : `${count} ${unit}`, ...others };
    });
  }
  const threshold = get1(indicator, "thresholdMetric");
  const ratios = Array.isArray(objectives) ? objectives.map((o) => get1(o, "ratioMetrics")).filter((r) => r !== undefined) : [];
  const sameRatio = ratios.length > 0 && ratios.every((r) => JSON.stringify(r) === JSON.stringify(ratios[0]));
  if (threshold !== undefined) {
    converted["indicator"] = { metadata: { name: String(get1(body["metadata"], "name")) }, spec: { thresholdMetric: v1alphaSource(threshold) } };
  } else if (sameRatio && isObject(ratios[0])) {
    const ratio = ratios[0];
    converted["indicator"] = {
      metadata: { name: String(get1(body["metadata"], "name")) },
      spec: { ratioMetric: { counter: ratio["incremental"] ?? true, good: v1alphaSource(ratio["good"]), total: v1alphaSource(ratio["total"]) } },
    };
  } else if (indicator !== undefined) {
    converted["indicator"] = indicator;
  }
  if (Array.isArray(objectives)) {
    converted["objectives"] = objectives.map((o) => {
      if (!isObject(o) || !sameRatio) return o;
      // v1alpha ratio objectives often carry a value; a ratio has no threshold to compare it with.
      const { ratioMetrics: _dropped, value: _unused, ...others } = o;
      return others;
    });
  }
  return { ...body, apiVersion: OPENSLO_API_VERSION, spec: converted };
}

function get1(value: Json | undefined, key: string): Json | undefined {
  return isObject(value) ? value[key] : undefined;
}

export { formatShorthand, parseShorthand } from "../documents";
