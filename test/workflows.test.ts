/**
 * The GitHub workflows: valid against the GitHub workflow schema (kept in
 * test/data), and doing what the README promises — tests, offline plan diff
 * as a sticky comment, preview with the policy pack per affected stack on
 * pull requests, up with the policy pack on main, credentials through
 * Workload Identity Federation only; the pull request's code never runs as
 * the deployer, and the backtest reads history on the base branch's code with
 * its own read-only identity.
 */
import { readFileSync, readdirSync } from "node:fs";
import * as path from "node:path";
import Ajv from "ajv";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";

const root = path.join(__dirname, "..");
const dir = path.join(root, ".github", "workflows");
const schema = JSON.parse(readFileSync(path.join(__dirname, "data", "github-workflow.schema.json"), "utf8")) as object;
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

type Step = { uses?: string; run?: string; if?: string; with?: Record<string, unknown>; env?: Record<string, string> };
type Workflow = { on: Record<string, unknown>; permissions?: Record<string, string>; jobs: Record<string, { steps: Step[]; if?: string; permissions?: Record<string, string>; strategy?: { matrix: Record<string, unknown> } }> };
const load = (file: string) => parse(readFileSync(path.join(dir, file), "utf8")) as Workflow;
const steps = (workflow: Workflow) => Object.values(workflow.jobs).flatMap((job) => job.steps);

