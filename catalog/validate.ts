/**
 * Semantic validation: the rules a shape check cannot see — names unique in
 * the catalog and within a service, references that must resolve, channels
 * that must exist in the stack config, GCP limits and burn tiers that must be
 * able to fire. Every problem is collected; nothing stops at the first.
 */
import type { LoadedService } from "../contract/load";
import type { Problem } from "../contract/problems";
import type { ServiceSpec } from "../contract/serviceSchema";
import { pagingChannel, pagingInInfoRoute, unknownChannel, type ChannelSource, type StackSettings } from "../contract/stackConfig";
import { DEFAULT_REGIONS, MIN_SYNTHETIC_PROBES, TIER_DEFAULTS, allSloTiers, renamed, sloModel, sloSeverities, sloWindowDays, syntheticCheck } from "../model/service";
import { backupSeverity, endpointChecker, indicatorKind, raisedSeverities, sloEvaluator, tierAlertSeverity } from "../model/placement";
import { sliSource } from "../model/indicators";
import { capabilityProblems } from "../model/evaluators";
import { SEVERITIES, isCalendarWindow, isSubDayWindow } from "../contract/serviceSchema";
import { DAY_MS, formatDuration, round } from "../contract/duration";
import { alertQualityProblems, subDayTierMessage } from "../model/service";
import { errorBudget, lowestFiringObjective, objectiveAsPercent } from "../model/sloMath";
import { validateOperations, validateSharedDestinations } from "./validateOperations";
import { idProblem } from "./gcpLimits";

/** Labels every resource carries; declarations may not redefine them. */
export const RESERVED_LABELS = ["service", "team", "tier", "managed-by", "slo", "severity", "endpoint", "burn-tier", "channel", "environment", "saturation"] as const;

export function validateCatalog(services: readonly LoadedService[], settings: StackSettings): Problem[] {
  const problems: Problem[] = [];
  const clashes = nameClashes(services.map(({ spec }) => spec));
  services.forEach(({ file, spec }, index) => {
    for (const clash of clashes.filter((c) => c.index === index && c.field === "name")) {
      problems.push({ file, path: "name", message: `duplicate service name (got ${JSON.stringify(spec.name)}, already declared in ${services[clash.owner]!.file}; expected names unique in the catalog)` });
    }
    problems.push(...validateService(spec, file, settings));
  });
  // An earlier name may not be anyone's current name, nor claimed twice: the Pulumi aliases would collide.
  for (const clash of clashes.filter((c) => c.field !== "name")) {
    const where = clash.owner === clash.index ? "this service's own name" : `also used in ${services[clash.owner]!.file}`;
    problems.push({ file: services[clash.index]!.file, path: clash.field, message: `earlier name in use (got ${JSON.stringify(clash.name)}, ${where}; expected a name no other service has or had)` });
  }
  problems.push(...validateSharedDestinations(services));
  return problems;
}

/** What checking one service needs of the stack: its channel names, default routes and burn tiers; where endpoints are checked. */
export type ServiceCheckSettings = { channels: Readonly<Record<string, unknown>>; /** Where the channels come from, for the messages. Default: the stack. */ channelsFrom?: ChannelSource } & Pick<StackSettings, "routes" | "burnTiers"> &
  Partial<Pick<StackSettings, "grafana" | "prometheus">>;

