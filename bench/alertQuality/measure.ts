/**
 * Measures one rule set on one SLO: every scenario, batched into one promtool
 * run per evaluation step (and per SLI kind), in every group order the rule
 * set can run in; the outcome per scenario is the worst over the orders, with
 * the best kept to show the spread.
 *
 * The steps are separate so the matrix can keep what promtool reported
 * (bench/alertQuality/results.json) and judge it again without running it:
 * `plannedRuns` gives each run's rule and test files (and so a digest of
 * everything promtool reads), `execute` runs one, `summarise` turns the alerts
 * promtool reported into outcomes.
 */
import { createHash } from "node:crypto";
import { stringify } from "yaml";
import { outcome, runPromtoolFiles, scenarios as allScenarios, testsText, type FiredAlert, type Outcome, type Scenario } from "./harness";
import { RULE_SETS, type RuleSet, type RuleSetName, type SloUnderTest } from "./rulesets";

export interface Measured {
  scenario: Scenario;
  /** Worst outcome over the group orders (the latest detection and reset, the most false alerts). */
  worst: Outcome;
  /** Best outcome over the group orders. */
  best: Outcome;
}

/** The rule file, without annotations: they do not change when alerts fire, and promtool would print them at every evaluation. */
function renderRules(ruleSet: RuleSet): string {
  const groups = ruleSet.groups.map((group) => ({ ...group, rules: group.rules.map(({ annotations: _, ...rule }) => rule) }));
  return stringify({ groups }, { lineWidth: 0, aliasDuplicateObjects: false });
}

const later = (a?: number, b?: number) => (a === undefined || b === undefined ? undefined : Math.max(a, b));
const sooner = (a?: number, b?: number) => (a === undefined ? b : b === undefined ? a : Math.min(a, b));

function combine(outcomes: Outcome[], pick: "worst" | "best"): Outcome {
  const worst = pick === "worst";
  return outcomes.reduce((acc, o) => ({
    detection: worst ? later(acc.detection, o.detection) : sooner(acc.detection, o.detection),
    falseAlerts: worst ? Math.max(acc.falseAlerts, o.falseAlerts) : Math.min(acc.falseAlerts, o.falseAlerts),
    falseDetail: (worst ? acc.falseAlerts >= o.falseAlerts : acc.falseAlerts <= o.falseAlerts) ? acc.falseDetail : o.falseDetail,
    ...(acc.reset !== undefined || o.reset !== undefined ? { reset: worst ? later(acc.reset, o.reset) ?? acc.reset ?? o.reset : sooner(acc.reset, o.reset) } : {}),
    ...(acc.stillFiring || o.stillFiring ? { stillFiring: true } : {}),
  }));
}

/** One promtool run: a batch of scenarios against the rule set in one group order. */
export interface PlannedRun {
  /** Batch key, `ratio@30s`, and the group order when there is more than one. */
  batch: string;
  order: string[];
  scenarios: Scenario[];
  /** The rule file and the test file promtool reads. */
  rules: string;
  tests: string;
}

/** Every promtool run that measures `name` on `slo`; `only` limits the scenarios by id. Runs nothing. */
export function plannedRuns(name: RuleSetName, slo: Omit<SloUnderTest, "kind">, only?: readonly string[]): PlannedRun[] {
  const chosen = allScenarios({ ...slo, kind: "ratio" }).filter((s) => !only || only.includes(s.id));
  const batches = new Map<string, Scenario[]>();
  for (const scenario of chosen) {
    const key = `${scenario.latency ? "latency" : "ratio"}@${scenario.stepSeconds}s`;
    if (!batches.has(key)) batches.set(key, []);
    batches.get(key)!.push(scenario);
  }
  return [...batches].flatMap(([key, batch]) => {
    const ruleSet = RULE_SETS[name]({ ...slo, kind: key.startsWith("latency") ? "latency" : "ratio" });
    const rules = renderRules(ruleSet);
    return ruleSet.orders.map((order) => ({
      batch: `${key}${ruleSet.orders.length > 1 ? ` ${order.join(" > ")}` : ""}`,
      order,
      scenarios: batch,
      rules,
      tests: testsText(ruleSet, order, batch),
    }));
  });
}

/** A digest of everything promtool reads for these runs: equal digests, equal measurements. */
export function inputsDigest(runs: readonly PlannedRun[]): string {
  const hash = createHash("sha256");
  for (const run of runs) hash.update(run.batch).update("\0").update(run.rules).update("\0").update(run.tests).update("\0");
  return hash.digest("hex").slice(0, 16);
}

export interface ExecutedRun {
  batch: string;
  seconds: number;
  /** What promtool reported firing, per scenario id of the run's batch. */
  fired: Map<string, FiredAlert[]>;
}

export async function execute(run: PlannedRun): Promise<ExecutedRun> {
  const { fired, seconds } = await runPromtoolFiles(run.rules, run.tests);
  const perScenario = new Map(run.scenarios.map((scenario) => [scenario.id, fired.get(scenario.id) ?? []]));
  return { batch: run.batch, seconds, fired: perScenario };
}

/** Outcomes per scenario from what promtool reported in each run (each scenario appears in one run per group order). */
export function summarise(name: RuleSetName, slo: Omit<SloUnderTest, "kind">, runs: readonly Pick<ExecutedRun, "fired">[], only?: readonly string[]): Measured[] {
  const { classify } = RULE_SETS[name]({ ...slo, kind: "ratio" });
  const chosen = allScenarios({ ...slo, kind: "ratio" }).filter((s) => !only || only.includes(s.id));
  const out: Measured[] = [];
  for (const scenario of chosen) {
    const outcomes = runs.filter((run) => run.fired.has(scenario.id)).map((run) => outcome(scenario, run.fired.get(scenario.id)!, classify));
    if (outcomes.length === 0) continue;
    out.push({ scenario, worst: combine(outcomes, "worst"), best: combine(outcomes, "best") });
  }
  return out;
}

/** Measures `name` on `slo`, its promtool runs side by side; `only` limits the scenarios by id. */
export async function measure(name: RuleSetName, slo: Omit<SloUnderTest, "kind">, only?: readonly string[]): Promise<{ results: Measured[]; runs: { batch: string; seconds: number }[] }> {
  const executed = await Promise.all(plannedRuns(name, slo, only).map(execute));
  return { results: summarise(name, slo, executed, only), runs: executed.map(({ batch, seconds }) => ({ batch: `${name} ${batch}`, seconds })) };
}
