/**
 * The burn-rate tiers are data in one place (model/sloMath.ts,
 * DEFAULT_BURN_TIERS) and tables in the documentation. Every docs table that
 * lists tiers is read here and checked against the model: names and their
 * order, severity, budget share, windows, burn rate, and what a table derives
 * from them (scaled windows, detection times, how long the budget lasts, tiers
 * not created). A table that names a tier but that no check here knows fails,
 * so a new one cannot go unchecked. The diff excerpts in README.md and
 * docs/reviewing-diff.md are plan output, compared with the golden diff by
 * test/plan/diffScenarios.test.ts.
 */
import { describe, expect, it } from "vitest";
import { DAY_MS, HOUR_MS, MINUTE_MS, formatDuration, round } from "../../contract/duration";
import type { SloSpec } from "../../contract/serviceSchema";
import type { BurnTierDefinition } from "../../contract/stackConfig";
import { sloModel } from "../../model/service";
import { DEFAULT_BURN_TIERS, REFERENCE_WINDOW_MS, burnRateThreshold, detectionMinutes, errorBudget, type BurnTier } from "../../model/sloMath";
import type { SloModel } from "../../model/types";
import { documentationFiles, readDoc } from "../support/markdown";

const TIER_NAMES = DEFAULT_BURN_TIERS.map((tier) => tier.name);

/** A markdown table: its header cells and rows, with the 1-based line of each. */
export interface Table {
  file: string;
  line: number;
  header: string[];
  rows: { line: number; cells: string[] }[];
}

const cells = (line: string): string[] =>
  line
    .trim()
    .replace(/^\||\|$/g, "")
    .replace(/\\\|/g, "\u0000")
    .split("|")
    .map((cell) => cell.replace(/\u0000/g, "|").trim());

/** Every table of a page (a header line, a separator line, rows). */
export function tables(markdown: string, file: string): Table[] {
  const lines = markdown.split("\n");
  const found: Table[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!lines[i]!.trim().startsWith("|") || !/^\s*\|[\s:|-]+\|\s*$/.test(lines[i + 1]!)) continue;
    const table: Table = { file, line: i + 1, header: cells(lines[i]!), rows: [] };
    let j = i + 2;
    for (; j < lines.length && lines[j]!.trim().startsWith("|"); j++) table.rows.push({ line: j + 1, cells: cells(lines[j]!) });
    found.push(table);
    i = j - 1;
  }
  return found;
}

/** The default tier a cell starts with (`page-fast`, page-fast (14.4, 1h/5m)), if any. */
function tierNamed(cell: string): string | undefined {
  const match = /^`?([a-z]+(?:-[a-z]+)*)`?(?=$|[\s(])/.exec(cell);
  return match && TIER_NAMES.includes(match[1]!) ? match[1] : undefined;
}

const UNIT_MS: Record<string, number> = { d: DAY_MS, h: HOUR_MS, min: MINUTE_MS, m: MINUTE_MS, s: 1_000 };

/** "5 h 36 min", "1h", "30 min" → milliseconds. */
export function durationMs(text: string): number {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)\s*(min|d|h|m|s)\b/g)];
  if (parts.length === 0) throw new Error(`no duration in ${JSON.stringify(text)}`);
  return parts.reduce((sum, [, value, unit]) => sum + Number(value) * UNIT_MS[unit!]!, 0);
}

/** "1 h / 5 min", "1h/5m" → [long, short] in milliseconds. */
function windows(text: string): [number, number] {
  const [long, short] = text.split("/");
  return [durationMs(long!), durationMs(short!)];
}

const hm = formatDuration;

/** Whether a number as printed ("0.86", "14.4", "50") is `value` to two decimals, as the docs print them. */
function printed(text: string, value: number): boolean {
  return text.trim() !== "" && Number(text) === round(value, 2);
}

/** The SLO the plan resolves tiers for: a Cloud Run availability SLO on Cloud Monitoring, or a Prometheus ratio. */
function resolvedSlo(objective: number, windowDays: number, backend: "Cloud Monitoring" | "Prometheus", definitions: readonly BurnTierDefinition[] = DEFAULT_BURN_TIERS): SloModel {
  const indicator: SloSpec["indicator"] = backend === "Prometheus" ? { prometheus: { total: "http_requests_total", bad: 'http_requests_total{code=~"5.."}' } } : { availability: {} };
  return sloModel({ name: "availability", objective, window: `${windowDays}d`, indicator }, { tier: "standard" }, { burnTiers: definitions });
}

/** What a row's problems are prefixed with. */
const at = (table: Table, line: number, tier: string) => `${table.file}:${line} ${tier}`;

