/**
 * Plans several stacks (the stacks of a sharded organisation) at once: one
 * `npm run plan` process per stack, at most `jobs` at a time. A process each,
 * not a thread each: Pulumi's runtime (its mocks, config and resource
 * monitor) is global to a process, so one process plans one stack, exactly
 * as `npm run plan -- --stack NAME` does; what a stack's plan writes is the
 * same whether it runs alone, beside others, or one by one.
 */
import { spawn } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";

/** The command each stack is planned with. */
const PLAN_SCRIPT = path.join(__dirname, "plan.ts");

export interface StackToPlan {
  stack: string;
  /** The stack's config file. */
  configFile: string;
}

export interface StackPlanRun {
  stack: string;
  /** `npm run plan`'s exit code: 0 fine, 1 mandatory violations, 2 invalid input, 3 anything else. */
  code: number;
  stdout: string;
  stderr: string;
  /** Wall time of the stack's process. */
  seconds: number;
}

export interface PlanStacksOptions {
  /** Each stack's files go to OUT/<stack>/. */
  out: string;
  /** At most this many plans at a time. Default: `defaultJobs(stacks.length)`. */
  jobs?: number;
  /** Passed on: plan stacks past Google Cloud's limits (benchmarks only). Default: false. */
  overLimits?: boolean;
  /** Node options of each process. Default: this process's own (the TypeScript loader it runs under). */
  execArgv?: readonly string[];
}

/** As many plans at a time as the machine has cores for, never more than there are stacks. */
export function defaultJobs(stacks: number, cores = os.availableParallelism()): number {
  return Math.max(1, Math.min(stacks, cores));
}

function planOne(target: StackToPlan, options: PlanStacksOptions): Promise<StackPlanRun> {
  const args = [...(options.execArgv ?? process.execArgv), PLAN_SCRIPT, "--stack", target.stack, "--config-file", target.configFile, "--out", path.join(options.out, target.stack)];
  if (options.overLimits) args.push("--over-limits");
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const done = (code: number, extra = "") =>
      resolve({ stack: target.stack, code, stdout, stderr: stderr + extra, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
    child.on("error", (error) => done(3, `${target.stack}: cannot start the plan (${error.message})\n`));
    child.on("close", (code) => done(code ?? 3));
  });
}

/** Plans every stack, at most `jobs` at a time; the runs come back in the order of `stacks`. */
export async function planStacks(stacks: readonly StackToPlan[], options: PlanStacksOptions): Promise<StackPlanRun[]> {
  const jobs = options.jobs ?? defaultJobs(stacks.length);
  const runs: StackPlanRun[] = new Array<StackPlanRun>(stacks.length);
  let next = 0;
  const worker = async () => {
    while (next < stacks.length) {
      const index = next++;
      runs[index] = await planOne(stacks[index]!, options);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, stacks.length)) }, worker));
  return runs;
}

/** The exit code of the whole: the gravest of the stacks' (internal error, then invalid input, then violations). */
export function overallExit(runs: readonly StackPlanRun[]): number {
  const codes = new Set(runs.map((run) => run.code));
  for (const code of [3, 2, 1]) if (codes.has(code)) return code;
  return [...codes].find((code) => code !== 0) ?? 0;
}
