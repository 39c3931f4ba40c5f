/**
 * Reads the documentation the way the docs tests need it: the shell commands of
 * ```sh / ```bash / ```shell fenced blocks, inline code spans, links and headings.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "../..");

/** README.md and every docs/*.md, repository-relative, README first. */
export function documentationFiles(root = REPO_ROOT): string[] {
  const docs = readdirSync(path.join(root, "docs"))
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => `docs/${name}`);
  return ["README.md", ...docs];
}

export function readDoc(file: string, root = REPO_ROOT): string {
  return readFileSync(path.join(root, file), "utf8");
}

/** One command line of a shell block, continuation lines joined. */
export interface DocCommand {
  file: string;
  /** 1-based line where the command starts. */
  line: number;
  /** The line as written (continuations joined with a space), comment included. */
  text: string;
  /** The command without its trailing comment. */
  command: string;
  /** The exit code the line promises: `# exits N` at its end, else 0. */
  expectedExit: number;
}

const SHELL_FENCES = new Set(["sh", "bash", "shell"]);

/** The commands of every ```sh, ```bash and ```shell block; `#` comment lines and blank lines skipped. */
export function shellCommands(markdown: string, file: string): DocCommand[] {
  const lines = markdown.split("\n");
  const commands: DocCommand[] = [];
  let fence: { marker: string; shell: boolean } | undefined;
  let pending: { line: number; text: string } | undefined;
  lines.forEach((raw, index) => {
    const trimmed = raw.trim();
    const fenceMatch = /^(`{3,}|~{3,})\s*([\w-]*)/.exec(trimmed);
    if (fence === undefined) {
      if (fenceMatch) fence = { marker: fenceMatch[1]!, shell: SHELL_FENCES.has(fenceMatch[2]!.toLowerCase()) };
      return;
    }
    if (fenceMatch && trimmed.startsWith(fence.marker) && fenceMatch[2] === "") {
      if (pending) throw new Error(`${file}:${pending.line}: a line ending in \\ continues past the end of its block`);
      fence = undefined;
      return;
    }
    if (!fence.shell) return;
    if (pending === undefined && (trimmed === "" || trimmed.startsWith("#"))) return;
    const text = pending ? `${pending.text} ${trimmed}` : trimmed;
    const line = pending ? pending.line : index + 1;
    if (text.endsWith("\\")) {
      pending = { line, text: text.slice(0, -1).trimEnd() };
      return;
    }
    pending = undefined;
    const command = stripComment(text);
    const exits = /\s#\s*exits\s+(\d+)\s*$/.exec(text);
    commands.push({ file, line, text, command, expectedExit: exits ? Number(exits[1]) : 0 });
  });
  if (fence !== undefined) throw new Error(`${file}: a fenced block is not closed`);
  return commands;
}

/** A shell line without its trailing comment: `#` starting a word outside quotes. */
export function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === "\\") i++;
    else if (c === "'" || c === '"') quote = c;
    else if (c === "#" && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i).trimEnd();
  }
  return line.trimEnd();
}

/** Splits a command on `&&` outside quotes: `npm ci && npm run plan` → ["npm ci", "npm run plan"]. */
export function splitAnd(command: string): string[] {
  const parts: string[] = [];
  let quote: string | undefined;
  let depth = 0;
  let start = 0;
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (depth === 0 && c === "&" && command[i + 1] === "&") {
      parts.push(command.slice(start, i).trim());
      start = i + 2;
      i++;
    }
  }
  parts.push(command.slice(start).trim());
  return parts;
}

/** Words of a command as the shell splits them (quotes removed; no expansion). */
export function shellWords(command: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: string | undefined;
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === "\\" && quote === '"' && i + 1 < command.length) word = (word ?? "") + command[++i];
      else word = (word ?? "") + c;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      word = word ?? "";
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "\\" && i + 1 < command.length) {
      word = (word ?? "") + command[++i];
    } else {
      word = (word ?? "") + c;
    }
  }
  if (quote) throw new Error(`unbalanced ${quote} in: ${command}`);
  if (word !== undefined) words.push(word);
  return words;
}

/** Inline code spans outside fenced blocks, with their line. */
export function inlineCode(markdown: string): { line: number; code: string }[] {
  const spans: { line: number; code: string }[] = [];
  let inFence = false;
  let paragraph: { line: number; text: string }[] = [];
  const flush = () => {
    // Spans may wrap across lines inside a paragraph: scan the paragraph as one text.
    const text = paragraph.map((p) => p.text).join("\n");
    const re = /(`+)([\s\S]+?)\1/g;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const before = text.slice(0, m.index).split("\n").length - 1;
      spans.push({ line: paragraph[before]!.line, code: m[2]!.replace(/\s*\n\s*/g, " ").trim() });
    }
    paragraph = [];
  };
  markdown.split("\n").forEach((raw, index) => {
    if (/^\s*(`{3,}|~{3,})/.test(raw)) {
      flush();
      inFence = !inFence;
      return;
    }
    if (inFence) return;
    if (raw.trim() === "") flush();
    else paragraph.push({ line: index + 1, text: raw });
  });
  flush();
  return spans;
}

/** Markdown links `[text](target)` outside fenced blocks and code spans, with their line. */
export function links(markdown: string): { line: number; target: string }[] {
  let inFence = false;
  const prose = markdown
    .split("\n")
    .map((raw) => {
      if (/^\s*(`{3,}|~{3,})/.test(raw)) {
        inFence = !inFence;
        return "";
      }
      return inFence ? "" : raw;
    })
    .join("\n")
    // Code spans (which may wrap, never across a paragraph) are blanked, keeping the line count:
    // a link's text may hold one, and a span's content is never a link.
    .replace(/(`+)(?:(?!\n\s*\n)[\s\S])+?\1/g, (span) => "``" + "\n".repeat(span.split("\n").length - 1));
  const found: { line: number; target: string }[] = [];
  prose.split("\n").forEach((text, index) => {
    const re = /\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g;
    for (let m = re.exec(text); m; m = re.exec(text)) found.push({ line: index + 1, target: m[1]! });
  });
  return found;
}

/** GitHub's anchors for the headings of a markdown file. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let inFence = false;
  for (const raw of markdown.split("\n")) {
    if (/^\s*(`{3,}|~{3,})/.test(raw)) {
      inFence = !inFence;
      continue;
    }
    const m = !inFence && /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(raw);
    if (!m) continue;
    const base = m[1]!
      .toLowerCase()
      .replace(/[`*_]/g, "")
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .replace(/[^\p{L}\p{N}\s-]/gu, "")
      .replace(/\s/g, "-");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}
