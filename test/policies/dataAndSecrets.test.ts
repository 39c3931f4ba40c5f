import { describe, expect, it } from "vitest";
import { checkBackups } from "../../policies/backups";
import { checkDataRetained } from "../../policies/dataSafety";
import { checkLogRetention, checkSinkWriters } from "../../policies/logs";
import { CREDENTIAL_LABEL_KEYS, checkPlainCredentials } from "../../policies/secrets";
import { checkSloGoal } from "../../policies/slo";
import { TYPE } from "../../policies/support";
import { reports, resource } from "./helpers";

describe("slo-goal-limit", () => {
  it("passes 0.9999 and reports 0.99999", () => {
    const { messages, report } = reports();
    checkSloGoal(resource(TYPE.slo, "a", { goal: 0.9999, displayName: "a" }), { maxGoal: 0.9999 }, report);
    checkSloGoal(resource(TYPE.slo, "b", { goal: 0.99999, displayName: "b", userLabels: { service: "pay" } }), { maxGoal: 0.9999 }, report);
    expect(messages).toEqual(['service pay: SLO "b" has goal 0.99999; expected at most 0.9999.']);
  });
});

describe("backup-retention", () => {
  const vault = (tier: string) => resource(TYPE.backupVault, "v", { labels: { service: "pay", tier } });
  const plan = (days: number, pitr: boolean, of = vault("critical")) =>
    resource(TYPE.backupPlan, "p", { backupRules: [{ ruleId: "daily", backupRetentionDays: days }], ...(pitr ? { logRetentionDays: 7 } : {}) }, { deps: { backupVault: [of] } });

  it("passes 30-day backups with PITR on the critical tier, and without PITR elsewhere", () => {
    const { messages, report } = reports();
    const critical = vault("critical");
    const standard = vault("standard");
    checkBackups([critical, plan(30, true, critical)], { minRetentionDays: 30 }, report);
    checkBackups([standard, plan(7, false, standard)], { minRetentionDays: 7 }, report);
    expect(messages).toEqual([]);
  });

  it("reports short retention, and a critical database without PITR", () => {
    const { messages, report } = reports();
    const critical = vault("critical");
    checkBackups([critical, plan(7, true, critical)], { minRetentionDays: 30 }, report);
    checkBackups([critical, plan(30, false, critical)], { minRetentionDays: 30 }, report);
    expect(messages).toEqual([
      "service pay: backup rule daily keeps backups 7 day(s); expected at least 30.",
      "service pay: critical-tier database backed up without point-in-time recovery; set pointInTimeRecovery: true.",
    ]);
  });

  it("checks Cloud SQL instances declared in the stack too", () => {
    const instance = (backupConfiguration: Record<string, unknown>) => resource(TYPE.sqlInstance, "db", { settings: { backupConfiguration, userLabels: { tier: "critical" } } });
    const { messages, report } = reports();
    checkBackups([instance({ enabled: true, pointInTimeRecoveryEnabled: true, backupRetentionSettings: { retainedBackups: 30 } })], { minRetentionDays: 7 }, report);
    expect(messages).toEqual([]);
    // Left to Backup and DR (cloudSqlBackupSettings sends no backupConfiguration): its plan, checked above, protects the instance.
    const bare = (name: string, tier = "critical") => resource(TYPE.sqlInstance, name, { name, settings: { userLabels: { tier } } });
    const association = resource(TYPE.backupAssociation, "a", { resource: "projects/p/instances/db" });
    checkBackups([bare("db"), association], { minRetentionDays: 7 }, report);
    // A standard-tier instance without backups is the team's choice.
    checkBackups([bare("other", "standard")], { minRetentionDays: 7 }, report);
    expect(messages).toEqual([]);
    // A critical instance with no backup configuration and no plan of this stack has no backups at all.
    checkBackups([bare("orphan"), association], { minRetentionDays: 7 }, report);
    expect(messages).toEqual([
      "Cloud SQL instance orphan: critical-tier database with no backups: no settings.backupConfiguration (Cloud SQL's automated backups are off) and no Backup and DR plan in this stack protects it; expected database.cloudSql.backups in its declaration, planned in the same stack (MonitoredService), or settings.backupConfiguration with enabled: true.",
    ]);
    messages.length = 0;
    checkBackups([instance({ enabled: false })], { minRetentionDays: 7 }, report);
    checkBackups([instance({ enabled: true, backupRetentionSettings: { retainedBackups: 3 } })], { minRetentionDays: 7 }, report);
    expect(messages).toEqual([
      "Cloud SQL instance db: automated backups are off; expected them on.",
      "Cloud SQL instance db: keeps 3 daily backup(s); expected at least 7.",
      "Cloud SQL instance db: critical-tier database without point-in-time recovery.",
    ]);
  });
});

