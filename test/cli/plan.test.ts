/**
 * `npm run plan` as a command: a stack config from any file, rendered
 * folders replaced rather than merged, an unwritable --out reported as input.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../support/commands";

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe("npm run plan", () => {
  it("reads a stack config from --config-file and leaves no stale rendered files behind", async () => {
    const out = mkdtempSync(path.join(tmpdir(), "plan-cli-"));
    dirs.push(out);
    const first = await runCli("plan", "--out", out);
    expect(first.code).toBe(0);
    expect(existsSync(path.join(out, "grafana", "local-slo-checkout-api.json"))).toBe(true);
    const second = await runCli("plan", "--stack", "ftry", "--config-file", "examples/ftry/Pulumi.ftry.yaml", "--out", out);
    expect(second.code).toBe(0);
    // One service, said in the singular; no timing that covers only part of the command.
    expect(second.stdout).toMatch(/^planned stack ftry: 1 service, \d+ resources, 0 mandatory violations, \d+ notices?\n/);
    expect(second.stdout).not.toMatch(/\(\d+\.\d s\)/);
    expect(readdirSync(path.join(out, "grafana")).some((file) => file.includes("checkout-api"))).toBe(false);
    // The rendered files it names are the folders it wrote, each with its count.
    for (const run of [first, second]) {
      const line = /and (\d+) rendered files \(([^)]*)\)\n/.exec(run.stdout);
      expect(line, run.stdout).not.toBeNull();
      const named = line![2]!.split(", ").map((part) => part.split(" ") as [string, string]);
      expect(named.reduce((sum, [, count]) => sum + Number(count), 0)).toBe(Number(line![1]));
      const written = ["grafana", "prometheus", "alertmanager"].filter((dir) => existsSync(path.join(out, dir)));
      if (run === second) expect(named.map(([dir]) => dir)).toEqual(written.map((dir) => `${dir}/`));
    }
    expect(second.stdout).not.toContain("alertmanager/");
  });

  it("reports an unwritable --out as invalid input, without a stack trace", async () => {
    const run = await runCli("plan", "--out", "/proc/version/plan");
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^\/proc\/version\/plan: \(dir\): cannot write \(got [A-Z]+, expected a writable directory\)$/m);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
