/**
 * Cloud Monitoring alert policies, in every plan the repository makes,
 * against the API's own definition: google/monitoring/v3/alert.proto and
 * common.proto (googleapis), mmv1/products/monitoring/AlertPolicy.yaml
 * (magic-modules, the provider's source) and the SLO alerting docs.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { PLAN_TIMEOUT_MS, TYPE, resourcesOfType, where, type Planned } from "./plans";
import { UNKNOWN, durationSeconds, userLabelProblems } from "./rules";

type Condition = Record<string, any>;
let policies: Planned[];
const inputs = (p: Planned) => p.resource.inputs as Record<string, any>;
const conditions = (p: Planned) => (inputs(p)["conditions"] ?? []) as Condition[];
const allConditions = () => policies.flatMap((p) => conditions(p).map((condition, index) => ({ at: `${where(p)} conditions[${index}]`, condition, policy: p })));
/** One line per breach, so a failure names every policy at once. */
const breaches = (check: (p: Planned) => string[]) => policies.flatMap((p) => check(p).map((problem) => `${where(p)}: ${problem}`));

beforeAll(async () => {
  policies = await resourcesOfType(TYPE.alertPolicy);
}, PLAN_TIMEOUT_MS);

/** `select_slo_burn_rate("projects/P/services/S/serviceLevelObjectives/O", "<n>s")`. */
const BURN_RATE = /^select_slo_burn_rate\("projects\/[a-z][a-z0-9-]{4,28}[a-z0-9]\/services\/[a-z0-9-]+\/serviceLevelObjectives\/[a-zA-Z0-9_:.-]+", "([1-9][0-9]*)s"\)$/;

