/**
 * PromQL text built by small pure functions: selectors with an extra matcher,
 * durations as Prometheus writes them, numbers without float noise.
 */
import { formatDuration } from "../../contract/duration";

/** A series selector split into its metric name and the matchers inside the braces (as written). */
export interface Selector {
  metric: string;
  matchers: string;
}

/** Splits `http_requests_total{job="api"}` (the contract's selector syntax) into name and matchers. */
export function parseSelector(text: string): Selector {
  const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?$/s.exec(text.trim());
  if (!match) throw new Error(`not a PromQL series selector: ${text}`);
  return { metric: match[1]!, matchers: (match[2] ?? "").trim().replace(/,\s*$/, "") };
}

/** The selector with more matchers appended: withMatchers('m{a="1"}', 'le="0.3"') → 'm{a="1",le="0.3"}'. */
export function withMatchers(text: string, ...extra: string[]): string {
  const { metric, matchers } = parseSelector(text);
  const all = [matchers, ...extra].filter((m) => m !== "");
  return all.length ? `${metric}{${all.join(",")}}` : metric;
}

/** Prometheus duration text for a whole-minute window: 300000 → "5m", 259200000 → "3d", 20160000 → "5h36m". */
export function promDuration(ms: number): string {
  if (ms % 60_000 !== 0) throw new Error(`window ${ms} ms is not whole minutes`);
  return formatDuration(ms);
}

/** Seconds of a Prometheus duration as promDuration writes it: "5h36m" → 20160. */
export function durationSeconds(text: string): number {
  const parts = [...text.matchAll(/([0-9]+)(ms|d|h|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text) throw new Error(`not a Prometheus duration: ${text}`);
  const unit: Record<string, number> = { d: 86_400, h: 3_600, m: 60, s: 1, ms: 0.001 };
  return parts.reduce((sum, p) => sum + Number(p[1]) * unit[p[2]!]!, 0);
}

/** A number as PromQL text, free of float noise: 0.1 + 0.2 → "0.3". */
export function promNumber(value: number): string {
  return String(Number(value.toPrecision(12)));
}

/**
 * The `le` matcher for a latency threshold, as histogram buckets label it:
 * seconds, e.g. 300 ms → le="0.3". Whole seconds also match the "1.0" some
 * client libraries write.
 */
export function leMatcher(thresholdMs: number): string {
  const seconds = promNumber(thresholdMs / 1000);
  return seconds.includes(".") || seconds.includes("e") ? `le="${seconds}"` : `le=~"${seconds}|${seconds}\\\\.0"`;
}

/** Label matchers for a rule's own labels: {service="a",slo="b"}. */
export function labelMatchers(labels: Readonly<Record<string, string>>): string {
  return `{${Object.entries(labels)
    .map(([key, value]) => `${key}="${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`)
    .join(",")}}`;
}
