/**
 * Google Cloud Observability list prices (USD) that apply to what stacks
 * create, each with its source, the date Google says it took effect and the
 * date it was read, and the free allotments as Google scopes them (per
 * project, or per billing account). Negotiated rates replace these values
 * through `--prices FILE` (see parsePriceOverrides).
 */

/** When the values below were read from their sources. */
export const PRICES_READ = "2026-12-01";

const PRICING = "https://cloud.google.com/stackdriver/pricing";

export interface PriceSource {
  /** What is billed, and per what. */
  what: string;
  source: string;
  /** The date Google's page gives as the price's effective date. */
  effective: string;
  read: string;
  note?: string;
}

/** Every price and allotment the estimate uses, by the name `--prices` files use. */
export interface PriceValues {
  /** USD per 1,000 uptime-check executions (one per checker location per period). */
  uptimeCheckPer1000Executions: number;
  /** Executions free each month, per project. */
  uptimeCheckFreeExecutionsPerProject: number;
  /** USD per GiB streamed into a log bucket (includes 30 days of storage). */
  logIngestionPerGiB: number;
  /** GiB of log ingestion free each month, per project. */
  logFreeGiBPerProject: number;
  /** USD per GiB-month of logs kept beyond the included retention. */
  logRetentionPerGiBMonth: number;
  /** Days of storage included in the ingestion price. */
  logIncludedRetentionDays: number;
  /** USD per MiB of chargeable metric data (user-defined log-based metrics), first tier. */
  metricPerMiB: number;
  /** MiB of chargeable metrics free each month, per billing account. */
  metricFreeMiBPerBillingAccount: number;
  /** USD per month per metric reference in an alert policy (not charged before the scheduled date). */
  alertingPerMetricReference: number;
  /** USD per million Managed Service for Prometheus samples, first tier. */
  prometheusPerMillionSamples: number;
  /** USD per GiB-month of Backup and DR vault storage (us-central1, europe-west1). */
  backupStoragePerGiBMonth: number;
}

export interface PriceList {
  values: PriceValues;
  /** Days in the month the estimate assumes; Google's own pricing examples use 30. */
  monthDays: number;
  /** Names of values a `--prices` file replaced. */
  overridden: (keyof PriceValues)[];
}

export const PRICE_SOURCES: Record<keyof PriceValues, PriceSource> = {
  uptimeCheckPer1000Executions: {
    what: "uptime-check executions, per 1,000",
    source: PRICING,
    effective: "2022-10-01",
    read: PRICES_READ,
    note: "the row was read from copies quoting the page; an execution is one check from one checker location (USA holds three)",
  },
  uptimeCheckFreeExecutionsPerProject: { what: "free uptime-check executions a month, per project", source: PRICING, effective: "2022-10-01", read: PRICES_READ },
  logIngestionPerGiB: { what: "log storage, per GiB streamed into a log bucket (30 days of storage included)", source: PRICING, effective: "2018-07-01", read: PRICES_READ },
  logFreeGiBPerProject: { what: "free log ingestion a month, per project", source: PRICING, effective: "2018-07-01", read: PRICES_READ },
  logRetentionPerGiBMonth: { what: "log retention beyond 30 days, per GiB-month", source: PRICING, effective: "2022-01-01", read: PRICES_READ },
  logIncludedRetentionDays: { what: "days of storage the ingestion price includes", source: PRICING, effective: "2018-07-01", read: PRICES_READ },
  metricPerMiB: {
    what: "chargeable metrics (user-defined log-based metrics), per MiB ingested, 150–100,000 MiB tier",
    source: PRICING,
    effective: "2018-07-01",
    read: PRICES_READ,
    note: "cheaper tiers from 100,000 MiB a month are not applied",
  },
  metricFreeMiBPerBillingAccount: { what: "free chargeable metrics a month, per billing account", source: PRICING, effective: "2018-07-01", read: PRICES_READ },
  alertingPerMetricReference: {
    what: "alerting, per metric reference in an alert policy, a month",
    source: PRICING,
    effective: "2027-09-01",
    read: PRICES_READ,
    note: "not charged today: Google announced $0.35 a month per metric reference (plus $0.50 per million points returned) starting no sooner than 2027-09-01; policies on uptime metrics are never charged. Set it with --prices to see that bill",
  },
  prometheusPerMillionSamples: {
    what: "Managed Service for Prometheus, per million samples ingested, first tier",
    source: PRICING,
    effective: "unknown",
    read: PRICES_READ,
    note: "only the first tier was confirmed; samples are counted per billing account",
  },
  backupStoragePerGiBMonth: {
    what: "Backup and DR vault storage, per GiB-month (us-central1, europe-west1, europe-west4, asia-east1)",
    source: "https://cloud.google.com/backup-disaster-recovery/pricing",
    effective: "2024-12-02",
    read: PRICES_READ,
    note: "other regions cost up to $0.079; the management fee for Cloud SQL was not captured",
  },
};

export const DEFAULT_PRICE_VALUES: PriceValues = {
  uptimeCheckPer1000Executions: 0.3,
  uptimeCheckFreeExecutionsPerProject: 1_000_000,
  logIngestionPerGiB: 0.5,
  logFreeGiBPerProject: 50,
  logRetentionPerGiBMonth: 0.01,
  logIncludedRetentionDays: 30,
  metricPerMiB: 0.258,
  metricFreeMiBPerBillingAccount: 150,
  alertingPerMetricReference: 0,
  prometheusPerMillionSamples: 0.06,
  backupStoragePerGiBMonth: 0.045,
};

/** The alerting price Google announced, for the line that shows what it would add. */
export const SCHEDULED_ALERTING = { perMetricReference: 0.35, notBefore: "2027-09-01" } as const;

export const DEFAULT_PRICES: PriceList = { values: DEFAULT_PRICE_VALUES, monthDays: 30, overridden: [] };

export interface PriceProblem {
  path: string;
  message: string;
}

/**
 * A `--prices` file: a JSON object of price names (PriceValues) to
 * non-negative numbers. Returns the list with those values replaced, or
 * every problem at once.
 */
export function parsePriceOverrides(value: unknown): { prices?: PriceList; problems: PriceProblem[] } {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { problems: [{ path: "(document)", message: `invalid value (got ${describe(value)}, expected an object of price names to numbers, e.g. {"logIngestionPerGiB": 0.45})` }] };
  }
  const known = Object.keys(DEFAULT_PRICE_VALUES) as (keyof PriceValues)[];
  const problems: PriceProblem[] = [];
  const values: PriceValues = { ...DEFAULT_PRICE_VALUES };
  const overridden: (keyof PriceValues)[] = [];
  for (const [key, raw] of Object.entries(value as Record<string, unknown>)) {
    if (!(known as string[]).includes(key)) {
      problems.push({ path: key, message: `unknown price (got ${JSON.stringify(key)}, expected one of: ${known.join(", ")})` });
    } else if (typeof raw !== "number" || !Number.isFinite(raw) || raw < 0) {
      problems.push({ path: key, message: `invalid value (got ${describe(raw)}, expected a number of at least 0)` });
    } else if (key === "logIncludedRetentionDays" && !Number.isInteger(raw)) {
      problems.push({ path: key, message: `invalid value (got ${raw}, expected a whole number of days)` });
    } else {
      values[key as keyof PriceValues] = raw;
      overridden.push(key as keyof PriceValues);
    }
  }
  if (problems.length > 0) return { problems };
  return { prices: { values, monthDays: DEFAULT_PRICES.monthDays, overridden: overridden.sort() }, problems };
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return JSON.stringify(value);
  return typeof value === "object" ? "an object" : String(value);
}
