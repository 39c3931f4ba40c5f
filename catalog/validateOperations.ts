/**
 * Semantic checks for the operations part of a declaration — logs, database
 * backups and scaling — that the shape check cannot see: what the runtime can
 * provide, ids that must fit GCP's limits, names that must be unique across
 * the catalog.
 */
import type { LoadedService } from "../contract/load";
import type { Problem } from "../contract/problems";
import { BACKUP_START_EXPECTATION, type ServiceSpec } from "../contract/serviceSchema";
import { BACKUP_WINDOW_HOURS, backupIds, backupSuccessMetricId, databaseRegion, pitrLogRetentionDays } from "../model/backups";
import { HEALTH_CHECK_EXCLUSION, exportSinkName, logBucketId, logMetricId, logResourceType } from "../model/logs";
import { renamed, runtimeModel } from "../model/service";
import { idProblem, type IdKind } from "./gcpLimits";

type Add = (path: string, message: string) => void;

export function validateOperations(spec: ServiceSpec, add: Add): void {
  const runtime = runtimeModel(spec.runtime);
  const serviceId = renamed(spec.name, spec.formerly).stableId;
  // The service id comes from the oldest name: that is the field to shorten.
  const serviceIdPath = spec.formerly?.length ? "formerly[0]" : "name";
  const checkId = (path: string, kind: IdKind, id: string) => {
    const problem = idProblem(kind, id);
    if (problem) add(path, problem);
  };

  const logs = spec.logs;
  if (logs) {
    if (runtime.kind === "external" && logs.filter === undefined) {
      add("logs.filter", "missing required field (got an external service, expected a Cloud Logging filter that selects its entries, e.g. logName=\"projects/P/logs/my-app\")");
    }
    checkId(serviceIdPath, "logBucket", logBucketId(serviceId));
    // The bucket's own sink carries the bucket id as its name.
    checkId(serviceIdPath, "logSink", logBucketId(serviceId));
    (logs.exclude ?? []).forEach((_, index) => checkId(`logs.exclude[${index}]`, "logExclusion", HEALTH_CHECK_EXCLUSION));
    (logs.sinks ?? []).forEach((sink, index) => checkId(`logs.sinks[${index}].name`, "logSink", exportSinkName(serviceId, sink.name)));
    (logs.metrics ?? []).forEach((metric, index) => checkId(`logs.metrics[${index}].name`, "logMetric", logMetricId(serviceId, metric.name)));
    const alerted = (logs.metrics ?? []).findIndex((metric) => metric.alert !== undefined);
    if (alerted >= 0 && logs.filter !== undefined && logResourceType(runtime, logs.filter) === undefined) {
      add(
        "logs.filter",
        `no single monitored resource type (got ${JSON.stringify(logs.filter)} on an external service whose logs.metrics[${alerted}] alerts; expected a filter that restricts resource.type to one value, like resource.type="gce_instance" AND …: an alert on a log-based metric must name the resource type its entries carry)`,
      );
    }
  }

  const cloudSql = spec.database?.cloudSql;
  if (cloudSql) {
    if (databaseRegion(spec, runtime) === undefined) {
      add("database.cloudSql.region", "missing required field (got an external service, expected the instance's region like europe-west1)");
    }
    const start = cloudSql.backups?.start;
    if (start !== undefined && !start.endsWith(":00")) {
      add("database.cloudSql.backups.start", `invalid value (got ${JSON.stringify(start)}, expected ${BACKUP_START_EXPECTATION})`);
    }
    const hour = start === undefined ? undefined : Number(start.slice(0, 2));
    if (hour !== undefined && hour > 24 - BACKUP_WINDOW_HOURS) {
      add("database.cloudSql.backups.start", `invalid value (got ${JSON.stringify(start)}, expected ${24 - BACKUP_WINDOW_HOURS}:00 or earlier: a Backup and DR window lasts at least ${BACKUP_WINDOW_HOURS} hours and ends by midnight UTC)`);
    }
    const backups = cloudSql.backups;
    if (backups) {
      const pitr = backups.pointInTimeRecovery ?? spec.tier === "critical";
      const ids = backupIds(serviceId, cloudSql.instance, pitr ? pitrLogRetentionDays(backups.retentionDays) : undefined);
      for (const id of [ids.vaultId, ids.planId, ids.associationId, backups.schedule]) checkId("database.cloudSql.instance", "backupDr", id);
      checkId("database.cloudSql.instance", "logMetric", backupSuccessMetricId(serviceId, cloudSql.instance));
    }
  }

  const scaling = spec.scaling;
  if (scaling) {
    if (runtime.kind === "external") {
      add("scaling", "not supported for this runtime (got runtime external, expected cloudRun or gke: an external service scales outside Google Cloud; alert on its hosts with Prometheus rules instead)");
    }
    if (runtime.kind === "gke") {
      if (scaling.maxInstances === undefined) {
        add("scaling.maxInstances", "missing required field (got a GKE workload, expected the HorizontalPodAutoscaler's maximum replicas)");
      }
      if (scaling.concurrency !== undefined) {
        add("scaling.concurrency", `not supported for this runtime (got ${scaling.concurrency} on runtime gke, expected it only on cloudRun: concurrency is a Cloud Run setting)`);
      }
    }
  }
}

/** Cloud Storage bucket names are global: two sinks may not create the same bucket. */
export function validateSharedDestinations(services: readonly LoadedService[]): Problem[] {
  const problems: Problem[] = [];
  const owners = new Map<string, string>();
  for (const { file, spec } of services) {
    for (const [index, sink] of (spec.logs?.sinks ?? []).entries()) {
      const bucket = sink.destination.storage?.bucket;
      if (bucket === undefined) continue;
      const owner = owners.get(bucket);
      if (owner !== undefined) {
        problems.push({ file, path: `logs.sinks[${index}].destination.storage.bucket`, message: `bucket already declared (got ${JSON.stringify(bucket)}, also created by ${owner}; expected one sink per Cloud Storage bucket, which this stack creates)` });
      } else {
        owners.set(bucket, `${file} (logs.sinks[${index}])`);
      }
    }
  }
  return problems;
}
