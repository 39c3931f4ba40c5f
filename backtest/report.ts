/** The backtest as a person reads it: per SLO the SLI achieved, the budget spent, every episode and what each receiver was sent. */
import { formatDuration } from "../contract/duration";
import { evaluatorLabel } from "../model/evaluators";
import type { BacktestResult, Episode, SloResult } from "./types";

const pct = (x: number) => `${Number((x * 100).toPrecision(4))} %`;

/** "2026-11-10 03:04" from an ISO time. */
export function shortTime(isoTime: string): string {
  return isoTime.replace("T", " ").replace(/(:\d\d)?(\.\d+)?Z$/, (_, seconds: string | undefined) => (seconds && seconds !== ":00" ? seconds : ""));
}

export function episodeLength(episode: Pick<Episode, "start" | "end">, to: string): string {
  const ms = Date.parse(episode.end ?? to) - Date.parse(episode.start);
  return `${formatDuration(Math.round(ms / 1000) * 1000)}${episode.end === null ? ", still firing" : ""}`;
}

/** What the budget figure covers, in words. */
export function coverageText(result: Pick<SloResult, "budgetSpan">): string {
  return result.budgetSpan.wholeWindow
    ? "over its window ending where the history ends"
    : `over the ${formatDuration(Date.parse(result.budgetSpan.to) - Date.parse(result.budgetSpan.from))} of its window that the reported span covers`;
}

/** Budget and SLI in words. */
export function budgetLine(result: SloResult): string {
  if (result.budgetSpent === null || result.achieved === null) return "no event counted: no SLI, no budget spent";
  return `SLI ${Number(result.achieved.toPrecision(6))} %, ${pct(result.budgetSpent)} of one window's error budget spent ${coverageText(result)}`;
}

/** Messages per receiver in words: "sre-pager 4 (2 firing, 2 resolved)". */
export function notificationLine(result: SloResult): string {
  if (result.notifications.length === 0) return "nobody (no receiver its router reaches)";
  return result.notifications.map((n) => `${n.receiver} ${n.count}${n.count > 0 ? ` (${n.firing} firing, ${n.resolved} resolved)` : ""}`).join("; ");
}

export function renderReport(result: BacktestResult, title: string): string {
  const lines: string[] = [];
  if (result.slos.length === 0) lines.push(`${title}: nothing to replay.`);
  else {
    const days = (Date.parse(result.to) - Date.parse(result.from)) / 86_400_000;
    lines.push(`${title}: ${shortTime(result.from)} to ${shortTime(result.to)} UTC (${Number(days.toFixed(2))} d reported; history read from ${shortTime(result.warmUpFrom)} for the longest tier windows)`);
  }
  for (const slo of result.slos) {
    lines.push("", `${slo.service} / ${slo.slo}: ${evaluatorLabel(slo.evaluator)}, ${slo.objective} %, from ${slo.source}`);
    lines.push(`  ${budgetLine(slo)}`);
    if (slo.episodes.length === 0) lines.push("  no alert");
    for (const e of slo.episodes) {
      lines.push(`  ${e.severity.padEnd(6)} ${e.tier.padEnd(14)} ${shortTime(e.start)} to ${e.end === null ? "the end" : shortTime(e.end)} (${episodeLength(e, result.to)})${e.firingAtStart ? ", firing when the span began" : ""}`);
    }
    lines.push(`  notifications: ${notificationLine(slo)}`);
    if (slo.approximate) lines.push(`  approximate: ${slo.approximate}`);
    if (slo.notVerified) lines.push(`  not verified: ${slo.notVerified}`);
  }
  if (result.notEvaluated.length > 0) {
    lines.push("", "Not evaluated:");
    for (const n of result.notEvaluated) lines.push(`  ${n.service} / ${n.slo} (${evaluatorLabel(n.evaluator)}): ${n.reason}`);
  }
  return `${lines.join("\n")}\n`;
}
