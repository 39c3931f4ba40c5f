/**
 * Notification channels, in every plan the repository makes, against
 * google/monitoring/v3/notification.proto (googleapis), the channel
 * descriptors (projects.notificationChannelDescriptors) and
 * mmv1/products/monitoring/NotificationChannel.yaml with its
 * constants/monitoring_notification_channel.go.tmpl (magic-modules).
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { channelInputs } from "../../../../components/Platform";
import { PLAN_TIMEOUT_MS, TYPE, resourcesOfType, where, type Planned } from "./plans";
import { userLabelProblems } from "./rules";

let channels: Planned[];
const inputs = (p: Planned) => p.resource.inputs as Record<string, any>;
const breaches = (check: (p: Planned) => string[]) => channels.flatMap((p) => check(p).map((problem) => `${where(p)}: ${problem}`));

beforeAll(async () => {
  channels = await resourcesOfType(TYPE.channel);
}, PLAN_TIMEOUT_MS);

/**
 * Label keys each channel type must have, from the channel descriptors
 * ("The set of labels that must be defined for this channel type"):
 * `gcloud beta monitoring channel-descriptors describe <type>`. The
 * credential keys are the provider's sensitive labels.
 */
const REQUIRED_LABELS: Record<string, { labels: string[]; sensitive: string[] }> = {
  email: { labels: ["email_address"], sensitive: [] },
  slack: { labels: ["channel_name"], sensitive: ["auth_token"] },
  pagerduty: { labels: [], sensitive: ["service_key"] },
  webhook_tokenauth: { labels: ["url"], sensitive: [] },
};

/** constants/monitoring_notification_channel.go.tmpl: `var sensitiveLabels = []string{"auth_token", "service_key", "password"}` (camelCase in the Pulumi schema). */
const SENSITIVE = { auth_token: "authToken", service_key: "serviceKey", password: "password" } as const;

const resolved = <T>(output: pulumi.Input<T> | undefined): Promise<T | undefined> => new Promise((resolve) => (output === undefined ? resolve(undefined) : pulumi.output(output).apply((value) => resolve(value as T))));

describe("notification channels", () => {
  it("covers every channel type the stacks use (the walk works)", () => {
    expect(new Set(channels.map((p) => inputs(p)["type"]))).toEqual(new Set(Object.keys(REQUIRED_LABELS)));
  });

  it("plain labels carry the descriptor's keys; credentials appear only as [secret]", () => {
    // NotificationChannel.yaml labels: "Labels with sensitive data are obfuscated by the API" — credentials must never be plain labels.
    expect(
      breaches((p) => {
        const { type, labels, sensitiveLabels } = inputs(p);
        const need = REQUIRED_LABELS[type];
        if (!need) return [`type ${type}`];
        if (labels === "[secret]") return type === "webhook_tokenauth" ? [] : ["labels secret for a type without a secret URL"];
        return [
          ...need.labels.filter((key) => typeof labels?.[key] !== "string" || labels[key].length === 0).map((key) => `missing label ${key}`),
          ...Object.keys(labels ?? {}).filter((key) => key in SENSITIVE).map((key) => `credential ${key} in plain labels`),
          ...(need.sensitive.length > 0 && sensitiveLabels !== "[secret]" ? [`sensitiveLabels ${JSON.stringify(sensitiveLabels)}`] : []),
        ];
      }),
    ).toEqual([]);
  });

  it("the channel builder puts each credential under its sensitive key, and a token-auth URL in secret labels", async () => {
    // Sensitive labels and labels may not both set a key: "Sensitive label %q cannot be set at the same time as label %q." (monitoring_notification_channel.go.tmpl)
    const credential = () => pulumi.output("credential");
    const slack = channelInputs({ type: "slack", channel: "#alerts" } as never, credential);
    expect(Object.keys((await resolved(slack.sensitiveLabels)) ?? {})).toEqual([SENSITIVE.auth_token]);
    expect(await resolved(slack.labels)).toEqual({ channel_name: "#alerts" });
    const pagerduty = channelInputs({ type: "pagerduty" } as never, credential);
    expect(Object.keys((await resolved(pagerduty.sensitiveLabels)) ?? {})).toEqual([SENSITIVE.service_key]);
    const webhook = channelInputs({ type: "webhook" } as never, () => pulumi.output("https://hooks.example.com/?token=t"));
    expect(webhook.sensitiveLabels).toBeUndefined();
    expect(await pulumi.isSecret(pulumi.output(webhook.labels))).toBe(true);
  });

  it("labels follow the user-label rule", () => {
    // notification.proto NotificationChannel.user_labels: the same rule as alert policies (see rules.ts).
    expect(breaches((p) => userLabelProblems(inputs(p)["userLabels"]))).toEqual([]);
  });
});
