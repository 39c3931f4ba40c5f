/**
 * The plan diff's "On the last N days of traffic": the SLOs a change touches,
 * replayed on the team's own history as the base plan and as the head plan
 * would have alerted, side by side: budget spent, the SLI, notifications per
 * receiver after routing, and the episodes that appear or vanish. The plans
 * are replayed as data (their service records), so the code that runs the
 * replay need not be the pull request's.
 */
import { isDeepStrictEqual } from "node:util";
import type { Severity } from "../contract/serviceSchema";
import { evaluatorLabel } from "../model/evaluators";
import type { History } from "../backtest/history";
import { backtest } from "../backtest/run";
import { coverageText, episodeLength, shortTime } from "../backtest/report";
import type { BacktestResult, Episode, ReplaySlo, SloResult } from "../backtest/types";
import { replayFromRecord } from "./replayRecord";
import { recordedEvaluator, type RecordedService, type RecordedSlo } from "./planRecord";
import type { PlanDocument } from "./runPlan";

/** History for the section: what the backtest reads, and how many days to report (default: all after the warm-up). */
export interface DiffHistory {
  history: History;
  days?: number;
}

interface Touched {
  label: string;
  before?: { service: RecordedService; slo: RecordedSlo };
  after?: { service: RecordedService; slo: RecordedSlo };
}

const renamedFrom = (x: { name: string; formerly: readonly string[] }, y: { name: string; formerly: readonly string[] }) => x.name === y.name || y.formerly.includes(x.name);

/** SLOs whose record differs between the plans (added, removed, or anything the replay reads changed). */
export function touchedSlos(base: PlanDocument, head: PlanDocument): Touched[] {
  const out: Touched[] = [];
  const used = new Set<RecordedSlo>();
  const baseServices = base.services ?? [];
  for (const service of head.services ?? []) {
    const was = baseServices.find((s) => renamedFrom(s, service));
    for (const slo of service.slos) {
      const old = was?.slos.find((s) => !used.has(s) && renamedFrom(s, slo));
      if (old) used.add(old);
      const label = `${service.name} / ${slo.name}`;
      if (!old) out.push({ label, after: { service, slo } });
      else if (!isDeepStrictEqual({ ...old, name: "", formerly: [] }, { ...slo, name: "", formerly: [] })) out.push({ label, before: { service: was!, slo: old }, after: { service, slo } });
    }
  }
  for (const service of baseServices) {
    for (const slo of service.slos) if (!used.has(slo)) out.push({ label: `${service.name} / ${slo.name}`, before: { service, slo } });
  }
  return out;
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
const row = (cells: readonly string[]) => `| ${cells.map(cell).join(" | ")} |`;
const table = (head: readonly string[], rows: readonly (readonly string[])[]) => [row(head), row(head.map(() => "---")), ...rows.map(row)].join("\n");
const percent = (x: number | null | undefined) => (x === null || x === undefined ? "—" : `${Number((x * 100).toPrecision(3))} %`);

function episodeText(e: Episode, to: string): string {
  return `${shortTime(e.start)} to ${e.end === null ? "the end" : shortTime(e.end)} (${episodeLength(e, to)})`;
}

/** Episodes side by side: the same tier overlapping in time is one episode (moved, when its start differs); the rest appear or vanish. */
export function episodeRows(before: readonly Episode[], after: readonly Episode[], to: string): string[][] {
  const end = (e: Episode) => Date.parse(e.end ?? to);
  const overlaps = (a: Episode, b: Episode) => a.tier === b.tier && Date.parse(a.start) < end(b) && Date.parse(b.start) < end(a);
  const used = new Set<Episode>();
  const rows: { at: string; cells: string[] }[] = [];
  for (const e of after) {
    const was = before.find((b) => !used.has(b) && overlaps(b, e));
    if (was) {
      used.add(was);
      if (was.start !== e.start || was.end !== e.end) rows.push({ at: e.start, cells: [`${e.severity} ${e.tier}`, episodeText(was, to), `${episodeText(e, to)}: moved`] });
    } else rows.push({ at: e.start, cells: [`${e.severity} ${e.tier}`, "—", `${episodeText(e, to)}: appears`] });
  }
  for (const b of before) if (!used.has(b)) rows.push({ at: b.start, cells: [`${b.severity} ${b.tier}`, `${episodeText(b, to)}: vanishes`, "—"] });
  return rows.sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0)).map((r) => r.cells);
}

