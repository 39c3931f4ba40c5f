/**
 * MonitoredService, the component a team uses in its own program: the same
 * checks as a catalog file, and the same resources with the same names and
 * inputs as the catalog stack makes for the same declaration.
 */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import checkout from "../../services/checkout-api";
import { MonitoredService, MonitoredServiceArgumentsError, type MonitoredServiceArgs } from "../../components/MonitoredService";
import { Platform } from "../../components/Platform";
import { readStackSettings } from "../../catalog/stackSettings";
import { formatProblem } from "../../contract/problems";
import { runUnderMocks, type PlannedResource } from "../../plan/mockRuntime";
import { runPlan } from "../../plan/runPlan";

const SERVICE_TYPE = "monitoring-stack:service:ServiceMonitoring";

/** A resource and every resource beneath it, as type, name and inputs (URNs differ by the parent chain). */
function subtree(resources: readonly PlannedResource[], root: PlannedResource): { type: string; name: string; inputs: Record<string, unknown> }[] {
  const inside = new Set([root.urn]);
  let size = 0;
  while (size !== inside.size) {
    size = inside.size;
    for (const resource of resources) if (resource.parent && inside.has(resource.parent)) inside.add(resource.urn);
  }
  return resources
    .filter((resource) => inside.has(resource.urn))
    .map(({ type, name, inputs }) => ({ type, name, inputs }))
    .sort((a, b) => `${a.type} ${a.name}`.localeCompare(`${b.type} ${b.name}`));
}

function serviceMonitoring(resources: readonly PlannedResource[], name: string): PlannedResource {
  const found = resources.find((r) => r.type === SERVICE_TYPE && r.name === name);
  if (!found) throw new Error(`no ServiceMonitoring ${name}`);
  return found;
}

/** checkout-api's declaration as component arguments: every field but the name, which is the resource name. */
function checkoutArgs(overrides: Partial<MonitoredServiceArgs> = {}): Omit<MonitoredServiceArgs, "project" | "channelIds"> {
  const { apiVersion: _apiVersion, name: _name, ...fields } = checkout;
  return { ...fields, ...overrides };
}

/** A team's program under mocks: a Platform for the local stack's channels and one MonitoredService. */
async function consumerPlan(args: (channelIds: Record<string, pulumi.Input<string>>) => MonitoredServiceArgs) {
  const { settings } = readStackSettings("local");
  return runUnderMocks({ project: "monitoring-stack", stack: "local", config: {}, secretKeys: [] }, async () => {
    const platform = new Platform("platform", { project: settings!.project, environment: settings!.environment, channels: settings!.channels });
    return new MonitoredService("checkout-api", args(platform.channelIds));
  });
}

describe("MonitoredService", () => {
  it("makes exactly the resources, names and inputs the catalog stack makes for the same declaration", async () => {
    const catalog = await runPlan({ stack: "local" });
    if (!catalog.ok) throw new Error("local plan failed");
    const { settings } = readStackSettings("local");
    const consumer = await consumerPlan((channelIds) => ({
      ...checkoutArgs(),
      project: settings!.project,
      channelIds,
      logBucketLocation: settings!.logBucketLocation,
      logExportLocation: settings!.logExportLocation,
    }));
    const expected = subtree(catalog.plan.resources, serviceMonitoring(catalog.plan.resources, "checkout-api"));
    const actual = subtree(consumer.resources, serviceMonitoring(consumer.resources, "checkout-api"));
    expect(actual.length).toBeGreaterThan(20);
    expect(JSON.stringify(actual, null, 2)).toBe(JSON.stringify(expected, null, 2));
    // Its own resource carries the public type token the component package's schema names.
    expect(consumer.resources.find((r) => r.name === "checkout-api" && r.type === "monitoring-stack:index:MonitoredService")).toBeDefined();
  });

  it("takes another resource's outputs for the Cloud Run service, the Cloud SQL instance and endpoint URLs", async () => {
    const { settings } = readStackSettings("local");
    const known = await consumerPlan((channelIds) => ({ ...checkoutArgs(), project: settings!.project, channelIds }));
    const fromOutputs = await consumerPlan((channelIds) => {
      const fields = checkoutArgs();
      return {
        ...fields,
        runtime: { cloudRun: { service: pulumi.output("checkout-api"), region: pulumi.output("europe-west1") } },
        endpoints: fields.endpoints!.map((endpoint) => ({ ...endpoint, url: pulumi.output(endpoint.url) })),
        database: { cloudSql: { ...fields.database!.cloudSql, instance: pulumi.output("checkout-db") } },
        project: settings!.project,
        channelIds: pulumi.output(channelIds),
      };
    });
    const names = (resources: readonly PlannedResource[]) => subtree(resources, serviceMonitoring(resources, "checkout-api"));
    expect(JSON.stringify(names(fromOutputs.resources))).toBe(JSON.stringify(names(known.resources)));
  });

  it("refuses an invalid declaration before any resource, listing every problem as the catalog would", async () => {
    const { settings } = readStackSettings("local");
    let caught: unknown;
    const run = runUnderMocks({ project: "monitoring-stack", stack: "local", config: {}, secretKeys: [] }, async () => {
      try {
        const fields = checkoutArgs();
        new MonitoredService("checkout-api", {
          ...fields,
          slos: [
            { name: "availability", objective: 100, indicator: { availability: {} } },
            { name: "uptime", objective: 99.9, indicator: { uptime: { endpoint: "nope" } } },
          ],
          alerting: { page: ["no-such-channel"] },
          project: settings!.project,
          channelIds: { "payments-pager": "projects/p/notificationChannels/1" },
        });
      } catch (error) {
        caught = error;
      }
    });
    const { resources } = await run;
    // Pulumi ends the program on a RunError with its message alone: no stack trace.
    expect(caught).toBeInstanceOf(MonitoredServiceArgumentsError);
    expect(pulumi.RunError.isInstance(caught)).toBe(true);
    const [first, ...lines] = (caught as MonitoredServiceArgumentsError).message.split("\n");
    expect(first).toBe("invalid arguments, nothing created:");
    expect(lines).toEqual((caught as MonitoredServiceArgumentsError).problems.map(formatProblem));
    expect(lines).toEqual(
      expect.arrayContaining([
        // One pass, as for a file: the shape problem does not hide the cross-reference ones.
        expect.stringMatching(/^MonitoredService checkout-api: slos\[0\]\.objective: /),
        expect.stringMatching(/^MonitoredService checkout-api: slos\[1\]\.indicator\.uptime\.endpoint: /),
        expect.stringMatching(/^MonitoredService checkout-api: alerting\.page\[0\]: unknown channel \(got "no-such-channel"/),
      ]),
    );
    expect(resources).toEqual([]);
  });

  it("refuses what a single component cannot provision rather than leave it unmonitored", async () => {
    const { settings } = readStackSettings("local");
    const run = () =>
      runUnderMocks({ project: "monitoring-stack", stack: "local", config: {}, secretKeys: [] }, async () => {
        new MonitoredService("web", {
          team: "shop",
          runtime: { external: {} },
          slos: [{ name: "ratio", objective: 99.5, indicator: { prometheus: { total: "http_requests_total", bad: 'http_requests_total{code=~"5.."}' } } }],
          alerting: { page: ["payments-pager"], ticket: ["payments-slack"] },
          project: settings!.project,
          channelIds: { "payments-pager": "projects/p/notificationChannels/1", "payments-slack": "projects/p/notificationChannels/2" },
        });
      });
    await expect(run()).rejects.toThrow(/slos\[0\]\.indicator\.prometheus: not provisioned by MonitoredService/);
  });
});
