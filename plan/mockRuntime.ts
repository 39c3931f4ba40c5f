/**
 * Runs a Pulumi program under Pulumi's mock runtime and records every
 * resource it registers — URN (as the engine would compute it), type, name,
 * parent and inputs — the offline equivalent of `pulumi preview`.
 */
import * as pulumi from "@pulumi/pulumi";
import { withoutStackTraces } from "./stackTraces";

export interface PlannedResource {
  urn: string;
  type: string;
  name: string;
  /** URN of the parent resource; absent for top-level resources. */
  parent?: string;
  /** Earlier URNs this resource answers to (its own aliases and those inherited from its parents), as the engine computes them. */
  aliases?: string[];
  inputs: Record<string, unknown>;
  /** Set when Pulumi refuses to delete the resource (`protect`). */
  protect?: true;
  /** Set when deleting the resource from the program leaves it in the cloud (`retainOnDelete`). */
  retainOnDelete?: true;
  /** The provider id of an existing resource the stack adopts (the `import` option); absent for a resource created. */
  importId?: string;
}

/** Shown instead of a secret value, anywhere in the inputs. */
export const SECRET = "[secret]";
/** Shown instead of a value that is only known after the resources exist. */
export const UNKNOWN = "[unknown]";

const SIG_KEY = pulumi.runtime.specialSigKey;
const SECRET_SIG = pulumi.runtime.specialSecretSig;

interface AliasSpec {
  getName(): string;
  getType(): string;
  getStack(): string;
  getProject(): string;
  getParenturn(): string;
  getNoparent(): boolean;
}

interface AliasMessage {
  getUrn(): string;
  getSpec(): AliasSpec | undefined;
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getObject(): unknown;
  getProtect?(): boolean | undefined;
  getPropertydependenciesMap?(): { forEach(callback: (value: { getUrnsList(): string[] }, key: string) => void): void };
  getRetainondelete?(): boolean | undefined;
  getAliasesList?(): AliasMessage[];
  getImportid?(): string | undefined;
}

/** `urn:pulumi:STACK::PROJECT::QUALIFIED$TYPE::NAME`, the parent's type chain first, as the engine builds it. */
export function makeUrn(stack: string, project: string, parentUrn: string | undefined, type: string, name: string): string {
  const qualifiedType = parentUrn ? `${parentUrn.split("::")[2]}$${type}` : type;
  return `urn:pulumi:${stack}::${project}::${qualifiedType}::${name}`;
}

const urnName = (urn: string) => urn.split("::").slice(3).join("::");
const urnType = (urn: string) => urn.split("::")[2]!.split("$").pop()!;

/** A child named after its parent follows the parent's rename: "new-x" under "new" answers to "old-x" under "old". */
function inheritedName(childName: string, parentName: string, parentAliasName: string): string {
  return childName.startsWith(parentName) ? parentAliasName + childName.slice(parentName.length) : childName;
}

interface MockMonitorLike {
  registerResource(req: RegisterRequest, callback: (err: unknown, response: unknown) => void): Promise<void>;
}

/**
 * Values the cloud would assign after creation, made up from the inputs so a
 * plan is the same on every run: resource names follow the GCP formats with
 * the Pulumi resource name standing in for the server-generated id.
 */
