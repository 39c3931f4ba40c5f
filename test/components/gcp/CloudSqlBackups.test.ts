/**
 * CloudSqlBackups alone under Pulumi's mocks: a protected vault, its service
 * agent's grant on the instance's project, the backup plan and its association
 * with the instance, and the two alerts (failed job, no success for 1.5 intervals).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { CloudSqlBackups, VAULT_AGENT_ROLE } from "../../../components/gcp/CloudSqlBackups";
import type { PlannedResource } from "../../../plan/mockRuntime";
import { SEVERITY_CHANNELS, GCP_PROJECT, expectOwnsEverything, named, recordComponent, resourceSetText, serviceFrom, theComponent } from "../../support/components";

const TYPE = "monitoring-stack:gcp:CloudSqlBackups";

const service = serviceFrom({
  name: "orders",
  tier: "critical",
  runtime: { cloudRun: { service: "orders", region: "europe-west1" } },
  database: { cloudSql: { instance: "orders-db", project: "orders-data", backups: { schedule: "daily", start: "02:00", retentionDays: 30, pointInTimeRecovery: true } } },
});

let resources: PlannedResource[];

beforeAll(async () => {
  resources = (await recordComponent(() => new CloudSqlBackups("orders-backups", { service, project: GCP_PROJECT, channels: SEVERITY_CHANNELS }))).resources;
});

describe("CloudSqlBackups alone", () => {
  it("registers the vault, the grant, the plan, the association, the success metric and two alerts (snapshot)", async () => {
    await expect(resourceSetText(resources, { omit: ["labels", "userLabels"] })).toMatchFileSnapshot("../../golden/components/CloudSqlBackups.txt");
  });

  it("owns every resource, named after the component", () => {
    expectOwnsEverything(resources, theComponent(resources, TYPE));
    expect(resources.filter((r) => r.type !== TYPE).map((r) => r.name).sort()).toEqual([
      "orders-backups-association",
      "orders-backups-failed",
      "orders-backups-late",
      "orders-backups-plan",
      "orders-backups-successes",
      "orders-backups-vault",
      "orders-backups-vault-agent",
    ]);
  });

  // With point-in-time recovery the vault's lock is the log retention (7 days), which the plan's log retention may not undercut.
  it("protects the vault by default, and the vault refuses early deletion of backups itself", () => {
    expect(resources.filter((r) => r.protect).map((r) => r.name)).toEqual(["orders-backups-vault"]);
    expect(named(resources, "orders-backups-vault").inputs).toMatchObject({ deletionPolicy: "PREVENT", backupMinimumEnforcedRetentionDuration: `${7 * 86_400}s`, location: "europe-west1" });
  });

  it("puts the vault agent's grant and the association in the instance's project, the vault and plan in the monitoring project", () => {
    expect(named(resources, "orders-backups-vault-agent").inputs).toMatchObject({ project: "orders-data", role: VAULT_AGENT_ROLE });
    expect(named(resources, "orders-backups-association").inputs).toMatchObject({ project: "orders-data", resource: "projects/orders-data/instances/orders-db" });
    expect(named(resources, "orders-backups-vault").inputs["project"]).toBe(GCP_PROJECT);
    expect(named(resources, "orders-backups-plan").inputs).toMatchObject({ project: GCP_PROJECT, logRetentionDays: 7 });
  });

  it("pages the critical tier: both alerts at page severity", () => {
    for (const alert of ["orders-backups-failed", "orders-backups-late"]) {
      expect(named(resources, alert).inputs).toMatchObject({ severity: "CRITICAL", notificationChannels: SEVERITY_CHANNELS.page });
    }
  });

  it("protectVault: false leaves the vault unprotected; a service without backups is refused before any child", async () => {
    const run = await recordComponent(() => new CloudSqlBackups("orders-backups", { service, project: GCP_PROJECT, channels: SEVERITY_CHANNELS, protectVault: false }));
    expect(run.resources.filter((r) => r.protect)).toEqual([]);
    const none = serviceFrom({ name: "web", runtime: { cloudRun: { service: "web", region: "europe-west1" } } });
    const refused = await recordComponent(() => {
      try {
        new CloudSqlBackups("web-backups", { service: none, project: GCP_PROJECT, channels: SEVERITY_CHANNELS });
        return "created";
      } catch (error) {
        return (error as Error).message;
      }
    });
    expect(refused.component).toBe("services/web.yaml: CloudSqlBackups needs a service that declares database.cloudSql.backups");
    expect(refused.resources.map((r) => r.type)).toEqual([TYPE]);
  });
});
