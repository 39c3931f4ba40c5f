/**
 * The numbers an example's README gives for what is provisioned hold in that
 * example's plan. Each row of the README's mapping table says, in its
 * "Provisioned" column, what the plan makes of a target; every number said
 * there in one of the forms below (objectives and windows, latency
 * thresholds, retention, backup times and locks, check periods, scaling,
 * log-alert thresholds, burn rates, late-backup times) is read and looked up
 * in the plan of the example's own stack (resources, and the model they are
 * built from). Numbers in other forms are not checked; the test counts what
 * it checked so that a README rewritten out of these forms is noticed.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { PlannedResource } from "../../plan/mockRuntime";
import type { ServiceModel } from "../../model/types";
import { runPlan } from "../../plan/runPlan";

const EXAMPLES = path.join(__dirname, "..", "..", "examples");
const SYSTEMS = ["magidesk-pos", "missing-table", "equestrian", "ftry", "dried-fruits"] as const;

interface Plan {
  resources: PlannedResource[];
  services: ServiceModel[];
}
const plans = new Map<string, Plan>();

beforeAll(async () => {
  for (const system of SYSTEMS) {
    const outcome = await runPlan({ stack: system, configFile: path.join(EXAMPLES, system, `Pulumi.${system}.yaml`), servicesDir: path.join(EXAMPLES, system, "services") });
    if (!outcome.ok) throw new Error(`${system}: ${outcome.problems.map((p) => p.message).join("; ")}`);
    plans.set(system, { resources: outcome.plan.resources, services: outcome.program.services });
  }
}, 120_000);

/** The "Provisioned" cells of a README's mapping table (the last column of rows under a header naming it). */
function provisionedCells(markdown: string): string[] {
  const rows = markdown.split("\n").filter((line) => line.startsWith("|"));
  const header = rows.find((row) => /\|\s*Provisioned\s*\|/.test(row));
  if (!header) return [];
  const column = header.split("|").map((c) => c.trim()).indexOf("Provisioned");
  return rows.slice(rows.indexOf(header) + 2).map((row) => row.split("|").map((c) => c.trim())[column] ?? "");
}

const ofType = (plan: Plan, type: string) => plan.resources.filter((r) => r.type === type).map((r) => r.inputs as Record<string, any>);
const slos = (plan: Plan) => plan.services.flatMap((s) => s.slos);
const num = (text: string) => Number(text);

/** A form of number the READMEs use, and what makes it true in a plan: the values the plan has for it. */
interface Claim {
  form: RegExp;
  /** What the plan holds for this form, each as the text a README would give; the claim holds when its own text is among them. */
  values: (plan: Plan, match: RegExpMatchArray) => string[];
  /** The claim's text, from the match. */
  said: (match: RegExpMatchArray) => string;
}

