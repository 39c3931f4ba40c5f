/**
 * Contract v1 of a service declaration: one zod schema checks the shape of
 * every declaration, whether it was written in TypeScript or YAML.
 *
 * Rules that need more than one field, the stack config or the whole catalog
 * (unique names, references, burn tiers that can fire) live in catalog/validate.ts.
 *
 * Every field is described here, once (`.meta({ description })`, closing with
 * "Required." or "Default: …."): the editor schema shows the description, and
 * MonitoredService's arguments (components/declarationArgs.ts) repeat it as
 * their doc comments; test/contract/componentArgs.test.ts holds them equal.
 */
import { z } from "zod";
import { DAY_MS, DURATION_PATTERN, parseDuration } from "./duration";
import { dnsLabel, strict } from "./fields";

export const API_VERSION = "monitoring-stack/v1";

/** Who is told: page (wake someone now), ticket (within the working day) or info (reviewed once a day, never paging). */
export const SEVERITIES = ["page", "ticket", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];
/** The severities of burn-rate tiers: a budget burn pages or files a ticket. */
export type BurnSeverity = Exclude<Severity, "info">;

/*
 * Editor schema hints: z.toJSONSchema cannot translate refinements, so each one
 * carries, beside it, the closest JSON Schema an editor can check (`.meta`).
 * Hints may accept more than the contract (the loader has the last word) but
 * never less: the generated schema must accept every valid declaration.
 */

/** How every duration is written, in every message: the same expectation for a timeout and a pending period. */
export const DURATION_FORMAT = "a whole number and a unit with no space (ms, s, m, h, d)";

/**
 * A duration string whose value lies in [minMs, maxMs], optionally in whole
 * seconds; one problem per bad value, saying the format and the range at once.
 */
function duration(what: string, minMs: number, maxMs: number, example: string, options: { wholeSeconds?: boolean } = {}) {
  const expected = `expected ${what} like "${example}": ${DURATION_FORMAT}${options.wholeSeconds ? ", in whole seconds" : ""}, between ${describeMs(minMs)} and ${describeMs(maxMs)}`;
  return z.string({ error: expected }).meta({ pattern: DURATION_PATTERN.source }).superRefine((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined || ms < minMs || ms > maxMs || (options.wholeSeconds && ms % 1_000 !== 0)) ctx.addIssue({ code: "custom", message: expected });
  });
}

/** The start of a Backup and DR window, in one message: the format and the whole hour together. */
export const BACKUP_START_EXPECTATION = 'a start time on the hour, "HH:00" in 24 h UTC like "03:00" (Backup and DR windows open on the hour)';

function describeMs(ms: number): string {
  if (ms === 0) return "0s";
  if (ms % DAY_MS === 0) return `${ms / DAY_MS}d`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** Editor hint for a strict object whose keys are all optional and exactly one must be set. */
const EXACTLY_ONE_KEY = { minProperties: 1, maxProperties: 1 } as const;

/** Adds an error unless exactly one of `keys` is present on the object. */
function exactlyOne(keys: readonly string[]) {
  return (value: Record<string, unknown>, ctx: z.RefinementCtx) => {
    const present = keys.filter((key) => value[key] !== undefined);
    if (present.length !== 1) {
      ctx.addIssue({
        code: "custom",
        message:
          present.length === 0
            ? `missing field (got none of them, expected exactly one of: ${keys.join(", ")})`
            : `conflicting fields (got ${present.join(" and ")}, expected exactly one of: ${keys.join(", ")})`,
      });
    }
  };
}

const percent = (what: string) =>
  z
    .number({ error: `expected ${what} as a number` })
    .gt(0, { error: `expected ${what} above 0` })
    .lte(100, { error: `expected ${what} at most 100` });

const positiveInt = (what: string, max?: number) => {
  const base = z.number({ error: `expected ${what} as a whole number` }).int({ error: `expected ${what} as a whole number` });
  const min = base.min(0, { error: `expected ${what} of at least 0` });
  return max === undefined ? min : min.max(max, { error: `expected ${what} of at most ${max}` });
};

export const TIERS = ["critical", "standard", "low"] as const;
export type Tier = (typeof TIERS)[number];

/** Cloud Monitoring uptime checker regions (the broad ones; each holds several checkers). */
export const UPTIME_REGIONS = ["USA", "EUROPE", "SOUTH_AMERICA", "ASIA_PACIFIC", "USA_OREGON", "USA_IOWA", "USA_VIRGINIA"] as const;
export type UptimeRegion = (typeof UPTIME_REGIONS)[number];
export const UPTIME_PERIODS = ["60s", "300s", "600s", "900s"] as const;
/** The periods Cloud Monitoring accepts, in milliseconds: a period may be written in any unit (5m is 300s). */
const UPTIME_PERIOD_MS: readonly number[] = UPTIME_PERIODS.map((period) => parseDuration(period)!);
/** Editor hint: every way to write an allowed period in ms, s or m (leading zeros included, as the loader reads them). */
const UPTIME_PERIOD_PATTERN = `^0*(${UPTIME_PERIOD_MS.flatMap((ms) => [`${ms}ms`, `${ms / 1_000}s`, `${ms / 60_000}m`]).join("|")})$`;
const UPTIME_PERIOD_EXPECTATION = `expected one of the uptime check periods: ${UPTIME_PERIODS.join(", ")} (in any unit: 5m is 300s)`;

/** An http(s) URL with a host and nothing an uptime check would drop (user info, fragment). */
export function isCheckableUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (
      /^https?:\/\/[^/?#]/i.test(text) &&
      (url.protocol === "http:" || url.protocol === "https:") &&
      url.hostname !== "" &&
      url.username === "" &&
      url.password === "" &&
      url.hash === ""
    );
  } catch {
    return false;
  }
}

/** A URL as it may be shown in a message: any user:password@ part masked. */
function withoutCredentials(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, "$1[credentials]@");
}

/** Checker locations a list of regions covers: USA holds three (Oregon, Iowa, Virginia); every other region one. */
export function checkerLocations(regions: readonly string[]): number {
  return regions.reduce((count, region) => count + (region === "USA" ? 3 : 1), 0);
}

const userLabels = z.record(
  z.string().regex(/^[a-z][a-z0-9_-]{0,62}$/, {
    error: "expected a label key: lowercase letters, digits, '_' or '-', starting with a letter, at most 63 characters",
  }),
  z
    .string({ error: "expected a label value as a string (quote numbers in YAML)" })
    .regex(/^[a-z0-9_-]{0,63}$/, { error: "expected a label value: lowercase letters, digits, '_' or '-', at most 63 characters" }),
);