describe("log-retention", () => {
  it("passes the configured days (and Cloud Logging's 30-day default), reports fewer", () => {
    const { messages, report } = reports();
    checkLogRetention(resource(TYPE.logBucket, "b", { bucketId: "pay-logs", retentionDays: 30 }), { minRetentionDays: 30 }, report);
    checkLogRetention(resource(TYPE.logBucket, "b", { bucketId: "pay-logs" }), { minRetentionDays: 30 }, report);
    checkLogRetention(resource(TYPE.logBucket, "b", { bucketId: "pay-logs", retentionDays: 14 }), { minRetentionDays: 30 }, report);
    expect(messages).toEqual(["b: log bucket pay-logs keeps entries 14 day(s); expected at least 30."]);
  });
});

describe("sink-writers-scoped", () => {
  const sink = resource(TYPE.sink, "s", {});
  it("passes grants on destinations and project grants to others", () => {
    const { messages, report } = reports();
    checkSinkWriters([sink, resource("gcp:bigquery/datasetIamMember:DatasetIamMember", "g", { role: "roles/bigquery.dataEditor" }, { deps: { member: [sink] } }), resource(TYPE.projectIamMember, "h", { role: "roles/viewer", member: "user:a@example.com" })], { allowedProjectRoles: [] }, report);
    expect(messages).toEqual([]);
  });

  it("reports a project-wide grant to a sink's writer identity, by dependency or by address", () => {
    const { messages, report } = reports();
    checkSinkWriters([sink, resource(TYPE.projectIamMember, "g", { role: "roles/bigquery.dataEditor", project: "p" }, { deps: { member: [sink] } })], { allowedProjectRoles: [] }, report);
    checkSinkWriters([resource(TYPE.projectIamBinding, "h", { role: "roles/pubsub.publisher", project: "p", members: ["serviceAccount:service-1@gcp-sa-logging.iam.gserviceaccount.com"] })], { allowedProjectRoles: [] }, report);
    expect(messages).toEqual([
      "g: grants roles/bigquery.dataEditor on project p to a log sink's writer identity; grant it on the sink's destination instead.",
      "h: grants roles/pubsub.publisher on project p to a log sink's writer identity; grant it on the sink's destination instead.",
    ]);
  });
});

describe("no-plain-credentials", () => {
  it("passes credentials in sensitiveLabels and secret labels", () => {
    const { messages, report } = reports();
    checkPlainCredentials(resource(TYPE.channel, "slack", { labels: { channel_name: "#x" }, sensitiveLabels: "[secret]" }), { credentialLabelKeys: CREDENTIAL_LABEL_KEYS }, report);
    checkPlainCredentials(resource(TYPE.channel, "hook", { labels: "[secret]" }), { credentialLabelKeys: CREDENTIAL_LABEL_KEYS }, report);
    expect(messages).toEqual([]);
  });

  it("reports a token or a tokened URL in plain labels", () => {
    const { messages, report } = reports();
    checkPlainCredentials(resource(TYPE.channel, "slack", { labels: { channel_name: "#x", auth_token: "xoxb-1" } }), { credentialLabelKeys: CREDENTIAL_LABEL_KEYS }, report);
    checkPlainCredentials(resource(TYPE.channel, "hook", { labels: { url: "https://hooks.example.com/in?token=abc" } }), { credentialLabelKeys: CREDENTIAL_LABEL_KEYS }, report);
    expect(messages).toEqual([
      "channel slack: label auth_token holds a credential in plain text; put it in sensitiveLabels.",
      "channel hook: the webhook URL carries a credential in plain labels; keep the labels secret.",
    ]);
  });
});

