/**
 * How problems are worded, case by case where zod's defaults would get it
 * wrong: `what is wrong (got X, expected Y)` with X the user's value at that
 * path, never the parent object or zod's own English.
 */
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadServices, type LoadResult } from "../../contract/load";
import { endpointSchema } from "../../contract/serviceSchema";
import { parseStackConfig } from "../../contract/stackConfig";
import { BAD_DIR, STACK_FILE, rawConfig } from "../support/declarations";

const results = new Map<string, LoadResult>();
const FILES = [
  "label-key-uppercase.yaml",
  "prometheus-histogram-without-threshold.yaml",
  "scaling-min-above-max.yaml",
  "wrong-type-endpoints-mapping.yaml",
  "wrong-type-alerting-page-string.yaml",
  "status-code-99.yaml",
  "apiversion-missing.yaml",
];

beforeAll(async () => {
  for (const file of FILES) results.set(file, await loadServices([path.join(BAD_DIR, file)]));
});

function message(file: string, at: string): string {
  const problem = results.get(file)!.problems.find((p) => p.path === at);
  expect(problem, `a problem at ${at} in ${file}`).toBeDefined();
  return problem!.message;
}

describe("problem messages", () => {
  // zodProblems.ts (phrase) does not unwrap zod 4 `invalid_key` issues: the key schema's
  // message in schema.ts (userLabels, "expected a label key: ...") is replaced by zod's
  // generic "Invalid key in record" → `invalid value (got "CostCenter", expected invalid key in record)`.
  it("an invalid label key says what a label key must look like", () => {
    expect(message("label-key-uppercase.yaml", "labels.CostCenter")).toMatch(/expected a label key: lowercase letters/);
  });

  // schema.ts prometheusIndicator superRefine adds a custom issue at path ["threshold"]
  // whose input is the whole prometheus mapping; zodProblems prints it as
  // `invalid value (got {"histogram":"..."}, ...)` although the field is missing.
  it("a missing threshold next to a histogram reads as a missing field, not as an invalid value", () => {
    const text = message("prometheus-histogram-without-threshold.yaml", "slos[0].indicator.prometheus.threshold");
    expect(text).toMatch(/^missing/);
    expect(text).not.toContain('got {"histogram"');
  });

  // schema.ts scalingSchema superRefine: custom issue at ["minInstances"] carries the
  // whole scaling mapping as input → `got {"minInstances":5,"maxInstances":2}`.
  it("minInstances above maxInstances shows the minInstances value that was got", () => {
    expect(message("scaling-min-above-max.yaml", "scaling.minInstances")).toMatch(/got 5\b/);
  });

  // schema.ts: z.array(...) for endpoints, slos, alerting.page/ticket (channelList), logs.exclude,
  // expect.status etc. has no type error message, so zod's default English leaks through:
  // `expected invalid input: expected array, received object`.
  it("a mapping where a list belongs says a list was expected, in the contract's words", () => {
    for (const [file, at] of [
      ["wrong-type-endpoints-mapping.yaml", "endpoints"],
      ["wrong-type-alerting-page-string.yaml", "alerting.page"],
    ] as const) {
      expect(message(file, at)).not.toMatch(/invalid input/i);
    }
  });

  // schema.ts endpointSchema expect.status: `.min(100)` has no message (only `.max(599, ...)` has one),
  // so 99 reads `expected too small: expected number to be >=100`.
  it("a status code below 100 says the valid range like one above 599 does", () => {
    expect(message("status-code-99.yaml", "endpoints[0].expect.status[0]")).toMatch(/expected HTTP status codes between 100 and 599/);
  });

  // z.literal reports a missing apiVersion as `invalid_value`, not `invalid_type`, so it reads
  // `invalid value (got nothing, ...)` where every other absent required field reads `missing required field (...)`.
  it("a missing apiVersion reads as a missing required field like other absent fields", () => {
    expect(message("apiversion-missing.yaml", "apiVersion")).toMatch(/^missing required field/);
  });

  // stackConfig.ts channelSchema (discriminatedUnion): the issue at `.type` carries the whole channel
  // mapping as input → `got {"type":"teams"}` instead of `got "teams"`.
  it("a channel of an unknown type shows the type that was got", () => {
    const { problems } = parseStackConfig(rawConfig({ "monitoring-stack:channels": JSON.stringify({ x: { type: "teams" } }) }), STACK_FILE);
    const problem = problems.find((p) => p.path === "monitoring-stack:channels.x.type")!;
    expect(problem.message).toMatch(/got "teams"/);
  });
});

