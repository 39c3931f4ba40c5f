/**
 * Baseline: the raw Pulumi SDK registering the very resources a plan
 * produced — same types, names and inputs, no components, no validation, no
 * recording, nothing written — under the same mocks and runtime settings as
 * the offline plan (frameless stack traces, one service's registrations at a
 * time). What is left is what Pulumi itself costs.
 *
 *   node --import tsx bench/cases/rawSdk.ts WORKLOAD.json
 */
import { readFileSync } from "node:fs";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { computedOutputs } from "../../components/plan/mockRuntime";
import { withoutStackTraces } from "../../components/plan/stackTraces";
import type { Workload, WorkloadResource } from "../workload";

type ResourceClass = new (name: string, args: never, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;

const CLASSES: Record<string, ResourceClass> = {
  "gcp:monitoring/notificationChannel:NotificationChannel": gcp.monitoring.NotificationChannel,
  "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig": gcp.monitoring.UptimeCheckConfig,
  "gcp:monitoring/alertPolicy:AlertPolicy": gcp.monitoring.AlertPolicy,
  "gcp:monitoring/customService:CustomService": gcp.monitoring.CustomService,
  "gcp:monitoring/slo:Slo": gcp.monitoring.Slo,
};

async function main(file: string): Promise<void> {
  const workload = JSON.parse(readFileSync(file, "utf8")) as Workload;
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: `${args.name}-id`, state: { ...args.inputs, ...computedOutputs(args.type, args.name, args.inputs) } }),
      call: (args) => args.inputs,
    },
    "monitoring-stack",
    "bench",
    true,
  );
  let registered = 0;
  const register = (resource: WorkloadResource) => {
    const Class = CLASSES[resource.type];
    if (!Class) throw new Error(`no resource class for ${resource.type}`);
    new Class(resource.name, resource.inputs as never);
    registered++;
  };
  await withoutStackTraces(async () => {
    workload.shared.forEach(register);
    for (const service of workload.services) {
      service.resources.forEach(register);
      await new Promise((resolve) => setImmediate(resolve));
    }
  });
  await pulumi.runtime.disconnect();
  process.stdout.write(`${JSON.stringify({ resources: registered })}\n`);
}

main(process.argv[2] ?? "").catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
