/**
 * Platform alone under Pulumi's mocks: one notification channel per
 * configured channel, of the right type, with its credential only ever as a
 * secret, and one Kubernetes provider per cluster.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { PLATFORM_NAME, Platform } from "../../components/Platform";
import type { PlannedResource } from "../../plan/mockRuntime";
import { CHANNEL_SECRETS } from "../support/declarations";
import { GCP_PROJECT, expectOwnsEverything, named, recordComponent, resourceSetText, stackSettings, theComponent, valueOf } from "../support/components";

const TYPE = "monitoring-stack:platform:Platform";
const KUBECONFIG = "apiVersion: v1\nusers: [{ name: admin, user: { token: TOPSECRET-kube-token } }]\n";
const settings = stackSettings();

let resources: PlannedResource[];
let channelIds: Record<string, string>;

beforeAll(async () => {
  const run = await recordComponent(async () => {
    const platform = new Platform(PLATFORM_NAME, {
      project: GCP_PROJECT,
      environment: "test",
      channels: settings.channels,
      channelSecrets: { ...CHANNEL_SECRETS },
      clusters: [
        { cluster: "prod", context: "prod-admin" },
        { cluster: "batch", context: "gke_test-project_us-central1_batch" },
      ],
      kubeconfig: KUBECONFIG,
    });
    return Object.fromEntries(await Promise.all(Object.entries(platform.channelIds).map(async ([channel, id]) => [channel, await valueOf(id)] as const)));
  });
  resources = run.resources;
  channelIds = run.component;
});

describe("Platform alone", () => {
  it("registers the channels and the cluster providers (snapshot)", async () => {
    await expect(resourceSetText(resources, { omit: ["project"] })).toMatchFileSnapshot("../golden/components/Platform.txt");
  });

  it("owns every resource: platform-<channel> and platform-k8s-<cluster>", () => {
    expectOwnsEverything(resources, theComponent(resources, TYPE));
    expect(resources.filter((r) => r.type !== TYPE).map((r) => r.name).sort()).toEqual([
      ...Object.keys(settings.channels).map((channel) => `platform-${channel}`),
      "platform-k8s-batch",
      "platform-k8s-prod",
    ].sort());
    expect(channelIds).toEqual(Object.fromEntries(Object.keys(settings.channels).map((channel) => [channel, `projects/${GCP_PROJECT}/notificationChannels/platform-${channel}`])));
  });

  it("gives each kind of channel its type, and its credential only as a secret label", () => {
    expect(named(resources, "platform-sre-pager").inputs).toMatchObject({ type: "pagerduty", displayName: "SRE on-call", sensitiveLabels: "[secret]" });
    expect(named(resources, "platform-sre-slack").inputs).toMatchObject({ type: "slack", labels: { channel_name: "#sre-alerts" }, sensitiveLabels: "[secret]" });
    expect(named(resources, "platform-catalog-email").inputs).toMatchObject({ type: "email", labels: { email_address: "catalog-team@example.com" }, displayName: "catalog-email (test)" });
    expect(named(resources, "platform-catalog-email").inputs["sensitiveLabels"]).toBeUndefined();
    expect(named(resources, "platform-incident-webhook").inputs).toMatchObject({ type: "webhook_tokenauth", labels: "[secret]" });
  });

  it("never shows a credential or the kubeconfig, not even in the component's own inputs, though passed as plain text", () => {
    const text = JSON.stringify(resources);
    for (const secret of Object.values(CHANNEL_SECRETS)) expect(text).not.toContain(secret);
    expect(text).not.toContain("TOPSECRET");
    expect(named(resources, "platform-k8s-prod").inputs).toEqual({ context: "prod-admin", kubeconfig: "[secret]" });
  });
});