const cloudRunRuntime = strict({
  service: dnsLabel.meta({ description: "Cloud Run service name. Required." }),
  region: z
    .string({ error: "expected a GCP region like europe-west1" })
    .regex(/^[a-z]+-[a-z]+[0-9]+$/, { error: "expected a GCP region like europe-west1" })
    .meta({ description: "Cloud Run region, e.g. europe-west1. Required." }),
});

const gkeRuntime = strict({
  cluster: dnsLabel.meta({ description: "GKE cluster name. Required." }),
  location: z
    .string({ error: "expected a GCP region or zone like europe-west1 or europe-west1-b" })
    .regex(/^[a-z]+-[a-z]+[0-9]+(-[a-z])?$/, { error: "expected a GCP region or zone like europe-west1 or europe-west1-b" })
    .meta({ description: "Cluster location: a region or a zone, e.g. europe-west1 or europe-west1-b. Required." }),
  namespace: dnsLabel.meta({ description: "Kubernetes namespace of the workload. Required." }),
  workload: dnsLabel.meta({ description: "Deployment name of the workload. Required." }),
  // (extension)
  selector: z
    .record(
      z.string({ error: "expected a Kubernetes label key like app or app.kubernetes.io/name" }).regex(/^([a-z0-9.-]{1,253}\/)?[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/, { error: "expected a Kubernetes label key like app or app.kubernetes.io/name" }),
      z.string({ error: "expected a Kubernetes label value (at most 63 letters, digits, '-', '_' or '.')" }).regex(/^([A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)?$/, { error: "expected a Kubernetes label value (at most 63 letters, digits, '-', '_' or '.')" }),
      { error: "expected a mapping of pod label to value" },
    )
    .refine((labels) => Object.keys(labels).length > 0, { error: "expected at least one pod label" })
    .meta({ description: "Labels of the workload's pods; its logs, PodDisruptionBudget and saturation alerts select by them. Default: { app: <workload> }." })
    .optional(),
});

export const runtimeSchema = strict({
  cloudRun: cloudRunRuntime.meta({ description: "The service runs on Cloud Run." }).optional(),
  gke: gkeRuntime.meta({ description: "The service is a workload on GKE." }).optional(),
  external: strict({}).meta({ description: "The service is reachable only by URL (Cloudflare Workers, Supabase, VMs, compose hosts)." }).optional(),
}, "a runtime: exactly one of cloudRun, gke, external")
  .superRefine(exactlyOne(["cloudRun", "gke", "external"]))
  .meta({ ...EXACTLY_ONE_KEY, description: "Where the service runs: exactly one of cloudRun, gke, external. Required." });

/**
 * Earlier names of `what` (a service, an endpoint, an SLO), oldest first, after
 * a rename. The resources keep their Pulumi identity (aliases) and their Cloud
 * Monitoring ids (the oldest name), so a rename replaces nothing and loses no
 * history. Keep the list.
 */
const formerly = (what: string) =>
  z
    .array(dnsLabel, { error: "expected a list of earlier names, oldest first" })
    .min(1, { error: "expected at least one earlier name" })
    .refine((names) => new Set(names).size === names.length, { error: "expected each earlier name once" })
    .meta({ uniqueItems: true, description: `Earlier names of ${what}, oldest first, after a rename; never reorder them. Default: none.` });

export const endpointSchema = strict({
  name: dnsLabel.meta({ description: "Endpoint name, unique within the service (a DNS label). Required." }),
  url: z.string({ error: "expected an absolute http or https URL" }).meta({
    pattern: "^[Hh][Tt][Tt][Pp][Ss]?://[^/?#]",
    description: "Absolute http or https URL to check, without user:password@ or #fragment (uptime checks send neither, and the URL is not secret). Required.",
  }).superRefine((text, ctx) => {
    if (!isCheckableUrl(text)) {
      ctx.addIssue({
        code: "custom",
        message: `invalid value (got ${JSON.stringify(withoutCredentials(text))}, expected an absolute http or https URL like https://api.example.com/health, without user:password@ or #fragment: uptime checks send neither, and the URL is not secret)`,
      });
    }
  }),
  period: z
    .string({ error: UPTIME_PERIOD_EXPECTATION })
    .meta({
      pattern: UPTIME_PERIOD_PATTERN,
      description: `Check period: ${UPTIME_PERIODS.slice(0, -1).join(", ")} or ${UPTIME_PERIODS.at(-1)}, in any unit (5m is 300s). Default: 60s for critical services, 300s otherwise.`,
    })
    .refine((text) => UPTIME_PERIOD_MS.includes(parseDuration(text) ?? -1), { error: UPTIME_PERIOD_EXPECTATION })
    .optional(),
  timeout: duration("a timeout", 1_000, 60_000, "10s", { wholeSeconds: true })
    .meta({ pattern: "^(0*([1-9]|[1-5][0-9]|60)s|0*([1-9]|[1-5][0-9]|60)000ms|0*1m)$", description: "Request timeout in whole seconds, 1s to 60s. Default: 10s." })
    .optional(),
  regions: z
    .array(z.enum(UPTIME_REGIONS, { error: `expected a checker region: ${UPTIME_REGIONS.join(", ")}` }), { error: "expected a list of checker regions" })
    .meta({
      uniqueItems: true,
      description: `Checker regions, each once: ${UPTIME_REGIONS.join(", ")}. Together they cover at least 3 checker locations: USA counts 3 (and is not listed with USA_OREGON, USA_IOWA or USA_VIRGINIA, its parts), every other region 1. Default: USA, EUROPE, SOUTH_AMERICA, ASIA_PACIFIC.`,
    })
    .superRefine((list, ctx) => {
      if (new Set(list).size !== list.length) {
        ctx.addIssue({ code: "custom", message: "expected each region once" });
      } else if (list.includes("USA") && list.some((region) => region.startsWith("USA_"))) {
        ctx.addIssue({ code: "custom", message: "expected USA or its parts (USA_OREGON, USA_IOWA, USA_VIRGINIA), not both: USA already checks from all three" });
      } else if (checkerLocations(list) < 3) {
        ctx.addIssue({ code: "custom", message: `expected regions covering at least 3 checker locations, a Cloud Monitoring limit (USA counts 3, every other region 1; these cover ${checkerLocations(list)})` });
      }
    })
    .optional(),
  expect: strict({
    status: z
      .array(
        z
          .number({ error: "expected an HTTP status code as a number" })
          .int({ error: "expected a whole HTTP status code" })
          .min(100, { error: "expected HTTP status codes between 100 and 599" })
          .max(599, { error: "expected HTTP status codes between 100 and 599" }),
        { error: "expected a list of HTTP status codes" },
      )
      .min(1, { error: "expected at least one status code" })
      .meta({ description: "Accepted HTTP status codes. Default: any 2xx." })
      .optional(),
    contains: z
      .string({ error: "expected a string to look for in the body" })
      .min(1, { error: "expected a non-empty string to look for in the body" })
      .meta({ maxLength: 1024, description: "Text the response body must contain, at most 1024 bytes. Default: none." })
      .refine((text) => Buffer.byteLength(text, "utf8") <= 1024, { error: "expected at most 1024 bytes (a Cloud Monitoring limit on content matchers)" })
      .optional(),
  })
    .meta({ description: "What a passing check sees. Default: any 2xx status." })
    .optional(),
  formerly: formerly("the endpoint").optional(),
});

const promSelector = z
  .string({ error: "expected a PromQL series selector as a string" })
  .regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})?$/, { error: 'expected a PromQL series selector like http_requests_total{job="api"}' });

