/**
 * Backup and DR vaults, plans and plan associations, in every plan the
 * repository makes, against google/cloud/backupdr/v1/backupvault.proto,
 * backupplan.proto and backupplanassociation.proto (googleapis),
 * mmv1/products/backupdr/BackupVault.yaml, BackupPlan.yaml,
 * BackupPlanAssociation.yaml (magic-modules) and
 * cloud.google.com/backup-disaster-recovery/docs/concepts/backup-plan.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { PLAN_TIMEOUT_MS, TYPE, resourcesOfType, where, type Planned } from "./plans";
import { durationSeconds } from "./rules";

let vaults: Planned[];
let plans: Planned[];
let associations: Planned[];
const inputs = (p: Planned) => p.resource.inputs as Record<string, any>;
const breaches = (of: Planned[], check: (p: Planned) => string[]) => of.flatMap((p) => check(p).map((problem) => `${where(p)}: ${problem}`));

beforeAll(async () => {
  vaults = await resourcesOfType(TYPE.backupVault);
  plans = await resourcesOfType(TYPE.backupPlan);
  associations = await resourcesOfType(TYPE.backupAssociation);
}, PLAN_TIMEOUT_MS);

/** backupplan.proto CreateBackupPlanRequest.backup_plan_id: "must start with a lowercase letter followed by up to 62 lowercase letters, numbers, or hyphens. Pattern, /[a-z][a-z0-9-]{,62}/." */
const ID = /^[a-z][a-z0-9-]{0,62}$/;
const DAY = 86_400;

function vaultOf(plan: Planned): Planned | undefined {
  return vaults.find((v) => v.source === plan.source && inputs(plan)["backupVault"] === `projects/${inputs(v)["project"]}/locations/${inputs(v)["location"]}/backupVaults/${inputs(v)["backupVaultId"]}`);
}

describe("backup vaults", () => {
  it("covers vaults, plans and associations (the walk works)", () => {
    expect([vaults.length, plans.length, associations.length].every((n) => n >= 20)).toBe(true);
    expect(new Set(plans.map((p) => inputs(p)["backupRules"][0]["standardSchedule"]["recurrenceType"]))).toEqual(new Set(["HOURLY", "DAILY", "WEEKLY"]));
  });

  it("ids follow the Backup and DR id pattern; a location; a minimum retention in whole seconds", () => {
    // backupvault.proto CreateBackupVaultRequest.backup_vault_id has no pattern of its own; the plan's pattern is applied (an assumption, see docs/verified-against.md).
    // BackupVault.yaml location: required: true. backupvault.proto BackupVault.backup_minimum_enforced_retention_duration: a Duration ("<n>s").
    expect(
      breaches(vaults, (p) => [
        ...(ID.test(inputs(p)["backupVaultId"]) ? [] : [`backupVaultId ${inputs(p)["backupVaultId"]}`]),
        ...(typeof inputs(p)["location"] === "string" ? [] : ["no location"]),
        ...(durationSeconds(inputs(p)["backupMinimumEnforcedRetentionDuration"]) ? [] : [`minimum retention ${inputs(p)["backupMinimumEnforcedRetentionDuration"]}`]),
      ]),
    ).toEqual([]);
  });

  it("are protected from deletion, by Pulumi and by the provider", () => {
    // BackupVault.yaml deletion_policy: PREVENT refuses deletion while backups exist.
    expect(breaches(vaults, (p) => [...(p.resource.protect ? [] : ["not protected"]), ...(inputs(p)["deletionPolicy"] === "PREVENT" ? [] : [`deletionPolicy ${inputs(p)["deletionPolicy"]}`])])).toEqual([]);
  });
});