const CLAIMS: Claim[] = [
  // "99.9 % over 30 d"
  { form: /(\d+(?:\.\d+)?) % over (\d+) d\b/g, said: (m) => `${num(m[1]!)} % over ${m[2]} d`, values: (p) => slos(p).map((s) => `${s.objective} % over ${s.windowDays} d`) },
  // "SLO `error-rate` 99.9 %", "`latency` 99 %"
  { form: /`([a-z0-9-]+)`:? (\d+(?:\.\d+)?) %/g, said: (m) => `${m[1]} ${num(m[2]!)} %`, values: (p) => slos(p).map((s) => `${s.name} ${s.objective} %`) },
  // "95 % of requests within 500 ms", "99 % within 1 s"
  {
    form: /(\d+(?:\.\d+)?) % (?:of (?:requests|queries) )?within (\d+) (ms|s)\b/g,
    said: (m) => `${num(m[1]!)} % within ${num(m[2]!) * (m[3] === "s" ? 1000 : 1)} ms`,
    values: (p) => slos(p).flatMap((s) => ("thresholdMs" in s.indicator && s.indicator.thresholdMs !== undefined ? [`${s.objective} % within ${s.indicator.thresholdMs} ms`] : [])),
  },
  // "kept 30 days" (log buckets and backups)
  {
    form: /kept (\d+) days/g,
    said: (m) => `kept ${m[1]} days`,
    values: (p) => [
      ...ofType(p, "gcp:logging/projectBucketConfig:ProjectBucketConfig").map((b) => `kept ${b["retentionDays"]} days`),
      ...ofType(p, "gcp:backupdisasterrecovery/backupPlan:BackupPlan").flatMap((plan) => (plan["backupRules"] as { backupRetentionDays: number }[]).map((r) => `kept ${r.backupRetentionDays} days`)),
    ],
  },
  // "locked against deletion for 7 days", "30-day enforced retention"
  {
    form: /(?:locked against deletion for (\d+) days|(\d+)-day enforced retention)/g,
    said: (m) => `locked ${m[1] ?? m[2]} days`,
    values: (p) => ofType(p, "gcp:backupdisasterrecovery/backupVault:BackupVault").map((v) => `locked ${Number(/^(\d+)s$/.exec(v["backupMinimumEnforcedRetentionDuration"])![1]) / 86_400} days`),
  },
  // "7 days of transaction logs", "7 days of logs"
  { form: /(\d+) days of (?:transaction )?logs/g, said: (m) => `${m[1]} days of logs`, values: (p) => ofType(p, "gcp:backupdisasterrecovery/backupPlan:BackupPlan").map((plan) => `${plan["logRetentionDays"]} days of logs`) },
  // "daily at 18:00 UTC", "daily plan at 03:00 UTC", "backups start 01:00 UTC"
  {
    form: /(?:daily(?: plan)? at|start) (\d\d):00 UTC/g,
    said: (m) => `${num(m[1]!)}:00`,
    values: (p) =>
      ofType(p, "gcp:backupdisasterrecovery/backupPlan:BackupPlan").flatMap((plan) => (plan["backupRules"] as { standardSchedule: { backupWindow: { startHourOfDay: number } } }[]).map((r) => `${r.standardSchedule.backupWindow.startHourOfDay}:00`)),
  },
  // "no success for 36 h", "no backup succeeded for 36 h" (Backup and DR), "no success for 26 h" (a threshold alert)
  {
    form: /no (?:backup )?succe(?:ss|eded) for (\d+) h/g,
    said: (m) => `${m[1]} h`,
    values: (p) => [
      ...p.services.flatMap((s) => (s.backup ? [`${s.backup.lateAfterMs / 3_600_000} h`] : [])),
      ...p.services.flatMap((s) => s.alerts.flatMap((a) => [...a.expr.matchAll(/\b(\d+) \* 3600\b|\[(\d+)h\]/g)].map((m) => `${m[1] ?? m[2]} h`))),
    ],
  },
  // "every 60 s", "every 5 min" (uptime checks and Synthetic Monitoring checks)
  {
    form: /every (\d+) (s|min)\b/g,
    said: (m) => `every ${num(m[1]!) * (m[2] === "min" ? 60 : 1)} s`,
    values: (p) => [
      ...ofType(p, "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig").map((c) => `every ${Number(/^(\d+)s$/.exec(c["period"])![1])} s`),
      ...ofType(p, "grafana:syntheticMonitoring/check:Check").map((c) => `every ${c["frequency"] / 1000} s`),
    ],
  },
  // "1–20 instances", "80 concurrent requests", "CPU 70 %, memory 80 %", "CPU 70 % / memory 80 %"
  { form: /(\d+)–(\d+) instances/g, said: (m) => `${m[1]}–${m[2]}`, values: (p) => p.services.flatMap((s) => (s.scaling ? [`${s.scaling.minInstances}–${s.scaling.maxInstances}`] : [])) },
  { form: /(\d+) concurrent requests/g, said: (m) => `${m[1]} concurrent`, values: (p) => p.services.flatMap((s) => (s.scaling?.concurrency !== undefined ? [`${s.scaling.concurrency} concurrent`] : [])) },
  {
    form: /CPU (\d+) %(?:,| \/) memory (\d+) %/g,
    said: (m) => `CPU ${m[1]} memory ${m[2]}`,
    values: (p) => p.services.flatMap((s) => (s.scaling ? [`CPU ${s.scaling.cpuTargetPercent} memory ${s.scaling.memoryTargetPercent}`] : [])),
  },
  // "2–6 (backend) … replicas": the HorizontalPodAutoscaler of that workload
  {
    form: /(\d+)–(\d+) \((\w+)\)/g,
    said: (m) => `${m[3]} ${m[1]}–${m[2]}`,
    values: (p) =>
      ofType(p, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler").map((h) => `${String(h["metadata"]?.["name"] ?? "").split("-").pop()} ${h["spec"]?.["minReplicas"]}–${h["spec"]?.["maxReplicas"]}`),
  },
  // "above 20 per 5 min", "more than 50 … in 5 minutes": log-based alerts
  {
    form: /(?:above (\d+) per|more than (\d+) [^|]*?entries[^|]*? in) (\d+) min/g,
    said: (m) => `${m[1] ?? m[2]} per ${m[3]} min`,
    values: (p) => p.services.flatMap((s) => (s.logs?.metrics ?? []).flatMap((metric) => (metric.alert ? [`${metric.alert.above} per ${metric.alert.perMs / 60_000} min`] : []))),
  },
  // "page 14.4×/6×, ticket 3×": the burn-rate tiers
  {
    form: /page (\d+(?:\.\d+)?)×\/(\d+(?:\.\d+)?)×, ticket (\d+(?:\.\d+)?)×/g,
    said: (m) => `page ${m[1]}/${m[2]}, ticket ${m[3]}`,
    values: (p) =>
      slos(p).map((s) => {
        const rates = (severity: string) => s.tiers.filter((t) => t.severity === severity).map((t) => t.burnRate);
        return `page ${rates("page").join("/")}, ticket ${rates("ticket").join("/")}`;
      }),
  },
  // "43 bad minutes a month": the budget, in whole minutes
  { form: /(\d+) bad minutes a month/g, said: (m) => `${m[1]} min`, values: (p) => slos(p).filter((s) => s.windowDays === 30).map((s) => `${Math.floor(s.budgetMinutes)} min`) },
];

/** Every claim in the Provisioned cells, with whether the plan holds it. */
function check(system: string, markdown: string): { checked: number; wrong: string[] } {
  const plan = plans.get(system)!;
  let checked = 0;
  const wrong: string[] = [];
  for (const cell of provisionedCells(markdown)) {
    for (const claim of CLAIMS) {
      for (const match of cell.matchAll(claim.form)) {
        checked++;
        const values = [...new Set(claim.values(plan, match))];
        if (!values.includes(claim.said(match))) wrong.push(`${system}: "${match[0]}" — the plan has ${values.length ? values.join("; ") : "none"}`);
      }
    }
  }
  return { checked, wrong };
}

describe("example READMEs", () => {
  it.each(SYSTEMS)("%s: every number its mapping table gives for what is provisioned holds in its plan", (system) => {
    const { checked, wrong } = check(system, readFileSync(path.join(EXAMPLES, system, "README.md"), "utf8"));
    expect(wrong).toEqual([]);
    // Each README says at least this much in the checked forms (the walk works).
    expect(checked).toBeGreaterThanOrEqual(4);
  });

  it("fails on a number the plan does not hold", () => {
    const planted = "| Target | Source | Provisioned |\n|---|---|---|\n| backups | guide | vault (protected, 30-day enforced retention), kept 30 days, every 60 s |\n";
    expect(check("magidesk-pos", planted).wrong).toEqual(["magidesk-pos: \"30-day enforced retention\" — the plan has locked 7 days"]);
  });
});