describe("what is accepted", () => {
  // schema.ts endpointSchema url: `new URL("https:health")` parses (WHATWG special-scheme rules) to
  // https://health/, so a URL without "//" passes as "an absolute http or https URL" and the check
  // would be sent to the host "health".
  it("an endpoint URL without '//' after the scheme is rejected", () => {
    for (const url of ["https:health", "http:/status.example.com/health"]) {
      expect(endpointSchema.safeParse({ name: "e", url }).success, url).toBe(false);
    }
  });
});

describe("routing of log-based metric alerts", () => {
  it("a paging log-metric alert needs a page channel even when nothing else pages", async () => {
    const { validateService } = await import("../../catalog/validate");
    const { settingsFrom } = await import("../support/declarations");
    const spec = {
      apiVersion: "monitoring-stack/v1" as const,
      name: "quiet",
      team: "t",
      tier: "low" as const,
      runtime: { external: {} },
      logs: { filter: 'resource.type="gce_instance" AND logName="projects/p/logs/quiet"', metrics: [{ name: "boom", filter: "severity>=ERROR", alert: { above: 1, per: "5m", severity: "page" as const } }] },
    };
    const noRoutes = settingsFrom({ "monitoring-stack:routes": undefined });
    expect(validateService(spec, "quiet.yaml", noRoutes).map((p) => p.path)).toEqual(["alerting.page"]);
    expect(validateService({ ...spec, alerting: { page: ["sre-pager"] } }, "quiet.yaml", noRoutes)).toEqual([]);
  });
});

