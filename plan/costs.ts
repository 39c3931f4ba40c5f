/**
 * The monthly cost estimate as the plan shows it: per service and per stack
 * in summary.md, and per service and in total in the plan diff. Quantities
 * come from plan.json's `usage` (model/costs.ts), prices from model/prices.ts
 * or a `--prices` file.
 */
import { estimateStack, formatPrice, formatUsd, type StackEstimate, type StackUsage } from "../model/costs";
import type { PriceList } from "../model/prices";

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
const row = (cells: readonly string[]) => `| ${cells.map(cell).join(" | ")} |`;
const table = (head: readonly string[], rows: readonly (readonly string[])[]) => [row(head), row(head.map(() => "---")), ...rows.map(row)].join("\n");

function logsNote(estimate: StackEstimate, service: string): string {
  const undeclared = estimate.undeclaredLogs.find((s) => s.service === service);
  return undeclared ? `+ ${formatPrice(round4(undeclared.perGiB))} per GiB of logs a month (volume not declared)` : "";
}

/** summary.md: the estimate per service, the stack's total, and what it assumes. */
export function costSummarySection(usage: StackUsage, prices: PriceList): string[] {
  const estimate = estimateStack(usage, prices);
  const rows = estimate.services.map((s) => [
    s.service,
    formatUsd(s.total),
    s.lines.length ? s.lines.map((line) => `${line.item} ${formatUsd(line.monthly)} (${line.basis})`).join("; ") : "nothing billed",
    [logsNote(estimate, s.service), ...s.notEstimated.map((n) => `${n.item}: not estimated (${n.reason})`)].filter(Boolean).join("; ") || "—",
  ]);
  const totals = [
    `**Stack total at list price: ${formatUsd(estimate.listTotal)} a month**` +
      (estimate.undeclaredLogs.length ? `, plus logs of ${estimate.undeclaredLogs.length} service${estimate.undeclaredLogs.length === 1 ? " that declares" : "s that declare"} no volume (logs.volumeGiBPerMonth), priced per GiB above.` : "."),
    `Free allotments are not taken off: none is this stack's alone. This stack's ${Math.round(estimate.uptimeExecutionsPerMonth).toLocaleString("en-US")} uptime-check executions a month count against project ${usage.project}'s free ${prices.values.uptimeCheckFreeExecutionsPerProject.toLocaleString("en-US")} with those of every stack that targets it (\`npm run stacks -- check\` prices the project); the others are per project or per billing account (assumptions below).`,
  ];
  return [
    "## Monthly cost (estimate at list prices)",
    estimate.services.length ? table(["Service", "Monthly", "Made of", "Not included"], rows) : "No services: nothing billed by this stack's monitoring.",
    totals.join("  \n"),
    "Assumptions:",
    estimate.assumptions.map((a) => `- ${a}`).join("\n"),
  ];
}

/**
 * The plan diff: the change per service and in total, or why it cannot be shown. A service renamed with `formerly`
 * (`renamedTo`: earlier name → current name) is compared with itself, not shown as one removed and one added.
 */
export function costDiffSection(base: StackUsage | undefined, head: StackUsage | undefined, prices: PriceList, renamedTo: ReadonlyMap<string, string> = new Map()): string[] {
  const heading = "## Monthly cost (estimate at list prices)";
  if (!base || !head) {
    return [heading, `Not shown: the ${!base ? "base" : "head"} plan.json has no usage (planned by a version that did not record it); plan both sides again.`];
  }
  const before = estimateStack(base, prices);
  const after = estimateStack(head, prices);
  const byName = (estimate: StackEstimate, rename: (name: string) => string) => new Map(estimate.services.map((s) => [rename(s.service), s]));
  const b = byName(before, (name) => renamedTo.get(name) ?? name);
  const a = byName(after, (name) => name);
  const rows: string[][] = [];
  for (const service of [...new Set([...b.keys(), ...a.keys()])].sort()) {
    const was = b.get(service)?.total ?? 0;
    const is = a.get(service)?.total ?? 0;
    const perGiB = (e: StackEstimate, name: string) => e.undeclaredLogs.find((s) => s.service === name)?.perGiB;
    const logsChanged = perGiB(before, b.get(service)?.service ?? service) !== perGiB(after, service);
    if (Math.abs(is - was) < 0.005 && !logsChanged) continue;
    const note = perGiB(after, service) !== undefined ? `+ ${formatPrice(round4(perGiB(after, service)!))} per GiB of logs a month (volume not declared)` : "";
    rows.push([service, b.has(service) ? formatUsd(was) : "—", a.has(service) ? formatUsd(is) : "—", signed(is - was), note]);
  }
  const change = after.listTotal - before.listTotal;
  return [
    heading,
    rows.length ? table(["Service", "Before", "After", "Change", "Not included"], rows) : "No service's estimate changes.",
    `Stack total at list price: ${formatUsd(before.listTotal)} → ${formatUsd(after.listTotal)} a month (**${signed(change)}**). ` +
      `Free allotments are per project (shared by its stacks: \`npm run stacks -- check\`) or per billing account, and are not taken off.`,
    "Assumptions:",
    after.assumptions.map((text) => `- ${text}`).join("\n"),
  ];
}

function signed(amount: number): string {
  if (Math.abs(amount) < 0.005) return "±$0.00";
  return amount > 0 ? `+${formatUsd(amount)}` : formatUsd(amount);
}

const round4 = (value: number) => Math.round(value * 10_000) / 10_000;
