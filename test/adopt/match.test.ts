/**
 * Matching a project's existing resources to the stack's planned ones, on a
 * fixture project (test/fixtures/adopt): exports shaped as the APIs return
 * them (monitoring/v3 uptime.proto, alert.proto, notification.proto,
 * service.proto; logging/v2 logging_config.proto, logging_metrics.proto), with
 * a console-made uptime check and its alert policy, an SLO and a burn-rate
 * policy made by Terraform (terraform-google-modules' slo-native labels),
 * channels whose credentials come back redacted, Cloud Logging's own sinks and
 * buckets, a locked bucket, log-based metrics, services and SLOs, Sloth rules
 * already running, and resources that are not ours.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readExisting, type ExportFile } from "../../adopt/existing";
import { ADOPT_SERVICES, ADOPT_STACK, EXISTING, EXPECTED_ADOPTED, PROJECT, exportsIn } from "./fixture";
import { adoptConfig, matchExisting, type AdoptionFindings } from "../../adopt/match";
import { plan } from "../plan/helpers";
import type { PlanDocument } from "../../plan/runPlan";

let planned: PlanDocument;
let findings: AdoptionFindings;
const match = (files: ExportFile[], from: PlanDocument = planned) => {
  const read = readExisting(files, PROJECT);
  expect(read.problems).toEqual([]);
  return matchExisting({ project: PROJECT, resources: from.resources, services: from.services ?? [], existing: read.existing });
};

beforeAll(async () => {
  planned = (await plan({ stack: "shop", configFile: ADOPT_STACK, servicesDir: ADOPT_SERVICES })).plan;
  findings = match(exportsIn());
}, 120_000);

describe("matching existing resources to planned ones", () => {
  it("adopts exactly the resources that mean the same thing as ours, each by its provider import id", () => {
    expect(findings.ambiguous).toEqual([]);
    expect(adoptConfig(findings)).toEqual(EXPECTED_ADOPTED);
  });

  it("lists the fields the first update will change", () => {
    const check = findings.adopt.find((a) => a.name === "shop-api-uptime-health")!;
    expect(check.changes).toContain('period: "300s" → "60s"');
    expect(check.changes.some((c) => c.startsWith("selectedRegions: unset →"))).toBe(true);
    const bucket = findings.adopt.find((a) => a.name === "shop-api-logs-bucket")!;
    expect(bucket.changes).toContain("retentionDays: 14 → 30");
    const slo = findings.adopt.find((a) => a.name === "shop-api-slo-availability")!;
    expect(slo.changes).toContain("goal: 0.995 → 0.999");
    // Same SLI although the export writes resource.labels and metric.labels: not listed as a change.
    expect(slo.changes.some((c) => c.startsWith("serviceLevelIndicator"))).toBe(false);
    // Nothing to change: the to-bucket sink differs only by its description.
    expect(findings.adopt.find((a) => a.name === "shop-api-logs-to-bucket")!.changes).toEqual(['description: unset → "Entries of shop-api into its own log bucket"']);
  });

  it("follows the graph: a console policy by the check its filter names, a Terraform burn-rate policy by the SLO its filter names", () => {
    const uptimePolicy = findings.adopt.find((a) => a.id.endsWith("/12086453925441513247"))!;
    expect(uptimePolicy.name).toBe("shop-api-uptime-health-failing");
    const burn = findings.adopt.find((a) => a.id.endsWith("/5581306226417839120"))!;
    expect(burn.name).toBe("shop-api-burn-availability-page-fast");
    // Made by Terraform: the report says to take it out of Terraform's state first.
    expect(burn.notes.join(" ")).toMatch(/terraform state rm/);
    expect(findings.adopt.find((a) => a.name === "shop-api-uptime-health")!.notes.join(" ")).not.toMatch(/terraform/);
  });

  it("refuses what adopting would replace, with the reason and how to take the id over", () => {
    const refused = Object.fromEntries(findings.refused.map((r) => [r.name, r]));
    expect(Object.keys(refused).sort()).toEqual(["search-logs-bucket", "search-slo-latency", "shop-api-uptime-ready", "shop-api-uptime-ready-failing"]);
    expect(refused["shop-api-uptime-ready"]!.reason).toMatch(/checkerType is VPC_CHECKERS/);
    expect(refused["search-slo-latency"]!.reason).toMatch(/id search-p99, ours latency/);
    expect(refused["search-slo-latency"]!.takeOver).toMatch(/formerly: \[search-p99\]/);
    expect(refused["search-logs-bucket"]!.reason).toMatch(/locked/);
    expect(refused["search-logs-bucket"]!.takeOver).toMatch(/retentionDays: 90/);
    // The policy watching a refused check is refused with it.
    expect(refused["shop-api-uptime-ready-failing"]!.reason).toMatch(/watches shop-api-uptime-ready, which is refused/);
  });

  it("leaves alone what is not ours, saying why, and nothing is in two lists", () => {
    const alone = findings.leftAlone.map((l) => l.existing.name);
    expect(alone).toEqual(
      expect.arrayContaining([
        "projects/acme-shop-prod/uptimeCheckConfigs/legacy-storefront-9hNn1rTq0aA",
        "projects/acme-shop-prod/alertPolicies/16427118950355823105",
        "projects/acme-shop-prod/notificationChannels/6603170953326291004",
        "_Default",
        "_Required",
        "lb-5xx",
      ]),
    );
    const sloth = findings.leftAlone.find((l) => l.existing.name === "sloth-slo-alerts-shop-api-availability")!;
    expect(sloth.why).toMatch(/page a second time for shop-api\/availability/);
    expect(findings.leftAlone.find((l) => l.existing.name === "sloth-slo-alerts-batch-freshness")!.why).toMatch(/no SLO of ours/);
    const all = [...findings.adopt.map((a) => a.existing), ...findings.refused.map((r) => r.existing), ...findings.leftAlone.map((l) => l.existing)];
    expect(new Set(all).size).toBe(all.length);
    const items = readExisting(exportsIn(), PROJECT).existing.length;
    expect(all.length).toBe(items);
  });

  it("is ambiguous, adopting nothing of it, when redacted credentials leave two channels alike", () => {
    const channels = JSON.parse(readFileSync(path.join(EXISTING, "channels.json"), "utf8")) as Array<Record<string, unknown>>;
    const twin = { ...channels[2]!, name: "projects/acme-shop-prod/notificationChannels/777", labels: { service_key: "*****************b20e" } };
    const found = match([{ file: "channels.json", text: JSON.stringify([...channels, twin]) }]);
    expect(found.ambiguous).toHaveLength(1);
    expect(found.ambiguous[0]!.what).toMatch(/platform-shop-pager matches more than one/);
    expect(found.adopt.map((a) => a.name)).not.toContain("platform-shop-pager");
  });

  it("matches a webhook channel, whose URL the stack keeps secret, by its display name", () => {
    const ours = { urn: "urn:pulumi:shop::monitoring-stack::gcp:monitoring/notificationChannel:NotificationChannel::platform-incident-webhook", type: "gcp:monitoring/notificationChannel:NotificationChannel", name: "platform-incident-webhook", inputs: { type: "webhook_tokenauth", labels: "[secret]", displayName: "Incident bot", project: PROJECT } };
    const theirs = [{ name: `projects/${PROJECT}/notificationChannels/55`, type: "webhook_tokenauth", displayName: "Incident bot", labels: { url: "https://hooks.example.com/incident?token=abc" } }];
    const found = match([{ file: "channels.json", text: JSON.stringify(theirs) }], { ...planned, resources: [ours] });
    expect(found.adopt.map((a) => [a.name, a.id, a.notes])).toEqual([["platform-incident-webhook", `projects/${PROJECT}/notificationChannels/55`, ["its address is a credential (listed redacted, or kept secret by the stack): matched by type and display name"]]]);
    // The URL, which carries a token, appears in no finding.
    expect(JSON.stringify(found.adopt.map((a) => [a.changes, a.notes]))).not.toContain("token=abc");
  });

  it("tells two of our SLOs with one indicator apart by the existing SLO's id, and is ambiguous when nothing does", () => {
    const slo = planned.resources.find((r) => r.name === "shop-api-slo-availability")!;
    const twin = { ...slo, urn: `${slo.urn}-strict`, name: "shop-api-slo-availability-strict", inputs: { ...slo.inputs, sloId: "availability-strict", goal: 0.9995 } };
    const withTwin = { ...planned, resources: [...planned.resources, twin] };
    const file = { file: "slos.json", text: readFileSync(path.join(EXISTING, "slos-shop-api.json"), "utf8") };
    expect(match([file], withTwin).adopt.map((a) => a.name)).toEqual(["shop-api-slo-availability"]);
    const renamed = file.text.replace("serviceLevelObjectives/availability", "serviceLevelObjectives/legacy-availability");
    const found = match([{ file: "slos.json", text: renamed }], withTwin);
    expect(found.ambiguous.map((a) => a.candidates)).toEqual([["shop-api-slo-availability", "shop-api-slo-availability-strict"]]);
  });

  it("tells the rule files the stack renders itself from Sloth's", async () => {
    const ours = readFileSync(path.join(__dirname, "..", "golden", "local", "prometheus", "catalog-web.yaml"), "utf8");
    const found = match([{ file: "catalog-web.yaml", text: ours }]);
    expect(found.leftAlone.length).toBeGreaterThan(0);
    expect(found.leftAlone.filter((l) => /-alerts$/.test(l.existing.name)).map((l) => l.why)).toEqual(expect.arrayContaining(["rules monitoring-stack renders itself: the stack's rule files replace them"]));
    expect(found.leftAlone.some((l) => /page a second time/.test(l.why))).toBe(false);
  });

  it("says a Grafana notification policy tree would be replaced when the stack provisions one, and is left alone otherwise", () => {
    const tree = { receiver: "ops-email", group_by: ["alertname"], routes: [{ receiver: "shop-pager", object_matchers: [["team", "=", "shop"]] }] };
    const files = [{ file: "policies.json", text: JSON.stringify(tree) }];
    const withTree = { ...planned, resources: [...planned.resources, { urn: "urn:pulumi:shop::monitoring-stack::grafana:alerting/notificationPolicy:NotificationPolicy::grafana-alerting-policy", type: "grafana:alerting/notificationPolicy:NotificationPolicy", name: "grafana-alerting-policy", inputs: {} }] };
    expect(match(files, withTree).leftAlone[0]!.why).toMatch(/would replace this one \(receiver ops-email, 1 routes\): move its routes into the stack first/);
    expect(match(files).leftAlone[0]!.why).toBe("the stack provisions no notification policy tree");
  });

  it("matches the same again once the stack adopts them: the plan's filters then carry the existing ids", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { stackFileWithAdopt } = await import("../../adopt/report");
    const dir = mkdtempSync(path.join(tmpdir(), "adopt-again-"));
    const file = path.join(dir, "Pulumi.shop.yaml");
    writeFileSync(file, stackFileWithAdopt(readFileSync(ADOPT_STACK, "utf8"), findings));
    const adopted = (await plan({ stack: "shop", configFile: file, servicesDir: ADOPT_SERVICES })).plan;
    expect(adoptConfig(match(exportsIn(), adopted))).toEqual(EXPECTED_ADOPTED);
  }, 120_000);
});
