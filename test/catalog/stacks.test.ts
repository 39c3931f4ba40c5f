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
    expect(settings!.routes).toEqual({ page: ["sre-pager"], ticket: ["sre-slack"] });
    expect(settings!.channelsWithSecrets.has("payments-pager")).toBe(true);
  });

  it("refuses channels next to a platform, an unknown or foreign platform, and routes to channels it lacks", () => {
    const other = PLATFORM.replace("environment: prod", "environment: dev").replace("acme-prod", "acme-dev");
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
    expect(messages("foreign")).toEqual([
      'monitoring-stack:platform.stack: platform stack of another environment (got "devplatform" with environment dev, expected environment prod)',
      "gcp:project: project differs from the platform stack's (got acme-prod, expected acme-dev: alert policies can only notify channels of their own project)",
    ]);
    expect(messages("routes")).toEqual([expect.stringMatching(/^monitoring-stack:routes\.page\[0\]: unknown channel \(got "nobody"/)]);
    expect(messages("chained")).toEqual([expect.stringMatching(/platform stack has a platform itself \(got "routes", which reads its channels from "platform"/)]);
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
