/**
 * npm run diff -- BASE/plan.json HEAD/plan.json [--out FILE] [--prices FILE] [--history FILE... [--days N]]
 *
 * Prints, as markdown for a pull request, what changes between two offline
 * plans: history and data at risk first, then services, SLOs (budgets before
 * and after), routing, every resource and the monthly cost estimate (list
 * prices, or those of --prices FILE). With --history, the SLOs the change
 * touches replayed on that history, before and after (docs/backtest.md).
 * Exit codes: 0 fine, 2 unreadable input.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { renderDiff } from "../plan/diff";
import type { PlanDocument } from "../plan/runPlan";
import { EXIT, commandArgs, printProblems, runCommand, usageError, type CommandHelp } from "./output";
import { readPricesFile } from "./prices";
import { readHistory } from "../backtest/history";
import { BacktestInputError } from "../backtest/types";

export const DIFF_HELP: CommandHelp = {
  name: "diff",
  usage: ["npm run diff -- BASE/plan.json HEAD/plan.json [--out FILE] [--prices FILE] [--history FILE... [--days N]]"],
  summary: "Prints the markdown a pull request gets for two plans written by npm run plan: what is at risk first, then services, SLOs, routing, resources and the monthly cost. Exits 2 when a file is missing or is not a plan.",
  options: [
    { flag: "--out FILE", meaning: "write the markdown to FILE", default: "stdout" },
    { flag: "--prices FILE", meaning: "a JSON file of prices that replace the list prices in the monthly cost section, for both plans", default: "list prices" },
    { flag: "--history FILE...", meaning: "history files (query_range or timeSeries.list JSON) to replay the SLOs the change touches on: adds the section On the last N days of traffic", default: "no history section" },
    { flag: "--days N", meaning: "with --history, the days to report, ending where the history ends", default: "all the history covers after warm-up" },
  ],
};

function readPlan(file: string): PlanDocument | string {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return `${file}: (file): not found (expected a plan.json written by npm run plan)`;
  }
  try {
    const plan = JSON.parse(text) as Partial<PlanDocument>;
    if (typeof plan.stack !== "string" || !Array.isArray(plan.resources) || !Array.isArray(plan.violations)) {
      return `${file}: (document): invalid value (expected a plan.json with stack, resources and violations)`;
    }
    const usage = plan.usage as unknown;
    if (usage !== undefined && (typeof usage !== "object" || usage === null || typeof (usage as { project?: unknown }).project !== "string" || typeof (usage as { services?: unknown }).services !== "object")) {
      return `${file}: usage: invalid value (expected the project and each service's billable quantities, as npm run plan writes them)`;
    }
    return plan as PlanDocument;
  } catch (error) {
    return `${file}: (json): invalid JSON (${error instanceof Error ? error.message : String(error)}; expected a plan.json written by npm run plan)`;
  }
}

function printProblemLines(lines: readonly string[]): void {
  process.stderr.write(`${lines.join("\n")}\n${lines.length} problem${lines.length === 1 ? "" : "s"} found; no diff was written.\n`);
}

runCommand(async () => {
  const parsed = commandArgs(DIFF_HELP, {
    options: { out: { type: "string" }, prices: { type: "string" }, history: { type: "string", multiple: true }, days: { type: "string" }, help: { type: "boolean" } },
    allowPositionals: true,
    strict: true,
  });
  if (typeof parsed === "number") return parsed;
  // `--history a.json b.json`: files after the two plans are history files too.
  const plans = parsed.values.history ? parsed.positionals.slice(0, 2) : parsed.positionals;
  const historyFiles = [...(parsed.values.history ?? []), ...parsed.positionals.slice(2)];
  if (plans.length !== 2 || (!parsed.values.history && parsed.positionals.length !== 2)) {
    return usageError(DIFF_HELP, `expected two plan files (got ${parsed.positionals.length})`);
  }
  const days = parsed.values.days !== undefined ? Number(parsed.values.days) : undefined;
  if (days !== undefined && !(days > 0)) {
    process.stderr.write(`--days: invalid value (got ${JSON.stringify(parsed.values.days)}, expected a number of days above 0)\n`);
    return EXIT.invalidInput;
  }
  const [base, head] = plans.map(readPlan);
  const problems = [base, head].filter((plan): plan is string => typeof plan === "string");
  if (problems.length > 0) {
    process.stderr.write(`${problems.join("\n")}\n`);
    return EXIT.invalidInput;
  }
  const prices = parsed.values.prices !== undefined ? readPricesFile(parsed.values.prices) : undefined;
  if (prices && !prices.prices) {
    printProblems(prices.problems, "no diff was written");
    return EXIT.invalidInput;
  }
  let markdown: string;
  try {
    const history = historyFiles.length > 0 ? { history: readHistory(historyFiles), ...(days !== undefined ? { days } : {}) } : undefined;
    markdown = renderDiff(base as PlanDocument, head as PlanDocument, prices?.prices, history);
  } catch (error) {
    if (!(error instanceof BacktestInputError)) throw error;
    printProblemLines(error.lines);
    return EXIT.invalidInput;
  }
  if (parsed.values.out) {
    try {
      writeFileSync(parsed.values.out, markdown);
    } catch (error) {
      process.stderr.write(`${parsed.values.out}: (file): cannot write (got ${(error as NodeJS.ErrnoException).code ?? "an error"}, expected a writable file path)\n`);
      return EXIT.invalidInput;
    }
  }
  else process.stdout.write(markdown);
  return EXIT.ok;
});
