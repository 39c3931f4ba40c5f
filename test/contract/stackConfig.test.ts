/**
 * The stack config (`monitoring-stack:` namespace) as Pulumi hands it to the
 * program: every value a string, objects JSON-encoded.
 */
import { describe, expect, it } from "vitest";
import { formatProblem, type Problem } from "../../contract/problems";
import { parseStackConfig } from "../../contract/stackConfig";
import { DEFAULT_BURN_TIERS, tierDefinitions } from "../../model/sloMath";
import { CHANNELS, CHANNEL_SECRETS, STACK_FILE, expectFormatted, lines, rawConfig } from "../support/declarations";

const J = JSON.stringify;

function problemsFor(overrides: Record<string, string | undefined>): Problem[] {
  const { settings, problems } = parseStackConfig(rawConfig(overrides), STACK_FILE);
  expect(settings, "settings must not be returned alongside problems").toBeUndefined();
  expect(problems.length).toBeGreaterThan(0);
  for (const problem of problems) {
    expect(problem.file).toBe(STACK_FILE);
    expect(problem.message).toContain("expected");
    expectFormatted(problem);
  }
  return problems;
}

function only(problems: Problem[], path: string): Problem {
  expect(problems.map((p) => p.path), lines(problems).join("\n")).toEqual([path]);
  return problems[0]!;
}

describe("parseStackConfig: valid configs", () => {
  it("returns settings with the channels, which of them carry credentials, routes and the default burn tiers", () => {
    const { settings, problems } = parseStackConfig(rawConfig(), STACK_FILE);
    expect(problems).toEqual([]);
    expect(settings).toMatchObject({
      project: "p",
      environment: "test",
      servicesDir: "services",
      channels: CHANNELS,
      routes: { page: ["sre-pager"], ticket: ["sre-slack"] },
    });
    expect([...settings!.channelsWithSecrets].sort()).toEqual(Object.keys(CHANNEL_SECRETS).sort());
    // No tiers declared: the model alerts with its defaults.
    expect(settings!.burnTiers).toBeUndefined();
    expect(tierDefinitions(settings!.burnTiers)).toEqual(DEFAULT_BURN_TIERS);
  });

  it("needs only gcp:project and the environment; everything else has a default", () => {
    const { settings, problems } = parseStackConfig({ "gcp:project": "p", "monitoring-stack:environment": "dev" }, STACK_FILE);
    expect(problems).toEqual([]);
    expect(settings).toMatchObject({ channels: {}, routes: { page: [], ticket: [] }, servicesDir: "services" });
  });

  it("ignores keys of other namespaces and reads services.dir", () => {
    const { settings, problems } = parseStackConfig(
      rawConfig({ "gcp:region": "europe-west1", "aws:region": "eu-west-1", "monitoring-stack:services": J({ dir: "catalog" }) }),
      STACK_FILE,
    );
    expect(problems).toEqual([]);
    expect(settings!.servicesDir).toBe("catalog");
  });

  it("accepts a burnRateTiers override and converts its windows to milliseconds", () => {
    const { settings, problems } = parseStackConfig(
      rawConfig({
        "monitoring-stack:burnRateTiers": J([
          { name: "fast", severity: "page", budgetPercent: 2, longWindow: "1h", shortWindow: "5m" },
          { name: "slow", severity: "ticket", budgetPercent: 10, longWindow: "3d", shortWindow: "6h" },
        ]),
      }),
      STACK_FILE,
    );
    expect(problems).toEqual([]);
    expect(settings!.burnTiers).toEqual([
      { name: "fast", severity: "page", budgetPercent: 2, longWindowMs: 3_600_000, shortWindowMs: 300_000 },
      { name: "slow", severity: "ticket", budgetPercent: 10, longWindowMs: 259_200_000, shortWindowMs: 21_600_000 },
    ]);
  });
});

