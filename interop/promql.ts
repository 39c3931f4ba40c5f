/**
 * Prometheus queries as other tools write them, read back to the series
 * selectors our rules rate over. Our rules take `sum(rate(X[w]))` over every
 * burn-rate window themselves, so a query is read only when its meaning is
 * exactly "the rate of the counter X": `X`, `rate(X[5m])`, `increase(X[1h])`,
 * any of those inside `sum(...)`, with a `by (...)` grouping (the rules then
 * aggregate over every group, said in a note), and Sloth's `[{{.window}}]`
 * range (and opensloctl's `{{.Window}}`). Guards teams add so that an idle
 * service reads 0 instead of no data (`X or on() vector(0)`,
 * `(X > 0) or on() vector(1)`, `clamp_min(X, c)`) are taken off and named,
 * so the caller can say what they changed. Anything else (arithmetic,
 * quantiles, other functions) is not read.
 */

const SELECTOR_TEXT = String.raw`[a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^{}]*\})?`;
const RANGE_TEXT = String.raw`\[\s*(?:[0-9]+[smhdwy]|\{\{\s*\.[wW]indow\s*\}\})\s*\]`;
const SELECTOR = new RegExp(`^${SELECTOR_TEXT}$`);
const RATE = new RegExp(String.raw`^(?:rate|increase)\s*\(\s*(${SELECTOR_TEXT})\s*${RANGE_TEXT}\s*\)$`);
const GROUPING = String.raw`(?:by|without)\s*\(([^()]*)\)`;
const SUM_HEAD = new RegExp(String.raw`^sum\s*(?:${GROUPING}\s*)?\(`);
const TRAILING_GROUPING = new RegExp(String.raw`^\s*(?:${GROUPING})?\s*$`);


export interface ReadQuery {
  selector: string;
  /** The query was not the selector itself (a rate, a sum). */
  rewritten: boolean;
  /** Labels of a `by (...)` grouping the rules do not keep. */
  grouping: string[];
  /** Guards taken off around the counter, as written (`or on() vector(0)`, `clamp_min(…, 0)`). */
  guards?: string[];
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
  const found = onlyTopLevel(body, op);
  if (found === undefined) return undefined;
  const left = body.slice(0, found).trim();
  const right = body.slice(found + 1).trim();
  return left && right ? [left, right] : undefined;
}

/** The series selector of a query that is the rate (or the sum of rates) of one counter, guards taken off; see the file comment. */
export function readCounterQuery(query: string): ReadQuery | undefined {
  const { inner, guards } = stripGuards(query);
  const read = readUnguarded(inner);
  return read && guards.length > 0 ? { ...read, rewritten: true, guards } : read;
}

function readUnguarded(query: string): ReadQuery | undefined {
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
  // A selector written with spaces (`{job="api", le="1"}`) is still the selector itself.
  return selector ? { selector, rewritten: !SELECTOR.test(text), grouping: [] } : undefined;
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

/** Index of the last top-level `or` (any case) of `text`, or -1: `or` binds loosest of PromQL's binary operators. */
function lastTopLevelOr(text: string): number {
  return topLevelIndexes(text)
    .filter((i) => /^or\b/i.test(text.slice(i)) && (i === 0 || /[\s)]/.test(text[i - 1]!)))
    .at(-1) ?? -1;
}

const OR_VECTOR = /^or\s*(?:on\s*\(\s*\)\s*)?vector\s*\(\s*([01])\s*\)$/i;
const CLAMP_MIN = /^clamp_min\s*\(/;
const POSITIVE_FILTER = /^([\s\S]*?)\s*>\s*0$/;

/**
 * A query without the guards around it, outermost first: `X or on() vector(0|1)`
 * (an absent X reads 0 or 1), `(X > 0)` before such a fallback (0 reads as the
 * fallback), `clamp_min(X, c)` (X floored at c). Each guard as written.
 */
export function stripGuards(query: string): { inner: string; guards: string[] } {
  const guards: string[] = [];
  let text = unwrap(query);
  for (;;) {
    const at = lastTopLevelOr(text);
    const fallback = at > 0 ? OR_VECTOR.exec(text.slice(at).trim()) : null;
    if (fallback) {
      guards.push(text.slice(at).trim().replace(/\s+/g, " "));
      text = unwrap(text.slice(0, at));
      const positive = POSITIVE_FILTER.exec(text);
      if (positive && closesAtEnd(positive[1]!)) {
        guards.push("> 0");
        text = unwrap(positive[1]!);
      }
      continue;
    }
    const clamp = CLAMP_MIN.exec(text);
    if (clamp && closingParen(text, clamp[0].length - 1) === text.length - 1) {
      const args = splitTopLevelComma(text.slice(clamp[0].length, -1));
      if (args && /^[0-9.eE+-]+$/.test(args[1]) && Number.isFinite(Number(args[1])) && Number(args[1]) >= 0) {
        guards.push(`clamp_min(…, ${args[1]})`);
        text = unwrap(args[0]);
        continue;
      }
    }
    return { inner: text, guards };
  }
}

/** Whether `text` is one operand (no top-level binary operator that `> 0` would bind looser than). */
function closesAtEnd(text: string): boolean {
  const body = text.trim();
  return splitBinary(body, "/") === undefined && splitBinary(body, "-") === undefined && !/[+*]/.test(outsideBrackets(body));
}

/**
 * The indexes of `text`'s characters at the top level: outside quoted strings
 * (backslash escapes honoured) and outside every (), {} and [] pair, brackets
 * and quotes themselves excluded.
 */
function topLevelIndexes(text: string): number[] {
  const indexes: number[] = [];
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "(" || c === "{" || c === "[") depth++;
    else if (c === ")" || c === "}" || c === "]") depth--;
    else if (depth === 0) indexes.push(i);
  }
  return indexes;
}

