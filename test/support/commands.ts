/** Runs the commands in cli/ the way a user does (`npx tsx cli/<name>.ts ...`), or any other program, and collects the output. */
import { spawn } from "node:child_process";
import * as path from "node:path";

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

const REPO_ROOT = path.resolve(__dirname, "../..");

export function runCli(command: string, ...args: string[]): Promise<CliRun> {
  return runProgram("npx", ["tsx", `cli/${command}.ts`, ...args]);
}

/** Runs `program` with `args` in `cwd` (the repository by default), `DEBUG` cleared and `env` added, and collects its output. */
export function runProgram(program: string, args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd: options.cwd ?? REPO_ROOT, env: { ...process.env, DEBUG: "", ...options.env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
