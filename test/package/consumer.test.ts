/**
 * The npm library as a consumer gets it, following docs/library.md from a
 * fresh directory beside a checkout: its install commands as written (`npm
 * pack ../monitoring-stack`, which builds dist/ through the prepare script,
 * then the tarball and the Pulumi SDK installed from the npm registry), its
 * mocks recipe under `node --test`; then a TypeScript consumer type-checked
 * against the published declarations and run under Pulumi's mocks, and what
 * bad or unknown arguments look like: each problem once, no stack trace, a
 * warning when a preview cannot know them.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPOSITORY_ROOT } from "../../catalog/paths";
import { readDoc } from "../support/markdown";

const manifest = JSON.parse(readFileSync(path.join(REPOSITORY_ROOT, "package.json"), "utf8")) as { version: string };
const work = mkdtempSync(path.join(os.tmpdir(), "consumer-"));
afterAll(() => rmSync(work, { recursive: true, force: true }), 300_000);

/** The program's directory, beside a checkout of this repository named as the page names it. */
const program = path.join(work, "my-program");
mkdirSync(program);
symlinkSync(REPOSITORY_ROOT, path.join(work, "monitoring-stack"), "dir");

const page = readDoc("docs/library.md");
/** The page's install commands: the ```text block of "Installing it" that starts a new directory. */
const installBlock = /^```text\n(npm init -y\n[\s\S]*?)^```/m.exec(page)?.[1] ?? "";
/** The page's mocks recipe: the ```js block that names its file on its first line. */
const recipe = /^```js\n(\/\/ monitoring\.test\.js\n[\s\S]*?)^```/m.exec(page)?.[1] ?? "";