describe("limits Cloud Monitoring would enforce at apply time, and secrets kept out of messages", () => {
  const endpoint = (extra: Record<string, unknown>) => endpointSchema.safeParse({ name: "e", url: "https://a.example.com/h", ...extra }, { reportInput: true });

  it("rejects URLs with credentials or a fragment, and never prints the password", async () => {
    const { zodProblems } = await import("../../contract/zodProblems");
    const withPassword = endpoint({ url: "https://admin:hunter2@api.example.com/health" });
    expect(withPassword.success).toBe(false);
    const text = zodProblems("f", withPassword.error!.issues).map((p) => p.message).join("\n");
    expect(text).not.toContain("hunter2");
    expect(text).toContain("https://[credentials]@api.example.com/health");
    expect(endpoint({ url: "https://api.example.com/health#top" }).success).toBe(false);
    expect(endpoint({ url: "https://api.example.com/health?deep=1" }).success).toBe(true);
  });

  it("counts checker locations, not regions: USA alone is three; USA and its parts not together", () => {
    expect(endpoint({ regions: ["USA"] }).success).toBe(true);
    expect(endpoint({ regions: ["EUROPE", "ASIA_PACIFIC"] }).success).toBe(false);
    expect(endpoint({ regions: ["USA", "USA_IOWA", "EUROPE"] }).success).toBe(false);
    expect(endpoint({ regions: ["USA_OREGON", "USA_IOWA", "EUROPE"] }).success).toBe(true);
  });

  it("wants whole-second timeouts and content matchers of at most 1024 bytes", () => {
    expect(endpoint({ timeout: "1500ms" }).success).toBe(false);
    expect(endpoint({ timeout: "2000ms" }).success).toBe(true);
    expect(endpoint({ expect: { contains: "x".repeat(1024) } }).success).toBe(true);
    expect(endpoint({ expect: { contains: "é".repeat(513) } }).success).toBe(false);
  });

  it("never echoes a credential from channelSecrets", () => {
    const raw = rawConfig({ "monitoring-stack:channelSecrets": JSON.stringify({ "sre-pager": 123456789, "sre-slack": { key: "NESTED-SECRET" } }) });
    const { problems } = parseStackConfig(raw, STACK_FILE);
    const text = problems.map((p) => p.message).join("\n");
    expect(problems.map((p) => p.path)).toEqual(["monitoring-stack:channelSecrets.sre-pager", "monitoring-stack:channelSecrets.sre-slack"]);
    expect(text).not.toMatch(/123456789|NESTED-SECRET/);
    const whole = parseStackConfig(rawConfig({ "monitoring-stack:channelSecrets": "TOPLEVEL-SECRET" }), STACK_FILE).problems;
    expect(whole.map((p) => p.message).join("\n")).not.toContain("TOPLEVEL-SECRET");
  });

  it("refuses a custom tier whose burn rate is below 1: it would alert while the SLO is met", async () => {
    const { validateService } = await import("../../catalog/validate");
    const { settingsFrom } = await import("../support/declarations");
    const slow = settingsFrom({
      "monitoring-stack:burnRateTiers": JSON.stringify([{ name: "drift", severity: "ticket", budgetPercent: 1, longWindow: "1d", shortWindow: "2h" }]),
    });
    const spec = {
      apiVersion: "monitoring-stack/v1" as const,
      name: "s",
      team: "t",
      runtime: { cloudRun: { service: "s", region: "europe-west1" } },
      slos: [{ name: "availability", objective: 99.9, indicator: { availability: {} } }],
    };
    // 1 % of a 30-day budget in 1 day is burn 0.3.
    const problems = validateService(spec, "s.yaml", slow);
    expect(problems.map((p) => p.path)).toEqual(["slos[0].window"]);
    expect(problems[0]!.message).toMatch(/burn tier drift would alert while the SLO is met \(got burn rate 0\.3 over 1d/);
  });
});

describe("fields without a message of their own", () => {
  it("are reported in our wording, never zod's", async () => {
    const { serviceSchema } = await import("../../contract/serviceSchema");
    const { zodProblems } = await import("../../contract/zodProblems");
    const { formatProblem } = await import("../../contract/problems");
    const declaration = {
      apiVersion: "monitoring-stack/v1",
      name: "a",
      team: "t",
      runtime: { cloudRun: { service: "a" } },
      logs: { sinks: [{ name: "s", filter: "", destination: { storage: {} } }], metrics: [{ name: "m" }] },
    };
    const parsed = serviceSchema.safeParse(declaration, { reportInput: true });
    expect(parsed.success).toBe(false);
    const lines = zodProblems("a.yaml", parsed.error!.issues).map(formatProblem);
    expect(lines).toEqual([
      "a.yaml: runtime.cloudRun.region: missing required field (expected a GCP region like europe-west1)",
      'a.yaml: logs.sinks[0].filter: invalid value (got "", expected a non-empty Cloud Logging filter)',
      "a.yaml: logs.sinks[0].destination.storage.bucket: missing required field (expected a Cloud Storage bucket name)",
      "a.yaml: logs.metrics[0].filter: missing required field (expected a non-empty Cloud Logging filter)",
    ]);
    // A schema without messages of its own still reads in our wording.
    const { z } = await import("zod");
    const bare = z.object({ a: z.string(), b: z.string().min(2), c: z.array(z.number()).max(1) }).safeParse({ b: "x", c: [1, 2] }, { reportInput: true });
    expect(zodProblems("b.yaml", bare.error!.issues).map(formatProblem)).toEqual([
      "b.yaml: a: missing required field (expected a string)",
      'b.yaml: b: invalid value (got "x", expected at least 2 characters)',
      "b.yaml: c: invalid value (got [1,2], expected at most 1 item)",
    ]);
    for (const line of lines) expect(line).not.toMatch(/Invalid input|Too small|Too big|received/);
  });
});

describe("a TypeScript declaration that does not load", () => {
  it("is reported with the syntax error's line, column and text (as tsx loads it for the commands)", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const path = await import("node:path");
    const { runCli } = await import("../support/commands");
    const dir = mkdtempSync(path.join(tmpdir(), "bad-ts-"));
    writeFileSync(path.join(dir, "x.ts"), 'export default { name: "x" team: "t" };\n');
    const run = await runCli("validate", dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/x\.ts: \(module\): could not be loaded \(got error: line 1:\d+: Expected "\}" but found "team", expected a module/);
  });

  it("loadError keeps a syntax error's position, else the first line", async () => {
    const { loadError } = await import("../../contract/load");
    expect(loadError(Object.assign(new Error("Transform failed with 1 error:\nx.ts:3:7: ERROR: Unexpected end of file"), {}))).toBe("line 3:7: Unexpected end of file");
    expect(loadError(Object.assign(new Error("Transform failed"), { errors: [{ text: "Unexpected }", location: { line: 2, column: 4 } }] }))).toBe("line 2:4: Unexpected }");
    expect(loadError(new Error("boom\n    at somewhere"))).toBe("boom");
  });
});
