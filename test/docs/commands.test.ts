/**
 * Every shell command shown in README.md and docs/*.md works as written.
 *
 * Commands are the lines of ```sh, ```bash and ```shell blocks (`#` comment
 * lines and blank lines skipped, a line ending in `\` continues). Each page's
 * commands run in order, with `bash -c`, from the root of a fresh copy of the
 * repository (its tracked and unignored files, node_modules linked), so a
 * command may write where the page says (an import into services/, an export
 * beside package.json) and a later command of the same page sees it. Each must
 * exit 0, or exactly N when the line ends in `# exits N`.
 *
 * `pulumi` lines are not run (no Pulumi CLI or cloud here) but checked: a known
 * subcommand, stack names that are stack files, files that exist.
 */
import { spawn, execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, documentationFiles, inlineCode, readDoc, shellCommands, shellWords, splitAnd, type DocCommand } from "../support/markdown";

/**
 * Commands shown but never run, and why. Exactly these three: anything else a
 * page shows must run here. A compound line (`npm ci && npm run plan`) runs
 * its other parts.
 */
const NOT_RUN: Record<string, string> = {
  // Installs the dependencies: minutes, network, and it would replace the node_modules the tests run from.
  "npm ci": "installs dependencies",
  // The whole suite, this test included: recursive and minutes long.
  "npm test": "runs this test",
  // Ten minutes of benchmarking, waiting for a quiet machine first; bench/RESULTS.md records its output.
  "npm run bench": "the benchmark",
};

/**
 * Stack names in `pulumi` commands that are placeholders, not stack files; the
 * pages explain each where it appears: the matrix of previews in
 * docs/large-catalogs.md (`--stack <org>/<stack>`) and moving state between two
 * stacks (`--source <old> --dest <new>`).
 */
const STACK_PLACEHOLDERS = new Set(["<org>/<stack>", "<old>", "<new>"]);

/** Pulumi CLI subcommands the pages may use. */
const PULUMI_SUBCOMMANDS = new Set(["login", "logout", "whoami", "stack", "config", "preview", "up", "destroy", "refresh", "import", "state", "policy", "package"]);

/**
 * Per command, to catch a hang: a plan of the local stack takes about 6 s on an
 * idle 2-core machine, but has been seen to take 100 s at a load average of 30.
 */
const COMMAND_TIMEOUT_MS = 300_000;
/** A page's commands, including the wait for a free slot on a busy machine. */
const PAGE_TIMEOUT_MS = 1_200_000;
/** Commands running side by side (each page in its own copy of the repository). */
const COMMANDS_AT_ONCE = 2;

const pages = documentationFiles().map((file) => ({ file, commands: shellCommands(readDoc(file), file) }));
const allCommands = pages.flatMap((page) => page.commands);

function isPulumi(command: DocCommand): boolean {
  return command.command.startsWith("pulumi ");
}

/** The parts of a line that run: `&&` parts minus the ones in NOT_RUN. */
function runnableParts(command: DocCommand): { run: string | undefined; skipped: string[] } {
  const parts = splitAnd(command.command);
  const skipped = parts.filter((part) => part in NOT_RUN);
  const rest = parts.filter((part) => !(part in NOT_RUN));
  return { run: rest.length > 0 ? rest.join(" && ") : undefined, skipped };
}

