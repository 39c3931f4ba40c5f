/**
 * Every filter the plan generates names a real metric type, a monitored
 * resource type the metric is written against, and labels that exist on
 * them — checked against Cloud Monitoring's metric list (test/data).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { fixturePlan, plan } from "../../plan/helpers";
import { check, checkLogging, checkPromql, filters, type FilterKind } from "./googleApi/metricCatalogue";

describe("generated filters against the metric catalogue", () => {
  let all: { urn: string; filter: string; kind: FilterKind }[];
  beforeAll(async () => {
    const fixture = await fixturePlan();
    const local = await plan({ stack: "local" });
    all = [...filters(fixture.plan.resources), ...filters(local.plan.resources)];
  });

  it("finds the filters (the walk itself works)", () => {
    expect(all.length).toBeGreaterThan(30);
    expect(all.some((f) => f.filter.startsWith("select_slo_burn_rate("))).toBe(true);
    expect(all.some((f) => f.filter.includes("run.googleapis.com/request_latencies"))).toBe(true);
    expect(new Set(all.map((f) => f.kind))).toEqual(new Set(["monitoring", "logging", "promql"]));
    expect(all.some((f) => f.kind === "logging" && f.filter.includes("bdr_backup_restore_jobs"))).toBe(true);
  });

  it("names only real metrics, resources, labels and SLO selectors", () => {
    const checker = { monitoring: check, logging: checkLogging, promql: checkPromql };
    const problems = all.flatMap(({ urn, filter, kind }) => checker[kind](filter).map((error) => `${urn}: ${error}\n  ${filter}`));
    expect(problems).toEqual([]);
  });

  it("the checker rejects what it should (it can fail)", () => {
    expect(check('metric.type="run.googleapis.com/request_count" AND resource.type="cloud_run_revision" AND metric.label.response_code_class=500')).toHaveLength(1);
    expect(check('metric.type="run.googleapis.com/request_count" AND resource.type="gce_instance"')).toHaveLength(1);
    expect(check('metric.type="run.googleapis.com/requests" AND resource.type="cloud_run_revision"')).toHaveLength(1);
    expect(check('metric.type="run.googleapis.com/request_count" AND resource.type="cloud_run_revision" AND resource.label.cluster_name="x"')).toHaveLength(1);
    expect(check('select_slo_burn_rate("projects/p/services/s/serviceLevelObjectives/o", "90s")')).toHaveLength(1);
    expect(checkLogging('resource.type="cloud_run_revision" AND resource.labels.namespace_name="x"')).toHaveLength(1);
    expect(checkLogging('resource.type="cloud_run" AND severity>=ERROR')).toHaveLength(1);
    expect(checkLogging('logName="projects/p1234/logs/bdr_backup_restore_jobs" AND jsonPayload.jobState="FAILED"')).toHaveLength(2);
    expect(checkPromql('absent_over_time({"run.googleapis.com/requests"}[1h])')).toHaveLength(1);
    expect(checkPromql("absent_over_time(up[1h])")).toHaveLength(1);
    expect(checkPromql('sum(increase({"logging.googleapis.com/user/s/m", monitored_resource="cloud_run"}[300s])) > 1')).toHaveLength(1);
    expect(check('metric.type="logging.googleapis.com/user/s/m"')).toHaveLength(1);
  });
});
