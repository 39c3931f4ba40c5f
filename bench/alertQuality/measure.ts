/**
 * Measures one rule set on one SLO: every scenario, batched into one promtool
 * run per evaluation step (and per SLI kind), in every group order the rule
 * set can run in; the outcome per scenario is the worst over the orders, with
 * the best kept to show the spread.
 */
import { stringify } from "yaml";
import { outcome, runPromtool, scenarios as allScenarios, type Outcome, type Scenario } from "./harness";
import { RULE_SETS, type RuleSet, type RuleSetName, type SloUnderTest } from "./rulesets";

export interface Measured {
  scenario: Scenario;
  /** Worst outcome over the group orders (the latest detection and reset, the most false alerts). */
  worst: Outcome;
  /** Best outcome over the group orders. */
  best: Outcome;
}

/** The rule file, without annotations: they do not change when alerts fire, and promtool would print them at every evaluation. */
function renderer(ruleSet: RuleSet): () => string {
  const groups = ruleSet.groups.map((group) => ({ ...group, rules: group.rules.map(({ annotations: _, ...rule }) => rule) }));
  return () => stringify({ groups }, { lineWidth: 0, aliasDuplicateObjects: false });
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

/** Measures `name` on `slo`; `only` limits the scenarios by id. */
export async function measure(name: RuleSetName, slo: Omit<SloUnderTest, "kind">, only?: readonly string[]): Promise<{ results: Measured[]; runs: { batch: string; seconds: number }[] }> {
  const chosen = allScenarios({ ...slo, kind: "ratio" }).filter((s) => !only || only.includes(s.id));
  const batches = new Map<string, Scenario[]>();
  for (const scenario of chosen) {
    const key = `${scenario.latency ? "latency" : "ratio"}@${scenario.stepSeconds}s`;
    if (!batches.has(key)) batches.set(key, []);
    batches.get(key)!.push(scenario);
  }
  const perScenario = new Map<string, Outcome[]>();
  const runs: { batch: string; seconds: number }[] = [];
  // Every batch and group order is its own promtool run; they go side by side.
  const jobs = [...batches].flatMap(([key, batch]) => {
    const ruleSet = RULE_SETS[name]({ ...slo, kind: key.startsWith("latency") ? "latency" : "ratio" });
    return ruleSet.orders.map((order) => async () => {
      const { fired, seconds } = await runPromtool(ruleSet, order, batch, renderer(ruleSet));
      runs.push({ batch: `${name} ${key}${ruleSet.orders.length > 1 ? ` ${order.join(" > ")}` : ""}`, seconds });
      for (const scenario of batch) {
        const list = perScenario.get(scenario.id) ?? [];
        list.push(outcome(scenario, fired.get(scenario.id) ?? [], ruleSet.classify));
        perScenario.set(scenario.id, list);
      }
    });
  });
  await Promise.all(jobs.map((job) => job()));
  return {
    results: chosen.map((scenario) => ({ scenario, worst: combine(perScenario.get(scenario.id)!, "worst"), best: combine(perScenario.get(scenario.id)!, "best") })),
    runs,
  };
}
