/**
 * Baseline: the raw Pulumi SDK registering the very resources a plan
 * produced — same types, names and inputs — with no validation, no model,
 * no recording and nothing written, under the same mocks and runtime
 * settings as the offline plan (frameless stack traces, one service's
 * registrations at a time). What is left is what Pulumi itself costs.
 *
 *   node --import tsx bench/cases/rawSdk.ts graph WORKLOAD.json   the same resource graph: our component resources too, same parents
 *   node --import tsx bench/cases/rawSdk.ts cloud WORKLOAD.json   only the cloud resources, flat (what the components cost shows as the difference)
 */
import { readFileSync } from "node:fs";
import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as grafana from "@pulumiverse/grafana";
import { computedOutputs } from "../../plan/mockRuntime";
import { withoutStackTraces } from "../../plan/stackTraces";
import type { Workload, WorkloadResource } from "../workload";

type ResourceClass = new (name: string, args: never, opts?: pulumi.CustomResourceOptions) => pulumi.Resource;

const CLASSES: Record<string, ResourceClass> = {
  "gcp:monitoring/notificationChannel:NotificationChannel": gcp.monitoring.NotificationChannel,
  "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig": gcp.monitoring.UptimeCheckConfig,
  "gcp:monitoring/alertPolicy:AlertPolicy": gcp.monitoring.AlertPolicy,
  "gcp:monitoring/customService:CustomService": gcp.monitoring.CustomService,
  "gcp:monitoring/slo:Slo": gcp.monitoring.Slo,
  "gcp:logging/projectBucketConfig:ProjectBucketConfig": gcp.logging.ProjectBucketConfig,
  "gcp:logging/projectSink:ProjectSink": gcp.logging.ProjectSink,
  "gcp:logging/metric:Metric": gcp.logging.Metric,
  "gcp:bigquery/datasetIamMember:DatasetIamMember": gcp.bigquery.DatasetIamMember,
  "gcp:storage/bucket:Bucket": gcp.storage.Bucket,
  "gcp:storage/bucketIAMMember:BucketIAMMember": gcp.storage.BucketIAMMember,
  "gcp:pubsub/topicIAMMember:TopicIAMMember": gcp.pubsub.TopicIAMMember,
  "gcp:projects/iAMMember:IAMMember": gcp.projects.IAMMember,
  "gcp:backupdisasterrecovery/backupVault:BackupVault": gcp.backupdisasterrecovery.BackupVault,
  "gcp:backupdisasterrecovery/backupPlan:BackupPlan": gcp.backupdisasterrecovery.BackupPlan,
  "gcp:backupdisasterrecovery/backupPlanAssociation:BackupPlanAssociation": gcp.backupdisasterrecovery.BackupPlanAssociation,
  "grafana:oss/dashboard:Dashboard": grafana.oss.Dashboard,
  "grafana:oss/folder:Folder": grafana.oss.Folder,
  "pulumi:providers:grafana": grafana.Provider,
  "pulumi:providers:kubernetes": k8s.Provider,
  "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": k8s.autoscaling.v2.HorizontalPodAutoscaler,
  "kubernetes:policy/v1:PodDisruptionBudget": k8s.policy.v1.PodDisruptionBudget,
  "kubernetes:core/v1:Secret": k8s.core.v1.Secret,
  "kubernetes:monitoring.coreos.com/v1:PrometheusRule": k8s.apiextensions.CustomResource,
  "kubernetes:monitoring.googleapis.com/v1:Rules": k8s.apiextensions.CustomResource,
  "kubernetes:monitoring.googleapis.com/v1:ClusterRules": k8s.apiextensions.CustomResource,
};

/** A component resource of the given type that, like ours, registers (empty) outputs when built. */
class Component extends pulumi.ComponentResource {
  constructor(type: string, name: string, opts: pulumi.ComponentResourceOptions) {
    super(type, name, {}, opts);
    this.registerOutputs({});
  }
}

async function main(mode: string, file: string): Promise<void> {
  if (mode !== "graph" && mode !== "cloud") throw new Error(`invalid mode (got ${JSON.stringify(mode)}, expected graph or cloud)`);
  const workload = JSON.parse(readFileSync(file, "utf8")) as Workload;
  process.env["PULUMI_NODEJS_SKIP_COMPONENT_INPUTS"] = "true";
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: `${args.name}-id`, state: { ...args.inputs, ...computedOutputs(args.type, args.name, args.inputs) } }),
      call: (args) => args.inputs,
    },
    "monitoring-stack",
    "bench",
    true,
  );
  let registered = 0;
  const registerAll = (list: readonly WorkloadResource[]) => {
    const built: pulumi.Resource[] = [];
    list.forEach((resource, index) => {
      const opts = mode === "graph" && resource.parent !== undefined ? { parent: built[resource.parent]! } : {};
      if (resource.component) {
        if (mode === "graph") {
          built[index] = new Component(resource.type, resource.name, opts);
          registered++;
        }
        return;
      }
      const Class = CLASSES[resource.type];
      if (!Class) throw new Error(`no resource class for ${resource.type}`);
      built[index] = new Class(resource.name, resource.inputs as never, opts);
      registered++;
    });
  };
  await withoutStackTraces(async () => {
    registerAll(workload.shared);
    for (const service of workload.services) {
      registerAll(service.resources);
      await new Promise((resolve) => setImmediate(resolve));
    }
  });
  await pulumi.runtime.disconnect();
  process.stdout.write(`${JSON.stringify({ resources: registered })}\n`);
}

main(process.argv[2] ?? "", process.argv[3] ?? "").catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
