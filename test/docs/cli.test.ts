/**
 * docs/cli.md documents every command of package.json's scripts that runs a
 * TypeScript file (`tsx FILE`), each in its own `npm run NAME` section, and
 * exactly the options the command takes: those its `--help` lists. Every
 * command's `--help` describes each option its usage names, on a line of its
 * own.
 */
import { runProgram } from "../support/commands";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, readDoc } from "../support/markdown";
import { codeSpans, sectionsAt, tableRows } from "./sections";

const PAGE = "docs/cli.md";

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

const run = (args: string[]) => runProgram("npm", args, { env: { NO_COLOR: "1", npm_config_update_notifier: "false" } });

/** What the command itself says it takes: the options its --help lists. */
async function optionsOf(name: string): Promise<{ options: string[]; usage: string }> {
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
    expect([...commands.keys()].sort()).toEqual(["adopt", "alert-quality", "backtest", "bench", "diff", "import", "openslo", "plan", "schema", "stacks", "validate"]);
  });

  it("quotes what a command answers to an unknown option", async () => {
    const quoted = /^```text\n(unknown option [\s\S]*?)^```/m.exec(page)?.[1];
    expect(quoted).toBeDefined();
    const ran = await run(["run", "-s", "plan", "--", "--stak", "dev"]);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toBe(quoted);
  });

  it("has one section per command, and no section for a command that does not exist", () => {
    expect([...commandSections.keys()].sort()).toEqual([...commands.keys()].sort());
  });

  it.concurrent.each([...commands.keys()])("documents exactly the options of npm run %s, and its --help describes each", async (name) => {
    const body = commandSections.get(name) ?? "";
    const { options: taken, usage } = await optionsOf(name);
    // --help: the usage lines, then one line per option (`  --flag VALUE  what it does`), --help included.
    const usageLines = usage.split("\n").filter((line) => /^(usage: |\s{7}npm run )/.test(line));
    const described = new Map(usage.split("\n").flatMap((line) => {
      const m = /^ {2}(--[a-z][a-z0-9-]*(?:[ ,][^ ]+)*?) {2,}(\S.{9,})$/.exec(line);
      return m ? (m[1]!.match(OPTION) ?? []).map((o) => [o, m[2]!] as const) : [];
    }));
    expect(options(usageLines.join("\n")).filter((o) => !described.has(o)), `options of npm run ${name}'s usage without a description in its --help:\n${usage}`).toEqual([]);
    expect(described.has("--help")).toBe(true);
    expect(taken.length, `npm run ${name} takes no option?`).toBeGreaterThan(0);
    const table = documented(body);
    expect({ missingFromPage: taken.filter((o) => !table.includes(o)), notTakenByCommand: table.filter((o) => !taken.includes(o)) }).toEqual({ missingFromPage: [], notTakenByCommand: [] });
    expect(synopsisOptions(body).filter((o) => !taken.includes(o)), "options in the synopsis the command does not take").toEqual([]);
  });
});
