/**
 * Renames made without `formerly`: a service, an SLO or an endpoint removed
 * and another added that measures the same thing (the same uptime URL, the
 * same indicator). The added one starts with no history and the removed one's
 * resources are deleted or left behind; the hint names the `formerly` line
 * that keeps them instead.
 */
import type { PlannedResource } from "./mockRuntime";
import type { RecordedService, RecordedSlo } from "./planRecord";

const UPTIME_CHECK_TYPE = "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig";
const SYNTHETIC_CHECK_TYPE = "grafana:syntheticMonitoring/check:Check";

export interface LikelyRename {
  /** "service", "SLO" or "endpoint". */
  kind: string;
  removed: string;
  added: string;
  /** What both measure. */
  same: string;
  /** Where to write the line, and the line. */
  write: string;
}

/** An endpoint as its uptime check shows it: service, endpoint and URL. */
interface CheckedEndpoint {
  service: string;
  endpoint: string;
  url: string;
}

/** The endpoint an uptime check (Cloud Monitoring or Synthetic Monitoring) checks, if the resource is one. */
export function checkedEndpoint(resource: PlannedResource): CheckedEndpoint | undefined {
  if (resource.type === UPTIME_CHECK_TYPE) {
    const labels = (resource.inputs["userLabels"] ?? {}) as Record<string, string>;
    const http = (resource.inputs["httpCheck"] ?? {}) as { path?: string; port?: number; useSsl?: boolean };
    const host = ((resource.inputs["monitoredResource"] ?? {}) as { labels?: Record<string, string> }).labels?.["host"];
    if (!labels["service"] || !labels["endpoint"] || !host) return undefined;
    const scheme = http.useSsl ? "https" : "http";
    const port = http.port === undefined || http.port === (http.useSsl ? 443 : 80) ? "" : `:${http.port}`;
    return { service: labels["service"], endpoint: labels["endpoint"], url: `${scheme}://${host}${port}${http.path ?? "/"}` };
  }
  if (resource.type === SYNTHETIC_CHECK_TYPE) {
    // job: [environment/]service/endpoint, by the names the resources keep.
    const parts = String(resource.inputs["job"] ?? "").split("/");
    if (parts.length < 2 || typeof resource.inputs["target"] !== "string") return undefined;
    return { service: parts[parts.length - 2]!, endpoint: parts[parts.length - 1]!, url: resource.inputs["target"] };
  }
  return undefined;
}

const formerlyLine = (entry: { name: string; formerly: readonly string[] }) => `formerly: [${[...entry.formerly, entry.name].join(", ")}]`;

/**
 * Likely renames without `formerly`, from the services each plan records
 * (paired by name and `formerly`) and the uptime checks removed and added.
 */
export function likelyRenames(
  services: readonly { before?: RecordedService; after?: RecordedService }[],
  removed: readonly PlannedResource[],
  added: readonly PlannedResource[],
  sloPairs: (before: readonly RecordedSlo[], after: readonly RecordedSlo[]) => { before?: RecordedSlo; after?: RecordedSlo }[],
): LikelyRename[] {
  const hints: LikelyRename[] = [];
  const gone = removed.map(checkedEndpoint).filter((e): e is CheckedEndpoint => e !== undefined);
  const come = added.map(checkedEndpoint).filter((e): e is CheckedEndpoint => e !== undefined);
  const removedServices = new Map(services.filter((s) => s.before && !s.after).map((s) => [s.before!.name, s.before!]));
  const addedServices = new Map(services.filter((s) => s.after && !s.before).map((s) => [s.after!.name, s.after!]));
  const renamedServices = new Set<string>();

  for (const now of come) {
    const was = gone.find((e) => e.url === now.url && (e.service === now.service || (removedServices.has(e.service) && addedServices.has(now.service))));
    if (!was) continue;
    if (was.service !== now.service) {
      if (!renamedServices.has(now.service)) {
        renamedServices.add(now.service);
        const before = removedServices.get(was.service)!;
        hints.push({ kind: "service", removed: was.service, added: now.service, same: `endpoint URL ${now.url}`, write: `at the top of ${now.service}'s declaration: \`${formerlyLine(before)}\`` });
      }
      if (was.endpoint === now.endpoint) continue;
    }
    hints.push({
      kind: "endpoint",
      removed: `${was.service} / ${was.endpoint}`,
      added: `${now.service} / ${now.endpoint}`,
      same: `URL ${now.url}`,
      write: `in endpoint ${now.endpoint}: \`formerly: [${was.endpoint}]\``,
    });
  }

  for (const { before, after } of services) {
    if (!before || !after) continue;
    const pairs = sloPairs(before.slos, after.slos);
    const dropped = pairs.filter((p) => p.before && !p.after).map((p) => p.before!);
    for (const pair of pairs.filter((p) => p.after && !p.before)) {
      const now = pair.after!;
      const was = dropped.find((slo) => slo.sli === now.sli);
      if (!was) continue;
      dropped.splice(dropped.indexOf(was), 1);
      hints.push({ kind: "SLO", removed: `${before.name} / ${was.name}`, added: `${after.name} / ${now.name}`, same: `indicator ${now.indicator}`, write: `in SLO ${now.name}: \`${formerlyLine(was)}\`` });
    }
  }
  return hints;
}
