/**
 * The difference between two offline plans, as markdown for a pull request:
 * warnings when the plans are not of the same stack, what a reviewer must not
 * miss (replacements, deletions and field changes that lose history, data,
 * credentials or configuration, with the values before and after; resources
 * that take over configuration made elsewhere; likely renames without
 * `formerly`), then services, every SLO of every backend with budget, tiers
 * and detection before and after, who starts or stops being notified per
 * service and severity and whose page stops silencing its ticket, and every
 * resource added, removed or changed.
 */
import { isDeepStrictEqual } from "node:util";
import type { PlannedResource } from "./mockRuntime";
import type { PlanDocument } from "./runPlan";
import { DATA_HOLDING_TYPES } from "../policies/dataSafety";
import { TYPE } from "../policies/support";
import { formatDuration } from "../contract/duration";
import { recordedEvaluator, type RecordedService, type RecordedSlo, type RecordedTier } from "./planRecord";
import { DEFAULT_PRICES, type PriceList } from "../model/prices";
import { costDiffSection } from "./costs";
import { evaluatorLabel } from "../model/evaluators";
import { readsPromql } from "../model/placement";
import { REPLACEMENT_FIELDS, TAKES_OVER, fieldLosses, removal } from "./dataAtRisk";
import { likelyRenames } from "./likelyRenames";
import { inhibitionChanges } from "./inhibition";
import { historySection, type DiffHistory } from "./historySection";

export { REPLACEMENT_FIELDS };

/** Resources whose removal deletes data or history unless they are retained: the policy pack's list. */
const HOLDS_DATA: ReadonlySet<string> = new Set(DATA_HOLDING_TYPES);

const SERVICE_TYPE = TYPE.serviceMonitoring;
const SLO_TYPE = TYPE.slo;
const ALERT_TYPE = TYPE.alertPolicy;
const CHANNEL_TYPE = TYPE.channel;
const SECRET_TYPE = "kubernetes:core/v1:Secret";

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

/** Nominal days of Cloud Monitoring's calendar periods, as the model computes budgets for them. */
const CALENDAR_DAYS: Record<string, number> = { DAY: 1, WEEK: 7, FORTNIGHT: 14, MONTH: 30 };

/** Days of an SLO resource's period: its rolling days, or its calendar period's nominal length. */
function periodDays(slo: PlannedResource): number | undefined {
  const days = slo.inputs["rollingPeriodDays"];
  if (typeof days === "number") return days;
  const calendar = slo.inputs["calendarPeriod"];
  return typeof calendar === "string" ? CALENDAR_DAYS[calendar] : undefined;
}

function budgetMinutes(slo: PlannedResource): number | undefined {
  const goal = slo.inputs["goal"];
  const days = periodDays(slo);
  if (typeof goal !== "number" || days === undefined) return undefined;
  return Math.round((1 - goal) * days * 1440 * 10) / 10;
}

