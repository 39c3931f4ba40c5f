/** What the OpenSLO import functions share: the documents by kind and name, and where problems and notes go. */
import { describeValue, type Problem } from "../../contract/problems";
import type { ImportOptions } from "../declarations";
import { docProblem, get, isObject, type Json, type JsonObject } from "../documents";
import type { SourceDocument } from "./documents";

export interface Context {
  /** Documents by `kind/name`: those imported, then those only given for references. */
  index: Map<string, SourceDocument>;
  /** Documents some SLO used. */
  used: Set<SourceDocument>;
  /** Problems of what is being imported now (one SLO, one Service). */
  problems: Problem[];
  options: ImportOptions;
  /** Conditions whose alertAfter was read but has no equivalent (reported once). */
  alertAfterIgnored: number;
}

export type Fail = (field: string, message: string) => void;

export function failAt(doc: SourceDocument, ctx: Context): Fail {
  return (field, message) => ctx.problems.push(docProblem(doc, field, message));
}

/** A label of a document, when it is one string (or a list of one). */
export function label(doc: SourceDocument | undefined, key: string): string | undefined {
  const value = get(doc?.body, "metadata", "labels", key);
  return typeof value === "string" ? value : Array.isArray(value) && value.length === 1 && typeof value[0] === "string" ? value[0] : undefined;
}

/** Names of the documents of a kind, for messages. */
export function names(ctx: Context, kind: string): string {
  const found = [...ctx.index.values()].filter((d) => d.kind === kind).map((d) => d.name);
  return found.length > 0 ? found.join(", ") : "none given";
}

export interface Resolved {
  /** Document the object is written in. */
  owner: SourceDocument;
  /** Path of the object inside `owner`, ending in "." (empty for a whole document). */
  path: string;
  body: JsonObject;
}

/** An item that is a name, `{<refKey>: name}` or an inline `{kind, metadata, spec}` of `kind`. */
export function resolve(doc: SourceDocument, at: string, item: Json, kind: string, refKey: string, ctx: Context): Resolved | undefined {
  const ref = typeof item === "string" ? item : isObject(item) && item[refKey] !== undefined ? item[refKey] : undefined;
  if (ref !== undefined) {
    const found = typeof ref === "string" ? ctx.index.get(`${kind}/${ref}`) : undefined;
    if (!found) {
      ctx.problems.push(docProblem(doc, at, `unknown ${kind} (got ${describeValue(ref)}, expected the name of ${article(kind)} ${kind} document given to the import: ${names(ctx, kind)})`));
      return undefined;
    }
    ctx.used.add(found);
    return { owner: found, path: "", body: found.body };
  }
  if (isObject(item) && isObject(item["spec"]) && (item["kind"] === undefined || item["kind"] === kind)) {
    return { owner: doc, path: `${at}.`, body: item };
  }
  ctx.problems.push(docProblem(doc, at, `invalid value (got ${describeValue(item)}, expected ${article(kind)} ${kind} name, {${refKey}: name} or an inline ${kind} with metadata and spec)`));
  return undefined;
}

function article(word: string): string {
  return /^[AEIOU]/.test(word) ? "an" : "a";
}
