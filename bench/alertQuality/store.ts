/**
 * The measured matrix, kept in bench/alertQuality/results.json: per SLO and
 * rule set, what promtool reported firing in each run (alerts as label sets
 * with the spans of evaluations they fired at), the digest of the rule and
 * test files it read, when, and how long it took. The docs table is rebuilt
 * from this file, so a change to our rules re-measures ours only: Sloth's and
 * Pyrra's rules do not change with ours, and their entries stay valid while
 * the digest of what promtool would read for them is the same.
 */
import { closeSync, existsSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { scenarios as allScenarios, type FiredAlert } from "./harness";
import { inputsDigest, plannedRuns, summarise, type ExecutedRun, type Measured } from "./measure";
import type { RuleSetName } from "./rulesets";

export const RESULTS_FILE = path.resolve(__dirname, "results.json");

/** One alert (label set) and the evaluation minutes it fired at, as [first, last] spans of consecutive evaluations. */
export interface StoredAlert {
  labels: Record<string, string>;
  spans: [number, number][];
}

export interface StoredRun {
  batch: string;
  seconds: number;
  /** Per scenario id of the run's batch; an empty list: nothing fired. */
  fired: Record<string, StoredAlert[]>;
}

export interface StoredEntry {
  /** `inputsDigest` of the runs: the rule and test files promtool read. */
  inputs: string;
  promtool: string;
  measuredAt: string;
  runs: StoredRun[];
}

/** Entries per SLO (`99.5/28`) and rule set. */
export type Store = Record<string, Partial<Record<RuleSetName, StoredEntry>>>;

export const sloKey = (slo: { objective: number; windowDays: number }) => `${slo.objective}/${slo.windowDays}`;

const round3 = (n: number) => Math.round(n * 1000) / 1000;

/** Alerts as label sets with spans of consecutive evaluations (`step` minutes apart). */
export function compact(fired: readonly FiredAlert[], step: number): StoredAlert[] {
  const byLabels = new Map<string, { labels: Record<string, string>; minutes: number[] }>();
  for (const alert of fired) {
    const labels = Object.fromEntries(Object.entries(alert.labels).sort(([a], [b]) => a.localeCompare(b)));
    const key = JSON.stringify(labels);
    if (!byLabels.has(key)) byLabels.set(key, { labels, minutes: [] });
    byLabels.get(key)!.minutes.push(alert.minute);
  }
  return [...byLabels.values()].map(({ labels, minutes }) => {
    const spans: [number, number][] = [];
    for (const minute of [...new Set(minutes)].sort((a, b) => a - b)) {
      const last = spans[spans.length - 1];
      if (last && Math.abs(minute - last[1] - step) < 1e-6) last[1] = minute;
      else spans.push([minute, minute]);
    }
    return { labels, spans };
  });
}

/** The alerts back as one entry per evaluation they fired at. */
export function expand(alerts: readonly StoredAlert[], step: number): FiredAlert[] {
  const out: FiredAlert[] = [];
  for (const alert of alerts) {
    for (const [from, to] of alert.spans) {
      for (let i = 0; from + i * step <= to + 1e-6; i++) out.push({ minute: round3(from + i * step), labels: { ...alert.labels } });
    }
  }
  return out;
}

export function toStoredRun(run: ExecutedRun, stepOf: (scenarioId: string) => number): StoredRun {
  return {
    batch: run.batch,
    seconds: Math.round(run.seconds),
    fired: Object.fromEntries([...run.fired].map(([id, fired]) => [id, compact(fired, stepOf(id))])),
  };
}

export function readStore(file = RESULTS_FILE): Store {
  if (!existsSync(file)) return {};
  return JSON.parse(readFileSync(file, "utf8")) as Store;
}

/** Runs `update` holding `<file>.lock`, so runs side by side do not write over each other's entries. */
function withLock<T>(file: string, update: () => T): T {
  const lock = `${file}.lock`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      closeSync(openSync(lock, "wx"));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      // A lock left by a run that died is stale after a minute.
      if (Date.now() > deadline || Date.now() - statSync(lock, { throwIfNoEntry: false })?.mtimeMs! > 60_000) rmSync(lock, { force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  }
  try {
    return update();
  } finally {
    rmSync(lock, { force: true });
  }
}

/** Writes one entry into the file, re-reading it first (under a lock) so runs side by side keep each other's entries. */
export function saveEntry(slo: { objective: number; windowDays: number }, name: RuleSetName, entry: StoredEntry, order: { objective: number; windowDays: number }[], names: readonly RuleSetName[], file = RESULTS_FILE): Store {
  return withLock(file, () => writeEntry(slo, name, entry, order, names, file));
}

function writeEntry(slo: { objective: number; windowDays: number }, name: RuleSetName, entry: StoredEntry, order: { objective: number; windowDays: number }[], names: readonly RuleSetName[], file: string): Store {
  const store = readStore(file);
  store[sloKey(slo)] = { ...store[sloKey(slo)], [name]: entry };
  // Matrix order, rule sets in table order: the file diffs cleanly.
  const sorted: Store = {};
  for (const key of [...order.map(sloKey), ...Object.keys(store)]) {
    if (!store[key] || sorted[key]) continue;
    sorted[key] = Object.fromEntries(names.filter((n) => store[key]![n]).map((n) => [n, store[key]![n]]));
  }
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(sorted, null, 1)}\n`);
  renameSync(temporary, file);
  return sorted;
}

/** Outcomes of a stored entry, judged by the harness as it is now. */
export function storedResults(name: RuleSetName, slo: { objective: number; windowDays: number }, entry: StoredEntry): Measured[] {
  const steps = new Map(allScenarios({ ...slo, kind: "ratio" }).map((s) => [s.id, s.stepSeconds / 60]));
  const runs = entry.runs.map((run) => ({
    fired: new Map(Object.entries(run.fired).filter(([id]) => steps.has(id)).map(([id, alerts]) => [id, expand(alerts, steps.get(id)!)] as const)),
  }));
  return summarise(name, slo, runs);
}

/** Whether what promtool would read for this entry today is what it read when it was measured. */
export function isCurrent(name: RuleSetName, slo: { objective: number; windowDays: number }, entry: StoredEntry): boolean {
  return entry.inputs === inputsDigest(plannedRuns(name, slo));
}
