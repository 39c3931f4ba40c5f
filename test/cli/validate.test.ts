/**
 * `npx tsx cli/validate.ts PATH...` end to end: exit code 2 and one
 * `FILE: path: message` line per problem for invalid input, no stack trace,
 * exit code 0 for valid declarations. Runs against the embedded local stack.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { runCli, type CliRun } from "../support/commands";
import { BAD_DIR, GOOD_DIR, SEMANTIC_DIR, SEVERAL_MISTAKES_PATHS } from "../support/declarations";

function validate(...args: string[]): Promise<CliRun> {
  return runCli("validate", ...args);
}

/** stderr without npm's own warnings about the user's npmrc, which are not ours to judge. */
function ownLines(stderr: string): string[] {
  return stderr.split("\n").filter((line) => line !== "" && !line.startsWith("npm warn") && !line.startsWith("npm WARN"));
}

const SUMMARY = /^\d+ problems? found; nothing was planned or applied\.$/;
const PROBLEM_LINE = /^(\S+): (\S+): (\S.*)$/;

/** Asserts exit code 2, no stack trace, and exactly the `FILE: path` pairs given, each line of the form `FILE: path: message`. */
function expectProblemOutput(run: CliRun, expected: string[]): void {
  expect(run.code, run.stderr).toBe(2);
  const own = ownLines(run.stderr);
  expect(own.some((line) => /^\s+at /.test(line)), "no stack trace").toBe(false);
  expect(run.stderr).not.toMatch(/^ {4}at /m);
  expect(run.stderr).not.toContain("internal error");
  expect(own.at(-1)).toMatch(SUMMARY);
  const problems = own.slice(0, -1);
  expect(problems.length).toBe(Number(own.at(-1)!.split(" ")[0]));
  for (const line of problems) {
    const match = PROBLEM_LINE.exec(line);
    expect(match, line).not.toBeNull();
    expect(match![3]).toMatch(/expected /);
  }
  expect(problems.map((line) => {
    const match = PROBLEM_LINE.exec(line)!;
    return `${match[1]}: ${match[2]}`;
  })).toEqual(expected);
}

describe("cli/validate.ts", () => {
  const runs: Record<string, CliRun> = {};

  // The runs are independent: start them all at once and keep the suite quick.
  beforeAll(async () => {
    const jobs: Record<string, string[]> = {
      objective100: [`${BAD_DIR}/objective-100.yaml`],
      several: [`${BAD_DIR}/several-mistakes.yaml`],
      malformed: [`${BAD_DIR}/malformed.yaml`],
      tsAndMissing: [`${BAD_DIR}/ts-objective-100.ts`, `${BAD_DIR}/no-such-file.yaml`],
      semantic: [`${SEMANTIC_DIR}/page-tier-never-fires.yaml`, `${SEMANTIC_DIR}/duplicate-service`],
      good: [GOOD_DIR],
    };
    const done = await Promise.all(Object.entries(jobs).map(async ([name, args]) => [name, await validate(...args)] as const));
    for (const [name, run] of done) runs[name] = run;
  }, 120_000);

  it("exits 2 on a bad fixture and prints FILE: path: message, then a summary", () => {
    const run = runs["objective100"]!;
    expectProblemOutput(run, [`${BAD_DIR}/objective-100.yaml: slos[0].objective`]);
    expect(ownLines(run.stderr)[0]).toBe(
      `${BAD_DIR}/objective-100.yaml: slos[0].objective: invalid value (got 100, expected an objective strictly between 0 and 100 (100 leaves no error budget))`,
    );
    expect(run.stdout).toBe("");
  });

  it("prints every mistake of a file with several, one line each", () => {
    expectProblemOutput(
      runs["several"]!,
      SEVERAL_MISTAKES_PATHS.map((path) => `${BAD_DIR}/several-mistakes.yaml: ${path}`),
    );
  });

  it("reports malformed YAML as problems, not as a crash", () => {
    const run = runs["malformed"]!;
    expect(run.code).toBe(2);
    const own = ownLines(run.stderr);
    expect(own.some((line) => /^\s+at /.test(line))).toBe(false);
    expect(own.at(-1)).toMatch(SUMMARY);
    for (const line of own.slice(0, -1)) expect(line).toMatch(new RegExp(`^${BAD_DIR}/malformed\\.yaml: \\(yaml\\): invalid YAML: .*\\(at line \\d+, column \\d+; expected well-formed YAML with unique keys\\)$`));
  });

  it("checks TypeScript declarations the same way and reports a missing path", () => {
    expectProblemOutput(runs["tsAndMissing"]!, [`${BAD_DIR}/no-such-file.yaml: (file)`, `${BAD_DIR}/ts-objective-100.ts: slos[0].objective`]);
  });

  it("exits 2 on semantic mistakes found against the stack config, including a service name declared twice", () => {
    expectProblemOutput(runs["semantic"]!, [
      `${SEMANTIC_DIR}/page-tier-never-fires.yaml: slos[0].objective`,
      `${SEMANTIC_DIR}/duplicate-service/b.yaml: name`,
    ]);
  });

  it("exits 0 on the good fixture directory and says how many declarations are valid", () => {
    const run = runs["good"]!;
    expect(ownLines(run.stderr)).toEqual([]);
    expect(run.code, run.stderr).toBe(0);
    // Outside the stack's services directory: not in its plan, and the line says who checks their policies.
    expect(run.stdout).toBe("6 service declarations valid against stack local; 6 declarations outside services not planned (npm run plan -- --stack local --services DIR runs the mandatory policies on them)\n");
  });
});