describe("backup plans", () => {
  it("ids, a Cloud SQL resource type and a vault in the same plan", () => {
    // BackupPlan.yaml: location, backup_plan_id, backupVault, resourceType required. backupplan.proto BackupPlan.resource_type examples: "sqladmin.googleapis.com/Instance".
    expect(
      breaches(plans, (p) => [
        ...(ID.test(inputs(p)["backupPlanId"]) ? [] : [`backupPlanId ${inputs(p)["backupPlanId"]}`]),
        ...(inputs(p)["resourceType"] === "sqladmin.googleapis.com/Instance" ? [] : [`resourceType ${inputs(p)["resourceType"]}`]),
        ...(vaultOf(p) ? [] : [`backupVault ${inputs(p)["backupVault"]} not planned`]),
        ...(typeof inputs(p)["description"] === "string" ? [] : ["description not sent (the provider sends \"\" and shows a diff)"]),
      ]),
    ).toEqual([]);
  });

  it("rules: ids by the id pattern, one per frequency, retention at least the vault's minimum", () => {
    // backupplan.proto BackupRule.rule_id: "Required. Immutable. … Pattern, /[a-z][a-z0-9-]{,62}/."
    // BackupRule.backup_retention_days: "should be greater than or equal to minimum enforced retention of the backup vault."
    // docs/concepts/backup-plan: "No two backup rules within a plan can be created with the same backup frequency period".
    expect(
      breaches(plans, (p) => {
        const rules = inputs(p)["backupRules"] as Array<Record<string, any>>;
        const minimumDays = (durationSeconds(inputs(vaultOf(p)!)["backupMinimumEnforcedRetentionDuration"]) ?? Infinity) / DAY;
        const frequencies = rules.map((r) => r["standardSchedule"]?.["recurrenceType"]);
        return [
          ...(rules.length === 0 ? ["no rules"] : []),
          ...(new Set(frequencies).size !== frequencies.length ? ["two rules with one frequency"] : []),
          ...rules.flatMap((r) => [
            ...(ID.test(r["ruleId"]) ? [] : [`ruleId ${r["ruleId"]}`]),
            ...(Number.isInteger(r["backupRetentionDays"]) && r["backupRetentionDays"] >= Math.max(1, minimumDays) ? [] : [`backupRetentionDays ${r["backupRetentionDays"]} (vault minimum ${minimumDays} d)`]),
          ]),
        ];
      }),
    ).toEqual([]);
  });

  it("schedules: a recurrence with only its own fields, an IANA time zone", () => {
    // backupplan.proto StandardSchedule: hourly_frequency "required for recurrence_type, HOURLY and is not applicable otherwise"; days_of_week "only applicable for recurrence_type, WEEKLY".
    // StandardSchedule.time_zone: "The time zone to be used when interpreting the schedule. The value of this field must be a time zone name from the IANA tz database." (required: true in BackupPlan.yaml)
    expect(
      breaches(plans, (p) =>
        (inputs(p)["backupRules"] as Array<Record<string, any>>).flatMap((r) => {
          const s = r["standardSchedule"];
          const type = s["recurrenceType"];
          let zone = true;
          try {
            new Intl.DateTimeFormat("en", { timeZone: s["timeZone"] });
          } catch {
            zone = false;
          }
          return [
            ...(["HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"].includes(type) ? [] : [`recurrenceType ${type}`]),
            ...((type === "HOURLY") !== (s["hourlyFrequency"] !== undefined) ? [`hourlyFrequency ${s["hourlyFrequency"]} with ${type}`] : []),
            ...((type === "WEEKLY") !== (s["daysOfWeeks"] !== undefined) ? [`daysOfWeeks with ${type}`] : []),
            ...(typeof s["timeZone"] === "string" && zone ? [] : [`timeZone ${s["timeZone"]}`]),
          ];
        }),
      ),
    ).toEqual([]);
  });

  it("hourly: a frequency of 4 to 23 hours that divides the day, so no gap is longer than the frequency", () => {
    // backupplan.proto StandardSchedule.hourly_frequency: "Value of hourly frequency should be between 4 and 23."
    // Dividing 24 is this stack's rule: with a window to 24:00 the gap across midnight then equals the frequency.
    expect(
      breaches(plans, (p) =>
        (inputs(p)["backupRules"] as Array<Record<string, any>>).flatMap((r) => {
          const s = r["standardSchedule"];
          if (s["recurrenceType"] !== "HOURLY") return [];
          const f = s["hourlyFrequency"];
          const { startHourOfDay: start, endHourOfDay: end } = s["backupWindow"];
          const runs: number[] = [];
          for (let hour = start; hour < end; hour += f) runs.push(hour);
          const midnightGap = 24 - runs[runs.length - 1]! + runs[0]!;
          return [...(Number.isInteger(f) && f >= 4 && f <= 23 ? [] : [`hourlyFrequency ${f}`]), ...(midnightGap > f ? [`runs at ${runs.join(", ")}: ${midnightGap} h across midnight`] : [])];
        }),
      ),
    ).toEqual([]);
  });

  it("windows: 0 <= start < end <= 24, at least 6 hours", () => {
    // backupplan.proto BackupWindow: "0 <= start_hour_of_day < end_hour_of_day <= 24. End hour of day is not include in backup window".
    // docs/concepts/backup-plan: "Backup Window … Duration: The window must be at least six hours long".
    expect(
      breaches(plans, (p) =>
        (inputs(p)["backupRules"] as Array<Record<string, any>>).flatMap((r) => {
          const { startHourOfDay: start, endHourOfDay: end } = r["standardSchedule"]["backupWindow"] ?? {};
          return Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start < end && end <= 24 && end - start >= 6 ? [] : [`window ${start}–${end}`];
        }),
      ),
    ).toEqual([]);
  });

  it("log retention (point-in-time recovery) at least the vault's minimum, and part of the plan id because it is immutable", () => {
    // backupplan.proto BackupPlan.log_retention_days: "Applicable only for CloudSQL and AlloyDB … should be greater than or equal to minimum enforced log retention duration of the backup vault."
    // BackupPlan.yaml logRetentionDays: immutable: true — a change replaces the plan; a new id lets the association move to the new plan before the old one goes.
    expect(
      breaches(plans, (p) => {
        const days = inputs(p)["logRetentionDays"];
        if (days === undefined) return /-plan-l\d+$/.test(inputs(p)["backupPlanId"]) ? ["log-retention id without log retention"] : [];
        const minimumDays = (durationSeconds(inputs(vaultOf(p)!)["backupMinimumEnforcedRetentionDuration"]) ?? Infinity) / DAY;
        return [...(days >= minimumDays ? [] : [`logRetentionDays ${days} below the vault's ${minimumDays} d`]), ...(inputs(p)["backupPlanId"].endsWith(`-plan-l${days}`) ? [] : [`backupPlanId ${inputs(p)["backupPlanId"]} without l${days}`])];
      }),
    ).toEqual([]);
  });
});

