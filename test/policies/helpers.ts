import type { StackResource } from "../../policies/support";

/** A resource as policies see it; `deps` maps an input property to the resources it depends on. */
export function resource(type: string, name: string, props: Record<string, unknown>, extra: { opts?: StackResource["opts"]; deps?: Record<string, StackResource[]> } = {}): StackResource {
  return {
    type,
    name,
    urn: `urn:pulumi:test::monitoring-stack::${type}::${name}`,
    props,
    opts: extra.opts ?? {},
    propertyDependencies: (extra.deps ?? {}) as StackResource["propertyDependencies"],
  };
}

/** Collects what a policy reports. */
export function reports(): { messages: string[]; report: (message: string) => void } {
  const messages: string[] = [];
  return { messages, report: (message: string) => messages.push(message) };
}
