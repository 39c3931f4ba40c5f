/**
 * Sloth `AlertWindows` documents (`apiVersion: sloth.slok.dev/v1`,
 * `kind: AlertWindows`) → burn-rate tier definitions for the stated SLO
 * period. They are not SLOs: they become the stack's
 * `monitoring-stack:burnRateTiers`, keyed by their `sloPeriod`, so an SLO of
 * that window alerts on Sloth's windows as written (other windows scale them).
 *
 * Sloth's shape (pkg/prometheus/alertwindows/v1): `spec.sloPeriod`, and
 * `spec.page` / `spec.ticket`, each with `quick` and `slow` windows of
 * `errorBudgetPercent`, `shortWindow`, `longWindow` (Prometheus durations).
 * Sloth's burn factor is budget share × period ÷ long window, the stack's burn
 * rate too. What the stack cannot honour is refused with the reason: periods
 * that are not an SLO window (whole days, 1d–30d), windows that are not whole
 * minutes, and tiers whose burn rate is below 1 (they would fire while the
 * SLO is met, which validation refuses).
 */
import { DAY_MS, MINUTE_MS, formatDuration, round } from "../../contract/duration";
import { describeValue, type Problem } from "../../contract/problems";
import type { BurnTierDefinition } from "../../contract/stackConfig";
import { burnRateThreshold } from "../../model/sloMath";
import { docPath, docProblem, formatShorthand, get, isObject, numberLike, type DocumentRef, type RawDocument } from "../documents";

/** Tier definitions read from one AlertWindows document. */
export interface ImportedTiers {
  doc: DocumentRef;
  /** The SLO period the windows are written for. */
  periodMs: number;
  definitions: BurnTierDefinition[];
}

export interface AlertWindowsResult {
  tiers?: ImportedTiers;
  problems: Problem[];
  /** What fitting changed (with fitAlertWindows). */
  notes: string[];
}

