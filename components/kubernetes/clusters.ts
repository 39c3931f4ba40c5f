/**
 * Which GKE clusters the program reaches and through which kubeconfig
 * context: one Kubernetes provider per cluster that a service with scaling
 * rules runs in.
 */
import type { ServiceModel } from "../../model/types";
import type { KubernetesConfig } from "../../contract/kubernetesConfig";

export interface ClusterConnection {
  /** Cluster name as services declare it. */
  cluster: string;
  /** kubeconfig context for it. */
  context: string;
}

/** The context `gcloud container clusters get-credentials` writes for a GKE cluster. */
export function gkeContext(project: string, location: string, cluster: string): string {
  return `gke_${project}_${location}_${cluster}`;
}

/** One connection per cluster that needs Kubernetes objects, sorted by cluster name. */
export function clusterConnections(services: readonly ServiceModel[], kubernetes: KubernetesConfig, project: string): ClusterConnection[] {
  const byCluster = new Map<string, ClusterConnection>();
  for (const service of services) {
    if (service.runtime.kind !== "gke" || !service.scaling || byCluster.has(service.runtime.cluster)) continue;
    const { cluster, location } = service.runtime;
    const own = kubernetes.clusters?.[cluster];
    const context = own?.context ?? (own?.project ? gkeContext(own.project, location, cluster) : (kubernetes.context ?? gkeContext(project, location, cluster)));
    byCluster.set(cluster, { cluster, context });
  }
  return [...byCluster.values()].sort((a, b) => a.cluster.localeCompare(b.cluster));
}
