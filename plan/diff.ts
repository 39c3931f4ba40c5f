/**
 * The difference between two offline plans, as markdown for a pull request:
 * what a reviewer must not miss first (replacements that lose history or
 * data), then services, SLOs with their budgets before and after, routing,
 * and every resource added, removed or changed.
 */
import { isDeepStrictEqual } from "node:util";
import type { PlannedResource } from "./mockRuntime";
import type { PlanDocument } from "./runPlan";
import { DATA_HOLDING_TYPES } from "../policies/dataSafety";
import { TYPE } from "../policies/support";
import { DEFAULT_PRICES, type PriceList } from "../model/prices";
import { costDiffSection } from "./costs";

/** Inputs whose change makes the provider replace the resource, and what the replacement costs. */
export const REPLACEMENT_FIELDS: Record<string, { fields: string[]; loses: string }> = {
  "gcp:monitoring/slo:Slo": { fields: ["sloId", "service", "project"], loses: "the SLO's history (a new, empty SLO)" },
  "gcp:monitoring/customService:CustomService": { fields: ["serviceId", "project"], loses: "the Cloud Monitoring service and the history of every SLO under it" },
  "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig": { fields: ["monitoredResource", "checkerType", "httpCheck.requestMethod", "project"], loses: "the check's id and results (alerts and SLOs follow the new id)" },
  "gcp:logging/projectBucketConfig:ProjectBucketConfig": { fields: ["bucketId", "location", "project"], loses: "the stored log entries (a new, empty bucket)" },
  "gcp:storage/bucket:Bucket": { fields: ["name", "location", "project"], loses: "the exported objects (a new, empty bucket)" },
  "gcp:backupdisasterrecovery/backupVault:BackupVault": { fields: ["backupVaultId", "location", "project"], loses: "the backups in the vault (a new, empty vault)" },
  "gcp:backupdisasterrecovery/backupPlan:BackupPlan": { fields: ["backupPlanId", "location", "resourceType", "backupVault", "project"], loses: "the schedule until the new plan is associated" },
  "gcp:backupdisasterrecovery/backupPlanAssociation:BackupPlanAssociation": { fields: ["backupPlanAssociationId", "resource", "location", "project"], loses: "the protection of the instance until the new association runs" },
  "gcp:logging/metric:Metric": { fields: ["name", "project"], loses: "the metric's history (counting restarts)" },
  "gcp:logging/projectSink:ProjectSink": { fields: ["name", "project"], loses: "the writer identity (grants must follow)" },
  "gcp:monitoring/notificationChannel:NotificationChannel": { fields: ["type", "project"], loses: "the channel's id (every alert policy is updated)" },
  "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": { fields: ["metadata.name", "metadata.namespace"], loses: "nothing stored, but the workload is briefly unscaled" },
  "kubernetes:policy/v1:PodDisruptionBudget": { fields: ["metadata.name", "metadata.namespace"], loses: "nothing stored, but drains are briefly unguarded" },
};

/** Resources whose removal deletes data or history unless they are retained: the policy pack's list. */
const HOLDS_DATA: ReadonlySet<string> = new Set(DATA_HOLDING_TYPES);

const SERVICE_TYPE = TYPE.serviceMonitoring;
const SLO_TYPE = TYPE.slo;
const ALERT_TYPE = TYPE.alertPolicy;
const CHANNEL_TYPE = TYPE.channel;

interface Pair {
  before: PlannedResource;
  after: PlannedResource;
}

export interface PlanDiff {
  added: PlannedResource[];
  removed: PlannedResource[];
  changed: Pair[];
  /** Matched through an alias: the same resource under a new name. */
  renamed: Pair[];
}

export function matchResources(base: PlanDocument, head: PlanDocument): PlanDiff {
  const byUrn = new Map(base.resources.map((r) => [r.urn, r]));
  const matched = new Set<string>();
  const diff: PlanDiff = { added: [], removed: [], changed: [], renamed: [] };
  for (const after of head.resources) {
    const before = byUrn.get(after.urn) ?? (after.aliases ?? []).map((alias) => byUrn.get(alias)).find((r) => r !== undefined);
    if (!before || matched.has(before.urn)) {
      diff.added.push(after);
      continue;
    }
    matched.add(before.urn);
    if (before.urn !== after.urn) diff.renamed.push({ before, after });
    if (!isDeepStrictEqual(before.inputs, after.inputs)) diff.changed.push({ before, after });
  }
  diff.removed = base.resources.filter((r) => !matched.has(r.urn));
  return diff;
}