const monitoringFilter = z
  .string({ error: "expected a Cloud Monitoring filter as a string" })
  .meta({ pattern: "metric\\.type\\s*=" })
  .refine((text) => /metric\.type\s*=/.test(text), { error: 'expected a Cloud Monitoring filter naming its metric: metric.type="..." ...' });

const prometheusIndicator = strict({
  total: promSelector.meta({ description: 'Series selector of all events, e.g. http_requests_total{job="api"}. Default: none.' }).optional(),
  bad: promSelector.meta({ description: "Series selector of bad events (with total). Default: none." }).optional(),
  good: promSelector.meta({ description: "Series selector of good events (with total). Default: none." }).optional(),
  histogram: promSelector.meta({ description: 'Histogram bucket series selector, e.g. http_request_duration_seconds_bucket{job="api"}. Default: none.' }).optional(),
  threshold: duration("a latency threshold", 1, 600_000, "300ms")
    .meta({ description: "Latency threshold for the histogram, one of its bucket boundaries, e.g. 300ms. Default: none." })
    .optional(),
  boolGauge: promSelector
    .meta({
      description:
        'Series selector of a gauge that is 1 when good and 0 when bad, e.g. probe_success{job="blackbox"} or up, alone (without the other fields): every sample is an event, the bad ones the samples minus the sum of their values. Default: none.',
    })
    .optional(),
}).superRefine((value, ctx) => {
  const ratio = value.total !== undefined || value.bad !== undefined || value.good !== undefined;
  const latency = value.histogram !== undefined || value.threshold !== undefined;
  const gauge = value.boolGauge !== undefined;
  if ([ratio, latency, gauge].filter(Boolean).length > 1) {
    const got = [ratio ? "ratio" : "", latency ? "latency" : "", gauge ? "boolGauge" : ""].filter(Boolean).join(" and ");
    ctx.addIssue({ code: "custom", message: `conflicting fields (got ${got} fields, expected one of: total with bad or good, histogram with threshold, boolGauge)` });
  } else if (gauge) {
    return;
  } else if (latency) {
    if (value.histogram === undefined) ctx.addIssue({ code: "custom", path: ["histogram"], message: "missing required field (got threshold without histogram, expected a histogram bucket selector)" });
    if (value.threshold === undefined) ctx.addIssue({ code: "custom", path: ["threshold"], message: 'missing required field (got histogram without threshold, expected a latency threshold like "300ms")' });
  } else {
    if (value.total === undefined) ctx.addIssue({ code: "custom", path: ["total"], message: "missing required field (got no total, expected a total selector with bad or good, histogram with threshold, or boolGauge)" });
    if ((value.bad === undefined) === (value.good === undefined)) {
      ctx.addIssue({ code: "custom", message: `${value.bad === undefined ? "missing field (got neither" : "conflicting fields (got both"} bad and good, expected exactly one of: bad, good)` });
    }
  }
}).meta({
  description: "From Prometheus metrics, evaluated by Prometheus rules: a ratio (total with bad or good), a latency (histogram with threshold) or a 0/1 gauge (boolGauge).",
  oneOf: [
    { required: ["total", "bad"], not: { anyOf: [{ required: ["good"] }, { required: ["histogram"] }, { required: ["threshold"] }, { required: ["boolGauge"] }] } },
    { required: ["total", "good"], not: { anyOf: [{ required: ["bad"] }, { required: ["histogram"] }, { required: ["threshold"] }, { required: ["boolGauge"] }] } },
    { required: ["histogram", "threshold"], not: { anyOf: [{ required: ["total"] }, { required: ["bad"] }, { required: ["good"] }, { required: ["boolGauge"] }] } },
    { required: ["boolGauge"], not: { anyOf: [{ required: ["total"] }, { required: ["bad"] }, { required: ["good"] }, { required: ["histogram"] }, { required: ["threshold"] }] } },
  ],
});

const cloudMonitoringIndicator = strict({
  total: monitoringFilter.meta({ description: 'Monitoring filter of all events, naming its metric (metric.type="…"). Required.' }),
  good: monitoringFilter.meta({ description: "Monitoring filter of good events. Default: none (then bad is required)." }).optional(),
  bad: monitoringFilter.meta({ description: "Monitoring filter of bad events. Default: none (then good is required)." }).optional(),
}).superRefine((value, ctx) => {
  if ((value.bad === undefined) === (value.good === undefined)) {
    ctx.addIssue({ code: "custom", message: `${value.bad === undefined ? "missing field (got neither" : "conflicting fields (got both"} good and bad, expected exactly one of: good, bad)` });
  }
}).meta({ description: "A request-based ratio of Cloud Monitoring filters: total with good or bad.", oneOf: [{ required: ["good"] }, { required: ["bad"] }] });

/** Where a windowed query's window goes, as Sloth writes it (a Go template field, spaces allowed). */
export const WINDOW_PLACEHOLDER = /\{\{\s*\.window\s*\}\}/g;
const WINDOWED_EXPECTATION = "expected PromQL with {{.window}} where each window goes, like sum(rate(errors_total[{{.window}}])), and no other template";

