/**
 * Each component under Pulumi's mocks, through the offline plan of a fixture
 * catalog: the inputs that matter — filters, thresholds, durations, channels,
 * and that no credential is in plain text.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { PlannedResource } from "../../../plan/mockRuntime";
import { byName, fixturePlan, ofType } from "../../plan/helpers";

let resources: PlannedResource[];
let planText: string;

beforeAll(async () => {
  const outcome = await fixturePlan();
  resources = outcome.plan.resources;
  planText = JSON.stringify(outcome.plan);
});

const channel = (name: string) => `projects/test-project/notificationChannels/platform-${name}`;
type Condition = { displayName: string; conditionThreshold: Record<string, unknown> };

describe("Platform: notification channels", () => {
  it("creates one channel per configured channel with the right type and labels", () => {
    expect(byName(resources, "platform-oncall-pager").inputs).toMatchObject({ type: "pagerduty", sensitiveLabels: "[secret]" });
    expect(byName(resources, "platform-team-slack").inputs).toMatchObject({ type: "slack", labels: { channel_name: "#team-alerts" }, sensitiveLabels: "[secret]" });
    expect(byName(resources, "platform-team-email").inputs).toMatchObject({ type: "email", labels: { email_address: "team@example.com" } });
    expect(byName(resources, "platform-team-email").inputs["sensitiveLabels"]).toBeUndefined();
    expect(byName(resources, "platform-bot-hook").inputs).toMatchObject({ type: "webhook_tokenauth", labels: "[secret]" });
  });

  it("keeps every credential out of the plan, plain or encrypted", () => {
    expect(planText).not.toContain("TOPSECRET");
  });
});

describe("UptimeChecks", () => {
  it("checks the URL as declared: https, host, port, path with query, period, timeout, regions, status codes, content", () => {
    const check = byName(resources, "web-uptime-health").inputs;
    expect(check).toMatchObject({
      period: "60s",
      timeout: "5s",
      selectedRegions: ["USA", "EUROPE", "ASIA_PACIFIC"],
      checkerType: "STATIC_IP_CHECKERS",
      monitoredResource: { type: "uptime_url", labels: { host: "web.example.com", project_id: "test-project" } },
      httpCheck: {
        useSsl: true,
        validateSsl: true,
        port: 8443,
        path: "/healthz?deep=1",
        requestMethod: "GET",
        acceptedResponseStatusCodes: [{ statusValue: 200 }, { statusValue: 204 }],
      },
      contentMatchers: [{ content: "ok", matcher: "CONTAINS_STRING" }],
    });
  });

  it("applies defaults: any 2xx, port 80 for http, all four regions, no content matcher", () => {
    const check = byName(resources, "web-uptime-plain").inputs;
    expect(check).toMatchObject({
      period: "900s",
      timeout: "10s",
      selectedRegions: ["USA", "EUROPE", "SOUTH_AMERICA", "ASIA_PACIFIC"],
      httpCheck: { useSsl: false, validateSsl: false, port: 80, path: "/ping", acceptedResponseStatusCodes: [{ statusClass: "STATUS_CLASS_2XX" }] },
    });
    expect(check["contentMatchers"]).toBeUndefined();
    expect(byName(resources, "batch-uptime-status").inputs["period"]).toBe("300s");
  });

  it("alerts when more than one checker location fails, at the tier's severity", () => {
    const alert = byName(resources, "web-uptime-health-failing").inputs;
    const [condition] = alert["conditions"] as Condition[];
    expect(condition!.conditionThreshold).toEqual({
      filter: 'metric.type="monitoring.googleapis.com/uptime_check/check_passed" AND resource.type="uptime_url" AND metric.label.check_id="web-uptime-health"',
      aggregations: [
        { alignmentPeriod: "120s", perSeriesAligner: "ALIGN_NEXT_OLDER", crossSeriesReducer: "REDUCE_COUNT_FALSE", groupByFields: ["resource.label.project_id", "resource.label.host"] },
      ],
      comparison: "COMPARISON_GT",
      thresholdValue: 1,
      duration: "60s",
      trigger: { count: 1 },
    });
    expect(alert).toMatchObject({ severity: "CRITICAL", notificationChannels: [channel("oncall-pager")] });
    const slow = byName(resources, "web-uptime-plain-failing").inputs;
    expect((slow["conditions"] as Condition[])[0]!.conditionThreshold["aggregations"]).toMatchObject([{ alignmentPeriod: "1800s" }]);
    // A low-tier service never pages: its uptime alert is a ticket to the stack's ticket route.
    expect(byName(resources, "batch-uptime-status-failing").inputs).toMatchObject({ severity: "WARNING", notificationChannels: [channel("team-slack")] });
  });
});

describe("ServiceLevelObjectives", () => {
  it("creates one custom service per service that has a GCP SLO", () => {
    expect(ofType(resources, "gcp:monitoring/customService:CustomService").map((r) => r.inputs["serviceId"]).sort()).toEqual(["batch", "web"]);
  });

  it("availability: Cloud Run requests with 5xx as bad", () => {
    const slo = byName(resources, "web-slo-availability").inputs;
    expect(slo).toMatchObject({ service: "web", sloId: "availability", goal: 0.999, rollingPeriodDays: 30 });
    expect(slo["requestBasedSli"]).toEqual({
      goodTotalRatio: {
        totalServiceFilter:
          'metric.type="run.googleapis.com/request_count" AND resource.type="cloud_run_revision" AND resource.label.service_name="web-frontend" AND resource.label.location="us-central1"',
        badServiceFilter:
          'metric.type="run.googleapis.com/request_count" AND resource.type="cloud_run_revision" AND resource.label.service_name="web-frontend" AND resource.label.location="us-central1" AND metric.label.response_code_class="5xx"',
      },
    });
  });

  it("latency: a distribution cut of request_latencies at the threshold in milliseconds", () => {
    const slo = byName(resources, "web-slo-latency").inputs;
    expect(slo).toMatchObject({ goal: 0.99, rollingPeriodDays: 7 });
    expect(slo["requestBasedSli"]).toEqual({
      distributionCut: {
        distributionFilter:
          'metric.type="run.googleapis.com/request_latencies" AND resource.type="cloud_run_revision" AND resource.label.service_name="web-frontend" AND resource.label.location="us-central1"',
        range: { min: 0, max: 250 },
      },
    });
  });

  it("uptime: windows-based over check_passed, one window per check period", () => {
    expect(byName(resources, "web-slo-uptime").inputs["windowsBasedSli"]).toEqual({
      windowPeriod: "60s",
      goodBadMetricFilter: 'metric.type="monitoring.googleapis.com/uptime_check/check_passed" AND resource.type="uptime_url" AND metric.label.check_id="web-uptime-health"',
    });
  });

  it("cloudMonitoring: the declared filters as a good/total ratio", () => {
    const sli = byName(resources, "web-slo-lb").inputs["requestBasedSli"] as { goodTotalRatio: Record<string, string> };
    expect(Object.keys(sli.goodTotalRatio).sort()).toEqual(["goodServiceFilter", "totalServiceFilter"]);
    expect(sli.goodTotalRatio["goodServiceFilter"]).toContain("response_code_class=200");
  });

  it("leaves Prometheus indicators to Prometheus rules: no Cloud Monitoring SLO, the summary says where the rules go", async () => {
    expect(resources.find((r) => r.name === "web-slo-prom")).toBeUndefined();
    const outcome = await fixturePlan();
    expect(outcome.plan.violations.map((v) => v.message)).not.toContainEqual(expect.stringContaining("SLO prom"));
    expect(outcome.summary).toContain("Evaluated by Prometheus: rules in prometheus/web.yaml (plain rule file)");
    expect(outcome.artefacts["prometheus/web.yaml"]).toContain("slo:sli_error:ratio_rate1h");
    // Channels Alertmanager cannot reach are named, with the reason.
    expect(outcome.plan.violations).toContainEqual(
      expect.objectContaining({ policy: "alertmanager-route", level: "advisory", message: expect.stringContaining("web: channel bot-hook gets no Prometheus alerts") }),
    );
    expect(outcome.plan.violations).toContainEqual(expect.objectContaining({ policy: "alertmanager-route", message: expect.stringContaining("team-email gets no Prometheus alerts: no SMTP relay") }));
  });
});

describe("BurnRateAlerts", () => {
  const policies = () => ofType(resources, "gcp:monitoring/alertPolicy:AlertPolicy").filter((r) => r.name.includes("-burn-"));

  it("creates one policy per SLO and enabled tier", () => {
    expect(policies().map((r) => r.name).sort()).toEqual([
      "batch-burn-uptime-ticket",
      "batch-burn-uptime-ticket-fast",
      "web-burn-availability-page-fast",
      "web-burn-availability-page-slow",
      "web-burn-availability-ticket-fast",
      "web-burn-latency-ticket",
      "web-burn-latency-ticket-fast",
      "web-burn-lb-page-fast",
      "web-burn-lb-page-slow",
      "web-burn-lb-ticket",
      "web-burn-lb-ticket-fast",
      "web-burn-uptime-page-fast",
      "web-burn-uptime-page-slow",
      "web-burn-uptime-ticket-fast",
    ]);
  });

  it("ANDs a long- and a short-window select_slo_burn_rate condition at the model's threshold", () => {
    const policy = byName(resources, "web-burn-availability-page-fast").inputs;
    expect(policy).toMatchObject({ combiner: "AND", severity: "CRITICAL", notificationChannels: [channel("oncall-pager")] });
    const slo = "projects/test-project/services/web/serviceLevelObjectives/availability";
    expect((policy["conditions"] as Condition[]).map((c) => c.conditionThreshold)).toEqual([
      { filter: `select_slo_burn_rate("${slo}", "3600s")`, comparison: "COMPARISON_GT", thresholdValue: 14.4, duration: "0s", trigger: { count: 1 } },
      { filter: `select_slo_burn_rate("${slo}", "300s")`, comparison: "COMPARISON_GT", thresholdValue: 14.4, duration: "0s", trigger: { count: 1 } },
    ]);
    // 10 % of the budget in 3 d is out of reach: Cloud Monitoring looks back at most 24 h, so 10 % in 1 d (burn 3);
    // at 30 d that is ticket-fast's burn rate over a longer window, so no policy (on 28 d, web-burn-lb-ticket: burn 2.8).
    expect(resources.some((r) => r.name === "web-burn-availability-ticket")).toBe(false);
    const ticket = byName(resources, "web-burn-lb-ticket").inputs;
    expect((ticket["conditions"] as Condition[]).map((c) => [c.conditionThreshold["filter"], c.conditionThreshold["thresholdValue"]])).toEqual([
      ['select_slo_burn_rate("projects/test-project/services/web/serviceLevelObjectives/lb", "86400s")', 2.8],
      ['select_slo_burn_rate("projects/test-project/services/web/serviceLevelObjectives/lb", "7200s")', 2.8],
    ]);
    // 5 % in 12 h fits as defined.
    const ticketFast = byName(resources, "web-burn-availability-ticket-fast").inputs;
    expect((ticketFast["conditions"] as Condition[]).map((c) => [c.conditionThreshold["filter"], c.conditionThreshold["thresholdValue"]])).toEqual([
      [`select_slo_burn_rate("${slo}", "43200s")`, 3],
      [`select_slo_burn_rate("${slo}", "3600s")`, 3],
    ]);
  });

  it("scales the windows of shorter SLO windows to whole minutes (28 d and 1 d)", () => {
    const lb = byName(resources, "web-burn-lb-page-fast").inputs["conditions"] as Condition[];
    expect(lb.map((c) => c.conditionThreshold["filter"])).toEqual([
      'select_slo_burn_rate("projects/test-project/services/web/serviceLevelObjectives/lb", "3360s")',
      'select_slo_burn_rate("projects/test-project/services/web/serviceLevelObjectives/lb", "300s")',
    ]);
    const batch = byName(resources, "batch-burn-uptime-ticket").inputs["conditions"] as Condition[];
    expect(batch.map((c) => c.conditionThreshold["filter"])).toEqual([
      'select_slo_burn_rate("projects/test-project/services/batch/serviceLevelObjectives/uptime", "8640s")',
      'select_slo_burn_rate("projects/test-project/services/batch/serviceLevelObjectives/uptime", "720s")',
    ]);
  });

  it("routes tickets to the service's own ticket channels, severity WARNING", () => {
    expect(byName(resources, "web-burn-latency-ticket").inputs).toMatchObject({
      severity: "WARNING",
      notificationChannels: [channel("team-slack"), channel("bot-hook"), channel("team-email")],
    });
  });

  it("documents service, SLO, objective, budget minutes, meaning and runbook for the responder", () => {
    const documentation = byName(resources, "web-burn-availability-page-fast").inputs["documentation"] as Record<string, unknown>;
    expect(documentation["mimeType"]).toBe("text/markdown");
    const content = documentation["content"] as string;
    for (const needle of ["**web**", "**availability**", "99.9 % over 30 d", "43.2 min", "burn rate above 14.4 over 1h and over 5m", "2 % of the 30-day budget spent in 1h", "A total outage fires it after 1 min", "https://runbooks.example.com/web"]) {
      expect(content).toContain(needle);
    }
    expect(documentation["links"]).toEqual([{ displayName: "runbook", url: "https://runbooks.example.com/web" }]);
  });

  it("carries the service's labels plus SLO, severity and tier", () => {
    expect(byName(resources, "web-burn-uptime-page-slow").inputs["userLabels"]).toEqual({
      service: "web",
      team: "shop",
      tier: "critical",
      "managed-by": "monitoring-stack",
      slo: "uptime",
      severity: "page",
      "burn-tier": "page-slow",
    });
  });
});
