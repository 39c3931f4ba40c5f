/**
 * npm run bench -- [--sizes 10,100,1000] [--repeat 3] [--max-load 1.0] [--load-wait 600] [--no-write]
 *
 * For each catalog size: writes a synthetic catalog, then measures, in
 * separate processes and interleaved over the repeats,
 *   - ours:    `npm run plan` on the catalog (the real CLI, writing plan.json and summary.md);
 *   - raw SDK: the raw Pulumi SDK registering the same cloud resources under the same mocks;
 *   - peer:    cdk-monitoring-constructs synthesising a comparable set (bench/cases/cdkPeer.ts).
 * Wall time is measured here from spawn to exit; peak RSS and CPU time by the
 * child itself (bench/probe.ts). Waits first until the 1-minute load average
 * is below --max-load (at most --load-wait seconds), notes the load at the
 * start of every run, reports the median of the repeats and writes the table
 * into bench/RESULTS.md between its results markers.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { argumentProblem, commandArgs, type CommandHelp } from "../cli/output";
import { writeCatalog } from "./catalog";
import type { ProbeReport } from "./probe";
import { workloadFromPlan } from "./workload";

const ROOT = path.resolve(__dirname, "..");
const RESULTS = path.join(__dirname, "RESULTS.md");
const BEGIN = "<!-- results:begin (written by npm run bench) -->";
const END = "<!-- results:end -->";

export const TOOLS = ["ours", "raw SDK, same graph", "raw SDK, cloud resources only", "peer"] as const;
export type Tool = (typeof TOOLS)[number];

export interface BenchOptions {
  sizes: number[];
  repeat: number;
  maxLoad: number;
  loadWaitSeconds: number;
  write: boolean;
}

export const BENCH_HELP: CommandHelp = {
  name: "bench",
  usage: ["npm run bench -- [--sizes 10,100,1000] [--repeat 3] [--max-load 1.0] [--load-wait 600] [--no-write]"],
  summary: "Measures the offline plan on synthetic catalogs against the raw Pulumi SDK and a peer library, and writes the table into bench/RESULTS.md. Exits 2 on a bad option value.",
  options: [
    { flag: "--sizes N,N,...", meaning: "catalog sizes, in services", default: "10,100,1000" },
    { flag: "--repeat N", meaning: "runs per case; the median is reported", default: "3" },
    { flag: "--max-load L", meaning: "wait, before measuring, until the 1-minute load average is below L", default: "1.0" },
    { flag: "--load-wait S", meaning: "wait at most S seconds for that", default: "600" },
    { flag: "--no-write", meaning: "print the table, leave bench/RESULTS.md as it is", default: "write" },
  ],
};

const BENCH_OPTIONS = {
  sizes: { type: "string", default: "10,100,1000" },
  repeat: { type: "string", default: "3" },
  "max-load": { type: "string", default: "1.0" },
  "load-wait": { type: "string", default: "600" },
  "no-write": { type: "boolean", default: false },
} as const;

/** Parses the command line; throws with a one-line message on bad input. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  let values: ReturnType<typeof parseArgs<{ options: typeof BENCH_OPTIONS }>>["values"];
  try {
    values = parseArgs({ args: [...argv], options: BENCH_OPTIONS, strict: true }).values;
  } catch (error) {
    throw new Error(argumentProblem(error, Object.keys(BENCH_OPTIONS)));
  }
  const sizes = values.sizes.split(",").map((text) => Number(text.trim()));
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--sizes: invalid value (got ${JSON.stringify(values.sizes)}, expected whole numbers separated by commas, like 10,100,1000)`);
  const repeat = Number(values.repeat);
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat: invalid value (got ${JSON.stringify(values.repeat)}, expected a whole number, at least 1)`);
  const maxLoad = Number(values["max-load"]);
  if (!(maxLoad > 0)) throw new Error(`--max-load: invalid value (got ${JSON.stringify(values["max-load"])}, expected a positive load average)`);
  const loadWaitSeconds = Number(values["load-wait"]);
  if (!(loadWaitSeconds >= 0)) throw new Error(`--load-wait: invalid value (got ${JSON.stringify(values["load-wait"])}, expected seconds, 0 or more)`);
  return { sizes, repeat, maxLoad, loadWaitSeconds, write: !values["no-write"] };
}

export interface Measurement {
  wallSeconds: number;
  maxRssBytes: number;
  cpuSeconds: number;
  resources: number;
  /** 1-minute load average when the run started. */
  load: number;
}

