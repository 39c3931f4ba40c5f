/**
 * The entry point `pulumi up` runs: stacks/index.ts compiled by ts-node as
 * Pulumi's language host does, loading TypeScript and YAML declarations.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { plan } from "../plan/helpers";

const ROOT = path.join(__dirname, "..", "..");

function runEntry(stackFile: string, stack: string): { outputs?: Record<string, unknown>; resources?: number; error?: { runError: boolean; message: string } } {
  const stdout = execFileSync(process.execPath, ["-r", "ts-node/register", path.join("test", "stacks", "runEntry.ts"), stackFile, stack], {
    cwd: ROOT,
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true", TS_NODE_PROJECT: path.join(ROOT, "tsconfig.pulumi.json") },
    encoding: "utf8",
  });
  return JSON.parse(stdout) as ReturnType<typeof runEntry>;
}

/** The local stack with its placeholder credentials as Pulumi secrets, as `pulumi config set --secret` leaves a real stack. */
function localWithSecrets(dir: string): string {
  const document = parse(readFileSync(path.join(ROOT, "stacks", "Pulumi.local.yaml"), "utf8")) as { config: Record<string, unknown> };
  const secret = { secure: "v1:placeholder-encrypted" };
  document.config["monitoring-stack:channelSecrets"] = Object.fromEntries(Object.keys(document.config["monitoring-stack:channelSecrets"] as object).map((name) => [name, secret]));
  document.config["monitoring-stack:grafanaToken"] = secret;
  const file = path.join(dir, "Pulumi.local.yaml");
  writeFileSync(file, stringify(document));
  return file;
}

describe("stacks/index.ts under ts-node (the Pulumi language host's loader)", () => {
  it("registers the same resources as the offline plan and exports per-service outputs", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "entry-"));
    let result: ReturnType<typeof runEntry>;
    try {
      result = runEntry(localWithSecrets(dir), "local");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(result.error).toBeUndefined();
    const offline = await plan({ stack: "local" });
    expect(result.resources).toBe(offline.plan.resources.length);
    expect(result.outputs).toMatchObject({
      environment: "local",
      services: {
        "checkout-api": { team: "payments", tier: "critical", prometheusSlos: [] },
        "catalog-web": { prometheusSlos: ["availability", "latency"] },
        "status-page": { slos: { uptime: "projects/acme-monitoring-local/services/status-page/serviceLevelObjectives/uptime" } },
      },
    });
  }, 120_000);

  it("refuses the offline plan's placeholder credentials: pulumi up needs Pulumi secrets", () => {
    const result = runEntry(path.join(ROOT, "stacks", "Pulumi.local.yaml"), "local");
    expect(result.error?.runError).toBe(true);
    expect(result.error?.message).toContain("monitoring-stack:grafanaToken: credential in plain text (got a placeholder, which only the offline plan accepts, expected a Pulumi secret;");
    expect(result.error?.message).toContain("monitoring-stack:channelSecrets.sre-pager: credential in plain text (got a placeholder, which only the offline plan accepts");
  }, 120_000);

  it("ends an invalid stack with a RunError listing every problem, no stack trace", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "entry-"));
    try {
      const file = path.join(dir, "Pulumi.broken.yaml");
      copyFileSync(path.join(ROOT, "stacks", "Pulumi.local.yaml"), file);
      writeFileSync(file, "config:\n  monitoring-stack:environment: Broken Env\n  monitoring-stack:routes: { page: [nobody] }\n");
      const result = runEntry(file, "broken");
      expect(result.error?.runError).toBe(true);
      expect(result.error?.message).toContain("gcp:project: missing required field");
      expect(result.error?.message).toContain("monitoring-stack:environment: invalid value (got \"Broken Env\"");
      expect(result.error?.message).not.toMatch(/\n\s+at /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