/** The tier rows of a table, in order, must be the default tiers, in order. */
function tierOrder(table: Table, column: number): string[] {
  const named = table.rows.map((row) => tierNamed(row.cells[column] ?? "")).filter((name): name is string => name !== undefined);
  return named.join(",") === TIER_NAMES.join(",") ? [] : [`${table.file}:${table.line}: tiers ${named.join(", ")}, the model's are ${TIER_NAMES.join(", ")}`];
}

/**
 * docs/alert-quality.md: the definitions (severity, budget share, windows and
 * burn rate at 30 d) and the windows scaled to another SLO, with the
 * detection times the notes after them give.
 */
function checkDefinitionTable(table: Table, definitions: readonly BurnTierDefinition[] = DEFAULT_BURN_TIERS): string[] {
  const problems = tierOrder(table, 0);
  const scaledHeader = /^At ([\d.]+) % \/ (\d+) d$/.exec(table.header[5] ?? "");
  const scaled = scaledHeader ? resolvedSlo(Number(scaledHeader[1]), Number(scaledHeader[2]), "Prometheus", definitions) : undefined;
  for (const { line, cells: [name, severity, budget, window, burn, atOther] } of table.rows) {
    const definition = definitions.find((d) => d.name === tierNamed(name ?? ""));
    if (!definition) continue;
    const where = at(table, line, definition.name);
    if (severity !== definition.severity) problems.push(`${where}: severity ${severity}, the model's is ${definition.severity}`);
    if (budget !== `${definition.budgetPercent} %`) problems.push(`${where}: budget spent ${budget}, the model's is ${definition.budgetPercent} %`);
    const [longMs, shortMs] = windows(window ?? "");
    if (longMs !== definition.longWindowMs || shortMs !== definition.shortWindowMs) {
      problems.push(`${where}: windows ${window}, the model's are ${hm(definition.longWindowMs)} / ${hm(definition.shortWindowMs)}`);
    }
    const burnRate = burnRateThreshold(definition.budgetPercent, REFERENCE_WINDOW_MS, definition.longWindowMs);
    if (!printed(burn ?? "", burnRate)) problems.push(`${where}: burn rate ${burn}, the model's is ${burnRate}`);
    if (scaled && atOther !== undefined) problems.push(...checkScaled(scaled, definition.name, atOther, where));
  }
  if (!scaledHeader) problems.push(`${table.file}:${table.line}: expected a sixth column "At <objective> % / <days> d", got ${JSON.stringify(table.header[5])}`);
  return problems;
}

/** "56 min / 5 min: a total outage at 4.03 min (floor)", "11 h 12 min / 56 min: burn 4 at 8.4 h". */
function checkScaled(slo: SloModel, name: string, cell: string, where: string): string[] {
  const tier = slo.tiers.find((t) => t.name === name);
  if (!tier) return [`${where}: not among the tiers the model resolves at ${slo.objective} % / ${slo.windowDays} d`];
  const problems: string[] = [];
  const [windowText, note] = cell.split(":");
  const [longMs, shortMs] = windows(windowText!);
  if (longMs !== tier.longWindowMs || shortMs !== tier.shortWindowMs) problems.push(`${where}: at ${slo.objective} % / ${slo.windowDays} d windows ${windowText!.trim()}, the model's are ${hm(tier.longWindowMs)} / ${hm(tier.shortWindowMs)}`);
  const outage = /total outage at ([\d.]+) min \(floor\)/.exec(note ?? "");
  if (outage && !printed(outage[1]!, tier.floorMinutesAtTotalOutage)) problems.push(`${where}: a total outage at ${outage[1]} min, the model's floor is ${tier.floorMinutesAtTotalOutage} min`);
  const burnAt = /burn ([\d.]+) at ([\d.]+) h/.exec(note ?? "");
  if (burnAt) {
    const hours = detectionMinutes(slo.objective, tier.burnRate, tier.longWindowMs, Number(burnAt[1]) * errorBudget(slo.objective)) / 60;
    if (!printed(burnAt[2]!, hours)) problems.push(`${where}: burn ${burnAt[1]} at ${burnAt[2]} h, the model's is ${hours} h`);
  }
  if (note !== undefined && !outage && !burnAt) problems.push(`${where}: a note this test cannot check: ${note.trim()}`);
  return problems;
}

/**
 * docs/slo-maths.md: the tiers the plan provisions for one SLO on one
 * backend (the header names it), with detection times and how long the
 * budget lasts, and the tiers fitting leaves out.
 */
