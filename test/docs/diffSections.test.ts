/**
 * The plan diff's sections are listed once, on the reviewer's page, exactly
 * as the diff emits them and in its order; no other page lists them.
 *
 * What the diff can emit is read two ways that must agree: the `## ` heading
 * strings in the source of plan/diff.ts (and of the functions it calls from
 * other modules of plan/), and the headings of a diff that shows every
 * section, rendered by renderDiff from the golden plan and a head with a
 * Synthetic Monitoring check and a mandatory policy violation added.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { renderDiff } from "../../plan/diff";
import type { PlanDocument } from "../../plan/runPlan";
import { REPO_ROOT, documentationFiles, readDoc } from "../support/markdown";
import { sectionsAt } from "./sections";

const PAGE = "docs/reviewing-diff.md";
const LIST_SECTION = "The diff's sections";

const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), "utf8");

/** Headings that hold a number: the history section names its days ("On the last 28 days of traffic"), read as N. */
const COUNTED = [/^(On the last )(?:[\d.]+|\$\{[^}]*\})( days of traffic)$/];
const normalise = (heading: string) => COUNTED.reduce((text, re) => text.replace(re, "$1N$2"), heading);

/** `## ` heading strings of a piece of source: string and template literals that start with "## ". */
function headingLiterals(source: string): string[] {
  return [...source.matchAll(/(["'`])## ([^"'`\n]*)\1/g)].map((m) => {
    const heading = normalise(m[2]!);
    if (heading.includes("${")) throw new Error(`a computed section heading: ${m[0]}`);
    return heading;
  });
}

/** The text of `export function name(...) { ... }` in a prettier-formatted module: up to its closing brace at column 0. */
function functionSource(source: string, name: string): string | undefined {
  const start = source.search(new RegExp(`^export function ${name}\\(`, "m"));
  if (start < 0) return undefined;
  const end = source.indexOf("\n}\n", start);
  return source.slice(start, end < 0 ? undefined : end + 2);
}

/** Headings in plan/diff.ts and in the functions it calls from the other modules of plan/ it imports. */
export function sourceHeadings(): string[] {
  const diff = read("plan/diff.ts");
  const headings = headingLiterals(diff);
  for (const m of diff.matchAll(/^import \{([^}]*)\} from "\.\/(\w+)";$/gm)) {
    const module = read(`plan/${m[2]}.ts`);
    const names = m[1]!.split(",").map((n) => n.trim().replace(/^type\s+/, "").split(/\s+as\s+/).pop()!).filter(Boolean);
    for (const name of names.filter((n) => new RegExp(`\\b${n}\\(`).test(diff))) {
      const body = functionSource(module, name);
      if (body) headings.push(...headingLiterals(body));
    }
  }
  return [...new Set(headings)];
}

/** `## ` headings of a markdown text outside fenced blocks. */
function headingsOf(markdown: string): string[] {
  let inFence = false;
  return markdown.split("\n").flatMap((line) => {
    if (/^\s*(`{3,}|~{3,})/.test(line)) inFence = !inFence;
    const m = !inFence && /^## (.+)$/.exec(line);
    return m ? [normalise(m[1]!)] : [];
  });
}

/** A diff with every section: the golden plan against itself with a Synthetic Monitoring check, an adopted channel and a mandatory violation added, given history. */
function fullDiff(): string {
  const base = JSON.parse(read("test/golden/local/plan.json")) as PlanDocument;
  const head = structuredClone(base);
  head.resources.push({
    urn: `urn:pulumi:${head.stack}::monitoring-stack::grafana:syntheticMonitoring/check:Check::status-page-api-health`,
    type: "grafana:syntheticMonitoring/check:Check",
    name: "status-page-api-health",
    inputs: { job: "local/status-page/api-health", target: "https://status.example.com/api/health", frequency: 600000, probes: [1, 2, 3] },
  });
  // An existing channel adopted instead of created.
  const channel = head.resources.find((r) => r.type === "gcp:monitoring/notificationChannel:NotificationChannel")!;
  channel.importId = `projects/${head.project}/notificationChannels/4182290514372955302`;
  head.violations.push({ policy: "alerts-notify-someone", urn: head.resources[0]!.urn, message: "an alert policy notifies nobody", level: "mandatory" });
  return renderDiff(base, head, undefined, { history: { raw: [], windows: new Map(), cloudMonitoring: new Map() }, days: 28 });
}

/** The titles of the page's list: `1. **Title.** ...` items of its list section, trailing period left out. */
function listedTitles(markdown: string): string[] {
  const section = sectionsAt(markdown, 2).get(LIST_SECTION) ?? "";
  return [...section.matchAll(/^\d+\. \*\*(.+?)\*\*/gm)].map((m) => m[1]!.replace(/\.$/, ""));
}

const emitted = headingsOf(fullDiff());

describe("the plan diff's sections", () => {
  it("are the same read from the source and from a diff that shows every one", () => {
    expect(emitted.length).toBeGreaterThan(5);
    expect([...sourceHeadings()].sort()).toEqual([...new Set(emitted)].sort());
  });

  it("come in that order in every golden diff", () => {
    const goldens = readdirSync(path.join(REPO_ROOT, "test/golden/diff")).filter((f) => f.endsWith(".md"));
    expect(goldens.length).toBeGreaterThan(3);
    for (const golden of goldens) {
      const found = headingsOf(read(`test/golden/diff/${golden}`));
      expect(found.filter((h) => !emitted.includes(h)), golden).toEqual([]);
      expect(found, golden).toEqual(emitted.filter((h) => found.includes(h)));
    }
  });

  it(`are listed on ${PAGE}, exactly and in order`, () => {
    expect(listedTitles(readDoc(PAGE))).toEqual(emitted);
  });

  it("are listed on no other page (they link to it)", () => {
    const titles = new Set(emitted.map((t) => t.toLowerCase()));
    const elsewhere = documentationFiles()
      .filter((file) => file !== PAGE)
      .flatMap((file) =>
        [...readDoc(file).matchAll(/\*\*([^*]+)\*\*/g)]
          .map((m) => m[1]!.replace(/[.:]$/, "").trim())
          .filter((text) => titles.has(text.toLowerCase()))
          .map((text) => `${file}: **${text}**`),
      );
    expect(elsewhere).toEqual([]);
  });
});
