/**
 * What every command answers to a bad command line: an unknown option names
 * the option meant, a missing file or directory is one line naming it, and
 * nothing is an "internal error" or a stack trace.
 */
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { runProgram } from "../support/commands";

const run = (file: string, args: string[]) => runProgram("npx", ["tsx", file, ...args]);

/** A typo of an option each command takes, and the option meant. */
const TYPOS: [string, string[], string][] = [
  ["cli/plan.ts", ["--stak", "dev"], "--stack"],
  ["cli/validate.ts", ["--stak", "dev"], "--stack"],
  ["cli/diff.ts", ["a.json", "b.json", "--ot", "x.md"], "--out"],
  ["cli/stacks.ts", ["affected", "--jsn", "README.md"], "--json"],
  ["cli/openslo.ts", ["export", "--skip-unmapable"], "--skip-unmappable"],
  ["cli/import.ts", ["--tem", "shop", "x.yaml"], "--team"],
  ["cli/schema.ts", ["--chek"], "--check"],
  ["bench/run.ts", ["--siezs", "10"], "--sizes"],
  ["bench/alertQuality/run.ts", ["--tols", "ours"], "--tools"],
];

describe("a bad command line", () => {
  it.concurrent.each(TYPOS)("%s %j: one line naming the option meant, the usage, exit 2", async (file, args, meant) => {
    const ran = await run(file, args);
    expect(ran.code, ran.stderr).toBe(2);
    const [first, second] = ran.stderr.split("\n");
    expect(first).toMatch(new RegExp(`^unknown option ${args.find((a) => a.startsWith("--"))}: did you mean ${meant}\\? \\(expected one of: `));
    expect(second).toMatch(/^usage: npm run /);
    expect(ran.stderr).not.toMatch(/internal error|\n\s+at /);
  });

  it.concurrent.each([
    ["cli/stacks.ts", ["list", "--stacks-dir", "nope"], /^nope: \(dir\): not found \(expected a directory of Pulumi\.<stack>\.yaml files\)$/],
    ["cli/stacks.ts", ["check", "--stacks-dir", "README.md"], /^README\.md: \(dir\): not a directory \(expected a directory of Pulumi\.<stack>\.yaml files\)$/],
    ["cli/openslo.ts", ["export", "--skip-unmappable", "--out", "/dev/null/openslo.yaml"], /^\/dev\/null\/openslo\.yaml: \(file\): cannot write \(got [A-Z]+, expected a writable file path\); nothing was written$/],
    ["cli/import.ts", ["--team", "shop", "--out", "/dev/null/imported", path.join("test", "data", "interop", "sloth", "slok_sloth__examples_getting-started.yml")], /^\/dev\/null\/imported: \(dir\): cannot write \(got [A-Z]+, expected a writable directory\)$/],
  ] as [string, string[], RegExp][])("%s %j: a file problem in one line, exit 2", async (file, args, line) => {
    const ran = await run(file, args);
    expect(ran.code, ran.stderr).toBe(2);
    expect(ran.stderr.split("\n").filter((l) => !l.startsWith("skipped: ") && !l.startsWith("note: ") && l !== "")[0]).toMatch(line);
    expect(ran.stderr).not.toMatch(/internal error|\n\s+at /);
  });
});
