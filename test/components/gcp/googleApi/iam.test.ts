/**
 * IAM grants, in every plan the repository makes: each log sink's writer
 * identity gets the narrowest documented role on its own destination only,
 * and the Backup and DR vault's service agent its Cloud SQL role on the
 * instance's project. Sources: google/logging/v2/logging_config.proto
 * LogSink.writer_identity, cloud.google.com/logging/docs/export/configure_export_v2
 * (destination permissions), cloud.google.com/iam/docs/principal-identifiers.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { PLAN_TIMEOUT_MS, TYPE, contractPlans, where, type ContractPlan } from "./plans";

let plans: ContractPlan[];
beforeAll(async () => {
  plans = await contractPlans();
}, PLAN_TIMEOUT_MS);

/** The writer identity stand-in of a sink, as the plan shows it (mockRuntime.computedOutputs). */
const writer = (sinkName: string) => `serviceAccount:${sinkName}.sink-writer@stand-in.invalid`;

/**
 * cloud.google.com/logging/docs/export/configure_export_v2#dest-auth: "Cloud Storage: Storage Object Creator", "BigQuery: BigQuery Data Editor",
 * "Pub/Sub: Pub/Sub Publisher"; the grant goes on the destination resource.
 */
const GRANT = {
  "bigquery.googleapis.com": { type: TYPE.datasetIamMember, role: "roles/bigquery.dataEditor", on: (d: string) => ({ datasetId: d.split("/datasets/")[1] }) },
  "storage.googleapis.com": { type: TYPE.bucketIamMember, role: "roles/storage.objectCreator", on: (d: string) => ({ bucket: d.split("/")[1] }) },
  "pubsub.googleapis.com": { type: TYPE.topicIamMember, role: "roles/pubsub.publisher", on: (d: string) => ({ topic: d.split("/topics/")[1] }) },
} as const;

describe("IAM members", () => {
  it("every export sink's writer identity has exactly its destination's role on that destination; bucket sinks in the project get none", () => {
    // logging_config.proto LogSink.writer_identity: "Until you grant this identity write-access to the destination, log entry exports from this sink will fail. … Sinks that have a destination that is a log bucket in the same project as the sink cannot have a writer_identity and no additional permissions are required."
    const problems: string[] = [];
    let exports = 0;
    for (const plan of plans) {
      const grants = plan.resources.filter((r) => [TYPE.datasetIamMember, TYPE.bucketIamMember, TYPE.topicIamMember].includes(r.type as never));
      for (const sink of plan.resources.filter((r) => r.type === TYPE.logSink)) {
        const destination = String(sink.inputs["destination"]);
        const service = destination.split("/")[0] as keyof typeof GRANT | "logging.googleapis.com";
        const mine = grants.filter((g) => g.inputs["member"] === writer(String(sink.inputs["name"])));
        const at = where({ source: plan.source, resource: sink });
        if (service === "logging.googleapis.com") {
          if (!destination.startsWith(`logging.googleapis.com/projects/${String(sink.inputs["project"])}/`)) problems.push(`${at}: log bucket in another project needs a grant`);
          if (mine.length > 0) problems.push(`${at}: grant for a same-project bucket sink`);
          continue;
        }
        exports++;
        const expected = GRANT[service];
        if (!expected) {
          problems.push(`${at}: unknown destination ${destination}`);
          continue;
        }
        if (mine.length !== 1) problems.push(`${at}: ${mine.length} grants`);
        for (const grant of mine) {
          if (grant.type !== expected.type || grant.inputs["role"] !== expected.role) problems.push(`${at}: ${grant.type} ${String(grant.inputs["role"])}`);
          for (const [key, value] of Object.entries(expected.on(destination))) if (grant.inputs[key] !== value) problems.push(`${at}: grant on ${key} ${String(grant.inputs[key])}, not ${value}`);
        }
      }
    }
    expect(exports).toBeGreaterThan(50);
    expect(problems).toEqual([]);
  });

  it("project-level grants: only the vault agent's Cloud SQL role, to its own service account", () => {
    // cloud.google.com/backup-disaster-recovery/docs/cloud-console/cloudsql/cloudsql-backup: the vault's service agent needs the Cloud SQL backup role on the instance's project.
    const problems = plans.flatMap((plan) =>
      plan.resources
        .filter((r) => r.type === TYPE.projectIamMember)
        .filter((r) => r.inputs["role"] !== "roles/backupdr.cloudSqlOperator" || !/^serviceAccount:[a-z][a-z0-9-]+-vault\.vault-agent@stand-in\.invalid$/.test(String(r.inputs["member"])))
        .map((r) => `${plan.source}: ${r.name}: ${String(r.inputs["role"])} to ${String(r.inputs["member"])}`),
    );
    expect(problems).toEqual([]);
  });

  it("members are principal identifiers (serviceAccount:…)", () => {
    // cloud.google.com/iam/docs/principal-identifiers: "serviceAccount:SA_EMAIL_ADDRESS".
    const members = plans.flatMap((plan) => plan.resources.filter((r) => /IAMMember|IamMember/.test(r.type)).map((r) => String(r.inputs["member"])));
    expect(members.length).toBeGreaterThan(50);
    expect(members.filter((m) => !/^serviceAccount:[^@\s]+@[^@\s]+$/.test(m))).toEqual([]);
  });
});
