/**
 * The offline plan: the very program `pulumi up` runs, under Pulumi's mock
 * runtime, with the stack's config read from its YAML file. Produces
 * plan.json (every resource with its inputs, secrets masked) and summary.md.
 */
import * as path from "node:path";
import { displayPath } from "../contract/load";
import { InvalidInputError, type Problem } from "../contract/problems";
import { monitoringProgram, type ProgramResult } from "../stacks/program";
import { PROJECT, REPOSITORY_ROOT } from "../catalog/paths";
import { stackFilePath } from "../catalog/stackSettings";
import { stackReferenceStandIn } from "./platformStandIns";
import { runUnderMocks, type PlannedResource } from "./mockRuntime";
import { notProvisioned, serviceUrn, type Violation } from "./notices";
import { readStackFile } from "../catalog/stackFile";
import { renderSummary } from "./summary";
import { recordService, type RecordedService } from "./planRecord";
import { policyConfigPath, readPolicyConfig, runPolicies } from "./policyPass";
import { renderArtefacts } from "../components/stackWide";
import { limitNotices, limitProblems } from "../catalog/limitChecks";
import { stackUsage, type StackUsage } from "../model/costs";
import type { PriceList } from "../model/prices";
import { jsonPieces, writePieces } from "./jsonPieces";

/** Notices of a stack close to one of Google Cloud's limits (model/googleLimits.ts). */
export const LIMITS_POLICY = "gcp-limits";

function stackUrn(stack: string, project: string): string {
  return `urn:pulumi:${stack}::${project}::pulumi:pulumi:Stack::${project}-${stack}`;
}

/** The Pulumi project name (Pulumi.yaml). */
export const PULUMI_PROJECT = PROJECT;

export interface PlanOptions {
  /** Stack name; its config is read from stacks/Pulumi.<stack>.yaml. Default `local`. */
  stack?: string;
  /** Directory of declarations; default: the stack's own (`monitoring-stack:services.dir`). */
  servicesDir?: string;
  /** Stack config file to read instead of stacks/Pulumi.<stack>.yaml. */
  configFile?: string;
  /** Policy config (as for --policy-pack-config). Default: policies/config/<environment>.json when present. */
  policyConfigFile?: string;
  /** Prices for the cost estimate in summary.md (`--prices`). Default: the list prices in model/prices.ts. */
  prices?: PriceList;
  /** Plan past Google Cloud's limits, each one exceeded noted in the plan (`--over-limits`; benchmarks only). Default: false. */
  overLimits?: boolean;
}

export interface PlanDocument {
  stack: string;
  /** The Google Cloud project the stack deploys to. Absent in plans written before it was recorded. */
  project?: string;
  /** Every service's SLOs (all backends) and who it notifies. Absent in plans written before it was recorded. */
  services?: RecordedService[];
  resources: PlannedResource[];
  violations: Violation[];
  /** Billable quantities per service, priced by summary.md and the plan diff (absent in plans of earlier versions). */
  usage?: StackUsage;
}

export type PlanOutcome =
  | { ok: true; plan: PlanDocument; summary: string; program: ProgramResult; artefacts: Record<string, string> }
  | { ok: false; problems: Problem[] };

export async function runPlan(options: PlanOptions = {}): Promise<PlanOutcome> {
  const stack = options.stack ?? "local";
  const file = options.configFile ?? stackFilePath(stack);
  const shown = displayPath(file);
  const { stack: stackFile, problems } = readStackFile(file, shown);
  if (!stackFile) return { ok: false, problems };

  let run;
  try {
    run = await runUnderMocks({ project: PULUMI_PROJECT, stack, ...stackFile, stackReferences: (name) => stackReferenceStandIn(name) }, () =>
      monitoringProgram({ configFile: shown, offline: true, ...(options.servicesDir ? { servicesDir: path.resolve(options.servicesDir) } : {}), ...(options.overLimits ? { overLimits: true } : {}) }),
    );
  } catch (error) {
    if (error instanceof InvalidInputError) return { ok: false, problems: error.problems };
    throw error;
  }
  const program = run.result;
  const artefacts = renderArtefacts(program.services, program.settings, stack);
  const policyConfig = readPolicyConfig(options.policyConfigFile ?? policyConfigPath(REPOSITORY_ROOT, program.settings.environment));
  const violations = [
    ...(await runPolicies(run.resources, run.dependencies, policyConfig)),
    ...program.services.flatMap((service) => [
      ...notProvisioned(service, serviceUrn(stack, PULUMI_PROJECT, service.name)),
      ...artefacts.notices
        .filter((notice) => notice.service === service.name)
        .map((notice): Violation => ({ policy: "alertmanager-route", urn: serviceUrn(stack, PULUMI_PROJECT, service.name), level: "advisory", message: `${service.name}: ${notice.message}` })),
    ]),
  ];
  // Within Google Cloud's limits (the program refused anything past one), but close to one: say so.
  const { limitUse } = program;
  for (const message of limitNotices(limitUse)) {
    violations.push({ policy: LIMITS_POLICY, urn: stackUrn(stack, PULUMI_PROJECT), level: "advisory", message });
  }
  // Planned past a limit on request (--over-limits): pulumi up refuses this stack, and the plan says so.
  for (const problem of limitProblems(limitUse, shown)) {
    violations.push({ policy: LIMITS_POLICY, urn: stackUrn(stack, PULUMI_PROJECT), level: "advisory", message: `planned past the limit on request (--over-limits); pulumi up refuses this stack: ${problem.message}` });
  }
  const plan: PlanDocument = {
    stack,
    project: program.settings.project,
    services: program.services.map((service) => recordService(service, program.settings)),
    resources: run.resources,
    violations,
    usage: stackUsage(program.settings.project, program.services),
  };
  const summary = renderSummary({
    stack,
    settings: program.settings,
    services: program.services,
    resources: run.resources,
    violations,
    ...(options.prices ? { prices: options.prices } : {}),
  });
  return { ok: true, plan, summary, program, artefacts: artefacts.files };
}

/** plan.json text: two-space JSON with a final newline, byte-identical for the same input. */
export function planJson(plan: PlanDocument): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}

/** plan.json's text in pieces (one per resource, violation, service...): joined, exactly `planJson(plan)`. */
export function* planJsonPieces(plan: PlanDocument): Generator<string> {
  yield* jsonPieces(plan, 2);
  yield "\n";
}

/** Writes plan.json to `file` piece by piece, never holding the whole text (about 100 MB at 1000 services). */
export function writePlanJson(file: string, plan: PlanDocument): Promise<void> {
  return writePieces(file, planJsonPieces(plan));
}
