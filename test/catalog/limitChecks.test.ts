/**
 * Google Cloud's limits, applied before anything is created: a stack whose
 * own resources exceed one is refused by the program (so by the plan and by
 * `pulumi up`), naming the limit, the count, the source and the ways out.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { formatProblem } from "../../contract/problems";
import { RAISABLE_QUOTAS, parseStackConfig } from "../../contract/stackConfig";
import { rawConfig } from "../support/declarations";
import { LIMITS, raisableLimits, type Limit } from "../../model/googleLimits";
import { limitNotices, limitProblems, projectLimitUse } from "../../catalog/limitChecks";
import { emptyCounts } from "../../model/resourceCount";
import { runPlan } from "../../plan/runPlan";
import { runCli } from "../support/commands";

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A directory of `count` external services, one uptime check each and no SLO. */
export function oneCheckServices(count: number): string {
  const dir = mkdtempSync(path.join(tmpdir(), "limits-"));
  dirs.push(dir);
  for (let i = 0; i < count; i++) {
    const name = `site-${String(i).padStart(3, "0")}`;
    writeFileSync(
      path.join(dir, `${name}.yaml`),
      `apiVersion: monitoring-stack/v1\nname: ${name}\nteam: web\ntier: low\nruntime:\n  external: {}\nendpoints:\n  - name: home\n    url: https://${name}.example.com/\n`,
    );
  }
  return dir;
}

describe("the limits module", () => {
  it("gives every limit a value, a scope, a Google source and the date it was read", () => {
    for (const [id, limit] of Object.entries(LIMITS) as [string, Limit][]) {
      expect(limit.value, id).toBeGreaterThan(0);
      expect(limit.source, id).toMatch(/^https:\/\/(cloud\.google\.com|github\.com\/googleapis\/googleapis)\//);
      expect(limit.read, id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      // A value that rests on an archived copy only says what the copy is.
      if (limit.evidence === "archived copy of Google documentation only") expect(limit.caveat, id).toBeTruthy();
    }
    expect(LIMITS.uptimeChecks.value).toBe(100);
    expect(LIMITS.alertPolicies.value).toBe(2000);
    expect(LIMITS.conditionsPerPolicy.value).toBe(6);
  });

  it("lets a stack declare only the quotas Google raises, up to their maximum", () => {
    expect(raisableLimits()).toEqual(RAISABLE_QUOTAS);
  });

  it("gives a notice from 80 % of a limit and a problem past it", () => {
    const at = (uptimeChecks: number) => projectLimitUse("p", { ...emptyCounts(), uptimeChecks });
    expect(limitNotices(at(79))).toEqual([]);
    expect(limitNotices(at(80))).toEqual([expect.stringMatching(/^80 of 100 uptime checks per metrics scope in the metrics scope of project p \(80 %; source: https:\/\/cloud\.google\.com\/monitoring\/quotas#synmon_limits/)]);
    expect(limitProblems(at(100), "f")).toEqual([]);
    expect(limitProblems(at(101), "f").map(formatProblem)).toEqual([expect.stringMatching(/^f: gcp:project: over Google Cloud's limit of 100 uptime checks per metrics scope \(got 101 in the metrics scope of project p, expected at most 100; source: https:\/\/cloud\.google\.com\/monitoring\/quotas#synmon_limits, read \d{4}-\d{2}-\d{2}; the current page could not be read/)]);
  });

  it("accepts quota increases only for quotas Google raises, up to their maximum", () => {
    const problems = (quotas: object) => parseStackConfig(rawConfig({ "monitoring-stack:quotas": JSON.stringify(quotas) }), "f.yaml").problems.map((p) => `${p.path}: ${p.message}`);
    expect(problems({ logSinks: 1000, logBuckets: 2500 })).toEqual([]);
    expect(parseStackConfig(rawConfig({ "monitoring-stack:quotas": '{"logSinks":1000}' }), "f.yaml").settings?.quotas).toEqual({ logSinks: 1000 });
    expect(problems({ logSinks: 5000 })).toEqual([expect.stringMatching(/^monitoring-stack:quotas\.logSinks: .*expected at most 4000, the largest increase Google grants/)]);
    expect(problems({ uptimeChecks: 200 })).toEqual([expect.stringMatching(/^monitoring-stack:quotas\.uptimeChecks: unknown field/)]);
  });

  it("applies a declared quota increase instead of Google's default", () => {
    const uses = projectLimitUse("p", { ...emptyCounts(), logSinks: 250 }, { logSinks: 400 });
    expect(limitProblems(uses, "f")).toEqual([]);
    expect(limitProblems(projectLimitUse("p", { ...emptyCounts(), logSinks: 250 }), "f")).toHaveLength(1);
  });
});

describe("a stack past a limit", () => {
  it("refuses 110 one-check services in one project, naming the 100-check limit, before anything is created", async () => {
    const outcome = await runPlan({ stack: "local", servicesDir: oneCheckServices(110) });
    expect(outcome.ok).toBe(false);
    const messages = outcome.ok ? [] : outcome.problems.map(formatProblem);
    expect(messages).toEqual([
      expect.stringMatching(
        /^stacks\/Pulumi\.local\.yaml: gcp:project: over Google Cloud's limit of 100 uptime checks per metrics scope \(got 110 in the metrics scope of project acme-monitoring-local, expected at most 100; source: https:\/\/cloud\.google\.com\/monitoring\/quotas#synmon_limits.*\)\. Google Cloud would refuse .* this stack creates nothing\. Ways out: move services to a stack that targets another project/,
      ),
    ]);
  });

  it("plans 100 and shows the notice in the summary", async () => {
    const outcome = await runPlan({ stack: "local", servicesDir: oneCheckServices(100) });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.plan.resources.filter((r) => r.type === "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig")).toHaveLength(100);
    expect(outcome.summary).toMatch(/- gcp-limits: 100 of 100 uptime checks per metrics scope in the metrics scope of project acme-monitoring-local \(100 %/);
  });

  it("exits 2 from npm run plan with one line naming the limit", async () => {
    const run = await runCli("plan", "--services", oneCheckServices(110), "--out", path.join(mkdtempSync(path.join(tmpdir(), "limits-out-")), "out"));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("over Google Cloud's limit of 100 uptime checks per metrics scope (got 110");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
