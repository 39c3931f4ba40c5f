/**
 * The rule objects of a stack in its Kubernetes cluster, through a provider
 * configured from the stack (`monitoring-stack:kubernetes`): per service with
 * `prometheus` indicators, one object per rule target (PrometheusRule, GMP
 * Rules or ClusterRules). With a PrometheusRule target, also the Alertmanager
 * configuration and the channel credentials it reads, as Secrets for an
 * Alertmanager run by the Prometheus Operator.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceModel } from "../../model/types";
import type { KubernetesConfig } from "../../contract/kubernetesConfig";
import { withAliases } from "../renames/aliases";
import type { PrometheusSettings } from "../../contract/prometheusConfig";
import { ruleObject, serviceTargets } from "./objects";
import type { RuleGroup } from "./ruleNames";

/** Secret with the channel credentials; an Alertmanager lists it in `spec.secrets`, mounted at /etc/alertmanager/secrets/<name>/. */
export const CHANNEL_SECRET_NAME = "monitoring-stack-channels";
/** Secret with alertmanager.yaml, the default `configSecret` of an Alertmanager named `monitoring-stack`. */
export const ALERTMANAGER_CONFIG_SECRET = "alertmanager-monitoring-stack";

export interface PrometheusRulesArgs {
  /** Services and their rule groups (services without prometheus SLOs are left out). Required. */
  rules: readonly { service: ServiceModel; groups: RuleGroup[] }[];
  /** Targets, namespace and labels (`monitoring-stack:prometheus`). Required. */
  settings: PrometheusSettings;
  /** The cluster (`monitoring-stack:kubernetes`). Required. */
  kubernetes: KubernetesConfig;
  /** The generated alertmanager.yml, stored for a Prometheus Operator Alertmanager. Default: none. */
  alertmanagerConfig?: string;
  /** Credentials by channel name for the channels Alertmanager reads; always handled as a secret. Default: none. */
  channelSecrets?: pulumi.Input<Record<string, string>>;
}

export class PrometheusRules extends pulumi.ComponentResource {
  constructor(name: string, args: PrometheusRulesArgs, opts?: pulumi.ComponentResourceOptions) {
    // Component inputs are stored in the state too: credentials and kubeconfig contents are secrets there whatever the caller passed.
    super("monitoring-stack:prometheus:PrometheusRules", name, withSecretInputs(args), opts);
    const { settings } = args;
    const provider = new k8s.Provider(
      `${name}-provider`,
      {
        ...(args.kubernetes.context ? { context: args.kubernetes.context } : {}),
        // A kubeconfig's contents may hold credentials: kept secret.
        ...(args.kubernetes.kubeconfig ? { kubeconfig: pulumi.secret(args.kubernetes.kubeconfig) } : {}),
      },
      { parent: this },
    );
    const children = { parent: this, provider };
    for (const { service, groups } of args.rules) {
      for (const target of serviceTargets(service, settings)) {
        const object = ruleObject(target, service, groups, settings);
        const resourceName = (serviceName: string) => `${name}-${serviceName}-${target}`;
        new k8s.apiextensions.CustomResource(resourceName(service.name), object, withAliases(children, service.formerly.map(resourceName)));
      }
    }
    if (settings.ruleTargets.includes("prometheusRule") && args.alertmanagerConfig !== undefined) {
      const metadata = (secretName: string) => ({ name: secretName, namespace: settings.namespace, labels: { "app.kubernetes.io/managed-by": "monitoring-stack" } });
      new k8s.core.v1.Secret(`${name}-alertmanager-config`, { metadata: metadata(ALERTMANAGER_CONFIG_SECRET), stringData: { "alertmanager.yaml": args.alertmanagerConfig } }, children);
      new k8s.core.v1.Secret(
        `${name}-channel-credentials`,
        { metadata: metadata(CHANNEL_SECRET_NAME), stringData: pulumi.secret(pulumi.output(args.channelSecrets ?? {})) },
        children,
      );
    }
    this.registerOutputs({});
  }
}

/** The component's own inputs with the channel credentials and the kubeconfig marked secret. */
function withSecretInputs(args: PrometheusRulesArgs): pulumi.Inputs {
  return {
    ...args,
    kubernetes: { ...args.kubernetes, ...(args.kubernetes.kubeconfig !== undefined ? { kubeconfig: pulumi.secret(args.kubernetes.kubeconfig) } : {}) },
    ...(args.channelSecrets !== undefined ? { channelSecrets: pulumi.secret(args.channelSecrets) } : {}),
  };
}