describe("parseStackConfig: burnRateTiers keyed by SLO window", () => {
  it("reads each list as defined for its window (periodMs), next to nothing else changing", () => {
    const tier = { name: "fast", severity: "page", budgetPercent: 2, longWindow: "1h", shortWindow: "5m" };
    const { settings, problems } = parseStackConfig(rawConfig({ "monitoring-stack:burnRateTiers": J({ "28d": [tier], "7d": [{ ...tier, budgetPercent: 8 }] }) }), STACK_FILE);
    expect(problems).toEqual([]);
    expect(settings!.burnTiers).toEqual([
      { name: "fast", severity: "page", budgetPercent: 2, longWindowMs: 3_600_000, shortWindowMs: 300_000, periodMs: 28 * 86_400_000 },
      { name: "fast", severity: "page", budgetPercent: 8, longWindowMs: 3_600_000, shortWindowMs: 300_000, periodMs: 7 * 86_400_000 },
    ]);
  });

  it("reports every problem at once with its path: bad windows, a long window beyond its period, a wrong tier, a value of neither form", () => {
    const tier = { name: "fast", severity: "page", budgetPercent: 2, longWindow: "1h", shortWindow: "5m" };
    const problems = problemsFor({ "monitoring-stack:burnRateTiers": J({ "31d": [tier], "4w": [tier], "2d": [{ ...tier, longWindow: "3d" }, { ...tier, name: "slow", severity: "sms" }], "7d": [] }) });
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'monitoring-stack:burnRateTiers.31d: invalid key (got "31d", expected an SLO window in whole days, 1d to 30d, like 28d, or whole hours below a day, like 6h)',
      'monitoring-stack:burnRateTiers.4w: invalid key (got "4w", expected an SLO window in whole days, 1d to 30d, like 28d, or whole hours below a day, like 6h)',
      'monitoring-stack:burnRateTiers.2d[1].severity: invalid value (got "sms", expected page or ticket)',
      "monitoring-stack:burnRateTiers.7d: invalid value (got [], expected at least one tier)",
      "monitoring-stack:burnRateTiers.2d[0].longWindow: invalid value (got 3d, expected no longer than the 2d SLO window the tiers are defined for)",
    ]);
    expect(only(problemsFor({ "monitoring-stack:burnRateTiers": "14d" }), "monitoring-stack:burnRateTiers").message).toMatch(
      /^invalid value \(got "14d", expected a list of tiers defined for 30d, or a mapping of SLO window like 28d to a list of tiers defined for that window\)$/,
    );
  });
});

