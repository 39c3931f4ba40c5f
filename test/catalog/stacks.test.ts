import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { computedOutputs } from "../../plan/mockRuntime";
import { owns, type Ownership } from "../../contract/ownership";
import { parseStackConfig } from "../../contract/stackConfig";
import { REPOSITORY_ROOT as ROOT } from "../../catalog/paths";
import { readStackSettings } from "../../catalog/stackSettings";
import { affectedStacks, checkStacks } from "../../catalog/stacks";
import { platformStandIns } from "../../plan/platformStandIns";
import { ofType, plan } from "../plan/helpers";

const SERVICES = path.join(ROOT, "services");
const BASE = { "gcp:project": "acme-prod", "monitoring-stack:environment": "prod" };
const tmp = mkdtempSync(path.join(os.tmpdir(), "sharding-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A stacks directory holding the given Pulumi.<name>.yaml files. */
function stacksDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmp, "stacks-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, `Pulumi.${name}.yaml`), text);
  return dir;
}

const PLATFORM = `config:
  gcp:project: acme-prod
  monitoring-stack:environment: prod
  monitoring-stack:owns: none
  monitoring-stack:channels:
    sre-pager: { type: pagerduty }
    sre-slack: { type: slack, channel: "#sre" }
    payments-pager: { type: pagerduty }
    payments-slack: { type: slack, channel: "#payments" }
    catalog-email: { type: email, address: catalog@example.com }
    incident-webhook: { type: webhook }
  monitoring-stack:channelSecrets:
    sre-pager: { secure: v1:x }
    sre-slack: { secure: v1:x }
    payments-pager: { secure: v1:x }
    payments-slack: { secure: v1:x }
    incident-webhook: { secure: v1:x }
  monitoring-stack:routes: { page: [sre-pager], ticket: [sre-slack] }
`;
const serviceStack = (owns: string, extra = "") => `config:
  gcp:project: acme-prod
  monitoring-stack:environment: prod
  monitoring-stack:platform: { stack: platform }
  monitoring-stack:services: { dir: ${JSON.stringify(SERVICES)} }
  monitoring-stack:owns: ${owns}
${extra}`;

describe("monitoring-stack:owns", () => {
  const subject = { name: "checkout-api", team: "payments", file: "checkout-api.ts" };
  it.each<[Ownership, boolean]>([
    ["all", true],
    ["none", false],
    [{ teams: ["payments"] }, true],
    [{ teams: ["catalog"] }, false],
    [{ services: ["checkout-*"] }, true],
    [{ services: ["catalog-*", "status-*"] }, false],
    [{ files: ["*.ts"] }, true],
    [{ files: ["*.yaml"] }, false],
    [{ teams: ["catalog"], services: ["checkout-api"] }, true],
  ])("%j owns checkout-api: %s", (ownership, expected) => {
    expect(owns(ownership, subject)).toBe(expected);
  });

  it("defaults to all and reports bad selections with the field and what was expected", () => {
    expect(parseStackConfig(BASE, "f.yaml").settings?.owns).toBe("all");
    const problems = (owns: string) => parseStackConfig({ ...BASE, "monitoring-stack:owns": owns }, "f.yaml").problems.map((p) => `${p.path}: ${p.message}`);
    expect(problems("some")).toEqual(['monitoring-stack:owns: invalid value (got "some", expected all, none, or a mapping with teams, services and/or files)']);
    expect(problems('{"teams":[]}')).toEqual(['monitoring-stack:owns: invalid value (got {"teams":[]}, expected at least one of teams, services or files (or all, or none))']);
    expect(problems('{"team":["payments"]}')).toEqual(['monitoring-stack:owns.team: unknown field (got "team", did you mean "teams"? expected one of: teams, services, files)']);
    expect(problems('{"files":["../other/*.yaml"]}')[0]).toMatch(/^monitoring-stack:owns\.files\[0\]: invalid value \(got "\.\.\/other\/\*\.yaml", expected a pattern relative to the services directory/);
  });
});

describe("monitoring-stack:platform", () => {
  it("takes the platform stack's channels and routes", () => {
    const dir = stacksDir({ platform: PLATFORM, payments: serviceStack("{ teams: [payments] }") });
    const { settings, problems } = readStackSettings("payments", dir);
    expect(problems).toEqual([]);
    expect(Object.keys(settings!.channels)).toContain("payments-pager");
    expect(settings!.routes).toEqual({ page: ["sre-pager"], ticket: ["sre-slack"], info: [] });
    expect(settings!.channelsWithSecrets.has("payments-pager")).toBe(true);
  });

  it("refuses channels next to a platform, an unknown or foreign platform, and routes to channels it lacks", () => {
    const other = PLATFORM.replace("environment: prod", "environment: dev");
    const dir = stacksDir({
      platform: PLATFORM,
      devplatform: other,
      own: serviceStack("all", "  monitoring-stack:channels: { mine: { type: email, address: a@example.com } }\n"),
      missing: serviceStack("all").replace("stack: platform", "stack: nowhere"),
      foreign: serviceStack("all").replace("stack: platform", "stack: devplatform"),
      routes: serviceStack("all", "  monitoring-stack:routes: { page: [nobody] }\n"),
      chained: serviceStack("all").replace("stack: platform", "stack: routes"),
    });
    const messages = (stack: string) => readStackSettings(stack, dir).problems.map((p) => `${p.path}: ${p.message}`);
    expect(messages("own")).toEqual([expect.stringMatching(/^monitoring-stack:channels: channels defined next to a platform stack/)]);
    expect(messages("missing")).toEqual([expect.stringMatching(/^monitoring-stack:platform\.stack: unknown stack \(got "nowhere", expected a stack with a config file here: .*Pulumi\.nowhere\.yaml\)$/)]);
    expect(messages("foreign")).toEqual(['monitoring-stack:platform.stack: platform stack of another environment (got "devplatform" with environment dev, expected environment prod)']);
    expect(messages("routes")).toEqual([expect.stringMatching(/^monitoring-stack:routes\.page\[0\]: unknown channel \(got "nobody"/)]);
    expect(messages("chained")).toEqual([expect.stringMatching(/platform stack has a platform itself \(got "routes", which reads its channels from "platform"/)]);
  });

  it("in another project, creates the platform's channels again there, with its own credentials", () => {
    const secrets = "  monitoring-stack:channelSecrets:\n" + ["sre-pager", "sre-slack", "payments-pager", "payments-slack", "incident-webhook"].map((c) => `    ${c}: { secure: v1:x }\n`).join("");
    const elsewhere = (extra: string) => serviceStack("{ teams: [payments] }", extra).replace("gcp:project: acme-prod", "gcp:project: acme-payments");
    const dir = stacksDir({
      platform: PLATFORM,
      payments: elsewhere(secrets),
      nosecrets: elsewhere(""),
      samesecrets: serviceStack("{ teams: [payments] }", secrets),
      unknown: elsewhere(secrets + "    nobody: { secure: v1:x }\n    catalog-email: { secure: v1:x }\n"),
    });
    const { settings, problems } = readStackSettings("payments", dir);
    expect(problems).toEqual([]);
    expect(settings!.recreatesPlatformChannels).toBe(true);
    expect(Object.keys(settings!.channels).sort()).toEqual(["catalog-email", "incident-webhook", "payments-pager", "payments-slack", "sre-pager", "sre-slack"]);
    const messages = (stack: string) => readStackSettings(stack, dir).problems.map((p) => `${p.path}: ${p.message}`);
    expect(messages("nosecrets")).toHaveLength(5);
    expect(messages("nosecrets")[0]).toMatch(
      /^monitoring-stack:channelSecrets\.incident-webhook: missing credential \(expected the webhook URL \(it usually carries a token\): this stack's project acme-payments differs from platform stack platform's acme-prod, and alert policies can only notify channels of their own project, so the platform's channels are created again here; set it with: pulumi config set --secret --path 'monitoring-stack:channelSecrets\.incident-webhook' VALUE; for an offline plan only, a plain placeholder in the stack file works \(monitoring-stack:channelSecrets: \{ incident-webhook: placeholder-incident-webhook \}\), which pulumi up refuses\)$/,
    );
    expect(messages("samesecrets")).toHaveLength(5);
    expect(messages("samesecrets")[0]).toMatch(/^monitoring-stack:channelSecrets\.incident-webhook: credential next to a platform stack in the same project/);
    expect(messages("unknown")).toEqual([
      "monitoring-stack:channelSecrets.catalog-email: credential for a channel that takes none (got type email, expected slack, pagerduty or webhook)",
      'monitoring-stack:channelSecrets.nobody: credential for an unknown channel (got "nobody", expected a channel of platform stack platform: catalog-email, incident-webhook, payments-pager, payments-slack, sre-pager, sre-slack)',
    ]);
  });

  it("in another project, plans its own channels and routes its alerts to them", async () => {
    const secrets = "  monitoring-stack:channelSecrets:\n" + ["sre-pager", "sre-slack", "payments-pager", "payments-slack", "incident-webhook"].map((c) => `    ${c}: { secure: v1:x }\n`).join("");
    const dir = stacksDir({ platform: PLATFORM, payments: serviceStack("{ teams: [payments] }", secrets).replace("gcp:project: acme-prod", "gcp:project: acme-payments") });
    const outcome = await plan({ stack: "payments", configFile: path.join(dir, "Pulumi.payments.yaml") });
    const channels = ofType(outcome.plan.resources, "gcp:monitoring/notificationChannel:NotificationChannel");
    expect(channels).toHaveLength(6);
    for (const channel of channels) expect(channel.inputs["project"]).toBe("acme-payments");
    const ids = new Set(channels.map((c) => `projects/acme-payments/notificationChannels/${c.name}`));
    const routed = ofType(outcome.plan.resources, "gcp:monitoring/alertPolicy:AlertPolicy").flatMap((r) => r.inputs["notificationChannels"] as string[]);
    expect(routed.length).toBeGreaterThan(0);
    for (const id of routed) expect(ids.has(id), id).toBe(true);
  });

  it("stand-in channel ids are the ids the platform stack's own plan gives its channels", () => {
    const { settings } = readStackSettings("prod-platform");
    const standIns = platformStandIns(settings!);
    for (const [channel, id] of Object.entries(standIns.channelIds)) {
      expect(computedOutputs("gcp:monitoring/notificationChannel:NotificationChannel", `platform-${channel}`, { project: settings!.project })["name"]).toBe(id);
    }
  });
});

describe("the prod stacks: a platform and two service stacks", () => {
  it("service stacks register no channels and route alerts to the platform's", async () => {
    const platform = await plan({ stack: "prod-platform" });
    const payments = await plan({ stack: "prod-payments" });
    expect(platform.program.services).toEqual([]);
    expect(ofType(platform.plan.resources, "gcp:monitoring/notificationChannel:NotificationChannel")).toHaveLength(6);
    expect(payments.program.services.map((s) => s.name)).toEqual(["checkout-api"]);
    expect(ofType(payments.plan.resources, "gcp:monitoring/notificationChannel:NotificationChannel")).toEqual([]);
    const standIns = platformStandIns(readStackSettings("prod-platform").settings!).channelIds;
    const routed = ofType(payments.plan.resources, "gcp:monitoring/alertPolicy:AlertPolicy").flatMap((r) => r.inputs["notificationChannels"] as string[]);
    expect(new Set(routed)).toEqual(new Set([standIns["payments-pager"], standIns["payments-slack"], standIns["incident-webhook"]]));
  });
});

describe("Google Cloud's limits across stacks", () => {
  it("adds up every stack that targets a project, and refuses a project past a limit", async () => {
    const services = mkdtempSync(path.join(tmp, "sites-"));
    for (let i = 0; i < 120; i++) {
      const name = `site-${String(i).padStart(3, "0")}`;
      writeFileSync(path.join(services, `${name}.yaml`), `apiVersion: monitoring-stack/v1\nname: ${name}\nteam: ${i < 60 ? "east" : "west"}\ntier: low\nruntime:\n  external: {}\nendpoints:\n  - name: home\n    url: https://${name}.example.com/\n`);
    }
    const team = (team: string, project: string) => `config:
  gcp:project: ${project}
  monitoring-stack:environment: prod
  monitoring-stack:services: { dir: ${JSON.stringify(services)} }
  monitoring-stack:owns: { teams: [${team}] }
  monitoring-stack:channels: { ops: { type: email, address: ops@example.com } }
  monitoring-stack:routes: { page: [ops], ticket: [ops] }
`;
    const together = await checkStacks(stacksDir({ east: team("east", "acme-sites"), west: team("west", "acme-sites") }));
    expect(together.problems.map((p) => `${p.file}: ${p.path}: ${p.message}`)).toEqual([
      expect.stringMatching(/Pulumi\.east\.yaml, .*Pulumi\.west\.yaml: gcp:project: over Google Cloud's limit of 100 uptime checks per metrics scope \(got 120 in the metrics scope of project acme-sites from stacks east, west, expected at most 100; source: https:\/\/cloud\.google\.com\/monitoring\/quotas#synmon_limits/),
    ]);
    const apart = await checkStacks(stacksDir({ east: team("east", "acme-sites-east"), west: team("west", "acme-sites-west") }));
    expect(apart.problems).toEqual([]);
    expect(apart.projects.map((p) => [p.project, p.uses.find((u) => u.id === "uptimeChecks")?.count])).toEqual([
      ["acme-sites-east", 60],
      ["acme-sites-west", 60],
    ]);
  });
});

describe("ownership across stacks", () => {
  it("holds for the stacks in this repository", async () => {
    const { stacks, problems } = await checkStacks();
    expect(problems).toEqual([]);
    expect(stacks.find((s) => s.stack === "prod-shop")?.services).toEqual(["catalog-web", "status-page"]);
  });

  it("names services owned by no stack and by two", async () => {
    const dir = stacksDir({ platform: PLATFORM, payments: serviceStack("{ teams: [payments] }"), shop: serviceStack('{ services: ["catalog-*", "checkout-*"] }') });
    const { problems } = await checkStacks(dir);
    expect(problems.map((p) => `${p.file}: ${p.message}`)).toEqual([
      expect.stringMatching(/services\/checkout-api\.ts: owned by 2 stacks of environment prod \(got payments, shop, expected exactly one/),
      expect.stringMatching(/services\/status-page\.yaml: owned by no stack of environment prod \(expected exactly one; stacks: payments \(teams payments\), platform \(no services\), shop \(services catalog-\*, checkout-\*\)\)/),
    ]);
  });
});

describe("stacks affected by a change", () => {
  const affected = async (...files: string[]) => (await affectedStacks(files)).stacks;
  it("follows ownership for declarations, platforms for stack files, and everything for code", async () => {
    expect(await affected("services/checkout-api.ts")).toEqual(["dev", "local", "prod-payments"]);
    expect(await affected("services/status-page.yaml")).toEqual(["dev", "local", "prod-shop"]);
    expect(await affected("stacks/Pulumi.prod-platform.yaml")).toEqual(["prod-payments", "prod-platform", "prod-shop"]);
    expect(await affected("stacks/Pulumi.prod-shop.yaml")).toEqual(["prod-shop"]);
    expect(await affected("README.md", "test/contract/x.test.ts", "bench/run.ts")).toEqual([]);
    expect(await affected("components/gcp/BurnRateAlerts.ts")).toEqual(["dev", "local", "prod-payments", "prod-platform", "prod-shop"]);
  });

  it("treats a deleted declaration as touching every stack that could have owned it", async () => {
    expect(await affected("services/gone.yaml")).toEqual(["dev", "local", "prod-payments", "prod-shop"]);
  });
});