function valueAt(inputs: Record<string, unknown>, dotted: string): unknown {
  return dotted.split(".").reduce<unknown>((value, key) => (typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined), inputs);
}

/** Top-level inputs that differ, sorted. */
export function changedFields(pair: Pair): string[] {
  const keys = new Set([...Object.keys(pair.before.inputs), ...Object.keys(pair.after.inputs)]);
  return [...keys].filter((key) => !isDeepStrictEqual(pair.before.inputs[key], pair.after.inputs[key])).sort();
}

export function replacingFields(pair: Pair): string[] {
  const rule = REPLACEMENT_FIELDS[pair.after.type];
  return rule ? rule.fields.filter((field) => !isDeepStrictEqual(valueAt(pair.before.inputs, field), valueAt(pair.after.inputs, field))) : [];
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
const row = (cells: readonly string[]) => `| ${cells.map(cell).join(" | ")} |`;
const table = (head: readonly string[], rows: readonly (readonly string[])[]) => [row(head), row(head.map(() => "---")), ...rows.map(row)].join("\n");
const code = (text: string) => `\`${text}\``;
const shortType = (type: string) => type.split(":").pop() ?? type;

function budgetMinutes(slo: PlannedResource): number | undefined {
  const goal = slo.inputs["goal"];
  const days = slo.inputs["rollingPeriodDays"];
  if (typeof goal !== "number" || typeof days !== "number") return undefined;
  return Math.round((1 - goal) * days * 1440 * 10) / 10;
}

function objectiveText(slo: PlannedResource): string {
  const goal = slo.inputs["goal"];
  const days = slo.inputs["rollingPeriodDays"];
  const minutes = budgetMinutes(slo);
  return typeof goal === "number" ? `${Math.round(goal * 1e6) / 1e4} % over ${String(days)} d (budget ${minutes} min)` : "unknown";
}

function sloLabel(slo: PlannedResource): string {
  const labels = (slo.inputs["userLabels"] ?? {}) as Record<string, string>;
  return labels["service"] && labels["slo"] ? `${labels["service"]} / ${labels["slo"]}` : slo.name;
}

function channelNames(alert: PlannedResource, channels: ReadonlyMap<string, string>): string {
  const ids = (alert.inputs["notificationChannels"] ?? []) as string[];
  return ids.length ? ids.map((id) => channels.get(id) ?? id.split("/").pop() ?? id).sort().join(", ") : "nobody";
}

/** Channel resource names (as alert policies hold them) to channel labels, from both plans. */
function channelIndex(plans: readonly PlanDocument[]): Map<string, string> {
  const index = new Map<string, string>();
  for (const plan of plans) {
    for (const channel of plan.resources.filter((r) => r.type === CHANNEL_TYPE)) {
      const project = String(channel.inputs["project"] ?? "project");
      const label = ((channel.inputs["userLabels"] ?? {}) as Record<string, string>)["channel"] ?? channel.name;
      index.set(`projects/${project}/notificationChannels/${channel.name}`, label);
    }
  }
  return index;
}

export function renderDiff(base: PlanDocument, head: PlanDocument, prices: PriceList = DEFAULT_PRICES): string {
  const diff = matchResources(base, head);
  const channels = channelIndex([base, head]);
  const parts: string[] = [`# Monitoring plan diff: stack \`${head.stack}\``];
  parts.push(
    `${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed` +
      (diff.renamed.length ? `, ${diff.renamed.length} moved to a new name through aliases (not replaced)` : "") +
      ` — ${base.resources.length} → ${head.resources.length} resources.`,
  );

  // 1. What a reviewer must not miss.
  const losses: string[][] = [];
  for (const pair of diff.changed) {
    const fields = replacingFields(pair);
    if (fields.length > 0) losses.push([shortType(pair.after.type), code(pair.after.name), `replaced: ${fields.join(", ")} changed`, REPLACEMENT_FIELDS[pair.after.type]!.loses]);
  }
  for (const removed of diff.removed.filter((r) => REPLACEMENT_FIELDS[r.type] || HOLDS_DATA.has(r.type))) {
    const kept = removed.retainOnDelete || removed.protect;
    const what = REPLACEMENT_FIELDS[removed.type]?.loses ?? "its data";
    losses.push([
      shortType(removed.type),
      code(removed.name),
      kept ? `removed from the program; ${removed.protect ? "protected: the update stops until it is unprotected" : "kept in Google Cloud (retainOnDelete), no longer managed"}` : "deleted",
      kept ? "nothing yet — delete it by hand when you mean to" : what,
    ]);
  }
  parts.push("## ⚠ History and data at risk");
  parts.push(losses.length ? table(["Type", "Resource", "What happens", "What is lost"], losses) : "Nothing is replaced or deleted that holds history or data.");

  // 2. Services.
  const serviceRows: string[][] = [];
  for (const r of diff.added.filter((x) => x.type === SERVICE_TYPE)) serviceRows.push([r.name, "added"]);
  for (const r of diff.removed.filter((x) => x.type === SERVICE_TYPE)) serviceRows.push([r.name, "removed"]);
  for (const pair of diff.renamed.filter((p) => p.after.type === SERVICE_TYPE)) serviceRows.push([pair.after.name, `renamed from ${pair.before.name} (aliases: nothing replaced)`]);
  const byUrn = new Map([...base.resources, ...head.resources].map((r) => [r.urn, r]));
  const touched = new Set([...diff.added, ...diff.removed, ...diff.changed.map((p) => p.after)].map((r) => serviceOf(r, byUrn)).filter((s): s is string => s !== undefined));
  for (const service of [...touched].sort()) {
    if (!serviceRows.some(([name]) => name === service)) serviceRows.push([service, "changed"]);
  }
  parts.push("## Services");
  parts.push(serviceRows.length ? table(["Service", "Change"], serviceRows.sort(([a], [b]) => a!.localeCompare(b!))) : "No service changes.");

  // 3. SLOs.
  const sloRows: string[][] = [];
  for (const r of diff.added.filter((x) => x.type === SLO_TYPE)) sloRows.push([sloLabel(r), "added", "—", objectiveText(r)]);
  for (const r of diff.removed.filter((x) => x.type === SLO_TYPE)) sloRows.push([sloLabel(r), "removed", objectiveText(r), "—"]);
  for (const pair of diff.changed.filter((p) => p.after.type === SLO_TYPE)) {
    const before = objectiveText(pair.before);
    const after = objectiveText(pair.after);
    const fields = changedFields(pair);
    sloRows.push([sloLabel(pair.after), before === after ? `changed: ${fields.join(", ")}` : "objective or window changed", before, after]);
  }
  parts.push("## SLOs");
  parts.push(sloRows.length ? table(["SLO", "Change", "Before", "After"], sloRows) : "No SLO changes.");

  // 4. Routing.
  const routingRows: string[][] = [];
  for (const pair of diff.changed.filter((p) => p.after.type === ALERT_TYPE)) {
    const before = channelNames(pair.before, channels);
    const after = channelNames(pair.after, channels);
    if (before !== after) routingRows.push([String(pair.after.inputs["displayName"] ?? pair.after.name), before, after]);
  }
  for (const r of diff.added.filter((x) => x.type === CHANNEL_TYPE)) routingRows.push([`channel ${r.name}`, "—", `added (${String(r.inputs["type"])})`]);
  for (const r of diff.removed.filter((x) => x.type === CHANNEL_TYPE)) routingRows.push([`channel ${r.name}`, `${String(r.inputs["type"])}`, "removed"]);
  parts.push("## Routing");
  parts.push(routingRows.length ? table(["Alert or channel", "Before", "After"], routingRows) : "No routing changes.");

  // 5. Every resource.
  const resourceRows: string[][] = [
    ...diff.added.map((r) => ["added", shortType(r.type), code(r.name), ""]),
    ...diff.removed.map((r) => ["removed", shortType(r.type), code(r.name), r.retainOnDelete ? "retained in the cloud" : r.protect ? "protected" : ""]),
    ...diff.changed.map((pair) => [replacingFields(pair).length ? "replaced" : "changed", shortType(pair.after.type), code(pair.after.name), changedFields(pair).join(", ")]),
  ];
  parts.push("## Resources");
  parts.push(resourceRows.length ? table(["Change", "Type", "Name", "Fields"], resourceRows) : "No resource changes.");

  parts.push(...costDiffSection(base.usage, head.usage, prices));

  const mandatory = head.violations.filter((v) => v.level === "mandatory");
  if (mandatory.length > 0) {
    parts.push("## Policy violations in the head plan");
    parts.push(mandatory.map((v) => `- **${v.policy}**: ${v.message}`).join("\n"));
  }
  return `${parts.join("\n\n")}\n`;
}

/** The service a resource belongs to: the ServiceMonitoring it sits under, if any. */
function serviceOf(resource: PlannedResource, byUrn: ReadonlyMap<string, PlannedResource>): string | undefined {
  for (let current: PlannedResource | undefined = resource; current; current = current.parent ? byUrn.get(current.parent) : undefined) {
    if (current.type === SERVICE_TYPE) return current.name;
  }
  return undefined;
}