describe("alert policies: the policy", () => {
  it("covers policies of every kind (the walk works)", () => {
    expect(policies.length).toBeGreaterThan(500);
    const kinds = new Set(allConditions().map(({ condition }) => Object.keys(condition).find((k) => k.startsWith("condition"))));
    expect(kinds).toEqual(new Set(["conditionThreshold", "conditionMatchedLog", "conditionPrometheusQueryLanguage"]));
  });

  it("has a display name of at most 512 characters, a combiner and a known severity", () => {
    // alert.proto AlertPolicy.display_name: "The name is limited to 512 Unicode characters." Required in AlertPolicy.yaml (displayName, combiner: required: true).
    // alert.proto ConditionCombinerType: AND, OR, AND_WITH_MATCHING_RESOURCE; Severity: CRITICAL, ERROR, WARNING.
    expect(
      breaches((p) => {
        const { displayName, combiner, severity } = inputs(p);
        return [
          ...(typeof displayName !== "string" || displayName.length === 0 || [...displayName].length > 512 ? [`displayName ${JSON.stringify(displayName)}`] : []),
          ...(["AND", "OR", "AND_WITH_MATCHING_RESOURCE"].includes(combiner) ? [] : [`combiner ${combiner}`]),
          ...(["CRITICAL", "ERROR", "WARNING"].includes(severity) ? [] : [`severity ${severity}`]),
        ];
      }),
    ).toEqual([]);
  });

  it("has one to six conditions; a log-match or MQL condition is the only one", () => {
    // alert.proto AlertPolicy.conditions: "A policy can have from one to six conditions. If condition_time_series_query_language is present, it must be the only condition."
    // alert.proto Condition.condition_matched_log: "If set, no other conditions can be present."
    expect(
      breaches((p) => {
        const list = conditions(p);
        const alone = list.filter((c) => c["conditionMatchedLog"] || c["conditionMonitoringQueryLanguage"]);
        return [...(list.length < 1 || list.length > 6 ? [`${list.length} conditions`] : []), ...(alone.length > 0 && list.length > 1 ? ["log-match or MQL condition beside others"] : [])];
      }),
    ).toEqual([]);
  });

  it("sets a notification rate limit exactly when it has a log-match condition", () => {
    // alert.proto AlertStrategy.notification_rate_limit: "Required for log-based alerting policies, i.e. policies with a LogMatch condition. This limit is not implemented for alerting policies that do not have a LogMatch condition."
    expect(
      breaches((p) => {
        const logMatch = conditions(p).some((c) => c["conditionMatchedLog"]);
        const period = durationSeconds(inputs(p)["alertStrategy"]?.["notificationRateLimit"]?.["period"]);
        if (logMatch && period === undefined) return ["log-match policy without notificationRateLimit.period"];
        if (!logMatch && inputs(p)["alertStrategy"]?.["notificationRateLimit"] !== undefined) return ["notificationRateLimit on a policy without a log-match condition"];
        return [];
      }),
    ).toEqual([]);
  });

  it("documents itself in markdown within the size limits, with at most 3 links", () => {
    // alert.proto Documentation.content: "may not exceed 8,192 Unicode characters and may not exceed more than 10,240 bytes when encoded in UTF-8 format, whichever is smaller".
    // Documentation.mime_type: "Presently, only the value \"text/markdown\" is supported." Documentation.subject: "may not exceed 10,240 bytes".
    // Documentation.links: "This field can contain up to 3 entries"; Link.display_name "must not be empty or exceed 63 characters"; Link.url "should not exceed 2083 characters".
    expect(
      breaches((p) => {
        const doc = inputs(p)["documentation"] as Record<string, any> | undefined;
        if (!doc) return ["no documentation"];
        const content = String(doc["content"] ?? "");
        const links = (doc["links"] ?? []) as Array<{ displayName?: string; url?: string }>;
        return [
          ...(doc["mimeType"] === "text/markdown" ? [] : [`mimeType ${doc["mimeType"]}`]),
          ...([...content].length > 8192 || Buffer.byteLength(content) > 10240 ? [`content ${[...content].length} characters, ${Buffer.byteLength(content)} bytes`] : []),
          ...(Buffer.byteLength(String(doc["subject"] ?? "")) > 10240 ? ["subject over 10,240 bytes"] : []),
          ...(links.length > 3 ? [`${links.length} links`] : []),
          ...links.flatMap((link) => [
            ...(!link.displayName || link.displayName.length > 63 ? [`link name ${JSON.stringify(link.displayName)}`] : []),
            ...(!link.url || link.url.length > 2083 ? [`link url ${JSON.stringify(link.url)}`] : []),
          ]),
        ];
      }),
    ).toEqual([]);
  });

  it("labels follow the user-label rule", () => {
    // alert.proto AlertPolicy.user_labels (see rules.ts).
    expect(breaches((p) => userLabelProblems(inputs(p)["userLabels"]))).toEqual([]);
  });

  it("names notification channels by their full resource name", () => {
    // alert.proto AlertPolicy.notification_channels: "projects/[PROJECT_ID_OR_NUMBER]/notificationChannels/[CHANNEL_ID]".
    expect(
      breaches((p) => ((inputs(p)["notificationChannels"] ?? []) as string[]).filter((name) => !/^projects\/[^/]+\/notificationChannels\/[^/]+$/.test(name)).map((name) => `channel ${name}`)),
    ).toEqual([]);
  });
});