describe("GitHub workflows", () => {
  const files = readdirSync(dir).filter((file) => file.endsWith(".yml"));

  it("are valid against the GitHub workflow schema", () => {
    expect(files.sort()).toEqual(["backtest.yml", "main.yml", "pull-request.yml"]);
    for (const file of files) {
      const valid = validate(load(file));
      expect(valid, `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it("the schema check can fail", () => {
    expect(validate({ on: "push", jobs: { x: { "runs-on": "ubuntu-latest", stepz: [] } } })).toBe(false);
  });

  it("pull requests: tests, plan diff as a sticky comment, preview with the policy pack per affected stack", () => {
    const workflow = load("pull-request.yml");
    expect(Object.keys(workflow.on)).toEqual(["pull_request"]);
    const all = steps(workflow);
    expect(all.some((s) => s.run?.includes("./.ci/run"))).toBe(true);
    expect(all.some((s) => s.run?.includes("npm run -s diff --"))).toBe(true);
    expect(all.some((s) => s.uses?.startsWith("marocchino/sticky-pull-request-comment@"))).toBe(true);
    const preview = all.find((s) => s.uses?.startsWith("pulumi/actions@"))!;
    expect(preview.with).toMatchObject({ command: "preview", policyPacks: "policies", "comment-on-pr": true });
    expect(workflow.jobs["preview"]!.strategy!.matrix["stack"]).toBe("${{ fromJSON(needs.plan.outputs.stacks) }}");
  });

  it("main: up with the policy pack, platform stacks before service stacks", () => {
    const workflow = load("main.yml");
    expect(Object.keys(workflow.on)).toEqual(["push"]);
    const ups = steps(workflow).filter((s) => s.uses?.startsWith("pulumi/actions@"));
    expect(ups).toHaveLength(2);
    for (const up of ups) expect(up.with).toMatchObject({ command: "up", policyPacks: "policies" });
    expect(workflow.jobs["up-services"]).toMatchObject({ needs: ["stacks", "up-platform"] });
    // pulumi/actions' up skips the preview: every stack is planned offline first, so a program error applies nothing.
    expect(workflow.jobs["up-platform"]).toMatchObject({ needs: "stacks" });
    expect(workflow.jobs["stacks"]!.steps!.map((s) => s.run ?? "").join("\n")).toMatch(/^\s*npm run -s stacks -- plan$/m);
  });

  it("reach Google Cloud through Workload Identity Federation only: no keys, no tokens", () => {
    for (const file of files) {
      const text = readFileSync(path.join(dir, file), "utf8");
      expect(text).not.toMatch(/credentials_json|GOOGLE_CREDENTIALS|PULUMI_ACCESS_TOKEN/);
      // The only secrets: the backtest's Prometheus URL and header, in the workflow that runs the base branch's code.
      const secrets = [...text.matchAll(/secrets\.([A-Za-z0-9_]+)/g)].map((m) => m[1]);
      expect(secrets.filter((name) => file !== "backtest.yml" || !["BACKTEST_PROMETHEUS_URL", "BACKTEST_PROMETHEUS_AUTHORIZATION"].includes(name!)), file).toEqual([]);
      const workflow = load(file);
      for (const [name, job] of Object.entries(workflow.jobs)) {
        if (job.steps.some((s) => s.uses?.startsWith("pulumi/actions@"))) {
          expect(job.permissions?.["id-token"], `${file} ${name}`).toBe("write");
          expect(job.steps.some((s) => s.uses?.startsWith("google-github-actions/auth@") && s.with?.["workload_identity_provider"])).toBe(true);
        }
      }
    }
  });

  it("only the main-branch deploy acts as the deployer; previews of a pull request's code use their own read-only identity", () => {
    const serviceAccounts = (workflow: Workflow) =>
      Object.entries(workflow.jobs).flatMap(([name, job]) => job.steps.filter((s) => s.uses?.startsWith("google-github-actions/auth@")).map((s) => [name, String(s.with?.["service_account"])]));
    expect(serviceAccounts(load("pull-request.yml"))).toEqual([["preview", "${{ vars.GCP_PREVIEW_SERVICE_ACCOUNT }}"]]);
    expect(serviceAccounts(load("backtest.yml"))).toEqual([["backtest", "${{ vars.GCP_BACKTEST_SERVICE_ACCOUNT }}"]]);
    expect(new Set(serviceAccounts(load("main.yml")).map(([, account]) => account))).toEqual(new Set(["${{ vars.GCP_DEPLOYER_SERVICE_ACCOUNT }}"]));
    for (const file of files) {
      const text = readFileSync(path.join(dir, file), "utf8");
      expect(text, file).not.toMatch(/pull_request_target/);
      if (file !== "main.yml") expect(text, file).not.toMatch(/GCP_DEPLOYER_SERVICE_ACCOUNT/);
    }
    // The pull request's plan job holds no identity at all: it writes the plans and the queries.
    const plan = load("pull-request.yml").jobs["plan"]!;
    expect(plan.permissions?.["id-token"]).toBeUndefined();
    expect(plan.steps.some((s) => s.run?.includes("--print-queries"))).toBe(true);
  });

  it("backtest: after the pull-request workflow, on the base branch's code, replaying the uploaded plans as data; forks and missing credentials skipped", () => {
    const workflow = load("backtest.yml");
    expect(workflow.on).toEqual({ workflow_run: { workflows: ["pull request"], types: ["completed"] } });
    const job = workflow.jobs["backtest"]!;
    // No checkout of the pull request's commit: only the default branch's code runs.
    const checkouts = job.steps.filter((s) => s.uses?.startsWith("actions/checkout@"));
    expect(checkouts).toHaveLength(1);
    expect(checkouts[0]!.with?.["ref"]).toBeUndefined();
    expect(job.steps.some((s) => s.uses?.startsWith("actions/download-artifact@") && s.with?.["run-id"] === "${{ github.event.workflow_run.id }}")).toBe(true);
    const run = job.steps.map((s) => s.run ?? "").join("\n");
    expect(run).toContain("backtest skipped: %s.");
    expect(run).toMatch(/HEAD_REPOSITORY" != "\$GITHUB_REPOSITORY/);
    expect(run).toContain("npm run -s diff --");
    expect(run).toContain("--header 'Authorization: ${PROMETHEUS_AUTHORIZATION}'");
    expect(run).toMatch(/-gt "\$MAX_REQUESTS"/);
    expect(job.steps.some((s) => s.uses?.startsWith("marocchino/sticky-pull-request-comment@") && s.with?.["number"] === "${{ steps.decide.outputs.number }}")).toBe(true);
  });
});
