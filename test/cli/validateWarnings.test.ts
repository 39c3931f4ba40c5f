/**
 * `npm run validate` says what it did not check and what no stack will plan:
 * an empty directory and skipped files are warnings; a declaration that no
 * stack of the environment owns is a problem naming the `owns` entry to add.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../support/commands";

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "validate-warnings-"));
  dirs.push(dir);
  return dir;
}

const service = (name: string, team: string) => `apiVersion: monitoring-stack/v1
name: ${name}
team: ${team}
tier: low
runtime: { external: {} }
endpoints:
  - { name: home, url: "https://${name}.example.com/" }
`;

describe("npm run validate warnings and ownership", () => {
  it("warns about an empty directory and a skipped .json file, and still exits 0", async () => {
    const dir = tempDir();
    const empty = path.join(dir, "empty");
    mkdirSync(empty);
    const run = await runCli("validate", empty);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`warning: ${empty}: (dir): no service declarations (expected .yaml, .yml or .ts files)`);
    expect(run.stdout).toContain("0 service declarations valid");

    const mixed = path.join(dir, "mixed");
    mkdirSync(mixed);
    writeFileSync(path.join(mixed, "shop.yaml"), service("shop", "web"));
    writeFileSync(path.join(mixed, "legacy.json"), "{}");
    writeFileSync(path.join(mixed, "README.md"), "# notes\n");
    const second = await runCli("validate", mixed);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain(`warning: ${path.join(mixed, "legacy.json")}: (file): skipped (not a declaration: expected .yaml, .yml or .ts)`);
    expect(second.stderr).not.toContain("README.md");
    expect(second.stdout).toContain("1 service declaration valid");
  });

  it("refuses a new team's service that no stack of the environment owns, naming the owns entry to add", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "loyalty.yaml"), service("loyalty", "growth"));
    const run = await runCli("validate", "--stack", "prod-shop", dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `${path.join(dir, "loyalty.yaml")}: (file): owned by no stack of environment prod (got team growth, service loyalty; expected a stack to own it: add growth to monitoring-stack:owns.teams, or loyalty to monitoring-stack:owns.services, in stacks/Pulumi.prod-shop.yaml)`,
    );
    // A service another stack of the environment owns is fine.
    writeFileSync(path.join(dir, "loyalty.yaml"), service("loyalty", "payments"));
    const owned = await runCli("validate", "--stack", "prod-shop", dir);
    expect(owned.code, owned.stderr).toBe(0);
  });
});
