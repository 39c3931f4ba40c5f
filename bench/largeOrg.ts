/**
 * npx tsx bench/largeOrg.ts [--no-write]
 *
 * The 1000-service organisation of examples/large-org planned the way a CI
 * preview matrix plans it: stack by stack, one `npm run plan` process each
 * (cli/plan.ts under node with tsx and bench/probe.ts preloaded), one after
 * the other. Records the total wall time, the slowest stack and the peak
 * memory of any one stack into bench/RESULTS.md between its large-org markers.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { writeOrganisation } from "../examples/large-org/generate";
import { measure, type Measurement } from "./run";

const RESULTS = path.join(__dirname, "RESULTS.md");
const BEGIN = "<!-- large-org:begin (written by npx tsx bench/largeOrg.ts) -->";
const END = "<!-- large-org:end -->";

export interface StackRun extends Measurement {
  stack: string;
  services: number;
}

export function renderLargeOrg(runs: readonly StackRun[], started: string): string {
  const wall = runs.reduce((sum, r) => sum + r.wallSeconds, 0);
  const cpu = runs.reduce((sum, r) => sum + r.cpuSeconds, 0);
  const slowest = [...runs].sort((a, b) => b.wallSeconds - a.wallSeconds)[0]!;
  const heaviest = [...runs].sort((a, b) => b.maxRssBytes - a.maxRssBytes)[0]!;
  const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
  return [
    BEGIN,
    `Measured ${started} on the machine above; load (1 min) ${runs[0]!.load.toFixed(2)} at the first stack, ${runs[runs.length - 1]!.load.toFixed(2)} at the last. Command: \`npx tsx bench/largeOrg.ts\`.`,
    "",
    `| Stacks | Services | Resources | Total wall (s) | Total CPU (s) | Slowest stack (wall s) | Peak RSS of one stack (MB) |`,
    "|---:|---:|---:|---:|---:|---|---:|",
    `| ${runs.length} | ${runs.reduce((s, r) => s + r.services, 0)} | ${runs.reduce((s, r) => s + r.resources, 0)} | ${wall.toFixed(1)} | ${cpu.toFixed(1)} | ${slowest.stack} (${slowest.wallSeconds.toFixed(1)}) | ${mb(heaviest.maxRssBytes)} (${heaviest.stack}) |`,
    "",
    "| Stack | Services | Resources | Wall (s) | CPU (s) | Peak RSS (MB) |",
    "|---|---:|---:|---:|---:|---:|",
    ...runs.map((r) => `| ${r.stack} | ${r.services} | ${r.resources} | ${r.wallSeconds.toFixed(1)} | ${r.cpuSeconds.toFixed(1)} | ${mb(r.maxRssBytes)} |`),
    END,
  ].join("\n");
}

async function main(): Promise<void> {
  const write = !process.argv.includes("--no-write");
  const work = mkdtempSync(path.join(os.tmpdir(), "bench-large-org-"));
  try {
    writeOrganisation(work);
    const stacksDir = path.join(work, "stacks");
    for (const file of readdirSync(stacksDir)) {
      const full = path.join(stacksDir, file);
      writeFileSync(full, readFileSync(full, "utf8").replace(/dir: examples\/large-org\/services\//, `dir: ${path.join(work, "services")}/`));
    }
    const stacks = readdirSync(stacksDir).map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)![1]!).sort();
    const started = new Date().toISOString().replace(/\.\d+Z$/, "Z");
    const runs: StackRun[] = [];
    for (const stack of stacks) {
      const run = await measure(
        [path.join(__dirname, "..", "cli", "plan.ts"), "--stack", stack, "--config-file", path.join(stacksDir, `Pulumi.${stack}.yaml`), "--out", path.join(work, "out", stack)],
        work,
        (stdout) => Number(/(\d+) resources/.exec(stdout)?.[1] ?? NaN),
        os.loadavg()[0]!,
      );
      const services = JSON.parse(readFileSync(path.join(work, "out", stack, "plan.json"), "utf8")) as { usage?: { services: Record<string, unknown> } };
      runs.push({ ...run, stack, services: Object.keys(services.usage?.services ?? {}).length });
      process.stdout.write(`${stack}: ${run.resources} resources, ${run.wallSeconds.toFixed(1)} s, ${Math.round(run.maxRssBytes / 2 ** 20)} MB\n`);
    }
    const table = renderLargeOrg(runs, started);
    process.stdout.write(`${table}\n`);
    if (write) {
      const text = readFileSync(RESULTS, "utf8");
      const start = text.indexOf(BEGIN);
      const end = text.indexOf(END);
      writeFileSync(RESULTS, start >= 0 && end > start ? `${text.slice(0, start)}${table}${text.slice(end + END.length)}` : `${text.trimEnd()}\n\n${table}\n`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