const windowedQuery = z
  .string({ error: `${WINDOWED_EXPECTATION}, as a string` })
  .superRefine((text, ctx) => {
    const others = text.replace(WINDOW_PLACEHOLDER, "").match(/\{\{[^}]*\}\}/g);
    if (others) ctx.addIssue({ code: "custom", message: `unknown template (got ${others.join(", ")}, ${WINDOWED_EXPECTATION})` });
  });

/** Whether a query has a `{{.window}}` placeholder. */
export function hasWindowPlaceholder(text: string | undefined): boolean {
  return text !== undefined && new RegExp(WINDOW_PLACEHOLDER.source).test(text);
}

const promqlIndicator = strict({
  errorRatio: windowedQuery
    .meta({ description: "PromQL of the share of bad events over a window, 0 to 1, with {{.window}} where the window goes (Sloth's raw error_ratio_query), e.g. 1 - avg_over_time(up{job=\"api\"}[{{.window}}]). Default: none (then errors and total are required)." })
    .optional(),
  errors: windowedQuery.meta({ description: "PromQL of the bad events over a window, with {{.window}} (Sloth's events error_query); the error ratio is errors ÷ total. Default: none (then errorRatio is required)." }).optional(),
  total: windowedQuery.meta({ description: "PromQL of all events over the same window, with {{.window}} (Sloth's events total_query). Default: none (then errorRatio is required)." }).optional(),
}).superRefine((value, ctx) => {
  const pair = value.errors !== undefined || value.total !== undefined;
  if (value.errorRatio !== undefined && pair) {
    ctx.addIssue({ code: "custom", message: "conflicting fields (got errorRatio with errors or total, expected errorRatio alone, or errors with total)" });
  } else if (value.errorRatio === undefined) {
    if (value.errors === undefined) ctx.addIssue({ code: "custom", path: ["errors"], message: "missing required field (got no errorRatio and no errors, expected errorRatio, or errors with total)" });
    if (value.total === undefined) ctx.addIssue({ code: "custom", path: ["total"], message: "missing required field (got no errorRatio and no total, expected errorRatio, or errors with total)" });
  }
  const queries = [value.errorRatio, value.errors, value.total].filter((q): q is string => q !== undefined);
  if (queries.length > 0 && !queries.some(hasWindowPlaceholder)) {
    ctx.addIssue({ code: "custom", message: `missing {{.window}} (got ${queries.map((q) => JSON.stringify(q)).join(" and ")}, ${WINDOWED_EXPECTATION}: without it every window reads the same)` });
  }
}).meta({
  description:
    "Any PromQL evaluated over each window, {{.window}} standing for it, as Sloth writes SLIs: errorRatio, or errors with total (the error ratio is errors ÷ total). Evaluated by Prometheus rules, never by Cloud Monitoring; the low-traffic guard does not apply, since the query gives no count of failed events.",
  oneOf: [
    { required: ["errorRatio"], not: { anyOf: [{ required: ["errors"] }, { required: ["total"] }] } },
    { required: ["errors", "total"], not: { required: ["errorRatio"] } },
  ],
});

export const INDICATOR_KINDS = ["availability", "latency", "uptime", "prometheus", "promql", "cloudMonitoring"] as const;

export const indicatorSchema = strict({
  availability: strict({}).meta({ description: "Requests not answered with 5xx, from the runtime's own request metrics (Cloud Run services)." }).optional(),
  latency: strict({
    threshold: duration("a latency threshold", 1, 600_000, "500ms").meta({ description: "Latency threshold, e.g. 500ms, at most 10m. Required." }),
  })
    .meta({ description: "Requests served within a threshold, whatever their status, from the runtime's own request metrics (Cloud Run services)." })
    .optional(),
  uptime: strict({ endpoint: dnsLabel.meta({ description: "Name of one of the service's endpoints. Required." }) })
    .meta({ description: "Check periods in which the uptime check of one of the service's endpoints passed from at least one location." })
    .optional(),
  prometheus: prometheusIndicator.optional(),
  promql: promqlIndicator.optional(),
  cloudMonitoring: cloudMonitoringIndicator.optional(),
}, "an indicator: exactly one of availability, latency, uptime, prometheus, promql, cloudMonitoring")
  .superRefine(exactlyOne(INDICATOR_KINDS))
  .meta({ ...EXACTLY_ONE_KEY, description: "What counts as a good event: exactly one of availability, latency, uptime, prometheus, promql, cloudMonitoring. Required." });

const alertSwitch = strict({
  page: z.boolean({ error: "expected true or false" }).meta({ description: "Page on fast budget burn. Default: from the tier (critical and standard page, low does not)." }).optional(),
  ticket: z.boolean({ error: "expected true or false" }).meta({ description: "File a ticket on slow budget burn. Default: true." }).optional(),
}).meta({ description: "Which burn-rate alerts this SLO raises. Default: from the tier." });

/**
 * Calendar periods an SLO may be evaluated over: Cloud Monitoring's
 * ServiceLevelObjective.calendar_period takes only DAY, WEEK, FORTNIGHT and
 * MONTH (google/monitoring/v3/service.proto; Slo.yaml calendarPeriod enum).
 * Periods begin at midnight UTC; weeks on Monday (ISO 8601); the first
 * fortnight of a year at the start of ISO week 1 (google/type/calendar_period.proto).
 */
export const CALENDAR_PERIODS = ["calendar-day", "calendar-week", "calendar-fortnight", "calendar-month"] as const;
export type CalendarWindow = (typeof CALENDAR_PERIODS)[number];

const WINDOW_EXPECTATION = `expected a rolling window in whole days from "1d" to "30d" (Cloud Monitoring's rolling period limit), whole hours from "1h" to "23h" (where Prometheus evaluates the SLO), or a calendar period: ${CALENDAR_PERIODS.join(", ")}`;

/** Whether a window is a rolling window shorter than a day, in whole hours ("6h"): only PromQL evaluators take it. */
export function isSubDayWindow(window: string | undefined): boolean {
  return window !== undefined && /^0*([1-9]|1[0-9]|2[0-3])h$/.test(window);
}

/** Whether a window names a calendar period rather than a rolling number of days. */
export function isCalendarWindow(window: string | undefined): window is CalendarWindow {
  return (CALENDAR_PERIODS as readonly string[]).includes(window ?? "");
}

