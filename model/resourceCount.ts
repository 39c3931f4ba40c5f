/**
 * How many of each limited Google Cloud resource a service (and a stack)
 * creates, counted from the model alone, so a stack can be refused before
 * anything is registered. The rules mirror the components in components/gcp;
 * a test checks them against the resources an offline plan records.
 */
import { SEVERITIES } from "../contract/serviceSchema";
import type { ServiceModel } from "./types";
import type { ItemLimitId, ProjectLimitId } from "./googleLimits";
import { endpointsCheckedBy, slosEvaluatedBy } from "./placement";

/** Resources counted against a project's (or its metrics scope's) limits. */
export type ProjectCounts = Record<ProjectLimitId, number>;

/** The largest single item (service, policy, sink) for each per-item limit, and where it is. */
export type ItemCounts = Record<ItemLimitId, { count: number; where: string }>;

export function emptyCounts(): ProjectCounts {
  return { uptimeChecks: 0, alertPolicies: 0, notificationChannels: 0, logBuckets: 0, logSinks: 0, logMetrics: 0 };
}

export function addCounts(a: ProjectCounts, b: ProjectCounts): ProjectCounts {
  const sum = emptyCounts();
  for (const key of Object.keys(sum) as ProjectLimitId[]) sum[key] = a[key] + b[key];
  return sum;
}

/** Saturation alert policies: CPU, memory, instances on Cloud Run and GKE, plus p95 latency on Cloud Run with a latency SLO. */
export function saturationPolicyCount(service: ServiceModel): number {
  if (!service.scaling) return 0;
  switch (service.runtime.kind) {
    case "cloudRun":
      return 3 + (service.scaling.latencyThresholdMs !== undefined ? 1 : 0);
    case "gke":
      return 3;
    case "external":
      return 0;
  }
}

/** Burn-rate alert policies: one per tier of each SLO Cloud Monitoring evaluates. */
export function burnRatePolicyCount(service: ServiceModel): number {
  return slosEvaluatedBy(service, "cloudMonitoring").reduce((sum, slo) => sum + slo.tiers.length, 0);
}

/** What one service creates in its stack's project. */
export function serviceCounts(service: ServiceModel): ProjectCounts {
  const logs = service.logs;
  const alertingLogMetrics = logs?.metrics.filter((metric) => metric.alert && metric.alertIn !== "loki").length ?? 0; // a Loki-evaluated alert has no Cloud Monitoring policy
  // Endpoints Synthetic Monitoring checks have neither a Cloud Monitoring check nor a policy.
  const cloudChecks = endpointsCheckedBy(service, "cloudMonitoring").length;
  return {
    uptimeChecks: cloudChecks,
    alertPolicies:
      cloudChecks + // one "failing uptime checks" policy per check
      burnRatePolicyCount(service) +
      alertingLogMetrics +
      (service.backup ? (service.backup.reportCompletions ? 3 : 2) : 0) + // backup failed, backup late, backup completed
      saturationPolicyCount(service),
    notificationChannels: 0,
    logBuckets: logs ? 1 : 0,
    logSinks: logs ? 1 + logs.sinks.length : 0, // the sink into the service's bucket, then each export
    logMetrics: (logs?.metrics.length ?? 0) + (service.backup ? 1 : 0), // the backup success counter
  };
}

/** The largest per-item figures of a set of services. */
export function itemCounts(services: readonly ServiceModel[]): ItemCounts {
  const items: ItemCounts = {
    slosPerService: { count: 0, where: "" },
    conditionsPerPolicy: { count: 0, where: "" },
    channelsPerPolicy: { count: 0, where: "" },
    exclusionsPerSink: { count: 0, where: "" },
  };
  const raise = (id: ItemLimitId, count: number, where: string) => {
    if (count > items[id].count) items[id] = { count, where };
  };
  for (const service of services) {
    raise("slosPerService", slosEvaluatedBy(service, "cloudMonitoring").length, `service ${service.name}`);
    // Burn-rate policies hold two conditions (long and short window, AND); every other policy one.
    raise("conditionsPerPolicy", burnRatePolicyCount(service) > 0 ? 2 : serviceCounts(service).alertPolicies > 0 ? 1 : 0, `alert policies of ${service.name}`);
    const policies = serviceCounts(service).alertPolicies;
    if (policies > 0) {
      for (const severity of SEVERITIES) raise("channelsPerPolicy", service.routes[severity].length, `${severity} policies of ${service.name}`);
    }
    if (service.logs) raise("exclusionsPerSink", service.logs.exclusions.length, `log sinks of ${service.name}`);
  }
  return items;
}

/** What a stack creates in its project: every service's resources plus the channels it defines there. */
export function stackCounts(services: readonly ServiceModel[], channelsCreated: number): ProjectCounts {
  return services.reduce((sum, service) => addCounts(sum, serviceCounts(service)), { ...emptyCounts(), notificationChannels: channelsCreated });
}
