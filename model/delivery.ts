/**
 * How each severity reaches people: pages and tickets as they happen (a page
 * repeats every hour while it fires, a ticket every day); info alerts as a
 * daily digest, never paging. Alertmanager and Grafana-managed alerting group
 * a service's info alerts for a day and send them in one notification; each
 * info alert keeps firing for a day after its condition clears, so the digest
 * lists everything that happened that day, including what lasted a minute.
 * Cloud Monitoring has no digest: see {@link CLOUD_MONITORING_INFO}.
 */
import { SEVERITIES, type Severity } from "../contract/serviceSchema";

export interface Delivery {
  /** How long a new group of alerts waits before its first notification. */
  groupWait: string;
  /** How long a group waits before it notifies of alerts added to it. */
  groupInterval: string;
  /** How long before a notification is sent again for alerts still firing. */
  repeatInterval: string;
  /** Labels a notification groups alerts by; absent: the route's default (alert name, service, SLO, severity). */
  groupBy?: string[];
  /** How long an alert keeps firing after its condition clears (Prometheus `keep_firing_for`), so the digest sees it. */
  keepFiringFor?: string;
}

/** The day a digest covers. */
export const DIGEST_PERIOD = "24h";

export const DELIVERY: Readonly<Record<Severity, Delivery>> = {
  page: { groupWait: "30s", groupInterval: "5m", repeatInterval: "1h" },
  ticket: { groupWait: "30s", groupInterval: "5m", repeatInterval: "24h" },
  // One notification per service per day: every info alert of the service in one group, sent a day after the group's first.
  info: { groupWait: DIGEST_PERIOD, groupInterval: DIGEST_PERIOD, repeatInterval: DIGEST_PERIOD, groupBy: ["service", "severity"], keepFiringFor: DIGEST_PERIOD },
};

/**
 * Cloud Monitoring sends one notification per incident, as it opens (and as it
 * closes): it has no digest. Its info alerts (completed backups, log-based
 * metrics of severity info) are policies of the lowest severity it has
 * (WARNING) with the label severity=info, routed only to the info channels,
 * and auto-closed after a day, so one event opens one incident a day at most.
 */
export const CLOUD_MONITORING_INFO = {
  severity: "WARNING",
  autoCloseSeconds: 86_400,
} as const;

/** How a severity's notifications arrive, in words, per evaluator, for the plan summary. */
export function deliveryText(severity: Severity): string {
  const d = DELIVERY[severity];
  if (severity === "info") {
    return `info: through Alertmanager or Grafana, one digest per service a day (a day's info alerts grouped for ${d.groupWait}, each kept firing ${d.keepFiringFor} so the digest lists it); Cloud Monitoring has no digest: its info policies notify per incident, completed backups at most once a day`;
  }
  return `${severity}: as it fires, repeated every ${d.repeatInterval} while it does`;
}

/** The severities, in the order routes list them. */
export const ROUTED_SEVERITIES: readonly Severity[] = SEVERITIES;
