/**
 * What the offline plan hands to StackReferences instead of reading a backend:
 * a platform stack's outputs as they will be, made up from its config alone.
 */
import { PLATFORM_NAME } from "../components/Platform";
import type { StackSettings } from "../contract/stackConfig";
import { STACKS_DIR } from "../catalog/paths";
import { readStackSettings } from "../catalog/stackSettings";
import type { PlatformExports } from "../stacks/platformReference";

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