/** The median of a non-empty list (mean of the middle two for even lengths). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function waitForQuiet(options: BenchOptions): Promise<number> {
  const deadline = Date.now() + options.loadWaitSeconds * 1000;
  let warned = false;
  while (os.loadavg()[0]! >= options.maxLoad && Date.now() < deadline) {
    if (!warned) process.stderr.write(`waiting for the 1-minute load average (${os.loadavg()[0]!.toFixed(2)}) to drop below ${options.maxLoad}...\n`);
    warned = true;
    await new Promise((resolve) => setTimeout(resolve, 5000));
  }
  return os.loadavg()[0]!;
}

/** Runs one measured child process: node with tsx and the probe preloaded. */
export function measure(args: string[], work: string, parseResources: (stdout: string) => number, load: number): Promise<Measurement> {
  const probeOut = path.join(work, `probe-${process.pid}-${Date.now()}.json`);
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, ["--import", "tsx", "--import", path.join(__dirname, "probe.ts"), ...args], {
    cwd: ROOT,
    env: { ...process.env, BENCH_PROBE_OUT: probeOut, DEBUG: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on("close", (code) => {
      const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) return reject(new Error(`${args.join(" ")} exited with ${code}:\n${stderr}`));
      const probe = JSON.parse(readFileSync(probeOut, "utf8")) as ProbeReport;
      resolve({ wallSeconds, maxRssBytes: probe.maxRssBytes, cpuSeconds: probe.userCpuSeconds + probe.systemCpuSeconds, resources: parseResources(stdout), load });
    });
  });
}

const planResources = (stdout: string) => Number(/(\d+) resources/.exec(stdout)?.[1] ?? NaN);
const jsonResources = (stdout: string) => (JSON.parse(stdout.trim().split("\n").pop()!) as { resources: number }).resources;