function sh(command: string, cwd = program): { code: number | null; stdout: string; stderr: string } {
  const ran = spawnSync("bash", ["-c", command], { cwd, encoding: "utf8", env: { ...process.env, npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" } });
  return { code: ran.status, stdout: ran.stdout, stderr: ran.stderr };
}

const TS_CONSUMER = `import * as pulumi from "@pulumi/pulumi";
import { MonitoredService, ServiceTier } from "monitoring-stack";

const resources: string[] = [];
pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      resources.push(args.type + " " + args.name);
      return { id: args.name + "-id", state: { ...args.inputs, name: "projects/acme-prod/x/" + args.name } };
    },
    call: (args) => args.inputs,
  },
  "shop",
  "prod",
  false,
);

const checkout = new MonitoredService("checkout-api", {
  team: "payments",
  tier: ServiceTier.Critical,
  runtime: { cloudRun: { service: pulumi.output("checkout-api"), region: "europe-west1" } },
  endpoints: [{ name: "health", url: pulumi.output("https://checkout.example.com/health") }],
  slos: [{ name: "availability", objective: 99.9, indicator: { availability: {} } }],
  alerting: { page: ["pager"], ticket: ["slack"] },
  project: "acme-prod",
  channelIds: { pager: "projects/acme-prod/notificationChannels/1", slack: "projects/acme-prod/notificationChannels/2" },
});

checkout.sloNames.apply((names) => {
  setTimeout(() => console.log(JSON.stringify({ slos: Object.keys(names), resources: resources.sort() })), 500);
});
`;

const TSCONFIG = {
  compilerOptions: { target: "ES2022", module: "node16", moduleResolution: "node16", strict: true, outDir: "out", skipLibCheck: true, types: [] },
  files: ["consumer.ts"],
};

/** A program with mistakes in its arguments: the percentage written as a fraction, a channel channelIds lacks, no ticket route. */
const mistakes = (service: string, preview: boolean) => `const pulumi = require("@pulumi/pulumi");
pulumi.runtime.setMocks({ newResource: ({ name, inputs }) => ({ id: name + "-id", state: inputs }), call: ({ inputs }) => inputs }, "shop", "test", ${preview});
const { MonitoredService } = require("monitoring-stack");
new MonitoredService("checkout-api", {
  team: "payments",
  tier: "critical",
  runtime: { cloudRun: { service: ${service}, region: "europe-west1" } },
  slos: [{ name: "availability", objective: 0.999, indicator: { availability: {} } }],
  alerting: { page: ["pager"] },
  project: "acme-prod",
  channelIds: { slack: "projects/acme-prod/notificationChannels/2" },
});
`;

const PROBLEMS = [
  "MonitoredService checkout-api: slos[0].objective: invalid value (got 0.999, expected a percentage: did you mean 99.9 (percent)?",
  'MonitoredService checkout-api: alerting.page[0]: unknown channel (got "pager", expected one of the channels in channelIds: slack;',
  "MonitoredService checkout-api: alerting.ticket: missing required field (got no ticket channels, expected channel names from channelIds",
];
const occurrences = (text: string, part: string) => text.split(part).length - 1;

describe("the npm library, from a fresh directory as docs/library.md says", () => {
  it("installs from the tarball of the checkout with the page's commands, as written", () => {
    expect(installBlock).not.toBe("");
    for (const line of installBlock.split("\n").filter((l) => l.trim() !== "")) {
      const ran = sh(line);
      expect(ran.code, `${line}\n${ran.stderr}`).toBe(0);
    }
    expect(readdirSync(program)).toContain(`monitoring-stack-${manifest.version}.tgz`);
    // Only what consumers need is published: compiled JavaScript, declarations and the plugin file.
    const published = readdirSync(path.join(program, "node_modules", "monitoring-stack"), { recursive: true }).map(String);
    expect(published.filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))).toEqual([]);
    expect(published).toContain(path.join("dist", "index.d.ts"));
  }, 900_000);

  it("runs the page's mocks recipe under node --test", () => {
    expect(recipe).not.toBe("");
    writeFileSync(path.join(program, "monitoring.test.js"), recipe);
    const ran = sh("node --test");
    expect(ran.code, `${ran.stdout}\n${ran.stderr}`).toBe(0);
    expect(ran.stdout).toMatch(/^# pass 1$/m);
    expect(`${ran.stdout}${ran.stderr}`).not.toMatch(/Error|UNHANDLED|unhandledRejection/);
  }, 300_000);

  it("type-checks and runs a TypeScript consumer under mocks", () => {
    writeFileSync(path.join(program, "consumer.ts"), TS_CONSUMER);
    writeFileSync(path.join(program, "tsconfig.json"), JSON.stringify(TSCONFIG));
    execFileSync(process.execPath, [path.join(REPOSITORY_ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], { cwd: program, stdio: "pipe" });
    const output = execFileSync(process.execPath, [path.join("out", "consumer.js")], { cwd: program, encoding: "utf8" });
    const result = JSON.parse(output.trim().split("\n").pop()!) as { slos: string[]; resources: string[] };
    expect(result.slos).toEqual(["availability"]);
    expect(result.resources).toEqual(
      expect.arrayContaining([
        "monitoring-stack:index:MonitoredService checkout-api",
        "monitoring-stack:service:ServiceMonitoring checkout-api",
        "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig checkout-api-uptime-health",
        "gcp:monitoring/slo:Slo checkout-api-slo-availability",
      ]),
    );
  }, 300_000);

  it.each([
    ["known when the component is built", '"checkout-api"'],
    ["outputs of other resources", 'pulumi.output("checkout-api")'],
  ])("bad arguments %s: every problem once, no stack trace, nothing created", (_when, service) => {
    writeFileSync(path.join(program, "mistakes.js"), mistakes(service, false));
    const ran = sh("node mistakes.js");
    const output = `${ran.stdout}${ran.stderr}`;
    for (const problem of PROBLEMS) expect(occurrences(output, problem), `${problem}\n${output}`).toBe(1);
    expect(output).not.toMatch(/\n\s+at |UNHANDLED|error serializing|stack's channels|stack file/);
    expect(output).toContain("invalid arguments, nothing created:");
  }, 300_000);

  it("a preview that cannot know the arguments warns that it shows none of the component's resources", () => {
    writeFileSync(path.join(program, "preview.js"), mistakes('new pulumi.StackReference("acme/shop/prod").requireOutput("service")', true).replace("0.999", "99.9"));
    const ran = sh("node preview.js");
    expect(`${ran.stdout}${ran.stderr}`).toContain("MonitoredService checkout-api: some arguments are not known until the update runs, so this preview shows none of its monitoring resources");
  }, 300_000);
});
