/**
 * A new team's first hour, scripted: it adds a service with a channel the
 * stack does not have, follows each message to the stack file, plans
 * offline with the placeholder the message offers, and meets the mandatory
 * policy in `npm run validate` rather than later in `npm run plan`. Each step
 * runs the commands as the team would, in a copy of the repository.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/declarations";
import { runProgram } from "../support/commands";

let root: string;
beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), "onboarding-"));
  const listed = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: REPO_ROOT, encoding: "utf8" });
  for (const file of new Set(listed.split("\0").filter(Boolean))) {
    if (file === "node_modules" || !existsSync(path.join(REPO_ROOT, file))) continue;
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    cpSync(path.join(REPO_ROOT, file), path.join(root, file));
  }
  symlinkSync(realpathSync(path.join(REPO_ROOT, "node_modules")), path.join(root, "node_modules"), "dir");
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const run = (...args: string[]) => runProgram("npx", ["tsx", ...args], { cwd: root });

const STACK = "stacks/Pulumi.local.yaml";
const DECLARATION = "services/orders-api.yaml";
/** "p95 under 300 ms", as docs/fields.md writes it; a critical database backed up daily without point-in-time recovery. */
const ORDERS = `apiVersion: monitoring-stack/v1
name: orders-api
team: orders
tier: critical
runtime: { cloudRun: { service: orders-api, region: europe-west1 } }
slos:
  - { name: latency, objective: 95, indicator: { latency: { threshold: 300ms } } }
alerting: { page: [orders-pager], ticket: [sre-slack] }
database:
  cloudSql: { instance: orders-db, backups: { schedule: daily, retentionDays: 7, pointInTimeRecovery: false } }
`;
const edit = (file: string, change: (text: string) => string) => writeFileSync(path.join(root, file), change(readFileSync(path.join(root, file), "utf8")));

describe("a new team onboarding a service", () => {
  it("is told where channels live, gets an offline placeholder that works, and meets the mandatory policy in validate", async () => {
    writeFileSync(path.join(root, DECLARATION), ORDERS);

    // 1. Its pager is not a channel of the stack: the message says where channels and their credentials are declared.
    const unknown = await run("cli/validate.ts", DECLARATION);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(`${DECLARATION}: alerting.page[0]: unknown channel (got "orders-pager"`);
    expect(unknown.stderr).toContain("channels are declared under monitoring-stack:channels in the stack file, stacks/Pulumi.<stack>.yaml, their credentials under monitoring-stack:channelSecrets");

    // 2. The channel declared without its credential: both ways to set it, the offline one included.
    edit(STACK, (text) => text.replace("  monitoring-stack:channels:\n", "  monitoring-stack:channels:\n    orders-pager:\n      type: pagerduty\n"));
    const missing = await run("cli/validate.ts", DECLARATION);
    expect(missing.code).toBe(2);
    const line = missing.stderr.split("\n").find((l) => l.includes("monitoring-stack:channelSecrets.orders-pager: missing credential"));
    expect(line).toBeDefined();
    expect(line).toContain("pulumi config set --secret --path 'monitoring-stack:channelSecrets.orders-pager' VALUE");
    const offered = /a plain placeholder in the stack file works \(monitoring-stack:channelSecrets: \{ orders-pager: ([\w-]+) \}\)/.exec(line!)?.[1];
    expect(offered).toBeDefined();
    // docs/deploying.md quotes this very line.
    expect(readFileSync(path.join(REPO_ROOT, "docs", "deploying.md"), "utf8")).toContain(`${line}\n`);

    // 3. The placeholder it offers, written as offered: the declaration now fails only on the policy npm run plan enforces.
    edit(STACK, (text) => text.replace("  monitoring-stack:channelSecrets:\n", `  monitoring-stack:channelSecrets:\n    orders-pager: ${offered}\n`));
    const policy = await run("cli/validate.ts", DECLARATION);
    expect(policy.code, policy.stderr).toBe(2);
    expect(policy.stderr).toContain(`${DECLARATION}: (policy backup-retention): service orders-api: critical-tier database backed up without point-in-time recovery`);
    const plan = await run("cli/plan.ts", "--out", path.join(root, "plan-output"));
    expect(plan.code, "npm run plan refuses what validate refused").toBe(1);
    expect(plan.stderr).toContain("policy backup-retention: service orders-api: critical-tier database backed up without point-in-time recovery");

    // 4. Fixed: validate and plan agree.
    edit(DECLARATION, (text) => text.replace("pointInTimeRecovery: false", "pointInTimeRecovery: true"));
    const valid = await run("cli/validate.ts", DECLARATION);
    expect(valid.code, valid.stderr).toBe(0);
    expect(valid.stdout).toBe("1 service declaration valid against stack local, mandatory policies included\n");
    const planned = await run("cli/plan.ts", "--out", path.join(root, "plan-output"));
    expect(planned.code, planned.stderr).toBe(0);
    expect(readFileSync(path.join(root, "plan-output", "summary.md"), "utf8")).toContain("orders-api");
  }, 600_000);

  it("a real-looking credential in plain text is refused offline too, with the same two ways to set it", async () => {
    edit(STACK, (text) => text.replace("monitoring-stack:grafanaToken: placeholder-grafana-service-account-token", "monitoring-stack:grafanaToken: glsa_looks_real_1234"));
    const refused = await run("cli/validate.ts", "--stack", "local");
    edit(STACK, (text) => text.replace("monitoring-stack:grafanaToken: glsa_looks_real_1234", "monitoring-stack:grafanaToken: placeholder-grafana-service-account-token"));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("stacks/Pulumi.local.yaml: monitoring-stack:grafanaToken: credential in plain text (got a value that is not a Pulumi secret nor a placeholder, expected a Pulumi secret; set it with: pulumi config set --secret monitoring-stack:grafanaToken VALUE; for an offline plan only, a plain placeholder in the stack file works");
    expect(refused.stderr).not.toContain("glsa_looks_real_1234");
  }, 300_000);
});
