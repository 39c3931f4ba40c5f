/**
 * The folders are the stages of the data flow, and dependencies point one way:
 * contract → model → catalog → components → stacks → plan → cli (interop sits
 * beside stacks; the policy pack stands alone). This test reads every source
 * file's imports (type-only imports included, through TypeScript's own import
 * scanner) and fails on a lower stage importing a higher one, on an import
 * cycle between folders, and on an import cycle between files.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { REPOSITORY_ROOT } from "../../catalog/paths";

/** Stage of each source folder; a folder may import only folders of a lower stage (or itself). */
export const STAGES: Record<string, number> = {
  contract: 0,
  model: 1,
  catalog: 2,
  // Subfolders of components/ (gcp, prometheus, grafana, kubernetes, renames) come below the facades in components/ itself.
  "components/*": 3,
  components: 4,
  stacks: 5,
  interop: 5,
  // The backtest replays SLOs from the model and the components' rule expressions; the plan diff's history section calls it.
  backtest: 5,
  plan: 6,
  // Adoption matches what exists against the offline plan's record.
  adopt: 7,
  cli: 8,
  services: 1,
  // The npm library's entry point: it re-exports the public components and declaration helpers.
  "index.ts": 5,
};
/** Folders that stand alone: they import nothing of the rest (the policy pack is published on its own). */
const STANDALONE = ["policies"];
/** Who may import a standalone folder, beside itself. */
const STANDALONE_USERS: Record<string, string[]> = { policies: ["plan"] };

const SOURCE_DIRS = [...Object.keys(STAGES).filter((key) => !key.includes("*") && !key.endsWith(".ts")), ...STANDALONE];
/** Source files at the repository root. */
const ROOT_FILES = Object.keys(STAGES).filter((key) => key.endsWith(".ts"));

export interface ImportEdge {
  from: string;
  to: string;
}

/** Every .ts file under the source folders, repository-relative with forward slashes. */
export function sourceFiles(root = REPOSITORY_ROOT, dirs = SOURCE_DIRS): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) return entry.name === "node_modules" ? [] : walk(rel);
      return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [rel] : [];
    });
  return [...ROOT_FILES, ...dirs.flatMap((dir) => walk(dir))].sort();
}

/** Relative imports of one file (static, type-only, re-exports and dynamic), resolved to repository-relative files. */
export function importsOf(file: string, text: string, exists: (rel: string) => boolean): string[] {
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles
    .map((ref) => ref.fileName)
    .filter((spec) => spec.startsWith("."))
    .map((spec) => {
      const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
      return [`${base}.ts`, `${base}/index.ts`, base].find(exists) ?? `${base}.ts`;
    });
}

/** The folder a file belongs to for layering: its top folder, or components/<sub> inside components. */
export function unitOf(file: string): string {
  const parts = file.split("/");
  if (parts[0] === "components" && parts.length > 2) return `components/${parts[1]}`;
  return parts[0]!;
}

function stageOf(unit: string): number | undefined {
  if (unit.startsWith("components/")) return STAGES["components/*"];
  return STAGES[unit];
}

/** Imports that break the layering: a lower stage importing a higher one, or anything crossing a standalone folder. */
export function layerViolations(edges: readonly ImportEdge[]): string[] {
  const problems: string[] = [];
  for (const { from, to } of edges) {
    const a = unitOf(from);
    const b = unitOf(to);
    if (a === b) continue;
    const top = (unit: string) => unit.split("/")[0]!;
    if (STANDALONE.includes(top(a))) {
      problems.push(`${from} -> ${to}: ${top(a)}/ stands alone and imports nothing of the rest`);
      continue;
    }
    if (STANDALONE.includes(top(b))) {
      if (!(STANDALONE_USERS[top(b)] ?? []).includes(top(a))) problems.push(`${from} -> ${to}: only ${(STANDALONE_USERS[top(b)] ?? []).join(", ")} may import ${top(b)}/`);
      continue;
    }
    const sa = stageOf(a);
    const sb = stageOf(b);
    if (sa === undefined || sb === undefined) {
      problems.push(`${from} -> ${to}: folder without a stage (add it to STAGES)`);
    } else if (sb >= sa && !(a.startsWith("components/") && b.startsWith("components/"))) {
      problems.push(`${from} -> ${to}: ${a} (stage ${sa}) may not import ${b} (stage ${sb})`);
    }
  }
  return problems;
}

