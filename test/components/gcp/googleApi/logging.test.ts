/**
 * Cloud Logging buckets, sinks, exclusions and log-based metrics, in every
 * plan the repository makes, against google/logging/v2/logging_config.proto
 * and logging_metrics.proto (googleapis), mmv1/products/logging/Metric.yaml
 * and third_party/terraform/services/logging/resource_logging_*sink.go
 * (magic-modules) and cloud.google.com/logging/quotas.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { PLAN_TIMEOUT_MS, TYPE, contractPlans, resourcesOfType, where, type Planned } from "./plans";

let buckets: Planned[];
let sinks: Planned[];
let metrics: Planned[];
const inputs = (p: Planned) => p.resource.inputs as Record<string, any>;
const breaches = (of: Planned[], check: (p: Planned) => string[]) => of.flatMap((p) => check(p).map((problem) => `${where(p)}: ${problem}`));

beforeAll(async () => {
  buckets = await resourcesOfType(TYPE.logBucket);
  sinks = await resourcesOfType(TYPE.logSink);
  metrics = await resourcesOfType(TYPE.logMetric);
}, PLAN_TIMEOUT_MS);

/** A filter sent as the server keeps it: no surrounding spaces (the provider suppresses only those: OptionalSurroundingSpacesSuppress). */
const trimmed = (filter: unknown) => typeof filter === "string" && filter.length > 0 && filter === filter.trim();

describe("log buckets", () => {
  it("covers buckets, sinks and metrics (the walk works)", () => {
    expect([buckets.length, sinks.length, metrics.length].every((n) => n > 50)).toBe(true);
  });

  it("ids: at most 100 letters, digits, '_', '-', '.'", () => {
    // logging_config.proto CreateBucketRequest.bucket_id: "Bucket identifiers must … be limited to 100 characters and can include only letters, digits, underscores, hyphens, and periods."
    expect(breaches(buckets, (p) => (/^[A-Za-z0-9_.-]{1,100}$/.test(inputs(p)["bucketId"]) ? [] : [`bucketId ${inputs(p)["bucketId"]}`]))).toEqual([]);
  });

  it("retention sent explicitly, 1 to 3650 days", () => {
    // logging_config.proto LogBucket.retention_days: "The minimum retention period is 1 day. If this value is set to zero at bucket creation time, the default time of 30 days will be used."
    // The 3650-day maximum: cloud.google.com/logging/docs/routing/overview#logs-retention (not in the proto).
    expect(breaches(buckets, (p) => (Number.isInteger(inputs(p)["retentionDays"]) && inputs(p)["retentionDays"] >= 1 && inputs(p)["retentionDays"] <= 3650 ? [] : [`retentionDays ${inputs(p)["retentionDays"]}`]))).toEqual([]);
  });

  it("at most 100 buckets per project in one plan (Cloud Logging quota)", async () => {
    // cloud.google.com/logging/quotas: "Number of log buckets: 100 per Google Cloud project (includes buckets pending deletion)".
    const perProject = new Map<string, number>();
    for (const p of buckets) perProject.set(`${p.source} ${inputs(p)["project"]}`, (perProject.get(`${p.source} ${inputs(p)["project"]}`) ?? 0) + 1);
    expect([...perProject].filter(([, n]) => n > 100)).toEqual([]);
  });
});

