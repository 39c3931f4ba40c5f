/**
 * What the README promises about Node.js holds for the dependencies: every
 * package package-lock.json installs accepts the oldest Node.js that
 * package.json's `engines` allows, so `npm ci` there warns of no unsupported
 * engine; and every dependency's install script is decided in `allowScripts`,
 * so npm 11 has none to warn about.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./support/declarations";

type Version = [number, number, number];

function parse(text: string): { version: Version; parts: number } {
  const numbers = text.replace(/^v/, "").split(".").filter((part) => part !== "*" && part !== "x" && part !== "");
  if (numbers.some((n) => !/^\d+$/.test(n))) throw new Error(`unsupported version ${JSON.stringify(text)}`);
  const [major = 0, minor = 0, patch = 0] = numbers.map(Number);
  return { version: [major, minor, patch], parts: numbers.length };
}

const compare = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** Whether `version` satisfies one comparator: >=, >, <=, <, ^, ~, =, a bare (partial) version, or *. */
function comparator(version: Version, text: string): boolean {
  if (text === "*" || text === "") return true;
  const m = /^(>=|<=|>|<|\^|~|=)?(.+)$/.exec(text)!;
  const { version: bound, parts } = parse(m[2]!);
  const c = compare(version, bound);
  switch (m[1]) {
    case ">=":
      return c >= 0;
    case ">":
      return c > 0;
    case "<=":
      return c <= 0;
    case "<":
      return c < 0;
    case "^":
      return c >= 0 && version[0] === bound[0];
    case "~":
      return c >= 0 && version[0] === bound[0] && (parts < 2 || version[1] === bound[1]);
    default:
      // A bare or partial version: the parts given must match.
      return version.slice(0, Math.max(parts, 1)).every((n, i) => n === bound[i]);
  }
}

/** Whether `version` satisfies an npm range: alternatives joined by ||, each a space-separated list of comparators. */
export function satisfies(version: Version, range: string): boolean {
  return range.split("||").some((alternative) =>
    alternative
      .trim()
      .replace(/(>=|<=|>|<|=|\^|~)\s+/g, "$1")
      .split(/\s+/)
      .every((part) => comparator(version, part)),
  );
}

const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { engines: { node: string }; allowScripts?: Record<string, boolean> };
const lock = JSON.parse(readFileSync(path.join(REPO_ROOT, "package-lock.json"), "utf8")) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[]; hasInstallScript?: boolean; optional?: boolean }>;
};

describe("Node.js and the locked dependencies", () => {
  const oldest = parse(/^>=\s*(\S+)$/.exec(manifest.engines.node)?.[1] ?? "").version;

  it("reads npm's ranges", () => {
    expect(satisfies([20, 19, 0], "^20.17.0 || >=22.9.0")).toBe(true);
    expect(satisfies([20, 19, 0], ">=22")).toBe(false);
    expect(satisfies([20, 19, 0], "18 || 20 || >=22")).toBe(true);
    expect(satisfies([20, 19, 0], ">=16 || 14 >=14.17")).toBe(true);
    expect(satisfies([20, 19, 0], "^20.19.0 || ^22.13.0 || >=23.5.0")).toBe(true);
    expect(satisfies([20, 18, 0], "^20.19.0 || >=22.12.0")).toBe(false);
    expect(satisfies([20, 19, 0], "6.* || 8.* || >= 10.*")).toBe(true);
  });

  it(`every locked package accepts Node.js ${oldest.join(".")}, the oldest package.json's engines allows`, () => {
    const refusing = Object.entries(lock.packages)
      .filter(([name, pkg]) => name !== "" && pkg.engines && !Array.isArray(pkg.engines) && pkg.engines.node && !satisfies(oldest, pkg.engines.node))
      .map(([name, pkg]) => `${name}@${pkg.version}: node ${(pkg.engines as { node: string }).node}`);
    expect(refusing).toEqual([]);
  });

  it("every dependency with an install script is allowed or denied in allowScripts", () => {
    const decided = new Set(Object.keys(manifest.allowScripts ?? {}).map((entry) => entry.replace(/@[^@/]+$/, "")));
    const undecided = Object.entries(lock.packages)
      .filter(([name, pkg]) => name !== "" && pkg.hasInstallScript)
      .map(([name]) => name.slice(name.lastIndexOf("node_modules/") + "node_modules/".length))
      .filter((name) => !decided.has(name));
    expect([...new Set(undecided)]).toEqual([]);
  });
});