/** What is wrong with a `pulumi` line, if anything. */
export function pulumiProblems(line: string, root = REPO_ROOT): string[] {
  const words = shellWords(line);
  const problems: string[] = [];
  if (words[0] !== "pulumi") return [`not a pulumi command: ${line}`];
  const sub = words[1];
  if (sub === undefined || !PULUMI_SUBCOMMANDS.has(sub)) problems.push(`unknown pulumi subcommand ${JSON.stringify(sub)}`);
  const option = (name: string): string | undefined => {
    const at = words.findIndex((w) => w === name || w.startsWith(`${name}=`));
    if (at < 0) return undefined;
    return words[at]!.includes("=") ? words[at]!.slice(name.length + 1) : words[at + 1];
  };
  for (const name of ["--config-file", "--policy-pack", "--policy-pack-config"]) {
    const value = option(name);
    if (value !== undefined && !existsSync(path.join(root, value))) problems.push(`${name} ${value} does not exist`);
  }
  const stacks: string[] = [];
  for (const name of ["--stack", "-s", "--source", "--dest"]) {
    const value = option(name);
    if (value !== undefined) stacks.push(value);
  }
  if (sub === "stack" && (words[2] === "select" || words[2] === "init")) {
    const name = words.slice(3).find((w) => !w.startsWith("-"));
    if (name === undefined) problems.push(`pulumi stack ${words[2]} without a stack name`);
    else stacks.push(name);
  }
  const configFile = option("--config-file");
  for (const stack of stacks) {
    if (STACK_PLACEHOLDERS.has(stack)) continue;
    const name = stack.split("/").pop()!;
    const inStacks = existsSync(path.join(root, "stacks", `Pulumi.${name}.yaml`));
    const ownFile = configFile !== undefined && path.basename(configFile) === `Pulumi.${name}.yaml`;
    if (!inStacks && !ownFile) problems.push(`stack ${stack}: no stacks/Pulumi.${name}.yaml (nor a --config-file Pulumi.${name}.yaml)`);
  }
  return problems;
}

/** A fresh copy of the repository's tracked and unignored files, with node_modules linked. */
function repositoryCopy(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "docs-commands-"));
  const listed = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: REPO_ROOT, encoding: "utf8" });
  for (const file of new Set(listed.split("\0").filter(Boolean))) {
    const from = path.join(REPO_ROOT, file);
    if (!existsSync(from) || file === "node_modules") continue;
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    cpSync(from, path.join(dir, file));
  }
  symlinkSync(realpathSync(path.join(REPO_ROOT, "node_modules")), path.join(dir, "node_modules"), "dir");
  copies.push(dir);
  return dir;
}

interface Ran {
  code: number | null;
  output: string;
  ms: number;
}

function runInShell(command: string, cwd: string): Promise<Ran> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-c", command], {
      cwd,
      env: { ...process.env, DEBUG: "", FORCE_COLOR: "0", NO_COLOR: "1", npm_config_update_notifier: "false" },
      timeout: COMMAND_TIMEOUT_MS,
      killSignal: "SIGKILL",
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output, ms: Date.now() - started }));
  });
}

/** At most COMMANDS_AT_ONCE commands run at a time. */
let running = 0;
const waiting: (() => void)[] = [];
async function slot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= COMMANDS_AT_ONCE) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/**
 * Pages that start with the same commands share them: the state of a copy after
 * a sequence of commands depends only on that sequence (the commands are
 * deterministic), so each distinct prefix runs once, and its copy is cloned
 * where pages go different ways. `npm run plan` at the top of three pages is
 * one plan.
 */
interface Step {
  command: string;
  /** Directory the command ran in, for the steps after it; removed at the end. */
  result: Promise<{ ran: Ran; dir: string }>;
}
const steps = new Map<string, Step>();
const copies: string[] = [];
/** One line per command run, printed at the end: what the docs cost to check. */
const timings: string[] = [];

function step(prefix: string[], parentDir: () => Promise<string>, shared: () => boolean): Step {
  const key = JSON.stringify(prefix);
  const existing = steps.get(key);
  if (existing) return existing;
  const command = prefix[prefix.length - 1]!;
  const result = (async () => {
    const base = await parentDir();
    // Clone the parent's copy when another page continues from it differently.
    const dir = shared() ? cloneCopy(base) : base;
    const ran = await slot(() => runInShell(command, dir));
    timings.push(`${(ran.ms / 1000).toFixed(1).padStart(6)} s  exit ${ran.code}  ${command}`);
    return { ran, dir };
  })();
  const created: Step = { command, result };
  steps.set(key, created);
  return created;
}

