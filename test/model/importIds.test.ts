/**
 * The import id of each kind a stack adopts, against the provider's own
 * documentation: the "Import" section of each resource in the pinned
 * @pulumi/gcp (node_modules/@pulumi/gcp/<module>/<resource>.d.ts, generated
 * from magic-modules' `id_format`/`import_format`:
 * mmv1/products/monitoring/{UptimeCheckConfig,AlertPolicy,NotificationChannel,
 * Service,Slo}.yaml, mmv1/products/logging/{Metric,ProjectBucketConfig}.yaml,
 * and the handwritten resource_logging_project_sink.go). A provider upgrade
 * that drops a format fails here.
 *
 * Where `{{name}}` is the id, it is the API's full resource name (the `name`
 * field of uptime.proto UptimeCheckConfig, alert.proto AlertPolicy,
 * notification.proto NotificationChannel, service.proto Service and
 * ServiceLevelObjective). Sinks are listed by their short name
 * (logging_config.proto LogSink.name) and imported as projects/P/sinks/NAME;
 * log-based metrics are listed by their name (logging_metrics.proto
 * LogMetric.name) and imported as "P NAME".
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { ADOPTABLE, importIdProblem, metricImportId, sinkImportId } from "../../model/importIds";
import { REPO_ROOT } from "../support/markdown";

/** The import formats the provider documents for a type (`gcp:monitoring/slo:Slo` → monitoring/slo.d.ts). */
function documentedFormats(type: string): string[] {
  const [, module] = type.split(":");
  const file = path.join(REPO_ROOT, "node_modules", "@pulumi", "gcp", `${module}.d.ts`);
  const text = readFileSync(file, "utf8");
  const section = text.slice(text.indexOf("## Import"), text.indexOf("*/", text.indexOf("## Import")));
  return [...section.matchAll(/^\s*\* \* `([^`]+)`/gm)].map((m) => m[1]!);
}

/** Our format with the full-name explanation taken off: `{{name}}: projects/...` documents `{{name}}`. */
const providerForm = (format: string) => format.split(":")[0]!;

const EXAMPLES: Record<string, string> = {
  "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig": "projects/acme-shop-prod/uptimeCheckConfigs/shop-healthz-Xk3v9QmbT1o",
  "gcp:monitoring/alertPolicy:AlertPolicy": "projects/acme-shop-prod/alertPolicies/12086453925441513247",
  "gcp:monitoring/notificationChannel:NotificationChannel": "projects/acme-shop-prod/notificationChannels/4182290514372955302",
  "gcp:monitoring/customService:CustomService": "projects/acme-shop-prod/services/shop-api",
  "gcp:monitoring/slo:Slo": "projects/acme-shop-prod/services/shop-api/serviceLevelObjectives/availability",
  "gcp:logging/projectSink:ProjectSink": "projects/acme-shop-prod/sinks/shop-api-logs",
  "gcp:logging/projectBucketConfig:ProjectBucketConfig": "projects/acme-shop-prod/locations/global/buckets/shop-api-logs",
  "gcp:logging/metric:Metric": "acme-shop-prod shop-api/payment-failures",
};

describe("import ids of adoptable resources", () => {
  it.each(Object.keys(ADOPTABLE))("%s: the format is one the provider documents", (type) => {
    expect(documentedFormats(type)).toContain(providerForm(ADOPTABLE[type]!.format));
  });

  it.each(Object.keys(ADOPTABLE))("%s: an id of that format is accepted, in the stack's project only", (type) => {
    const id = EXAMPLES[type]!;
    expect(importIdProblem(type, id, "acme-shop-prod")).toBeUndefined();
    expect(importIdProblem(type, id, "acme-other-prod")).toBe("expected an id in the stack's project acme-other-prod (got project acme-shop-prod)");
    // Another kind's id is refused for this kind.
    for (const other of Object.keys(EXAMPLES).filter((t) => t !== type)) expect(importIdProblem(type, EXAMPLES[other]!, "acme-shop-prod"), `${other} as ${type}`).toMatch(/^expected the .*'s import id/);
  });

  it("builds sink and metric ids from the short names the APIs list them by", () => {
    expect(sinkImportId("acme-shop-prod", "shop-api-logs")).toBe(EXAMPLES["gcp:logging/projectSink:ProjectSink"]);
    expect(metricImportId("acme-shop-prod", "shop-api/payment-failures")).toBe(EXAMPLES["gcp:logging/metric:Metric"]);
  });

  it("refuses kinds it cannot adopt", () => {
    expect(importIdProblem("gcp:storage/bucket:Bucket", "b", "acme-shop-prod")).toMatch(/^a gcp:storage\/bucket:Bucket cannot be adopted/);
  });
});