describe("backup plan associations", () => {
  it("an id, a Cloud SQL instance name, the plan's resource type and a planned plan", () => {
    // backupplanassociation.proto BackupPlanAssociation.resource_type, resource: "Required. Immutable."; resource for Cloud SQL: projects/P/instances/I.
    // BackupPlanAssociation.backup_plan: "Required. Resource name of backup plan which needs to be applied on workload."
    expect(
      breaches(associations, (p) => {
        const plan = plans.find((candidate) => candidate.source === p.source && inputs(p)["backupPlan"] === `projects/${inputs(candidate)["project"]}/locations/${inputs(candidate)["location"]}/backupPlans/${inputs(candidate)["backupPlanId"]}`);
        return [
          ...(ID.test(inputs(p)["backupPlanAssociationId"]) ? [] : [`id ${inputs(p)["backupPlanAssociationId"]}`]),
          ...(/^projects\/[a-z][a-z0-9-]{4,28}[a-z0-9]\/instances\/[a-z][a-z0-9-]*$/.test(inputs(p)["resource"]) ? [] : [`resource ${inputs(p)["resource"]}`]),
          ...(plan ? [] : [`backupPlan ${inputs(p)["backupPlan"]} not planned`]),
          ...(plan && inputs(plan)["resourceType"] !== inputs(p)["resourceType"] ? ["resource type differs from the plan's"] : []),
          ...(plan && inputs(plan)["location"] !== inputs(p)["location"] ? ["location differs from the plan's"] : []),
        ];
      }),
    ).toEqual([]);
  });
});
