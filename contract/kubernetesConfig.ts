/**
 * `monitoring-stack:kubernetes`: how the program reaches GKE clusters — the
 * one that holds Prometheus rule objects (`context`, else the kubeconfig's
 * current context) and each cluster services put autoscalers in (its entry
 * in `clusters`, else `context`, else the context `gcloud container clusters
 * get-credentials` writes: gke_<project>_<location>_<cluster>).
 */
import { z } from "zod";
import { dnsLabel, strict } from "./fields";

export const kubernetesConfigSchema = strict({
  /** kubeconfig context to use. Default: the kubeconfig's current context. */
  context: z.string({ error: "expected a kubeconfig context name" }).min(1, { error: "expected a kubeconfig context name" }).optional(),
  /** Path to a kubeconfig file, or its contents. Default: $KUBECONFIG or ~/.kube/config. */
  kubeconfig: z.string({ error: "expected a kubeconfig path or its contents" }).min(1, { error: "expected a kubeconfig path or its contents" }).optional(),
  /** Per-cluster settings, by the cluster name services declare. */
  clusters: z
    .record(
      dnsLabel,
      strict({
        context: z.string({ error: "expected a kubeconfig context name" }).min(1, { error: "expected a kubeconfig context name" }).optional(),
        project: z.string({ error: "expected the cluster's GCP project id" }).min(1, { error: "expected the cluster's GCP project id" }).optional(),
      }),
    )
    .optional(),
});

export type KubernetesConfig = z.output<typeof kubernetesConfigSchema>;
