/**
 * One catalog, several stacks. Each stack owns a part of the catalog
 * (`monitoring-stack:owns`: all, none, or teams / service-name / file
 * globs); a platform stack holds what services share (notification
 * channels) and service stacks read it (see stacks/platformReference.ts).
 *
 * Here: the check that every service of an environment is owned by exactly
 * one stack and that, per project, the stacks that target it stay within
 * Google Cloud's limits (`npm run stacks -- check`), and which stacks a change affects
 * (`npm run stacks -- affected`, for pull-request previews).
 */
import { existsSync, statSync } from "node:fs";
import * as path from "node:path";
import { minimatch } from "minimatch";
import { displayPath, loadServices } from "../contract/load";
import { describeOwnership, owns, ownershipPath } from "../contract/ownership";
import type { Problem } from "../contract/problems";
import { NAMESPACE, type StackSettings } from "../contract/stackConfig";
import { loadCatalog } from "./loadCatalog";
import { REPOSITORY_ROOT as ROOT, STACKS_DIR } from "./paths";
import { readStackSettings, stackConfigFile, stackNames } from "./stackSettings";
import { channelsCreated, itemLimitUse, limitNotices, limitProblems, projectLimitUse, type LimitUse } from "./limitChecks";
import { addCounts, emptyCounts, itemCounts, stackCounts, type ProjectCounts } from "../model/resourceCount";
import type { QuotaOverrides } from "../model/googleLimits";
import { projectUptimeEstimate, stackUsage, uptimeExecutionsPerMonth } from "../model/costs";
import { DEFAULT_PRICES } from "../model/prices";

export interface StackSummary {
  stack: string;
  environment: string;
  owns: string;
  platform?: string;
  services: string[];
}

/** Why a directory holds no stack files to read, if it does not: missing, not a directory, or no Pulumi.<stack>.yaml in it. */
export function stacksDirProblem(stacksDir: string): Problem | undefined {
  const file = displayPath(stacksDir);
  if (!existsSync(stacksDir)) return { file, path: "(dir)", message: "not found (expected a directory of Pulumi.<stack>.yaml files)" };
  if (!statSync(stacksDir).isDirectory()) return { file, path: "(dir)", message: "not a directory (expected a directory of Pulumi.<stack>.yaml files)" };
  if (stackNames(stacksDir).length === 0) return { file, path: "(dir)", message: "no stack files (expected Pulumi.<stack>.yaml files in it)" };
  return undefined;
}

/**
 * Checks every stack config in the directory and that, within each
 * environment, every service declaration is owned by exactly one stack and
 * no two owned services share a name.
 */