const windowSchema = z
  .string({ error: WINDOW_EXPECTATION })
  .meta({
    pattern: `^(0*([1-9]|[12][0-9]|30)d|0*([1-9]|1[0-9]|2[0-3])h|${CALENDAR_PERIODS.join("|")})$`,
    description: `Rolling window in whole days, 1d to 30d, or, where Prometheus evaluates the SLO, in whole hours, 1h to 23h (only with burn-rate tiers that page on burns of at least 6 over distinct windows), or a calendar period (${CALENDAR_PERIODS.join(", ")}; periods start at midnight UTC, weeks on Monday). Default: 30d.`,
  })
  .superRefine((text, ctx) => {
    if (isCalendarWindow(text) || isSubDayWindow(text)) return;
    if (!/^[0-9]+d$/.test(text) || Number(text.slice(0, -1)) < 1 || Number(text.slice(0, -1)) > 30) {
      ctx.addIssue({ code: "custom", message: `invalid value (got ${JSON.stringify(text)}, ${WINDOW_EXPECTATION})` });
    }
  });

/** How SLO budgets are counted: good events among all events, or good time slices among all slices. */
export const BUDGETING_METHODS = ["occurrences", "timeslices"] as const;
export type BudgetingMethod = (typeof BUDGETING_METHODS)[number];

const MINUTES_PER_DAY = 1_440;
/**
 * Slice lengths Cloud Monitoring accepts as windowsBasedSli.windowPeriod: "an
 * integer fraction of a day and at least 60s" (service.proto WindowsBasedSli.window_period);
 * in whole minutes here, so that Prometheus rules can use them as windows too.
 */
export const SLICE_MINUTES: readonly number[] = Array.from({ length: MINUTES_PER_DAY }, (_, i) => i + 1).filter((m) => MINUTES_PER_DAY % m === 0);
/** Editor hint: every way to write an allowed slice in ms, s, m, h or d (leading zeros included). */
const SLICE_PATTERN = `^0*(${SLICE_MINUTES.flatMap((m) => [`${m * 60_000}ms`, `${m * 60}s`, `${m}m`, ...(m % 60 === 0 ? [`${m / 60}h`] : []), ...(m === MINUTES_PER_DAY ? ["1d"] : [])]).join("|")})$`;
const SLICE_EXPECTATION = `expected a time slice like "1m" or "5m": a whole number of minutes that divides a day (${SLICE_MINUTES.slice(0, 12).join(", ")}, … 1440 minutes), Cloud Monitoring's windowPeriod rule: an integer fraction of a day, at least 60s`;

export const budgetingSchema = strict({
  method: z.enum(BUDGETING_METHODS, { error: `expected a budgeting method: ${BUDGETING_METHODS.join(" or ")}` }).meta({ description: `${BUDGETING_METHODS.join(" or ")}. Required.` }),
  slice: z
    .string({ error: SLICE_EXPECTATION })
    .meta({ pattern: SLICE_PATTERN, description: 'With timeslices: the length of one slice, a whole number of minutes that divides a day, like "1m" or "5m". Required with timeslices.' })
    .superRefine((text, ctx) => {
      const ms = parseDuration(text);
      if (ms === undefined || ms % 60_000 !== 0 || !SLICE_MINUTES.includes(ms / 60_000)) ctx.addIssue({ code: "custom", message: `invalid value (got ${JSON.stringify(text)}, ${SLICE_EXPECTATION})` });
    })
    .optional(),
  sliceTarget: z
    .number({ error: "expected sliceTarget as a ratio like 0.95" })
    .gt(0, { error: "expected sliceTarget strictly between 0 and 1: the share of good events that makes a slice good, like 0.95" })
    .lt(1, { error: "expected sliceTarget strictly between 0 and 1: the share of good events that makes a slice good, like 0.95 (1 makes one bad event spoil a slice: count occurrences instead)" })
    .meta({ description: "With timeslices: the share of good events, strictly between 0 and 1, that makes a slice good, like 0.95. Required with timeslices." })
    .optional(),
}, "a budgeting method like {method: occurrences} or {method: timeslices, slice: 1m, sliceTarget: 0.95}")
  .superRefine((value, ctx) => {
    if (value.method === "timeslices") {
      if (value.slice === undefined) ctx.addIssue({ code: "custom", path: ["slice"], message: 'missing required field (got method timeslices without slice, expected the length of a slice like "1m")' });
      if (value.sliceTarget === undefined) ctx.addIssue({ code: "custom", path: ["sliceTarget"], message: "missing required field (got method timeslices without sliceTarget, expected the share of good events that makes a slice good, like 0.95)" });
    } else {
      for (const key of ["slice", "sliceTarget"] as const) {
        if (value[key] !== undefined) ctx.addIssue({ code: "custom", path: [key], message: `not allowed with occurrences (got ${JSON.stringify(value[key])}, expected no ${key}: occurrences count events, not slices; use method: timeslices)` });
      }
    }
  })
  .meta({
    description:
      "How the error budget is counted: {method: occurrences}, good events among all events, or {method: timeslices, slice, sliceTarget}, good slices among all slices, a slice being good when its share of good events is at least sliceTarget. Not with an uptime indicator, which already counts check periods. Default: {method: occurrences}.",
    oneOf: [
      { properties: { method: { const: "occurrences" } }, not: { anyOf: [{ required: ["slice"] }, { required: ["sliceTarget"] }] } },
      { properties: { method: { const: "timeslices" } }, required: ["slice", "sliceTarget"] },
    ],
    required: ["method"],
  });

