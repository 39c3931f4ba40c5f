/**
 * `npm run import` end to end: several formats and files at once, a refused
 * document reported once with every reason and nothing written, or with
 * --skip-unmappable everything that maps written and what was left out listed;
 * the declarations on stdout without --out; the acceptance table.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runCli, type CliRun } from "../support/commands";

function importCli(...args: string[]): Promise<CliRun> {
  return runCli("import", ...args);
}

const SLOTH = "test/data/interop/sloth/slok_sloth__examples_kubernetes-apiserver.yml";
const PYRRA = "test/data/interop/pyrra/pyrra-dev_pyrra__examples_nginx.yaml";
const GAUGE = "test/data/interop/pyrra/pyrra-dev_pyrra__examples_prometheus-probe-success.yaml";
const VENDOR = "test/data/interop/openslo/OpenSLO_slogen__samples_sumologic_v1_logs-req-rolling.yaml";

describe("cli/import.ts", () => {
  it("writes nothing when a document is refused; with --skip-unmappable writes the rest and lists what it left out", async () => {
    const out = mkdtempSync(path.join(tmpdir(), "import-"));
    const [strict, skipping, stdout] = await Promise.all([
      importCli("--team", "payments", "--out", path.join(out, "strict"), SLOTH, PYRRA, GAUGE, VENDOR),
      importCli("--team", "payments", "--skip-unmappable", "--out", path.join(out, "skip"), SLOTH, PYRRA, GAUGE, VENDOR),
      importCli("--team", "payments", SLOTH),
    ]);

    expect(strict.code).toBe(2);
    expect(existsSync(path.join(out, "strict"))).toBe(false);
    // Each refused document once, then each of its reasons.
    expect(strict.stderr.match(/^refused: /gm)).toHaveLength(2);
    expect(strict.stderr).toMatch(/^refused: .*prometheus-probe-success\.yaml: doc\[0\]\(ServiceLevelObjective\/prometheus-blackbox-probe-success\)\n  - spec\.indicator\.bool_gauge: not supported \(got a 0\/1 gauge indicator/m);
    expect(strict.stderr).toMatch(/^refused: .*logs-req-rolling\.yaml: doc\[0\]\(SLO\/drift_gen_Rolling\)\n(  - .*\n){3,}/m);
    expect(strict.stderr).toMatch(/^2 documents refused \(\d+ reasons\); nothing was written \(--skip-unmappable writes the rest\)\.$/m);
    expect(strict.stderr).not.toMatch(/^\s+at /m);

    expect(skipping.code, skipping.stderr).toBe(0);
    expect(readdirSync(path.join(out, "skip")).sort()).toEqual(["k8s-apiserver.yaml", "monitoring.yaml"]);
    expect(skipping.stdout).toMatch(/imported 4 of 6 SLO documents \(4 SLOs\) into 2 services; left out 2 refused documents: .*prometheus-blackbox-probe-success.*drift_gen/);
    const written = readFileSync(path.join(out, "skip", "k8s-apiserver.yaml"), "utf8");
    expect(written).toMatch(/^# yaml-language-server: \$schema=/);
    expect(written).toMatch(/^# Note: .*Sloth's default 30d applies$/m);

    expect(stdout.code, stdout.stderr).toBe(0);
    const declared = parse(stdout.stdout.replace(/^---\n/, "")) as { name: string; slos: unknown[] };
    expect(declared.name).toBe("k8s-apiserver");
    expect(declared.slos).toHaveLength(2);
    expect(stdout.stderr).toMatch(/^imported 2 of 2 SLO documents \(2 SLOs\) into 1 service$/m);
  });

  it("is also npm run openslo -- import, and prints the acceptance table", async () => {
    const [alias, table] = await Promise.all([
      runCli("openslo", "import", "--team", "payments", PYRRA),
      importCli("--table", "--team", "example", "test/data/interop/pyrra"),
    ]);
    expect(alias.code, alias.stderr).toBe(0);
    expect(alias.stdout).toMatch(/^name: monitoring$/m);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^\| test\/data\/interop\/pyrra\/pyrra-dev_pyrra__examples_nginx\.yaml \| 2 of 2 \| — \|$/m);
    expect(table.stdout).toMatch(/^\| .*prometheus-probe-success\.yaml \| 0 of 1 \| not supported: bool_gauge \|$/m);
  });
});
