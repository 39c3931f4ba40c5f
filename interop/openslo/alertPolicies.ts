/**
 * OpenSLO alert policies → our alert switches and routes: every condition
 * must be one of the stack's burn-rate tiers for the SLO (as fitted to its
 * backend, or as the definition scales to its window); notification targets
 * become channel names.
 */
import { DAY_MS } from "../../contract/duration";
import { describeValue } from "../../contract/problems";
import type { Severity, SloSpec } from "../../contract/serviceSchema";
import type { BurnTierDefinition } from "../../contract/stackConfig";
import { allSloTiers, sloWindowDays } from "../../model/service";
import { burnTiers, cloudMonitoringMechanics, MIN_SHORT_WINDOW_MS, type BurnTier } from "../../model/sloMath";
import { dnsLabel, docPath, docProblem, get, numberLike, type JsonObject } from "../documents";
import { resolve, type Context } from "./context";
import { formatShorthand, parseShorthand, type SourceDocument } from "./documents";

/** Alert severities as other tools name them, to ours. */
const SEVERITIES: Record<string, Severity> = {
  page: "page", critical: "page", high: "page", urgent: "page", emergency: "page", p1: "page", sev1: "page",
  ticket: "ticket", warning: "ticket", medium: "ticket", low: "ticket", info: "ticket", minor: "ticket", p2: "ticket", p3: "ticket", sev2: "ticket", sev3: "ticket",
};

export interface Alerting {
  severities: Set<Severity>;
  /** Names of the tiers the conditions matched. */
  tiers: Set<string>;
  targets: Record<Severity, string[]>;
}

/** Alert policies of an SLO: each condition must be one of the stack's burn-rate tiers for this SLO. */
export function alerting(doc: SourceDocument, spec: JsonObject, slos: readonly SloSpec[], ctx: Context, notes: string[]): Alerting {
  const result: Alerting = { severities: new Set(), tiers: new Set(), targets: { page: [], ticket: [], info: [] } };
  const policies = spec["alertPolicies"];
  if (policies === undefined || policies === null) return result;
  if (!Array.isArray(policies)) {
    ctx.problems.push(docProblem(doc, "spec.alertPolicies", `invalid value (got ${describeValue(policies)}, expected a list of AlertPolicy names or inline AlertPolicies)`));
    return result;
  }
  policies.forEach((item, i) => {
    const at = `spec.alertPolicies[${i}]`;
    const policy = resolve(doc, at, item, "AlertPolicy", "alertPolicyRef", ctx);
    if (!policy) return;
    const { owner, path, body } = policy;
    const fail = (field: string, message: string) => ctx.problems.push(docProblem(owner, `${path}${field}`, message));
    const conditions = get(body, "spec", "conditions");
    if (!Array.isArray(conditions) || conditions.length === 0) {
      fail("spec.conditions", `missing required field (got ${describeValue(conditions)}, expected one burn-rate condition)`);
      return;
    }
    const severities = new Set<Severity>();
    conditions.forEach((conditionItem, c) => {
      const condition = resolve(owner, `${path}spec.conditions[${c}]`, conditionItem, "AlertCondition", "conditionRef", ctx);
      if (!condition) return;
      const matched = burnCondition(condition.owner, condition.path, condition.body, slos, ctx, notes);
      if (matched) {
        severities.add(matched.severity);
        result.tiers.add(matched.tier);
      }
    });
    const targets = get(body, "spec", "notificationTargets");
    const channels: string[] = [];
    if (targets !== undefined && targets !== null && !Array.isArray(targets)) {
      fail("spec.notificationTargets", `invalid value (got ${describeValue(targets)}, expected a list of targetRef or inline AlertNotificationTargets)`);
    } else {
      (targets ?? []).forEach((targetItem, t) => {
        const target = resolve(owner, `${path}spec.notificationTargets[${t}]`, targetItem, "AlertNotificationTarget", "targetRef", ctx);
        if (!target) return;
        const name = get(target.body, "metadata", "name");
        const channel = typeof name === "string" ? dnsLabel(name) : undefined;
        if (channel === undefined) {
          ctx.problems.push(docProblem(target.owner, `${target.path}metadata.name`, `invalid channel name (got ${describeValue(name)}, expected a name with letters or digits: notification targets become channel names of the stack config)`));
          return;
        }
        if (channel !== name) notes.push(`${target.owner.file} ${docPath(target.owner)}.${target.path}metadata.name: notification target ${JSON.stringify(name)} named ${channel} (channel names are DNS labels)`);
        channels.push(channel);
      });
    }
    for (const severity of severities) {
      result.severities.add(severity);
      for (const channel of channels) if (!result.targets[severity].includes(channel)) result.targets[severity].push(channel);
    }
  });
  return result;
}