function checkResolvedTable(table: Table): string[] {
  const header = /^([\d.]+) % over (\d+) d on (Cloud Monitoring|Prometheus)$/.exec(table.header[0] ?? "");
  if (!header) return [`${table.file}:${table.line}: expected a first header "<objective> % over <days> d on <backend>", got ${JSON.stringify(table.header[0])}`];
  const slo = resolvedSlo(Number(header[1]), Number(header[2]), header[3] as "Cloud Monitoring" | "Prometheus");
  const problems = tierOrder(table, 0);
  for (const { line, cells: [name, burn, window, budget, detected, lasts] } of table.rows) {
    const tierName = tierNamed(name ?? "");
    if (!tierName) continue;
    const where = at(table, line, tierName);
    const covered = slo.coveredTiers.find((t) => t.name === tierName);
    const notCreated = /^not created: covered by `?([a-z-]+)`?$/.exec(burn ?? "");
    if (covered || notCreated) {
      if (!covered) problems.push(`${where}: "${burn}", but the model creates it`);
      else if (!notCreated || notCreated[1] !== covered.coveredBy) problems.push(`${where}: "${burn}", the model leaves it out as covered by ${covered.coveredBy}`);
      continue;
    }
    const tier: BurnTier | undefined = slo.tiers.find((t) => t.name === tierName);
    if (!tier) {
      problems.push(`${where}: not among the tiers the model resolves`);
      continue;
    }
    if (!printed(burn ?? "", tier.burnRate)) problems.push(`${where}: burn rate ${burn}, the model's is ${tier.burnRate}`);
    const [longMs, shortMs] = windows(window ?? "");
    if (longMs !== tier.longWindowMs || shortMs !== tier.shortWindowMs) problems.push(`${where}: windows ${window}, the model's are ${hm(tier.longWindowMs)} / ${hm(tier.shortWindowMs)}`);
    if (budget !== `${tier.budgetPercent} %`) problems.push(`${where}: budget spent ${budget}, the model's is ${tier.budgetPercent} %`);
    const detection = /^([\d.]+) min \(floor ([\d.]+)\)$/.exec(detected ?? "");
    if (!detection || !printed(detection[1]!, tier.detectionMinutesAtTotalOutage) || !printed(detection[2]!, tier.floorMinutesAtTotalOutage)) {
      problems.push(`${where}: total outage detected in ${detected}, the model's is ${tier.detectionMinutesAtTotalOutage} min (floor ${tier.floorMinutesAtTotalOutage})`);
    }
    const lastsMatch = /^([\d.]+) (d|h)$/.exec(lasts ?? "");
    if (!lastsMatch || !printed(lastsMatch[1]!, tier.hoursToExhaustion / (lastsMatch[2] === "d" ? 24 : 1))) problems.push(`${where}: budget lasts ${lasts}, the model's is ${tier.hoursToExhaustion} h`);
  }
  return problems;
}

/**
 * docs/prometheus.md: incidents against the tiers. A tier written with its
 * numbers, page-fast (14.4, 1h/5m), must have the model's burn rate and windows
 * at 99.9 % over 30 d; the theory column of a total outage or a constant error
 * ratio is the model's detection time.
 */
function checkIncidentTable(table: Table): string[] {
  const slo = resolvedSlo(99.9, 30, "Prometheus");
  const problems: string[] = [];
  for (const { line, cells: [incident, tierCell, theory] } of table.rows) {
    const tierName = tierNamed(tierCell ?? "");
    if (!tierName) continue;
    const where = at(table, line, tierName);
    const tier = slo.tiers.find((t) => t.name === tierName)!;
    const numbers = /\(([\d.]+), ([^)]+)\)/.exec(tierCell ?? "");
    if (numbers) {
      if (!printed(numbers[1]!, tier.burnRate)) problems.push(`${where}: burn rate ${numbers[1]}, the model's is ${tier.burnRate}`);
      const [longMs, shortMs] = windows(numbers[2]!);
      if (longMs !== tier.longWindowMs || shortMs !== tier.shortWindowMs) problems.push(`${where}: windows ${numbers[2]}, the model's are ${hm(tier.longWindowMs)} / ${hm(tier.shortWindowMs)}`);
    }
    const ratio = incident === "total outage" ? 1 : /^([\d.]+) % errors$/.exec(incident ?? "") ? Number(/^([\d.]+)/.exec(incident!)![1]) / 100 : undefined;
    const minutes = /^([\d.]+) min$/.exec(theory ?? "");
    if (ratio !== undefined) {
      const expected = detectionMinutes(slo.objective, tier.burnRate, tier.longWindowMs, ratio);
      if (!minutes || !printed(minutes[1]!, expected)) problems.push(`${where}: ${incident} in theory ${theory}, the model's is ${expected} min`);
    }
  }
  return problems;
}