function objectiveText(slo: PlannedResource): string {
  const goal = slo.inputs["goal"];
  const calendar = slo.inputs["calendarPeriod"];
  const over = typeof calendar === "string" ? `per calendar ${calendar.toLowerCase()}` : `over ${String(slo.inputs["rollingPeriodDays"])} d`;
  const minutes = budgetMinutes(slo);
  return typeof goal === "number" ? `${Math.round(goal * 1e6) / 1e4} % ${over} (budget ${minutes} min)` : "unknown";
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

/** A base entry and the head entry that is the same thing: same name, or the head names it in `formerly`. */
interface Matched<T> {
  before?: T;
  after?: T;
}

/** Pairs entries of two lists by name, following `formerly` renames; unmatched entries are added or removed. */
export function matchByName<T extends { name: string; formerly: readonly string[] }>(base: readonly T[], head: readonly T[]): Matched<T>[] {
  const pairs: Matched<T>[] = [];
  const used = new Set<T>();
  for (const after of head) {
    const before = base.find((b) => !used.has(b) && b.name === after.name) ?? base.find((b) => !used.has(b) && (after.formerly.includes(b.name) || b.formerly.some((f) => f === after.formerly[0])));
    if (before) used.add(before);
    pairs.push(before ? { before, after } : { after });
  }
  for (const before of base) if (!used.has(before)) pairs.push({ before });
  return pairs;
}

/** Who evaluates a recorded SLO's alerts, in words: Grafana-managed alerting, Prometheus or Cloud Monitoring. */
const evaluator = (slo: Pick<RecordedSlo, "backend" | "evaluatedBy">) => evaluatorLabel(recordedEvaluator(slo));
const number = (value: number) => String(Math.round(value * 1e4) / 1e4);
const minutes = (value: number) => (value < 120 ? `${number(Math.round(value * 100) / 100)} min` : value < 72 * 60 ? `${number(Math.round(value / 6) / 10)} h` : `${number(Math.round(value / 144) / 10)} d`);

/** Error budgets in minutes of total outage, as the summary and the SLO maths state them. */
const budget = (value: number) => `${number(Math.round(value * 10) / 10)} min`;

/** One SLO in one cell: objective, window and budget. */
export function recordedSloText(slo: RecordedSlo): string {
  const budgeting = recordedBudgeting(slo);
  const window = recordedWindow(slo);
  const over = window.startsWith("calendar-") ? `per ${window.replace("-", " ")}` : `over ${rollingText(slo)}`;
  return `${number(slo.objective)} % ${over}${budgeting === "occurrences" ? "" : `, ${budgeting}`} (budget ${budget(slo.budgetMinutes)})`;
}

/** A rolling window in words: "30 d", or whole hours below a day ("6 h"). */
const rollingText = (slo: Pick<RecordedSlo, "windowDays">) => (Number.isInteger(slo.windowDays) ? `${slo.windowDays} d` : `${Math.round(slo.windowDays * 24)} h`);

/** The recorded window; plans recorded before calendar periods hold only the days. */
const recordedWindow = (slo: RecordedSlo) => slo.window ?? `${slo.windowDays}d`;
/** The recorded budgeting; plans recorded before timeslices hold none: occurrences. */
const recordedBudgeting = (slo: RecordedSlo) => slo.budgeting ?? "occurrences";

/**
 * What a change of the window or the budgeting does. On Cloud Monitoring both
 * are updates in place: Slo.yaml (magic-modules) marks only service and sloId
 * immutable, and lists rollingPeriod, calendarPeriod and the SLI's fields
 * (windowsBased.windowPeriod, goodTotalRatioThreshold, requestBased.*) in its
 * update mask. Prometheus rewrites the rules; a new recorded series starts empty.
 */
function measureChangeNote(after: RecordedSlo): string {
  return !readsPromql({ evaluator: recordedEvaluator(after) })
    ? "updated in place, not replaced: the SLO keeps its id and the alert policies that select it, and its budget is measured the new way from the update"
    : "the Prometheus rules are rewritten: series they newly record start empty and fill their windows over time";
}

function tierText(tier: RecordedTier | undefined): string {
  if (!tier) return "—";
  return `${tier.severity}, burn rate ${number(tier.burnRate)} over ${formatDuration(tier.longWindowMs)} / ${formatDuration(tier.shortWindowMs)}, total outage detected in ${minutes(tier.detectionMinutes)}`;
}

/** A tier in one version of an SLO: provisioned, covered by another tier, or absent. */
function tierCell(slo: RecordedSlo | undefined, name: string): string {
  const tier = slo?.tiers.find((t) => t.name === name);
  if (tier) return tierText(tier);
  const covered = slo?.coveredTiers?.find((c) => c.name === name);
  return covered ? `not created: ${covered.coveredBy} covers it (same severity, burn rate no higher, long window no longer; see the summary)` : "—";
}

/** What differs between two versions of one SLO, in words; empty when nothing a reviewer reads changed. */
export function sloChanges(before: RecordedSlo, after: RecordedSlo): string[] {
  const changes: string[] = [];
  if (before.name !== after.name) changes.push(`renamed from ${before.name}`);
  if (evaluator(before) !== evaluator(after)) changes.push(`now evaluated by ${evaluator(after)}`);
  if (before.objective !== after.objective) changes.push(`objective ${number(before.objective)} → ${number(after.objective)} %`);
  const measure: string[] = [];
  if (recordedWindow(before) !== recordedWindow(after)) {
    measure.push(
      recordedWindow(before).startsWith("calendar-") || recordedWindow(after).startsWith("calendar-")
        ? `window ${recordedWindow(before)} → ${recordedWindow(after)}`
        : Number.isInteger(before.windowDays) && Number.isInteger(after.windowDays)
          ? `window ${before.windowDays} → ${after.windowDays} d`
          : `window ${rollingText(before)} → ${rollingText(after)}`,
    );
  }
  if (recordedBudgeting(before) !== recordedBudgeting(after)) measure.push(`budgeting ${recordedBudgeting(before)} → ${recordedBudgeting(after)}`);
  if (measure.length > 0) changes.push(`${measure.join(", ")} (${measureChangeNote(after)})`);
  if (before.budgetMinutes !== after.budgetMinutes) changes.push(`budget ${budget(before.budgetMinutes)} → ${budget(after.budgetMinutes)}`);
  if (before.sli !== after.sli) changes.push(`indicator changed: ${before.indicator} → ${after.indicator}`);
  if (!isDeepStrictEqual(before.tiers, after.tiers) || !isDeepStrictEqual(before.coveredTiers ?? [], after.coveredTiers ?? [])) changes.push("burn tiers changed");
  return changes;
}

function tierRows(before: RecordedSlo | undefined, after: RecordedSlo | undefined): string[][] {
  const names = [...new Set([before, after].flatMap((slo) => [...(slo?.tiers ?? []), ...(slo?.coveredTiers ?? [])]).map((tier) => tier.name))];
  return names.map((name) => [name, tierCell(before, name), tierCell(after, name)]).filter(([, b, a]) => b !== a);
}

const SEVERITIES = ["page", "ticket", "info"] as const;
const channelList = (names: readonly string[]) => (names.length ? names.join(", ") : "nobody");

export function renderDiff(base: PlanDocument, head: PlanDocument, prices: PriceList = DEFAULT_PRICES, history?: DiffHistory): string {
  const diff = matchResources(base, head);
  const channels = channelIndex([base, head]);
  const recorded = base.services !== undefined && head.services !== undefined;
  const parts: string[] = [`# Monitoring plan diff: stack \`${head.stack}\``];
  const warnings: string[] = [];
  if (base.stack !== head.stack) warnings.push(`The plans are of different stacks: base \`${base.stack}\`, head \`${head.stack}\`. Everything below compares two different deployments, not a change to one.`);
  if (base.project !== undefined && head.project !== undefined && base.project !== head.project) {
    warnings.push(`The plans deploy to different Google Cloud projects: base \`${base.project}\`, head \`${head.project}\`.`);
  }
  if (!recorded) warnings.push(`The ${base.services === undefined ? "base" : "head"} plan has no record of services (written by an earlier version of npm run plan): SLOs are compared from Cloud Monitoring resources only and routing per alert policy; plan both again to see Prometheus-evaluated SLOs and routing per service.`);
  if (warnings.length > 0) parts.push(warnings.map((warning) => `> **Warning:** ${warning}`).join("\n>\n"));
  parts.push(
    `${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed` +
      (diff.renamed.length ? `, ${diff.renamed.length} moved to a new name through aliases (not replaced)` : "") +
      ` — ${base.resources.length} → ${head.resources.length} resources.`,
  );

  // 1. What a reviewer must not miss.
  const services = recorded ? matchByName(base.services!, head.services!) : [];
  const losses = atRiskRows(diff);
  const renames = likelyRenames(services, diff.removed, diff.added, matchByName);
  parts.push("## ⚠ History, data and credentials at risk");
  parts.push(losses.length ? table(["Type", "Resource", "What happens", "What is lost"], losses) : "Nothing that holds history, data, credentials or configuration is replaced, deleted, cut back or taken over.");
  if (renames.length > 0) {
    parts.push(
      `Likely renames without \`formerly\` (removed and added, measuring the same thing): the added one starts with no history, and the removed one's resources are deleted or left unmanaged. To keep them instead, write the line shown and plan again:\n\n${table(
        ["What", "Removed", "Added", "Both measure", "Keep its history with"],
        renames.map((r) => [r.kind, r.removed, r.added, r.same, r.write]),
      )}`,
    );
  }

  // 2. Services.
  const serviceRows: string[][] = [];
  const byUrn = new Map([...base.resources, ...head.resources].map((r) => [r.urn, r]));
  const touched = new Set([...diff.added, ...diff.removed, ...diff.changed.map((p) => p.after)].map((r) => serviceOf(r, byUrn)).filter((s): s is string => s !== undefined));
  if (recorded) {
    for (const { before, after } of services) {
      if (!before) serviceRows.push([after!.name, `added (team ${after!.team}, tier ${after!.tier})`]);
      else if (!after) serviceRows.push([before.name, "removed"]);
      else if (before.name !== after.name) serviceRows.push([after.name, `renamed from ${before.name} (aliases: nothing replaced)`]);
      else if (before.tier !== after.tier || before.team !== after.team) serviceRows.push([after.name, [before.team !== after.team ? `team ${before.team} → ${after.team}` : "", before.tier !== after.tier ? `tier ${before.tier} → ${after.tier}` : ""].filter(Boolean).join(", ")]);
      else if (touched.has(after.name) || !isDeepStrictEqual(before, after)) serviceRows.push([after.name, "changed"]);
    }
  } else {
    for (const r of diff.added.filter((x) => x.type === SERVICE_TYPE)) serviceRows.push([r.name, "added"]);
    for (const r of diff.removed.filter((x) => x.type === SERVICE_TYPE)) serviceRows.push([r.name, "removed"]);
    for (const pair of diff.renamed.filter((p) => p.after.type === SERVICE_TYPE)) serviceRows.push([pair.after.name, `renamed from ${pair.before.name} (aliases: nothing replaced)`]);
    for (const service of [...touched].sort()) {
      if (!serviceRows.some(([name]) => name === service)) serviceRows.push([service, "changed"]);
    }
  }
  parts.push("## Services");
  parts.push(serviceRows.length ? table(["Service", "Change"], serviceRows.sort(([a], [b]) => a!.localeCompare(b!))) : "No service changes.");

  // 3. SLOs, every backend.
  parts.push("## SLOs");
  parts.push(...(recorded ? recordedSloSection(services, diff) : resourceSloSection(diff)));
  if (history) parts.push(...historySection(base, head, history));

  // 4. Routing.
  parts.push("## Routing");
  const routingRows: string[][] = [];
  if (recorded) {
    for (const { before, after } of services) {
      const name = after?.name ?? before!.name;
      for (const severity of SEVERITIES) {
        const was = before?.notifies[severity] ?? [];
        const now = after?.notifies[severity] ?? [];
        if (isDeepStrictEqual(was, now)) continue;
        const starts = now.filter((channel) => !was.includes(channel));
        const stops = was.filter((channel) => !now.includes(channel));
        const change = [starts.length ? `starts: ${starts.join(", ")}` : "", stops.length ? `stops: ${stops.join(", ")}` : ""].filter(Boolean).join("; ");
        routingRows.push([name, severity, before ? channelList(was) : "— (not in base)", after ? channelList(now) : "— (removed)", change]);
      }
    }
  } else {
    for (const pair of diff.changed.filter((p) => p.after.type === ALERT_TYPE)) {
      const before = channelNames(pair.before, channels);
      const after = channelNames(pair.after, channels);
      if (before !== after) routingRows.push([String(pair.after.inputs["displayName"] ?? pair.after.name), "—", before, after, ""]);
    }
  }
  const channelRows = [
    ...diff.added.filter((x) => x.type === CHANNEL_TYPE).map((r) => [`channel ${r.name}`, "—", `added (${String(r.inputs["type"])})`]),
    ...diff.removed.filter((x) => x.type === CHANNEL_TYPE).map((r) => [`channel ${r.name}`, `${String(r.inputs["type"])}`, "removed"]),
  ];
  const inhibition = recorded ? inhibitionChanges(services, matchByName) : [];
  if (routingRows.length) parts.push(table([recorded ? "Service" : "Alert", "Severity", "Notified before", "Notified after", "Who starts or stops being notified"], routingRows));
  if (inhibition.length) parts.push(`Whether a page silences the ticket of the same SLO while both fire:\n\n${table(["SLO", "Before", "After"], inhibition)}`);
  if (!routingRows.length && !inhibition.length) parts.push("No routing changes: every service notifies the same channels per severity.");
  if (channelRows.length) parts.push(table(["Channel", "Before", "After"], channelRows));

  // 4b. Where endpoints are checked, when that changes.
  parts.push(...uptimeLocationSection(diff));

  // 4c. Existing resources the head adopts: imported instead of created.
  parts.push(...adoptionSection(base, head));

  // 5. Every resource.
  const resourceRows: string[][] = [
    ...diff.added.map((r) => ["added", shortType(r.type), code(r.name), ""]),
    ...diff.removed.map((r) => ["removed", shortType(r.type), code(r.name), r.retainOnDelete ? "retained in the cloud" : r.protect ? "protected" : ""]),
    ...diff.changed.map((pair) => [replacingFields(pair).length ? "replaced" : "changed", shortType(pair.after.type), code(pair.after.name), changedFields(pair).join(", ")]),
  ];
  parts.push("## Resources");
  parts.push(resourceRows.length ? table(["Change", "Type", "Name", "Fields"], resourceRows) : "No resource changes.");

  const renamedTo = new Map((head.services ?? []).flatMap((service) => service.formerly.map((former) => [former, service.name] as const)));
  parts.push(...costDiffSection(base.usage, head.usage, prices, renamedTo));

  const mandatory = head.violations.filter((v) => v.level === "mandatory");
  if (mandatory.length > 0) {
    parts.push("## Policy violations in the head plan");
    parts.push(mandatory.map((v) => `- **${v.policy}**: ${v.message}`).join("\n"));
  }
  return `${parts.join("\n\n")}\n`;
}

/**
 * Resources the head imports (`monitoring-stack:adopt`) that the base did not,
 * and those the base imported that the head no longer does. Empty, and no
 * section, when neither plan adopts anything.
 */
export function adoptionSection(base: PlanDocument, head: PlanDocument): string[] {
  const before = new Map(base.resources.filter((r) => r.importId).map((r) => [r.urn, r.importId]));
  const after = new Set(head.resources.filter((r) => r.importId).map((r) => r.urn));
  const rows: string[][] = [];
  for (const r of head.resources) {
    if (!r.importId || before.get(r.urn) === r.importId) continue;
    rows.push([shortType(r.type), code(r.name), code(r.importId), "imported instead of created, then updated to the program's inputs; kept when removed from the program (retainOnDelete)"]);
  }
  for (const r of base.resources) {
    if (!r.importId || after.has(r.urn)) continue;
    rows.push([shortType(r.type), code(r.name), code(r.importId), head.resources.some((h) => h.urn === r.urn) ? "no longer adopted: created, unless a pulumi up already imported it" : "no longer adopted, and removed from the program"]);
  }
  if (rows.length === 0) return [];
  return ["## Adopted: existing resources imported", table(["Type", "Resource", "Existing id", "What happens"], rows)];
}

const UPTIME_CHECK_TYPE = "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig";
const SYNTHETIC_CHECK_TYPE = "grafana:syntheticMonitoring/check:Check";

/**
 * Uptime checks added or removed on either backend, when Synthetic
 * Monitoring checks are among them: where each endpoint is now checked and
 * what moving it means for its alerts and uptime SLO. Empty otherwise.
 */
export function uptimeLocationSection(diff: PlanDiff): string[] {
  const synthetic = [...diff.added, ...diff.removed].filter((r) => r.type === SYNTHETIC_CHECK_TYPE);
  if (synthetic.length === 0) return [];
  const describe = (r: PlannedResource) =>
    r.type === SYNTHETIC_CHECK_TYPE
      ? `Synthetic Monitoring check \`${String(r.inputs["job"])}\` of ${String(r.inputs["target"])}, every ${formatDuration(Number(r.inputs["frequency"]))} from ${(r.inputs["probes"] as unknown[] | undefined)?.length ?? 0} probes`
      : `Cloud Monitoring uptime check \`${String(r.inputs["displayName"])}\`, every ${String(r.inputs["period"])}`;
  const rows = [
    ...diff.removed.filter((r) => r.type === UPTIME_CHECK_TYPE || r.type === SYNTHETIC_CHECK_TYPE).map((r) => ["removed", describe(r)]),
    ...diff.added.filter((r) => r.type === UPTIME_CHECK_TYPE || r.type === SYNTHETIC_CHECK_TYPE).map((r) => ["added", describe(r)]),
  ];
  return [
    "## Where uptime checks run",
    "Endpoints checked by Grafana Synthetic Monitoring alert through Grafana-managed rules (`UptimeCheckFailing`, 2+ probes failing) instead of Cloud Monitoring alert policies; their uptime SLOs are ratios of probe executions evaluated by Grafana, and a moved SLO starts its history anew (the Cloud Monitoring SLO is kept, unmanaged). Test executions are billed by Grafana Cloud. See docs/synthetic-monitoring.md.",
    table(["Change", "Check"], rows),
  ];
}

/** SLO rows from the plans' service records: every backend, with tiers and detection before and after. */
function recordedSloSection(services: readonly Matched<RecordedService>[], diff: PlanDiff): string[] {
  const rows: string[][] = [];
  const details: string[] = [];
  for (const service of services) {
    const serviceName = service.after?.name ?? service.before!.name;
    for (const { before, after } of matchByName(service.before?.slos ?? [], service.after?.slos ?? [])) {
      const slo = after ?? before!;
      const label = `${serviceName} / ${slo.name}`;
      const backend = before && after && evaluator(before) !== evaluator(after) ? `${evaluator(before)} → ${evaluator(after)}` : evaluator(slo);
      if (!before) rows.push([label, backend, "added", "—", recordedSloText(after!)]);
      else if (!after) rows.push([label, backend, service.after ? "removed" : "removed with the service", recordedSloText(before), "—"]);
      else {
        const changes = sloChanges(before, after);
        if (changes.length === 0) continue;
        rows.push([label, backend, changes.join("; "), recordedSloText(before), recordedSloText(after)]);
      }
      const tiers = tierRows(before, after);
      if (tiers.length > 0) details.push(`### ${label}: burn-rate alerts\n\n${table(["Tier", "Before", "After"], tiers)}`);
    }
  }
  // Cloud Monitoring definitions that changed while objective and window stayed (an indicator's filter, a display name).
  const definitions = diff.changed
    .filter((pair) => pair.after.type === SLO_TYPE && replacingFields(pair).length === 0 && objectiveText(pair.before) === objectiveText(pair.after))
    .map((pair) => [sloLabel(pair.after), changedFields(pair).join(", ")]);
  const out = [rows.length ? table(["SLO", "Evaluated by", "Change", "Before", "After"], rows) : "No SLO changes: every SLO keeps its objective, window, budget, indicator and burn tiers.", ...details];
  if (definitions.length > 0) out.push(`Cloud Monitoring SLO resources updated in place (no history lost):\n\n${table(["SLO", "Fields"], definitions)}`);
  return out;
}

/** SLO rows from Cloud Monitoring resources alone, for plans without a service record. */
function resourceSloSection(diff: PlanDiff): string[] {
  const sloRows: string[][] = [];
  for (const r of diff.added.filter((x) => x.type === SLO_TYPE)) sloRows.push([sloLabel(r), "added", "—", objectiveText(r)]);
  for (const r of diff.removed.filter((x) => x.type === SLO_TYPE)) sloRows.push([sloLabel(r), "removed", objectiveText(r), "—"]);
  for (const pair of diff.changed.filter((p) => p.after.type === SLO_TYPE)) {
    const before = objectiveText(pair.before);
    const after = objectiveText(pair.after);
    const fields = changedFields(pair);
    sloRows.push([sloLabel(pair.after), before === after ? `changed: ${fields.join(", ")}` : "objective or window changed", before, after]);
  }
  return [sloRows.length ? table(["SLO", "Change", "Before", "After"], sloRows) : "No Cloud Monitoring SLO changes."];
}

/**
 * Rows of the at-risk table: replacements, field changes that keep less
 * (before → after), resources that take over configuration made elsewhere,
 * and deletions of what holds data, history, credentials or configuration.
 */
export function atRiskRows(diff: PlanDiff): string[][] {
  const rows: string[][] = [];
  for (const pair of diff.changed) {
    const fields = replacingFields(pair);
    if (fields.length > 0) rows.push([shortType(pair.after.type), code(pair.after.name), `replaced: ${fields.join(", ")} changed`, REPLACEMENT_FIELDS[pair.after.type]!.loses]);
    for (const loss of fieldLosses(pair.after.type, pair.before.inputs, pair.after.inputs)) {
      rows.push([shortType(pair.after.type), code(pair.after.name), `${loss.field}: ${loss.before} → ${loss.after}`, loss.loses]);
    }
  }
  for (const added of diff.added) {
    const takeover = TAKES_OVER[added.type];
    if (takeover) rows.push([shortType(added.type), code(added.name), "added", takeover.added]);
  }
  for (const removed of diff.removed) {
    const credential = credentialLoss(removed);
    if (credential) {
      rows.push([shortType(removed.type), code(removed.name), removed.retainOnDelete ? "removed from the program; kept in the cluster (retainOnDelete)" : "deleted", credential]);
      continue;
    }
    const takeover = TAKES_OVER[removed.type];
    if (takeover) {
      rows.push([shortType(removed.type), code(removed.name), "deleted", takeover.removed]);
      continue;
    }
    if (!REPLACEMENT_FIELDS[removed.type] && !HOLDS_DATA.has(removed.type)) continue;
    const { kept, happens } = removal(removed);
    rows.push([shortType(removed.type), code(removed.name), happens, kept ? "nothing yet — delete it by hand when you mean to" : (REPLACEMENT_FIELDS[removed.type]?.deleted ?? "its data")]);
  }
  return rows;
}

/** Kubernetes Secrets the stack writes: what deleting each one takes away. */
export function credentialLoss(resource: PlannedResource): string | undefined {
  if (resource.type !== SECRET_TYPE) return undefined;
  if (resource.name.endsWith("-alertmanager-config")) return "the Alertmanager configuration: Alertmanager loses its routes and receivers, and Prometheus alerts notify nobody";
  if (resource.name.endsWith("-channel-credentials")) return "the notification channels' credentials Alertmanager reads (webhook URLs, keys)";
  return "the credentials or configuration the Secret holds";
}

/** The service a resource belongs to: the ServiceMonitoring it sits under, if any. */
function serviceOf(resource: PlannedResource, byUrn: ReadonlyMap<string, PlannedResource>): string | undefined {
  for (let current: PlannedResource | undefined = resource; current; current = current.parent ? byUrn.get(current.parent) : undefined) {
    if (current.type === SERVICE_TYPE) return current.name;
  }
  return undefined;
}