export const sloSchema = strict({
  name: dnsLabel.meta({ description: "SLO name, unique within the service (a DNS label). Required." }),
  objective: z
    .number({ error: "expected the objective as a percentage number like 99.9" })
    .gt(0, { error: "expected an objective strictly between 0 and 100" })
    .lt(100, { error: "expected an objective strictly between 0 and 100 (100 leaves no error budget)" })
    .meta({ description: "Percent of good events (or good slices, with timeslices budgeting), strictly between 0 and 100 (at most 99.99 where Cloud Monitoring evaluates it). Required." }),
  window: windowSchema.optional(),
  budgeting: budgetingSchema.optional(),
  indicator: indicatorSchema,
  alerting: alertSwitch.optional(),
  formerly: formerly("the SLO").optional(),
}).meta({
  allOf: [
    // A prometheus or promql indicator takes only rolling windows; an uptime indicator no budgeting (see the refinement below).
    { if: { required: ["indicator"], properties: { indicator: { required: ["prometheus"] } } }, then: { properties: { window: { not: { enum: [...CALENDAR_PERIODS] } } } } },
    { if: { required: ["indicator"], properties: { indicator: { required: ["promql"] } } }, then: { properties: { window: { not: { enum: [...CALENDAR_PERIODS] } } } } },
    { if: { required: ["indicator"], properties: { indicator: { required: ["uptime"] } } }, then: { not: { required: ["budgeting"] } } },
  ],
}).superRefine((slo, ctx) => {
  if ((slo.indicator.prometheus || slo.indicator.promql) && isCalendarWindow(slo.window)) {
    ctx.addIssue({
      code: "custom",
      path: ["window"],
      message: `not supported with a ${slo.indicator.prometheus ? "prometheus" : "promql"} indicator (got ${JSON.stringify(slo.window)}, expected a rolling window like "30d": PromQL ranges look back a fixed time and have no calendar boundaries; indicators Cloud Monitoring evaluates (availability, latency, uptime, cloudMonitoring) support calendar periods)`,
    });
  }
  if (slo.indicator.uptime && slo.budgeting !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["budgeting"],
      message: `not allowed with an uptime indicator (got ${JSON.stringify(slo.budgeting)}, expected no budgeting: an uptime SLO already counts time slices, one per check period, good when the check passed from at least one location)`,
    });
  }
});

const channelList = (description: string) =>
  z.array(dnsLabel, { error: "expected a list of channel names" }).min(1, { error: "expected at least one channel name" }).meta({ description });

const sinkDestination = strict({
  bigquery: strict({
    dataset: z
      .string({ error: "expected a BigQuery dataset id: letters, digits and '_'" })
      .regex(/^[A-Za-z0-9_]{1,1024}$/, { error: "expected a BigQuery dataset id: letters, digits and '_'" })
      .meta({ description: "Dataset id in the project. Required." }),
  })
    .meta({ description: "Export to a BigQuery dataset." })
    .optional(),
  storage: strict({
    bucket: z
      .string({ error: "expected a Cloud Storage bucket name" })
      .regex(/^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/, { error: "expected a Cloud Storage bucket name" })
      .meta({ description: "Bucket name. Required." }),
    retentionDays: positiveInt("retentionDays", 36_500)
      .min(1, { error: "expected retentionDays of at least 1" })
      .meta({ description: "Days objects are kept, 1 to 36500. Default: the log retention." })
      .optional(),
  })
    .meta({ description: "Export to a Cloud Storage bucket, created for the sink." })
    .optional(),
  pubsub: strict({
    topic: z
      .string({ error: "expected a Pub/Sub topic id" })
      .regex(/^[A-Za-z][A-Za-z0-9._~%+-]{2,254}$/, { error: "expected a Pub/Sub topic id" })
      .meta({ description: "Topic id in the project. Required." }),
  })
    .meta({ description: "Export to a Pub/Sub topic." })
    .optional(),
})
  .superRefine(exactlyOne(["bigquery", "storage", "pubsub"]))
  .meta({ ...EXACTLY_ONE_KEY, description: "Where the entries go: exactly one of bigquery, storage, pubsub. Required." });

export const logsSchema = strict({
  // (extension)
  filter: z
    .string({ error: "expected a Cloud Logging filter as a string" })
    .min(1, { error: "expected a non-empty Cloud Logging filter" })
    .meta({ description: "Logging filter of the service's own entries; required for external services. Default: from the runtime." })
    .optional(),
  retentionDays: positiveInt("retentionDays", 3650)
    .min(1, { error: "expected retentionDays of at least 1" })
    .meta({ description: "Days the service's log bucket keeps entries, 1 to 3650. Default: 30." })
    .optional(),
  // (extension)
  volumeGiBPerMonth: z
    .number({ error: "expected GiB a month as a number, e.g. 20 or 0.5" })
    .positive({ error: "expected GiB a month greater than 0" })
    .max(1_000_000, { error: "expected at most 1000000 GiB a month" })
    .meta({ description: "GiB of log entries the service writes a month; the plan prices its log storage with it. Default: unknown (the plan shows the price per GiB)." })
    .optional(),
  exclude: z
    .array(z.enum(["healthChecks"], { error: "expected a known exclusion: healthChecks" }), { error: "expected a list of exclusions" })
    .meta({ description: "Noise left out of the service's log bucket and exports: healthChecks (uptime checks, kubelet probes, load-balancer health checks). Default: none." })
    .optional(),
  sinks: z
    .array(
      strict({
        name: dnsLabel.meta({ description: "Sink name, unique within the service (a DNS label). Required." }),
        filter: z
          .string({ error: "expected a Cloud Logging filter as a string" })
          .min(1, { error: "expected a non-empty Cloud Logging filter" })
          .meta({ description: "Logging filter narrowing the service's entries. Default: all of them." })
          .optional(),
        destination: sinkDestination,
      }),
      { error: "expected a list of sinks" },
    )
    .meta({ description: "Exports of the service's entries. Default: none." })
    .optional(),
  metrics: z
    .array(
      strict({
        name: dnsLabel.meta({ description: "Metric name, unique within the service (a DNS label). Required." }),
        filter: z
          .string({ error: "expected a non-empty Cloud Logging filter" })
          .min(1, { error: "expected a non-empty Cloud Logging filter" })
          .meta({ description: "Logging filter of the entries counted, among the service's. Required." }),
        // (extension)
        logql: z
          .string({ error: 'expected a LogQL log query like {service_name="api"} |= "ERROR"' })
          .trim()
          .regex(/^\{.*\}/s, { error: 'expected a LogQL log query starting with a stream selector like {service_name="api"} |= "ERROR"' })
          .superRefine((query, ctx) => {
            const problem = unbalancedPromql(query);
            if (problem) ctx.addIssue({ code: "custom", message: `invalid LogQL, ${problem} (got ${JSON.stringify(query)}, expected balanced brackets and quotes)` });
          })
          .meta({
            description:
              'The same entries in Loki, as a LogQL log query (stream selector and filters) like {app="api"} |= "failed", for stacks whose logs also go to Loki: Grafana alerts on it with the metric\'s alert. Default: none (Cloud Logging only).',
          })
          .optional(),
        alert: strict({
          above: z.number({ error: "expected a number of matching entries" }).min(0).meta({ description: "Alert when more entries than this match. Required." }),
          per: duration("an alerting period", 60_000, 86_400_000, "5m").meta({ description: "Over this period, 1m to 1d, e.g. 5m. Required." }),
          severity: z.enum(SEVERITIES, { error: "expected page, ticket or info" }).meta({ description: "Who is told: page, ticket or info (a daily digest). Required." }),
        })
          .meta({ description: "Threshold alert on the count. Default: none." })
          .optional(),
      }),
      { error: "expected a list of log-based metrics" },
    )
    .meta({ description: "Log-based counter metrics. Default: none." })
    .optional(),
});

