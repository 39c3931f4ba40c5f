/**
 * The real Prometheus tools (Debian packages `prometheus` and
 * `prometheus-alertmanager`; .ci/run installs them). The tests that run them
 * need them everywhere: a missing tool fails each such test with the command
 * that installs it, never skips it.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

export type Tool = "promtool" | "amtool";

/** What installs both tools on Debian. */
export const INSTALL_TOOLS = "apt-get install -y --no-install-recommends prometheus prometheus-alertmanager";

const PACKAGE: Record<Tool, string> = { promtool: "prometheus", amtool: "prometheus-alertmanager" };

/** The error a test fails with when `tool` is not on the PATH. */
export function missingTool(tool: Tool): Error {
  return new Error(`${tool} is not installed (Debian package ${PACKAGE[tool]}); the tests that run it need it: ${INSTALL_TOOLS}`);
}

/** Whether a spawn failed for want of the program (ENOENT also means a missing working directory). */
const isMissing = (error: unknown, cwd?: string): boolean => (error as NodeJS.ErrnoException | undefined)?.code === "ENOENT" && (cwd === undefined || existsSync(cwd));

/** Fails, naming the package, unless `tool` runs; for code that starts the tool itself (the alert-quality harness). */
export function requireTool(tool: Tool): void {
  const result = spawnSync(tool, ["--version"], { encoding: "utf8" });
  if (isMissing(result.error)) throw missingTool(tool);
  if (result.status !== 0) throw new Error(`${tool} --version exited ${result.status}: ${result.stdout ?? ""}${result.stderr ?? ""}`);
}

export interface ToolResult {
  status: number | null;
  output: string;
}

/** Runs `tool`; throws {@link missingTool} when it is not installed. */
export function run(tool: Tool, args: readonly string[], cwd?: string): ToolResult {
  const result = spawnSync(tool, args, { encoding: "utf8", ...(cwd ? { cwd } : {}), timeout: 120_000 });
  if (isMissing(result.error, cwd)) throw missingTool(tool);
  return { status: result.status, output: `${result.stdout ?? ""}${result.stderr ?? ""}` };
}

/** Like {@link run}, without blocking: promtool runs side by side. */
export function runAsync(tool: Tool, args: readonly string[], cwd: string): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { cwd, timeout: 120_000 });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.on("error", (error) => reject(isMissing(error, cwd) ? missingTool(tool) : error));
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
