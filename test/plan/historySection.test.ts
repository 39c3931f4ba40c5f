/**
 * The plan diff's "On the last N days of traffic": a Prometheus-evaluated
 * objective raised from 99.5 to 99.9 % on the local stack, replayed on the
 * sample history as the base and the head plans would have alerted; the whole
 * diff is the golden test/golden/diff/history-objective-change.md.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeSample } from "../../bench/backtest/sample";
import { readHistory, type History } from "../../backtest/history";
import { renderDiff } from "../../plan/diff";
import { episodeRows, touchedSlos } from "../../plan/historySection";
import type { PlanDocument } from "../../plan/runPlan";
import { REPO_ROOT } from "../support/declarations";
import { plan } from "./helpers";

let dir: string;
let base: PlanDocument;
let head: PlanDocument;
let history: History;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "history-diff-"));
  const services = path.join(dir, "services");
  cpSync(path.join(REPO_ROOT, "services"), services, { recursive: true });
  const checkout = path.join(services, "checkout-api.ts");
  writeFileSync(checkout, readFileSync(checkout, "utf8").replace('from "../contract/define"', `from ${JSON.stringify(path.join(REPO_ROOT, "contract", "define"))}`));
  const catalog = path.join(services, "catalog-web.yaml");
  writeFileSync(catalog, readFileSync(catalog, "utf8").replace("  - name: availability\n    objective: 99.5", "  - name: availability\n    objective: 99.9"));
  base = JSON.parse(readFileSync(path.join(REPO_ROOT, "test", "golden", "local", "plan.json"), "utf8")) as PlanDocument;
  head = (await plan({ stack: "local", servicesDir: services })).plan;
  history = readHistory(await writeSample(path.join(dir, "history"), Date.parse("2026-12-01T00:00:00Z"), 28));
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const section = (markdown: string) => markdown.slice(markdown.indexOf("## On the last"), markdown.indexOf("\n## Routing"));

describe("npm run diff -- --history", () => {
  it("adds the SLOs the change touches, replayed before and after: budget, episodes, notifications per receiver", async () => {
    const markdown = renderDiff(base, head, undefined, { history, days: 28 });
    await expect(markdown).toMatchFileSnapshot(path.join(REPO_ROOT, "test", "golden", "diff", "history-objective-change.md"));
    const text = section(markdown);
    expect(text).toMatch(/^## On the last 28 days of traffic\n/);
    expect(text).toContain("replayed from 2026-11-03 00:00 to 2026-12-01 00:00 UTC");
    expect(text).toContain("### catalog-web / availability (Prometheus)");
    expect(text).not.toContain("catalog-web / latency");
    expect(text).toContain("|  | Before (99.5 %) | After (99.9 %) |");
    expect(text).toMatch(/\| budget spent \| 77\.6 % \| 388 % \|/);
    expect(text).toMatch(/\| notifications to sre-pager \(page\) \| 13 \| \d\d \|/);
    expect(text).toMatch(/\| page page-fast \| — \| 2026-11-14 [\d:]+ to 2026-11-16 [\d:]+ \([^)]+\): appears \|/);
    // Without history the diff is the same as ever.
    expect(renderDiff(base, head)).not.toContain("## On the last");
  });

  it("touches only SLOs whose record changed; a plan predating the alerting record is said so", () => {
    expect(touchedSlos(base, head).map((t) => t.label)).toEqual(["catalog-web / availability"]);
    expect(touchedSlos(base, base)).toEqual([]);
    const old = JSON.parse(JSON.stringify(base)) as PlanDocument;
    for (const service of old.services!) for (const slo of service.slos) delete slo.alerting;
    const markdown = renderDiff(old, head, undefined, { history, days: 28 });
    expect(section(markdown)).toContain("catalog-web / availability (base): not replayed: its plan predates the record of how its alerts are evaluated (plan it again).");
  });

  it("docs/backtest.md quotes the section the code produces", () => {
    const page = readFileSync(path.join(REPO_ROOT, "docs", "backtest.md"), "utf8");
    const excerpt = page.slice(page.indexOf("## In the review"));
    const quoted = excerpt.slice(excerpt.indexOf("```text"), excerpt.indexOf("```", excerpt.indexOf("```text") + 7)).split("\n").filter((line) => line.startsWith("|"));
    const golden = readFileSync(path.join(REPO_ROOT, "test", "golden", "diff", "history-objective-change.md"), "utf8").split("\n");
    expect(quoted.length).toBeGreaterThan(5);
    for (const line of quoted) expect(golden, line).toContain(line);
  });

  it("pairs episodes of one tier that overlap as one, moved; the rest appear or vanish", () => {
    const e = (tier: string, start: string, end: string | null) => ({ severity: "page" as const, tier, start, end });
    const rows = episodeRows([e("page-fast", "2026-11-01T00:00:00Z", "2026-11-01T01:00:00Z"), e("page-slow", "2026-11-02T00:00:00Z", "2026-11-02T01:00:00Z")], [e("page-fast", "2026-11-01T00:30:00Z", null)], "2026-11-03T00:00:00Z");
    expect(rows.map((r) => r[2]!.replace(/.*: /, ""))).toEqual(["moved", "—"]);
    expect(rows[1]![1]).toMatch(/vanishes$/);
  });
});
