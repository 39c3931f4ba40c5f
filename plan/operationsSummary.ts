/**
 * The operations part of a service's plan summary: how long its logs are
 * kept and where they go, how its database is backed up, how it scales and
 * when saturation alerts fire.
 */
import { describeSchedule } from "../model/backups";
import { describeDestination } from "../model/logs";
import { describeScaling, saturationThresholds } from "../model/scaling";
import type { ServiceModel } from "../model/types";
import { formatDuration } from "../contract/duration";

/** Markdown lines, or nothing when the service declares no logs, backups or scaling. */
export function operationsSection(service: ServiceModel): string[] {
  const lines: string[] = [];
  const { logs, backup, scaling } = service;
  if (logs) {
    lines.push(
      `- **Logs**: kept ${logs.retentionDays} days in log bucket \`${logs.bucketId}\` (a copy: the project's \`_Default\` bucket still stores and bills them)` +
        (logs.exclusions.length ? "; health-check requests kept out of this bucket and the exports below, but not out of `_Default` unless the project excludes them there" : ""),
    );
    for (const sink of logs.sinks) lines.push(`  - sink ${sink.name} → ${describeDestination(sink.destination)}`);
    for (const metric of logs.metrics) {
      const where = metric.alertIn === "loki" ? ` (Grafana alert rule on Loki: \`${metric.logql}\`; no Cloud Monitoring alert)` : "";
      const alert = metric.alert ? `; ${metric.alert.severity} when more than ${metric.alert.above} per ${formatDuration(metric.alert.perMs)}${where}` : "; no alert";
      lines.push(`  - log-based metric \`${metric.metricId}\`${alert}`);
    }
  }
  if (backup) {
    lines.push(
      `- **Backups** of Cloud SQL \`${backup.instance}\` (${backup.region}) by Backup and DR (enhanced backups; Cloud SQL's own automated backups are off): ` +
        `${describeSchedule(backup)}, kept ${backup.retentionDays} days in vault \`${backup.vaultId}\`, which locks each backup against deletion for ${backup.vaultMinimumRetentionDays} days; ` +
        (backup.pointInTimeRecovery
          ? `point-in-time recovery from ${backup.logRetentionDays} days of transaction logs kept by Backup and DR, which the instance writes only with its own point-in-time recovery on: not set by this stack, check the instance (docs/operations.md#point-in-time-recovery); `
          : "no point-in-time recovery (no transaction logs kept); ") +
        `${backup.severity} on a job that ends without success, or when no backup has succeeded for ${formatDuration(backup.lateAfterMs)} (counted from when the plan is attached)`,
    );
  }
  if (scaling) {
    const where = service.runtime.kind === "gke" ? "HorizontalPodAutoscaler" + (scaling.disruptionBudget ? " and PodDisruptionBudget (1 pod at a time)" : "") : "scaling block for the team's own Cloud Run deployment (cloudRunScaling)";
    lines.push(`- **Scaling**: ${describeScaling(scaling)} — ${where}`);
    lines.push(`  - saturation tickets: ${saturationThresholds(service.runtime, scaling).map((threshold) => threshold.title).join("; ")}`);
  }
  return lines.length ? ["### Operations", lines.join("\n")] : [];
}
