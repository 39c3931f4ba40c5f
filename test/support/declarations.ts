/**
 * Shared by the contract tests: fixture locations and a stack config built
 * the way Pulumi hands it to the program (strings, objects JSON-encoded).
 */
import * as path from "node:path";
import { expect } from "vitest";
import { formatProblem, type Problem } from "../../contract/problems";
import { parseStackConfig, type StackSettings } from "../../contract/stackConfig";
import { serviceSchema, type SloSpec } from "../../contract/serviceSchema";
import { serviceModel } from "../../model/service";
import type { ServiceModel } from "../../model/types";

/** Fixture paths as loadServices shows them: relative to the working directory (the repository root under vitest). */
export const FIXTURES = "test/fixtures/services";
export const GOOD_DIR = `${FIXTURES}/good`;
export const BAD_DIR = `${FIXTURES}/bad`;
export const SEMANTIC_DIR = `${BAD_DIR}/semantic`;

export const REPO_ROOT = path.resolve(__dirname, "../..");

/** The channels every test stack defines: one of each type, the same names as the embedded local stack. */
export const CHANNELS = {
  "sre-pager": { type: "pagerduty", displayName: "SRE on-call" },
  "sre-slack": { type: "slack", channel: "#sre-alerts" },
  "payments-pager": { type: "pagerduty" },
  "payments-slack": { type: "slack", channel: "#payments-alerts" },
  "catalog-email": { type: "email", address: "catalog-team@example.com" },
  "incident-webhook": { type: "webhook" },
} as const;

export const CHANNEL_SECRETS = {
  "sre-pager": "pd-key",
  "sre-slack": "xoxb-token",
  "payments-pager": "pd-key-2",
  "payments-slack": "xoxb-token-2",
  "incident-webhook": "https://hooks.example.com/t0ken",
} as const;

export const ROUTES = { page: ["sre-pager"], ticket: ["sre-slack"] };

/** A raw stack config map; `overrides` replace keys, `undefined` removes one. */
export function rawConfig(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const raw: Record<string, string | undefined> = {
    "gcp:project": "p",
    "monitoring-stack:environment": "test",
    "monitoring-stack:channels": JSON.stringify(CHANNELS),
    "monitoring-stack:channelSecrets": JSON.stringify(CHANNEL_SECRETS),
    "monitoring-stack:routes": JSON.stringify(ROUTES),
    ...overrides,
  };
  return Object.fromEntries(Object.entries(raw).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

export const STACK_FILE = "stacks/Pulumi.test.yaml";

/** Settings from a raw config; fails the test if the config itself is invalid. */
export function settingsFrom(overrides: Record<string, string | undefined> = {}): StackSettings {
  const { settings, problems } = parseStackConfig(rawConfig(overrides), STACK_FILE);
  expect(problems.map(formatProblem)).toEqual([]);
  expect(settings).toBeDefined();
  return settings!;
}

/** Matches `FILE: path: message` for one problem, with the exact file and path. */
export function expectFormatted(problem: Problem): void {
  const line = formatProblem(problem);
  expect(line).toBe(`${problem.file}: ${problem.path}: ${problem.message}`);
  expect(line.startsWith(`${problem.file}: ${problem.path}: `)).toBe(true);
  expect(line).not.toContain("\n");
  expect(problem.message.trim()).not.toBe("");
}

/** Problems shown as lines, for readable assertion failures. */
export function lines(problems: readonly Problem[]): string[] {
  return problems.map(formatProblem);
}

/** Every field path `several-mistakes.yaml` gets wrong, in document order. */
export const SEVERAL_MISTAKES_PATHS = [
  "apiVersion",
  "name",
  "runtime",
  "endpoints[0].url",
  "endpoints[0].period",
  "endpoints[0].timeout",
  "slos[0].objective",
  "slos[0].window",
  "slos[0].indicator",
  "slos[0].indicater",
  "scaling.cpuTarget",
];

/** A counter ratio on the external service `api`: `http_requests_total`, 5xx bad. */
export const API_RATIO = { total: 'http_requests_total{job="api"}', bad: 'http_requests_total{job="api",code=~"5.."}' };

/** The model of an external service `api` with one SLO `ok` on {@link API_RATIO} (fields of the SLO overridable), under the test stack. */
export function apiRatioService(slo: Partial<SloSpec> = {}, objective = 99.9): ServiceModel {
  const spec = serviceSchema.parse({
    apiVersion: "monitoring-stack/v1",
    name: "api",
    team: "shop",
    runtime: { external: {} },
    slos: [{ name: "ok", objective, indicator: { prometheus: API_RATIO }, ...slo }],
  });
  return serviceModel(spec, "services/api.yaml", settingsFrom());
}