function countEpisodes(result: SloResult | undefined): string {
  if (!result) return "—";
  const by = (severity: Severity) => result.episodes.filter((e) => e.severity === severity).length;
  return `${by("page")} page, ${by("ticket")} ticket`;
}

function receiverRows(before: SloResult | undefined, after: SloResult | undefined): string[][] {
  const keys = [...new Set([...(before?.notifications ?? []), ...(after?.notifications ?? [])].map((n) => `${n.receiver} (${n.severity})`))];
  const count = (result: SloResult | undefined, key: string) => {
    if (!result) return "—";
    const n = result.notifications.find((x) => `${x.receiver} (${x.severity})` === key);
    return n ? String(n.count) : "not notified";
  };
  return keys.map((key) => [`notifications to ${key}`, count(before, key), count(after, key)]);
}

/** The section, from the plans and the history; throws BacktestInputError when the history cannot be read for them. */
export function historySection(base: PlanDocument, head: PlanDocument, input: DiffHistory): string[] {
  const touched = touchedSlos(base, head);
  if (touched.length === 0) return [`## On the last ${input.days ?? "N"} days of traffic`, "No SLO changes: nothing to replay."];
  const sides = { before: [] as ReplaySlo[], after: [] as ReplaySlo[] };
  const notes: string[] = [];
  for (const t of touched) {
    for (const side of ["before", "after"] as const) {
      const entry = t[side];
      if (!entry) continue;
      const replay = replayFromRecord((side === "before" ? base : head).project, entry.service, entry.slo);
      if (typeof replay === "string") notes.push(`${t.label} (${side === "before" ? "base" : "head"}): not replayed: ${replay}.`);
      else sides[side].push(replay);
    }
  }
  const run = (slos: ReplaySlo[]): BacktestResult | undefined => (slos.length ? backtest(slos, input.history, input.days !== undefined ? { days: input.days } : {}) : undefined);
  const before = run(sides.before);
  const after = run(sides.after);
  const result = (r: BacktestResult | undefined, label: string) => r?.slos.find((s) => `${s.service} / ${s.slo}` === label);
  const skipped = (r: BacktestResult | undefined, label: string) => r?.notEvaluated.find((s) => `${s.service} / ${s.slo}` === label);
  const span = after ?? before;
  const days = input.days ?? (span?.from ? Math.round(((Date.parse(span.to) - Date.parse(span.from)) / 86_400_000) * 10) / 10 : "N");
  const out = [`## On the last ${days} days of traffic`];
  if (span && span.from) out.push(`Each SLO the change touches, replayed from ${shortTime(span.from)} to ${shortTime(span.to)} UTC as the base plan and as the head plan would have evaluated and routed its alerts (the backtest: docs/backtest.md).`);
  for (const t of touched) {
    const b = result(before, t.label);
    const a = result(after, t.label);
    const why = [skipped(before, t.label), skipped(after, t.label)].find((s) => s !== undefined);
    const slo = (t.after ?? t.before)!.slo;
    out.push(`### ${t.label} (${evaluatorLabel(recordedEvaluator(slo))})`);
    if (!a && !b) {
      out.push(why ? `Not replayed: ${why.reason}.` : "Not replayed.");
      continue;
    }
    const to = (after ?? before)!.to;
    const rows = [
      ["budget spent", percent(b?.budgetSpent), percent(a?.budgetSpent)],
      ["SLI achieved", b?.achieved != null ? `${Number(b.achieved.toPrecision(6))} %` : "—", a?.achieved != null ? `${Number(a.achieved.toPrecision(6))} %` : "—"],
      ["episodes", countEpisodes(b), countEpisodes(a)],
      ...receiverRows(b, a),
    ];
    out.push(table(["", t.before ? `Before (${t.before.slo.objective} %)` : "Before", t.after ? `After (${t.after.slo.objective} %)` : "After"], rows));
    out.push(`Budget spent: the share of one window's error budget, ${coverageText((a ?? b)!)}.`);
    const episodes = episodeRows(b?.episodes ?? [], a?.episodes ?? [], to);
    out.push(episodes.length ? table(["Episode", "Before", "After"], episodes) : "The same episodes before and after.");
    for (const r of [b, a]) {
      if (r?.approximate) out.push(`Approximate: ${r.approximate}.`);
      if (r?.notVerified) out.push(`Not verified: ${r.notVerified}.`);
    }
  }
  if (notes.length) out.push(notes.join("\n"));
  return out;
}
