/**
 * docs/cli.md documents every command of package.json's scripts that runs a
 * TypeScript file (`tsx FILE`), each in its own `npm run NAME` section, and
 * exactly the options the command takes: those its `--help` lists or, for the
 * two benchmarks, which print no usage, those their `parseArgs` call accepts.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, readDoc } from "../support/markdown";
import { codeSpans, sectionsAt, tableRows } from "./sections";

const PAGE = "docs/cli.md";

/** Commands that print no usage: their options are read from their source, and `--help` is refused. */
const WITHOUT_HELP = new Set(["bench", "alert-quality"]);

const scripts = (JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
/** Script name → the file it runs, for the scripts that run a TypeScript file. */
const commands = new Map(
  Object.entries(scripts).flatMap(([name, line]) => {
    const m = /^tsx (\S+\.ts)$/.exec(line);
    return m ? [[name, m[1]!] as const] : [];
  }),
);

const OPTION = /--[a-z][a-z0-9-]*/g;
const options = (text: string) => [...new Set(text.match(OPTION) ?? [])].sort();

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", args, { cwd: REPO_ROOT, env: { ...process.env, DEBUG: "", NO_COLOR: "1", npm_config_update_notifier: "false" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The option names of the first `parseArgs({ ... options: { ... } })` call in a source file. */
export function parseArgsOptions(source: string): string[] {
  const call = source.indexOf("parseArgs({");
  const at = source.indexOf("options:", call);
  if (call < 0 || at < 0) throw new Error("no parseArgs({ options: ... }) call");
  const open = source.indexOf("{", at);
  let depth = 0;
  let end = open;
  for (; end < source.length; end++) {
    if (source[end] === "{") depth++;
    else if (source[end] === "}" && --depth === 0) break;
  }
  const body = source.slice(open + 1, end);
  // Top-level keys only: `name: {` or `"name-with-dash": {` at depth 0 of the options object.
  const names: string[] = [];
  let level = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === "{") level++;
    else if (c === "}") level--;
    else if (level === 0) {
      const key = /^\s*(?:"([a-z][a-z0-9-]*)"|([a-z][a-zA-Z0-9]*))\s*:\s*\{/.exec(body.slice(i));
      if (key && (i === 0 || /[,{\s]/.test(body[i - 1]!))) {
        names.push(`--${key[1] ?? key[2]}`);
        i += key[0].length - 2;
      }
    }
  }
  return [...new Set(names)].sort();
}

/** What the command itself says it takes: its --help, or its parseArgs options. */
async function optionsOf(name: string, file: string): Promise<{ options: string[]; usage?: string }> {
  if (WITHOUT_HELP.has(name)) return { options: parseArgsOptions(readFileSync(path.join(REPO_ROOT, file), "utf8")) };
  const ran = await run(["run", "-s", name, "--", "--help"]);
  expect(ran.code, `npm run ${name} -- --help\n${ran.stderr}`).toBe(0);
  expect(ran.stdout).toMatch(/^usage: /);
  return { options: options(ran.stdout).filter((o) => o !== "--help"), usage: ran.stdout };
}

const page = readDoc(PAGE);
const sections = sectionsAt(page, 2);
/** `npm run NAME` → its section's text. */
const commandSections = new Map([...sections].flatMap(([heading, body]) => {
  const m = /^`npm run ([\w:-]+)`$/.exec(heading);
  return m ? [[m[1]!, body] as const] : [];
}));

/** The options a section documents: those its option table's first column names. */
function documented(body: string): string[] {
  return [...new Set(tableRows(body).flatMap((cells) => codeSpans(cells[0] ?? "").flatMap((span) => span.match(OPTION) ?? [])))].sort();
}

/** The options of the section's synopsis (its ```text block). */
function synopsisOptions(body: string): string[] {
  const blocks = [...body.matchAll(/^```text\n([\s\S]*?)^```/gm)].map((m) => m[1]!);
  return options(blocks.join("\n"));
}

describe(PAGE, () => {
  it("finds the commands of package.json", () => {
    expect([...commands.keys()].sort()).toEqual(["alert-quality", "backtest", "bench", "diff", "import", "openslo", "plan", "schema", "stacks", "validate"]);
  });

  it("has one section per command, and no section for a command that does not exist", () => {
    expect([...commandSections.keys()].sort()).toEqual([...commands.keys()].sort());
  });

  it.concurrent.each([...commands])("documents exactly the options of npm run %s", async (name, file) => {
    const body = commandSections.get(name) ?? "";
    const { options: taken } = await optionsOf(name, file);
    expect(taken.length, `npm run ${name} takes no option?`).toBeGreaterThan(0);
    const table = documented(body);
    expect({ missingFromPage: taken.filter((o) => !table.includes(o)), notTakenByCommand: table.filter((o) => !taken.includes(o)) }).toEqual({ missingFromPage: [], notTakenByCommand: [] });
    expect(synopsisOptions(body).filter((o) => !taken.includes(o)), "options in the synopsis the command does not take").toEqual([]);
  });

  it.concurrent.each([...WITHOUT_HELP])("npm run %s still refuses --help (else read its options from --help, as for the others)", async (name) => {
    const ran = await run(["run", "-s", name, "--", "--help"]);
    expect(ran.code).not.toBe(0);
    expect(ran.stdout).not.toMatch(/^usage: /);
  });

  it("reads parseArgs options the way the benchmarks declare them", () => {
    const source = `parseArgs({ args, options: { sizes: { type: "string", default: "1" }, "max-load": { type: "string" }, "no-write": { type: "boolean", default: false } }, strict: true })`;
    expect(parseArgsOptions(source)).toEqual(["--max-load", "--no-write", "--sizes"]);
  });
});
