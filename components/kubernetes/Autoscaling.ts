/**
 * Scaling rules for a GKE workload: an autoscaling/v2 HorizontalPodAutoscaler
 * (replica bounds, CPU and memory targets, a conservative scale-down) and,
 * when at least two replicas always run, a PodDisruptionBudget that keeps
 * node drains and upgrades from taking more than one pod at a time.
 *
 * Objects are built by pure functions and checked against the Kubernetes
 * OpenAPI schema (kubernetes-models) before any resource is created.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { HorizontalPodAutoscaler, type IHorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { PodDisruptionBudget, type IPodDisruptionBudget } from "kubernetes-models/policy/v1";
import { SCALE_DOWN_PERCENT_PER_MINUTE, SCALE_DOWN_STABILIZATION_SECONDS } from "../../model/scaling";
import type { ScalingModel } from "../../model/types";
import type { ServiceModel } from "../../model/types";

type Gke = Extract<ServiceModel["runtime"], { kind: "gke" }>;

export interface AutoscalingArgs {
  /** A GKE service with `scaling`. Required. */
  service: ServiceModel;
  /** Kubernetes provider for the service's cluster. Required. */
  provider: k8s.Provider;
}

export class Autoscaling extends pulumi.ComponentResource {
  constructor(name: string, args: AutoscalingArgs, opts?: pulumi.ComponentResourceOptions) {
    super("monitoring-stack:kubernetes:Autoscaling", name, args, opts);
    const { service } = args;
    const runtime = service.runtime;
    if (runtime.kind !== "gke" || !service.scaling) throw new Error(`${service.file}: Autoscaling needs a GKE service that declares scaling`);
    const hpa = horizontalPodAutoscaler(service, runtime, service.scaling);
    const pdb = service.scaling.disruptionBudget ? podDisruptionBudget(service, runtime) : undefined;
    validateObjects(service.file, [hpa, ...(pdb ? [pdb] : [])]);

    const childOpts = { parent: this, provider: args.provider };
    new k8s.autoscaling.v2.HorizontalPodAutoscaler(`${name}-hpa`, hpa as k8s.autoscaling.v2.HorizontalPodAutoscalerArgs, childOpts);
    if (pdb) new k8s.policy.v1.PodDisruptionBudget(`${name}-pdb`, pdb as k8s.policy.v1.PodDisruptionBudgetArgs, childOpts);
    this.registerOutputs({});
  }
}

/** Labels on the objects we create: the service's labels, which are valid Kubernetes labels too. */
function objectMetadata(service: ServiceModel, runtime: Gke) {
  return { name: runtime.workload, namespace: runtime.namespace, labels: { ...service.labels } };
}

export function horizontalPodAutoscaler(service: ServiceModel, runtime: Gke, scaling: ScalingModel): IHorizontalPodAutoscaler {
  return {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: objectMetadata(service, runtime),
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: runtime.workload },
      minReplicas: Math.max(1, scaling.minInstances),
      maxReplicas: scaling.maxInstances,
      metrics: [
        { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: scaling.cpuTargetPercent } } },
        { type: "Resource", resource: { name: "memory", target: { type: "Utilization", averageUtilization: scaling.memoryTargetPercent } } },
      ],
      behavior: {
        // Scale up at Kubernetes' default pace; scale down only after load stayed low for 10 minutes,
        // and then by at most a fifth of the replicas a minute, so a dip between waves does not drop capacity.
        scaleDown: {
          stabilizationWindowSeconds: SCALE_DOWN_STABILIZATION_SECONDS,
          selectPolicy: "Min",
          policies: [{ type: "Percent", value: SCALE_DOWN_PERCENT_PER_MINUTE, periodSeconds: 60 }],
        },
      },
    },
  };
}

export function podDisruptionBudget(service: ServiceModel, runtime: Gke): IPodDisruptionBudget {
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: objectMetadata(service, runtime),
    spec: {
      maxUnavailable: 1,
      selector: { matchLabels: { ...runtime.selector } },
    },
  };
}

/** Schema-checks Kubernetes objects; throws one error naming every problem. */
export function validateObjects(file: string, objects: ReadonlyArray<IHorizontalPodAutoscaler | IPodDisruptionBudget>): void {
  const problems: string[] = [];
  for (const object of objects) {
    try {
      (object.kind === "HorizontalPodAutoscaler" ? new HorizontalPodAutoscaler(object as IHorizontalPodAutoscaler) : new PodDisruptionBudget(object as IPodDisruptionBudget)).validate();
    } catch (error) {
      problems.push(`${object.kind} ${object.metadata?.namespace}/${object.metadata?.name}: ${(error as Error).message}`);
    }
  }
  if (problems.length > 0) throw new Error(`${file}: invalid Kubernetes objects:\n${problems.join("\n")}`);
}
