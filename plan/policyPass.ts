/**
 * Runs the CrossGuard policy pack (policies/) over an offline plan: the very
 * policy functions `pulumi preview --policy-pack policies` runs, given the
 * planned resources, their options and property dependencies, and the policy
 * config of the stack's environment (policies/config/<environment>.json when
 * present, the file the workflows pass to --policy-pack-config).
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import type { EnforcementLevel, PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { APPLIES_TO, POLICIES } from "../policies/pack";
import type { PlannedResource } from "./mockRuntime";
import type { Violation } from "./notices";

type PolicyConfigEntry = EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>);
export type PolicyConfig = Record<string, PolicyConfigEntry>;

/** policies/config/<environment>.json, the file DevOps also pass to `pulumi preview --policy-pack-config`. */
export function policyConfigPath(root: string, environment: string): string {
  return path.join(root, "policies", "config", `${environment}.json`);
}

export function readPolicyConfig(file: string): PolicyConfig {
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as PolicyConfig) : {};
}

type AnyPolicy = ResourceValidationPolicy | StackValidationPolicy;

function enforcement(policy: AnyPolicy, config: PolicyConfig): EnforcementLevel {
  const entry = config[policy.name];
  if (typeof entry === "string") return entry;
  return entry?.enforcementLevel ?? policy.enforcementLevel ?? "advisory";
}

/** The policy's config: schema defaults, overridden by the config file. */
export function policySettings(policy: AnyPolicy, config: PolicyConfig): Record<string, unknown> {
  const defaults = Object.fromEntries(Object.entries(policy.configSchema?.properties ?? {}).flatMap(([key, schema]) => (schema.default !== undefined ? [[key, schema.default]] : [])));
  const entry = config[policy.name];
  const overrides = typeof entry === "object" ? Object.fromEntries(Object.entries(entry).filter(([key]) => key !== "enforcementLevel")) : {};
  return { ...defaults, ...overrides };
}

class NotApplicable extends Error {}

function typeCheck(type: string) {
  return (resourceClass: unknown) => (resourceClass as { __pulumiType?: string }).__pulumiType === type;
}

function policyResources(resources: readonly PlannedResource[], dependencies: ReadonlyMap<string, Record<string, string[]>>): PolicyResource[] {
  const byUrn = new Map<string, PolicyResource>();
  const all = resources.map((resource) => {
    const converted = {
      type: resource.type,
      props: resource.inputs,
      urn: resource.urn,
      name: resource.name,
      opts: { protect: resource.protect === true, retainOnDelete: resource.retainOnDelete === true, ignoreChanges: [], aliases: resource.aliases ?? [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [], ...(resource.parent ? { parent: resource.parent } : {}) },
      dependencies: [] as PolicyResource[],
      propertyDependencies: {} as Record<string, PolicyResource[]>,
      isType: typeCheck(resource.type),
      asType: () => undefined,
    } as unknown as PolicyResource;
    byUrn.set(resource.urn, converted);
    return converted;
  });
  for (const resource of all) {
    const byProperty = dependencies.get(resource.urn) ?? {};
    for (const [key, urns] of Object.entries(byProperty)) {
      resource.propertyDependencies[key] = urns.flatMap((urn) => (byUrn.has(urn) ? [byUrn.get(urn)!] : []));
    }
    resource.dependencies = [...new Set(Object.values(resource.propertyDependencies).flat())];
    const parent = resource.opts.parent ? byUrn.get(resource.opts.parent) : undefined;
    if (parent) resource.parent = parent;
  }
  return all;
}

/** Every violation the pack reports on these resources, in policy order then resource order. */
export async function runPolicies(
  resources: readonly PlannedResource[],
  dependencies: ReadonlyMap<string, Record<string, string[]>>,
  config: PolicyConfig,
  policies: readonly AnyPolicy[] = POLICIES,
): Promise<Violation[]> {
  const converted = policyResources(resources, dependencies);
  const violations: Violation[] = [];
  for (const policy of policies) {
    const level = enforcement(policy, config);
    if (level === "disabled") continue;
    const settings = policySettings(policy, config);
    const common = {
      stackTags: new Map<string, string>(),
      getConfig: <T extends object>() => settings as T,
      notApplicable: (reason?: string): never => {
        throw new NotApplicable(reason);
      },
    };
    const record = (fallbackUrn: string) => (message: string, urn?: string) =>
      violations.push({ policy: policy.name, urn: urn ?? fallbackUrn, message, level: level === "mandatory" ? "mandatory" : "advisory" });
    try {
      if ("validateStack" in policy) {
        await policy.validateStack({ ...common, resources: converted }, record(""));
      } else {
        const validations = [policy.validateResource ?? []].flat();
        const types = APPLIES_TO[policy.name];
        for (const resource of types ? converted.filter((r) => types.includes(r.type)) : converted) {
          const args = { ...common, type: resource.type, props: resource.props, urn: resource.urn, name: resource.name, opts: resource.opts, isType: resource.isType, asType: () => undefined } as unknown as ResourceValidationArgs;
          const report = record(resource.urn);
          for (const validate of validations) {
            try {
              // Most validations are synchronous: await only the ones that return a promise.
              const pending = validate(args, report);
              if (pending) await pending;
            } catch (error) {
              if (!(error instanceof NotApplicable)) throw error;
            }
          }
        }
      }
    } catch (error) {
      if (!(error instanceof NotApplicable)) throw error;
    }
  }
  return violations;
}
