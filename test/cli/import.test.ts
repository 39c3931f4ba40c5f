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
const METRICSQL = "test/data/interop/sloth/slok_sloth__examples_victoria-metrics.yml";
const WINDOWS_28D = "test/data/interop/sloth/slok_sloth__internal_alert_windows_google-28d.yaml";
const WINDOWS = "test/data/interop/sloth/slok_sloth__examples_windows_custom-30d.yaml";
const VENDOR = "test/data/interop/openslo/OpenSLO_slogen__samples_sumologic_v1_logs-req-rolling.yaml";

describe("cli/import.ts", () => {
  it("writes nothing when a document is refused; with --skip-unmappable writes the rest and lists what it left out", async () => {
    const out = mkdtempSync(path.join(tmpdir(), "import-"));
    const [strict, skipping, stdout] = await Promise.all([
      importCli("--team", "payments", "--out", path.join(out, "strict"), SLOTH, PYRRA, METRICSQL, VENDOR),
      importCli("--team", "payments", "--skip-unmappable", "--out", path.join(out, "skip"), SLOTH, PYRRA, METRICSQL, VENDOR),
      importCli("--team", "payments", SLOTH),
    ]);

    expect(strict.code).toBe(2);
    expect(existsSync(path.join(out, "strict"))).toBe(false);
    // Each refused document once, then each of its reasons.
    expect(strict.stderr.match(/^refused: /gm)).toHaveLength(2);
    expect(strict.stderr).toMatch(/^refused: .*victoria-metrics\.yml: doc\[0\]\(Sloth\/foo-bar\)\n  - slos\[0\]\.sli\.events\.error_query: not PromQL \(got histogram_share in /m);
    expect(strict.stderr).toMatch(/^refused: .*logs-req-rolling\.yaml: doc\[0\]\(SLO\/drift_gen_Rolling\)\n(  - .*\n){3,}/m);
    expect(strict.stderr).toMatch(/^2 documents refused \(\d+ reasons\); nothing was written \(--skip-unmappable writes the rest\)\.$/m);
    expect(strict.stderr).not.toMatch(/^\s+at /m);

    expect(skipping.code, skipping.stderr).toBe(0);
    expect(readdirSync(path.join(out, "skip")).sort()).toEqual(["k8s-apiserver.yaml", "monitoring.yaml"]);
    expect(skipping.stdout).toMatch(/imported 4 of 7 SLO documents \(4 SLOs\) into 2 services; left out 2 refused documents: .*victoria-metrics.*drift_gen/);
    const written = readFileSync(path.join(out, "skip", "k8s-apiserver.yaml"), "utf8");
    expect(written).toMatch(/^# yaml-language-server: \$schema=/);
    expect(written).toMatch(/^# Note: .*Sloth's default 30d applies \(--default-slo-period sets another, as for sloth generate\)$/m);

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
    expect(table.stdout).toMatch(/^\| .*prometheus-probe-success\.yaml \| 1 of 1 \| — \|$/m);
    expect(table.stdout).toMatch(/^\| .*pyrra-connect-latency\.yaml \| 1 of 1 \| — \|$/m);
  });

  it("takes Sloth's --default-slo-period, and fits Sloth's own 28-day windows with --fit-alert-windows, saying what changed", async () => {
    const [period, bad, refused, fitted] = await Promise.all([
      importCli("--team", "payments", "--default-slo-period", "4w", SLOTH),
      importCli("--team", "payments", "--default-slo-period", "90d", SLOTH),
      importCli(WINDOWS_28D),
      importCli("--fit-alert-windows", WINDOWS_28D),
    ]);
    expect(period.code, period.stderr).toBe(0);
    expect((parse(period.stdout.replace(/^---\n/, "")) as { slos: { window: string }[] }).slos.map((s) => s.window)).toEqual(["28d", "28d"]);
    expect(period.stderr).toMatch(/^note: .*Sloth specs carry no SLO period; --default-slo-period 28d applies$/m);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^--default-slo-period: invalid value \(got "90d", expected an SLO period like 28d, 4w or 30d/m);
    // Sloth's default 28d windows keep 10 % over 3d for the slow ticket: burn 0.93, refused unless fitted.
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/ticket\.slow: not supported \(got 10 % of the budget over "3d" on a 28d period: burn rate 0\.93.*or import with --fit-alert-windows to raise errorBudgetPercent to 10\.72 and keep the windows\)/);
    expect(fitted.code, fitted.stderr).toBe(0);
    expect(fitted.stderr).toMatch(/^note: .*google-28d\.yaml doc\[0\]\(AlertWindows\/28d\)\.spec\.ticket\.slow: errorBudgetPercent 10 → 10\.72 \(burn rate 0\.93 → 1; --fit-alert-windows\)/m);
    const snippet = parse(fitted.stdout) as { config: Record<string, Record<string, { name: string; budgetPercent: number; longWindow: string }[]>> };
    expect(snippet.config["monitoring-stack:burnRateTiers"]!["28d"]!.map((t) => [t.name, t.budgetPercent, t.longWindow])).toEqual([
      ["page-quick", 2, "1h"],
      ["page-slow", 5, "6h"],
      ["ticket-quick", 10, "1d"],
      ["ticket-slow", 10.72, "3d"],
    ]);
  });

  it("prints Sloth AlertWindows as a stack-config snippet, never into --out, and says so", async () => {
    const out = mkdtempSync(path.join(tmpdir(), "import-"));
    const [alone, withSlos] = await Promise.all([importCli(WINDOWS), importCli("--team", "payments", "--out", path.join(out, "services"), WINDOWS, SLOTH)]);
    expect(alone.code, alone.stderr).toBe(0);
    const snippet = parse(alone.stdout) as { config: Record<string, Record<string, unknown[]>> };
    expect(Object.keys(snippet.config)).toEqual(["monitoring-stack:burnRateTiers"]);
    expect(snippet.config["monitoring-stack:burnRateTiers"]!["30d"]).toHaveLength(4);
    expect(alone.stdout).toMatch(/^# Stack config: put this key under config: in stacks\/Pulumi\.<stack>\.yaml/m);
    expect(alone.stderr).toMatch(/^imported 4 burn-rate tiers as a stack-config snippet \(printed above; no service declarations\)$/m);

    expect(withSlos.code, withSlos.stderr).toBe(0);
    expect(readdirSync(path.join(out, "services"))).toEqual(["k8s-apiserver.yaml"]);
    expect(withSlos.stdout).toMatch(/^config:\n  monitoring-stack:burnRateTiers:\n    30d:\n/m);
    expect(withSlos.stdout).toMatch(/; 4 burn-rate tiers as a stack-config snippet \(printed, not written: it goes in stacks\/Pulumi\.<stack>\.yaml\)/);
  });
});
