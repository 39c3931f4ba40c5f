/**
 * The npm library as a consumer gets it: `npm pack` (which builds dist/ through
 * the prepare script), the tarball installed into a fresh project with its
 * peer @pulumi/pulumi, a TypeScript consumer type-checked against the published
 * declarations, then run under Pulumi's mocks.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPOSITORY_ROOT } from "../../catalog/paths";

const manifest = JSON.parse(readFileSync(path.join(REPOSITORY_ROOT, "package.json"), "utf8")) as { version: string; devDependencies: Record<string, string> };
const work = mkdtempSync(path.join(os.tmpdir(), "consumer-"));
afterAll(() => rmSync(work, { recursive: true, force: true }), 300_000);

const CONSUMER = `import * as pulumi from "@pulumi/pulumi";
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
  true,
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

describe("the npm library, packed and installed into a fresh project", () => {
  it("type-checks and runs a consumer program under mocks", () => {
    execFileSync("npm", ["pack", "--pack-destination", work], { cwd: REPOSITORY_ROOT, stdio: "pipe" });
    const tarball = readdirSync(work).find((file) => file.endsWith(".tgz"));
    expect(tarball).toBe(`monitoring-stack-${manifest.version}.tgz`);
    const project = path.join(work, "consumer");
    execFileSync("mkdir", ["-p", project]);
    writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
    execFileSync(
      "npm",
      ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", path.join(work, tarball!), `@pulumi/pulumi@${manifest.devDependencies["@pulumi/pulumi"]}`],
      { cwd: project, stdio: "pipe" },
    );
    // Only what consumers need is published: compiled JavaScript, declarations and the plugin file.
    const published = readdirSync(path.join(project, "node_modules", "monitoring-stack"), { recursive: true }).map(String);
    expect(published.filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))).toEqual([]);
    expect(published).toContain(path.join("dist", "index.d.ts"));

    writeFileSync(path.join(project, "consumer.ts"), CONSUMER);
    writeFileSync(path.join(project, "tsconfig.json"), JSON.stringify(TSCONFIG));
    execFileSync(process.execPath, [path.join(REPOSITORY_ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], { cwd: project, stdio: "pipe" });

    const output = execFileSync(process.execPath, [path.join("out", "consumer.js")], { cwd: project, encoding: "utf8" });
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
  }, 900_000);
});