export function computedOutputs(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  const project = typeof inputs["project"] === "string" ? inputs["project"] : "project";
  switch (type) {
    case "gcp:monitoring/notificationChannel:NotificationChannel":
      return { name: `projects/${project}/notificationChannels/${name}` };
    case "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig":
      return { uptimeCheckId: name, name: `projects/${project}/uptimeCheckConfigs/${name}` };
    case "gcp:monitoring/customService:CustomService":
      return { name: `projects/${project}/services/${String(inputs["serviceId"])}` };
    case "gcp:monitoring/slo:Slo":
      return { name: `projects/${project}/services/${String(inputs["service"])}/serviceLevelObjectives/${String(inputs["sloId"])}` };
    case "gcp:monitoring/alertPolicy:AlertPolicy":
      return { name: `projects/${project}/alertPolicies/${name}` };
    case "gcp:logging/projectSink:ProjectSink":
      return { writerIdentity: `serviceAccount:${String(inputs["name"])}.sink-writer@stand-in.invalid` };
    case "gcp:logging/projectBucketConfig:ProjectBucketConfig":
      return { name: `projects/${project}/locations/${String(inputs["location"])}/buckets/${String(inputs["bucketId"])}` };
    case "gcp:storage/bucket:Bucket":
      return { url: `gs://${String(inputs["name"])}` };
    case "gcp:backupdisasterrecovery/backupVault:BackupVault": {
      const vault = `projects/${project}/locations/${String(inputs["location"])}/backupVaults/${String(inputs["backupVaultId"])}`;
      return { id: vault, name: vault, serviceAccount: `${String(inputs["backupVaultId"])}.vault-agent@stand-in.invalid` };
    }
    case "gcp:backupdisasterrecovery/backupPlan:BackupPlan": {
      const plan = `projects/${project}/locations/${String(inputs["location"])}/backupPlans/${String(inputs["backupPlanId"])}`;
      return { id: plan, name: plan };
    }
    default:
      return {};
  }
}

/**
 * Values an adopted resource already has, read from its import id: the
 * uptime check's id and the full names alert filters and SLOs refer to.
 */
export function importedOutputs(type: string, importId: string): Record<string, unknown> {
  switch (type) {
    case "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig":
      return { uptimeCheckId: importId.split("/").pop(), name: importId };
    case "gcp:monitoring/notificationChannel:NotificationChannel":
    case "gcp:monitoring/alertPolicy:AlertPolicy":
    case "gcp:monitoring/customService:CustomService":
    case "gcp:monitoring/slo:Slo":
    case "gcp:logging/projectBucketConfig:ProjectBucketConfig":
      return { name: importId };
    default:
      return {};
  }
}

/**
 * Grafana Cloud Synthetic Monitoring's public probes, as
 * `grafana.syntheticmonitoring.getProbes` lists them: names without spaces
 * ("North Virginia" is NorthVirginia, "São Paulo" SaoPaulo), from Grafana
 * Cloud's "Public probes" page (grafana.com/docs/grafana-cloud/testing/
 * synthetic-monitoring/create-checks/public-probes/: AMER, EMEA, APAC) and
 * the provider's own examples (Frankfurt, London, Mumbai, Ohio). The ids are
 * stand-ins: each stack's API assigns its own.
 */
export const PUBLIC_PROBES: readonly string[] = [
  // AMER
  "Calgary", "Montreal", "NorthCalifornia", "NorthVirginia", "Ohio", "Oregon", "SaoPaulo",
  // EMEA
  "CapeTown", "Frankfurt", "London", "Paris", "Spain", "Stockholm", "UAE", "Zurich",
  // APAC
  "Hyderabad", "Jakarta", "Mumbai", "Seoul", "Singapore", "Sydney", "Tokyo",
];

/** The invoke Synthetic Monitoring checks resolve their probe ids with. */
export const GET_PROBES = "grafana:syntheticMonitoring/getProbes:getProbes";

/**
 * What data sources return offline: Synthetic Monitoring's public probes
 * (stand-in ids, numbered in list order); any other invoke echoes its inputs.
 */
export function invokeStandIn(token: string, inputs: Record<string, unknown>): Record<string, unknown> {
  if (token === GET_PROBES) {
    return { id: "probes", filterDeprecated: inputs["filterDeprecated"] ?? true, probes: Object.fromEntries(PUBLIC_PROBES.map((probe, index) => [probe, index + 1])) };
  }
  return inputs;
}

/**
 * Replaces secrets and unknowns by markers and sorts object keys, so output is safe and byte-stable.
 * A value with nothing to replace and its keys already in order is returned as it is, not copied:
 * the recorded inputs of a large stack then share the mock's own objects instead of doubling them.
 */
