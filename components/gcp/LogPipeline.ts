/**
 * A service's log pipeline: a log bucket that keeps its entries for the
 * declared time, a sink that routes them there, sinks that export them to
 * BigQuery, Cloud Storage or Pub/Sub (each writer identity granted on its own
 * destination only), and log-based metrics with their alert policies.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { LogMetricModel, LogSinkModel, LogsModel } from "../../model/types";
import type { ServiceModel } from "../../model/types";
import type { Severity } from "../../contract/serviceSchema";
import { DAY_MS, toGcpDuration } from "../../contract/duration";
import { alertPolicyArgs } from "./alertPolicy";

/** The narrowest role that lets a sink write to each kind of destination. */
export const SINK_WRITER_ROLE = {
  bigquery: "roles/bigquery.dataEditor",
  storage: "roles/storage.objectCreator",
  pubsub: "roles/pubsub.publisher",
} as const;

export interface LogPipelineArgs {
  /** The service whose logs are kept and exported; its `logs` must be set. Required. */
  service: ServiceModel;
  /** GCP project the logs are written to. Required. */
  project: string;
  /** Log bucket location. Default `global`. */
  bucketLocation?: string;
  /** Location of Cloud Storage export buckets. Default `US`. */
  exportLocation?: string;
  /** Notification channel resource names per severity, for log-metric alerts. Required (may be empty lists). */
  channels: Record<Severity, pulumi.Input<string>[]>;
  /** Keep log buckets and export buckets (and what they hold) when they leave the program. Default: true. */
  retainData?: boolean;
}

export class LogPipeline extends pulumi.ComponentResource {
  /** Full resource name of the service's log bucket. */
  public readonly bucketName: pulumi.Output<string>;

  constructor(name: string, args: LogPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("monitoring-stack:gcp:LogPipeline", name, args, opts);
    const logs = args.service.logs;
    if (!logs) throw new Error(`${args.service.file}: LogPipeline needs a service that declares logs`);
    const { service, project } = args;
    const bucketLocation = args.bucketLocation ?? "global";
    const retainOnDelete = args.retainData ?? true;

    const bucket = new gcp.logging.ProjectBucketConfig(`${name}-bucket`, logBucketArgs(service, logs, project, bucketLocation), { parent: this, retainOnDelete });
    new gcp.logging.ProjectSink(`${name}-to-bucket`, bucketSinkArgs(service, logs, project, bucketLocation), { parent: this, dependsOn: [bucket] });

    for (const sink of logs.sinks) {
      const exported = new gcp.logging.ProjectSink(`${name}-${sink.name}`, exportSinkArgs(service, logs, sink, project), { parent: this });
      this.grantWriter(`${name}-${sink.name}`, sink, project, args.exportLocation ?? "US", service, exported.writerIdentity, retainOnDelete);
    }

    for (const metric of logs.metrics) {
      const created = new gcp.logging.Metric(`${name}-${metric.name}`, logMetricArgs(service, metric, project), { parent: this });
      // An alert Grafana evaluates on Loki (metric.alertIn) is not duplicated in Cloud Monitoring.
      if (metric.alert && metric.alertIn !== "loki") {
        new gcp.monitoring.AlertPolicy(
          `${name}-${metric.name}-alert`,
          logMetricAlertArgs(service, metric, metric.alert, project, args.channels[metric.alert.severity]),
          { parent: this, dependsOn: [created] },
        );
      }
    }
    this.bucketName = bucket.name;
    this.registerOutputs({ bucketName: this.bucketName });
  }

  /** Grants the sink's writer identity on its destination only, never on the project. */
  private grantWriter(
    name: string,
    sink: LogSinkModel,
    project: string,
    exportLocation: string,
    service: ServiceModel,
    member: pulumi.Output<string>,
    retainOnDelete: boolean,
  ): void {
    const destination = sink.destination;
    switch (destination.kind) {
      case "bigquery":
        new gcp.bigquery.DatasetIamMember(`${name}-writer`, { project, datasetId: destination.dataset, role: SINK_WRITER_ROLE.bigquery, member }, { parent: this });
        return;
      case "storage": {
        const bucket = new gcp.storage.Bucket(
          `${name}-bucket`,
          exportBucketArgs(service, destination.bucket, destination.retentionDays, project, exportLocation),
          { parent: this, retainOnDelete },
        );
        new gcp.storage.BucketIAMMember(`${name}-writer`, { bucket: bucket.name, role: SINK_WRITER_ROLE.storage, member }, { parent: this });
        return;
      }
      case "pubsub":
        new gcp.pubsub.TopicIAMMember(`${name}-writer`, { project, topic: destination.topic, role: SINK_WRITER_ROLE.pubsub, member }, { parent: this });
        return;
    }
  }
}

export function logBucketArgs(service: ServiceModel, logs: LogsModel, project: string, location: string): gcp.logging.ProjectBucketConfigArgs {
  return {
    project,
    location,
    bucketId: logs.bucketId,
    retentionDays: logs.retentionDays,
    description: `Logs of ${service.name} (team ${service.team}), kept ${logs.retentionDays} days`,
  };
}

/** Cloud Logging's address of a log bucket, as a sink destination. */
export function logBucketDestination(project: string, location: string, bucketId: string): string {
  return `logging.googleapis.com/projects/${project}/locations/${location}/buckets/${bucketId}`;
}

