/**
 * Alerting: every alert policy notifies someone, and every SLO of a
 * critical-tier service can page a paging channel.
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { TYPE, isCriticalTier, labelsOf, owner, type ResourceLike, type StackResource } from "./support";

export interface NotifyConfig {
  /** Fewest notification channels an alert policy sends to. */
  minChannels: number;
}

export const alertsNotifySomeone: ResourceValidationPolicy = {
  name: "alerts-notify-someone",
  description: "Every alert policy sends its notifications to at least one channel (or the configured number).",
  enforcementLevel: "mandatory",
  configSchema: { properties: { minChannels: { type: "integer", minimum: 1, default: 1, description: "Fewest notification channels per alert policy." } } },
  validateResource: (args, report) => checkAlertNotifies(args, args.getConfig<NotifyConfig>(), report),
};

export function checkAlertNotifies(resource: ResourceLike, config: NotifyConfig, report: (message: string) => void): void {
  if (resource.type !== TYPE.alertPolicy) return;
  const channels = resource.props["notificationChannels"];
  if (!Array.isArray(channels)) return;
  if (channels.length === 0) {
    report(`${owner(resource)}: alert policy "${String(resource.props["displayName"])}" notifies nobody (no notification channels); route its severity to a channel.`);
  } else if (channels.length < config.minChannels) {
    report(`${owner(resource)}: alert policy "${String(resource.props["displayName"])}" notifies ${channels.length} channel(s); expected at least ${config.minChannels}.`);
  }
}

/** The configuration both paging policies take: which channel types page a person. */
const PAGING_CHANNEL_TYPES_SCHEMA = {
  properties: {
    pagingChannelTypes: { type: "array" as const, items: { type: "string" as const }, default: ["pagerduty"], description: "Channel types that page a person." },
  },
};

export interface CriticalPagesConfig {
  /** Notification channel types that reach a person at any hour. */
  pagingChannelTypes: string[];
}

export const criticalSlosPage: StackValidationPolicy = {
  name: "critical-slos-page",
  description: "Every SLO of a critical-tier service has a page-severity burn-rate alert that reaches a paging channel.",
  enforcementLevel: "mandatory",
  configSchema: PAGING_CHANNEL_TYPES_SCHEMA,
  validateStack: (args, report) => checkCriticalPages(args.resources, args.getConfig<CriticalPagesConfig>(), report),
};

export function checkCriticalPages(resources: readonly StackResource[], config: CriticalPagesConfig, report: (message: string, urn?: string) => void): void {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const pagesBySlo = new Map<string, StackResource[]>();
  for (const alert of resources.filter((r) => r.type === TYPE.alertPolicy && labelsOf(r.props)["severity"] === "page")) {
    const { service, slo } = labelsOf(alert.props);
    const key = `${service}/${slo}`;
    pagesBySlo.set(key, [...(pagesBySlo.get(key) ?? []), alert]);
  }
  for (const slo of resources.filter((r) => r.type === TYPE.slo && isCriticalTier(r.props))) {
    const { service, slo: name } = labelsOf(slo.props);
    const alerts = pagesBySlo.get(`${service}/${name}`) ?? [];
    if (alerts.length === 0) {
      report(`service ${service}: SLO ${name} is on the critical tier but nothing pages when its budget burns (paging is switched off); page on it or lower the tier.`, slo.urn);
      continue;
    }
    // Channels defined in another stack (read through a StackReference) have no type here: judged where they are defined.
    const channelTypes = alerts.flatMap((alert) =>
      (alert.propertyDependencies["notificationChannels"] ?? []).flatMap((dependency) => {
        const channel = byUrn.get(dependency.urn) ?? dependency;
        return channel.type === TYPE.channel ? [String(channel.props["type"])] : [];
      }),
    );
    const unseen = alerts.some((alert) => {
      const routed = alert.props["notificationChannels"];
      const fromHere = (alert.propertyDependencies["notificationChannels"] ?? []).filter((d) => (byUrn.get(d.urn) ?? d).type === TYPE.channel);
      return (Array.isArray(routed) ? routed.length : 1) > fromHere.length;
    });
    if (!channelTypes.some((type) => config.pagingChannelTypes.includes(type)) && !unseen) {
      report(`service ${service}: SLO ${name} pages only channels that do not page a person (expected one of type ${config.pagingChannelTypes.join(", ")}).`, slo.urn);
    }
  }
}

export const infoNeverPages: StackValidationPolicy = {
  name: "info-never-pages",
  description: "No alert policy of severity info notifies a channel that pages a person: info is reviewed once a day.",
  enforcementLevel: "mandatory",
  configSchema: PAGING_CHANNEL_TYPES_SCHEMA,
  validateStack: (args, report) => checkInfoNeverPages(args.resources, args.getConfig<CriticalPagesConfig>(), report),
};

export function checkInfoNeverPages(resources: readonly StackResource[], config: CriticalPagesConfig, report: (message: string, urn?: string) => void): void {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  for (const alert of resources.filter((r) => r.type === TYPE.alertPolicy && labelsOf(r.props)["severity"] === "info")) {
    // Channels defined in another stack (read through a StackReference) have no type here: the stack that defines them refuses paging info routes.
    for (const dependency of alert.propertyDependencies["notificationChannels"] ?? []) {
      const channel = byUrn.get(dependency.urn) ?? dependency;
      if (channel.type !== TYPE.channel || !config.pagingChannelTypes.includes(String(channel.props["type"]))) continue;
      const name = String(channel.props["displayName"] ?? channel.urn.split("::").pop());
      report(`${owner(alert)}: info alert policy "${String(alert.props["displayName"])}" notifies ${name}, a ${String(channel.props["type"])} channel that pages; route info to channels reviewed once a day.`, alert.urn);
    }
  }
}
