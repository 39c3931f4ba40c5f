/**
 * npm run diff on a realistic change to services/: an objective raised, an
 * endpoint renamed without `formerly`, a service removed — compared with an
 * expected markdown file (update with -u after reading the diff).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/commands";
import { matchResources, renderDiff } from "../../plan/diff";
import { planJson, type PlanDocument } from "../../plan/runPlan";
import { REPO_ROOT } from "../support/declarations";
import { plan } from "./helpers";

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function changedCatalog(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "diff-"));
  dirs.push(dir);
  cpSync(path.join(REPO_ROOT, "services"), dir, { recursive: true });
  rmSync(path.join(dir, "status-page.yaml"));
  const checkout = path.join(dir, "checkout-api.ts");
  const source = readFileSync(checkout, "utf8")
    .replace('{ name: "availability", objective: 99.9,', '{ name: "availability", objective: 99.95,')
    .replace('name: "health",\n      url: "https://checkout.example.com/health"', 'name: "healthz",\n      url: "https://checkout.example.com/health"')
    .replace('uptime: { endpoint: "health" }', 'uptime: { endpoint: "healthz" }')
    .replace('from "../contract/define"', `from ${JSON.stringify(path.join(REPO_ROOT, "contract", "define"))}`);
  writeFileSync(checkout, source);
  return dir;
}

let base: PlanDocument;
let head: PlanDocument;
beforeAll(async () => {
  base = (await plan({ stack: "local" })).plan;
  head = (await plan({ stack: "local", servicesDir: changedCatalog() })).plan;
});

describe("plan diff", () => {
  it("matches the expected markdown", async () => {
    await expect(renderDiff(base, head)).toMatchFileSnapshot(path.join(REPO_ROOT, "test", "golden", "diff", "realistic-change.md"));
  });

  it("says what a reviewer must not miss", () => {
    const markdown = renderDiff(base, head);
    const risk = markdown.slice(markdown.indexOf("## ⚠"), markdown.indexOf("## Services"));
    expect(risk).toContain("`checkout-api-uptime-health`");
    // A deleted check has no new id for anything to follow.
    expect(risk).toContain("| UptimeCheckConfig | `checkout-api-uptime-health` | deleted | the check and its results |");
    expect(risk).not.toContain("follow the new id");
    // The endpoint renamed without formerly: the hint names the line that keeps its history.
    expect(risk).toContain("| endpoint | checkout-api / health | checkout-api / healthz | URL https://checkout.example.com/health | in endpoint healthz: `formerly: [health]` |");
    expect(risk).toContain("kept in Google Cloud (retainOnDelete), no longer managed");
    expect(markdown).toMatch(/\| checkout-api \/ availability \| Cloud Monitoring \| objective 99\.9 → 99\.95 %; budget 43\.2 min → 21\.6 min; burn tiers changed \| 99\.9 % over 30 d \(budget 43\.2 min\) \| 99\.95 % over 30 d \(budget 21\.6 min\) \|/);
    expect(markdown).toMatch(/\| status-page \| removed \|/);
  });

  it("the reviewer's page quotes the likely-rename rows this diff produces", () => {
    const page = readFileSync(path.join(REPO_ROOT, "docs", "reviewing-diff.md"), "utf8");
    const section = page.slice(page.indexOf("## A proper rename"), page.indexOf("\n## ", page.indexOf("## A proper rename") + 3));
    const quoted = section.split("\n").filter((line) => line.startsWith("| endpoint |"));
    expect(quoted.length).toBeGreaterThan(0);
    for (const line of quoted) expect(renderDiff(base, head).split("\n")).toContain(line);
  });

  it("an unchanged plan has no differences, and a rename through aliases replaces nothing", () => {
    const same = matchResources(base, base);
    expect([same.added, same.removed, same.changed]).toEqual([[], [], []]);
    expect(renderDiff(base, base)).toContain("Nothing that holds history, data, credentials or configuration is replaced, deleted, cut back or taken over.");
  });

  it("npm run diff reads two plan files and refuses anything else with a clear message", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "diff-cli-"));
    dirs.push(dir);
    writeFileSync(path.join(dir, "base.json"), planJson(base));
    writeFileSync(path.join(dir, "head.json"), planJson(head));
    writeFileSync(path.join(dir, "bad.json"), "{ not json");
    const run = (...args: string[]) => runCli("diff", ...args);
    const ok = await run(path.join(dir, "base.json"), path.join(dir, "head.json"));
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe(renderDiff(base, head));
    const bad = await run(path.join(dir, "base.json"), path.join(dir, "bad.json"));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\.json: \(json\): invalid JSON \(.*expected a plan\.json written by npm run plan\)/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});
