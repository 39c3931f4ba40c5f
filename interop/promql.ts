/**
 * Prometheus queries as other tools write them, read back to the series
 * selectors our rules rate over. Our rules take `sum(rate(X[w]))` over every
 * burn-rate window themselves, so a query is read only when its meaning is
 * exactly "the rate of the counter X": `X`, `rate(X[5m])`, `increase(X[1h])`,
 * any of those inside `sum(...)`, with a `by (...)` grouping (the rules then
 * aggregate over every group, said in a note), and Sloth's `[{{.window}}]`
 * range. Anything else (arithmetic, quantiles, other functions) is not read.
 */

const SELECTOR_TEXT = String.raw`[a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^{}]*\})?`;
const RANGE_TEXT = String.raw`\[\s*(?:[0-9]+[smhdwy]|\{\{\s*\.window\s*\}\})\s*\]`;
const SELECTOR = new RegExp(`^${SELECTOR_TEXT}$`);
const RATE = new RegExp(String.raw`^(?:rate|increase)\s*\(\s*(${SELECTOR_TEXT})\s*${RANGE_TEXT}\s*\)$`);
const GROUPING = String.raw`(?:by|without)\s*\(([^()]*)\)`;
const SUM_HEAD = new RegExp(String.raw`^sum\s*(?:${GROUPING}\s*)?\(`);
const TRAILING_GROUPING = new RegExp(String.raw`^\s*(?:${GROUPING})?\s*$`);

/** Sloth's window placeholder, with or without spaces. */
export const WINDOW_PLACEHOLDER = /\{\{\s*\.window\s*\}\}/;

export interface ReadQuery {
  selector: string;
  /** The query was not the selector itself (a rate, a sum). */
  rewritten: boolean;
  /** Labels of a `by (...)` grouping the rules do not keep. */
  grouping: string[];
}

/** The text without the parentheses that enclose all of it. */
export function unwrap(text: string): string {
  let current = text.trim();
  while (current.startsWith("(") && closingParen(current, 0) === current.length - 1) current = current.slice(1, -1).trim();
  return current;
}

/** Index of the parenthesis closing the one at `open`, or -1. */
function closingParen(text: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return i;
  }
  return -1;
}

/** Splits `a <op> b` at its only top-level `op` (`-` or `/`); undefined when there is none or more than one. */
export function splitBinary(text: string, op: "-" | "/"): [string, string] | undefined {
  const body = unwrap(text);
  let depth = 0;
  let quote: string | undefined;
  let found = -1;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "(" || c === "{" || c === "[") depth++;
    else if (c === ")" || c === "}" || c === "]") depth--;
    else if (c === op && depth === 0 && i > 0) {
      if (found !== -1) return undefined;
      found = i;
    }
  }
  if (found === -1) return undefined;
  const left = body.slice(0, found).trim();
  const right = body.slice(found + 1).trim();
  return left && right ? [left, right] : undefined;
}

/** The series selector of a query that is the rate (or the sum of rates) of one counter; see the file comment. */
export function readCounterQuery(query: string): ReadQuery | undefined {
  const text = unwrap(outsideQuotes(query, (part) => part.replace(/\s+/g, " ")));
  const head = SUM_HEAD.exec(text);
  if (head) {
    const open = head[0].length - 1;
    const close = closingParen(text, open);
    const tail = close === -1 ? null : TRAILING_GROUPING.exec(text.slice(close + 1));
    if (!tail || (head[1] !== undefined && tail[1] !== undefined)) return undefined;
    const inner = readInner(unwrap(text.slice(open + 1, close)));
    if (!inner) return undefined;
    const grouping = (head[1] ?? tail[1] ?? "").split(",").map((l) => l.trim()).filter((l) => l !== "");
    return { selector: inner, rewritten: true, grouping };
  }
  const selector = readInner(text);
  return selector ? { selector, rewritten: selector !== text, grouping: [] } : undefined;
}