/** The severity of a burn-rate condition that matches one of the SLO's tiers, or a problem naming the tiers. */
function burnCondition(owner: SourceDocument, path: string, body: JsonObject, slos: readonly SloSpec[], ctx: Context, notes: string[]): { severity: Severity; tier: string } | undefined {
  const fail = (field: string, message: string) => ctx.problems.push(docProblem(owner, `${path}${field}`, message));
  const where = `${owner.file} ${docPath(owner)}.${path}spec.condition`;
  const spec = body["spec"];
  const condition = get(spec, "condition");
  const severityText = get(spec, "severity");
  const severity = typeof severityText === "string" ? SEVERITIES[severityText.toLowerCase()] : undefined;
  if (!severity) {
    fail("spec.severity", `unknown severity (got ${describeValue(severityText)}, expected page or ticket, or a common name for one: ${Object.keys(SEVERITIES).join(", ")})`);
    return undefined;
  }
  // The spec's only kind, and its default; written Burnrate, BurnRate, burnRate in real documents.
  const kind = get(condition, "kind");
  if (kind !== undefined && (typeof kind !== "string" || kind.toLowerCase() !== "burnrate")) {
    fail("spec.condition.kind", `not supported (got ${describeValue(kind)}, expected burnrate: alerts here are multiwindow burn-rate alerts)`);
    return undefined;
  }
  const op = get(condition, "op");
  if (op !== undefined && !["gte", "gt", "lte", "lt"].includes(String(op))) {
    fail("spec.condition.op", `not supported (got ${describeValue(op)}, expected gte or gt: a burn-rate alert fires when the burn rate rises above its threshold)`);
    return undefined;
  }
  // OpenSLO's own examples pair op lte with "burn rate exceeds": a burn-rate alert that fires below its threshold would fire while all is well.
  if (op !== "gte" && op !== "gt") notes.push(`${where}.op: ${op === undefined ? "no op" : `op ${op}`} read as gte: a burn-rate condition fires when the burn rate reaches its threshold (as OpenSLO's own examples describe it)`);
  const threshold = numberLike(get(condition, "threshold"));
  const lookbackMs = parseShorthand(get(condition, "lookbackWindow"));
  if (threshold === undefined || lookbackMs === undefined) {
    fail("spec.condition", `invalid value (got threshold ${describeValue(get(condition, "threshold"))} and lookbackWindow ${describeValue(get(condition, "lookbackWindow"))}, expected a burn-rate threshold number and a lookback like 1h)`);
    return undefined;
  }
  let tier = "";
  for (const slo of slos) {
    const candidates = sloTiers(slo, ctx.options.burnTiers);
    const match = candidates.find((tier) => tier.longWindowMs === lookbackMs && Math.abs(tier.burnRate - threshold) <= tier.burnRate * 0.005);
    if (!match) {
      const known = uniqueTiers(candidates).map((t) => `${t.name} (${t.severity}) ${t.burnRate} over ${formatShorthand(t.longWindowMs)}`).join(", ");
      fail("spec.condition", `burn-rate condition is not one of the stack's tiers (got threshold ${threshold} over ${describeValue(get(condition, "lookbackWindow"))} for SLO ${slo.name}, ${slo.objective} % over ${slo.window ?? "30d"}; expected one of: ${known}; or add it to monitoring-stack:burnRateTiers and import with --stack)`);
      return undefined;
    }
    if (match.severity !== severity) {
      fail("spec.severity", `severity differs from the tier (got ${describeValue(severityText)} for the ${match.name} tier, expected ${match.severity})`);
      return undefined;
    }
    tier = match.name;
  }
  if (get(condition, "alertAfter") !== undefined) ctx.alertAfterIgnored++;
  return { severity, tier };
}

/** The tiers a condition may name: as fitted to the SLO's backend, and as the definition scales to its window. */
function sloTiers(slo: SloSpec, definitions: readonly BurnTierDefinition[]): BurnTier[] {
  const windowMs = sloWindowDays(slo) * DAY_MS;
  return [...allSloTiers(slo, { endpoints: [], tier: "standard" }, { burnTiers: definitions }), ...burnTiers(slo.objective, windowMs, definitions, { minShortWindowMs: MIN_SHORT_WINDOW_MS, backend: "the definition", mechanics: cloudMonitoringMechanics() })];
}

function uniqueTiers(tiers: readonly BurnTier[]): BurnTier[] {
  const seen = new Set<string>();
  return tiers.filter((t) => {
    const key = `${t.name}/${t.burnRate}/${t.longWindowMs}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

