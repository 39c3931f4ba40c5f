/**
 * One catalog, several stacks. Each stack owns a part of the catalog
 * (`monitoring-stack:owns`: all, none, or teams / service-name / file
 * globs); a platform stack holds what services share (notification
 * channels; Grafana folders to come) and exports it, and service stacks
 * read it through a StackReference (`monitoring-stack:platform`).
 *
 * Also here: reading a stack's settings with its platform resolved, the
 * check that every service of an environment is owned by exactly one
 * stack, and which stacks a change affects (for pull-request previews).
 */
import { existsSync, readdirSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { minimatch } from "minimatch";
import { loadCatalog } from "../components/catalog";
import { readStackFile } from "../components/plan/stackFile";
import { displayPath, loadServices } from "../components/spec/load";
import { describeOwnership, owns, ownershipPath, type PlatformRef } from "../components/spec/ownership";
import type { Problem } from "../components/spec/problems";
import { NAMESPACE, parseStackConfig, unknownChannel, type StackSettings } from "../components/spec/stackConfig";

/** The repository root (Pulumi.yaml) and the stack config directory (Pulumi.yaml: stackConfigDir). */
export const ROOT = path.resolve(__dirname, "..");
export const STACKS_DIR = __dirname;
export const PROJECT = "monitoring-stack";

/** The Platform component's resource name; channel resources are named `platform-<channel>`. */
export const PLATFORM_NAME = "platform";

/**
 * What a stack that defines shared resources exports (`pulumi stack output`)
 * and service stacks read through a StackReference. Extend, never rename:
 * deployed service stacks read these keys.
 */
export interface PlatformExports {
  /** Notification channel resource names (`projects/P/notificationChannels/ID`) by channel name. */
  channelIds: Record<string, string>;
}

/** Where a stack's config lives: stacks/Pulumi.<stack>.yaml (Pulumi.yaml sets stackConfigDir). */
export function stackFilePath(stack: string, stacksDir = STACKS_DIR): string {
  return path.join(stacksDir, `Pulumi.${stack}.yaml`);
}

/** Stack names with a config file in the stacks directory, sorted. */
export function stackNames(stacksDir = STACKS_DIR): string[] {
  return readdirSync(stacksDir)
    .map((entry) => /^Pulumi\.(.+)\.ya?ml$/.exec(entry)?.[1])
    .filter((name): name is string => name !== undefined)
    .sort();
}

/** The fully qualified name a StackReference takes: organization/project/stack. */
export function platformStackName(ref: PlatformRef, organization: string, project = PROJECT): string {
  return `${ref.organization ?? organization}/${project}/${ref.stack}`;
}

/** Reads and checks a stack's config file, platform resolved: what every command starts from. */
export function readStackSettings(stack: string, stacksDir = STACKS_DIR): { settings?: StackSettings; problems: Problem[] } {
  const file = stackFilePath(stack, stacksDir);
  const shown = displayPath(file);
  const { stack: stackFile, problems } = readStackFile(file, shown);
  if (!stackFile) return { problems };
  const parsed = parseStackConfig(stackFile.config, shown);
  if (!parsed.settings) return parsed;
  return resolvePlatform(parsed.settings, shown, stacksDir);
}

/**
 * A stack with `monitoring-stack:platform` uses the platform stack's channels:
 * their names and kinds come from the platform's config file (so declarations
 * and routes can be checked before anything runs), their ids from its stack
 * outputs at run time. Routes default to the platform's.
 */
export function resolvePlatform(settings: StackSettings, file: string, stacksDir = STACKS_DIR): { settings?: StackSettings; problems: Problem[] } {
  const ref = settings.platform;
  if (!ref) return { settings, problems: [] };
  const at = `${NAMESPACE}:platform`;
  const problems: Problem[] = [];
  if (Object.keys(settings.channels).length > 0 || settings.channelsWithSecrets.size > 0) {
    problems.push({ file, path: `${NAMESPACE}:channels`, message: `channels defined next to a platform stack (got channels here and ${at}.stack ${ref.stack}, expected channels only in the platform stack)` });
  }
  const platformFile = stackFilePath(ref.stack, stacksDir);
  if (!existsSync(platformFile)) {
    problems.push({ file, path: `${at}.stack`, message: `unknown stack (got ${JSON.stringify(ref.stack)}, expected a stack with a config file here: ${displayPath(platformFile)})` });
    return { problems };
  }
  const platform = readStackFile(platformFile, displayPath(platformFile));
  const parsed = platform.stack ? parseStackConfig(platform.stack.config, displayPath(platformFile)) : { problems: platform.problems };
  if (!parsed.settings) {
    problems.push({ file, path: `${at}.stack`, message: `invalid platform stack (got ${JSON.stringify(ref.stack)}, expected a valid stack config; check it with: npm run validate -- --stack ${ref.stack})` });
    return { problems };
  }
  const shared = parsed.settings;
  if (shared.platform) {
    problems.push({ file, path: `${at}.stack`, message: `platform stack has a platform itself (got ${JSON.stringify(ref.stack)}, which reads its channels from ${JSON.stringify(shared.platform.stack)}; expected the stack that defines the channels)` });
  }
  if (shared.environment !== settings.environment) {
    problems.push({ file, path: `${at}.stack`, message: `platform stack of another environment (got ${JSON.stringify(ref.stack)} with environment ${shared.environment}, expected environment ${settings.environment})` });
  }
  if (shared.project !== settings.project) {
    problems.push({ file, path: "gcp:project", message: `project differs from the platform stack's (got ${settings.project}, expected ${shared.project}: alert policies can only notify channels of their own project)` });
  }
  const ownRoutes = settings.routes.page.length + settings.routes.ticket.length > 0;
  const routes = ownRoutes ? settings.routes : shared.routes;
  if (ownRoutes) {
    for (const severity of ["page", "ticket"] as const) {
      routes[severity].forEach((channel, index) => {
        if (!(channel in shared.channels)) problems.push({ file, path: `${NAMESPACE}:routes.${severity}[${index}]`, message: unknownChannel(channel, shared.channels) });
      });
    }
  }
  if (problems.length > 0) return { problems };
  return { settings: { ...settings, channels: shared.channels, channelsWithSecrets: shared.channelsWithSecrets, routes }, problems };
}

/** Channel ids by channel name, read from the platform stack's outputs. */
export function platformChannelIds(ref: PlatformRef, channels: readonly string[]): Record<string, pulumi.Output<string>> {
  const name = platformStackName(ref, pulumi.getOrganization(), pulumi.getProject());
  const platform = new pulumi.StackReference(`${PLATFORM_NAME}-${ref.stack}`, { name });
  const ids = platform.requireOutput("channelIds") as pulumi.Output<Record<string, string>>;
  return Object.fromEntries(
    channels.map((channel) => [
      channel,
      ids.apply((all) => {
        const id = all?.[channel];
        if (typeof id !== "string") throw new Error(`stack ${name} exports no channel ${channel} (run pulumi up on it first)`);
        return id;
      }),
    ]),
  );
}

/**
 * What a platform stack's outputs will be, from its config alone: channel ids
 * as the offline plan makes them up for the platform's own channels. The
 * offline plan hands these to StackReferences instead of reading a backend.
 */
export function platformStandIns(settings: StackSettings): PlatformExports {
  return {
    channelIds: Object.fromEntries(
      Object.keys(settings.channels)
        .sort()
        .map((channel) => [channel, `projects/${settings.project}/notificationChannels/${PLATFORM_NAME}-${channel}`]),
    ),
  };
}

/** Stand-in outputs for a StackReference to `organization/project/stack` of this repository, for the offline plan. */
export function stackReferenceStandIn(fullName: string, stacksDir = STACKS_DIR): Record<string, unknown> {
  const stack = fullName.split("/").pop()!;
  const { settings, problems } = readStackSettings(stack, stacksDir);
  if (!settings) throw new Error(`stack reference ${fullName}: ${problems.map((p) => `${p.file}: ${p.path}: ${p.message}`).join("; ")}`);
  return { ...platformStandIns(settings) };
}

export interface StackSummary {
  stack: string;
  environment: string;
  owns: string;
  platform?: string;
  services: string[];
}

/**
 * Checks every stack config in the directory and that, within each
 * environment, every service declaration is owned by exactly one stack and
 * no two owned services share a name.
 */
export async function checkStacks(stacksDir = STACKS_DIR): Promise<{ stacks: StackSummary[]; problems: Problem[] }> {
  const problems: Problem[] = [];
  const stacks: StackSummary[] = [];
  const byEnvironment = new Map<string, { stack: string; settings: StackSettings; owned: Set<string>; names: Map<string, string> }[]>();
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
  return { stacks, problems };
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
