/**
 * The counter the program refuses stacks with must count exactly what the
 * components create: checked against the resources offline plans record for
 * the default stack, the plan fixture and every example, per project.
 */
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { stackCounts } from "../../model/resourceCount";
import { channelsCreated } from "../../catalog/limitChecks";
import { runPlan, type PlanOptions } from "../../plan/runPlan";
import { FIXTURE_SERVICES, FIXTURE_STACK } from "../plan/helpers";

const TYPES = {
  uptimeChecks: "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig",
  alertPolicies: "gcp:monitoring/alertPolicy:AlertPolicy",
  notificationChannels: "gcp:monitoring/notificationChannel:NotificationChannel",
  logBuckets: "gcp:logging/projectBucketConfig:ProjectBucketConfig",
  logSinks: "gcp:logging/projectSink:ProjectSink",
  logMetrics: "gcp:logging/metric:Metric",
} as const;

const EXAMPLES = path.join(__dirname, "..", "..", "examples");
const CASES: [string, PlanOptions][] = [
  ["local", { stack: "local" }],
  ["fixture", { stack: "test", configFile: FIXTURE_STACK, servicesDir: FIXTURE_SERVICES }],
  ...["magidesk-pos", "missing-table", "equestrian", "ftry", "dried-fruits"].map((system): [string, PlanOptions] => [
    system,
    { stack: system, configFile: path.join(EXAMPLES, system, `Pulumi.${system}.yaml`), servicesDir: path.join(EXAMPLES, system, "services") },
  ]),
];

describe("counting limited resources from the model", () => {
  it.each(CASES)("matches what the plan of %s creates, all in the stack's project", async (_, options) => {
    const outcome = await runPlan(options);
    if (!outcome.ok) throw new Error(outcome.problems.map((p) => p.message).join("\n"));
    const { services, settings } = outcome.program;
    const counted = stackCounts(services, channelsCreated(settings));
    const planned = Object.fromEntries(
      Object.entries(TYPES).map(([key, type]) => [key, outcome.plan.resources.filter((r) => r.type === type).length]),
    );
    expect(counted).toEqual(planned);
    for (const type of Object.values(TYPES)) {
      for (const resource of outcome.plan.resources.filter((r) => r.type === type)) expect(resource.inputs["project"], resource.urn).toBe(settings.project);
    }
  }, 60_000);
});