export function validateService(spec: ServiceSpec, file: string, settings: ServiceCheckSettings): Problem[] {
  const problems: Problem[] = [];
  const add = (path: string, message: string) => problems.push({ file, path, message });
  const tier = spec.tier ?? "standard";

  const serviceIdProblem = idProblem("customService", renamed(spec.name, spec.formerly).stableId);
  if (serviceIdProblem) add(spec.formerly?.length ? "formerly[0]" : "name", serviceIdProblem);
  (spec.slos ?? []).forEach((slo, index) => {
    const problem = idProblem("slo", renamed(slo.name, slo.formerly).stableId);
    if (problem) add(slo.formerly?.length ? `slos[${index}].formerly[0]` : `slos[${index}].name`, problem);
  });

  uniqueNames(spec.endpoints ?? [], "endpoints", add);
  uniqueNames(spec.slos ?? [], "slos", add);
  uniqueNames(spec.logs?.sinks ?? [], "logs.sinks", add);
  uniqueNames(spec.logs?.metrics ?? [], "logs.metrics", add);
  uniqueNames(spec.alerts ?? [], "alerts", add);

  for (const key of RESERVED_LABELS) {
    if (spec.labels && key in spec.labels) {
      add(`labels.${key}`, `reserved label (got ${JSON.stringify(key)}, expected a key other than ${RESERVED_LABELS.join(", ")}; it is set from the declaration)`);
    }
  }

  const endpointNames = (spec.endpoints ?? []).map((endpoint) => endpoint.name);
  (spec.endpoints ?? []).forEach((endpoint, index) => {
    const check = syntheticCheck(endpoint, renamed(spec.name, spec.formerly).stableId, settings);
    if (check && check.probes.length < MIN_SYNTHETIC_PROBES) {
      add(
        `endpoints[${index}].regions`,
        `too few Synthetic Monitoring probes (got ${(endpoint.regions ?? DEFAULT_REGIONS).join(", ")}, which stand for ${check.probes.length}: ${check.probes.join(", ") || "none"}; expected regions standing for at least ${MIN_SYNTHETIC_PROBES} probes: the uptime alert fires when more than one probe fails, so it could never fire; list more regions, or more probes for them in monitoring-stack:grafana.syntheticMonitoring.probes)`,
      );
    }
  });
  const runtimeKind = spec.runtime.cloudRun ? "cloudRun" : spec.runtime.gke ? "gke" : "external";

  (spec.slos ?? []).forEach((slo, index) => {
    const at = `slos[${index}]`;
    const indicator = slo.indicator;
    if (indicator.uptime && !endpointNames.includes(indicator.uptime.endpoint)) {
      add(`${at}.indicator.uptime.endpoint`, `unknown endpoint (got ${JSON.stringify(indicator.uptime.endpoint)}, expected one of this service's endpoints: ${endpointNames.length ? endpointNames.join(", ") : "none declared"})`);
    }
    for (const kind of ["availability", "latency"] as const) {
      if (indicator[kind] && runtimeKind !== "cloudRun") {
        add(`${at}.indicator.${kind}`, `needs the runtime's own request metrics (got runtime ${runtimeKind}, expected runtime cloudRun; for gke or external use a prometheus, cloudMonitoring or uptime indicator)`);
      }
    }
    // What the evaluator placement picks can take: Cloud Monitoring's goal limit, PromQL's lack of calendar periods.
    const kind = indicatorKind(indicator);
    const source = sliSource(kind, endpointChecker(settings));
    const windowMs = isCalendarWindow(slo.window) ? undefined : sloWindowDays(slo) * DAY_MS;
    for (const problem of capabilityProblems(sloEvaluator(kind, settings), { kind, source, objective: slo.objective, calendar: isCalendarWindow(slo.window), ...(windowMs !== undefined ? { windowMs } : {}) }, slo.window)) {
      // A calendar window on a prometheus indicator is refused by the contract's shape check already.
      if (problem.path === "window" && kind === "prometheus") continue;
      add(`${at}.${problem.path}`, problem.message);
    }
    const enabled = sloSeverities(slo, tier);
    const percent = objectiveAsPercent(slo.objective);
    if (percent !== undefined) {
      // A fraction: every budget and tier below would be about a different objective than the one meant.
      add(`${at}.objective`, `invalid value (got ${slo.objective}, expected a percentage: did you mean ${percent} (percent)? Objectives are percentages; ${slo.objective} would allow ${round(100 - slo.objective, 4)} % errors)`);
      return;
    }
    for (const resolved of allSloTiers(slo, spec, settings)) {
      // A tier fitting omits is not provisioned: nothing of it can misfire. Below a day it is refused instead
      // (the sub-day gate below): such a window is taken only with every tier it declares.
      if (!enabled[resolved.severity] || (resolved.omitted !== undefined && !isSubDayWindow(slo.window))) continue;
      if (!resolved.canFire) {
        add(
          `${at}.objective`,
          `burn tier ${resolved.name} can never fire (got objective ${slo.objective}: burn ${resolved.burnRate} × budget ${round(errorBudget(slo.objective), 6)} = ${round(resolved.errorRatioThreshold, 4)} errors per request, more than 100 %; expected an objective above ${lowestFiringObjective(resolved.burnRate)}, or alerting.${resolved.severity}: false)`,
        );
      }
      if (resolved.burnRate < 1) {
        add(
          `${at}.window`,
          `burn tier ${resolved.name} would alert while the SLO is met (got burn rate ${resolved.burnRate} over ${formatDuration(resolved.longWindowMs)} for a ${slo.window ?? `${sloWindowDays(slo)}d`} window; expected a burn rate of at least 1: a longer SLO window, or a tier with a larger budget share or shorter window)`,
        );
      } else if (isSubDayWindow(slo.window)) {
        // Below a day the tiers are taken only when they pass the alert-quality measures; burn < 1 is said above.
        const reasons = alertQualityProblems(resolved);
        if (reasons.length > 0) add(`${at}.window`, subDayTierMessage(slo.window!, resolved, reasons));
      }
    }
  });

  validateOperations(spec, add);
  // The severities the model will raise, from the same builders (tiers switched on and not covered, placement's severities).
  const raised = raisedSeverities({
    slos: (spec.slos ?? []).map((slo) => sloModel(slo, spec, settings)),
    endpoints: (spec.endpoints ?? []).map(() => ({ alertSeverity: tierAlertSeverity(TIER_DEFAULTS[tier].page) })),
    alerts: spec.alerts ?? [],
    logs: { metrics: spec.logs?.metrics ?? [] },
    backup: spec.database?.cloudSql.backups ? { severity: backupSeverity(tier), reportCompletions: spec.database.cloudSql.backups.reportCompletions ?? false } : undefined,
    scaling: spec.scaling && runtimeKind !== "external",
  });

  for (const severity of SEVERITIES) {
    const own = spec.alerting?.[severity];
    own?.forEach((channel, index) => {
      if (!(channel in settings.channels)) add(`alerting.${severity}[${index}]`, unknownChannel(channel, settings.channels, settings.channelsFrom));
    });
    if (raised[severity] && !own && settings.routes[severity].length === 0) {
      add(
        `alerting.${severity}`,
        settings.channelsFrom === "channelIds"
          ? `missing required field (got no ${severity} channels, expected channel names from channelIds for the ${severity} alerts this service raises)`
          : `missing required field (got no ${severity} channels here nor in monitoring-stack:routes.${severity}, expected channel names for the ${severity} alerts this service raises)`,
      );
    }
  }
  // Info is reviewed once a day: none of it may reach a channel that pages.
  const pageChannels = new Set(spec.alerting?.page ?? settings.routes.page);
  (spec.alerting?.info ?? []).forEach((channel, index) => {
    const why = pagingChannel(channel, pageChannels, settings.channels);
    if (why) add(`alerting.info[${index}]`, pagingInInfoRoute(channel, why));
  });
  return problems;
}

