/**
 * Summarises a V8 CPU profile: self time by package (ours by top folder,
 * node_modules by package, Node's internals, garbage collection) and the
 * functions with the most self time.
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx cli/plan.ts --services DIR --out /tmp/out
 *   npx tsx bench/profile.ts /tmp/prof/*.cpuprofile [--top 25]
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const ROOT = path.resolve(__dirname, "..");

/** Where a frame's code lives: "ours:<folder>", an npm package, "node:<module>" or "(vm)" for GC and the like. */
export function origin(url: string): string {
  if (!url) return "(vm: garbage collection, idle, native)";
  if (url.startsWith("node:")) return `node:${url.slice(5).split("/")[0]}`;
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inModules) return inModules[1]!;
  const file = url.startsWith("file://") ? new URL(url).pathname : url;
  if (file.startsWith(ROOT + path.sep)) return `ours:${path.relative(ROOT, file).split(path.sep)[0]}`;
  return url;
}

/** Self time in microseconds per origin and per function, and the total. */
export function summarise(profile: CpuProfile): { total: number; byOrigin: Map<string, number>; byFunction: Map<string, number> } {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const byOrigin = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    total += delta;
    const frame = nodes.get(id)!.callFrame;
    const where = origin(frame.url);
    byOrigin.set(where, (byOrigin.get(where) ?? 0) + delta);
    const name = `${frame.functionName || "(anonymous)"}  ${where}${frame.url ? ` ${path.basename(frame.url)}:${frame.lineNumber + 1}` : ""}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + delta);
  });
  return { total, byOrigin, byFunction };
}

function main(): void {
  const { values, positionals } = parseArgs({ options: { top: { type: "string", default: "25" } }, allowPositionals: true });
  const top = Number(values.top);
  for (const file of positionals) {
    const { total, byOrigin, byFunction } = summarise(JSON.parse(readFileSync(file, "utf8")) as CpuProfile);
    const line = ([name, micros]: [string, number]) => `${(micros / 1000).toFixed(0).padStart(7)} ms ${((100 * micros) / total).toFixed(1).padStart(5)} %  ${name}`;
    const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]);
    process.stdout.write(`${file}: ${(total / 1e6).toFixed(2)} s sampled\n\nSelf time by origin:\n`);
    process.stdout.write(`${sorted(byOrigin).slice(0, 15).map(line).join("\n")}\n\nFunctions with the most self time:\n`);
    process.stdout.write(`${sorted(byFunction).slice(0, top).map(line).join("\n")}\n`);
  }
}

if (require.main === module) main();
