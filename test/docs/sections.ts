/**
 * Reading one page the way the reference tests need it: its sections by
 * heading, and the rows of its tables, outside fenced blocks.
 */

/** Lines outside fenced blocks; a fenced line is kept as "" so line numbers hold. */
function proseLines(markdown: string): string[] {
  let inFence = false;
  return markdown.split("\n").map((raw) => {
    if (/^\s*(`{3,}|~{3,})/.test(raw)) {
      inFence = !inFence;
      return "";
    }
    return inFence ? "" : raw;
  });
}

/** The text under each heading of `level` (up to the next heading of that level or higher), by heading text. */
export function sectionsAt(markdown: string, level: number): Map<string, string> {
  const sections = new Map<string, string>();
  const lines = markdown.split("\n");
  const prose = proseLines(markdown);
  let current: string | undefined;
  let body: string[] = [];
  const flush = () => {
    if (current !== undefined) sections.set(current, body.join("\n"));
  };
  lines.forEach((raw, index) => {
    const heading = /^(#{1,6})\s+(.*?)\s*$/.exec(prose[index]!);
    if (heading && heading[1]!.length <= level) {
      flush();
      current = heading[1]!.length === level ? heading[2]! : undefined;
      body = [];
      return;
    }
    body.push(raw);
  });
  flush();
  return sections;
}

/** The cells of every table row outside fenced blocks, header and separator rows left out. */
export function tableRows(markdown: string): string[][] {
  const rows: string[][] = [];
  const prose = proseLines(markdown);
  prose.forEach((line, index) => {
    if (!line.startsWith("|")) return;
    const next = prose[index + 1] ?? "";
    if (/^\|[\s:|-]+\|$/.test(line)) return; // separator
    if (/^\|[\s:|-]+\|$/.test(next)) return; // header
    rows.push(
      line
        .slice(1, line.endsWith("|") ? -1 : undefined)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
  });
  return rows;
}

/** The inline code spans of a piece of markdown. */
export function codeSpans(text: string): string[] {
  return [...text.matchAll(/(`+)([^`]+?)\1/g)].map((m) => m[2]!.trim());
}
