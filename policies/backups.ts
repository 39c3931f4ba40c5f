/**
 * Backups: kept long enough to be useful, and recoverable to a point in time
 * on the critical tier — for Backup and DR plans and for Cloud SQL instances
 * declared in the stack.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { TYPE, isCriticalTier, knownNumber, labelsOf, owner, type StackResource } from "./support";

export interface BackupConfig {
  /** Fewest days a backup is kept. */
  minRetentionDays: number;
}

export const backupRetention: StackValidationPolicy = {
  name: "backup-retention",
  description: "Database backups are kept at least the configured days (7 by default, 30 in production), critical-tier databases have point-in-time recovery, and a critical-tier Cloud SQL instance has backups at all.",
  enforcementLevel: "mandatory",
  configSchema: { properties: { minRetentionDays: { type: "integer", default: 7, description: "Fewest days a backup is kept." } } },
  validateStack: (args, report) => checkBackups(args.resources, args.getConfig<BackupConfig>(), report),
};

export function checkBackups(resources: readonly StackResource[], config: BackupConfig, report: (message: string, urn?: string) => void): void {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  for (const plan of resources.filter((r) => r.type === TYPE.backupPlan)) {
    // A plan has no labels; the vault it writes to carries the service's.
    const vaultUrn = plan.propertyDependencies["backupVault"]?.[0]?.urn;
    const vault = vaultUrn ? byUrn.get(vaultUrn) : undefined;
    const who = vault ? owner(vault) : plan.name;
    const rules = (plan.props["backupRules"] ?? []) as Array<{ ruleId?: string; backupRetentionDays?: unknown }>;
    for (const rule of rules) {
      const days = knownNumber(rule.backupRetentionDays);
      if (days !== undefined && days < config.minRetentionDays) {
        report(`${who}: backup rule ${rule.ruleId ?? ""} keeps backups ${days} day(s); expected at least ${config.minRetentionDays}.`, plan.urn);
      }
    }
    if (vault && isCriticalTier(vault.props) && plan.props["logRetentionDays"] === undefined) {
      report(`${who}: critical-tier database backed up without point-in-time recovery; set pointInTimeRecovery: true.`, plan.urn);
    }
  }
  // Instances a Backup and DR plan of this stack protects, by the association's `projects/P/instances/I`.
  const associated = new Set(
    resources.filter((r) => r.type === TYPE.backupAssociation).flatMap((r) => (typeof r.props["resource"] === "string" ? [String(r.props["resource"]).split("/").pop()!] : [])),
  );
  for (const instance of resources.filter((r) => r.type === TYPE.sqlInstance)) {
    const settings = (instance.props["settings"] ?? {}) as { backupConfiguration?: Record<string, unknown>; userLabels?: Record<string, string> };
    const who = `Cloud SQL instance ${instance.name}`;
    const critical = labelsOf({ userLabels: settings.userLabels ?? {} })["tier"] === "critical";
    if (settings.backupConfiguration === undefined) {
      // No backup configuration: Cloud SQL's automated backups are off (the API's default), so only Backup and DR's enhanced
      // backups can protect it; they own that field once a plan is attached, and that plan is checked above. A critical
      // instance that no plan of this stack protects has no backup this check can see.
      const name = typeof instance.props["name"] === "string" ? String(instance.props["name"]) : instance.name;
      if (critical && !associated.has(name) && !associated.has(instance.name)) {
        report(
          `${who}: critical-tier database with no backups: no settings.backupConfiguration (Cloud SQL's automated backups are off) and no Backup and DR plan in this stack protects it; ` +
            `expected database.cloudSql.backups in its declaration, planned in the same stack (MonitoredService), or settings.backupConfiguration with enabled: true.`,
          instance.urn,
        );
      }
      continue;
    }
    const backup = settings.backupConfiguration;
    if (backup["enabled"] !== true) {
      report(`${who}: automated backups are off; expected them on.`, instance.urn);
      continue;
    }
    const kept = knownNumber((backup["backupRetentionSettings"] as { retainedBackups?: unknown } | undefined)?.retainedBackups);
    if (kept !== undefined && kept < config.minRetentionDays) report(`${who}: keeps ${kept} daily backup(s); expected at least ${config.minRetentionDays}.`, instance.urn);
    if (critical && backup["pointInTimeRecoveryEnabled"] !== true && backup["binaryLogEnabled"] !== true) {
      report(`${who}: critical-tier database without point-in-time recovery.`, instance.urn);
    }
  }
}