/** The index of the only top-level `char` of `text` past its first character; undefined when there is none or more than one. */
function onlyTopLevel(text: string, char: string): number | undefined {
  const found = topLevelIndexes(text).filter((i) => i > 0 && text[i] === char);
  return found.length === 1 ? found[0] : undefined;
}

function outsideBrackets(text: string): string {
  return topLevelIndexes(text)
    .map((i) => text[i])
    .join("");
}

/** `a, b` split at its only top-level comma. */
function splitTopLevelComma(text: string): [string, string] | undefined {
  const found = onlyTopLevel(text, ",");
  return found === undefined ? undefined : [text.slice(0, found).trim(), text.slice(found + 1).trim()];
}

/** What a guard changes, in words, for the import note. */
export function guardMeaning(guard: string): string {
  if (/vector\(0\)$/.test(guard)) return `${guard}: no series reads 0 (the rules count a missing bad series as 0 themselves)`;
  if (/vector\(1\)$/.test(guard)) return `${guard}: no series reads 1 (the SLI reads no data instead while there are no events; alerts stay quiet either way)`;
  if (guard === "> 0") return "> 0: a zero rate reads as the fallback (an idle window has no error ratio either way)";
  const floor = /clamp_min\(…, (.*)\)$/.exec(guard)?.[1];
  return Number(floor) === 0
    ? `${guard}: a rate is never below 0, nothing changes`
    : `${guard}: floored at ${floor} per second in the source, so an idle window reads 0 there; the SLI counts every event as it comes (below ${floor} events per second the source read a lower ratio)`;
}

/** Prometheus' functions and aggregation operators (promql/parser/functions.go, lex.go), and the keywords written before a parenthesis. */
const PROMQL_CALLS = new Set(
  (
    "abs absent absent_over_time acos acosh asin asinh atan atanh avg_over_time ceil changes clamp clamp_max clamp_min cos cosh count_over_time " +
    "day_of_month day_of_week day_of_year days_in_month deg delta deriv double_exponential_smoothing exp floor histogram_avg histogram_count " +
    "histogram_fraction histogram_quantile histogram_stddev histogram_stdvar histogram_sum holt_winters hour idelta increase info irate label_join " +
    "label_replace last_over_time ln log10 log2 mad_over_time max_over_time min_over_time minute month pi predict_linear present_over_time " +
    "quantile_over_time rad rate resets round scalar sgn sin sinh sort sort_by_label sort_by_label_desc sort_desc sqrt stddev_over_time " +
    "stdvar_over_time sum_over_time tan tanh time timestamp ts_of_first_over_time ts_of_last_over_time ts_of_max_over_time ts_of_min_over_time vector year " +
    "sum min max avg group stddev stdvar count count_values bottomk topk quantile limitk limit_ratio " +
    "by without on ignoring group_left group_right and or unless bool offset"
  ).split(" "),
);

/** Calls in a query that are not PromQL (MetricsQL's histogram_share, range_median, …): names followed by "(" outside strings and braces. */
export function nonPromqlCalls(query: string): string[] {
  const outside = outsideBrackets(query.replace(/\(/g, "\u0001").replace(/\)/g, "\u0002")).replace(/\u0001/g, "(").replace(/\u0002/g, ")");
  const calls = [...outside.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\(/g)].map((m) => m[1]!);
  return [...new Set(calls.filter((name) => !PROMQL_CALLS.has(name.toLowerCase())))];
}
