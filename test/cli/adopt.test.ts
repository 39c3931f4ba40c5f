/**
 * `npm run adopt` end to end on the fixture project: the report, Pulumi's
 * bulk import file, the stack file's `monitoring-stack:adopt` (comments and
 * other keys kept), starting declarations for what nothing declares; and bad
 * input — a partial export, another project's export, twin channels whose
 * credentials are redacted — refused in one line each, all at once, with
 * nothing written and exit code 2.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runCli } from "../support/commands";
import { serviceSchema } from "../../contract/serviceSchema";
import { EXPECTED_ADOPTED } from "../adopt/fixture";

const FIXTURE = "test/fixtures/adopt";
const base = ["--stack", "shop", "--services", `${FIXTURE}/services`];

describe("cli/adopt.ts", () => {
  it("prints what it adopts, refuses and leaves alone, and writes the bulk import file, the stack config and starting declarations", async () => {
    const out = mkdtempSync(path.join(tmpdir(), "adopt-cli-"));
    const stackFile = path.join(out, "Pulumi.shop.yaml");
    copyFileSync(`${FIXTURE}/Pulumi.shop.yaml`, stackFile);
    const ran = await runCli("adopt", ...base, "--config-file", stackFile, "--existing", `${FIXTURE}/existing`, "--out", path.join(out, "import.json"), "--write-config", "--declarations", path.join(out, "services"), "--team", "web");
    expect(ran.stderr).toBe("");
    expect(ran.code).toBe(0);
    expect(ran.stdout).toMatch(/^adopt \(13\): /m);
    expect(ran.stdout).toMatch(/^refused \(4\): /m);
    expect(ran.stdout).toMatch(/^left alone \(12\): /m);
    expect(ran.stdout).toContain("    to take it over: add `formerly: [search-p99]` to the SLO latency of search, so its id stays search-p99");

    // Pulumi's bulk import file: type, name, id, and the parent each resource is created under.
    const bulk = JSON.parse(readFileSync(path.join(out, "import.json"), "utf8")) as { nameTable: Record<string, string>; resources: Array<{ type: string; name: string; id: string; parent?: string }> };
    expect(Object.fromEntries(bulk.resources.map((r) => [r.name, r.id]))).toEqual(EXPECTED_ADOPTED);
    const check = bulk.resources.find((r) => r.name === "shop-api-uptime-health")!;
    expect(check).toEqual({ type: "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig", name: "shop-api-uptime-health", id: EXPECTED_ADOPTED["shop-api-uptime-health"], parent: "shop-api-uptime" });
    expect(bulk.nameTable["shop-api-uptime"]).toBe("urn:pulumi:shop::monitoring-stack::monitoring-stack:service:ServiceMonitoring$monitoring-stack:gcp:UptimeChecks::shop-api-uptime");

    // The stack file: the ids under monitoring-stack:adopt, its comments and other keys as they were.
    const text = readFileSync(stackFile, "utf8");
    const original = readFileSync(`${FIXTURE}/Pulumi.shop.yaml`, "utf8");
    expect(text.startsWith(original.split("\n").slice(0, 3).join("\n"))).toBe(true);
    expect(text).toContain("    page: [shop-pager]\n");
    const config = (parse(text) as { config: Record<string, unknown> }).config;
    expect(config["monitoring-stack:adopt"]).toEqual(EXPECTED_ADOPTED);

    // A starting declaration for the check nothing declares, valid against contract v1, every unmapped field in a note.
    const declaration = readFileSync(path.join(out, "services", "legacy.yaml"), "utf8");
    expect(declaration).toContain("# Imported from test/fixtures/adopt/existing/uptime.json by npm run adopt.");
    expect(declaration).toMatch(/# Note: endpoint legacy-storefront \(.*\): userLabels are not mapped/);
    const spec = serviceSchema.parse(parse(declaration));
    expect(spec.endpoints![0]).toMatchObject({ name: "legacy-storefront", url: "https://legacy.example.com/", period: "600s", expect: { contains: "Welcome" } });
    // The SLO of an auto-detected Cloud Run service has a basic SLI: said, not declared.
    expect(ran.stdout).toMatch(/^not declared: .*dOd7kXBuTgSl5cyJ3QqMEQ: its indicator \(basicSli\) is not mapped/m);
  }, 120_000);

  it("refuses a partial export, another project's export and twin channels, all at once, writing nothing", async () => {
    const out = mkdtempSync(path.join(tmpdir(), "adopt-bad-"));
    const [exports, twins] = await Promise.all([
      runCli("adopt", ...base, "--config-file", `${FIXTURE}/Pulumi.shop.yaml`, "--existing", `${FIXTURE}/bad/slos-partial.json`, `${FIXTURE}/bad/uptime-staging.json`, `${FIXTURE}/existing/uptime.json`, "--out", path.join(out, "a.json")),
      runCli("adopt", ...base, "--config-file", `${FIXTURE}/Pulumi.shop.yaml`, "--existing", `${FIXTURE}/bad/channels-twins.json`, "--out", path.join(out, "b.json")),
    ]);
    expect(exports.code).toBe(2);
    expect(exports.stdout).toBe("");
    expect(exports.stderr.split("\n")).toEqual([
      `${FIXTURE}/bad/slos-partial.json: nextPageToken: a partial export (got a nextPageToken, expected every page: list again with a larger pageSize, or gcloud, which follows the pages)`,
      `${FIXTURE}/bad/uptime-staging.json: [0].name: another project's export (got "projects/acme-shop-staging/uptimeCheckConfigs/shop-healthz-staging-0Pz1", expected resources of the stack's project acme-shop-prod)`,
      "2 problems found; nothing was written.",
      "",
    ]);
    expect(twins.code).toBe(2);
    expect(twins.stderr).toMatch(/^test\/fixtures\/adopt\/Pulumi\.shop\.yaml: \(matching\): ambiguous: platform-shop-pager matches more than one existing resource \(got candidates .*2319955070128468410.*8841290031650721234.*expected exactly one/m);
    expect(twins.stderr).toMatch(/1 problem found; nothing was written\.\n$/);
    expect(existsSync(path.join(out, "a.json")) || existsSync(path.join(out, "b.json"))).toBe(false);
  }, 120_000);

  it("says what is missing on the command line, and --help describes every option", async () => {
    const [missing, team, help, other] = await Promise.all([
      runCli("adopt", "--stack", "shop"),
      runCli("adopt", "--existing", "x.json", "--declarations", "out"),
      runCli("adopt", "--help"),
      runCli("adopt", ...base, "--config-file", `${FIXTURE}/Pulumi.shop.yaml`, "--project", "acme-shop-staging"),
    ]);
    expect(other.code).toBe(2);
    expect(other.stderr.split("\n")[0]).toBe(`${FIXTURE}/Pulumi.shop.yaml: gcp:project: another project (got --project acme-shop-staging, expected the stack's project acme-shop-prod)`);
    expect(missing.code).toBe(2);
    expect(missing.stderr.split("\n")[0]).toBe("missing option --existing or --project (expected the export files to read, or the project to read the lists from)");
    expect(team.code).toBe(2);
    expect(team.stderr.split("\n")[0]).toBe("option --declarations needs --team NAME (got none, expected a DNS label)");
    expect(help.code).toBe(0);
    for (const option of ["--stack", "--config-file", "--services", "--existing", "--project", "--out", "--write-config", "--declarations", "--team"]) expect(help.stdout).toMatch(new RegExp(`^  ${option}\\b`, "m"));
  }, 120_000);
});