export async function checkStacks(stacksDir = STACKS_DIR): Promise<{ stacks: StackSummary[]; problems: Problem[]; projects: ProjectLimits[] }> {
  const problems: Problem[] = [];
  const stacks: StackSummary[] = [];
  const perProject = new Map<string, { counts: ProjectCounts; stacks: string[]; files: string[]; quotas: QuotaOverrides; items: LimitUse[]; uptimeExecutions: number }>();
  const byEnvironment = new Map<string, { stack: string; settings: StackSettings; owned: Set<string>; names: Map<string, string> }[]>();
  const unreadable = stacksDirProblem(stacksDir);
  if (unreadable) return { stacks, problems: [unreadable], projects: [] };
  for (const stack of stackNames(stacksDir)) {
    const read = readStackSettings(stack, stacksDir);
    if (!read.settings) {
      problems.push(...read.problems);
      continue;
    }
    const settings = read.settings;
    const servicesDir = path.resolve(ROOT, settings.servicesDir);
    const catalog = await loadCatalog([servicesDir], settings, { servicesDir });
    problems.push(...catalog.problems);
    const owned = catalog.problems.length > 0 ? await ownedFiles(servicesDir, settings) : catalog.services.map((s) => [path.resolve(s.file), s.name] as const);
    stacks.push({
      stack,
      environment: settings.environment,
      owns: describeOwnership(settings.owns),
      ...(settings.platform ? { platform: settings.platform.stack } : {}),
      services: owned.map(([, name]) => name).sort(),
    });
    const entry = { stack, settings, owned: new Set(owned.map(([file]) => file)), names: new Map(owned.map(([file, name]) => [name, file])) };
    // Every stack that targets a project adds to that project's counts.
    const project = perProject.get(settings.project) ?? { counts: emptyCounts(), stacks: [], files: [], quotas: {}, items: [], uptimeExecutions: 0 };
    // The project's free uptime-check executions are shared by its stacks: priced here, once per project.
    project.uptimeExecutions += uptimeExecutionsPerMonth(stackUsage(settings.project, catalog.services), DEFAULT_PRICES);
    project.counts = addCounts(project.counts, stackCounts(catalog.services, channelsCreated(settings)));
    project.stacks.push(stack);
    project.files.push(stackConfigFile(stack, stacksDir));
    project.quotas = { ...settings.quotas, ...project.quotas };
    project.items.push(...itemLimitUse(itemCounts(catalog.services)));
    perProject.set(settings.project, project);
    byEnvironment.set(settings.environment, [...(byEnvironment.get(settings.environment) ?? []), entry]);
  }
  for (const [environment, members] of byEnvironment) {
    const dirs = [...new Set(members.filter((m) => m.settings.owns !== "none").map((m) => path.resolve(ROOT, m.settings.servicesDir)))];
    const { services } = await loadServices(dirs.filter((dir) => existsSync(dir)));
    for (const { file } of services) {
      const owners = members.filter((m) => m.owned.has(path.resolve(file))).map((m) => m.stack);
      if (owners.length === 1) continue;
      const candidates = members.map((m) => `${m.stack} (${describeOwnership(m.settings.owns)})`).join(", ");
      problems.push({
        file,
        path: "(file)",
        message:
          owners.length === 0
            ? `owned by no stack of environment ${environment} (expected exactly one; stacks: ${candidates})`
            : `owned by ${owners.length} stacks of environment ${environment} (got ${owners.join(", ")}, expected exactly one; narrow their ${NAMESPACE}:owns)`,
      });
    }
    const seen = new Map<string, string>();
    for (const member of members) {
      for (const [name, file] of member.names) {
        const other = seen.get(name);
        if (other !== undefined && other !== file) {
          problems.push({ file: displayPath(file), path: "name", message: `duplicate service name in environment ${environment} (got ${JSON.stringify(name)}, also declared in ${displayPath(other)}; expected names unique across the environment's stacks)` });
        }
        seen.set(name, file);
      }
    }
  }
  const projects: ProjectLimits[] = [];
  for (const [project, { counts, stacks: members, files, quotas, items, uptimeExecutions }] of [...perProject].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const uses = [...projectLimitUse(project, counts, quotas, members), ...items];
    problems.push(...limitProblems(uses, files.join(", ")));
    projects.push({ project, stacks: members, uses, notices: limitNotices(uses), uptimeChecks: projectUptimeEstimate(uptimeExecutions, DEFAULT_PRICES) });
  }
  return { stacks, problems, projects };
}

/** One project's count against each limit, from every stack that targets it. */
export interface ProjectLimits {
  project: string;
  stacks: string[];
  /** Uptime-check executions a month of all its stacks, the project's free allotment applied once, priced at list price. */
  uptimeChecks: { executions: number; free: number; monthly: number };
  uses: LimitUse[];
  /** From 80 % of a limit. */
  notices: string[];
}

/** Shape-valid declarations a stack owns, ignoring semantic problems (so ownership can still be checked). */
async function ownedFiles(servicesDir: string, settings: StackSettings): Promise<(readonly [string, string])[]> {
  const { services } = await loadServices(existsSync(servicesDir) ? [servicesDir] : []);
  return services
    .filter(({ spec, file }) => owns(settings.owns, { name: spec.name, team: spec.team, file: ownershipPath(file, servicesDir) }))
    .map(({ spec, file }) => [path.resolve(file), spec.name] as const);
}

/** Changes that affect no stack's resources. */
const NO_STACK = ["**/*.md", "test/**", "bench/**", "examples/**", ".gitignore", "LICENSE", "**/*.test.ts"];

