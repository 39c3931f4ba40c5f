/**
 * LogPipeline alone under Pulumi's mocks: a log bucket kept for the declared
 * time and its routing sink, export sinks whose writer identities are granted
 * on their own destination only, and log-based metrics with their alerts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { LogPipeline, SINK_WRITER_ROLE } from "../../../components/gcp/LogPipeline";
import type { PlannedResource } from "../../../plan/mockRuntime";
import { SEVERITY_CHANNELS, GCP_PROJECT, expectOwnsEverything, named, recordComponent, resourceSetText, serviceFrom, theComponent } from "../../support/components";

const TYPE = "monitoring-stack:gcp:LogPipeline";

const service = serviceFrom({
  name: "web",
  runtime: { cloudRun: { service: "web", region: "europe-west1" } },
  logs: {
    retentionDays: 90,
    exclude: ["healthChecks"],
    sinks: [
      { name: "audit", filter: "severity>=WARNING", destination: { bigquery: { dataset: "web_audit" } } },
      { name: "archive", destination: { storage: { bucket: "web-log-archive", retentionDays: 365 } } },
      { name: "stream", destination: { pubsub: { topic: "web-logs" } } },
    ],
    metrics: [
      { name: "payment-failures", filter: 'jsonPayload.event="payment_failed"', alert: { above: 5, per: "5m", severity: "page" } },
      { name: "retries", filter: 'jsonPayload.event="retry"' },
    ],
  },
});

let resources: PlannedResource[];

beforeAll(async () => {
  resources = (await recordComponent(() => new LogPipeline("web-logs", { service, project: GCP_PROJECT, channels: SEVERITY_CHANNELS, bucketLocation: "europe-west1", exportLocation: "EU" }))).resources;
});

describe("LogPipeline alone", () => {
  it("registers the bucket, the sinks with their grants, the metrics and their alerts (snapshot)", async () => {
    await expect(resourceSetText(resources, { omit: ["project", "labels", "userLabels"] })).toMatchFileSnapshot("../../golden/components/LogPipeline.txt");
  });

  it("owns every resource, named after the component and the sink or metric", () => {
    expectOwnsEverything(resources, theComponent(resources, TYPE));
    expect(resources.filter((r) => r.type !== TYPE).map((r) => r.name).sort()).toEqual([
      "web-logs-archive",
      "web-logs-archive-bucket",
      "web-logs-archive-writer",
      "web-logs-audit",
      "web-logs-audit-writer",
      "web-logs-bucket",
      "web-logs-payment-failures",
      "web-logs-payment-failures-alert",
      "web-logs-retries",
      "web-logs-stream",
      "web-logs-stream-writer",
      "web-logs-to-bucket",
    ]);
  });

  it("keeps the log bucket and the export bucket (and what they hold) when they leave the program, and nothing else needs to be", () => {
    expect(resources.filter((r) => r.retainOnDelete).map((r) => r.name).sort()).toEqual(["web-logs-archive-bucket", "web-logs-bucket"]);
    expect(named(resources, "web-logs-bucket").inputs).toMatchObject({ retentionDays: 90, location: "europe-west1", bucketId: "web-logs" });
    expect(named(resources, "web-logs-archive-bucket").inputs).toMatchObject({ location: "EU", forceDestroy: false, publicAccessPrevention: "enforced" });
  });

  it("grants each sink's writer identity on its destination only, with the narrowest role", () => {
    // The mocks make up each sink's writer identity from its sink name: the grant must use that very identity.
    const writer = (sinkName: string) => `serviceAccount:${sinkName}.sink-writer@stand-in.invalid`;
    expect(named(resources, "web-logs-audit-writer")).toMatchObject({ type: "gcp:bigquery/datasetIamMember:DatasetIamMember", inputs: { datasetId: "web_audit", role: SINK_WRITER_ROLE.bigquery } });
    expect(named(resources, "web-logs-archive-writer")).toMatchObject({ type: "gcp:storage/bucketIAMMember:BucketIAMMember", inputs: { bucket: "web-log-archive", role: SINK_WRITER_ROLE.storage } });
    expect(named(resources, "web-logs-stream-writer")).toMatchObject({ type: "gcp:pubsub/topicIAMMember:TopicIAMMember", inputs: { topic: "web-logs", role: SINK_WRITER_ROLE.pubsub } });
    for (const sink of ["audit", "archive", "stream"]) {
      expect(named(resources, `web-logs-${sink}`).inputs).toMatchObject({ uniqueWriterIdentity: true });
      expect(named(resources, `web-logs-${sink}-writer`).inputs["member"]).toBe(writer(named(resources, `web-logs-${sink}`).inputs["name"] as string));
    }
    expect(resources.some((r) => r.type.startsWith("gcp:projects/"))).toBe(false);
  });

  it("alerts only on the metric that declares an alert, at its severity", () => {
    expect(named(resources, "web-logs-payment-failures-alert").inputs).toMatchObject({ severity: "CRITICAL", notificationChannels: SEVERITY_CHANNELS.page });
    expect(resources.some((r) => r.name === "web-logs-retries-alert")).toBe(false);
  });

  it("retainData: false lets the buckets go with the program", async () => {
    const run = await recordComponent(() => new LogPipeline("web-logs", { service, project: GCP_PROJECT, channels: SEVERITY_CHANNELS, retainData: false }));
    expect(run.resources.filter((r) => r.retainOnDelete)).toEqual([]);
    expect(named(run.resources, "web-logs-bucket").inputs["location"]).toBe("global");
  });
});