function cloneCopy(from: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "docs-commands-"));
  cpSync(from, dir, { recursive: true, verbatimSymlinks: true });
  copies.push(dir);
  return dir;
}

function trackedStatus(): string {
  return execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: REPO_ROOT, encoding: "utf8" });
}

describe("how the pages' commands are read", () => {
  it("takes sh, bash and shell blocks; skips comments and blank lines; joins continuations; reads # exits N", () => {
    const page = [
      "```sh",
      "# a comment",
      "",
      "npm run validate   # every declaration",
      "npm run openslo -- export \\",
      "  --out x.yaml   # exits 2",
      "```",
      "```text",
      "npm run not-a-command",
      "```",
      "```bash",
      "echo '#not a comment' && true",
      "```",
    ].join("\n");
    expect(shellCommands(page, "p.md").map(({ line, command, expectedExit }) => ({ line, command, expectedExit }))).toEqual([
      { line: 4, command: "npm run validate", expectedExit: 0 },
      { line: 5, command: "npm run openslo -- export --out x.yaml", expectedExit: 2 },
      { line: 12, command: "echo '#not a comment' && true", expectedExit: 0 },
    ]);
  });

  it("splits && outside quotes", () => {
    expect(splitAnd("npm ci && npm run plan")).toEqual(["npm ci", "npm run plan"]);
    expect(splitAnd("echo 'a && b'")).toEqual(["echo 'a && b'"]);
  });

  it("refuses pulumi lines on stacks without a stack file, unknown subcommands and missing files", () => {
    expect(pulumiProblems("pulumi stack select dev")).toEqual([]);
    expect(pulumiProblems("pulumi preview --stack ftry --config-file examples/ftry/Pulumi.ftry.yaml")).toEqual([]);
    expect(pulumiProblems("pulumi preview --stack acme/prod-payments")).toEqual([]);
    expect(pulumiProblems("pulumi stack init prod")).toEqual(["stack prod: no stacks/Pulumi.prod.yaml (nor a --config-file Pulumi.prod.yaml)"]);
    expect(pulumiProblems("pulumi preveiw --stack dev")).toEqual(['unknown pulumi subcommand "preveiw"']);
    expect(pulumiProblems("pulumi preview --stack dev --policy-pack-config policies/config/staging.json")).toEqual([
      "--policy-pack-config policies/config/staging.json does not exist",
    ]);
  });
});