const UNIT_MS: Record<string, number> = { y: 365 * DAY_MS, w: 7 * DAY_MS, d: DAY_MS, h: 3_600_000, m: MINUTE_MS, s: 1_000, ms: 1 };
const PROM_DURATION = /^(?:([0-9]+)y)?(?:([0-9]+)w)?(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?(?:([0-9]+)ms)?$/;

/** A Prometheus duration (`1h30m`, `4w`, `72h`) in milliseconds, as Sloth reads it; undefined when it is none. */
export function parsePromDuration(text: unknown): number | undefined {
  if (typeof text !== "string" || text === "" || text === "0") return undefined;
  const match = PROM_DURATION.exec(text);
  if (!match) return undefined;
  const units = ["y", "w", "d", "h", "m", "s", "ms"];
  return match.slice(1).reduce((sum, count, i) => sum + (count === undefined ? 0 : Number(count) * UNIT_MS[units[i]!]!), 0);
}

const SEVERITIES = ["page", "ticket"] as const;
const SPEEDS = ["quick", "slow"] as const;

/** Reads one AlertWindows document; every problem at once, at its field. */
export function importAlertWindows(raw: RawDocument, fit = false): AlertWindowsResult {
  const doc: DocumentRef = { file: raw.file, index: raw.index, ...(raw.item !== undefined ? { item: raw.item } : {}), kind: "AlertWindows", name: String(get(raw.body, "spec", "sloPeriod") ?? "?") };
  const problems: Problem[] = [];
  const notes: string[] = [];
  const fail = (path: string, message: string) => problems.push(docProblem(doc, path, message));
  const spec = get(raw.body, "spec");
  if (!isObject(spec)) {
    fail("spec", `missing required field (got ${describeValue(spec)}, expected sloPeriod with page and ticket windows)`);
    return { problems, notes };
  }
  const periodText = spec["sloPeriod"];
  const periodMs = parsePromDuration(periodText);
  const period = periodMs !== undefined && periodMs % DAY_MS === 0 && periodMs >= DAY_MS && periodMs <= 30 * DAY_MS ? periodMs : undefined;
  if (period === undefined) {
    fail("spec.sloPeriod", `not supported (got ${describeValue(periodText)}, expected an SLO period of whole days from 1d to 30d, like 28d or 4w: the rolling windows SLOs have here)`);
  }
  const definitions: BurnTierDefinition[] = [];
  for (const severity of SEVERITIES) {
    for (const speed of SPEEDS) {
      const at = `spec.${severity}.${speed}`;
      const window = get(spec, severity, speed);
      if (!isObject(window)) {
        fail(at, `missing required field (got ${describeValue(window)}, expected errorBudgetPercent, shortWindow and longWindow)`);
        continue;
      }
      const definition = readWindow(window, at, period, fail, fit ? (message) => notes.push(`${raw.file} ${docPath(doc)}.${at}: ${message}`) : undefined);
      if (definition) definitions.push({ name: `${severity}-${speed}`, severity, ...definition, ...(period !== undefined ? { periodMs: period } : {}) });
    }
  }
  if (problems.length > 0 || period === undefined) return { problems, notes: [] };
  return { tiers: { doc, periodMs: period, definitions }, problems, notes };
}

/** One quick or slow window: budget share and windows as the stack takes them, or its problems. */
function readWindow(
  window: Record<string, unknown>,
  at: string,
  periodMs: number | undefined,
  fail: (path: string, message: string) => void,
  fitted?: (message: string) => void,
): Pick<BurnTierDefinition, "budgetPercent" | "longWindowMs" | "shortWindowMs"> | undefined {
  const budget = numberLike(window["errorBudgetPercent"] as never);
  const budgetOk = budget !== undefined && budget > 0 && budget <= 100;
  if (!budgetOk) fail(`${at}.errorBudgetPercent`, `invalid value (got ${describeValue(window["errorBudgetPercent"])}, expected a percentage of the error budget above 0, at most 100)`);
  const windows = (["shortWindow", "longWindow"] as const).map((key) => {
    const ms = parsePromDuration(window[key]);
    if (ms === undefined || ms < MINUTE_MS || ms % MINUTE_MS !== 0 || ms > 30 * DAY_MS) {
      fail(`${at}.${key}`, `not supported (got ${describeValue(window[key])}, expected whole minutes from 1m to 30d, like 5m or 6h: alert lookbacks here are whole minutes)`);
      return undefined;
    }
    return ms;
  });
  const [shortMs, longMs] = windows;
  if (shortMs === undefined || longMs === undefined || !budgetOk) return undefined;
  if (shortMs >= longMs) {
    fail(`${at}.shortWindow`, `invalid value (got ${describeValue(window["shortWindow"])}, expected shorter than longWindow ${describeValue(window["longWindow"])})`);
    return undefined;
  }
  if (periodMs === undefined) return undefined;
  if (longMs > periodMs) {
    fail(`${at}.longWindow`, `invalid value (got ${describeValue(window["longWindow"])}, expected no longer than the ${formatShorthand(periodMs)} SLO period)`);
    return undefined;
  }
  const burn = burnRateThreshold(budget, periodMs, longMs);
  if (burn < 1) {
    const longest = Math.floor((budget / 100) * (periodMs / MINUTE_MS)) * MINUTE_MS;
    const least = Math.ceil(((longMs / periodMs) * 100) * 100) / 100;
    if (fitted) {
      // The tier's intent kept: its windows, and a slow burn that would spend the budget within the period (burn 1).
      fitted(
        `errorBudgetPercent ${budget} → ${least} (burn rate ${round(burn, 2)} → ${round(burnRateThreshold(least, periodMs, longMs), 2)}; --fit-alert-windows): below 1 the alert would fire while the SLO is met; its windows ${describeValue(window["shortWindow"])} and ${describeValue(window["longWindow"])} are kept, so it still alerts on a slow burn, now only one that would spend the ${formatShorthand(periodMs)} budget within the period`,
      );
      return { budgetPercent: least, longWindowMs: longMs, shortWindowMs: shortMs };
    }
    fail(
      at,
      `not supported (got ${budget} % of the budget over ${describeValue(window["longWindow"])} on a ${formatShorthand(periodMs)} period: burn rate ${burn}, expected a burn rate of at least 1: below 1 the alert fires while the SLO is met; a longWindow of at most ${formatDuration(longest)} or an errorBudgetPercent of at least ${least}, or import with --fit-alert-windows to raise errorBudgetPercent to ${least} and keep the windows)`,
    );
    return undefined;
  }
  return { budgetPercent: budget, longWindowMs: longMs, shortWindowMs: shortMs };
}
