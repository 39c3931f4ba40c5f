/** Runs one of the commands in cli/ the way a user does (`npx tsx cli/<name>.ts ...`) and collects its output. */
import { spawn } from "node:child_process";
import * as path from "node:path";

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

const REPO_ROOT = path.resolve(__dirname, "../..");

export function runCli(command: string, ...args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["tsx", `cli/${command}.ts`, ...args], { cwd: REPO_ROOT, env: { ...process.env, DEBUG: "" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
