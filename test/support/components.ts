/**
 * Shared by the isolated component tests: a service model built the way the
 * catalog builds it (declaration → v1 schema → serviceModel), one component
 * created alone under Pulumi's mocks with the plan's recorder, and its
 * resource set as readable text for a file snapshot.
 */
import type * as pulumi from "@pulumi/pulumi";
import { expect } from "vitest";
import { stringify } from "yaml";
import { serviceSchema } from "../../contract/serviceSchema";
import { serviceModel } from "../../model/service";
import type { ServiceModel } from "../../model/types";
import { runUnderMocks, type PlannedResource } from "../../plan/mockRuntime";
import type { StackSettings } from "../../contract/stackConfig";
import { settingsFrom } from "./declarations";

/** GCP project the components are given. */
export const GCP_PROJECT = "test-project";
/** Pulumi stack and project of the recorded URNs. */
export const STACK = "test";
export const PULUMI_PROJECT = "monitoring-stack";

/** What a declaration leaves out in these tests: the header every declaration carries. */
const HEADER = { apiVersion: "monitoring-stack/v1", team: "shop" };

/** The test stack's settings (contract/stackConfig), with raw config overrides as Pulumi hands them over (objects JSON-encoded). */
export function stackSettings(overrides: Record<string, string | undefined> = {}): StackSettings {
  return settingsFrom({ "gcp:project": GCP_PROJECT, ...overrides });
}

/** The test stack with Grafana-managed alerting and Synthetic Monitoring checking its endpoints. */
export function syntheticSettings(url: string, token: string, probes?: Record<string, string[]>): StackSettings {
  return stackSettings({
    "monitoring-stack:grafana": JSON.stringify({ url: "https://grafana.example.com", alerting: "grafana", uptime: "syntheticMonitoring", syntheticMonitoring: { url, ...(probes ? { probes } : {}) } }),
    "monitoring-stack:grafanaToken": "glsa_test",
    "monitoring-stack:syntheticMonitoringToken": token,
  });
}

/**
 * A service model from a declaration object (apiVersion and team filled in
 * unless given), parsed by the v1 schema and normalised with the test stack's
 * burn tiers and routes, as the catalog does after validation.
 */
export function serviceFrom(declaration: { name: string } & Record<string, unknown>): ServiceModel {
  const spec = serviceSchema.parse({ ...HEADER, ...declaration });
  return serviceModel(spec, `services/${declaration.name}.yaml`, stackSettings());
}

/** Channel resource names per severity, as Platform hands them to services. */
export const SEVERITY_CHANNELS = {
  page: [`projects/${GCP_PROJECT}/notificationChannels/platform-pager`],
  ticket: [`projects/${GCP_PROJECT}/notificationChannels/platform-slack`],
  info: [`projects/${GCP_PROJECT}/notificationChannels/platform-email`],
};

export interface RecordedComponent<T> {
  /** What `create` returned: usually the component, for its outputs. */
  component: T;
  /** Every resource registered, the component itself included, sorted by URN. */
  resources: PlannedResource[];
}

/**
 * Runs `create` alone under Pulumi's mocks (the offline plan's recorder) and
 * returns what it registered, with what `create` returned (awaited: an
 * async `create` can resolve the component's outputs before the run ends).
 */
export async function recordComponent<T>(create: () => T, options: { config?: Record<string, string>; secretKeys?: string[] } = {}): Promise<RecordedComponent<Awaited<T>>> {
  const run = await runUnderMocks({ project: PULUMI_PROJECT, stack: STACK, config: options.config ?? {}, secretKeys: options.secretKeys ?? [] }, async () => await create());
  return { component: run.result as Awaited<T>, resources: run.resources };
}

/** The value of an output, once the mocks have resolved it (call inside `create`). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

/** `urn:pulumi:STACK::PROJECT::` dropped: the type chain and the name, which is what differs. */
export function shortUrn(urn: string): string {
  return urn.split("::").slice(2).join("::");
}

function nameOf(urn: string): string {
  return urn.split("::").slice(3).join("::");
}

