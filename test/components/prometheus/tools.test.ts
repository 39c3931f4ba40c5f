/**
 * The Prometheus tools the rule and Alertmanager tests run: installed, and a
 * missing one fails its tests with the package to install instead of
 * skipping them.
 */
import { describe, expect, it } from "vitest";
import { INSTALL_TOOLS, requireTool, run, runAsync, withTempDir, type Tool } from "./tools";

const TOOLS: Tool[] = ["promtool", "amtool"];

describe("promtool and amtool", () => {
  it.each(TOOLS)("%s is installed", (tool) => {
    requireTool(tool);
    const result = run(tool, ["--version"]);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toMatch(new RegExp(`^${tool}, version \\d+\\.\\d+`));
  });

  it("a missing tool fails the test, naming the Debian package and the install command", async () => {
    const saved = process.env["PATH"];
    process.env["PATH"] = "/nonexistent";
    try {
      expect(() => requireTool("promtool")).toThrow(`promtool is not installed (Debian package prometheus); the tests that run it need it: ${INSTALL_TOOLS}`);
      expect(() => run("amtool", ["--version"])).toThrow(`amtool is not installed (Debian package prometheus-alertmanager)`);
      await withTempDir((dir) => expect(runAsync("promtool", ["--version"], dir)).rejects.toThrow(INSTALL_TOOLS));
    } finally {
      process.env["PATH"] = saved;
    }
    expect(INSTALL_TOOLS).toBe("apt-get install -y --no-install-recommends prometheus prometheus-alertmanager");
  });
});