export function sanitize(value: unknown): unknown {
  if (value === pulumi.runtime.unknownValue) return UNKNOWN;
  if (Array.isArray(value)) {
    // Copied from the first item that changes on (deserialised inputs have no holes to keep).
    let copy: unknown[] | undefined;
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      const clean = sanitize(item);
      if (!copy && clean !== item) copy = value.slice(0, index);
      copy?.push(clean);
    }
    return copy ?? value;
  }
  if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    if (record[SIG_KEY] === SECRET_SIG) return SECRET;
    // An output computed from a value only known after creation (e.g. a creation time), nested in an input.
    if (record["__pulumiUnknown"] === true) return UNKNOWN;
    if (pulumi.Resource.isInstance(value)) return { resource: "[reference]" };
    const keys = Object.keys(record);
    let inOrder = Object.getPrototypeOf(record) === Object.prototype;
    for (let index = 1; inOrder && index < keys.length; index++) inOrder = keys[index - 1]! < keys[index]!;
    if (!inOrder) keys.sort();
    // Only a plain object whose keys are in order can stand for its sorted copy; anything else is copied from the start.
    let sorted: Record<string, unknown> | undefined = inOrder ? undefined : {};
    const copyUpTo = (end: number) => {
      const copy: Record<string, unknown> = {};
      for (const key of keys.slice(0, end)) copy[key] = record[key];
      return copy;
    };
    keys.forEach((key, index) => {
      const member = record[key];
      if (member === undefined) {
        sorted ??= copyUpTo(index);
        return;
      }
      const clean = sanitize(member);
      if (clean !== member) sorted ??= copyUpTo(index);
      if (sorted) sorted[key] = clean;
    });
    return sorted ?? record;
  }
  return value;
}

export interface MockRunOptions {
  project: string;
  stack: string;
  config: Record<string, string>;
  secretKeys: string[];
  /** Stand-in outputs of a referenced stack, by its full name (organization/project/stack). Default: none (a StackReference fails). */
  stackReferences?: (name: string) => Record<string, unknown>;
}

const STACK_REFERENCE = "pulumi:pulumi:StackReference";

/**
 * Runs `program` under mocks and returns its result with the recorded
 * resources, sorted by URN. One run at a time per process.
 */
export interface MockRun<T> {
  result: T;
  resources: PlannedResource[];
  /** Per resource URN: the URNs each input property depends on (what policies see as propertyDependencies). */
  dependencies: Map<string, Record<string, string[]>>;
}