/** The one resource of this type, failing the test (with what there is) otherwise. */
export function theComponent(resources: readonly PlannedResource[], type: string): PlannedResource {
  const found = resources.filter((r) => r.type === type);
  expect(found.map((r) => r.name), `exactly one ${type} among ${resources.map((r) => r.type).join(", ")}`).toHaveLength(1);
  return found[0]!;
}

export function named(resources: readonly PlannedResource[], name: string): PlannedResource {
  const found = resources.find((r) => r.name === name);
  if (!found) throw new Error(`no resource named ${name}; have: ${resources.map((r) => r.name).join(", ")}`);
  return found;
}

/**
 * The component's contract with its children: it is a top-level resource
 * (unless `parent` is given), every other resource is its direct child, and
 * every child's name starts with the component's name and a dash, so two
 * components of the same type never collide and a renamed parent's aliases
 * carry over.
 */
export function expectOwnsEverything(resources: readonly PlannedResource[], component: PlannedResource): void {
  const others = resources.filter((r) => r.urn !== component.urn);
  expect(others.length, "the component creates at least one resource").toBeGreaterThan(0);
  for (const child of others) {
    expect(child.parent, `${child.name}'s parent`).toBe(component.urn);
    expect(child.name.startsWith(`${component.name}-`), `${child.name} starts with ${component.name}-`).toBe(true);
  }
}

/** Longer strings (alert texts, dashboard JSON, generated files) are cut in the snapshot, with their length. */
const MAX_STRING = 240;

function readable(value: unknown): unknown {
  if (typeof value === "string") return value.length > MAX_STRING ? `${value.slice(0, 100)}… (${value.length} characters)` : value;
  if (Array.isArray(value)) return value.map(readable);
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, readable(inner)]));
  return value;
}

/** Each resource followed by its children (depth first), siblings in URN order. */
function treeOrder(resources: readonly PlannedResource[]): PlannedResource[] {
  const byParent = new Map<string | undefined, PlannedResource[]>();
  for (const resource of resources) byParent.set(resource.parent, [...(byParent.get(resource.parent) ?? []), resource]);
  const known = new Set(resources.map((r) => r.urn));
  const ordered: PlannedResource[] = [];
  const visit = (resource: PlannedResource) => {
    ordered.push(resource);
    for (const child of byParent.get(resource.urn) ?? []) visit(child);
  };
  for (const resource of resources) if (resource.parent === undefined || !known.has(resource.parent)) visit(resource);
  return ordered;
}

export interface SnapshotOptions {
  /** Input keys left out of the snapshot for every resource (e.g. `project`, the same everywhere). Default: none. */
  omit?: readonly string[];
  /** Show inputs at all; `false` gives the bare tree (type, name, parent, aliases, options). Default: true. */
  inputs?: boolean;
}

/** Our own component types: their inputs are the arguments the test built (the model), not something they produce. */
const COMPONENT_TYPE = /^monitoring-stack:/;

/**
 * The resource set as YAML, parents before their children: type, name,
 * parent's name, aliases (short URNs), protect / retainOnDelete, and the
 * inputs of every resource the component creates. Long strings are cut.
 */
export function resourceSetText(resources: readonly PlannedResource[], options: SnapshotOptions = {}): string {
  const omit = new Set(options.omit ?? []);
  const entries = treeOrder(resources).map((resource) => {
    const inputs = options.inputs === false || COMPONENT_TYPE.test(resource.type) ? [] : Object.entries(resource.inputs).filter(([key]) => !omit.has(key));
    return {
      type: resource.type,
      name: resource.name,
      ...(resource.parent ? { parent: nameOf(resource.parent) } : {}),
      ...(resource.aliases ? { aliases: resource.aliases.map(shortUrn) } : {}),
      ...(resource.protect ? { protect: true } : {}),
      ...(resource.retainOnDelete ? { retainOnDelete: true } : {}),
      ...(inputs.length > 0 ? { inputs: Object.fromEntries(inputs.map(([key, value]) => [key, readable(value)])) } : {}),
    };
  });
  return stringify(entries, { lineWidth: 0 });
}
