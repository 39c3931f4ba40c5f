/**
 * OpenSLO v1 documents as they are read: multi-document YAML, each document
 * remembered with its file, index and kind/name so that every message can say
 * exactly where the problem is.
 */
import { parseAllDocuments } from "yaml";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../../contract/duration";
import { describeValue, type Problem } from "../../contract/problems";

export const OPENSLO_API_VERSION = "openslo/v1";

/** Annotation on a Service carrying our runtime as JSON: OpenSLO does not say where a service runs. */
export const RUNTIME_ANNOTATION = "monitoring-stack.runtime";
/** Annotation on a Service carrying its runbook URL. */
export const RUNBOOK_ANNOTATION = "monitoring-stack.runbook";

/** The kinds of OpenSLO v1. */
export const OPENSLO_KINDS = ["Service", "SLO", "SLI", "AlertPolicy", "AlertCondition", "AlertNotificationTarget", "DataSource"] as const;
export type OpenSloKind = (typeof OPENSLO_KINDS)[number];

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** One document of a file. */
export interface SourceDocument {
  /** File, as shown in messages. */
  file: string;
  /** Position of the document in its file, from 0. */
  index: number;
  kind: OpenSloKind;
  name: string;
  /** The whole document. */
  body: JsonObject;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Where a document is, as the start of a problem path: `doc[2](SLO/checkout-availability)`. */
export function docPath(doc: Pick<SourceDocument, "index" | "kind" | "name">): string {
  return `doc[${doc.index}](${doc.kind}/${doc.name})`;
}

/** A problem at `field` (dotted, e.g. `spec.timeWindow[0].isRolling`) of a document. */
export function docProblem(doc: SourceDocument, field: string, message: string): Problem {
  return { file: doc.file, path: field ? `${docPath(doc)}.${field}` : docPath(doc), message };
}

/**
 * Parses the text of one file into OpenSLO documents. YAML errors, documents
 * that are not OpenSLO v1 and unknown kinds are problems; empty documents are
 * skipped.
 */
export function parseOpenSloFile(text: string, file: string, problems: Problem[]): SourceDocument[] {
  const documents: SourceDocument[] = [];
  parseAllDocuments(text, { uniqueKeys: true, prettyErrors: true }).forEach((document, index) => {
    if (document.errors.length > 0) {
      for (const error of document.errors) {
        const where = error.linePos?.[0];
        problems.push({
          file,
          path: `doc[${index}]`,
          message: `invalid YAML: ${error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "")} (${where ? `at line ${where.line}, column ${where.col}; ` : ""}expected well-formed YAML with unique keys)`,
        });
      }
      return;
    }
    // YAML 1.2 core schema: an unquoted calendar startTime stays a string.
    const body: unknown = document.toJS();
    if (body === null || body === undefined) return;
    const at = `doc[${index}]`;
    if (!isObject(body)) {
      problems.push({ file, path: at, message: `not an OpenSLO document (got ${describeValue(body)}, expected a mapping with apiVersion, kind, metadata and spec)` });
      return;
    }
    if (body["apiVersion"] !== OPENSLO_API_VERSION) {
      problems.push({ file, path: `${at}.apiVersion`, message: `unsupported apiVersion (got ${describeValue(body["apiVersion"])}, expected ${OPENSLO_API_VERSION})` });
      return;
    }
    const kind = body["kind"];
    if (typeof kind !== "string" || !(OPENSLO_KINDS as readonly string[]).includes(kind)) {
      problems.push({ file, path: `${at}.kind`, message: `unknown kind (got ${describeValue(kind)}, expected one of: ${OPENSLO_KINDS.join(", ")})` });
      return;
    }
    const metadata = body["metadata"];
    const name = isObject(metadata) ? metadata["name"] : undefined;
    if (typeof name !== "string" || name === "") {
      problems.push({ file, path: `${at}(${kind}).metadata.name`, message: `missing required field (got ${describeValue(name)}, expected the document's name)` });
      return;
    }
    if (!isObject(body["spec"])) {
      problems.push({ file, path: `${at}(${kind}/${name}).spec`, message: `missing required field (got ${describeValue(body["spec"])}, expected a mapping)` });
      return;
    }
    documents.push({ file, index, kind: kind as OpenSloKind, name, body });
  });
  return documents;
}

/** Milliseconds of an OpenSLO duration shorthand (`5m`, `1h`, `28d`, `2w`); undefined for calendar units (M, Q, Y) and anything else. */
export function parseShorthand(text: unknown): number | undefined {
  if (typeof text !== "string") return undefined;
  const match = /^([1-9][0-9]*)([mhdw])$/.exec(text);
  if (!match) return undefined;
  const unit = { m: MINUTE_MS, h: HOUR_MS, d: DAY_MS, w: 7 * DAY_MS }[match[2] as "m" | "h" | "d" | "w"];
  return Number(match[1]) * unit;
}

/** Whole minutes as the largest exact shorthand: 86400000 → "1d", 3600000 → "1h", 20160000 → "336m". */
export function formatShorthand(ms: number): string {
  if (ms % DAY_MS === 0) return `${ms / DAY_MS}d`;
  if (ms % HOUR_MS === 0) return `${ms / HOUR_MS}h`;
  return `${Math.round(ms / MINUTE_MS)}m`;
}