function uniqueNames(items: ReadonlyArray<{ name: string; formerly?: string[] }>, path: string, add: (path: string, message: string) => void): void {
  const clashes = nameClashes(items);
  for (const clash of clashes.filter((c) => c.field === "name")) {
    add(`${path}[${clash.index}].name`, `duplicate name (got ${JSON.stringify(clash.name)}, also used by ${path}[${clash.owner}]; expected names unique within the service)`);
  }
  for (const clash of clashes.filter((c) => c.field !== "name")) {
    add(`${path}[${clash.index}].${clash.field}`, `earlier name in use (got ${JSON.stringify(clash.name)}, also used by ${path}[${clash.owner}]; expected a name no other entry has or had)`);
  }
}

interface NameClash {
  /** The entry that repeats a name. */
  index: number;
  /** `name`, or `formerly[j]` for an earlier name. */
  field: string;
  name: string;
  /** The entry that has (or had) the name first; the entry itself when an earlier name is its own name. */
  owner: number;
}

/**
 * Names that collide within one scope (the catalog, or a service's endpoints
 * or SLOs): a current name used twice, or an earlier name that is some
 * entry's current name or another entry's earlier name.
 */
function nameClashes(items: ReadonlyArray<{ name: string; formerly?: readonly string[] | undefined }>): NameClash[] {
  const clashes: NameClash[] = [];
  const current = new Map<string, number>();
  items.forEach((item, index) => {
    const owner = current.get(item.name);
    if (owner !== undefined) clashes.push({ index, field: "name", name: item.name, owner });
    else current.set(item.name, index);
  });
  const earlier = new Map<string, number>();
  items.forEach((item, index) => {
    (item.formerly ?? []).forEach((former, position) => {
      const owner = current.get(former) ?? earlier.get(former);
      if (owner !== undefined) clashes.push({ index, field: `formerly[${position}]`, name: former, owner });
      else earlier.set(former, index);
    });
  });
  return clashes;
}
