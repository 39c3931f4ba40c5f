/**
 * Preloaded into every measured process (`node --import tsx --import bench/probe.ts ...`):
 * on exit, writes the process's own peak resident set size and CPU time to
 * the file named by BENCH_PROBE_OUT, so the runner measures each child
 * process without depending on an external `time` command.
 */
import { writeFileSync } from "node:fs";

export interface ProbeReport {
  /** Peak resident set size, bytes. */
  maxRssBytes: number;
  userCpuSeconds: number;
  systemCpuSeconds: number;
}

const out = process.env["BENCH_PROBE_OUT"];
if (out) {
  process.on("exit", () => {
    const usage = process.resourceUsage();
    const report: ProbeReport = { maxRssBytes: usage.maxRSS * 1024, userCpuSeconds: usage.userCPUTime / 1e6, systemCpuSeconds: usage.systemCPUTime / 1e6 };
    writeFileSync(out, JSON.stringify(report));
  });
}
