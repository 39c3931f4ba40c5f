/**
 * Documents as the importers read them, whatever their format: YAML streams
 * (`---`) and top-level YAML lists of documents, each document remembered
 * with its file and position so that every message says exactly where the
 * problem is. Also the small readings every format needs: numbers written as
 * strings, names turned into DNS labels.
 */
import { parseAllDocuments } from "yaml";
import { DAY_MS, HOUR_MS, MINUTE_MS, parseDuration } from "../contract/duration";
import { DNS_LABEL } from "../contract/fields";
import type { Problem } from "../contract/problems";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `value.a.b.c`, or undefined when a step is not a mapping. */
export function get(value: Json | undefined, ...keys: string[]): Json | undefined {
  let current: Json | undefined = value;
  for (const key of keys) current = isObject(current) ? current[key] : undefined;
  return current;
}

/** Where a document is in its file. */
export interface DocumentPosition {
  /** File, as shown in messages. */
  file: string;
  /** Position of the YAML document in its file, from 0. */
  index: number;
  /** Position in a top-level YAML list of documents, from 0; undefined for a document of its own. */
  item?: number;
}

/** A document whose kind and name are known: what problems are reported against. */
export interface DocumentRef extends DocumentPosition {
  kind: string;
  name: string;
}

/** A document as read, before its format is known. */
export interface RawDocument extends DocumentPosition {
  body: Json;
}

/** `doc[2]` or, for the third item of a list, `doc[0][2]`. */
export function positionPath(doc: DocumentPosition): string {
  return `doc[${doc.index}]${doc.item === undefined ? "" : `[${doc.item}]`}`;
}

/** Where a document is, as the start of a problem path: `doc[2](SLO/checkout-availability)`. */
export function docPath(doc: DocumentRef): string {
  return `${positionPath(doc)}(${doc.kind}/${doc.name})`;
}

/** A problem at `field` (dotted, e.g. `spec.timeWindow[0].isRolling`) of a document. */
export function docProblem(doc: DocumentRef, field: string, message: string): Problem {
  return { file: doc.file, path: field ? `${docPath(doc)}.${field}` : docPath(doc), message };
}

/** The document part of a problem path (`doc[0][3](SLO/x)` of `doc[0][3](SLO/x).spec.service`). */
export function documentOfPath(path: string): string {
  return /^doc\[\d+\](?:\[\d+\])?(?:\([^)]*\))?/.exec(path)?.[0] ?? path;
}

/**
 * Every document of a file. A top-level list whose items are all mappings is
 * a list of documents (as OpenSLO's Go SDK writes its examples). YAML errors
 * are problems; empty documents are skipped.
 */
export function parseYamlDocuments(text: string, file: string, problems: Problem[]): RawDocument[] {
  const documents: RawDocument[] = [];
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
    const body = document.toJS() as Json | undefined;
    if (body === null || body === undefined) return;
    if (Array.isArray(body) && body.length > 0 && body.every(isObject)) {
      body.forEach((item, position) => documents.push({ file, index, item: position, body: item }));
      return;
    }
    documents.push({ file, index, body });
  });
  return documents;
}

/** A number, or a string holding exactly one (`"0.99"`, `'99.0'`). */
export function numberLike(value: Json | undefined): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "string" && /^\s*[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

/**
 * The DNS label a name stands for: `TheServiceName` → `the-service-name`,
 * `drift_gen_Calendar` → `drift-gen-calendar`. Undefined when nothing of it
 * is left (no letters or digits).
 */
export function dnsLabel(name: string): string | undefined {
  if (DNS_LABEL.test(name)) return name;
  const label = name
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1-$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^[^a-z]+/, "")
    .slice(0, 63)
    .replace(/-+$/, "");
  return label !== "" && DNS_LABEL.test(label) ? label : undefined;
}

/**
 * Milliseconds of a duration shorthand as OpenSLO, Sloth and Pyrra write it (`60s`, `5m`, `1h`, `28d`,
 * `2w`), read with the contract's durations; undefined for calendar units
 * (M, Q, Y) and anything else.
 */
export function parseShorthand(text: unknown): number | undefined {
  if (typeof text !== "string") return undefined;
  const weeks = /^([1-9][0-9]*)w$/.exec(text);
  if (weeks) return Number(weeks[1]) * 7 * DAY_MS;
  return /^[1-9][0-9]*[smhd]$/.test(text) ? parseDuration(text) : undefined;
}

/** Whole minutes as the largest exact shorthand: 86400000 → "1d", 3600000 → "1h", 20160000 → "336m". */
export function formatShorthand(ms: number): string {
  if (ms % DAY_MS === 0) return `${ms / DAY_MS}d`;
  if (ms % HOUR_MS === 0) return `${ms / HOUR_MS}h`;
  return `${Math.round(ms / MINUTE_MS)}m`;
}

/** A reason as the acceptance table words it: what is wrong, without the value. */
export function reasonSummary(problem: Problem): string {
  const summary = problem.message.replace(/\s*\(got[\s\S]*$/, "");
  const generic = /^(invalid value|missing required field|missing field|not supported|conflicting fields|invalid options)$/.test(summary);
  return generic ? `${summary}: ${problem.path.replace(/\[\d+\]/g, "").replace(/^.*\./, "")}` : summary;
}
