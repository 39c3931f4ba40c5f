/**
 * `monitoring-stack:kubernetes`: how the program reaches the cluster that
 * holds Kubernetes objects (rule objects, autoscalers). Both fields are
 * optional; with neither, the provider uses the ambient kubeconfig and its
 * current context.
 */
import { z } from "zod";
import { strict } from "./fields";

export const kubernetesConfigSchema = strict({
  /** kubeconfig context to use. Default: the kubeconfig's current context. */
  context: z.string({ error: "expected a kubeconfig context name" }).min(1, { error: "expected a kubeconfig context name" }).optional(),
  /** Path to a kubeconfig file, or its contents. Default: $KUBECONFIG or ~/.kube/config. */
  kubeconfig: z.string({ error: "expected a kubeconfig path or its contents" }).min(1, { error: "expected a kubeconfig path or its contents" }).optional(),
});

export type KubernetesConfig = z.output<typeof kubernetesConfigSchema>;