function exclusions(logs: LogsModel): gcp.types.input.logging.ProjectSinkExclusion[] {
  return logs.exclusions.map((exclusion) => ({ name: exclusion.name, description: exclusion.description, filter: exclusion.filter }));
}

/** Routes the service's own entries into its bucket. A bucket in the sink's own project needs no grant. */
export function bucketSinkArgs(service: ServiceModel, logs: LogsModel, project: string, location: string): gcp.logging.ProjectSinkArgs {
  return {
    project,
    name: logs.bucketId,
    description: `Entries of ${service.name} into its own log bucket`,
    destination: logBucketDestination(project, location, logs.bucketId),
    filter: logs.serviceFilter,
    exclusions: exclusions(logs),
    uniqueWriterIdentity: true,
  };
}

export function sinkDestinationAddress(sink: LogSinkModel, project: string): string {
  const destination = sink.destination;
  switch (destination.kind) {
    case "bigquery":
      return `bigquery.googleapis.com/projects/${project}/datasets/${destination.dataset}`;
    case "storage":
      return `storage.googleapis.com/${destination.bucket}`;
    case "pubsub":
      return `pubsub.googleapis.com/projects/${project}/topics/${destination.topic}`;
  }
}

export function exportSinkArgs(service: ServiceModel, logs: LogsModel, sink: LogSinkModel, project: string): gcp.logging.ProjectSinkArgs {
  return {
    project,
    name: `${service.stableId}-${sink.name}`,
    description: `Entries of ${service.name} exported by sink ${sink.name}`,
    destination: sinkDestinationAddress(sink, project),
    filter: sink.filter,
    exclusions: exclusions(logs),
    uniqueWriterIdentity: true,
    ...(sink.destination.kind === "bigquery" ? { bigqueryOptions: { usePartitionedTables: true } } : {}),
  };
}

/** An export bucket: uniform access, no public access, objects kept (and then deleted) after `retentionDays`. */
export function exportBucketArgs(service: ServiceModel, bucket: string, retentionDays: number, project: string, location: string): gcp.storage.BucketArgs {
  return {
    project,
    name: bucket,
    location,
    uniformBucketLevelAccess: true,
    publicAccessPrevention: "enforced",
    forceDestroy: false,
    retentionPolicy: { retentionPeriod: String((retentionDays * DAY_MS) / 1000) },
    lifecycleRules: [{ action: { type: "Delete" }, condition: { age: retentionDays } }],
    labels: service.labels,
  };
}

export function logMetricArgs(service: ServiceModel, metric: LogMetricModel, project: string): gcp.logging.MetricArgs {
  return counterMetricArgs(project, metric.metricId, `${service.name}: entries matching ${metric.name}`, metric.filter, `${service.name} ${metric.name}`);
}

/** A log-based counter: how many entries matched the filter, per alignment period. */
export function counterMetricArgs(project: string, metricId: string, description: string, filter: string, displayName: string): gcp.logging.MetricArgs {
  return { project, name: metricId, description, filter, metricDescriptor: { metricKind: "DELTA", valueType: "INT64", unit: "1", displayName } };
}

/** The Cloud Monitoring metric type of a log-based metric. */
export function logMetricType(metricId: string): string {
  return `logging.googleapis.com/user/${metricId}`;
}

/**
 * PromQL for "more than `above` entries within `per`": the metric by its
 * UTF-8 name, restricted to the monitored resource of the service's entries
 * (a log-based metric may carry several).
 */
export function logMetricAlertQuery(metricId: string, resourceType: string, above: number, perMs: number): string {
  return `sum(increase({"${logMetricType(metricId)}", monitored_resource="${resourceType}"}[${perMs / 1000}s])) > ${above}`;
}

/**
 * Fires when more than `above` matching entries arrive within one `per`
 * period. A PromQL condition with metric validation off: the log-based
 * metric is created in the same apply, and Cloud Monitoring refuses a
 * threshold condition on a metric type that does not exist yet (it appears
 * with the first matching entry, or up to 10 minutes after creation).
 */
export function logMetricAlertArgs(
  service: ServiceModel,
  metric: LogMetricModel,
  alert: NonNullable<LogMetricModel["alert"]>,
  project: string,
  channels: pulumi.Input<string>[],
): gcp.monitoring.AlertPolicyArgs {
  const period = toGcpDuration(alert.perMs);
  // Validation refuses an alerted metric whose resource type is unknown; this guards direct callers.
  if (metric.resourceType === undefined) throw new Error(`${service.file}: log metric ${metric.name}: the monitored resource type of its entries is unknown`);
  return alertPolicyArgs({
    service,
    project,
    severity: alert.severity,
    displayName: `${service.name} ${metric.name} above ${alert.above} per ${period}`,
    subject: `${service.name}: ${metric.name} above ${alert.above} per ${period}`,
    paragraphs: [`**${service.name}** (team ${service.team}): more than ${alert.above} log entries matched \`${metric.name}\` within ${period}.`, `Filter: \`${metric.filter}\``],
    conditions: [
      {
        displayName: `more than ${alert.above} entries matching ${metric.name} in ${period}`,
        conditionPrometheusQueryLanguage: {
          query: logMetricAlertQuery(metric.metricId, metric.resourceType, alert.above, alert.perMs),
          duration: "0s",
          evaluationInterval: "60s",
          disableMetricValidation: true,
        },
      },
    ],
    alertStrategy: { autoClose: "1800s" },
    channels,
  });
}
