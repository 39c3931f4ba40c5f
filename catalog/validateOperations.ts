/**
 * Semantic checks for the operations part of a declaration — logs, database
 * backups and scaling — that the shape check cannot see: what the runtime can
 * provide, ids that must fit GCP's limits, names that must be unique across
 * the catalog.
 */
import type { LoadedService } from "../contract/load";
import type { Problem } from "../contract/problems";
import { BACKUP_START_EXPECTATION, type ServiceSpec } from "../contract/serviceSchema";
import { BACKUP_WINDOW_HOURS, backupIds, databaseRegion } from "../model/backups";
import { logMetricId } from "../model/logs";
import { renamed, runtimeModel } from "../model/service";

/** Backup and DR ids (vault, plan, association): at most 63 characters. */
export const MAX_BACKUP_ID_LENGTH = 63;
/** Log-based metric ids: at most 100 characters. */
export const MAX_LOG_METRIC_ID_LENGTH = 100;

type Add = (path: string, message: string) => void;

export function validateOperations(spec: ServiceSpec, add: Add): void {
  const runtime = runtimeModel(spec.runtime);
  const serviceId = renamed(spec.name, spec.formerly).gcpId;

  if (spec.logs && runtime.kind === "external" && spec.logs.filter === undefined) {
    add("logs.filter", "missing required field (got an external service, expected a Cloud Logging filter that selects its entries, e.g. logName=\"projects/P/logs/my-app\")");
  }
  for (const [index, metric] of (spec.logs?.metrics ?? []).entries()) {
    const id = logMetricId(serviceId, metric.name);
    if (id.length > MAX_LOG_METRIC_ID_LENGTH) {
      add(`logs.metrics[${index}].name`, `name too long (got ${JSON.stringify(id)} as the metric id, ${id.length} characters; expected at most ${MAX_LOG_METRIC_ID_LENGTH})`);
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
    const longest = backupIds(serviceId, cloudSql.instance).vaultId;
    if (cloudSql.backups && longest.length > MAX_BACKUP_ID_LENGTH) {
      add("database.cloudSql.instance", `name too long (got backup vault id ${JSON.stringify(longest)}, ${longest.length} characters; expected service and instance names that fit ${MAX_BACKUP_ID_LENGTH} characters together)`);
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