describe("data-holding-retained", () => {
  it("passes protected or retained data, and hosts that do not report retainOnDelete", () => {
    const { messages, report } = reports();
    checkDataRetained(resource(TYPE.backupVault, "v", {}, { opts: { protect: true, retainOnDelete: false } }), { acceptRetainOnDelete: true }, report);
    checkDataRetained(resource(TYPE.logBucket, "b", {}, { opts: { protect: false, retainOnDelete: true } }), { acceptRetainOnDelete: true }, report);
    checkDataRetained(resource(TYPE.logBucket, "b", {}, { opts: { protect: false } }), { acceptRetainOnDelete: true }, report);
    checkDataRetained(resource(TYPE.alertPolicy, "a", {}, { opts: { protect: false, retainOnDelete: false } }), { acceptRetainOnDelete: true }, report);
    expect(messages).toEqual([]);
  });

  it("reports a log bucket that a delete would destroy", () => {
    const { messages, report } = reports();
    checkDataRetained(resource(TYPE.logBucket, "pay-logs-bucket", {}, { opts: { protect: false, retainOnDelete: false } }), { acceptRetainOnDelete: true }, report);
    expect(messages).toEqual(["pay-logs-bucket: ProjectBucketConfig pay-logs-bucket holds data but would be deleted with the program; set protect or retainOnDelete."]);
  });
});

const ALL_OWNED_TYPES = ["gcp:monitoring/customService:CustomService", TYPE.logBucket, TYPE.backupVault, TYPE.sink];

describe("single-owner", () => {
  it("passes distinct ids, and the same id in different projects", async () => {
    const { checkSingleOwner } = await import("../../policies/ownership");
    const { messages, report } = reports();
    const service = (name: string, serviceId: string, project = "p") => resource("gcp:monitoring/customService:CustomService", name, { serviceId, project });
    checkSingleOwner([service("a-slo-service", "a"), service("b-slo-service", "b"), service("c-slo-service", "a", "other")], { types: ALL_OWNED_TYPES }, report,);
    expect(messages).toEqual([]);
  });

  it("reports two declarations claiming one Cloud Monitoring service or log bucket", async () => {
    const { checkSingleOwner } = await import("../../policies/ownership");
    const { messages, report } = reports();
    checkSingleOwner(
      [
        resource("gcp:monitoring/customService:CustomService", "web-slo-service", { serviceId: "web", project: "p" }),
        resource("gcp:monitoring/customService:CustomService", "storefront-slo-service", { serviceId: "web", project: "p" }),
        resource(TYPE.logBucket, "web-logs-bucket", { bucketId: "web-logs", project: "p" }),
        resource(TYPE.logBucket, "storefront-logs-bucket", { bucketId: "web-logs", project: "p" }),
      ],
      { types: ALL_OWNED_TYPES },
      report,
    );
    expect(messages).toEqual([
      'CustomService "web" is claimed by both web-slo-service and storefront-slo-service; one service must own it (check earlier names in formerly).',
      'ProjectBucketConfig "web-logs" is claimed by both web-logs-bucket and storefront-logs-bucket; one service must own it (check earlier names in formerly).',
    ]);
  });
});

describe("stricter and looser config", () => {
  it("data-holding-retained can require protect; sink-writers-scoped can allow an approved role; no-plain-credentials takes more keys", () => {
    const { messages, report } = reports();
    checkDataRetained(resource(TYPE.logBucket, "b", {}, { opts: { protect: false, retainOnDelete: true } }), { acceptRetainOnDelete: false }, report);
    const sink = resource(TYPE.sink, "s", {});
    checkSinkWriters([sink, resource(TYPE.projectIamMember, "g", { role: "roles/logging.bucketWriter", project: "p" }, { deps: { member: [sink] } })], { allowedProjectRoles: ["roles/logging.bucketWriter"] }, report);
    checkPlainCredentials(resource(TYPE.channel, "c", { labels: { "X-Signing-Key": "k" } }), { credentialLabelKeys: ["x_signing_key"] }, report);
    expect(messages).toEqual([
      "b: ProjectBucketConfig b holds data but would be deleted with the program; set protect.",
      "channel c: label X-Signing-Key holds a credential in plain text; put it in sensitiveLabels.",
    ]);
  });
});