export async function runUnderMocks<T>(options: MockRunOptions, program: () => Promise<T>): Promise<MockRun<T>> {
  pulumi.runtime.setAllConfig(options.config, options.secretKeys);
  const engineUrns = new Map<string, string>();
  const aliasesByUrn = new Map<string, string[]>();
  /** Per URN: the name the resource had when it was first created, which the cloud's ids keep. */
  const oldestNames = new Map<string, string>();
  const resources: PlannedResource[] = [];
  const mockDependencies = new Map<string, Record<string, string[]>>();

  // The resource being registered: the mock monitor hands its inputs, already deserialized, to newResource.
  let registering: (Omit<PlannedResource, "inputs"> & { oldestName: string }) | undefined;
  // Stand-in ids are made from the oldest name: a rename with aliases keeps the real id, so the plan does too.
  let standInName: string | undefined;
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        standInName = undefined;
        if (registering) {
          const { protect, retainOnDelete, importId, oldestName, ...head } = registering;
          standInName = oldestName;
          resources.push({
            ...head,
            inputs: sanitize(args.inputs) as Record<string, unknown>,
            ...(protect ? { protect } : {}),
            ...(retainOnDelete ? { retainOnDelete } : {}),
            ...(importId ? { importId } : {}),
          });
          registering = undefined;
        }
        if (args.type === STACK_REFERENCE) {
          const name = String(args.inputs["name"]);
          if (!options.stackReferences) throw new Error(`stack reference ${name}: the offline plan has no stand-in outputs for other stacks here`);
          return { id: name, state: { name, outputs: options.stackReferences(name), secretOutputNames: [] } };
        }
        const idName = standInName ?? args.name;
        // An adopted resource keeps the id it has: what refers to it (alert filters, SLOs) uses that one.
        if (typeof args.id === "string" && args.id !== "") return { id: args.id, state: { ...args.inputs, ...importedOutputs(args.type, args.id) } };
        const { id, ...outputs } = computedOutputs(args.type, idName, args.inputs);
        return { id: typeof id === "string" ? id : `${idName}-id`, state: { ...args.inputs, ...outputs } };
      },
      call: (args) => invokeStandIn(args.token, args.inputs as Record<string, unknown>),
    },
    options.project,
    options.stack,
    true,
    // Stack references name an organization; the plan has none, so it uses Pulumi's default for self-managed backends.
    "organization",
  );
  const monitor = pulumi.runtime.getMonitor() as unknown as MockMonitorLike;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    const type = req.getType();
    const name = req.getName();
    const mockParent = req.getParent();
    const parent = mockParent ? engineUrns.get(mockParent) : undefined;
    const urn = makeUrn(options.stack, options.project, parent, type, name);
    const aliases = aliasUrns(req, type, name, parent);
    if (aliases.length > 0) aliasesByUrn.set(urn, aliases);
    const oldestName = oldestNameOf(req, name, parent);
    oldestNames.set(urn, oldestName);
    const dependsOn: Record<string, string[]> = {};
    req.getPropertydependenciesMap?.().forEach((value, key) => {
      if (value.getUrnsList().length > 0) dependsOn[key] = value.getUrnsList();
    });
    mockDependencies.set(urn, dependsOn);
    // The mock monitor calls newResource synchronously, before its first await: the record is completed there.
    registering = {
      urn,
      type,
      name,
      ...(parent ? { parent } : {}),
      ...(aliases.length > 0 ? { aliases } : {}),
      ...(req.getProtect?.() ? { protect: true as const } : {}),
      ...(req.getRetainondelete?.() ? { retainOnDelete: true as const } : {}),
      ...(req.getImportid?.() ? { importId: req.getImportid!()! } : {}),
      oldestName,
    };
    const registered = register(req, (err, response) => {
      const mockUrn = (response as { getUrn?: () => string } | undefined)?.getUrn?.();
      if (mockUrn) engineUrns.set(mockUrn, urn);
      callback(err, response);
    });
    if (registering) throw new Error(`the mock resource monitor did not hand ${urn} to newResource straight away; the plan cannot record its inputs`);
    return registered;
  };

  /**
   * The name the resource was first created under: its first (oldest) own
   * name alias, followed through the parent's own oldest name when the child
   * is named after its parent.
   */
  function oldestNameOf(req: RegisterRequest, name: string, parent: string | undefined): string {
    const ownOldest = (req.getAliasesList?.() ?? []).map((alias) => alias.getSpec()?.getName() || "").find((alias) => alias !== "") ?? name;
    if (!parent) return ownOldest;
    const parentName = urnName(parent);
    return inheritedName(ownOldest, parentName, oldestNames.get(parent) ?? parentName);
  }

  /** The resource's own aliases, then those its parent's aliases imply for it. */
  function aliasUrns(req: RegisterRequest, type: string, name: string, parent: string | undefined): string[] {
    const own = (req.getAliasesList?.() ?? []).map((alias) => {
      const spec = alias.getSpec();
      if (!spec) return alias.getUrn();
      const aliasParent = spec.getNoparent() ? undefined : spec.getParenturn() ? (engineUrns.get(spec.getParenturn()) ?? spec.getParenturn()) : parent;
      return makeUrn(spec.getStack() || options.stack, spec.getProject() || options.project, aliasParent, spec.getType() || type, spec.getName() || name);
    });
    const all = [...own];
    for (const parentAlias of parent ? (aliasesByUrn.get(parent) ?? []) : []) {
      const parentName = urnName(parent!);
      all.push(makeUrn(options.stack, options.project, parentAlias, type, inheritedName(name, parentName, urnName(parentAlias))));
      for (const alias of own) {
        all.push(makeUrn(options.stack, options.project, parentAlias, urnType(alias), inheritedName(urnName(alias), parentName, urnName(parentAlias))));
      }
    }
    return [...new Set(all)].sort();
  }

  try {
    const result = await withoutStackTraces(program);
    await pulumi.runtime.disconnect();
    resources.sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
    const dependencies = new Map<string, Record<string, string[]>>();
    for (const [urn, byProperty] of mockDependencies) {
      dependencies.set(urn, Object.fromEntries(Object.entries(byProperty).map(([key, urns]) => [key, urns.map((mock) => engineUrns.get(mock) ?? mock)])));
    }
    return { result, resources, dependencies };
  } catch (error) {
    await pulumi.runtime.disconnect().catch(() => undefined);
    throw error;
  }
}
