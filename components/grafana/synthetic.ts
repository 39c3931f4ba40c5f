/**
 * Grafana Cloud Synthetic Monitoring checks, as plain data: one HTTP check
 * per endpoint the stack checks there, with the endpoint's period as the
 * check frequency, its timeout, expected status and body, and the probes
 * its regions stand for. What Synthetic Monitoring cannot honour is refused
 * with the reason before anything is created.
 */
import type * as grafana from "@pulumiverse/grafana";
import { formatDuration } from "../../contract/duration";
import type { SyntheticCheckModel, SyntheticEndpoint } from "../../model/types";
import { MIN_SYNTHETIC_PROBES } from "../../model/service";

/**
 * Synthetic Monitoring's bounds for an HTTP check, both in milliseconds, as
 * its API validates them (grafana/synthetic-monitoring-agent
 * pkg/pb/synthetic_monitoring/checks_extra.go, `validateFrequency` and
 * `validateTimeout`): frequency 1 s to 1 h; timeout 1 s to the smaller of the
 * frequency and 60 s (`maxCheckTimeout`; the 180 s the provider's docs name is
 * for scripted, MultiHTTP and browser checks only), so a run ends before the
 * next one starts.
 */
export const SM_LIMITS = { minFrequencyMs: 1_000, maxFrequencyMs: 3_600_000, minTimeoutMs: 1_000, maxTimeoutMs: 60_000 } as const;

/** The longest timeout Synthetic Monitoring accepts for an HTTP check run every `frequencyMs`. */
export function maxHttpTimeoutMs(frequencyMs: number): number {
  return Math.min(frequencyMs, SM_LIMITS.maxTimeoutMs);
}

/** Why Synthetic Monitoring cannot check an endpoint as declared; empty when it can. */
export function syntheticProblems(endpoint: SyntheticEndpoint): string[] {
  const problems: string[] = [];
  const { periodMs, timeoutMs } = endpoint;
  if (periodMs < SM_LIMITS.minFrequencyMs || periodMs > SM_LIMITS.maxFrequencyMs) {
    problems.push(`period ${formatDuration(periodMs)} is outside Synthetic Monitoring's frequencies (1s to 1h)`);
  }
  if (timeoutMs < SM_LIMITS.minTimeoutMs || timeoutMs > SM_LIMITS.maxTimeoutMs) {
    problems.push(`timeout ${formatDuration(timeoutMs)} is outside Synthetic Monitoring's HTTP timeouts (1s to 60s)`);
  }
  if (timeoutMs > periodMs) problems.push(`timeout ${formatDuration(timeoutMs)} is longer than the period ${formatDuration(periodMs)}`);
  if (endpoint.syntheticMonitoring.probes.length < MIN_SYNTHETIC_PROBES) {
    problems.push(
      `its regions ${endpoint.regions.join(", ")} stand for ${endpoint.syntheticMonitoring.probes.length} probe (${endpoint.syntheticMonitoring.probes.join(", ") || "none"}); the uptime alert needs failures on more than one probe, so it could never fire: list more probes for these regions in monitoring-stack:grafana.syntheticMonitoring.probes, or more regions`,
    );
  }
  return problems;
}

/** A regular expression matching the literal text (the check fails when the body does not match it). */
export function literalRegexp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Probe ids for the check's probe names, from what getProbes lists; an
 * unknown name is refused with the names there are.
 */
export function probeIds(check: Pick<SyntheticCheckModel, "job" | "probes">, available: Readonly<Record<string, number>>): number[] {
  const unknown = check.probes.filter((probe) => available[probe] === undefined);
  if (unknown.length > 0) {
    throw new Error(
      `Synthetic Monitoring check ${check.job}: unknown probe ${unknown.join(", ")} (expected one of the probes this Synthetic Monitoring stack lists: ${Object.keys(available).sort().join(", ") || "none"}); fix monitoring-stack:grafana.syntheticMonitoring.probes`,
    );
  }
  return check.probes.map((probe) => available[probe]!);
}

/** The HTTP check of an endpoint, in the provider's input shape, given its probe ids. */
export function syntheticCheckArgs<P>(endpoint: SyntheticEndpoint, probes: P): Omit<grafana.syntheticmonitoring.CheckArgs, "probes"> & { probes: P } {
  const check = endpoint.syntheticMonitoring;
  return {
    job: check.job,
    target: check.target,
    enabled: true,
    frequency: endpoint.periodMs,
    timeout: endpoint.timeoutMs,
    probes,
    // Alerts are ours (components/prometheus/rules.ts uptimeAlert), routed by the stack's policy tree: none of Synthetic Monitoring's own.
    alertSensitivity: "none",
    // probe_success and probe_all_success_sum/_count are among the basic metrics.
    basicMetricsOnly: true,
    settings: {
      http: {
        method: "GET",
        ...(endpoint.useSsl ? { failIfNotSsl: true } : {}),
        ...(endpoint.statusCodes.length > 0 ? { validStatusCodes: [...endpoint.statusCodes] } : {}),
        ...(endpoint.contains !== undefined ? { failIfBodyNotMatchesRegexps: [literalRegexp(endpoint.contains)] } : {}),
      },
    },
  };
}