export const databaseSchema = strict({
  cloudSql: strict({
    instance: dnsLabel.meta({ description: "Instance name. Required." }),
    // (extension)
    region: z
      .string({ error: "expected a GCP region like europe-west1" })
      .regex(/^[a-z]+-[a-z]+[0-9]+$/, { error: "expected a GCP region like europe-west1" })
      .meta({ description: "Region of the instance; required for external services. Default: the Cloud Run region, or the GKE cluster's region." })
      .optional(),
    // (extension)
    project: z
      .string({ error: "expected a GCP project id" })
      .regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, { error: "expected a GCP project id" })
      .meta({ description: "Project of the instance. Default: the project that holds the monitoring resources." })
      .optional(),
    backups: strict({
      schedule: z.enum(["hourly", "daily", "weekly"], { error: "expected hourly, daily or weekly" }).meta({ description: "How often: hourly, daily, or weekly on Sunday. Required." }),
      start: z
        .string({ error: `expected ${BACKUP_START_EXPECTATION}` })
        .regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, { error: `expected ${BACKUP_START_EXPECTATION}` })
        .meta({ description: "Hour the backup window opens, HH:00 in UTC. Default: 02:00." })
        .optional(),
      retentionDays: positiveInt("retentionDays", 36_500).min(1, { error: "expected retentionDays of at least 1" }).meta({ description: "Days each backup is kept. Required." }),
      pointInTimeRecovery: z.boolean({ error: "expected true or false" }).meta({ description: "Keep transaction logs for point-in-time recovery. Default: true for critical services." }).optional(),
      reportCompletions: z.boolean({ error: "expected true or false" }).meta({ description: "Report each completed backup as an info alert, in the daily digest of the info channels. Default: false." }).optional(),
    })
      .meta({ description: "Backups through Backup and DR. Default: none." })
      .optional(),
  }).meta({ description: "A Cloud SQL instance. Required." }),
});

export const scalingSchema = strict({
  minInstances: positiveInt("minInstances", 1000)
    .meta({ description: "Minimum Cloud Run instances or GKE replicas, 0 to 1000. Default: 0 on Cloud Run; on GKE 2 for critical services, 1 otherwise." })
    .optional(),
  maxInstances: positiveInt("maxInstances", 1000)
    .min(1, { error: "expected maxInstances of at least 1" })
    .meta({ description: "Maximum Cloud Run instances or GKE replicas, 1 to 1000; required on GKE. Default: 100 on Cloud Run." })
    .optional(),
  concurrency: positiveInt("concurrency", 1000)
    .min(1, { error: "expected concurrency of at least 1" })
    .meta({ description: "Concurrent requests per Cloud Run instance, 1 to 1000 (Cloud Run only). Default: 80." })
    .optional(),
  cpuTarget: percent("cpuTarget").meta({ description: "CPU utilisation target in percent. Default: 70." }).optional(),
  memoryTarget: percent("memoryTarget").meta({ description: "Memory utilisation target in percent. Default: 80." }).optional(),
}).superRefine((value, ctx) => {
  if (value.minInstances !== undefined && value.maxInstances !== undefined && value.minInstances > value.maxInstances) {
    ctx.addIssue({ code: "custom", path: ["minInstances"], message: `invalid value (got ${value.minInstances}, expected at most maxInstances, ${value.maxInstances})` });
  }
});

export const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const clockTime = (what: string, pattern: RegExp) => z.string({ error: `expected ${what} "HH:MM" (24 h)` }).regex(pattern, { error: `expected ${what} "HH:MM" (24 h)` });

/** Whether the runtime knows `zone` as an IANA time zone (Intl reads the tz database Grafana and Alertmanager use). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return zone.includes("/") || zone === "UTC";
  } catch {
    return false;
  }
}

/**
 * A recurring maintenance window (extension): notifications of the service's
 * alerts are held back while it lasts. `end` is exclusive; "24:00" ends at midnight.
 */
export const maintenanceWindowSchema = strict({
  weekdays: z
    .array(z.enum(WEEKDAYS, { error: `expected a weekday: ${WEEKDAYS.join(", ")}` }), { error: "expected a list of weekdays" })
    .min(1, { error: "expected at least one weekday" })
    .refine((days) => new Set(days).size === days.length, { error: "expected each weekday once" })
    .meta({ description: "Days of the week, each once, lowercase English names (monday … sunday). Required." }),
  start: clockTime("a start time", /^([01][0-9]|2[0-3]):[0-5][0-9]$/).meta({ description: "Start time, HH:MM (24 h). Required." }),
  end: clockTime("an end time", /^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/).meta({ description: "End time, exclusive: HH:MM (24 h) after start, or 24:00 for midnight. Required." }),
  timeZone: z
    .string({ error: 'expected an IANA time zone like "Asia/Kolkata"' })
    .refine(isTimeZone, { error: 'expected an IANA time zone like "Asia/Kolkata" or "UTC"' })
    .meta({ description: "IANA time zone of start and end, e.g. Asia/Kolkata or UTC. Required." }),
}).superRefine((window, ctx) => {
  if (window.end <= window.start) {
    ctx.addIssue({ code: "custom", path: ["end"], message: `invalid value (got ${window.end}, expected later than start ${window.start}; split a window that crosses midnight in two)` });
  }
});

/** Alert names the SLO rules use; a threshold alert may not take them. */
export const RESERVED_ALERT_NAMES = ["SLOErrorBudgetBurn", "SLOMetricsAbsent"] as const;

/**
 * The first bracket or quote a PromQL expression leaves open or closes
 * without opening, or undefined when they balance. A cheap check for the
 * mistakes YAML quoting makes; `promtool check rules` parses the rest.
 */
