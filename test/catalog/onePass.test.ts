/**
 * Validation reports every problem in one pass: a declaration with shape
 * problems still gets its cross-reference checks (unknown endpoint, objective
 * above 99.99, reserved labels, duplicate alert names) on the parts that are
 * valid, with list indexes as written in the file.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadCatalog, salvagedProblem } from "../../catalog/loadCatalog";
import { salvageSpec } from "../../contract/load";
import { settingsFrom } from "../support/declarations";

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function file(name: string, text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "one-pass-"));
  dirs.push(dir);
  writeFileSync(path.join(dir, name), text);
  return path.join(dir, name);
}

const MIXED = `apiVersion: monitoring-stack/v1
name: shop
team: web
tier: critical
runbook: not a url
labels: { team: other }
runtime:
  cloudRun: { service: shop, region: europe-west1 }
endpoints:
  - name: broken
    url: ftp://shop.example.com/
  - name: health
    url: https://shop.example.com/health
slos:
  - name: bad-window
    objective: 99.9
    window: 45d
    indicator: { availability: {} }
  - name: uptime
    objective: 99.995
    indicator: { uptime: { endpoint: helth } }
alerts:
  - { name: HighCPU, expr: "cpu > 0.9", severity: ticket }
  - { name: HighCPU, expr: "cpu > 0.95", severity: page }
  - { name: Broken, expr: "up{job=", severity: page }
`;

describe("validation in one pass", () => {
  it("reports shape and cross-reference problems of the same file together", async () => {
    const shown = file("shop.yaml", MIXED);
    const catalog = await loadCatalog([shown], settingsFrom(), { servicesDir: path.dirname(shown) });
    const paths = catalog.problems.map((p) => p.path);
    // Shape problems.
    expect(paths).toEqual(expect.arrayContaining(["runbook", "endpoints[0].url", "slos[0].window", "alerts[2].expr"]));
    // Cross-reference problems on the valid parts, with the file's own indexes.
    expect(paths).toEqual(expect.arrayContaining(["labels.team", "slos[1].objective", "alerts[1].name"]));
    const byPath = (p: string) => catalog.problems.filter((problem) => problem.path === p).map((problem) => problem.message);
    expect(byPath("slos[1].objective").join("\n")).toMatch(/expected at most 99\.99/);
    expect(byPath("alerts[1].name").join("\n")).toMatch(/duplicate name \(got "HighCPU", also used by alerts\[0\]/);
    expect(byPath("labels.team").join("\n")).toMatch(/^reserved label/);
    // An endpoint entry was dropped for its shape: "unknown endpoint" could be a false alarm, so it waits.
    expect(paths).not.toContain("slos[1].indicator.uptime.endpoint");
  });

  it("reports an unknown endpoint when every endpoint entry is valid", async () => {
    const shown = file("shop.yaml", MIXED.replace("  - name: broken\n    url: ftp://shop.example.com/\n", ""));
    const catalog = await loadCatalog([shown], settingsFrom(), { servicesDir: path.dirname(shown) });
    expect(catalog.problems.map((p) => p.path)).toContain("slos[1].indicator.uptime.endpoint");
  });

  it("salvages nothing when a core field is wrong, and maps indexes back to the file", () => {
    expect(salvageSpec({ apiVersion: "monitoring-stack/v1", name: "Bad Name", team: "t", runtime: { external: {} } })).toBeUndefined();
    const salvaged = salvageSpec({ apiVersion: "monitoring-stack/v1", name: "a", team: "t", runtime: { external: {} }, tier: "gold", slos: [{ name: "x" }, { name: "y", objective: 99, indicator: { availability: {} } }] })!;
    expect(salvaged.omitted).toEqual(["tier"]);
    expect(salvaged.indexes).toEqual({ slos: [1] });
    const problem = { file: "a.yaml", path: "slos[0].indicator.availability", message: "needs the runtime's own request metrics" };
    expect(salvagedProblem(problem, { file: "a.yaml", ...salvaged })).toEqual([{ ...problem, path: "slos[1].indicator.availability" }]);
    expect(salvagedProblem({ file: "a.yaml", path: "slos[0].objective", message: "burn tier page-fast can never fire" }, { file: "a.yaml", ...salvaged })).toEqual([]);
  });
});
