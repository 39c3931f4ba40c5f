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
const inputs = (p: Planned) => p.resource.inputs as Record<string, any>;
const breaches = (of: Planned[], check: (p: Planned) => string[]) => of.flatMap((p) => check(p).map((problem) => `${where(p)}: ${problem}`));

beforeAll(async () => {
  slos = await resourcesOfType(TYPE.slo);
  services = await resourcesOfType(TYPE.customService);
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

  it("rolling period: a whole number of days, 1 to 30, and no calendar period beside it", () => {
    // service.proto ServiceLevelObjective.rolling_period: "Must be an integer multiple of 1 day no larger than 30 days."
    // Slo.yaml rollingPeriodDays: validation.IntBetween(1, 30); exactly_one_of rolling_period_days / calendar_period.
    expect(
      breaches(slos, (p) => {
        const days = inputs(p)["rollingPeriodDays"];
        return [...(Number.isInteger(days) && days >= 1 && days <= 30 ? [] : [`rollingPeriodDays ${days}`]), ...(inputs(p)["calendarPeriod"] ? ["calendarPeriod beside rollingPeriodDays"] : [])];
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

  it("windows-based SLIs: a window of at least 60 s that divides a day, over a boolean good/bad filter", () => {
    // service.proto WindowsBasedSli.window_period: "Duration over which window quality is evaluated. Must be an integer fraction of a day and at least 60s."
    // WindowsBasedSli.good_bad_metric_filter: "A monitoring filter specifying a TimeSeries with ValueType = BOOL. The window is good if any true values appear in the window."
    expect(
      breaches(slos, (p) => {
        const windows = inputs(p)["windowsBasedSli"];
        if (!windows) return [];
        const seconds = durationSeconds(windows["windowPeriod"]);
        const filter = String(windows["goodBadMetricFilter"] ?? "");
        return [
          ...(seconds === undefined || seconds < 60 || 86_400 % seconds !== 0 ? [`windowPeriod ${windows["windowPeriod"]}`] : []),
          ...(filter.includes('metric.type="monitoring.googleapis.com/uptime_check/check_passed"') && filter.includes('resource.type="uptime_url"') ? [] : [`goodBadMetricFilter ${filter}`]),
        ];
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
