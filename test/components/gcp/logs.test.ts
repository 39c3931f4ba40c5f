/**
 * LogPipeline through the offline plan: buckets and retention, the filters
 * that pick a service's entries per runtime, exports and the narrowest grant
 * of each sink's writer identity, log-based metrics and their alerts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { PlannedResource } from "../../../plan/mockRuntime";
import { HEALTH_CHECK_FILTER, podLabelLogKey, runtimeLogFilter } from "../../../model/logs";
import { byName, ofType } from "../../plan/helpers";
import { opsPlan } from "./operationsFixture";

let resources: PlannedResource[];
let planText: string;
beforeAll(async () => {
  const outcome = await opsPlan();
  resources = outcome.plan.resources;
  planText = JSON.stringify(outcome.plan);
});

const SINK = "gcp:logging/projectSink:ProjectSink";

describe("log buckets", () => {
  it("keeps each service's entries for the declared days (30 by default) where the stack says, and retains the bucket on delete", () => {
    const shop = byName(resources, "shop-api-logs-bucket");
    expect(shop.inputs).toMatchObject({ bucketId: "shop-api-logs", retentionDays: 400, location: "europe-west1", project: "ops-project" });
    expect(shop.retainOnDelete).toBe(true);
    expect(byName(resources, "cart-logs-bucket").inputs).toMatchObject({ bucketId: "cart-logs", retentionDays: 14 });
    expect(byName(resources, "reports-logs-bucket").inputs).toMatchObject({ retentionDays: 30 });
  });

  it("routes only the service's own entries into its bucket, with no grant needed in the same project", () => {
    expect(byName(resources, "shop-api-logs-to-bucket").inputs).toMatchObject({
      name: "shop-api-logs",
      destination: "logging.googleapis.com/projects/ops-project/locations/europe-west1/buckets/shop-api-logs",
      filter: 'resource.type="cloud_run_revision" AND resource.labels.service_name="shop-api" AND resource.labels.location="europe-west1"',
    });
    expect(byName(resources, "cart-logs-to-bucket").inputs["filter"]).toBe(
      'resource.type="k8s_container" AND resource.labels.cluster_name="prod-eu" AND resource.labels.location="europe-west1-b" AND resource.labels.namespace_name="shop" AND labels."k8s-pod/app_kubernetes_io/name"="cart"',
    );
    expect(byName(resources, "reports-logs-to-bucket").inputs["filter"]).toBe('logName="projects/ops-project/logs/reports"');
    const grantsToBuckets = resources.filter((r) => r.name.endsWith("-to-bucket-writer"));
    expect(grantsToBuckets).toEqual([]);
  });

  it("drops health-check requests only where declared, in every sink of the service", () => {
    const exclusion = { name: "health-checks", filter: HEALTH_CHECK_FILTER };
    for (const name of ["shop-api-logs-to-bucket", "shop-api-logs-errors-to-bq", "shop-api-logs-audit-archive", "shop-api-logs-siem", "reports-logs-to-bucket"]) {
      expect(byName(resources, name).inputs["exclusions"], name).toEqual([expect.objectContaining(exclusion)]);
    }
    expect(byName(resources, "cart-logs-to-bucket").inputs["exclusions"]).toEqual([]);
    expect(HEALTH_CHECK_FILTER).toMatch(/GoogleStackdriverMonitoring-UptimeChecks/);
    expect(HEALTH_CHECK_FILTER).toMatch(/kube-probe/);
  });

  it("derives the runtime filter from the model: pod label keys as GKE writes them", () => {
    expect(podLabelLogKey("app.kubernetes.io/name")).toBe("k8s-pod/app_kubernetes_io/name");
    expect(runtimeLogFilter({ kind: "external" })).toBeUndefined();
  });
});

describe("exports", () => {
  it("narrows each sink to the service's entries and writes partitioned tables to BigQuery", () => {
    expect(byName(resources, "shop-api-logs-errors-to-bq").inputs).toMatchObject({
      name: "shop-api-errors-to-bq",
      destination: "bigquery.googleapis.com/projects/ops-project/datasets/shop_logs",
      filter: '(resource.type="cloud_run_revision" AND resource.labels.service_name="shop-api" AND resource.labels.location="europe-west1") AND (severity>=ERROR)',
      bigqueryOptions: { usePartitionedTables: true },
      uniqueWriterIdentity: true,
    });
    expect(byName(resources, "shop-api-logs-audit-archive").inputs).toMatchObject({ destination: "storage.googleapis.com/acme-shop-api-audit" });
    expect(byName(resources, "shop-api-logs-siem").inputs).toMatchObject({ destination: "pubsub.googleapis.com/projects/ops-project/topics/siem-ingest" });
  });

  it("grants each writer identity the narrowest role on its own destination, never on the project", () => {
    const writer = (sink: string) => `serviceAccount:shop-api-${sink}.sink-writer@stand-in.invalid`;
    expect(byName(resources, "shop-api-logs-errors-to-bq-writer")).toMatchObject({
      type: "gcp:bigquery/datasetIamMember:DatasetIamMember",
      inputs: { datasetId: "shop_logs", role: "roles/bigquery.dataEditor", member: writer("errors-to-bq"), project: "ops-project" },
    });
    expect(byName(resources, "shop-api-logs-audit-archive-writer")).toMatchObject({
      type: "gcp:storage/bucketIAMMember:BucketIAMMember",
      inputs: { bucket: "acme-shop-api-audit", role: "roles/storage.objectCreator", member: writer("audit-archive") },
    });
    expect(byName(resources, "shop-api-logs-siem-writer")).toMatchObject({
      type: "gcp:pubsub/topicIAMMember:TopicIAMMember",
      inputs: { topic: "siem-ingest", role: "roles/pubsub.publisher", member: writer("siem") },
    });
    const sinkWritersOnProject = ofType(resources, "gcp:projects/iAMMember:IAMMember").filter((r) => String(r.inputs["member"]).includes("sink-writer"));
    expect(sinkWritersOnProject).toEqual([]);
    expect(ofType(resources, "gcp:projects/iAMBinding:IAMBinding")).toEqual([]);
    expect(ofType(resources, SINK)).toHaveLength(3 + 3);
  });

  it("creates the Cloud Storage bucket private, kept and then deleted after the declared days, retained on delete", () => {
    const bucket = byName(resources, "shop-api-logs-audit-archive-bucket");
    expect(bucket.inputs).toMatchObject({
      name: "acme-shop-api-audit",
      location: "EU",
      uniformBucketLevelAccess: true,
      publicAccessPrevention: "enforced",
      forceDestroy: false,
      retentionPolicy: { retentionPeriod: String(2555 * 86400) },
      lifecycleRules: [{ action: { type: "Delete" }, condition: { age: 2555 } }],
    });
    expect(bucket.retainOnDelete).toBe(true);
  });
});

describe("log-based metrics", () => {
  it("counts the service's matching entries under <service>/<metric>", () => {
    expect(byName(resources, "shop-api-logs-payment-failures").inputs).toMatchObject({
      name: "shop-api/payment-failures",
      filter: '(resource.type="cloud_run_revision" AND resource.labels.service_name="shop-api" AND resource.labels.location="europe-west1") AND (jsonPayload.event="payment_failed")',
      metricDescriptor: { metricKind: "DELTA", valueType: "INT64" },
    });
  });

  it("alerts only where declared: more than `above` per `per`, routed by severity", () => {
    const alert = byName(resources, "shop-api-logs-payment-failures-alert").inputs;
    expect(alert).toMatchObject({
      severity: "CRITICAL",
      notificationChannels: ["projects/ops-project/notificationChannels/platform-oncall-pager"],
      conditions: [
        {
          // PromQL, so the condition can be created in the same apply as its log-based metric.
          conditionPrometheusQueryLanguage: {
            query: 'sum(increase({"logging.googleapis.com/user/shop-api/payment-failures", monitored_resource="cloud_run_revision"}[600s])) > 3',
            duration: "0s",
            evaluationInterval: "60s",
            disableMetricValidation: true,
          },
        },
      ],
    });
    expect(resources.some((r) => r.name === "shop-api-logs-refunds")).toBe(true);
    expect(resources.some((r) => r.name === "shop-api-logs-refunds-alert")).toBe(false);
  });

  it("keeps credentials out of the plan", () => {
    expect(planText).not.toContain("TOPSECRET");
  });
});