function readInner(text: string): string | undefined {
  const tidy = (selector: string) => outsideQuotes(selector, (part) => part.replace(/\s*([{},=~!])\s*/g, "$1").trim());
  if (SELECTOR.test(text)) return tidy(text);
  const rate = RATE.exec(text);
  return rate ? tidy(rate[1]!) : undefined;
}

/** Applies `change` to the text outside double-quoted strings only. */
function outsideQuotes(text: string, change: (part: string) => string): string {
  const parts = text.split(/("(?:[^"\\]|\\.)*")/s);
  return parts.map((part, i) => (i % 2 === 1 ? part : change(part))).join("");
}

/** The metric name of a selector: `http_requests_total{job="api"}` → `http_requests_total`. */
export function metricName(selector: string): string {
  return selector.replace(/\{.*$/s, "");
}

/** The matchers of a selector, as written: `{a="1",b=~"x"}` → [`a="1"`, `b=~"x"`]. */
export function matchers(selector: string): string[] {
  const body = /\{(.*)\}$/s.exec(selector)?.[1] ?? "";
  const result: string[] = [];
  let current = "";
  let quote = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === "\\" && quote) {
      current += c + (body[i + 1] ?? "");
      i++;
      continue;
    }
    if (c === '"') quote = !quote;
    if (c === "," && !quote) {
      if (current.trim()) result.push(current.trim());
      current = "";
    } else current += c;
  }
  if (current.trim()) result.push(current.trim());
  return result;
}

/** A selector from a metric name and matchers. */
export function selectorOf(name: string, list: readonly string[]): string {
  return list.length > 0 ? `${name}{${list.join(",")}}` : name;
}

/**
 * A latency SLI: good = the `le` bucket of a histogram, total = its count
 * (or +Inf bucket), with the same other matchers. Returns the histogram
 * bucket selector without `le`, and the bound in seconds.
 */
export function histogramThreshold(good: string, total: string): { histogram: string; seconds: number } | undefined {
  const name = metricName(good);
  if (!name.endsWith("_bucket")) return undefined;
  const base = name.slice(0, -"_bucket".length);
  const goodMatchers = matchers(good);
  const le = goodMatchers.find((m) => /^le\s*=\s*"/.test(m));
  const text = le ? /"([^"]*)"/.exec(le)?.[1] : undefined;
  const bound = Number(text);
  // The rules match the bound as Prometheus clients write it (0.4, 1 or 1.0): other spellings stay a ratio.
  if (!le || text === undefined || !Number.isFinite(bound) || bound <= 0 || (text !== String(bound) && text !== `${bound}.0`)) return undefined;
  const rest = goodMatchers.filter((m) => m !== le).sort();
  const totalName = metricName(total);
  const totalMatchers = matchers(total);
  const sameCount = totalName === `${base}_count` && [...totalMatchers].sort().join(",") === rest.join(",");
  const sameInf = totalName === name && [...totalMatchers].filter((m) => m !== 'le="+Inf"').sort().join(",") === rest.join(",") && totalMatchers.includes('le="+Inf"');
  if (!sameCount && !sameInf) return undefined;
  return { histogram: selectorOf(name, goodMatchers.filter((m) => m !== le)), seconds: bound };
}

const OVER_TIME = new RegExp(String.raw`^(sum|count)_over_time\s*\(\s*(${SELECTOR_TEXT})\s*${RANGE_TEXT}\s*\)$`);

/**
 * The gauge of `fn_over_time(X[range])` or `sum(fn_over_time(X[range]))`
 * (`fn` sum or count): what a 0/1 gauge's SLI is written with.
 */
export function readOverTime(query: string): { fn: "sum" | "count"; selector: string } | undefined {
  let text = unwrap(outsideQuotes(query, (part) => part.replace(/\s+/g, " ")));
  const head = /^sum\s*\(/.exec(text);
  if (head && closingParen(text, head[0].length - 1) === text.length - 1) text = unwrap(text.slice(head[0].length, -1));
  const match = OVER_TIME.exec(text);
  if (!match) return undefined;
  return { fn: match[1] as "sum" | "count", selector: outsideQuotes(match[2]!, (part) => part.replace(/\s*([{},=~!])\s*/g, "$1").trim()) };
}
