/**
 * The pack on offline plans: a risky catalog stops the plan (exit 1, each
 * policy named), the catalog in services/ passes, prod's stricter config
 * applies, and an enforcement level can be lowered.
 */
import { readdirSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/commands";
import { runPlan } from "../../plan/runPlan";
import { POLICIES } from "../../policies/pack";
import { REPO_ROOT } from "../support/declarations";

const RISKY = path.join(REPO_ROOT, "test", "fixtures", "policies", "risky");

async function violations(options: Parameters<typeof runPlan>[0]) {
  const outcome = await runPlan(options);
  if (!outcome.ok) throw new Error(outcome.problems.map((p) => p.message).join("\n"));
  return outcome.plan.violations.filter((v) => v.policy !== "not-provisioned-yet");
}

describe("policy pack on the offline plan", () => {
  it("every policy has a name, a description, an enforcement level and config defaults", () => {
    for (const policy of POLICIES) {
      expect(policy.name).toMatch(/^[a-z][a-z0-9-]+$/);
      expect(policy.description.length).toBeGreaterThan(20);
      expect(policy.enforcementLevel).toBe("mandatory");
      expect(Object.keys(policy.configSchema?.properties ?? {}).length, `${policy.name} has a config schema`).toBeGreaterThan(0);
      for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) expect(schema.default, `${policy.name}.${key}`).toBeDefined();
    }
  });

  it("the risky catalog violates one policy per risk, all mandatory", async () => {
    const found = await violations({ servicesDir: RISKY });
    expect(found.every((v) => v.level === "mandatory")).toBe(true);
    expect([...new Set(found.map((v) => v.policy))].sort()).toEqual(["backup-retention", "critical-checked-every-minute", "critical-slos-page", "log-retention"]);
    expect(found.map((v) => v.message)).toContain("service ledger: backup rule daily keeps backups 1 day(s); expected at least 7.");
  });

  it("services/ passes on every stack", async () => {
    const stacks = readdirSync(path.join(REPO_ROOT, "stacks")).flatMap((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1] ?? []);
    expect(stacks.length).toBeGreaterThanOrEqual(5);
    for (const stack of stacks) {
      const mandatory = (await violations({ stack })).filter((v) => v.level === "mandatory");
      expect(mandatory, stack).toEqual([]);
    }
  });

  it("a stricter config (prod) and a lowered enforcement level both apply", async () => {
    const strict = await violations({ stack: "local", policyConfigFile: path.join(REPO_ROOT, "policies", "config", "prod.json") });
    expect(strict).toEqual([]);
    const lenient = path.join(REPO_ROOT, "test", "fixtures", "policies", "advisory.json");
    const found = await violations({ servicesDir: RISKY, policyConfigFile: lenient });
    expect(found.filter((v) => v.level === "mandatory").map((v) => v.policy)).not.toContain("log-retention");
    expect(found.filter((v) => v.policy === "log-retention").map((v) => v.level)).toEqual(["advisory"]);
  });

  it("npm run plan exits 1 on the risky catalog and names each policy", async () => {
    const run = await runCli("plan", "--services", RISKY, "--out", path.join(REPO_ROOT, "node_modules", ".cache", "risky-plan"));
    expect(run.code).toBe(1);
    for (const policy of ["critical-slos-page", "critical-checked-every-minute", "backup-retention", "log-retention"]) expect(run.stderr).toContain(`policy ${policy}: `);
  });
});

describe("APPLIES_TO", () => {
  it("names every resource policy, and each policy ignores every type outside its list", async () => {
    const { APPLIES_TO } = await import("../../policies/pack");
    const resourcePolicies = POLICIES.filter((p) => "validateResource" in p);
    expect(Object.keys(APPLIES_TO).sort()).toEqual(resourcePolicies.map((p) => p.name).sort());
    const outcome = await runPlan({ servicesDir: RISKY });
    if (!outcome.ok) throw new Error("plan failed");
    for (const policy of resourcePolicies) {
      const others = outcome.plan.resources.filter((r) => !APPLIES_TO[policy.name]!.includes(r.type));
      const reported: string[] = [];
      for (const r of others) {
        const args = { type: r.type, props: r.inputs, urn: r.urn, name: r.name, opts: { protect: false, retainOnDelete: false }, getConfig: () => ({ minLocations: 99, minRetentionDays: 9999, maxGoal: 0, minChannels: 99, credentialLabelKeys: ["channel_name", "url"], acceptRetainOnDelete: false }) };
        await (policy as { validateResource: (a: unknown, report: (m: string) => void) => void }).validateResource(args, (m) => reported.push(m));
      }
      expect(reported, policy.name).toEqual([]);
    }
  });
});
