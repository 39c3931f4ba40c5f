/**
 * Uptime checks: every check runs from at least three locations, critical-tier
 * checks go over https, and every critical-tier service with uptime checks has
 * one that runs at least every minute.
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { TYPE, durationSeconds, isCriticalTier, labelsOf, owner, type ResourceLike, type StackResource } from "./support";

export interface UptimeCoverageConfig {
  /** Fewest checker locations a check may run from. */
  minLocations: number;
}

/** Checker locations per region: USA holds three, every other region one. */
const LOCATIONS: Record<string, number> = { USA: 3 };

export const uptimeCoverage: ResourceValidationPolicy = {
  name: "uptime-coverage",
  description: "Uptime checks run from at least three locations; critical-tier checks run over https.",
  enforcementLevel: "mandatory",
  configSchema: { properties: { minLocations: { type: "integer", default: 3, description: "Fewest checker locations." } } },
  validateResource: (args, report) => checkUptimeCoverage(args, args.getConfig<UptimeCoverageConfig>(), report),
};

export function checkUptimeCoverage(resource: ResourceLike, config: UptimeCoverageConfig, report: (message: string) => void): void {
  if (resource.type !== TYPE.uptimeCheck) return;
  const props = resource.props;
  const name = `${owner(resource)}: uptime check "${String(props["displayName"])}"`;
  const regions = props["selectedRegions"];
  if (Array.isArray(regions) && regions.length > 0) {
    const locations = regions.reduce((sum: number, region: unknown) => sum + (LOCATIONS[String(region)] ?? 1), 0);
    if (locations < config.minLocations) report(`${name} runs from ${locations} location(s) (${regions.join(", ")}); expected at least ${config.minLocations}.`);
  }
  const http = props["httpCheck"] as { useSsl?: boolean } | undefined;
  if (isCriticalTier(props) && http && http.useSsl !== true) report(`${name} is on the critical tier but checks over plain http; expected https.`);
}

export interface CriticalCheckedConfig {
  /** Longest period of a critical-tier service's fastest check, in seconds. */
  maxPeriodSeconds: number;
}

export const criticalCheckedEveryMinute: StackValidationPolicy = {
  name: "critical-checked-every-minute",
  description: "Every critical-tier service with uptime checks has at least one that runs every 60 s or more often.",
  enforcementLevel: "mandatory",
  configSchema: { properties: { maxPeriodSeconds: { type: "integer", default: 60, description: "Longest period of the fastest check." } } },
  validateStack: (args, report) => checkCriticalChecked(args.resources, args.getConfig<CriticalCheckedConfig>(), report),
};

export function checkCriticalChecked(resources: readonly StackResource[], config: CriticalCheckedConfig, report: (message: string, urn?: string) => void): void {
  const byService = new Map<string, StackResource[]>();
  for (const check of resources.filter((r) => r.type === TYPE.uptimeCheck && isCriticalTier(r.props))) {
    const service = labelsOf(check.props)["service"] ?? check.name;
    byService.set(service, [...(byService.get(service) ?? []), check]);
  }
  for (const [service, checks] of byService) {
    const periods = checks.map((check) => durationSeconds(check.props["period"]));
    if (periods.some((period) => period === undefined)) continue;
    const fastest = Math.min(...(periods as number[]));
    if (fastest > config.maxPeriodSeconds) {
      report(`service ${service}: critical tier, but its fastest uptime check runs every ${fastest}s; expected one every ${config.maxPeriodSeconds}s or more often.`, checks[0]!.urn);
    }
  }
}
