/**
 * The GitHub workflows: valid against the GitHub workflow schema (kept in
 * test/data), and doing what the README promises — tests, offline plan diff
 * as a sticky comment, preview with the policy pack per affected stack on
 * pull requests, up with the policy pack on main, credentials through
 * Workload Identity Federation only.
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

type Step = { uses?: string; run?: string; with?: Record<string, unknown> };
type Workflow = { on: Record<string, unknown>; permissions?: Record<string, string>; jobs: Record<string, { steps: Step[]; permissions?: Record<string, string>; strategy?: { matrix: Record<string, unknown> } }> };
const load = (file: string) => parse(readFileSync(path.join(dir, file), "utf8")) as Workflow;
const steps = (workflow: Workflow) => Object.values(workflow.jobs).flatMap((job) => job.steps);

describe("GitHub workflows", () => {
  const files = readdirSync(dir).filter((file) => file.endsWith(".yml"));

  it("are valid against the GitHub workflow schema", () => {
    expect(files.sort()).toEqual(["main.yml", "pull-request.yml"]);
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
  });

  it("reach Google Cloud through Workload Identity Federation only: no keys, no tokens", () => {
    for (const file of files) {
      const text = readFileSync(path.join(dir, file), "utf8");
      expect(text).not.toMatch(/credentials_json|GOOGLE_CREDENTIALS|PULUMI_ACCESS_TOKEN|secrets\./);
      const workflow = load(file);
      for (const [name, job] of Object.entries(workflow.jobs)) {
        if (job.steps.some((s) => s.uses?.startsWith("pulumi/actions@"))) {
          expect(job.permissions?.["id-token"], `${file} ${name}`).toBe("write");
          expect(job.steps.some((s) => s.uses?.startsWith("google-github-actions/auth@") && s.with?.["workload_identity_provider"])).toBe(true);
        }
      }
    }
  });
});
