/**
 * The monthly estimate: pinned for the repository's own catalog (services/ on
 * the local stack), worked by hand for one service, with prices a file
 * replaces, and shown in the diff.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { estimateService, estimateStack, projectUptimeEstimate, serviceUsage, type ServiceUsage } from "../../model/costs";
import { DEFAULT_PRICES, PRICE_SOURCES, parsePriceOverrides } from "../../model/prices";
import { costDiffSection } from "../../plan/costs";
import type { PlanDocument } from "../../plan/runPlan";
import { plan } from "../plan/helpers";
import { runCli } from "../support/commands";
import { loadServices } from "../../contract/load";

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

let local: PlanDocument;
beforeAll(async () => {
  local = (await plan({ stack: "local" })).plan;
});

const usage = (overrides: Partial<ServiceUsage>): ServiceUsage => ({
  uptimeCheckExecutionsPerDay: 0,
  logBucket: false,
  logGiBPerMonth: null,
  logRetentionDays: 0,
  userLogMetrics: 0,
  alertingMetricReferences: 0,
  backupVault: false,
  prometheusRules: false,
  ...overrides,
});

describe("the price list", () => {
  it("dates and sources every price", () => {
    for (const [name, source] of Object.entries(PRICE_SOURCES)) {
      expect(source.source, name).toMatch(/^https:\/\/cloud\.google\.com\//);
      expect(source.read, name).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    // Alerting is not charged before the date Google announced.
    expect(DEFAULT_PRICES.values.alertingPerMetricReference).toBe(0);
  });

  it("takes overrides and reports every bad one", () => {
    expect(parsePriceOverrides({ logIngestionPerGiB: 0.4 }).prices?.values.logIngestionPerGiB).toBe(0.4);
    expect(parsePriceOverrides({ logIngestion: 1, metricPerMiB: -2, logIncludedRetentionDays: 1.5 }).problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      expect.stringMatching(/^logIngestion: unknown price \(got "logIngestion", expected one of: uptimeCheckPer1000Executions, /),
      "metricPerMiB: invalid value (got -2, expected a number of at least 0)",
      "logIncludedRetentionDays: invalid value (got 1.5, expected a whole number of days)",
    ]);
    expect(parsePriceOverrides([1]).problems[0]?.message).toMatch(/^invalid value \(got a list, expected an object of price names to numbers/);
  });
});

describe("the estimate", () => {
  it("works out one service by hand: a 1-minute check from every region, 20 GiB of logs kept 90 days, one log metric", () => {
    // 6 checker locations × 1,440 checks a day × 30 days = 259,200 executions × $0.30 / 1,000 = $77.76.
    // 20 GiB × $0.50 = $10; kept 60 days beyond 30: 40 GiB-months × $0.01 = $0.40.
    // One metric: 43,200 points × 8 bytes = 0.33 MiB × $0.258 = $0.085.
    const estimate = estimateService("shop", usage({ uptimeCheckExecutionsPerDay: 6 * 1440, logBucket: true, logGiBPerMonth: 20, logRetentionDays: 90, userLogMetrics: 1 }), DEFAULT_PRICES);
    // The same 20 GiB again in the project's _Default bucket: 20 × $0.50 = $10.
    expect(estimate.lines.map((l) => [l.item, Math.round(l.monthly * 1000) / 1000])).toEqual([
      ["uptime checks", 77.76],
      ["log ingestion", 10],
      ["log retention", 0.4],
      ["the same logs in the _Default bucket", 10],
      ["log-based metrics", 0.085],
    ]);
    expect(estimate.perLogGiB).toBeUndefined();
    // Without a declared volume: the price per GiB, retention included ($0.50 + 2 × $0.01).
    expect(estimateService("shop", usage({ logBucket: true, logRetentionDays: 90 }), DEFAULT_PRICES).perLogGiB).toBeCloseTo(0.52, 10);
  });

  it("pins the estimate of the repository's catalog on the local stack", () => {
    const estimate = estimateStack(local.usage!, DEFAULT_PRICES);
    expect(estimate.services.map((s) => [s.service, Math.round(s.total * 100) / 100])).toEqual([
      ["catalog-web", 12.96],
      ["checkout-api", 93.48],
      ["status-page", 7.78],
    ]);
    expect(Math.round(estimate.listTotal * 100) / 100).toBe(114.22);
    // 380,160 executions a month: counted against the project's free million with every other stack's, not taken off here.
    expect(estimate.uptimeExecutionsPerMonth).toBe(380_160);
    expect(estimate.undeclaredLogs).toEqual([{ service: "checkout-api", perGiB: 0.5 }]);
  });

  it("applies a project's free uptime-check executions once for all its stacks, never per stack", () => {
    // Three stacks of 500,000 executions each in one project: 1,500,000 − 1,000,000 free = 500,000 × $0.30 / 1,000 = $150.
    expect(projectUptimeEstimate(3 * 500_000, DEFAULT_PRICES)).toEqual({ executions: 1_500_000, free: 1_000_000, monthly: 150 });
    // Each stack alone would have claimed the whole allotment and shown $0.
    expect(projectUptimeEstimate(500_000, DEFAULT_PRICES).monthly).toBe(0);
  });

  it("lists every other item of the bill as not estimated, with the reason", () => {
    const estimate = estimateService(
      "shop",
      usage({ logBucket: true, logRetentionDays: 30, backupVault: true, prometheusRules: true, syntheticExecutionsPerDay: 2880, exportSinks: ["bigquery", "storage"], dashboardReadsCloudMonitoring: true }),
      DEFAULT_PRICES,
    );
    expect(estimate.notEstimated.map((n) => n.item)).toEqual([
      "the same logs in the _Default bucket",
      "export to BigQuery",
      "export to Cloud Storage",
      "backup storage",
      "Synthetic Monitoring",
      "Managed Prometheus samples",
      "dashboard reads of Cloud Monitoring",
    ]);
    expect(estimate.notEstimated.every((n) => n.reason.length > 20)).toBe(true);
  });

  it("counts what the model declares: checker locations, charged conditions, log metrics", async () => {
    const program = (await plan({ stack: "local" })).program;
    const checkout = program.services.find((s) => s.name === "checkout-api")!;
    const u = serviceUsage(checkout);
    const executionsPerDay = checkout.endpoints.reduce((sum, e) => sum + (86_400_000 / e.periodMs) * e.regions.reduce((n, r) => n + (r === "USA" ? 3 : 1), 0), 0);
    expect(u.uptimeCheckExecutionsPerDay).toBe(executionsPerDay);
    expect(u.userLogMetrics).toBe(local.resources.filter((r) => r.type === "gcp:logging/metric:Metric").length);
  });
});

describe("logs.volumeGiBPerMonth", () => {
  it("is refused unless a positive number, with the field and what was expected", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "volume-"));
    dirs.push(dir);
    const file = (name: string, volume: string) => {
      writeFileSync(path.join(dir, `${name}.yaml`), `apiVersion: monitoring-stack/v1\nname: ${name}\nteam: web\nruntime:\n  cloudRun: { service: ${name}, region: europe-west1 }\nlogs:\n  volumeGiBPerMonth: ${volume}\n`);
    };
    file("negative", "-1");
    file("text", "lots");
    file("fine", "0.5");
    const { services, problems } = await loadServices([dir]);
    expect(services.map((s) => s.spec.logs?.volumeGiBPerMonth)).toEqual([0.5]);
    expect(problems.map((p) => `${path.basename(p.file)}: ${p.path}: ${p.message}`).sort()).toEqual([
      expect.stringMatching(/^negative\.yaml: logs\.volumeGiBPerMonth: .*expected GiB a month greater than 0/),
      expect.stringMatching(/^text\.yaml: logs\.volumeGiBPerMonth: .*expected GiB a month as a number/),
    ]);
  });
});

describe("the cost in the diff", () => {
  it("shows the change per service and in total, and says when a plan has no usage", () => {
    const head = structuredClone(local.usage!);
    head.services["checkout-api"] = { ...head.services["checkout-api"]!, logGiBPerMonth: 100 };
    const section = costDiffSection(local.usage, head, DEFAULT_PRICES).join("\n\n");
    expect(section).toContain("| checkout-api | $93.48 | $193.48 | +$100.00 |  |");
    // $50 of ingestion into the service's bucket and $50 again into _Default.
    expect(section).toContain("Stack total at list price: $114.22 → $214.22 a month (**+$100.00**).");
    expect(costDiffSection(undefined, head, DEFAULT_PRICES).join("\n")).toContain("Not shown: the base plan.json has no usage");
  });

  it("npm run diff and npm run plan take --prices and refuse a bad prices file with exit 2", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "prices-"));
    dirs.push(dir);
    const planFile = path.join(dir, "plan.json");
    writeFileSync(planFile, JSON.stringify(local));
    writeFileSync(path.join(dir, "bad.json"), JSON.stringify({ uptimeCheckPer1000Executions: "cheap" }));
    writeFileSync(path.join(dir, "good.json"), JSON.stringify({ alertingPerMetricReference: 0.35 }));
    const bad = await runCli("diff", planFile, planFile, "--prices", path.join(dir, "bad.json"));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${path.join(dir, "bad.json")}: uptimeCheckPer1000Executions: invalid value (got "cheap", expected a number of at least 0)`);
    const good = await runCli("diff", planFile, planFile, "--prices", path.join(dir, "good.json"));
    expect(good.code).toBe(0);
    expect(good.stdout).toContain("except alertingPerMetricReference from the --prices file");
    const missing = await runCli("plan", "--prices", path.join(dir, "none.json"), "--out", path.join(dir, "out"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/none\.json: \(file\): cannot read \(got ENOENT, expected a JSON file of prices\)/);
  }, 60_000);
});