/**
 * docs/slo-maths.md's summary of the tiers in prose: "page when 2 % of the
 * budget burns in 1 h (burn rate 14.4 over 1 h and 5 min) or … ; ticket when …".
 */
export function checkTierProse(text: string, where: string): string[] {
  const problems: string[] = [];
  const [pages, tickets] = text.split(/\bticket when\b/);
  if (tickets === undefined) return [`${where}: expected "page when … ticket when …"`];
  const said = [...[pages!, tickets].entries()].flatMap(([part, words]) => {
    const shares = [...words.matchAll(/(\d+) % (?:of the budget )?(?:burns )?in (\d+ (?:h|d|min))/g)];
    const burns = [...words.matchAll(/burn(?: rate)? ([\d.]+) over (\d+ (?:h|d|min)) and (\d+ (?:h|d|min))/g)];
    if (shares.length !== burns.length) problems.push(`${where}: ${shares.length} budget shares but ${burns.length} burn rates among the ${part === 0 ? "page" : "ticket"} tiers`);
    return shares.map((share, i) => ({
      severity: part === 0 ? "page" : "ticket",
      budgetPercent: Number(share[1]),
      longMs: durationMs(share[2]!),
      burn: burns[i]?.[1],
      burnLongMs: burns[i] ? durationMs(burns[i]![2]!) : undefined,
      shortMs: burns[i] ? durationMs(burns[i]![3]!) : undefined,
    }));
  });
  if (said.length !== DEFAULT_BURN_TIERS.length) problems.push(`${where}: ${said.length} tiers, the model has ${DEFAULT_BURN_TIERS.length}`);
  DEFAULT_BURN_TIERS.forEach((definition, i) => {
    const tier = said[i];
    if (!tier) return;
    const burnRate = burnRateThreshold(definition.budgetPercent, REFERENCE_WINDOW_MS, definition.longWindowMs);
    const wrong =
      tier.severity !== definition.severity ||
      tier.budgetPercent !== definition.budgetPercent ||
      tier.longMs !== definition.longWindowMs ||
      tier.burnLongMs !== definition.longWindowMs ||
      tier.shortMs !== definition.shortWindowMs ||
      !printed(tier.burn ?? "", burnRate);
    if (wrong) {
      problems.push(
        `${where}: tier ${i + 1} is ${tier.severity} ${tier.budgetPercent} % in ${hm(tier.longMs)}, burn ${tier.burn} over ${hm(tier.burnLongMs ?? 0)} and ${hm(tier.shortMs ?? 0)}; the model's ${definition.name} is ${definition.severity} ${definition.budgetPercent} % in ${hm(definition.longWindowMs)}, burn ${burnRate} over ${hm(definition.longWindowMs)} and ${hm(definition.shortWindowMs)}`,
      );
    }
  });
  return problems;
}

/** The checks, by the header of the table they apply to. */
const CHECKS: { file: string; header: RegExp; check: (table: Table) => string[] }[] = [
  { file: "docs/alert-quality.md", header: /^\| Tier \| Severity \| Budget spent \| Long \/ short window \(30 d\) \| Burn rate \| At /, check: (table) => checkDefinitionTable(table) },
  { file: "docs/slo-maths.md", header: /^\| [\d.]+ % over \d+ d on (Cloud Monitoring|Prometheus) \| Burn rate above \| Windows \| Budget spent \| Total outage detected in \| Budget lasts \|$/, check: checkResolvedTable },
  { file: "docs/prometheus.md", header: /^\| Incident \| Tier \| Workbook \(theory\) \| Prometheus \(promtool\) \|$/, check: checkIncidentTable },
  // Plan output quoted from test/golden/diff/prometheus-slo-change.md; test/plan/diffScenarios.test.ts compares it line by line.
  { file: "README.md", header: /^\| Tier \| Before \| After \|$/, check: () => [] },
  { file: "docs/reviewing-diff.md", header: /^\| Tier \| Before \| After \|$/, check: () => [] },
];

const headerLine = (table: Table) => `| ${table.header.join(" | ")} |`;

/**
 * Every table of the documentation that names a default tier in its first two
 * columns (a tier named like a severity, "ticket", alone does not make one: a
 * routing table lists severities).
 */
function tierTables(): Table[] {
  const severities = new Set(DEFAULT_BURN_TIERS.map((tier) => tier.severity as string));
  return documentationFiles()
    .flatMap((file) => tables(readDoc(file), file))
    .filter((table) => table.rows.some((row) => row.cells.slice(0, 2).some((cell) => !severities.has(tierNamed(cell) ?? "page"))));
}