/** Strongly connected components of more than one node (Tarjan), each sorted: the import cycles. */
export function cycles(nodes: Iterable<string>, edges: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let counter = 0;
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of [...nodes].sort()) if (!index.has(v)) visit(v);
  return found;
}

function graph(edges: readonly ImportEdge[], key: (file: string) => string): { nodes: Set<string>; adjacency: Map<string, Set<string>> } {
  const nodes = new Set<string>();
  const adjacency = new Map<string, Set<string>>();
  for (const { from, to } of edges) {
    const a = key(from);
    const b = key(to);
    nodes.add(a).add(b);
    if (a !== b) adjacency.set(a, (adjacency.get(a) ?? new Set()).add(b));
  }
  return { nodes, adjacency };
}

export function repositoryEdges(root = REPOSITORY_ROOT): ImportEdge[] {
  const files = sourceFiles(root);
  const known = new Set(files);
  return files.flatMap((from) => importsOf(from, readFileSync(path.join(root, from), "utf8"), (rel) => known.has(rel)).map((to) => ({ from, to })));
}

describe("the folders are the stages, and dependencies point one way", () => {
  const edges = repositoryEdges();

  it("reads the imports of every source folder", () => {
    for (const dir of SOURCE_DIRS) expect(edges.some((edge) => edge.from.startsWith(`${dir}/`)), dir).toBe(true);
  });

  it("no lower stage imports a higher one; the policy pack imports nothing of the rest", () => {
    expect(layerViolations(edges)).toEqual([]);
  });

  it("no import cycle between folders", () => {
    const { nodes, adjacency } = graph(edges, unitOf);
    expect(cycles(nodes, adjacency)).toEqual([]);
  });

  it("no import cycle between files", () => {
    const { nodes, adjacency } = graph(edges, (file) => file);
    expect(cycles(nodes, adjacency)).toEqual([]);
  });

  it("fails on a deliberate cycle and on an import against the flow", () => {
    const planted: ImportEdge[] = [
      ...edges,
      { from: "contract/serviceSchema.ts", to: "model/sloMath.ts" },
      { from: "components/gcp/filters.ts", to: "components/ServiceMonitoring.ts" },
      { from: "policies/support.ts", to: "contract/problems.ts" },
    ];
    expect(layerViolations(planted)).toEqual([
      "contract/serviceSchema.ts -> model/sloMath.ts: contract (stage 0) may not import model (stage 1)",
      "components/gcp/filters.ts -> components/ServiceMonitoring.ts: components/gcp (stage 3) may not import components (stage 4)",
      "policies/support.ts -> contract/problems.ts: policies/ stands alone and imports nothing of the rest",
    ]);
    const folders = graph(planted, unitOf);
    expect(cycles(folders.nodes, folders.adjacency)).toContainEqual(expect.arrayContaining(["contract", "model"]));
    const files = graph(planted, (file) => file);
    expect(cycles(files.nodes, files.adjacency).some((cycle) => cycle.includes("contract/serviceSchema.ts") && cycle.includes("model/sloMath.ts"))).toBe(true);
  });

  it("sees type-only, re-export and dynamic imports", () => {
    const text = 'import type { A } from "../model/types";\nexport { B } from "./b";\nconst c = await import("../catalog/paths");\n';
    expect(importsOf("contract/x.ts", text, () => false)).toEqual(["model/types.ts", "contract/b.ts", "catalog/paths.ts"]);
  });
});
