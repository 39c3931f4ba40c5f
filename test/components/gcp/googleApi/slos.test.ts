/**
 * Cloud Monitoring services and SLOs, in every plan the repository makes,
 * against google/monitoring/v3/service.proto and service_service.proto
 * (googleapis) and mmv1/products/monitoring/Slo.yaml, GenericService.yaml
 * (magic-modules).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { PLAN_TIMEOUT_MS, TYPE, resourcesOfType, where, type Planned } from "./plans";
import { durationSeconds, userLabelProblems } from "./rules";

let slos: Planned[];
let services: Planned[];
let policies: Planned[];
const inputs = (p: Planned) => p.resource.inputs as Record<string, any>;
const breaches = (of: Planned[], check: (p: Planned) => string[]) => of.flatMap((p) => check(p).map((problem) => `${where(p)}: ${problem}`));

beforeAll(async () => {
  slos = await resourcesOfType(TYPE.slo);
  services = await resourcesOfType(TYPE.customService);
  policies = await resourcesOfType(TYPE.alertPolicy);
}, PLAN_TIMEOUT_MS);

describe("custom services", () => {
  it("covers the services (the walk works)", () => {
    expect(services.length).toBeGreaterThan(100);
  });

  it("ids match [a-z0-9-]+ and are unique per project", () => {
    // service_service.proto CreateServiceRequest.service_id: "Must match the pattern [a-z0-9\-]+" (stricter than the provider's ^[a-zA-Z0-9\-_:.]+$ in Service.yaml).
    expect(breaches(services, (p) => (/^[a-z0-9-]{1,100}$/.test(inputs(p)["serviceId"]) ? [] : [`serviceId ${inputs(p)["serviceId"]}`]))).toEqual([]);
    const ids = services.map((p) => `${p.source} ${inputs(p)["project"]}/${inputs(p)["serviceId"]}`);
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
  });

  it("labels follow the user-label rule", () => {
    // service.proto Service.user_labels (see rules.ts).
    expect(breaches(services, (p) => userLabelProblems(inputs(p)["userLabels"]))).toEqual([]);
  });
});

describe("service level objectives", () => {
  it("covers SLOs of both SLI kinds (the walk works)", () => {
    expect(slos.length).toBeGreaterThan(200);
    expect(slos.some((p) => inputs(p)["windowsBasedSli"])).toBe(true);
    expect(slos.some((p) => inputs(p)["requestBasedSli"])).toBe(true);
  });

  it("goal in (0, 0.9999]", () => {
    // service.proto ServiceLevelObjective.goal: "The fraction of service that must be good in order for this objective to be met. 0 < goal <= 0.9999."
    expect(breaches(slos, (p) => (inputs(p)["goal"] > 0 && inputs(p)["goal"] <= 0.9999 ? [] : [`goal ${inputs(p)["goal"]}`]))).toEqual([]);
  });

  it("covers calendar periods and windows-based ratio SLIs (timeslices budgeting)", () => {
    expect(new Set(slos.map((p) => inputs(p)["calendarPeriod"]).filter(Boolean))).toEqual(new Set(["DAY", "WEEK", "FORTNIGHT", "MONTH"]));
    expect(slos.some((p) => inputs(p)["windowsBasedSli"]?.["goodTotalRatioThreshold"]?.["performance"]?.["goodTotalRatio"])).toBe(true);
    expect(slos.some((p) => inputs(p)["windowsBasedSli"]?.["goodTotalRatioThreshold"]?.["performance"]?.["distributionCut"])).toBe(true);
  });

  it("period: exactly one of a rolling period of 1 to 30 whole days and a calendar period DAY, WEEK, FORTNIGHT or MONTH", () => {
    // service.proto ServiceLevelObjective: oneof period { rolling_period: "Must be an integer multiple of 1 day no larger than 30 days."; calendar_period:
    // "A calendar period, semantically \"since the start of the current <calendar_period>\". At this time, only DAY, WEEK, FORTNIGHT, and MONTH are supported." }
    // google/type/calendar_period.proto: "All calendar times begin at midnight UTC"; WEEK: "Weeks begin on Monday, following ISO 8601".
    // Slo.yaml rollingPeriodDays: validation.IntBetween(1, 30); calendarPeriod enum_values DAY, WEEK, FORTNIGHT, MONTH; exactly_one_of rolling_period_days / calendar_period.
    expect(
      breaches(slos, (p) => {
        const days = inputs(p)["rollingPeriodDays"];
        const calendar = inputs(p)["calendarPeriod"];
        if (days !== undefined && calendar !== undefined) return ["calendarPeriod beside rollingPeriodDays"];
        if (calendar !== undefined) return ["DAY", "WEEK", "FORTNIGHT", "MONTH"].includes(calendar) ? [] : [`calendarPeriod ${calendar}`];
        return Number.isInteger(days) && days >= 1 && days <= 30 ? [] : [`rollingPeriodDays ${days}`];
      }),
    ).toEqual([]);
  });

  it("ids match ^[a-zA-Z0-9-_:.]+$ and name an existing custom service", () => {
    // service_service.proto CreateServiceLevelObjectiveRequest.service_level_objective_id: "Must match the pattern ^[a-zA-Z0-9-_:.]+$". Slo.yaml service: required: true.
    expect(
      breaches(slos, (p) => {
        const own = services.filter((s) => s.source === p.source).map((s) => inputs(s)["serviceId"]);
        return [...(/^[a-zA-Z0-9_:.-]{1,100}$/.test(inputs(p)["sloId"]) ? [] : [`sloId ${inputs(p)["sloId"]}`]), ...(own.includes(inputs(p)["service"]) ? [] : [`service ${inputs(p)["service"]} not in the plan`])];
      }),
    ).toEqual([]);
  });

  it("exactly one SLI; request-based ratios have a total and exactly one of good and bad", () => {
    // service.proto ServiceLevelIndicator: oneof type. TimeSeriesRatio: "Exactly two of good, bad, and total must be specified".
    expect(
      breaches(slos, (p) => {
        const i = inputs(p);
        const kinds = ["requestBasedSli", "windowsBasedSli", "basicSli"].filter((k) => i[k]);
        const ratio = i["requestBasedSli"]?.["goodTotalRatio"];
        const given = ratio ? ["goodServiceFilter", "badServiceFilter", "totalServiceFilter"].filter((k) => ratio[k]) : [];
        return [...(kinds.length === 1 ? [] : [`SLIs ${kinds.join(", ")}`]), ...(ratio && (given.length !== 2 || !ratio["totalServiceFilter"]) ? [`ratio with ${given.join(", ")}`] : [])];
      }),
    ).toEqual([]);
  });

  it("windows-based SLIs: a window of at least 60 s that divides a day; exactly one criterion: an uptime good/bad filter, or a ratio threshold", () => {
    // service.proto WindowsBasedSli.window_period: "Duration over which window quality is evaluated. Must be an integer fraction of a day and at least 60s."
    // Slo.yaml windowPeriod: "Must be an integer fraction of a day and at least 60s"; exactly_one_of good_bad_metric_filter, good_total_ratio_threshold, metric_mean_in_range, metric_sum_in_range.
    // WindowsBasedSli.good_bad_metric_filter: "A monitoring filter specifying a TimeSeries with ValueType = BOOL. The window is good if any true values appear in the window."
    // WindowsBasedSli.PerformanceThreshold: "If window performance >= threshold, the window is counted as good"; performance: a RequestBasedSli (oneof good_total_ratio, distribution_cut);
    // Slo.yaml performance: exactly_one_of good_total_ratio / distribution_cut. The threshold is a performance, a ratio in [0, 1] (ServiceLevelIndicator: "0 <= performance <= 1").
    expect(
      breaches(slos, (p) => {
        const windows = inputs(p)["windowsBasedSli"];
        if (!windows) return [];
        const seconds = durationSeconds(windows["windowPeriod"]);
        const criteria = ["goodBadMetricFilter", "goodTotalRatioThreshold", "metricMeanInRange", "metricSumInRange"].filter((k) => windows[k] !== undefined);
        const problems = [
          ...(seconds === undefined || seconds < 60 || 86_400 % seconds !== 0 ? [`windowPeriod ${windows["windowPeriod"]}`] : []),
          ...(criteria.length === 1 ? [] : [`criteria ${criteria.join(", ")}`]),
        ];
        if (windows["goodBadMetricFilter"] !== undefined) {
          const filter = String(windows["goodBadMetricFilter"]);
          if (!(filter.includes('metric.type="monitoring.googleapis.com/uptime_check/check_passed"') && filter.includes('resource.type="uptime_url"'))) problems.push(`goodBadMetricFilter ${filter}`);
        }
        const threshold = windows["goodTotalRatioThreshold"];
        if (threshold !== undefined) {
          const performance = threshold["performance"] ?? {};
          const kinds = ["goodTotalRatio", "distributionCut"].filter((k) => performance[k] !== undefined);
          const ratio = performance["goodTotalRatio"];
          const given = ratio ? ["goodServiceFilter", "badServiceFilter", "totalServiceFilter"].filter((k) => ratio[k]) : [];
          const cut = performance["distributionCut"];
          if (!(typeof threshold["threshold"] === "number" && threshold["threshold"] > 0 && threshold["threshold"] <= 1)) problems.push(`threshold ${threshold["threshold"]}`);
          if (kinds.length !== 1) problems.push(`performance ${kinds.join(", ")}`);
          if (ratio && (given.length !== 2 || !ratio["totalServiceFilter"])) problems.push(`ratio with ${given.join(", ")}`);
          if (cut && !(typeof cut["distributionFilter"] === "string" && cut["range"] && (cut["range"]["min"] ?? -Infinity) < (cut["range"]["max"] ?? Infinity))) problems.push(`distributionCut ${JSON.stringify(cut)}`);
          // Our own rule (contract budgeting.slice): whole minutes, so Prometheus rules can use the same slice.
          if (seconds !== undefined && seconds % 60 !== 0) problems.push(`windowPeriod ${windows["windowPeriod"]} is not whole minutes`);
        }
        return problems;
      }),
    ).toEqual([]);
  });

  it("calendar and windows-based SLOs get the same burn-rate policies as the others", () => {
    // alerting-on-budget-burn-rate: "The burn-rate metric is normalized such that a burn rate of greater than one indicates that if the measured error rate is
    // sustained over any future compliance period, then the service will be out of SLO for that period": error rate ÷ (1 − goal), whatever the period;
    // for a windows-based SLI the events are windows. select_slo_burn_rate takes any SLO (timeseries-selectors), with a lookback up to 24 h (alertPolicies.test.ts).
    const special = slos.filter((p) => inputs(p)["calendarPeriod"] || inputs(p)["windowsBasedSli"]?.["goodTotalRatioThreshold"]);
    expect(special.length).toBeGreaterThan(0);
    const filters = policies.flatMap((p) => ((inputs(p)["conditions"] ?? []) as Record<string, any>[]).map((c) => `${p.source} ${String(c["conditionThreshold"]?.["filter"] ?? "")}`));
    expect(
      breaches(special, (p) => {
        const name = `projects/${inputs(p)["project"]}/services/${inputs(p)["service"]}/serviceLevelObjectives/${inputs(p)["sloId"]}`;
        return filters.some((f) => f.startsWith(`${p.source} select_slo_burn_rate("${name}",`)) ? [] : [`no burn-rate policy selects ${name}`];
      }),
    ).toEqual([]);
  });

  it("distribution cuts: a range with min below max", () => {
    // service.proto DistributionCut.range: "Range of values considered \"good.\" For a one-sided range, set one bound to an infinite value." Slo.yaml range: required: true.
    expect(
      breaches(slos, (p) => {
        const cut = inputs(p)["requestBasedSli"]?.["distributionCut"];
        if (!cut) return [];
        return typeof cut["distributionFilter"] === "string" && cut["range"] && (cut["range"]["min"] ?? -Infinity) < (cut["range"]["max"] ?? Infinity) ? [] : [`distributionCut ${JSON.stringify(cut)}`];
      }),
    ).toEqual([]);
  });

  it("labels follow the user-label rule", () => {
    // service.proto ServiceLevelObjective.user_labels (see rules.ts).
    expect(breaches(slos, (p) => userLabelProblems(inputs(p)["userLabels"]))).toEqual([]);
  });
});