describe("alert policies: conditions", () => {
  it("every condition has a display name and exactly one condition kind", () => {
    // AlertPolicy.yaml conditions.displayName: required: true; alert.proto Condition.condition is a oneof.
    const bad = allConditions().flatMap(({ at, condition }) => {
      const kinds = Object.keys(condition).filter((k) => k.startsWith("condition"));
      return [...(typeof condition["displayName"] === "string" && condition["displayName"].length > 0 ? [] : [`${at}: no displayName`]), ...(kinds.length === 1 ? [] : [`${at}: kinds ${kinds.join(", ")}`])];
    });
    expect(bad).toEqual([]);
  });

  it("threshold conditions: comparison GT or LT, duration whole minutes, filter within 2048 characters", () => {
    // alert.proto MetricThreshold.comparison: "Only COMPARISON_LT and COMPARISON_GT are supported currently."
    // MetricThreshold.duration: "only values that are a multiple of a minute--e.g., 0, 60, 120, or 300 seconds--are supported".
    // MetricThreshold.filter: "This field must not exceed 2048 Unicode characters in length."
    // MetricThreshold.evaluation_missing_data: "the value of the duration field must be greater than or equal to 60 seconds".
    const bad = allConditions().flatMap(({ at, condition }) => {
      const threshold = condition["conditionThreshold"];
      if (!threshold) return [];
      const duration = durationSeconds(threshold["duration"]);
      return [
        ...(["COMPARISON_GT", "COMPARISON_LT"].includes(threshold["comparison"]) ? [] : [`${at}: comparison ${threshold["comparison"]}`]),
        ...(duration === undefined || duration % 60 !== 0 ? [`${at}: duration ${threshold["duration"]}`] : []),
        ...(typeof threshold["filter"] !== "string" || [...threshold["filter"]].length > 2048 ? [`${at}: filter length`] : []),
        ...(threshold["evaluationMissingData"] !== undefined && (duration ?? 0) < 60 ? [`${at}: evaluationMissingData with duration ${threshold["duration"]}`] : []),
        ...(typeof threshold["thresholdValue"] === "number" ? [] : [`${at}: thresholdValue ${threshold["thresholdValue"]}`]),
      ];
    });
    expect(bad).toEqual([]);
  });

  it("threshold filters name a metric type and a resource type, or are an SLO burn-rate selector", () => {
    // alert.proto MetricThreshold.filter: "The filter must specify the metric type and the resource type."
    // The API answers 400 `must specify a restriction on "resource.type" in the filter` (hashicorp/terraform-provider-google #4165, #7179).
    const bad = allConditions().flatMap(({ at, condition }) => {
      const filter = condition["conditionThreshold"]?.["filter"] as string | undefined;
      if (filter === undefined || filter.startsWith("select_slo_")) return [];
      return /(^| AND )metric\.type="[^"]+"/.test(filter) && /(^| AND )resource\.type="[^"]+"/.test(filter) ? [] : [`${at}: ${filter}`];
    });
    expect(bad).toEqual([]);
  });

  it("no threshold condition on a log-based metric: it would be refused while the metric is new", () => {
    // terraform-provider-google #11102: "Cannot find metric(s) that match type = \"logging.googleapis.com/user/…\". If a metric was created recently, it could take up to 10 minutes to become available."
    const bad = allConditions()
      .filter(({ condition }) => String(condition["conditionThreshold"]?.["filter"] ?? condition["conditionAbsent"]?.["filter"] ?? "").includes("logging.googleapis.com/user/"))
      .map(({ at }) => at);
    expect(bad).toEqual([]);
  });

  it("aggregations: alignment period 60 s to 25 h; a reducer needs an aligner and a period", () => {
    // common.proto Aggregation.alignment_period: "The value must be at least 60 seconds … The maximum value of the alignment_period is … 90,000 seconds (25 hours) for alerting policies."
    // Aggregation.cross_series_reducer: "per_series_aligner must be specified and not equal to ALIGN_NONE and alignment_period must be specified".
    const bad = allConditions().flatMap(({ at, condition }) =>
      ((condition["conditionThreshold"]?.["aggregations"] ?? []) as Array<Record<string, any>>).flatMap((aggregation) => {
        const period = durationSeconds(aggregation["alignmentPeriod"]);
        const reducer = aggregation["crossSeriesReducer"];
        return [
          ...(period === undefined || period < 60 || period > 90_000 ? [`${at}: alignmentPeriod ${aggregation["alignmentPeriod"]}`] : []),
          ...(reducer && reducer !== "REDUCE_NONE" && (!aggregation["perSeriesAligner"] || aggregation["perSeriesAligner"] === "ALIGN_NONE") ? [`${at}: reducer without aligner`] : []),
        ];
      }),
    );
    expect(bad).toEqual([]);
  });

  it("SLO burn-rate conditions: selector syntax, whole seconds, lookback at most 24 h, no aggregations", () => {
    // cloud.google.com/stackdriver/docs/solutions/slo-monitoring/api/timeseries-selectors: select_slo_burn_rate("projects/…/services/…/serviceLevelObjectives/…", "3600s").
    // …/alerting-on-budget-burn-rate#alert-lookbacks: "It is not currently possible to base alerts on the error budget consumption rate of an SLO using a compliance period of greater than 24 hours."
    // …/api/create-policy-api: for an SLO condition "the only field used … is the filter field" (no aggregations).
    const burn = allConditions().filter(({ condition }) => String(condition["conditionThreshold"]?.["filter"] ?? "").startsWith("select_slo_"));
    expect(burn.length).toBeGreaterThan(100);
    const bad = burn.flatMap(({ at, condition }) => {
      const threshold = condition["conditionThreshold"];
      const match = BURN_RATE.exec(threshold["filter"]);
      if (!match) return [`${at}: ${threshold["filter"]}`];
      return [...(Number(match[1]) > 86_400 ? [`${at}: lookback ${match[1]}s`] : []), ...(threshold["aggregations"] ? [`${at}: aggregations on an SLO selector`] : [])];
    });
    expect(bad).toEqual([]);
  });

  it("burn-rate policies AND two lookbacks of one SLO, the long one longer than the short", () => {
    // SRE Workbook, "Alerting on SLOs", multiwindow multi-burn-rate alerts: the long window says the budget is burning, the short
    // one that it still is; two conditions over the same lookback would be one window twice, and a blip as short as it would alert.
    const bad = policies.flatMap((p) => {
      const conditions = (inputs(p)["conditions"] ?? []) as Array<{ conditionThreshold?: { filter?: string } }>;
      const lookbacks = conditions.map((c) => BURN_RATE.exec(c.conditionThreshold?.filter ?? "")?.[1]).filter((l): l is string => l !== undefined);
      if (lookbacks.length === 0) return [];
      return lookbacks.length === 2 && inputs(p)["combiner"] === "AND" && new Set(lookbacks).size === 2 ? [] : [`${where(p)}: lookbacks ${lookbacks.join(", ")} combined ${inputs(p)["combiner"]}`];
    });
    expect(bad).toEqual([]);
  });

  it("absence conditions last at least 120 s, in whole minutes", () => {
    // alert.proto MetricAbsence.duration: "The minimum value of this field is 120 seconds. Larger values that are a multiple of a minute--for example, 240 or 300 seconds--are supported."
    const bad = allConditions().flatMap(({ at, condition }) => {
      const absent = condition["conditionAbsent"];
      if (!absent) return [];
      const duration = durationSeconds(absent["duration"]);
      return duration === undefined || duration < 120 || duration % 60 !== 0 ? [`${at}: duration ${absent["duration"]}`] : [];
    });
    expect(bad).toEqual([]);
  });

  it("PromQL conditions: a query, a non-negative duration, an evaluation interval in positive multiples of 30 s", () => {
    // alert.proto PrometheusQueryLanguageCondition.query: "Required … This field must not be empty."
    // .duration: "Must be a non-negative duration or missing." .evaluation_interval: "Must be a positive multiple of 30 seconds or missing."
    const bad = allConditions().flatMap(({ at, condition }) => {
      const promql = condition["conditionPrometheusQueryLanguage"];
      if (!promql) return [];
      const interval = promql["evaluationInterval"] === undefined ? 30 : durationSeconds(promql["evaluationInterval"]);
      return [
        ...(typeof promql["query"] === "string" && promql["query"].trim().length > 0 ? [] : [`${at}: empty query`]),
        ...(promql["duration"] === undefined || durationSeconds(promql["duration"]) !== undefined ? [] : [`${at}: duration ${promql["duration"]}`]),
        ...(interval === undefined || interval <= 0 || interval % 30 !== 0 ? [`${at}: evaluationInterval ${promql["evaluationInterval"]}`] : []),
      ];
    });
    expect(bad).toEqual([]);
  });

  it("PromQL conditions on log-based metrics switch metric validation off and name the monitored resource", () => {
    // alert.proto PrometheusQueryLanguageCondition.disable_metric_validation: "This allows alerting policies to be defined on metrics that do not yet exist, improving advanced customer workflows such as configuring alerting policies using Terraform."
    // cloud.google.com/monitoring/promql/promql-mapping: metrics "generated by log-based metrics, map to more than one resource type" — add monitored_resource.
    // A query known only after apply ([unknown]) must be a backup-late query, whose form backups.test checks through backupLateQuery.
    const promql = allConditions().filter(({ condition }) => condition["conditionPrometheusQueryLanguage"]);
    const bad = promql.flatMap(({ at, condition, policy }) => {
      const { query, disableMetricValidation } = condition["conditionPrometheusQueryLanguage"];
      if (query === UNKNOWN) return disableMetricValidation === true && policy.resource.name.endsWith("-late") ? [] : [`${at}: unknown query`];
      if (!String(query).includes("logging.googleapis.com/user/")) return [];
      return [
        ...(disableMetricValidation === true ? [] : [`${at}: metric validation on`]),
        ...(/\{"logging\.googleapis\.com\/user\/[^"]+", monitored_resource="[a-z0-9_]+"\}/.test(query) ? [] : [`${at}: no monitored_resource in ${query}`]),
      ];
    });
    expect(bad).toEqual([]);
  });
});
