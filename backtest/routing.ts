/**
 * Notifications after routing: what each receiver is sent for an SLO's
 * alerts. Alertmanager (and Grafana's, which works the same) groups alerts by
 * alertname, service, SLO and severity; a group's first notification waits
 * `group_wait`, later ones go out at `group_interval` ticks when an alert
 * started or resolved, and an unchanged group is sent again after the
 * severity's `repeat_interval` (the dedup rules of Alertmanager's
 * notification log); a firing page mutes the SLO's burn-rate tickets
 * (Alertmanager's inhibit rule; Grafana has none). Cloud Monitoring notifies
 * every channel of a tier's policy when an incident opens and when it closes.
 */
import { parseDuration } from "../contract/duration";
import type { BurnSeverity } from "../contract/serviceSchema";
import { GROUP_TIMING } from "../components/prometheus/alertmanager";
import { DELIVERY } from "../model/delivery";
import { BURN_ALERT, type AlertTimeline } from "./alerts";
import type { Notification, ReplaySlo, Router } from "./types";

export interface RouteTiming {
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatMs: Record<BurnSeverity, number>;
}

/** The timings of the routes the plan writes (components/prometheus/alertmanager.ts; Grafana's policy tree uses the same). */
export const ROUTE_TIMING: RouteTiming = {
  groupWaitMs: parseDuration(GROUP_TIMING.group_wait)!,
  groupIntervalMs: parseDuration(GROUP_TIMING.group_interval)!,
  repeatMs: { page: parseDuration(DELIVERY.page.repeatInterval)!, ticket: parseDuration(DELIVERY.ticket.repeatInterval)! },
};

/** Who routes an evaluator's alerts. */
export function routerOf(slo: Pick<ReplaySlo, "evaluator">): Router {
  return slo.evaluator === "prometheus" ? "alertmanager" : slo.evaluator === "grafana" ? "grafana" : "cloudMonitoring";
}

/** A message sent for one group: whether anything in it was firing. */
export interface Sent {
  at: number;
  firing: boolean;
}

interface GroupAlert {
  id: string;
  /** A burn-rate ticket, which a firing page of the same SLO mutes. */
  inhibitable: boolean;
  spans: { start: number; end?: number }[];
}

const firingAt = (alert: GroupAlert, t: number) => alert.spans.some((s) => s.start <= t && (s.end === undefined || t < s.end));

/**
 * One aggregation group replayed through Alertmanager's dispatcher and
 * notification log (dispatch.go, notify.go DedupStage.needsUpdate): the
 * messages one receiver gets.
 */
export function groupNotifications(alerts: readonly GroupAlert[], repeatMs: number, timing: RouteTiming, mutedAt: (t: number) => boolean, endMs: number): Sent[] {
  const sent: Sent[] = [];
  const arrivals = alerts.flatMap((a) => a.spans.map((s) => ({ at: s.start, id: a.id }))).sort((x, y) => x.at - y.at);
  let entry: { firing: Set<string>; resolved: Set<string>; at: number } | undefined;
  let next = 0;
  while (next < arrivals.length) {
    // A group starts with an alert that fires; its first flush waits group_wait.
    const members = new Set<string>();
    let flush = arrivals[next]!.at + timing.groupWaitMs;
    for (;;) {
      while (next < arrivals.length && arrivals[next]!.at <= flush) members.add(arrivals[next++]!.id);
      if (flush > endMs) return sent;
      const present = alerts.filter((a) => members.has(a.id) && !(a.inhibitable && mutedAt(flush)));
      const firing = new Set(present.filter((a) => firingAt(a, flush)).map((a) => a.id));
      const resolved = new Set(present.filter((a) => !firingAt(a, flush)).map((a) => a.id));
      if (present.length > 0 && needsUpdate(entry, firing, resolved, repeatMs, flush)) {
        sent.push({ at: flush, firing: firing.size > 0 });
        entry = { firing, resolved, at: flush };
      }
      // Resolved alerts leave the group once flushed; an empty group is removed.
      for (const a of alerts) if (members.has(a.id) && !firingAt(a, flush)) members.delete(a.id);
      if (members.size === 0) break;
      flush += timing.groupIntervalMs;
    }
  }
  return sent;
}

/** Alertmanager's DedupStage.needsUpdate, with send_resolved on (every receiver the plan writes sets it). */
function needsUpdate(entry: { firing: Set<string>; resolved: Set<string>; at: number } | undefined, firing: Set<string>, resolved: Set<string>, repeatMs: number, now: number): boolean {
  if (!entry) return firing.size > 0;
  if (![...firing].every((id) => entry.firing.has(id))) return true;
  if (firing.size === 0) return entry.firing.size > 0;
  if (![...resolved].every((id) => entry.resolved.has(id))) return true;
  return entry.at < now - repeatMs;
}

/** Messages per receiver for one SLO's alerts, counting those sent within [from, to]. */
export function notifications(slo: ReplaySlo, alerts: readonly AlertTimeline[], from: number, to: number, timing: RouteTiming = ROUTE_TIMING): Notification[] {
  const router = routerOf(slo);
  const perSeverity: Record<BurnSeverity, { firing: number; resolved: number }> = { page: { firing: 0, resolved: 0 }, ticket: { firing: 0, resolved: 0 } };
  const count = (severity: BurnSeverity, list: readonly Sent[]) => {
    for (const s of list) if (s.at >= from && s.at <= to) perSeverity[severity][s.firing ? "firing" : "resolved"]++;
  };
  if (router === "cloudMonitoring") {
    // One policy per tier: a message when an incident opens and one when it closes.
    for (const alert of alerts) count(alert.severity, alert.firing.flatMap((s) => [{ at: s.start, firing: true }, ...(s.end !== undefined ? [{ at: s.end, firing: false }] : [])]));
  } else {
    const pages = alerts.filter((a) => a.alertname === BURN_ALERT && a.severity === "page");
    const mutedAt = (t: number) => router === "alertmanager" && pages.some((p) => firingAt({ id: "", inhibitable: false, spans: p.firing }, t));
    const groups = new Map<string, { severity: BurnSeverity; members: GroupAlert[] }>();
    for (const alert of alerts) {
      const key = `${alert.alertname}/${alert.severity}`;
      if (!groups.has(key)) groups.set(key, { severity: alert.severity, members: [] });
      groups.get(key)!.members.push({ id: alert.tier, inhibitable: alert.alertname === BURN_ALERT && alert.severity === "ticket", spans: alert.firing });
    }
    for (const { severity, members } of groups.values()) count(severity, groupNotifications(members, timing.repeatMs[severity], timing, mutedAt, to));
  }
  return (["page", "ticket"] as const).flatMap((severity) =>
    slo.receivers[severity].map((receiver) => {
      const { firing, resolved } = perSeverity[severity];
      return { receiver, severity, count: firing + resolved, firing, resolved };
    }),
  );
}