export function unbalancedPromql(expr: string): string | undefined {
  const closing: Record<string, string> = { "(": ")", "[": "]", "{": "}" };
  const stack: string[] = [];
  for (let i = 0; i < expr.length; i++) {
    const char = expr[i]!;
    if (char === '"' || char === "'" || char === "`") {
      let j = i + 1;
      while (j < expr.length && expr[j] !== char) j += char === "`" ? 1 : expr[j] === "\\" ? 2 : 1;
      if (j >= expr.length) return `an unclosed ${char} quote`;
      i = j;
    } else if (char in closing) {
      stack.push(char);
    } else if (char === ")" || char === "]" || char === "}") {
      const open = stack.pop();
      if (open === undefined || closing[open] !== char) return `an unexpected "${char}"`;
    }
  }
  return stack.length ? `an unclosed "${stack[stack.length - 1]}"` : undefined;
}

/**
 * A threshold alert on the service's own Prometheus metrics (extension):
 * host CPU, a database exporter's `up`, a latency percentile — anything that
 * is a condition rather than an error budget. Evaluated by Prometheus.
 */
export const alertRuleSchema = strict({
  name: z
    .string({ error: "expected an alert name as a string" })
    .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, { error: "expected a Prometheus alert name like HighCPUUsage: letters, digits and '_', not starting with a digit, at most 63 characters" })
    .refine((name) => !(RESERVED_ALERT_NAMES as readonly string[]).includes(name), { error: `expected a name other than ${RESERVED_ALERT_NAMES.join(" and ")} (the SLO alerts use them)` })
    .meta({ description: `Prometheus alert name, e.g. HighCPUUsage, unique within the service (not ${RESERVED_ALERT_NAMES.join(" or ")}). Required.` }),
  expr: z
    .string({ error: "expected a PromQL expression as a string" })
    .trim()
    .min(1, { error: "expected a non-empty PromQL expression" })
    .superRefine((expr, ctx) => {
      const problem = unbalancedPromql(expr);
      if (problem) ctx.addIssue({ code: "custom", message: `invalid PromQL, ${problem} (got ${JSON.stringify(expr)}, expected balanced brackets and quotes)` });
    })
    .meta({ description: "PromQL condition: the alert fires for every series it returns. Required." }),
  for: duration("a pending period", 0, 86_400_000, "5m", { wholeSeconds: true })
    .meta({ description: "How long the condition must hold before the alert fires, 0s to 1d in whole seconds, e.g. 5m. Default: 0s (at once)." })
    .optional(),
  severity: z.enum(SEVERITIES, { error: "expected page, ticket or info" }).meta({ description: "Who is told: page, ticket or info (a daily digest). Required." }),
  summary: z
    .string({ error: "expected a one-line summary as a string" })
    .min(1, { error: "expected a non-empty summary" })
    .meta({ description: 'One line shown in notifications. Default: "<service>: <name>".' })
    .optional(),
});

export const serviceSchema = strict({
  apiVersion: z.literal(API_VERSION, { error: `expected apiVersion: ${API_VERSION}` }).meta({ description: `The contract version, ${API_VERSION}; defineService writes it. Required.` }),
  name: dnsLabel.meta({ description: "The service's name: a DNS label, unique in the catalog. Required." }),
  team: dnsLabel.meta({ description: "The owning team: a DNS label. Required." }),
  tier: z
    .enum(TIERS, { error: `expected one of: ${TIERS.join(", ")}` })
    .meta({ description: "critical, standard or low: drives the defaults (check period, who is paged). Default: standard." })
    .optional(),
  runbook: z.url({ protocol: /^https?$/, error: "expected an absolute http(s) URL" }).meta({ description: "Runbook URL (http or https) linked from every alert. Default: none." }).optional(),
  labels: userLabels.meta({ description: "User labels copied to every resource; the keys the library sets itself (service, team, tier, …) are refused. Default: none." }).optional(),
  runtime: runtimeSchema,
  endpoints: z.array(endpointSchema, { error: "expected a list of endpoints" }).meta({ description: "Uptime checks; names unique within the service. Default: none." }).optional(),
  slos: z.array(sloSchema, { error: "expected a list of SLOs" }).meta({ description: "Service level objectives; names unique within the service. Default: none." }).optional(),
  alerting: strict({
    page: channelList("Channels paged. Default: the stack's page route (none with MonitoredService).").optional(),
    ticket: channelList("Channels that get tickets. Default: the stack's ticket route (none with MonitoredService).").optional(),
    info: channelList("Channels that get the daily digest of info alerts. Default: the stack's info route (none with MonitoredService).").optional(),
  })
    .meta({
      description:
        "Channel names for page, ticket and info alerts: channels the stack config defines or, with MonitoredService, keys of its channelIds. Default: the stack's routes; MonitoredService has none, so an SLO that pages or files tickets needs its channels here.",
    })
    .optional(),
  logs: logsSchema.meta({ description: "Log bucket retention, exclusions, sinks and log-based metrics. Default: none (no log bucket)." }).optional(),
  database: databaseSchema.meta({ description: "The Cloud SQL instance and its backups through Backup and DR. Default: none." }).optional(),
  scaling: scalingSchema.meta({ description: "Instance bounds and saturation targets. Default: none." }).optional(),
  dashboard: strict({ folder: dnsLabel.meta({ description: "Grafana folder of the dashboard (a DNS label). Default: the team." }).optional() })
    .meta({ description: "The service's Grafana dashboard. Default: in the team's folder." })
    .optional(),
  maintenance: z
    .array(maintenanceWindowSchema, { error: "expected a list of maintenance windows" })
    .meta({ description: "Recurring maintenance windows: notifications of the service's Grafana-managed alerts are muted while one lasts. Default: none." })
    .optional(),
  alerts: z
    .array(alertRuleSchema, { error: "expected a list of alert rules" })
    .meta({ description: "Threshold alert rules (PromQL) evaluated by Prometheus next to the SLO rules. Default: none." })
    .optional(),
  formerly: formerly("the service").optional(),
});

/** A declaration after the shape check: exactly what the user wrote, nothing defaulted yet. */
export type ServiceSpec = z.output<typeof serviceSchema>;
export type EndpointSpec = z.output<typeof endpointSchema>;
export type SloSpec = z.output<typeof sloSchema>;
export type BudgetingSpec = z.output<typeof budgetingSchema>;
export type IndicatorSpec = z.output<typeof indicatorSchema>;
export type RuntimeSpec = z.output<typeof runtimeSchema>;
export type AlertRuleSpec = z.output<typeof alertRuleSchema>;
export type MaintenanceWindowSpec = z.output<typeof maintenanceWindowSchema>;
