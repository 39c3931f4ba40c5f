/**
 * `npm run stacks -- plan`: several stacks planned at once write exactly what
 * planning them one by one writes, and what `npm run plan` writes for each.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { defaultJobs, overallExit, type StackPlanRun } from "../../cli/planStacks";
import { runCli } from "../support/commands";

const work = mkdtempSync(path.join(os.tmpdir(), "plan-stacks-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every file under `dir`, by path relative to it, with its bytes. */
function tree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (at: string) => {
    for (const entry of readdirSync(at).sort()) {
      const full = path.join(at, entry);
      if (statSync(full).isDirectory()) walk(full);
      else files[path.relative(dir, full)] = readFileSync(full, "latin1");
    }
  };
  walk(dir);
  return files;
}

const STACKS = ["local", "dev", "prod-payments"];

describe("npm run stacks -- plan", () => {
  it("writes, two stacks at a time, what one stack at a time writes, and what npm run plan writes alone", async () => {
    const [together, oneByOne, alone] = await Promise.all([
      runCli("stacks", "plan", "--jobs", "2", "--out", path.join(work, "together"), ...STACKS),
      runCli("stacks", "plan", "--jobs", "1", "--out", path.join(work, "one-by-one"), ...STACKS),
      runCli("plan", "--stack", "local", "--out", path.join(work, "alone")),
    ]);
    expect(together.code, together.stderr).toBe(0);
    expect(oneByOne.code, oneByOne.stderr).toBe(0);
    expect(alone.code, alone.stderr).toBe(0);
    expect(together.stdout).toContain("planned 3 stacks, at most 2 at a time");
    expect(together.stdout.split("\n").slice(0, 3).map((line) => line.split(" ")[0])).toEqual(STACKS);
    for (const stack of STACKS) {
      const files = tree(path.join(work, "together", stack));
      expect(Object.keys(files)).toContain("plan.json");
      expect(files, stack).toEqual(tree(path.join(work, "one-by-one", stack)));
    }
    expect(tree(path.join(work, "together", "local"))).toEqual(tree(path.join(work, "alone")));
  }, 180_000);

  it("refuses an unknown stack and a bad --jobs, planning nothing", async () => {
    const unknown = await runCli("stacks", "plan", "--out", path.join(work, "none"), "no-such-stack");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("plan: no such stack (got no-such-stack, expected one of ");
    const jobs = await runCli("stacks", "plan", "--jobs", "0", "local");
    expect(jobs.code).toBe(2);
    expect(jobs.stderr).toContain("--jobs: invalid value (got \"0\", expected a whole number, at least 1)");
  }, 60_000);
});

describe("planStacks helpers", () => {
  it("runs as many plans at a time as there are cores, never more than stacks, at least one", () => {
    expect(defaultJobs(11, 2)).toBe(2);
    expect(defaultJobs(1, 8)).toBe(1);
    expect(defaultJobs(0, 8)).toBe(1);
  });

  it("exits with the gravest code of the stacks", () => {
    const run = (code: number): StackPlanRun => ({ stack: "s", code, stdout: "", stderr: "", seconds: 0 });
    expect(overallExit([run(0), run(0)])).toBe(0);
    expect(overallExit([run(0), run(1)])).toBe(1);
    expect(overallExit([run(1), run(2), run(0)])).toBe(2);
    expect(overallExit([run(2), run(3)])).toBe(3);
  });
});
