/**
 * Stack-wide shared resources: the notification channels every service
 * routes its alerts to, and one Kubernetes provider per GKE cluster that
 * services put scaling rules in.
 */
import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterConnection } from "./kubernetes/clusters";
import type { ChannelConfig } from "../contract/stackConfig";

/** The Platform component's resource name in the stack program; channel resources are named `platform-<channel>`. */
export const PLATFORM_NAME = "platform";

export interface PlatformArgs {
  /** GCP project that holds the channels. Required. */
  project: string;
  /** Environment name, shown in channel display names and labels. Required. */
  environment: string;
  /** Channels by name, from `monitoring-stack:channels`. Default: none. */
  channels?: Record<string, ChannelConfig>;
  /**
   * Credentials by channel name (`monitoring-stack:channelSecrets`): Slack bot token,
   * PagerDuty integration key, webhook URL. Always handled as a Pulumi secret and
   * only ever placed in `sensitiveLabels` (or secret labels for webhook URLs).
   * Default: none.
   */
  channelSecrets?: pulumi.Input<Record<string, string>>;
  /** GKE clusters to reach, with their kubeconfig contexts. Default: none. */
  clusters?: ClusterConnection[];
  /** kubeconfig path or contents for every cluster, kept secret. Default: KUBECONFIG or ~/.kube/config. */
  kubeconfig?: pulumi.Input<string>;
}

export class Platform extends pulumi.ComponentResource {
  /** Channel resource names (`projects/P/notificationChannels/ID`) by channel name. */
  public readonly channelIds: Record<string, pulumi.Output<string>>;
  /** Kubernetes providers by cluster name. */
  public readonly kubernetesProviders: Record<string, k8s.Provider>;

  constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    // Component inputs are stored in the state too: credentials and kubeconfig contents are secrets there whatever the caller passed.
    super(
      "monitoring-stack:platform:Platform",
      name,
      {
        ...args,
        ...(args.channelSecrets !== undefined ? { channelSecrets: pulumi.secret(args.channelSecrets) } : {}),
        ...(args.kubeconfig !== undefined ? { kubeconfig: pulumi.secret(args.kubeconfig) } : {}),
      },
      opts,
    );
    const secrets = pulumi.secret(pulumi.output(args.channelSecrets ?? {}));
    const credential = (channel: string) => pulumi.secret(secrets.apply((all) => all[channel] ?? ""));
    const labels = { environment: args.environment, "managed-by": "monitoring-stack" };

    this.channelIds = {};
    for (const channel of Object.keys(args.channels ?? {}).sort()) {
      const config = args.channels![channel]!;
      const resource = new gcp.monitoring.NotificationChannel(
        `${name}-${channel}`,
        {
          project: args.project,
          displayName: config.displayName ?? `${channel} (${args.environment})`,
          userLabels: { ...labels, channel },
          ...channelInputs(config, () => credential(channel)),
        },
        { parent: this },
      );
      this.channelIds[channel] = resource.name;
    }
    this.kubernetesProviders = {};
    for (const { cluster, context } of args.clusters ?? []) {
      this.kubernetesProviders[cluster] = new k8s.Provider(
        `${name}-k8s-${cluster}`,
        { context, ...(args.kubeconfig !== undefined ? { kubeconfig: pulumi.secret(args.kubeconfig) } : {}) },
        { parent: this },
      );
    }
    this.registerOutputs({ channelIds: this.channelIds });
  }
}

type ChannelInputs = Pick<gcp.monitoring.NotificationChannelArgs, "type" | "labels" | "sensitiveLabels">;

/** The type, labels and sensitive labels Cloud Monitoring expects for each kind of channel. */
export function channelInputs(config: ChannelConfig, credential: () => pulumi.Output<string>): ChannelInputs {
  switch (config.type) {
    case "slack":
      return { type: "slack", labels: { channel_name: config.channel }, sensitiveLabels: { authToken: credential() } };
    case "pagerduty":
      return { type: "pagerduty", sensitiveLabels: { serviceKey: credential() } };
    case "email":
      return { type: "email", labels: { email_address: config.address } };
    case "webhook":
      // The URL of a token-auth webhook carries its token; the whole labels map is kept secret.
      return { type: "webhook_tokenauth", labels: pulumi.secret(credential().apply((url) => ({ url }))) };
  }
}
