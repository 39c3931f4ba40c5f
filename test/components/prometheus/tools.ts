/**
 * The real Prometheus tools (Debian packages `prometheus` and
 * `prometheus-alertmanager`; .ci/run installs them). Missing tools fail the
 * tests in CI; on a workstation without them the tests are skipped, and say so.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

export type Tool = "promtool" | "amtool";

const PACKAGE: Record<Tool, string> = { promtool: "prometheus", amtool: "prometheus-alertmanager" };

export function hasTool(tool: Tool): boolean {
  const result = spawnSync(tool, ["--version"], { encoding: "utf8" });
  return result.status === 0;
}

/**
 * Whether to skip tests of `tool`: never in CI (a missing tool throws there, so
 * the suite fails clearly); locally only when it is not installed.
 */
export function skipWithout(tool: Tool): boolean {
  if (hasTool(tool)) return false;
  const install = `apt-get install -y --no-install-recommends ${PACKAGE[tool]}`;
  if (process.env["CI"]) throw new Error(`${tool} is not installed; CI must install it (${install})`);
  process.stderr.write(`skipping ${tool} tests: ${tool} is not installed (${install})\n`);
  return true;
}

export interface ToolResult {
  status: number | null;
  output: string;
}

export function run(tool: Tool, args: readonly string[], cwd?: string): ToolResult {
  const result = spawnSync(tool, args, { encoding: "utf8", ...(cwd ? { cwd } : {}), timeout: 120_000 });
  return { status: result.status, output: `${result.stdout ?? ""}${result.stderr ?? ""}` };
}

/** Like {@link run}, without blocking: promtool runs side by side. */
export function runAsync(tool: Tool, args: readonly string[], cwd: string): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { cwd, timeout: 120_000 });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, output }));
  });
}

/** A scratch directory removed after `body` (sync or async) is done. */
export async function withTempDir<T>(body: (dir: string) => T | Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), "monitoring-stack-"));
  try {
    return await body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
