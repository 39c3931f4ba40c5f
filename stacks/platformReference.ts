/**
 * How a service stack reads the channels of its platform stack at run time:
 * a StackReference to the stack that defines them (`monitoring-stack:platform`),
 * and the outputs that stack exports for it.
 */
import * as pulumi from "@pulumi/pulumi";
import { PLATFORM_NAME } from "../components/Platform";
import type { PlatformRef } from "../contract/ownership";
import { PROJECT } from "../catalog/paths";

/**
 * What a stack that defines shared resources exports (`pulumi stack output`)
 * and service stacks read through a StackReference. Extend, never rename:
 * deployed service stacks read these keys.
 */
export interface PlatformExports {
  /** Notification channel resource names (`projects/P/notificationChannels/ID`) by channel name. */
  channelIds: Record<string, string>;
}

/** The fully qualified name a StackReference takes: organization/project/stack. */
export function platformStackName(ref: PlatformRef, organization: string, project = PROJECT): string {
  return `${ref.organization ?? organization}/${project}/${ref.stack}`;
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

