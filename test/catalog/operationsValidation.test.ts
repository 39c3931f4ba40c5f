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

  it("backup ids must fit Backup and DR's [a-z][a-z0-9-]{0,62}, each one reported", () => {
    const long = "a".repeat(40);
    expect(problems(base({ name: long, database: { cloudSql: { instance: "b".repeat(20), backups: { schedule: "daily", retentionDays: 7 } } } }))).toEqual([
      `svc.yaml: database.cloudSql.instance: derived Backup and DR id too long (got "${long}-${"b".repeat(20)}-vault", 67 characters; expected at most 63: google/cloud/backupdr/v1/backupplan.proto CreateBackupPlanRequest.backup_plan_id, BackupRule.rule_id)`,
      expect.stringMatching(/^svc\.yaml: database\.cloudSql\.instance: derived Backup and DR id too long \(got "a{40}-b{20}-plan", 66 characters; expected at most 63: /),
    ]);
    // Point-in-time recovery puts the log retention into the plan id, which must fit too.
    const pitr = base({ name: "a".repeat(31), tier: "critical", alerting: { page: ["payments-pager"] }, database: { cloudSql: { instance: "b".repeat(24), backups: { schedule: "daily", retentionDays: 30 } } } });
    expect(problems(pitr)).toEqual([expect.stringMatching(/^svc\.yaml: database\.cloudSql\.instance: derived Backup and DR id too long \(got "a{31}-b{24}-plan-l7", 64 characters; expected at most 63: /)]);
  });

  it("log-based metric ids must fit 100 characters", () => {
    expect(problems(base({ logs: { metrics: [{ name: "m".repeat(60), filter: "severity>=ERROR" }] }, name: "s".repeat(45) }))).toEqual([
      expect.stringMatching(/^svc\.yaml: logs\.metrics\[0\]\.name: derived log-based metric name too long \(got "s{45}\/m{60}", 106 characters; expected at most 100: google\/logging\/v2\/logging_metrics\.proto LogMetric\.name\)$/),
    ]);
  });

  it("a sink's derived name must fit Cloud Logging's 100 characters: a 61-character service and a 60-character sink make 122", () => {
    const name = "s".repeat(61);
    const sink = "k".repeat(60);
    expect(problems(base({ name, runtime: { cloudRun: { service: "svc", region: "europe-west1" } }, logs: { sinks: [{ name: sink, destination: { pubsub: { topic: "logs-topic" } } }] } }))).toEqual([
      `svc.yaml: logs.sinks[0].name: derived log sink name too long (got "${name}-${sink}", 122 characters; expected at most 100: google/logging/v2/logging_config.proto LogSink.name)`,
    ]);
  });

  it("an alert on a log-based metric of an external service needs its filter to name one resource type", () => {
    const logs = (filter: string) => ({ filter, metrics: [{ name: "errors", filter: "severity>=ERROR", alert: { above: 1, per: "5m", severity: "ticket" as const } }] });
    expect(problems(base({ runtime: { external: {} }, logs: logs('logName="projects/p/logs/app"') }))).toEqual([
      'svc.yaml: logs.filter: no single monitored resource type (got "logName=\\"projects/p/logs/app\\"" on an external service whose logs.metrics[0] alerts; expected a filter that restricts resource.type to one value, like resource.type="gce_instance" AND …: an alert on a log-based metric must name the resource type its entries carry)',
    ]);
    expect(problems(base({ runtime: { external: {} }, logs: logs('resource.type="gce_instance" AND logName="projects/p/logs/app"') }))).toEqual([]);
    expect(problems(base({ runtime: { external: {} }, logs: logs('resource.type="gce_instance" OR resource.type="k8s_container"') }))).toHaveLength(1);
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
