/**
 * Semantic rules for logs, database backups and scaling: what the runtime can
 * provide, what Backup and DR accepts, names that must fit GCP's limits or be
 * unique in the catalog — each refused with file, field path, value and what
 * was expected.
 */
import { describe, expect, it } from "vitest";
import { formatProblem } from "../../contract/problems";
import type { ServiceSpec } from "../../contract/serviceSchema";
import { parseStackConfig } from "../../contract/stackConfig";
import { validateCatalog, validateService } from "../../catalog/validate";
import { rawConfig, settingsFrom } from "../support/declarations";

const base = (overrides: Partial<ServiceSpec>): ServiceSpec => ({
  apiVersion: "monitoring-stack/v1",
  name: "svc",
  team: "t",
  runtime: { cloudRun: { service: "svc", region: "europe-west1" } },
  ...overrides,
});
const gke = { gke: { cluster: "c", location: "europe-west1", namespace: "n", workload: "w" } };
const problems = (spec: ServiceSpec) => validateService(spec, "svc.yaml", settingsFrom()).map(formatProblem);

describe("operations rules", () => {
  it("an external service's logs need an explicit filter", () => {
    expect(problems(base({ runtime: { external: {} }, logs: { retentionDays: 30 } }))).toEqual([
      'svc.yaml: logs.filter: missing required field (got an external service, expected a Cloud Logging filter that selects its entries, e.g. logName="projects/P/logs/my-app")',
    ]);
    expect(problems(base({ runtime: { external: {} }, logs: { filter: 'logName="projects/p/logs/svc"' } }))).toEqual([]);
  });

  it("backups start on the hour, by 18:00 UTC, in a known region", () => {
    const db = (start: string) => ({ cloudSql: { instance: "db", backups: { schedule: "daily" as const, start, retentionDays: 7 } } });
    expect(problems(base({ database: db("02:30") }))).toEqual([
      'svc.yaml: database.cloudSql.backups.start: invalid value (got "02:30", expected a start time on the hour, "HH:00" in 24 h UTC like "03:00" (Backup and DR windows open on the hour))',
    ]);
    expect(problems(base({ database: db("23:00") }))).toEqual([
      'svc.yaml: database.cloudSql.backups.start: invalid value (got "23:00", expected 18:00 or earlier: a Backup and DR window lasts at least 6 hours and ends by midnight UTC)',
    ]);
    expect(problems(base({ database: db("18:00") }))).toEqual([]);
    expect(problems(base({ runtime: { external: {} }, database: db("02:00") }))).toEqual([
      "svc.yaml: database.cloudSql.region: missing required field (got an external service, expected the instance's region like europe-west1)",
    ]);
  });

  it("backup ids must fit Backup and DR's 63 characters", () => {
    const long = "a".repeat(40);
    expect(problems(base({ name: long, database: { cloudSql: { instance: "b".repeat(20), backups: { schedule: "daily", retentionDays: 7 } } } }))).toEqual([
      expect.stringMatching(/^svc\.yaml: database\.cloudSql\.instance: name too long \(got backup vault id "a{40}-b{20}-vault", 67 characters; expected/),
    ]);
  });

  it("log-based metric ids must fit 100 characters", () => {
    expect(problems(base({ logs: { metrics: [{ name: "m".repeat(60), filter: "severity>=ERROR" }] }, name: "s".repeat(45) }))).toEqual([
      expect.stringMatching(/^svc\.yaml: logs\.metrics\[0\]\.name: name too long \(got "s{45}\/m{60}" as the metric id, 106 characters; expected at most 100\)$/),
    ]);
  });

  it("scaling needs a runtime that scales, a GKE maximum, and concurrency only on Cloud Run", () => {
    expect(problems(base({ runtime: { external: {} }, scaling: { maxInstances: 3 } }))).toEqual([
      "svc.yaml: scaling: not supported for this runtime (got runtime external, expected cloudRun or gke: an external service scales outside Google Cloud; alert on its hosts with Prometheus rules instead)",
    ]);
    expect(problems(base({ runtime: gke, scaling: { minInstances: 2, concurrency: 10 } }))).toEqual([
      "svc.yaml: scaling.maxInstances: missing required field (got a GKE workload, expected the HorizontalPodAutoscaler's maximum replicas)",
      "svc.yaml: scaling.concurrency: not supported for this runtime (got 10 on runtime gke, expected it only on cloudRun: concurrency is a Cloud Run setting)",
    ]);
    expect(problems(base({ runtime: gke, scaling: { maxInstances: 5 } }))).toEqual([]);
  });

  it("backups and saturation alerts need somewhere to send them", () => {
    const noRoutes = settingsFrom({ "monitoring-stack:routes": undefined });
    const paths = (spec: ServiceSpec) => validateService(spec, "svc.yaml", noRoutes).map((p) => p.path);
    expect(paths(base({ tier: "critical", database: { cloudSql: { instance: "db", backups: { schedule: "daily", retentionDays: 7 } } } }))).toEqual(["alerting.page"]);
    expect(paths(base({ tier: "low", scaling: { maxInstances: 3 } }))).toEqual(["alerting.ticket"]);
  });

  it("two sinks may not create the same Cloud Storage bucket, in one service or across the catalog", () => {
    const sink = (name: string) => ({ name, destination: { storage: { bucket: "shared-archive" } } });
    const services = [
      { file: "a.yaml", spec: base({ name: "a", logs: { sinks: [sink("one")] } }) },
      { file: "b.yaml", spec: base({ name: "b", logs: { sinks: [sink("two"), sink("three")] } }) },
    ];
    expect(validateCatalog(services, settingsFrom()).map(formatProblem)).toEqual([
      'b.yaml: logs.sinks[0].destination.storage.bucket: bucket already declared (got "shared-archive", also created by a.yaml (logs.sinks[0]); expected one sink per Cloud Storage bucket, which this stack creates)',
      'b.yaml: logs.sinks[1].destination.storage.bucket: bucket already declared (got "shared-archive", also created by a.yaml (logs.sinks[0]); expected one sink per Cloud Storage bucket, which this stack creates)',
    ]);
  });
});

describe("stack config for operations", () => {
  it("reads log locations and Kubernetes access, with defaults", () => {
    const defaults = parseStackConfig(rawConfig(), "Pulumi.x.yaml").settings!;
    expect(defaults).toMatchObject({ logBucketLocation: "global", logExportLocation: "US" });
    expect(defaults.kubernetes).toBeUndefined();
    const set = parseStackConfig(
      rawConfig({
        "monitoring-stack:logs": JSON.stringify({ bucketLocation: "europe-west1", exportLocation: "EU" }),
        "monitoring-stack:kubernetes": JSON.stringify({ clusters: { "prod-1": { context: "admin@prod-1" } } }),
      }),
      "Pulumi.x.yaml",
    ).settings!;
    expect(set).toMatchObject({ logBucketLocation: "europe-west1", logExportLocation: "EU", kubernetes: { clusters: { "prod-1": { context: "admin@prod-1" } } } });
  });

  it("refuses unknown keys and bad values with the field path", () => {
    const { problems: found } = parseStackConfig(
      rawConfig({
        "monitoring-stack:logs": JSON.stringify({ bucketLocaton: "eu" }),
        "monitoring-stack:kubernetes": JSON.stringify({ clusters: { "Prod 1": { context: "x" } } }),
      }),
      "Pulumi.x.yaml",
    );
    const text = found.map(formatProblem).join("\n");
    expect(text).toContain('Pulumi.x.yaml: monitoring-stack:logs.bucketLocaton: unknown field (got "bucketLocaton", did you mean "bucketLocation"?');
    expect(text).toContain('Pulumi.x.yaml: monitoring-stack:kubernetes.clusters.Prod 1: invalid key (got "Prod 1", expected a DNS label');
  });
});