describe("log sinks and exclusions", () => {
  it("names: at most 100 characters, letters, digits, '_', '-', '.', first alphanumeric; unique per project", () => {
    // logging_config.proto LogSink.name: "Sink identifiers are limited to 100 characters and can include only the following characters: upper and lower-case alphanumeric characters, underscores, hyphens, and periods. First character has to be alphanumeric."
    expect(breaches(sinks, (p) => (/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/.test(inputs(p)["name"]) ? [] : [`name ${inputs(p)["name"]}`]))).toEqual([]);
    const names = sinks.map((p) => `${p.source} ${inputs(p)["project"]}/${inputs(p)["name"]}`);
    expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
  });

  it("at most 200 sinks per project in one plan (Cloud Logging quota)", () => {
    // cloud.google.com/logging/quotas: "Number of sinks: 200 per Google Cloud project".
    const perProject = new Map<string, number>();
    for (const p of sinks) perProject.set(`${p.source} ${inputs(p)["project"]}`, (perProject.get(`${p.source} ${inputs(p)["project"]}`) ?? 0) + 1);
    expect([...perProject].filter(([, n]) => n > 200)).toEqual([]);
  });

  it("filters trimmed, within 20,000 characters; destinations in the documented forms", () => {
    // logging_config.proto LogSink.destination: "storage.googleapis.com/[GCS_BUCKET]", "bigquery.googleapis.com/projects/[PROJECT_ID]/datasets/[DATASET]",
    // "pubsub.googleapis.com/projects/[PROJECT_ID]/topics/[TOPIC_ID]", "logging.googleapis.com/projects/[PROJECT_ID]/locations/[LOCATION_ID]/buckets/[BUCKET_ID]".
    // Filter length: cloud.google.com/logging/quotas "Length of a sink filter: 20,000 characters".
    const DESTINATION = /^(storage\.googleapis\.com\/[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]|bigquery\.googleapis\.com\/projects\/[^/]+\/datasets\/[A-Za-z0-9_]+|pubsub\.googleapis\.com\/projects\/[^/]+\/topics\/[^/]+|logging\.googleapis\.com\/projects\/[^/]+\/locations\/[^/]+\/buckets\/[A-Za-z0-9_.-]+)$/;
    expect(
      breaches(sinks, (p) => [
        ...(trimmed(inputs(p)["filter"]) && inputs(p)["filter"].length <= 20_000 ? [] : [`filter ${JSON.stringify(inputs(p)["filter"])}`]),
        ...(DESTINATION.test(inputs(p)["destination"]) ? [] : [`destination ${inputs(p)["destination"]}`]),
      ]),
    ).toEqual([]);
  });

  it("a unique writer identity, sent explicitly; BigQuery options only with it", () => {
    // resource_logging_project_sink.go unique_writer_identity: default true; UpdateSink: "It is an error if the old value is true and the new value is set to false".
    // The provider's CustomizeDiff refuses bigquery_options without unique_writer_identity.
    expect(breaches(sinks, (p) => (inputs(p)["uniqueWriterIdentity"] === true ? [] : [`uniqueWriterIdentity ${inputs(p)["uniqueWriterIdentity"]}`]))).toEqual([]);
  });

  it("exclusions: at most 50 per sink, names of at most 100 characters starting alphanumeric, trimmed filters", () => {
    // logging_config.proto LogExclusion.name: "Exclusion names are limited to 100 characters and can include only letters, digits, underscores, hyphens, and periods. First character has to be alphanumeric."
    // cloud.google.com/logging/quotas: "Number of exclusion filters: 50 per sink".
    expect(
      breaches(sinks, (p) => {
        const exclusions = (inputs(p)["exclusions"] ?? []) as Array<{ name?: string; filter?: string }>;
        return [
          ...(exclusions.length > 50 ? [`${exclusions.length} exclusions`] : []),
          ...exclusions.flatMap((e) => [...(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/.test(e.name ?? "") ? [] : [`exclusion ${e.name}`]), ...(trimmed(e.filter) ? [] : [`exclusion filter ${JSON.stringify(e.filter)}`])]),
        ];
      }),
    ).toEqual([]);
  });
});

describe("log-based metrics", () => {
  it("names: at most 100 characters of A-Z a-z 0-9 _-.,+!*'()%/, not starting with '/'", () => {
    // logging_metrics.proto LogMetric.name: "Metric identifiers are limited to 100 characters and can include only the following characters: A-Z, a-z, 0-9, and the special characters _-.,+!*',()%/. The forward-slash character (/) denotes a hierarchy of name pieces, and it cannot be the first character of the name."
    expect(breaches(metrics, (p) => (/^[A-Za-z0-9_.,+!*'()%-][A-Za-z0-9_.,+!*'()%/-]{0,99}$/.test(inputs(p)["name"]) ? [] : [`name ${inputs(p)["name"]}`]))).toEqual([]);
  });

  it("counters: DELTA INT64, unit 1, trimmed filter within 20,000 characters, description within 8,000", () => {
    // logging_metrics.proto LogMetric.metric_descriptor: default "DELTA metric kind, INT64 value type"; metric_kind and value_type "cannot be updated once initially configured" (Metric.yaml: immutable).
    // LogMetric.filter: "https://cloud.google.com/logging/docs/view/advanced_filters … " with the 20,000-character filter limit (cloud.google.com/logging/quotas); LogMetric.description: "maximum length of the description is 8000 characters".
    expect(
      breaches(metrics, (p) => {
        const d = inputs(p)["metricDescriptor"] ?? {};
        return [
          ...(d["metricKind"] === "DELTA" && d["valueType"] === "INT64" && d["unit"] === "1" ? [] : [`descriptor ${JSON.stringify(d)}`]),
          ...(trimmed(inputs(p)["filter"]) && inputs(p)["filter"].length <= 20_000 ? [] : ["filter"]),
          ...(String(inputs(p)["description"] ?? "").length <= 8000 ? [] : ["description"]),
        ];
      }),
    ).toEqual([]);
  });

  it("every log-based metric an alert names is planned beside it", async () => {
    // An alert on logging.googleapis.com/user/<name> needs the LogMetric <name> in the same project (logging_metrics.proto: metric type "logging.googleapis.com/user/<name>").
    const missing = (await contractPlans()).flatMap((plan) => {
      const names = new Set(plan.resources.filter((r) => r.type === TYPE.logMetric).map((r) => String(r.inputs["name"])));
      return plan.resources
        .filter((r) => r.type === TYPE.alertPolicy)
        .flatMap((r) => [...JSON.stringify(r.inputs).matchAll(/logging\.googleapis\.com\/user\/([^"\\]+)/g)].map((m) => m[1]!))
        .filter((name) => !names.has(name))
        .map((name) => `${plan.source}: ${name}`);
    });
    expect(missing).toEqual([]);
  });
});
