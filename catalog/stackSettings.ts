/**
 * A stack's settings as every command and the program start from: its config
 * file read and checked, and the channels and routes of its platform stack
 * (`monitoring-stack:platform`) resolved from that stack's config file.
 */
import { existsSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { displayPath } from "../contract/load";
import type { Problem } from "../contract/problems";
import { CHANNEL_SECRET, NAMESPACE, parseStackConfig, setCredential, unknownChannel, type StackSettings } from "../contract/stackConfig";
import { SEVERITIES } from "../contract/serviceSchema";
import { STACKS_DIR } from "./paths";
import { readStackFile } from "./stackFile";

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

/** The stack config file as messages name it: relative to the working directory. */
export function stackConfigFile(stack: string, stacksDir = STACKS_DIR): string {
  return displayPath(stackFilePath(stack, stacksDir));
}

/** Reads and checks a stack's config file, platform resolved: what every command starts from. */
export function readStackSettings(stack: string, stacksDir = STACKS_DIR): { settings?: StackSettings; problems: Problem[] } {
  const file = stackFilePath(stack, stacksDir);
  const shown = displayPath(file);
  const { stack: stackFile, problems } = readStackFile(file, shown);
  if (!stackFile) return { problems };
  // Every command that reads a stack file this way works offline: a plain placeholder may stand in for a credential.
  const parsed = parseStackConfig(stackFile.config, shown, { secretKeys: new Set(stackFile.secretKeys), offline: true });
  if (!parsed.settings) return parsed;
  return resolvePlatform(parsed.settings, shown, stacksDir);
}

/**
 * A stack with `monitoring-stack:platform` uses the platform stack's channels:
 * their names and kinds come from the platform's config file (so declarations
 * and routes can be checked before anything runs), their ids from its stack
 * outputs at run time. Routes default to the platform's.
 *
 * Alert policies can only notify channels of their own project, so a stack
 * that targets another project than its platform creates the platform's
 * channel definitions in its own project (`recreatesPlatformChannels`), with
 * the credentials in its own `monitoring-stack:channelSecrets`: one place
 * defines the channels, every project gets channels its policies can use.
 */
export function resolvePlatform(settings: StackSettings, file: string, stacksDir = STACKS_DIR): { settings?: StackSettings; problems: Problem[] } {
  const ref = settings.platform;
  if (!ref) return { settings, problems: [] };
  const at = `${NAMESPACE}:platform`;
  const problems: Problem[] = [];
  if (Object.keys(settings.channels).length > 0) {
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
  const recreates = shared.project !== settings.project;
  problems.push(...channelSecretProblems(settings, shared, recreates, file));
  const ownRoutes = settings.routes.page.length + settings.routes.ticket.length + settings.routes.info.length > 0;
  const routes = ownRoutes ? settings.routes : shared.routes;
  if (ownRoutes) {
    for (const severity of SEVERITIES) {
      routes[severity].forEach((channel, index) => {
        if (!(channel in shared.channels)) problems.push({ file, path: `${NAMESPACE}:routes.${severity}[${index}]`, message: unknownChannel(channel, shared.channels) });
      });
    }
  }
  if (problems.length > 0) return { problems };
  return {
    settings: {
      ...settings,
      channels: shared.channels,
      channelsWithSecrets: recreates ? settings.channelsWithSecrets : shared.channelsWithSecrets,
      routes,
      ...(recreates ? { recreatesPlatformChannels: true } : {}),
    },
    problems,
  };
}

/**
 * Credentials next to a platform: none when it is in the same project (its channels are used as they are);
 * in another project, exactly those the re-created channels need.
 */
function channelSecretProblems(settings: StackSettings, shared: StackSettings, recreates: boolean, file: string): Problem[] {
  const problems: Problem[] = [];
  const at = `${NAMESPACE}:channelSecrets`;
  for (const channel of [...settings.channelsWithSecrets].sort()) {
    const config = shared.channels[channel];
    if (!recreates) {
      problems.push({ file, path: `${at}.${channel}`, message: `credential next to a platform stack in the same project (got a credential for ${JSON.stringify(channel)}, expected credentials only in the platform stack, whose channels this stack uses)` });
    } else if (!config) {
      problems.push({ file, path: `${at}.${channel}`, message: `credential for an unknown channel (got ${JSON.stringify(channel)}, expected a channel of platform stack ${settings.platform!.stack}: ${Object.keys(shared.channels).sort().join(", ") || "none defined"})` });
    } else if (!CHANNEL_SECRET[config.type]) {
      problems.push({ file, path: `${at}.${channel}`, message: `credential for a channel that takes none (got type ${config.type}, expected slack, pagerduty or webhook)` });
    }
  }
  if (!recreates) return problems;
  for (const [channel, config] of Object.entries(shared.channels).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const needs = CHANNEL_SECRET[config.type];
    if (needs && !settings.channelsWithSecrets.has(channel)) {
      problems.push({
        file,
        path: `${at}.${channel}`,
        message:
          `missing credential (expected ${needs}: this stack's project ${settings.project} differs from platform stack ${settings.platform!.stack}'s ${shared.project}, and alert policies can only notify channels of their own project, ` +
          `so the platform's channels are created again here; ${setCredential(at, channel)})`,
      });
    }
  }
  return problems;
}

