/** The large-organisation benchmark's table: totals over the stacks, the slowest stack and the heaviest. */
import { describe, expect, it } from "vitest";
import { renderLargeOrg, type StackRun } from "../../bench/largeOrg";

const run = (stack: string, wallSeconds: number, maxRssMb: number): StackRun => ({ stack, services: 100, resources: 1500, wallSeconds, cpuSeconds: wallSeconds / 2, maxRssBytes: maxRssMb * 2 ** 20, load: 1 });

describe("renderLargeOrg", () => {
  it("sums wall and CPU time and names the slowest and the heaviest stack", () => {
    const table = renderLargeOrg([run("a", 10, 300), run("b", 30, 250), run("c", 20, 400)], "2026-12-01T00:00:00Z");
    expect(table).toContain("| 3 | 300 | 4500 | 60.0 | 30.0 | b (30.0) | 400 (c) |");
    expect(table.split("\n")[0]).toBe("<!-- large-org:begin (written by npx tsx bench/largeOrg.ts) -->");
  });
});
