/**
 * Large JSON documents written in pieces: the text of
 * `JSON.stringify(value, null, 2)`, byte for byte, without ever holding it
 * whole. A 1000-service plan.json is about 100 million characters; built as
 * one string (two bytes a character once any character is outside Latin-1)
 * and then encoded to UTF-8 for writing, it doubled the plan's peak memory.
 */
import { createWriteStream } from "node:fs";
import { once } from "node:events";

/** True when JSON.stringify leaves the value out of an object (and writes `null` for it in an array). */
const omitted = (value: unknown) => value === undefined || typeof value === "function" || typeof value === "symbol";

/** Containers JSON.stringify lays out itself: anything but a plain object or array, or one that says how to serialise itself. */
const isLeaf = (value: unknown) => value === null || typeof value !== "object" || typeof (value as { toJSON?: unknown }).toJSON === "function";

/** What JSON.stringify writes around a value nested in `levels` arrays: the text before it and after it. */
const wrappers = new Map<number, { before: number; after: number }>();
function wrapperOf(levels: number): { before: number; after: number } {
  let known = wrappers.get(levels);
  if (!known) {
    let nested: unknown = 0;
    for (let level = 0; level < levels; level++) nested = [nested];
    const text = JSON.stringify(nested, null, 2);
    const at = text.indexOf("0");
    known = { before: at, after: text.length - at - 1 };
    wrappers.set(levels, known);
  }
  return known;
}

/**
 * `JSON.stringify(value, null, 2)` as it reads nested at `indent` (two spaces a level): every line after the first
 * indented by it. JSON.stringify lays it out itself, nested in as many arrays, and the arrays' text is cut off; no
 * second pass over a large value. Undefined when JSON.stringify writes nothing for the value.
 */
function stringifiedAt(value: unknown, indent: string): string | undefined {
  const levels = indent.length / 2;
  if (levels === 0) return JSON.stringify(value, null, 2) as string | undefined;
  // A value that serialises itself may serialise to nothing, which an array would write as null: not nested.
  if (value !== null && typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON === "function") {
    const text = JSON.stringify(value, null, 2) as string | undefined;
    return text === undefined || !text.includes("\n") ? text : text.replace(/\n/g, `\n${indent}`);
  }
  if (omitted(value)) return undefined;
  let nested: unknown = value;
  for (let level = 0; level < levels; level++) nested = [nested];
  const text = JSON.stringify(nested, null, 2);
  const { before, after } = wrapperOf(levels);
  return text.slice(before, text.length - after);
}

/**
 * `JSON.stringify(value, null, 2)` in pieces: objects and arrays down to
 * `depth` levels are laid out here, one piece per member; deeper values are
 * stringified whole (and indented to their place). Joined, the pieces are the
 * same text as JSON.stringify's. `value` must be something JSON.stringify
 * writes (not undefined, a function or a symbol).
 */
export function* jsonPieces(value: unknown, depth = 2, indent = ""): Generator<string> {
  if (depth <= 0 || isLeaf(value)) {
    const text = stringifiedAt(value, indent);
    // Only an array item can get here serialising to nothing (toJSON returning undefined): JSON.stringify writes null.
    yield text === undefined ? "null" : text;
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield "[]";
      return;
    }
    yield "[";
    for (let index = 0; index < value.length; index++) {
      yield `${index === 0 ? "" : ","}\n${inner}`;
      const item: unknown = value[index];
      if (omitted(item)) yield "null";
      else yield* jsonPieces(item, depth - 1, inner);
    }
    yield `\n${indent}]`;
    return;
  }
  const record = value as Record<string, unknown>;
  let first = true;
  for (const key of Object.keys(record)) {
    const member = record[key];
    if (omitted(member)) continue;
    // A member that serialises itself to nothing (toJSON returning undefined) is left out, as JSON.stringify does.
    if (depth - 1 <= 0 || isLeaf(member)) {
      const text = stringifiedAt(member, inner);
      if (text === undefined) continue;
      yield `${first ? "{" : ","}\n${inner}${JSON.stringify(key)}: ${text}`;
    } else {
      yield `${first ? "{" : ","}\n${inner}${JSON.stringify(key)}: `;
      yield* jsonPieces(member, depth - 1, inner);
    }
    first = false;
  }
  yield first ? "{}" : `\n${indent}}`;
}

/** Pieces gathered into strings of about this many characters before each write. */
const BATCH = 1 << 18;

/** Writes the pieces to `file` (replacing it) through a stream, in batches, waiting whenever the stream is full. */
export async function writePieces(file: string, pieces: Iterable<string>): Promise<void> {
  const stream = createWriteStream(file);
  const failed = new Promise<never>((_, reject) => stream.once("error", reject));
  // Keeps an early failure from going unhandled while no one awaits it yet.
  failed.catch(() => undefined);
  let batch = "";
  const flush = async () => {
    const text = batch;
    batch = "";
    if (!stream.write(text)) await Promise.race([once(stream, "drain"), failed]);
  };
  for (const piece of pieces) {
    batch += piece;
    if (batch.length >= BATCH) await flush();
  }
  if (batch.length > 0) await flush();
  stream.end();
  await Promise.race([once(stream, "finish"), failed]);
}
