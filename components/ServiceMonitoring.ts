/**
 * The facade: everything that keeps one service honest, from its model —
 * uptime checks and their alerts, Cloud Monitoring SLOs and burn-rate alerts,
 * its log pipeline, database backups, scaling rules and saturation alerts.
 */
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceModel } from "../model/types";
import type { Severity } from "../contract/serviceSchema";
import { evaluatorBuilders } from "./evaluators";
import { UptimeChecks } from "./gcp/UptimeChecks";
import { LogPipeline } from "./gcp/LogPipeline";
import { CloudSqlBackups } from "./gcp/CloudSqlBackups";
import { SaturationAlerts } from "./gcp/SaturationAlerts";
import { Autoscaling } from "./kubernetes/Autoscaling";
import { withAliases } from "./renames/aliases";

export interface ServiceMonitoringArgs {
  /** The normalised service (see model/). Required. */
  service: ServiceModel;
  /** GCP project that holds the monitoring resources. Required. */
  project: string;
  /** Notification channel resource names by channel name, from Platform. Required. */
  channelIds: Record<string, pulumi.Input<string>>;
  /** Keep SLOs and their history when they leave the program. Default: true. */
  retainSloHistory?: boolean;
  /** Kubernetes providers by GKE cluster name, from Platform. Required for a GKE service with scaling; default: none. */
  kubernetesProviders?: Record<string, k8s.Provider>;
  /** Log bucket location. Default `global`. */
  logBucketLocation?: string;
  /** Location of Cloud Storage export buckets. Default `US`. */
  logExportLocation?: string;
  /** Keep log buckets, export buckets and their contents when they leave the program. Default: true. */
  retainLogs?: boolean;
  /** Protect backup vaults from deletion. Default: true. */
  protectBackupVaults?: boolean;
}

export class ServiceMonitoring extends pulumi.ComponentResource {
  /** Uptime check ids by endpoint name. */
  public readonly uptimeCheckIds: Record<string, pulumi.Output<string>>;
  /** Full SLO resource names by SLO name (SLOs Cloud Monitoring computes). */
  public readonly sloNames: Record<string, string>;

  constructor(name: string, args: ServiceMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    // A renamed service keeps its resources: earlier names become aliases, inherited by every child.
    super("monitoring-stack:service:ServiceMonitoring", name, args, withAliases(opts, args.service.formerly));
    const { service, project } = args;
    const channels = routeChannels(service.routes, args.channelIds, service.file);

    const uptime = new UptimeChecks(`${name}-uptime`, { service, project, channels }, { parent: this });
    // Each evaluator's per-service resources: Cloud Monitoring's SLOs and burn-rate policies (`<name>-slo`, `<name>-burn`).
    const sloNames: Record<string, string> = {};
    for (const builder of evaluatorBuilders()) {
      const created = builder.provisionService({ name, parent: this, service, project, channels, uptimeCheckIds: uptime.checkIds, retainSloHistory: args.retainSloHistory ?? true });
      Object.assign(sloNames, created.sloNames);
    }

    if (service.logs) {
      new LogPipeline(
        `${name}-logs`,
        {
          service,
          project,
          channels,
          ...(args.logBucketLocation !== undefined ? { bucketLocation: args.logBucketLocation } : {}),
          ...(args.logExportLocation !== undefined ? { exportLocation: args.logExportLocation } : {}),
          retainData: args.retainLogs ?? true,
        },
        { parent: this },
      );
    }
    if (service.backup) {
      new CloudSqlBackups(`${name}-backups`, { service, project, channels, protectVault: args.protectBackupVaults ?? true }, { parent: this });
    }
    if (service.scaling) {
      new SaturationAlerts(`${name}-saturation`, { service, project, channels: channels.ticket }, { parent: this });
      if (service.runtime.kind === "gke") {
        const provider = args.kubernetesProviders?.[service.runtime.cluster];
        if (!provider) throw new Error(`${service.file}: no Kubernetes provider for cluster ${service.runtime.cluster}`);
        new Autoscaling(`${name}-autoscaling`, { service, provider }, { parent: this });
      }
    }

    this.uptimeCheckIds = uptime.checkIds;
    this.sloNames = sloNames;
    this.registerOutputs({ uptimeCheckIds: this.uptimeCheckIds, sloNames: this.sloNames });
  }
}

/** Channel names per severity to the channel resource names alert policies take. */
export function routeChannels(
  routes: Record<Severity, string[]>,
  channelIds: Record<string, pulumi.Input<string>>,
  file: string,
): Record<Severity, pulumi.Input<string>[]> {
  const resolve = (channel: string) => {
    const id = channelIds[channel];
    if (id === undefined) throw new Error(`${file}: channel ${channel} is not defined in the stack config`);
    return id;
  };
  return { page: routes.page.map(resolve), ticket: routes.ticket.map(resolve), info: routes.info.map(resolve) };
}
