/**
 * Google Cloud's limits applied to what stacks create: the Pulumi program
 * refuses a stack whose own resources exceed a limit before anything is
 * registered (so `pulumi up` never fails half-applied at the 101st uptime
 * check), and `npm run stacks -- check` adds up every stack that targets the
 * same project. From 80 % of a limit the plan shows a notice.
 */
import type { Problem } from "../contract/problems";
import { LIMITS, NOTICE_SHARE, PROJECT_LIMITS, ITEM_LIMITS, citeLimit, effectiveLimit, type Limit, type LimitId, type QuotaOverrides } from "../model/googleLimits";
import { itemCounts, stackCounts, type ItemCounts, type ProjectCounts } from "../model/resourceCount";
import type { ServiceModel } from "../model/types";
import type { StackSettings } from "../contract/stackConfig";

export const LIMITS_DOC = "docs/limits-and-costs.md";

/** One limit measured: how many, of how many allowed, where. */
export interface LimitUse {
  id: LimitId;
  count: number;
  limit: number;
  /** "project acme-prod" or "service checkout-api" and the like. */
  where: string;
  /** Stacks whose resources make up the count (for project limits across stacks). */
  stacks?: string[];
}

/** Channels a stack creates in its own project: its own, or its platform's re-created there. */
export function channelsCreated(settings: StackSettings): number {
  return !settings.platform || settings.recreatesPlatformChannels ? Object.keys(settings.channels).length : 0;
}

/** The stack's own count against every limit. */
export function stackLimitUse(services: readonly ServiceModel[], settings: StackSettings): LimitUse[] {
  return [
    ...projectLimitUse(settings.project, stackCounts(services, channelsCreated(settings)), settings.quotas),
    ...itemLimitUse(itemCounts(services)),
  ];
}

export function projectLimitUse(project: string, counts: ProjectCounts, quotas: QuotaOverrides = {}, stacks?: string[]): LimitUse[] {
  return PROJECT_LIMITS.map((id) => ({
    id,
    count: counts[id],
    limit: effectiveLimit(id, quotas),
    where: LIMITS[id].scope === "metrics scope" ? `the metrics scope of project ${project}` : `project ${project}`,
    ...(stacks ? { stacks } : {}),
  }));
}

export function itemLimitUse(items: ItemCounts): LimitUse[] {
  return ITEM_LIMITS.filter((id) => items[id].count > 0).map((id) => ({ id, count: items[id].count, limit: LIMITS[id].value, where: items[id].where }));
}

/** What a team can do about each limit. */
export const WAYS_OUT: Record<LimitId, string> = {
  uptimeChecks:
    "move services to a stack that targets another project (its gcp:project; a platform in another project has its channels re-created there), or drop endpoints another check or SLO already covers",
  alertPolicies:
    "move services to a stack that targets another project, switch off burn-rate tiers an SLO does not need (slos[].alerting), or declare fewer tiers for the stack (monitoring-stack:burnRateTiers)",
  notificationChannels: "define fewer channels (several routes may share one), or move services to a stack that targets another project",
  logBuckets: "move services to a stack that targets another project, or obtain a quota increase (up to 2,500) and declare it in monitoring-stack:quotas.logBuckets",
  logSinks: "move services to a stack that targets another project, drop export sinks, or obtain a quota increase (up to 4,000) and declare it in monitoring-stack:quotas.logSinks",
  logMetrics: "move services to a stack that targets another project, or count several events with one metric and a label",
  slosPerService: "split the service into several declarations",
  conditionsPerPolicy: "(no way out needed: every policy here holds at most two conditions)",
  channelsPerPolicy: "route each severity to at most 16 channels (alerting.page / alerting.ticket, or monitoring-stack:routes)",
  exclusionsPerSink: "(no way out needed: a sink here holds at most one exclusion)",
};

function perScope(limit: Limit): string {
  return limit.scope === "metrics scope" || limit.scope === "project" ? `per ${limit.scope}` : `in one ${limit.scope}`;
}

/** Past a limit: a problem naming the limit, the count, the source and the ways out. */
export function limitProblems(uses: readonly LimitUse[], file: string, field = "gcp:project"): Problem[] {
  return uses
    .filter((use) => use.count > use.limit)
    .map((use) => {
      const limit: Limit = LIMITS[use.id];
      const granted = use.limit !== limit.value ? ` (a granted increase over Google's default of ${limit.value})` : "";
      const from = use.stacks && use.stacks.length > 1 ? ` from stacks ${use.stacks.join(", ")}` : "";
      return {
        file,
        path: field,
        message:
          `over Google Cloud's limit of ${use.limit} ${limit.what} ${perScope(limit)}${granted} (got ${use.count} in ${use.where}${from}, expected at most ${use.limit}; source: ${citeLimit(use.id)}). ` +
          `Google Cloud would refuse the resources past it in the middle of an apply, so this stack creates nothing. Ways out: ${WAYS_OUT[use.id]} (see ${LIMITS_DOC})`,
      };
    });
}

/** From 80 % of a limit up to it: one line each for the plan's notices. */
export function limitNotices(uses: readonly LimitUse[]): string[] {
  return uses
    .filter((use) => use.count <= use.limit && use.count >= NOTICE_SHARE * use.limit)
    .map((use) => {
      const limit: Limit = LIMITS[use.id];
      return `${use.count} of ${use.limit} ${limit.what} ${perScope(limit)} in ${use.where} (${Math.floor((use.count / use.limit) * 100)} %; source: ${citeLimit(use.id)}). Ways out before it is reached: ${WAYS_OUT[use.id]}`;
    });
}
