/**
 * The apply estimate's figures, each checked against the provider code it
 * comes from (GoogleCloudPlatform/magic-modules, commit d57784406a44):
 * - mmv1/products/monitoring/AlertPolicy.yaml           mutex: alertPolicy/{{project}}
 * - mmv1/products/monitoring/NotificationChannel.yaml   mutex: stackdriver/notifications/{{project}}
 * - mmv1/products/monitoring/UptimeCheckConfig.yaml     mutex: stackdriver/groups/{{project}}
 * - mmv1/products/monitoring/Slo.yaml                   mutex: monitoring/project/{{project}}/service/{{service}}
 * - mmv1/products/logging/Metric.yaml                   mutex: customMetric/{{project}}
 * - mmv1/products/monitoring/Service.yaml               no mutex
 * - mmv1/templates/terraform/resource.go.tmpl           create: lock, POST, (poll), then Read: 2 requests
 * - mmv1/third_party/terraform/tpgiamresource/iam.go.tmpl  iamPolicyReadModifyWrite: get, set, 3 checks after 1 s each, then Read: 6
 */
import { describe, expect, it } from "vitest";
import { KIND_REQUESTS, applyEstimate, type ApplyResource } from "../../model/applyRequests";

const many = (type: string, count: number, parent?: (i: number) => string): ApplyResource[] =>
  Array.from({ length: count }, (_, i) => ({ type, ...(parent ? { lockParent: parent(i) } : {}) }));

describe("what the provider's code says about each kind", () => {
  it("serialises alert policies, channels, uptime checks and log metrics per project, SLOs per service, and leaves custom services, sinks and buckets unlocked", () => {
    const lock = (type: string) => KIND_REQUESTS[type]?.lock;
    expect(lock("gcp:monitoring/alertPolicy:AlertPolicy")).toEqual({ key: "alertPolicy/{{project}}", per: "project" });
    expect(lock("gcp:monitoring/notificationChannel:NotificationChannel")).toEqual({ key: "stackdriver/notifications/{{project}}", per: "project" });
    expect(lock("gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig")).toEqual({ key: "stackdriver/groups/{{project}}", per: "project" });
    expect(lock("gcp:logging/metric:Metric")).toEqual({ key: "customMetric/{{project}}", per: "project" });
    expect(lock("gcp:monitoring/slo:Slo")?.per).toBe("service");
    expect(lock("gcp:projects/iAMMember:IAMMember")?.per).toBe("project");
    for (const type of ["gcp:monitoring/customService:CustomService", "gcp:logging/projectSink:ProjectSink", "gcp:logging/projectBucketConfig:ProjectBucketConfig", "gcp:storage/bucket:Bucket"]) {
      expect(lock(type), type).toBeUndefined();
    }
  });

  it("counts a create as POST and read-back, an IAM member as six requests and three seconds of waiting, and a refresh as one read each", () => {
    expect(KIND_REQUESTS["gcp:monitoring/alertPolicy:AlertPolicy"]).toMatchObject({ create: 2, refresh: 1 });
    expect(KIND_REQUESTS["gcp:projects/iAMMember:IAMMember"]).toMatchObject({ create: 6, refresh: 1, waitSeconds: 3 });
    for (const [type, kind] of Object.entries(KIND_REQUESTS)) {
      expect(kind.create, type).toBeGreaterThanOrEqual(2);
      expect(kind.refresh, type).toBe(1);
      expect(kind.source, type).not.toBe("");
    }
  });
});

describe("applyEstimate", () => {
  it("adds up requests per kind and per API, and ignores kinds that meet no Google quota", () => {
    const estimate = applyEstimate([...many("gcp:monitoring/alertPolicy:AlertPolicy", 12), ...many("gcp:logging/projectSink:ProjectSink", 2), ...many("grafana:oss/dashboard:Dashboard", 5)]);
    expect(estimate.createRequests).toBe(12 * 2 + 2 * 2);
    expect(estimate.refreshRequests).toBe(14);
    expect(estimate.byApi).toEqual([
      { api: "Cloud Logging API", createRequests: 4, refreshRequests: 2 },
      { api: "Cloud Monitoring API", createRequests: 24, refreshRequests: 12 },
    ]);
    expect(estimate.kinds.map((k) => k.type)).not.toContain("grafana:oss/dashboard:Dashboard");
  });

  it("makes the alert policies of a project one chain, whatever --parallel says", () => {
    const estimate = applyEstimate(many("gcp:monitoring/alertPolicy:AlertPolicy", 1200), 0.5);
    expect(estimate.longestChain).toEqual({ type: "gcp:monitoring/alertPolicy:AlertPolicy", seconds: 1200 });
    expect(estimate.firstApplySeconds(1)).toBe(1200);
    expect(estimate.firstApplySeconds(64)).toBe(1200);
    expect(estimate.usefulParallel).toBe(1);
    expect(estimate.recommendedParallel).toBe(1);
    expect(estimate.peakRequestsPerMinute("Cloud Monitoring API", 64)).toBe(120);
  });

  it("keeps SLOs of different services in separate chains, and unlocked creates spread over --parallel", () => {
    const slos = many("gcp:monitoring/slo:Slo", 30, (i) => `svc-${i % 10}`);
    const services = many("gcp:monitoring/customService:CustomService", 10);
    const estimate = applyEstimate([...slos, ...services], 1);
    // 10 chains of 3 SLOs at 2 s each.
    expect(estimate.longestChain?.seconds).toBe(6);
    expect(estimate.usefulParallel).toBe(20);
    // 80 s of work in all: spread over 14 creates at a time it fits in the 6 s chain (80 / 6 rounded up); over 13 it does not.
    expect(estimate.recommendedParallel).toBe(14);
    expect(estimate.firstApplySeconds(1)).toBe(80);
    expect(estimate.firstApplySeconds(13)).toBeCloseTo(80 / 13);
    expect(estimate.firstApplySeconds(14)).toBe(6);
    expect(estimate.firstApplySeconds(100)).toBe(6);
  });

  it("counts IAM members' waits under the project lock", () => {
    const estimate = applyEstimate(many("gcp:projects/iAMMember:IAMMember", 10), 0.5);
    expect(estimate.longestChain?.seconds).toBe(10 * (6 * 0.5 + 3));
  });
});
