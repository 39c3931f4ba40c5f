/**
 * The project's own files: Pulumi.yaml against Pulumi's schema, and no reach
 * outside the repository from any file of it (the file list comes from the
 * tree, so a new folder is covered without being named here).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const ROOT = path.join(__dirname, "..");

/** Folders never scanned, wherever they are: installed packages and build output. */
const NOT_SOURCE = new Set(["node_modules", "dist"]);

/**
 * Every file of the repository at `root`, repository-relative: what git tracks
 * and any new file it does not ignore, so a folder added to the tree is
 * scanned before it is even committed. No hand-kept list of folders.
 */
export function repositoryFiles(root = ROOT): string[] {
  const listed = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" });
  return [...new Set(listed.split("\0").filter(Boolean))]
    .filter((file) => !file.split("/").some((part) => NOT_SOURCE.has(part)))
    .filter((file) => lstatSync(path.join(root, file), { throwIfNoEntry: false })?.isFile() === true)
    .sort();
}

/** Text that reaches for the sibling checkout named shared: by a relative path (one or more levels up) or an absolute one. */
const OUTSIDE_PATH = /\.\.\/shared\b|\/work\/shared/;

/** Why each file reaches outside the repository: such text anywhere, or a .ts import that resolves above the root. */
export function outsideReads(root = ROOT, files = repositoryFiles(root)): string[] {
  return files.flatMap((file) => {
    const text = readFileSync(path.join(root, file), "utf8");
    const problems: string[] = [];
    const match = OUTSIDE_PATH.exec(text);
    if (match) problems.push(`${file}: ${match[0]}`);
    if (file.endsWith(".ts")) {
      for (const { fileName } of ts.preProcessFile(text, true, true).importedFiles) {
        if (fileName.startsWith(".") && path.posix.normalize(path.posix.join(path.posix.dirname(file), fileName)).startsWith("../")) problems.push(`${file}: imports ${fileName}, outside the repository`);
      }
    }
    return problems;
  });
}

describe("project files", () => {
  it("Pulumi.yaml is a valid Pulumi project with the program and stack configs in stacks/", () => {
    const schema = JSON.parse(readFileSync(path.join(ROOT, "test", "data", "pulumi-project.schema.json"), "utf8")) as object;
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(schema);
    const project = parse(readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as Record<string, unknown>;
    expect(validate(project), JSON.stringify(validate.errors)).toBe(true);
    expect(project).toMatchObject({ name: "monitoring-stack", runtime: { name: "nodejs" }, main: "stacks/", stackConfigDir: "stacks" });
    // The schema check can fail: a project without a name is rejected.
    expect(validate({ runtime: "nodejs" })).toBe(false);
  });

  it("no code, test or config reads outside the repository", () => {
    expect(outsideReads()).toEqual([]);
  });

  it("scans every folder of the repository, and every .ts file, the root's index.ts included", () => {
    const files = repositoryFiles();
    const ignored = (entry: string) => spawnSync("git", ["check-ignore", "--quiet", entry], { cwd: ROOT }).status === 0;
    const folders = readdirSync(ROOT, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== ".git" && !NOT_SOURCE.has(entry.name) && !ignored(`${entry.name}/`))
      .map((entry) => entry.name);
    for (const folder of ["test", "bench", "cli", "stacks", "examples", "services", "policies", "interop", "components", "model", "contract", "catalog", "plan"]) expect(folders).toContain(folder);
    for (const folder of folders) expect(files.some((file) => file.startsWith(`${folder}/`)), `${folder}/ is not scanned`).toBe(true);
    expect(files).toContain("index.ts");
    expect(files.filter((file) => file.endsWith(".ts")).length).toBeGreaterThan(200);
  });

  it("the check finds a new folder's read of a sibling checkout and an import above the root", () => {
    const root = mkdtempSync(path.join(tmpdir(), "outside-reads-"));
    try {
      execFileSync("git", ["init", "--quiet"], { cwd: root });
      writeFileSync(path.join(root, "index.ts"), 'export const ok = "../sharedness is fine";\n');
      mkdirSync(path.join(root, "newfolder", "deep"), { recursive: true });
      // Spelled in parts, so this file does not itself read as a reach outside.
      const shared = ["..", "shared"].join("/");
      const sibling = `${shared}/catalog.json`;
      writeFileSync(path.join(root, "newfolder", "reader.ts"), `import { readFileSync } from "node:fs";\nexport const data = readFileSync(require.resolve("${sibling}"), "utf8");\n`);
      writeFileSync(path.join(root, "newfolder", "deep", "escape.ts"), 'export { x } from "../../../elsewhere/x";\n');
      mkdirSync(path.join(root, "node_modules", "pkg"), { recursive: true });
      writeFileSync(path.join(root, "node_modules", "pkg", "index.ts"), `export const data = "${sibling}";\n`);
      expect(repositoryFiles(root)).toEqual(["index.ts", "newfolder/deep/escape.ts", "newfolder/reader.ts"]);
      expect(outsideReads(root)).toEqual(["newfolder/deep/escape.ts: imports ../../../elsewhere/x, outside the repository", `newfolder/reader.ts: ${shared}`]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