describe("parseStackConfig: invalid configs", () => {
  it("missing gcp:project", () => {
    const problem = only(problemsFor({ "gcp:project": undefined }), "gcp:project");
    expect(problem.message).toMatch(/^missing required field \(expected the GCP project id/);
    expect(formatProblem(problem)).toBe(`${STACK_FILE}: gcp:project: ${problem.message}`);
  });

  it("missing environment", () => {
    const problem = only(problemsFor({ "monitoring-stack:environment": undefined }), "monitoring-stack:environment");
    expect(problem.message).toMatch(/^missing required field/);
  });

  it("an unknown monitoring-stack key names the known ones", () => {
    const problem = only(problemsFor({ "monitoring-stack:chanels": J({}) }), "monitoring-stack:chanels");
    expect(problem.message).toMatch(/^unknown field \(got "monitoring-stack:chanels", /);
    expect(problem.message).toMatch(/expected one of: monitoring-stack:environment, .*monitoring-stack:channels/);
  });

  it("a channel of an unknown type", () => {
    const problem = only(problemsFor({ "monitoring-stack:channels": J({ x: { type: "teams" } }) }), "monitoring-stack:channels.x.type");
    expect(problem.message).toMatch(/expected a channel with type slack, email, pagerduty or webhook/);
    expect(formatProblem(problem).startsWith(`${STACK_FILE}: monitoring-stack:channels.x.type: `)).toBe(true);
  });

  it("a slack channel without '#'", () => {
    const problem = only(
      problemsFor({ "monitoring-stack:channels": J({ x: { type: "slack", channel: "alerts" } }), "monitoring-stack:channelSecrets": J({ x: "xoxb" }) }),
      "monitoring-stack:channels.x.channel",
    );
    expect(problem.message).toMatch(/got "alerts", expected a Slack channel like "#payments-alerts"/);
  });

  it("an email channel with an invalid address", () => {
    const problem = only(problemsFor({ "monitoring-stack:channels": J({ m: { type: "email", address: "not-an-address" } }), "monitoring-stack:channelSecrets": undefined }), "monitoring-stack:channels.m.address");
    expect(problem.message).toMatch(/got "not-an-address", expected an email address/);
  });

  it.each([
    ["slack", { type: "slack", channel: "#alerts" }, /Slack bot token/],
    ["pagerduty", { type: "pagerduty" }, /PagerDuty Events API v2 integration key/],
    ["webhook", { type: "webhook" }, /webhook URL/],
  ])("a %s channel without its credential in channelSecrets", (_type, channel, needs) => {
    const problem = only(
      problemsFor({ "monitoring-stack:channels": J({ x: channel }), "monitoring-stack:channelSecrets": undefined, "monitoring-stack:routes": undefined }),
      "monitoring-stack:channelSecrets.x",
    );
    expect(problem.message).toMatch(/^missing credential \(expected /);
    expect(problem.message).toMatch(needs);
    expect(problem.message).toContain("pulumi config set --secret --path 'monitoring-stack:channelSecrets.x'");
  });

  it("a credential for an email channel", () => {
    const problem = only(
      problemsFor({ "monitoring-stack:channelSecrets": J({ ...CHANNEL_SECRETS, "catalog-email": "secret" }) }),
      "monitoring-stack:channelSecrets.catalog-email",
    );
    expect(problem.message).toBe("credential for a channel that takes none (got type email, expected slack, pagerduty or webhook)");
  });

  it("a credential for a channel that does not exist", () => {
    const problem = only(problemsFor({ "monitoring-stack:channelSecrets": J({ ...CHANNEL_SECRETS, ghost: "x" }) }), "monitoring-stack:channelSecrets.ghost");
    expect(problem.message).toMatch(/^credential for an unknown channel \(got "ghost", expected a name from monitoring-stack:channels\)/);
  });

  it("a route naming an unknown channel, with its index", () => {
    const problems = problemsFor({ "monitoring-stack:routes": J({ page: ["sre-pager", "pager"], ticket: ["jira"] }) });
    expect(problems.map((p) => p.path)).toEqual(["monitoring-stack:routes.page[1]", "monitoring-stack:routes.ticket[0]"]);
    expect(problems[0]!.message).toBe(
      'unknown channel (got "pager", expected one of the stack\'s channels: catalog-email, incident-webhook, payments-pager, payments-slack, sre-pager, sre-slack; channels are declared under monitoring-stack:channels in the stack file, stacks/Pulumi.<stack>.yaml, their credentials under monitoring-stack:channelSecrets)',
    );
  });

  it("a route when no channel is defined at all", () => {
    const problem = only(
      problemsFor({ "monitoring-stack:channels": undefined, "monitoring-stack:channelSecrets": undefined, "monitoring-stack:routes": J({ page: ["sre-pager"] }) }),
      "monitoring-stack:routes.page[0]",
    );
    expect(problem.message).toMatch(/expected one of the stack's channels: none defined/);
  });

  it("a burn tier whose shortWindow is not shorter than its longWindow", () => {
    for (const shortWindow of ["1h", "2h"]) {
      const problem = only(
        problemsFor({ "monitoring-stack:burnRateTiers": J([{ name: "fast", severity: "page", budgetPercent: 2, longWindow: "1h", shortWindow }]) }),
        "monitoring-stack:burnRateTiers[0].shortWindow",
      );
      expect(problem.message).toMatch(new RegExp(`got ${shortWindow}.*expected shorter than longWindow 1h`));
    }
  });

  it("burn tiers with duplicate names, an empty list, or an unknown severity", () => {
    const tier = { name: "a", severity: "page", budgetPercent: 2, longWindow: "1h", shortWindow: "5m" };
    expect(only(problemsFor({ "monitoring-stack:burnRateTiers": J([tier, tier]) }), "monitoring-stack:burnRateTiers").message).toMatch(/expected unique tier names/);
    expect(only(problemsFor({ "monitoring-stack:burnRateTiers": J([]) }), "monitoring-stack:burnRateTiers").message).toMatch(/expected at least one tier/);
    expect(only(problemsFor({ "monitoring-stack:burnRateTiers": J([{ ...tier, severity: "sms" }]) }), "monitoring-stack:burnRateTiers[0].severity").message).toMatch(/got "sms", expected page or ticket/);
  });

  it("reports every problem of the config at once", () => {
    const problems = problemsFor({
      "gcp:project": undefined,
      "monitoring-stack:chanels": J({}),
      "monitoring-stack:channels": J({ x: { type: "teams" }, y: { type: "slack", channel: "nohash" } }),
    });
    expect(problems.map((p) => p.path)).toEqual([
      "gcp:project",
      "monitoring-stack:channels.x.type",
      "monitoring-stack:channels.y.channel",
      "monitoring-stack:chanels",
    ]);
  });
});

describe("monitoring-stack:routes.info", () => {
  it("takes channels reviewed once a day", () => {
    const { settings, problems } = parseStackConfig(rawConfig({ "monitoring-stack:routes": J({ page: ["sre-pager"], ticket: ["sre-slack"], info: ["catalog-email", "payments-slack"] }) }), STACK_FILE);
    expect(problems).toEqual([]);
    expect(settings!.routes.info).toEqual(["catalog-email", "payments-slack"]);
  });

  it("refuses a PagerDuty channel and a channel of the page route: info never pages", () => {
    const problems = problemsFor({ "monitoring-stack:routes": J({ page: ["sre-pager", "sre-slack"], ticket: ["sre-slack"], info: ["catalog-email", "payments-pager", "sre-slack"] }) });
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'monitoring-stack:routes.info[1]: a paging channel in the info route (got "payments-pager", a PagerDuty channel; expected channels reviewed once a day, such as email or a Slack channel: info alerts never page)',
      'monitoring-stack:routes.info[2]: a paging channel in the info route (got "sre-slack", also in the page route; expected channels reviewed once a day, such as email or a Slack channel: info alerts never page)',
    ]);
  });
});