/**
 * The stacks whose preview a change can alter, for a pull request's preview
 * matrix: a stack config file affects its stack and the stacks that use it as
 * their platform; a service declaration affects the stacks that own it (every
 * stack that could, when it was deleted or does not parse); documentation,
 * tests and benchmarks affect none; anything else (components, the program,
 * dependencies, Pulumi.yaml) affects every stack. Paths are relative to the
 * repository root. Run it on both sides of a change and take the union when a
 * declaration may have moved between stacks (a new team, a renamed file).
 */
export async function affectedStacks(changedFiles: readonly string[], stacksDir = STACKS_DIR): Promise<{ stacks: string[]; problems: Problem[] }> {
  const all = stackNames(stacksDir);
  const problems: Problem[] = [];
  const settings = new Map<string, StackSettings>();
  for (const stack of all) {
    const read = readStackSettings(stack, stacksDir);
    if (read.settings) settings.set(stack, read.settings);
    else problems.push(...read.problems);
  }
  const affected = new Set<string>();
  const stacksRelative = path.relative(ROOT, stacksDir).split(path.sep).join("/");
  for (const changed of changedFiles) {
    const file = changed.split(path.sep).join("/").replace(/^\.\//, "");
    const stackFile = new RegExp(`^${escapeRegExp(stacksRelative)}/Pulumi\\.(.+)\\.ya?ml$`).exec(file)?.[1];
    if (stackFile !== undefined) {
      affected.add(stackFile);
      for (const [stack, s] of settings) if (s.platform?.stack === stackFile) affected.add(stack);
      continue;
    }
    const owners = [...settings].filter(([, s]) => s.owns !== "none" && isInside(file, s.servicesDir));
    if (owners.length > 0 && /\.(ya?ml|ts)$/.test(file)) {
      const absolute = path.resolve(ROOT, file);
      const loaded = existsSync(absolute) ? await loadServices([absolute]) : undefined;
      const spec = loaded?.services[0]?.spec;
      for (const [stack, s] of owners) {
        const subject = spec && { name: spec.name, team: spec.team, file: ownershipPath(absolute, path.resolve(ROOT, s.servicesDir)) };
        if (!subject || owns(s.owns, subject)) affected.add(stack);
      }
      continue;
    }
    if (NO_STACK.some((pattern) => minimatch(file, pattern, { dot: true }))) continue;
    for (const stack of all) affected.add(stack);
  }
  return { stacks: [...affected].filter((stack) => all.includes(stack)).sort(), problems };
}

function isInside(file: string, dir: string): boolean {
  const relative = path.relative(path.resolve(ROOT, dir), path.resolve(ROOT, file));
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Declarations the stack leaves to others that no stack of its environment
 * owns: each is a problem naming the `owns` entry that would make this stack
 * own it. Checked by `npm run validate -- --stack NAME` so a new team's
 * service is caught before it is planned, not after.
 */
export async function ownedByNoStack(stack: string, settings: StackSettings, files: readonly string[], stacksDir = STACKS_DIR): Promise<Problem[]> {
  if (files.length === 0 || settings.owns === "none") return [];
  const others = stackNames(stacksDir)
    .filter((name) => name !== stack)
    .map((name) => ({ name, settings: readStackSettings(name, stacksDir).settings }))
    .filter((other): other is { name: string; settings: StackSettings } => other.settings !== undefined && other.settings.environment === settings.environment);
  const { services } = await loadServices(files);
  const problems: Problem[] = [];
  for (const { file, spec } of services) {
    const owners = others.filter((other) => {
      const dir = path.resolve(ROOT, other.settings.servicesDir);
      return owns(other.settings.owns, { name: spec.name, team: spec.team, file: ownershipPath(file, dir) });
    });
    if (owners.length > 0) continue;
    const stackFile = displayPath(path.join(stacksDir, `Pulumi.${stack}.yaml`));
    problems.push({
      file,
      path: "(file)",
      message: `owned by no stack of environment ${settings.environment} (got team ${spec.team}, service ${spec.name}; expected a stack to own it: add ${spec.team} to ${NAMESPACE}:owns.teams, or ${spec.name} to ${NAMESPACE}:owns.services, in ${stackFile})`,
    });
  }
  return problems;
}
