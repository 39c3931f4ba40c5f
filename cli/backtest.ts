/**
 * npm run backtest -- [--stack NAME] [--services DIR] [--plan FILE] [--history FILE...] [--prometheus-url URL] [--header 'Name: value'] [--project P] [--days N] [--end TIME] [--print-queries] [--json OUT.json]
 *
 * Replays every SLO of a stack (or of a plan.json) on history of what its
 * SLIs read, as its evaluator would have alerted, and prints per SLO the SLI
 * achieved, the budget spent, every episode and the notifications per
 * receiver; --json writes the same as JSON. Exit codes: 0 fine, 2 invalid
 * input (one line per problem, nothing reported).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { loadCatalog } from "../catalog/loadCatalog";
import { REPOSITORY_ROOT } from "../catalog/paths";
import { readStackSettings } from "../catalog/stackSettings";
import { formatProblem } from "../contract/problems";
import { replaySlos } from "../backtest/fromModel";
import { mergeMetrics, readHistory, type History } from "../backtest/history";
import { fetchHistory, parseHeaders, rangeQueries } from "../backtest/queries";
import { fetchCloudMonitoring, listRequests } from "../backtest/cloudMonitoringApi";
import { renderReport } from "../backtest/report";
import { backtest } from "../backtest/run";
import { BacktestInputError, type NotEvaluated, type ReplaySlo } from "../backtest/types";
import { replaySlosFromPlan } from "../plan/replayRecord";
import type { PlanDocument } from "../plan/runPlan";
import { EXIT, commandArgs, runCommand, type CommandHelp } from "./output";

export const BACKTEST_HELP: CommandHelp = {
  name: "backtest",
  usage: [
    "npm run backtest -- [--stack NAME] [--services DIR] [--plan FILE] (--history FILE... | --prometheus-url URL [--header 'Name: value']... | --project P) [--days N] [--end TIME] [--json OUT.json] [--save-history DIR]",
    "npm run backtest -- [--stack NAME] [--services DIR] [--plan FILE] --print-queries --days N [--end TIME]",
  ],
  summary: "Replays every SLO's burn-rate tiers, as its evaluator would, on the history of what its SLI reads, and reports per SLO the SLI achieved, the budget spent, every episode and the notifications per receiver.",
  options: [
    { flag: "--stack NAME", meaning: "the stack whose declarations and settings are replayed", default: "local" },
    { flag: "--services DIR", meaning: "read the declarations from DIR instead of the stack's services.dir", default: "the stack's" },
    { flag: "--plan FILE", meaning: "replay a plan.json instead of a stack's declarations" },
    { flag: "--history FILE...", meaning: "history files: query_range responses (raw series, or the window SLIs of --print-queries) and Cloud Monitoring timeSeries.list responses" },
    { flag: "--prometheus-url URL", meaning: "run the window SLI queries against this Prometheus-compatible API" },
    { flag: "--header 'Name: value'", meaning: "a request header for --prometheus-url, repeatable; ${NAME} in the value is read from the environment", default: "none" },
    { flag: "--project P", meaning: "read Cloud Monitoring SLOs' burn rates (a new SLO's raw metrics) from project P with Application Default Credentials" },
    { flag: "--days N", meaning: "report the last N days of the history (required with --prometheus-url, --project and --print-queries)", default: "all the history after the warm-up" },
    { flag: "--end TIME", meaning: "where the history ends, ISO 8601", default: "now for live history; the last point of the files" },
    { flag: "--print-queries", meaning: "print the Prometheus queries and ranges, and Cloud Monitoring's timeSeries.list requests, one JSON object per request, and exit" },
    { flag: "--json OUT.json", meaning: "also write the report as JSON" },
    { flag: "--save-history DIR", meaning: "write what --prometheus-url and --project read into DIR as history files" },
  ],
};

function fail(lines: readonly string[]): number {
  for (const line of lines) process.stderr.write(`${line}\n`);
  process.stderr.write(`${lines.length} problem${lines.length === 1 ? "" : "s"} found; nothing was reported.\n`);
  return EXIT.invalidInput;
}

async function slosToReplay(values: { stack?: string; services?: string; plan?: string }): Promise<{ slos: ReplaySlo[]; skipped: NotEvaluated[]; title: string } | string[]> {
  if (values.plan !== undefined) {
    let plan: PlanDocument;
    try {
      plan = JSON.parse(readFileSync(values.plan, "utf8")) as PlanDocument;
    } catch (error) {
      return [`${values.plan}: (file): cannot read (${error instanceof Error ? error.message : String(error)}; expected a plan.json written by npm run plan)`];
    }
    if (!Array.isArray(plan.services)) return [`${values.plan}: services: missing (expected a plan.json with its service record, written by npm run plan)`];
    return { ...replaySlosFromPlan(plan), title: `Backtest of the plan of stack ${plan.stack}` };
  }
  const stack = values.stack ?? "local";
  const config = readStackSettings(stack);
  if (!config.settings) return config.problems.map(formatProblem);
  const servicesDir = path.resolve(values.services ?? path.resolve(REPOSITORY_ROOT, config.settings.servicesDir));
  const catalog = await loadCatalog([servicesDir], config.settings, { servicesDir });
  if (catalog.problems.length > 0) return catalog.problems.map(formatProblem);
  return { slos: replaySlos(catalog.services, config.settings), skipped: [], title: `Backtest of stack ${stack}` };
}

function endTime(text: string | undefined): number | string {
  if (text === undefined) return Date.now();
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : `--end: invalid value (got ${JSON.stringify(text)}, expected an ISO 8601 time like 2026-12-01T00:00:00Z)`;
}

function merge(histories: readonly History[]): History {
  const out: History = { raw: [], windows: new Map(), cloudMonitoring: new Map() };
  for (const h of histories) {
    out.raw.push(...h.raw);
    for (const [k, v] of h.windows) out.windows.set(k, v);
    for (const [k, v] of h.cloudMonitoring) out.cloudMonitoring.set(k, v);
    if (h.cloudMonitoringMetrics) out.cloudMonitoringMetrics = mergeMetrics([...h.cloudMonitoringMetrics.values()], out.cloudMonitoringMetrics ?? new Map());
  }
  return out;
}

runCommand(async () => {
  const parsed = commandArgs(BACKTEST_HELP, {
    options: {
      stack: { type: "string" },
      services: { type: "string" },
      plan: { type: "string" },
      history: { type: "string", multiple: true },
      "prometheus-url": { type: "string" },
      header: { type: "string", multiple: true },
      project: { type: "string" },
      days: { type: "string" },
      end: { type: "string" },
      "print-queries": { type: "boolean" },
      json: { type: "string" },
      "save-history": { type: "string" },
      help: { type: "boolean" },
    },
    allowPositionals: true,
    strict: true,
  });
  if (typeof parsed === "number") return parsed;
  const values = parsed.values;
  // `--history a.json b.json`: files after the option are history files too.
  const files = [...(values.history ?? []), ...parsed.positionals];
  if (parsed.positionals.length > 0 && values.history === undefined) return fail([`${parsed.positionals[0]}: (argument): unexpected (expected options only; history files follow --history)`]);
  if (values.plan !== undefined && (values.stack !== undefined || values.services !== undefined)) return fail(["--plan: invalid combination (got --plan with --stack or --services, expected one or the other)"]);
  let days: number | undefined;
  if (values.days !== undefined) {
    days = Number(values.days);
    if (!/^[0-9]+(\.[0-9]+)?$/.test(values.days) || !(days > 0)) return fail([`--days: invalid value (got ${JSON.stringify(values.days)}, expected a number of days above 0)`]);
  }
  const end = endTime(values.end);
  if (typeof end === "string") return fail([end]);
  const { headers, problems: headerProblems } = parseHeaders(values.header ?? []);
  if (headerProblems.length > 0) return fail(headerProblems);

  const loaded = await slosToReplay(values);
  if (Array.isArray(loaded)) return fail(loaded);
  const { slos, skipped, title } = loaded;

  if (values["print-queries"]) {
    if (days === undefined) return fail(["--print-queries: missing --days (expected the days to report, e.g. --days 28)"]);
    const from = end - days * 86_400_000;
    for (const q of rangeQueries(slos, from, end)) process.stdout.write(`${JSON.stringify(q)}\n`);
    for (const r of slos.flatMap((slo) => listRequests(slo, from, end, values.project))) process.stdout.write(`${JSON.stringify(r)}\n`);
    return EXIT.ok;
  }
  if (files.length === 0 && values["prometheus-url"] === undefined && values.project === undefined) {
    return fail(["(arguments): missing history (expected --history FILE..., --prometheus-url URL or --project P)"]);
  }
  try {
    const histories: History[] = [];
    const fetched: { file: string; text: string }[][] = [];
    if (files.length > 0) histories.push(readHistory(files));
    if (values["prometheus-url"] !== undefined) {
      if (days === undefined) return fail(["--prometheus-url: missing --days (expected the days to report, e.g. --days 28)"]);
      const live = await fetchHistory(rangeQueries(slos, end - days * 86_400_000, end), { url: values["prometheus-url"], headers });
      histories.push(live.history);
      fetched.push(live.documents);
    }
    if (values.project !== undefined) {
      if (days === undefined) return fail(["--project: missing --days (expected the days to report, e.g. --days 28)"]);
      const live = await fetchCloudMonitoring(slos, { project: values.project, from: end - days * 86_400_000, to: end });
      histories.push(live.history);
      fetched.push(live.documents);
    }
    const save = values["save-history"];
    if (save !== undefined) {
      try {
        mkdirSync(save, { recursive: true });
        // A chunk that matched nothing is no history file (read back, it would be refused as empty).
        const kept = fetched.flat().filter((doc) => (JSON.parse(doc.text) as { data?: { result?: unknown[] } }).data?.result?.length !== 0);
        kept.forEach((doc, i) => writeFileSync(path.join(save, `history-${String(i + 1).padStart(4, "0")}.json`), doc.text));
      } catch (error) {
        return fail([`${save}: (dir): cannot write (got ${(error as NodeJS.ErrnoException).code ?? "an error"}, expected a writable directory)`]);
      }
    }
    const result = backtest(slos, histories.length === 1 ? histories[0]! : merge(histories), { ...(days !== undefined ? { days } : {}), ...(values.end !== undefined || values["prometheus-url"] !== undefined || values.project !== undefined ? { end } : {}) });
    result.notEvaluated.push(...skipped);
    process.stdout.write(renderReport(result, title));
    if (values.json !== undefined) {
      try {
        writeFileSync(values.json, `${JSON.stringify(result, null, 2)}\n`);
      } catch (error) {
        return fail([`${values.json}: (file): cannot write (got ${(error as NodeJS.ErrnoException).code ?? "an error"}, expected a writable file path)`]);
      }
    }
    return EXIT.ok;
  } catch (error) {
    if (error instanceof BacktestInputError) return fail(error.lines);
    throw error;
  }
});