describe("shell commands in README.md and docs/", () => {
  let statusBefore = "";
  beforeAll(() => {
    statusBefore = trackedStatus();
  });
  afterAll(() => {
    // The commands ran in copies: the working tree's tracked files are as they were.
    expect(trackedStatus()).toBe(statusBefore);
  });

  it("finds commands to check", () => {
    expect(allCommands.filter((c) => !isPulumi(c)).length).toBeGreaterThan(10);
    expect(allCommands.filter(isPulumi).length).toBeGreaterThan(5);
  });

  it("skips exactly npm ci, npm test and npm run bench, each of which a page shows", () => {
    expect(Object.keys(NOT_RUN).sort()).toEqual(["npm ci", "npm run bench", "npm test"]);
    const skipped = new Set(allCommands.filter((c) => !isPulumi(c)).flatMap((c) => runnableParts(c).skipped));
    expect([...skipped].sort()).toEqual(Object.keys(NOT_RUN).sort());
  });

  it("shows real pulumi commands, on stacks that exist", () => {
    const problems = allCommands.filter(isPulumi).flatMap((c) => pulumiProblems(c.command).map((p) => `${c.file}:${c.line}: ${p}`));
    expect(problems).toEqual([]);
  });

  it("names real pulumi commands inline too, with stack files or the listed placeholders", () => {
    const inline = documentationFiles().flatMap((file) =>
      inlineCode(readDoc(file))
        .filter(({ code }) => code.startsWith("pulumi "))
        .map(({ line, code }) => ({ where: `${file}:${line}`, code })),
    );
    expect(inline.length).toBeGreaterThan(5);
    expect(inline.flatMap(({ where, code }) => pulumiProblems(code).map((p) => `${where}: ${p}`))).toEqual([]);
  });

  it("runs in a fenced block every concrete command it shows inline", () => {
    // Inline spans may name a command (`pulumi import`, `npm run stacks -- affected`) or show a
    // synopsis (placeholders in capitals or <angle brackets>, [options], a|b, ...); a concrete
    // command (with options or paths) must be one a shell block shows, and so runs or checks.
    const fenced = new Set(allCommands.map((c) => c.command));
    const synopsis = (code: string) => /[[\]<>|]|\.\.\.|\b[A-Z]{3,}\b/.test(code);
    const concrete = (code: string) => shellWords(code).some((w) => (w.startsWith("-") && w !== "--") || w.includes("/") || /\.(ya?ml|json|ts)$/.test(w));
    const problems = documentationFiles().flatMap((file) =>
      inlineCode(readDoc(file))
        .filter(({ code }) => /^(npm|npx|pulumi|promtool|amtool|kubectl|git) /.test(code))
        .filter(({ code }) => concrete(code) && !synopsis(code) && !fenced.has(code) && !(code in NOT_RUN))
        .map(({ line, code }) => `${file}:${line}: \`${code}\` is shown inline but in no shell block`),
    );
    expect(problems).toEqual([]);
  });

  // Which prefixes more than one continuation needs (those copies are cloned, not reused).
  const sequences = pages.map((page) =>
    page.commands.filter((c) => !isPulumi(c) && runnableParts(c).run !== undefined).map((c) => ({ doc: c, run: runnableParts(c).run! })),
  );
  const continuations = new Map<string, Set<string>>();
  for (const sequence of sequences) {
    sequence.forEach((_, i) => {
      const parent = JSON.stringify(sequence.slice(0, i).map((s) => s.run));
      const next = continuations.get(parent) ?? new Set<string>();
      next.add(sequence[i]!.run);
      continuations.set(parent, next);
    });
  }
  const branches = (prefix: string[]) => (continuations.get(JSON.stringify(prefix))?.size ?? 0) > 1;
  let root: Promise<string> | undefined;
  const rootCopy = () => (root ??= Promise.resolve().then(repositoryCopy));

  afterAll(() => {
    for (const dir of copies) rmSync(dir, { recursive: true, force: true });
    if (timings.length > 0) console.info(`docs commands run (wall time, ${COMMANDS_AT_ONCE} at a time):\n${timings.join("\n")}`);
  }, 120_000);

  pages.forEach((page, index) => {
    const sequence = sequences[index]!;
    if (sequence.length === 0) return;
    it.concurrent(
      `${page.file}: ${sequence.length} command(s) exit as the page says`,
      async () => {
        let parentDir = rootCopy;
        for (let i = 0; i < sequence.length; i++) {
          const prefix = sequence.slice(0, i + 1).map((s) => s.run);
          const parentPrefix = prefix.slice(0, -1);
          const current = step(prefix, parentDir, () => i === 0 || branches(parentPrefix));
          const { ran, dir } = await current.result;
          const command = sequence[i]!.doc;
          const where = `${command.file}:${command.line}: ${command.text}`;
          expect(ran.code, `${where}\n(exit ${ran.code} after ${ran.ms} ms)\n${ran.output.slice(-3000)}`).toBe(command.expectedExit);
          parentDir = () => Promise.resolve(dir);
        }
      },
      // Waiting for a free slot counts here too: generous, each command has its own timeout.
      PAGE_TIMEOUT_MS,
    );
  });
});
