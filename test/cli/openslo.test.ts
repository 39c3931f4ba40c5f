/**
 * `npm run openslo -- import|export` end to end: files written with the
 * editor schema comment, nothing written on a problem, exit codes like the
 * other commands (0 fine, 2 invalid input), no stack trace.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, type CliRun } from "../support/commands";
import { REPO_ROOT } from "../support/declarations";

function openslo(...args: string[]): Promise<CliRun> {
  return runCli("openslo", ...args);
}

describe("cli/openslo.ts", () => {
  it("imports, refuses to overwrite, refuses unmappable documents and exports with or without skipping", async () => {
    const out = mkdtempSync(path.join(tmpdir(), "openslo-import-"));
    const bad = path.join(out, "bad.yaml");
    writeFileSync(bad, readFileSync(path.join(REPO_ROOT, "test/data/openslo/examples/budgeting-method/occurences-slo.yaml")));
    const [imported, refused, exportRefused, exported] = await Promise.all([
      openslo("import", "--out", path.join(out, "services"), "test/fixtures/openslo"),
      openslo("import", "--out", path.join(out, "never"), bad),
      openslo("export"),
      openslo("export", "--skip-unmappable", "--out", path.join(out, "exported.yaml")),
    ]);

    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/imported 5 of 5 SLO documents \(6 SLOs\) into 2 services/);
    const checkout = readFileSync(path.join(out, "services", "checkout.yaml"), "utf8");
    expect(checkout.split("\n")[0]).toMatch(/^# yaml-language-server: \$schema=.*schema\/service-v1\.schema\.json$/);
    const target = path.resolve(path.join(out, "services"), checkout.split("\n")[0]!.replace(/^# yaml-language-server: \$schema=/, ""));
    expect(existsSync(target)).toBe(true);

    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^refused: .*bad\.yaml: doc\[0\]\(SLO\/search-slo\)\n  - spec\.indicator\.spec\.thresholdMetric\.metricSource\.type: unknown metric source \(got "Any", expected /m);
    expect(refused.stderr).toMatch(/^1 document refused \(1 reason\); nothing was written \(--skip-unmappable writes the rest\)\.$/m);
    expect(refused.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(path.join(out, "never"))).toBe(false);

    expect(exportRefused.code).toBe(2);
    expect(exportRefused.stdout).toBe("");
    expect(exportRefused.stderr).toMatch(/services\/status-page\.yaml: slos\[0\]\.indicator\.uptime: not expressible in OpenSLO/);

    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toMatch(/^skipped: services\/checkout-api\.ts: slos\[2\]\.indicator\.uptime: /m);
    expect(readFileSync(path.join(out, "exported.yaml"), "utf8")).toMatch(/name: checkout-api-availability\n/);

    // A second import into the same directory would overwrite: refused without --force, nothing touched.
    const again = await openslo("import", "--out", path.join(out, "services"), "test/fixtures/openslo");
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/checkout\.yaml: \(file\): already exists \(expected a new file; pass --force to overwrite it\)/);
    expect(readFileSync(path.join(out, "services", "checkout.yaml"), "utf8")).toBe(checkout);
  });
});
