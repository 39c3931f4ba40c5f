/**
 * Summarises a V8 CPU profile: self time by package (ours by top folder,
 * node_modules by package, Node's internals, garbage collection) and the
 * functions with the most self time.
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx cli/plan.ts --services DIR --out /tmp/out
 *   npx tsx bench/profile.ts /tmp/prof/*.cpuprofile [--top 25]
 *
 * Also splits the samples by stage of the plan (`stageOf`): each sample goes
 * to the innermost stage function on its stack (loading, validating,
 * modelling, components, rendering, ...), garbage collection apart.
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

/**
 * Stages of the plan, innermost first on a stack: a frame whose function name
 * (and file, when given) matches puts the sample in that stage. Asynchronous
 * continuations keep their function's name, so `async` stages count too.
 */
export const STAGES: readonly { stage: string; functions: readonly string[]; file?: RegExp }[] = [
  { stage: "writing (plan.json, summary.md, rendered files)", functions: ["planJson", "writeFileSync", "writeFile", "writePlanJson", "writePieces", "planJsonPieces", "jsonPieces"] },
  { stage: "summary (summary.md)", functions: ["renderSummary", "applySection"] },
  { stage: "costs (usage)", functions: ["stackUsage"] },
  { stage: "policies", functions: ["runPolicies"] },
  { stage: "recording services (plan.json services)", functions: ["recordService"] },
  { stage: "rendering (dashboards, rules, Alertmanager)", functions: ["renderArtefacts"] },
  { stage: "recording resources (mock monitor)", functions: ["registerResource", "newResource", "sanitize", "recordResource"], file: /plan\/mockRuntime\.ts/ },
  { stage: "model", functions: ["serviceModel"] },
  { stage: "validate (cross-checks)", functions: ["validateCatalog"] },
  { stage: "load (read, YAML, schema)", functions: ["loadServices"] },
  { stage: "components (our constructors, SDK constructors included)", functions: ["ServiceMonitoring", "Platform", "provisionStackWide"] },
  { stage: "module loading (transpiling, compiling)", functions: ["wrapSafe", "compileFunction", "compileSourceTextModule", "Module._load", "require", "loadESMFromCJS"] },
];

/** Self time per stage: each sample to the innermost stage frame on its stack; the rest to Pulumi's async work, GC or other. */
export function byStage(profile: CpuProfile): Map<string, number> {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const memo = new Map<number, string>();
  const stageOfNode = (id: number): string => {
    const known = memo.get(id);
    if (known) return known;
    const frame = nodes.get(id)!.callFrame;
    const hit = STAGES.find(({ functions, file }) => functions.includes(frame.functionName) && (!file || file.test(frame.url)));
    const parent = parents.get(id);
    const stage = hit ? hit.stage : parent === undefined ? "" : stageOfNode(parent);
    memo.set(id, stage);
    return stage;
  };
  const totals = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const frame = nodes.get(id)!.callFrame;
    const where = origin(frame.url);
    let stage = stageOfNode(id);
    if (frame.functionName === "(garbage collector)") stage = "garbage collection";
    else if (frame.functionName === "(idle)") stage = "(idle)";
    else if (!stage) stage = where === "@pulumi/pulumi" || where === "google-protobuf" || where === "@grpc/grpc-js" ? "Pulumi runtime (registration, serialisation)" : `other: ${where}`;
    totals.set(stage, (totals.get(stage) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  return totals;
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
    const stages = byStage(JSON.parse(readFileSync(file, "utf8")) as CpuProfile);
    process.stdout.write(`\nBy stage (innermost stage function on the stack):\n${sorted(stages).slice(0, top).map(line).join("\n")}\n`);
  }
}

if (require.main === module) main();
