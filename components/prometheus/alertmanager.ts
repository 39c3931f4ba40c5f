/**
 * An Alertmanager configuration that routes the alerts of the Prometheus
 * rules: per service, `severity="page"` to its page channels and
 * `severity="ticket"` to its ticket channels (the same routes as the Cloud
 * Monitoring alerts). Credentials are never written: receivers read them from
 * one file per channel under `secretsDir` (`routing_key_file`, a bearer
 * `credentials_file`), which DevOps mount from a Kubernetes Secret.
 *
 * Targets Alertmanager 0.25 and later (what `amtool check-config` here checks).
 */
import { stringify } from "yaml";
import type { ServiceModel } from "../../model/types";
import type { Severity } from "../../contract/serviceSchema";
import type { ChannelConfig, StackSettings } from "../../contract/stackConfig";
import { evaluatesAnyOf } from "../../model/placement";
import { DELIVERY } from "../../model/delivery";

/** Receiver for alerts no route claims: they are dropped (each service routes its own). */
export const UNROUTED = "unrouted";
/** Slack's Web API: a bot token (xoxb-...) posts through chat.postMessage. */
export const SLACK_POST_MESSAGE = "https://slack.com/api/chat.postMessage";
/** How the root route groups notifications: the first after 30 s, changes every 5 min; the backtest replays the same. */
export const GROUP_TIMING = { group_wait: "30s", group_interval: "5m" } as const;

export interface SkippedReceiver {
  service: string;
  channel: string;
  reason: string;
}

export interface AlertmanagerPlan {
  config: Record<string, unknown>;
  /** Channels a service routes to that Alertmanager cannot reach, and why; the plan lists them. */
  skipped: SkippedReceiver[];
}

/** Path of the file holding a channel's credential, as Alertmanager reads it. */
export function credentialFile(settings: StackSettings, channel: string): string {
  return `${settings.prometheus.secretsDir}/${channel}`;
}

/** Why Alertmanager cannot deliver to a channel, or undefined when it can. */
export function unreachable(channel: ChannelConfig, settings: Pick<StackSettings, "prometheus">): string | undefined {
  if (channel.type === "webhook") return "a webhook's URL carries its token and Alertmanager 0.25 cannot read a webhook URL from a file";
  if (channel.type === "email" && !settings.prometheus.smtp) return "no SMTP relay is configured (monitoring-stack:prometheus.alertmanager.smtp)";
  return undefined;
}

function receiver(name: string, channel: ChannelConfig, settings: StackSettings): Record<string, unknown> {
  switch (channel.type) {
    case "slack":
      return {
        name,
        slack_configs: [
          {
            api_url: SLACK_POST_MESSAGE,
            channel: channel.channel,
            send_resolved: true,
            title: '{{ .CommonLabels.severity | toUpper }} {{ .CommonAnnotations.summary }}',
            text: "{{ range .Alerts }}{{ .Annotations.description }}\n{{ end }}",
            http_config: { authorization: { type: "Bearer", credentials_file: credentialFile(settings, name) } },
          },
        ],
      };
    case "pagerduty":
      return { name, pagerduty_configs: [{ routing_key_file: credentialFile(settings, name), send_resolved: true, description: "{{ .CommonAnnotations.summary }}" }] };
    case "email":
      return { name, email_configs: [{ to: channel.address, send_resolved: true }] };
    case "webhook":
      throw new Error(`channel ${name}: webhook receivers are not generated`);
  }
}

export function alertmanagerPlan(services: readonly ServiceModel[], settings: StackSettings): AlertmanagerPlan {
  const skipped: SkippedReceiver[] = [];
  const used = new Set<string>();
  const routes: Record<string, unknown>[] = [];
  for (const service of services) {
    if (!evaluatesAnyOf(service, "prometheus")) continue;
    // Info routes only where Prometheus raises info alerts: a digest route for nothing would only add noise to the file.
    const severities: Severity[] = ["page", "ticket", ...(service.alerts.some((alert) => alert.severity === "info" && alert.evaluator === "prometheus") ? (["info"] as const) : [])];
    const severityRoutes = severities.map((severity) => {
      const channels = service.routes[severity].filter((name) => {
        const reason = unreachable(settings.channels[name]!, settings);
        if (reason) skipped.push({ service: service.name, channel: name, reason });
        return reason === undefined;
      });
      channels.forEach((name) => used.add(name));
      const delivery = DELIVERY[severity];
      return {
        matchers: [`severity="${severity}"`],
        // Info: one digest per service per day (model/delivery.ts).
        ...(delivery.groupBy ? { group_by: delivery.groupBy, group_wait: delivery.groupWait, group_interval: delivery.groupInterval } : {}),
        repeat_interval: delivery.repeatInterval,
        // Every channel gets the alert: each child matches and continues to the next.
        routes: channels.map((name) => ({ receiver: name, continue: true })),
      };
    });
    routes.push({ matchers: [`service="${service.name}"`], routes: severityRoutes });
  }
  const smtp = settings.prometheus.smtp;
  const config = {
    global: {
      resolve_timeout: "5m",
      ...(smtp ? { smtp_smarthost: smtp.smarthost, smtp_from: smtp.from, smtp_require_tls: true } : {}),
    },
    route: {
      receiver: UNROUTED,
      group_by: ["alertname", "service", "slo", "severity"],
      ...GROUP_TIMING,
      repeat_interval: "4h",
      routes,
    },
    // A page suppresses the ticket of the same SLO while both fire.
    inhibit_rules: [
      {
        source_matchers: ['severity="page"', 'alertname="SLOErrorBudgetBurn"'],
        target_matchers: ['severity="ticket"', 'alertname="SLOErrorBudgetBurn"'],
        equal: ["service", "slo"],
      },
    ],
    receivers: [{ name: UNROUTED }, ...[...used].sort().map((name) => receiver(name, settings.channels[name]!, settings))],
  };
  return { config, skipped };
}

/** alertmanager.yml text: byte-identical for the same input, no credential in it. */
export function renderAlertmanagerConfig(plan: AlertmanagerPlan, settings: StackSettings): string {
  const header = [
    "# Alertmanager configuration for the Prometheus SLO alerts, generated by monitoring-stack. Do not edit.",
    `# Credentials are read from one file per channel under ${settings.prometheus.secretsDir}/ (see docs/prometheus.md).`,
    ...plan.skipped.map((s) => `# ${s.service}: channel ${s.channel} is not routed here: ${s.reason}.`),
    "# Check with: amtool check-config alertmanager.yml",
  ].join("\n");
  return `${header}\n${stringify(plan.config, { lineWidth: 0, aliasDuplicateObjects: false })}`;
}