function packageVersion(name: string): string {
  return (JSON.parse(readFileSync(path.join(ROOT, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
}

function gitCommit(): string {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
}

export interface Row {
  services: number;
  tool: Tool;
  runs: Measurement[];
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

/** The markdown results: machine, versions, the table and the derived comparisons. */
export function renderResults(rows: readonly Row[], options: BenchOptions, machine: Record<string, string>): string {
  const med = (row: Row, pick: (m: Measurement) => number) => median(row.runs.map(pick));
  const find = (services: number, tool: Tool) => rows.find((r) => r.services === services && r.tool === tool);
  const lines = [
    "| Machine | |",
    "|---|---|",
    ...Object.entries(machine).map(([key, value]) => `| ${key} | ${value} |`),
    "",
    `Median of ${options.repeat} run${options.repeat === 1 ? "" : "s"} per case, cases interleaved, one at a time; wall time from spawn to exit (process start, module loading and output included). The load column is the 1-minute load average when each run started: the benchmark's own previous run counts in it.`,
    "",
    "| Services | Tool | Resources | Wall (s) | Peak RSS (MB) | CPU (s) | Wall per service (ms) | Load (1 min) at start |",
    "|---:|---|---:|---:|---:|---:|---:|---|",
  ];
  for (const row of rows) {
    const wall = med(row, (m) => m.wallSeconds);
    const loads = row.runs.map((m) => m.load);
    lines.push(
      `| ${row.services} | ${row.tool} | ${row.runs[0]!.resources} | ${fmt(wall)} | ${mb(med(row, (m) => m.maxRssBytes))} | ${fmt(med(row, (m) => m.cpuSeconds))} | ${fmt((wall * 1000) / row.services)} | ${fmt(Math.min(...loads), 2)}–${fmt(Math.max(...loads), 2)} |`,
    );
  }
  const sizes = [...new Set(rows.map((r) => r.services))].sort((a, b) => a - b);
  lines.push(
    "",
    "| Services | Ours over raw SDK, same graph: wall / CPU / peak RSS | Ours over raw SDK, cloud resources only: wall / CPU / peak RSS | Peer ÷ ours (wall) |",
    "|---:|---:|---:|---:|",
  );
  for (const services of sizes) {
    const ours = find(services, "ours");
    const graph = find(services, "raw SDK, same graph");
    const cloud = find(services, "raw SDK, cloud resources only");
    const peer = find(services, "peer");
    if (!ours || !graph || !cloud || !peer) continue;
    const over = (base: Row) =>
      [(m: Measurement) => m.wallSeconds, (m: Measurement) => m.cpuSeconds, (m: Measurement) => m.maxRssBytes]
        .map((pick) => `${signed((med(ours, pick) / med(base, pick) - 1) * 100)} %`)
        .join(" / ");
    lines.push(`| ${services} | ${over(graph)} | ${over(cloud)} | ${fmt(med(peer, (m) => m.wallSeconds) / med(ours, (m) => m.wallSeconds))}× |`);
  }
  if (sizes.length >= 2) {
    const [small, large] = [sizes[0]!, sizes[sizes.length - 1]!];
    lines.push("", `Marginal cost per service, from ${small} to ${large} services (wall time difference ÷ ${large - small}):`, "");
    for (const tool of TOOLS) {
      const a = find(small, tool);
      const b = find(large, tool);
      if (!a || !b) continue;
      const slope = ((med(b, (m) => m.wallSeconds) - med(a, (m) => m.wallSeconds)) * 1000) / (large - small);
      lines.push(`- ${tool}: ${fmt(slope)} ms per service`);
    }
  }
  return lines.join("\n");
}

const signed = (n: number) => `${n >= 0 ? "+" : ""}${n.toFixed(1)}`;

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  // --help (exit 0) and an unknown option (exit 2, with the likely one meant) as every command answers them.
  const parsed = commandArgs(BENCH_HELP, { args: argv, options: { ...BENCH_OPTIONS, help: { type: "boolean" } }, strict: true });
  if (typeof parsed === "number") {
    process.exitCode = parsed;
    return;
  }
  let options: BenchOptions;
  try {
    options = parseBenchArgs(argv.filter((arg) => arg !== "--help"));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
    return;
  }
  const work = path.join(os.tmpdir(), "monitoring-stack-bench");
  mkdirSync(work, { recursive: true });
  const rows: Row[] = [];
  // Wait once for other work to quieten down; afterwards the load average includes our own runs.
  const loadAtStart = await waitForQuiet(options);
  for (const services of options.sizes) {
    const catalog = path.join(work, `catalog-${services}`);
    const out = path.join(work, `plan-${services}`);
    writeCatalog(catalog, services);
    // An unmeasured plan first: warms the file cache and gives the resources the baseline and the peer build.
    await measure(["cli/plan.ts", "--services", catalog, "--out", out, "--over-limits"], work, planResources, 0);
    const workloadFile = path.join(work, `workload-${services}.json`);
    writeFileSync(workloadFile, JSON.stringify(workloadFromPlan((JSON.parse(readFileSync(path.join(out, "plan.json"), "utf8")) as { resources: [] }).resources)));
    const commands: Record<Tool, [string[], (stdout: string) => number]> = {
      ours: [["cli/plan.ts", "--services", catalog, "--out", out, "--over-limits"], planResources],
      "raw SDK, same graph": [["bench/cases/rawSdk.ts", "graph", workloadFile], jsonResources],
      "raw SDK, cloud resources only": [["bench/cases/rawSdk.ts", "cloud", workloadFile], jsonResources],
      peer: [["bench/cases/cdkPeer.ts", workloadFile, path.join(work, `cdk-${services}`)], jsonResources],
    };
    const byTool = new Map<Tool, Row>(TOOLS.map((tool) => [tool, { services, tool, runs: [] }]));
    for (let run = 0; run < options.repeat; run++) {
      for (const tool of TOOLS) {
        const load = os.loadavg()[0]!;
        const [args, parse] = commands[tool];
        const m = await measure(args, work, parse, load);
        byTool.get(tool)!.runs.push(m);
        process.stderr.write(`${services} services, ${tool}, run ${run + 1}: ${fmt(m.wallSeconds)} s, ${mb(m.maxRssBytes)} MB, ${m.resources} resources (load ${fmt(load, 2)})\n`);
      }
    }
    rows.push(...byTool.values());
  }
  const machine = {
    CPU: `${os.cpus()[0]?.model ?? "unknown"} × ${os.availableParallelism()} (nproc)`,
    RAM: `${Math.round(os.totalmem() / 1024 ** 3)} GB`,
    OS: `${os.type()} ${os.release()}`,
    "Node.js": process.version,
    Versions: `@pulumi/pulumi ${packageVersion("@pulumi/pulumi")}, @pulumi/gcp ${packageVersion("@pulumi/gcp")}, cdk-monitoring-constructs ${packageVersion("cdk-monitoring-constructs")}, aws-cdk-lib ${packageVersion("aws-cdk-lib")}, constructs ${packageVersion("constructs")}, tsx ${packageVersion("tsx")}`,
    Commit: gitCommit(),
    "Load (1 min) at start / end": `${fmt(loadAtStart, 2)} / ${fmt(os.loadavg()[0]!, 2)}`,
    Command: `npm run bench -- --sizes ${options.sizes.join(",")} --repeat ${options.repeat} --max-load ${options.maxLoad}`,
  };
  const table = renderResults(rows, options, machine);
  process.stdout.write(`${table}\n`);
  if (options.write) {
    const current = existsSync(RESULTS) ? readFileSync(RESULTS, "utf8") : `# Benchmark results\n\n${BEGIN}\n${END}\n`;
    const start = current.indexOf(BEGIN);
    const end = current.indexOf(END);
    if (start < 0 || end < start) throw new Error(`${path.relative(process.cwd(), RESULTS)}: results markers not found (expected ${BEGIN} ... ${END})`);
    writeFileSync(RESULTS, `${current.slice(0, start + BEGIN.length)}\n${table}\n${current.slice(end)}`);
    process.stderr.write(`wrote ${path.relative(process.cwd(), RESULTS)}\n`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
