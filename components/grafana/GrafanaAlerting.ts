/**
 * Grafana-managed alerting for a stack (`monitoring-stack:grafana.alerting: grafana`),
 * through the Grafana provider configured from the stack: a contact point per
 * channel the alerts reach (credentials from `monitoring-stack:channelSecrets`,
 * always secret), a mute timing per service with maintenance windows, the
 * organisation's notification policy tree, and the rule groups of every
 * service in its dashboard folder. What each holds is built by ./alerting.ts.
 */
import * as grafana from "@pulumiverse/grafana";
import * as pulumi from "@pulumi/pulumi";
import type { ChannelConfig, StackSettings } from "../../contract/stackConfig";
import type { GrafanaSettings } from "../../contract/grafanaConfig";
import type { ServiceModel } from "../../model/types";
import { withAliases } from "../renames/aliases";
import {
  contactPointArgs,
  hasGrafanaRules,
  muteTimingIntervals,
  muteTimingName,
  notificationPolicyTree,
  providerRule,
  stackGrafanaRuleGroups,
  usedChannels,
  type GrafanaAlertingContext,
} from "./managedAlerting";

export interface GrafanaAlertingArgs {
  /** The services of the stack; those with `prometheus` SLOs, threshold alerts or Loki log alerts get rules. Required. */
  services: readonly ServiceModel[];
  /** Grafana URL and organisation (`monitoring-stack:grafana`). Required. */
  grafana: GrafanaSettings;
  /** Service account token (`monitoring-stack:grafanaToken`); always handled as a secret. Required. */
  token: pulumi.Input<string>;
  /** Data sources, environment, dashboard links and evaluation settings. Required. */
  context: GrafanaAlertingContext;
  /** The stack's channels (`monitoring-stack:channels`). Required. */
  channels: Record<string, ChannelConfig>;
  /** The stack's default routes; the policy tree's default contact point is taken from them. Required. */
  routes: StackSettings["routes"];
  /** `monitoring-stack:channelSecrets`; each contact point reads its channel's entry as a secret. Default: none. */
  channelSecrets?: pulumi.Input<Record<string, string>>;
  /** Folder uids by folder name (from GrafanaDashboards): rule groups go to their service's dashboard folder. Required. */
  folderUids: Record<string, pulumi.Input<string>>;
}

export class GrafanaAlerting extends pulumi.ComponentResource {
  /** Names of the contact points, of the mute timings and of the rule groups created. */
  public readonly contactPoints: string[];
  public readonly muteTimings: string[];
  public readonly ruleGroups: string[];

  constructor(name: string, args: GrafanaAlertingArgs, opts?: pulumi.ComponentResourceOptions) {
    super("monitoring-stack:grafana:GrafanaAlerting", name, args, opts);
    const groups = stackGrafanaRuleGroups(args.services, args.context);
    const channels = usedChannels(args.services, args.context);
    const tree = notificationPolicyTree(args.services, { routes: args.routes }, args.context);
    for (const group of groups) {
      if (args.folderUids[group.folder] === undefined) throw new Error(`rule group ${group.group.title}: no Grafana folder ${group.folder}`);
    }
    const provider = new grafana.Provider(
      `${name}-provider`,
      { url: args.grafana.url, auth: pulumi.secret(args.token), ...(args.grafana.orgId !== undefined ? { orgId: args.grafana.orgId } : {}) },
      { parent: this },
    );
    const children = { parent: this, provider };
    const secrets = pulumi.output(args.channelSecrets ?? {});

    const contactPoints = channels.map((channel) => {
      const config = args.channels[channel];
      if (!config) throw new Error(`channel ${channel} is not defined in monitoring-stack:channels`);
      const credential = config.type === "email" ? undefined : pulumi.secret(secrets.apply((all) => all[channel] ?? ""));
      return new grafana.alerting.ContactPoint(`${name}-contact-${channel}`, contactPointArgs(channel, config, credential), children);
    });

    const withMaintenance = args.services.filter((s) => s.maintenance.length > 0 && hasGrafanaRules(s, args.context));
    const muteTimings = withMaintenance.map(
      (service) =>
        new grafana.alerting.MuteTiming(
          `${name}-mute-${service.name}`,
          { name: muteTimingName(service), intervals: muteTimingIntervals(service.maintenance) },
          withAliases(children, service.formerly.map((former) => `${name}-mute-${former}`)),
        ),
    );

    if (tree) {
      // One per organisation: it replaces the whole tree, so it is built once from every team.
      new grafana.alerting.NotificationPolicy(`${name}-policy`, tree, { ...children, dependsOn: [...contactPoints, ...muteTimings] });
    }

    for (const { service, folder, group } of groups) {
      const suffix = group.title.slice(service.name.length);
      const resourceName = (serviceName: string) => `${name}-${serviceName}${suffix}`;
      new grafana.alerting.RuleGroup(
        resourceName(service.name),
        { name: group.title, folderUid: args.folderUids[folder]!, intervalSeconds: group.interval, rules: group.rules.map(providerRule) },
        withAliases(children, service.formerly.map(resourceName)),
      );
    }

    this.contactPoints = channels;
    this.muteTimings = withMaintenance.map(muteTimingName);
    this.ruleGroups = groups.map((g) => g.group.title);
    this.registerOutputs({});
  }
}
