/**
 * The README is the front door and docs/ the reference: the README stays short
 * and maps every page, every link in README.md and docs/*.md leads to a file
 * (and heading) that exists, and the dependency page names every package.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../catalog/loadCatalog";
import { readStackSettings } from "../../catalog/stackSettings";
import { REPO_ROOT, documentationFiles, headingAnchors, links, readDoc } from "../support/markdown";

/** The fenced blocks of a page in a language whose first line names a file under services/. */
function declarationExamples(markdown: string): { file: string; text: string }[] {
  const blocks = [...markdown.matchAll(/^```(ts|yaml)\n([\s\S]*?)^```/gm)].map((m) => m[2]!);
  return blocks.flatMap((text) => {
    const named = /^(?:\/\/|#) (services\/[\w.-]+\.(?:ts|ya?ml))$/m.exec(text.split("\n").slice(0, 2).join("\n"));
    return named ? [{ file: named[1]!, text }] : [];
  });
}

describe("README.md", () => {
  const readme = readDoc("README.md");

  it("is at most 250 lines", () => {
    expect(readme.trimEnd().split("\n").length).toBeLessThanOrEqual(250);
  });

  it("shows the set-up and test commands", () => {
    for (const command of ["npm ci", "npm run plan", "npm test"]) expect(readme).toContain(command);
  });

  it("maps every page of docs/", () => {
    const linked = new Set(links(readme).map(({ target }) => target.split("#")[0]));
    const pages = documentationFiles().filter((file) => file.startsWith("docs/"));
    expect(pages.filter((page) => !linked.has(page))).toEqual([]);
  });

  it("lists every page of docs/ exactly once in its Documentation index", () => {
    const index = readme.slice(readme.indexOf("\n## Documentation\n")).split("\n## ")[1] ?? "";
    const listed = links(index).map(({ target }) => target.split("#")[0]);
    const pages = documentationFiles().filter((file) => file.startsWith("docs/"));
    expect(listed.filter((page, i) => listed.indexOf(page) !== i), "listed twice").toEqual([]);
    expect([...listed].sort()).toEqual([...pages].sort());
  });
});

describe("README.md's declarations", () => {
  it("are valid against the local stack, as written", async () => {
    const examples = declarationExamples(readDoc("README.md"));
    expect(examples.map((e) => e.file).sort()).toEqual(["services/checkout-api.ts", "services/status-page.yaml"]);
    // In a folder beside a link to contract/, so the TypeScript example's import resolves as it would in services/.
    const dir = mkdtempSync(path.join(tmpdir(), "readme-declarations-"));
    try {
      symlinkSync(path.join(REPO_ROOT, "contract"), path.join(dir, "contract"), "dir");
      mkdirSync(path.join(dir, "services"));
      for (const { file, text } of examples) writeFileSync(path.join(dir, file), text);
      const { settings, problems } = readStackSettings("local");
      expect(problems).toEqual([]);
      const catalog = await loadCatalog([path.join(dir, "services")], settings!, { servicesDir: path.join(dir, "services") });
      expect(catalog.problems).toEqual([]);
      expect(catalog.services.map((service) => service.name).sort()).toEqual(["checkout-api", "status-page"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("docs/ pages", () => {
  it.each(documentationFiles().filter((file) => file.startsWith("docs/")))("%s opens with its title and what it covers", (file) => {
    const [title, blank, statement] = readDoc(file).split("\n");
    expect(title).toMatch(/^# \S/);
    expect(blank).toBe("");
    expect(statement).toMatch(/^[A-Z`]/);
  });
});

describe("links in README.md and docs/", () => {
  const all = documentationFiles().flatMap((file) => links(readDoc(file)).map((link) => ({ file, ...link })));

  it("finds the links", () => {
    expect(all.length).toBeGreaterThan(30);
  });

  it("lead to files and headings that exist", () => {
    const problems: string[] = [];
    for (const { file, line, target } of all) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
      const [pathPart, anchor] = target.split("#") as [string, string | undefined];
      const resolved = pathPart === "" ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), pathPart));
      const where = `${file}:${line}: ${target}`;
      if (resolved.startsWith("..")) {
        problems.push(`${where}: outside the repository`);
        continue;
      }
      const absolute = path.join(REPO_ROOT, resolved);
      if (!existsSync(absolute)) {
        problems.push(`${where}: no such file`);
        continue;
      }
      if (anchor !== undefined && statSync(absolute).isFile() && resolved.endsWith(".md")) {
        if (!headingAnchors(readFileSync(absolute, "utf8")).has(anchor)) problems.push(`${where}: no heading #${anchor} in ${resolved}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe("docs/dependencies.md", () => {
  it("names every dependency of package.json and policies/package.json", () => {
    const page = readDoc("docs/dependencies.md");
    const names = ["package.json", "policies/package.json"].flatMap((file) => {
      const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, file), "utf8")) as Record<string, Record<string, string> | undefined>;
      return [manifest.dependencies, manifest.devDependencies, manifest.peerDependencies].flatMap((deps) => Object.keys(deps ?? {}));
    });
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((name) => !page.includes(`\`${name}\``))).toEqual([]);
  });
});

describe("source files named in README.md and docs/", () => {
  // `model/placement.ts`, `components/evaluators/<name>/index.ts`: a path in backticks under a folder of the repository.
  const FOLDERS = ["contract", "model", "catalog", "components", "stacks", "plan", "interop", "policies", "cli", "bench", "test", "examples", "schema", "services"];
  const named = documentationFiles().flatMap((file) =>
    [...readDoc(file).matchAll(/`((?:[\w.-]+\/)+[\w.-]+\.(?:ts|json|yaml|yml|md))`/g)]
      .map((m) => m[1]!)
      .filter((p) => FOLDERS.includes(p.split("/")[0]!) && !p.includes("<"))
      .map((p) => ({ file, path: p })),
  );

  it("finds them", () => {
    expect(named.length).toBeGreaterThan(50);
  });

  // Paths that are not ours: a file of Sloth's repository, and the file an import writes.
  const ELSEWHERE = new Set(["docs/alert-quality.md: examples/windows/7d.yaml", "docs/interop.md: services/checkout.yaml"]);

  it("exist, so a page never sends a reader to a file that moved", () => {
    expect(named.filter(({ file, path: p }) => !ELSEWHERE.has(`${file}: ${p}`) && !existsSync(path.join(REPO_ROOT, p))).map(({ file, path: p }) => `${file}: ${p}`)).toEqual([]);
  });
});