describe("the burn-rate tier tables of the documentation", () => {
  const found = tierTables();

  it("are all known to a check here", () => {
    const unchecked = found.filter((table) => !CHECKS.some((c) => c.file === table.file && c.header.test(headerLine(table))));
    expect(unchecked.map((table) => `${table.file}:${table.line}: ${headerLine(table)}`)).toEqual([]);
    for (const c of CHECKS) expect(found.some((table) => table.file === c.file && c.header.test(headerLine(table))), `${c.file} ${c.header}`).toBe(true);
  });

  it.each(CHECKS.map((c) => [c.file, c] as const))("%s: agree with the model's tiers", (_, c) => {
    const problems = found.filter((table) => table.file === c.file && c.header.test(headerLine(table))).flatMap(c.check);
    expect(problems).toEqual([]);
  });

  it("docs/slo-maths.md: the tiers in prose agree with the model's tiers", () => {
    const page = readDoc("docs/slo-maths.md");
    const bullet = /^- Tiers \([^]*?(?=^- )/m.exec(page);
    expect(bullet, "the bullet that starts with '- Tiers ('").not.toBeNull();
    expect(checkTierProse(bullet![0].replace(/\s+/g, " "), "docs/slo-maths.md")).toEqual([]);
  });

  describe("notice", () => {
    const table = (file: string) => found.find((t) => t.file === file && CHECKS.some((c) => c.file === file && c.header.test(headerLine(t))))!;
    const changed = (t: Table, row: number, column: number, to: string): Table => ({
      ...t,
      rows: t.rows.map((r, i) => (i === row ? { ...r, cells: r.cells.map((cell, j) => (j === column ? to : cell)) } : r)),
    });

    it("a definition that differs from the model", () => {
      const t = table("docs/alert-quality.md");
      const line = t.rows[0]!.line;
      expect(checkDefinitionTable(changed(t, 0, 4, "14"))).toEqual([`docs/alert-quality.md:${line} page-fast: burn rate 14, the model's is 14.4`]);
      expect(checkDefinitionTable(changed(t, 0, 3, "2 h / 5 min"))).toEqual([`docs/alert-quality.md:${line} page-fast: windows 2 h / 5 min, the model's are 1h / 5m`]);
      const slower = DEFAULT_BURN_TIERS.map((d) => (d.name === "page-slow" ? { ...d, budgetPercent: 6 } : d));
      expect(checkDefinitionTable(t, slower)).toEqual([
        `docs/alert-quality.md:${t.rows[1]!.line} page-slow: budget spent 5 %, the model's is 6 %`,
        `docs/alert-quality.md:${t.rows[1]!.line} page-slow: burn rate 6, the model's is 7.2`,
      ]);
    });

    it("a resolved tier, a detection time or a left-out tier that differs", () => {
      const t = table("docs/slo-maths.md");
      expect(checkResolvedTable(changed(t, 1, 4, "2 min (floor 2.16)"))).toEqual([`docs/slo-maths.md:${t.rows[1]!.line} page-slow: total outage detected in 2 min (floor 2.16), the model's is 3 min (floor 2.16)`]);
      expect(checkResolvedTable(changed(t, 3, 1, "not created: covered by `page-slow`"))).toEqual([`docs/slo-maths.md:${t.rows[3]!.line} ticket: "not created: covered by \`page-slow\`", the model leaves it out as covered by ticket-fast`]);
    });

    it("tiers in the wrong order or missing", () => {
      const t = table("docs/alert-quality.md");
      expect(checkDefinitionTable({ ...t, rows: t.rows.slice(1) })).toContainEqual(`docs/alert-quality.md:${t.line}: tiers page-slow, ticket-fast, ticket, the model's are page-fast, page-slow, ticket-fast, ticket`);
    });

    it("prose that differs", () => {
      const text = "page when 2 % of the budget burns in 1 h (burn rate 14.4 over 1 h and 5 min) or 5 % in 6 h (burn 6 over 6 h and 30 min); ticket when 5 % burns in 12 h (burn 3 over 12 h and 1 h) or 10 % in 3 d (burn 1 over 3 d and 6 h).";
      expect(checkTierProse(text, "x")).toEqual([]);
      expect(checkTierProse(text.replace("burn 6 over", "burn 5 over"), "x")).toEqual([
        "x: tier 2 is page 5 % in 6h, burn 5 over 6h and 30m; the model's page-slow is page 5 % in 6h, burn 6 over 6h and 30m",
      ]);
    });
  });
});
