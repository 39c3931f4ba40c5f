/**
 * The Pulumi program: read the stack config, load and validate the catalog,
 * then create the Platform and one ServiceMonitoring per service. Nothing is
 * created unless every input is valid.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { loadCatalog } from "../catalog/loadCatalog";
import type { ServiceModel } from "../model/types";
import { Platform, PLATFORM_NAME } from "../components/Platform";
import { InvalidInputError } from "../contract/problems";
import { NAMESPACE, SM_TOKEN_KEY, parseStackConfig, type StackSettings } from "../contract/stackConfig";
import { ServiceMonitoring } from "../components/ServiceMonitoring";
import { clusterConnections } from "../components/kubernetes/clusters";
import { provisionStackWide } from "../components/stackWide";
import { REPOSITORY_ROOT } from "../catalog/paths";
import { resolvePlatform, stackConfigFile } from "../catalog/stackSettings";
import { platformChannelIds, type PlatformExports } from "./platformReference";
import { limitProblems, stackLimitUse, type LimitUse } from "../catalog/limitChecks";
import { readsPromql } from "../model/placement";
import { adoption as adoptionOf } from "../components/adoption";

export interface ProgramOptions {
  /** Declarations to load instead of the stack's `monitoring-stack:services.dir`. */
  servicesDir?: string;
  /** File named in stack config problems. Default: stacks/Pulumi.<stack>.yaml. */
  configFile?: string;
  /**
   * Plan a stack past Google Cloud's limits instead of refusing it: only for measuring the offline plan of large
   * catalogs (`npm run plan -- --over-limits`); `pulumi up` always refuses. Default: false.
   */
  overLimits?: boolean;
  /** Run by the offline plan: a plain placeholder may stand in for a credential (pulumi preview and up refuse it). Default: false. */
  offline?: boolean;
}

/** What the stack outputs show of a service's ServiceMonitoring. */
export type MonitorExports = Pick<ServiceMonitoring, "sloNames" | "uptimeCheckIds">;

export interface ProgramResult {
  settings: StackSettings;
  services: ServiceModel[];
  /** The stack's shared resources (no channels when they come from a platform stack). */
  platform: Platform;
  /**
   * Per service, in the order of `services`: what the stack exports of its ServiceMonitoring. Absent in the offline
   * plan, which exports nothing: an output keeps its resources, their parents and all their children alive, so
   * keeping these held every resource object of the stack until the end (a third of a large plan's memory).
   */
  monitors?: MonitorExports[];
  /** What the stack uses of each Google Cloud limit it is checked against. */
  limitUse: LimitUse[];
}

/** Reads and checks the stack config the Pulumi engine hands to the program. */
export function readSettings(file: string = stackConfigFile(pulumi.getStack()), offline = false): StackSettings {
  const parsed = parseStackConfig(pulumi.runtime.allConfig(), file, { ...withSecretKeys(configSecretKeys()), offline });
  // The platform stack's config file sits next to this stack's (stacks/, or an example's own stacks directory).
  const { settings, problems } = parsed.settings ? resolvePlatform(parsed.settings, file, path.dirname(path.resolve(file))) : parsed;
  if (!settings) throw new InvalidInputError(problems);
  return settings;
}

const withSecretKeys = (keys: ReadonlySet<string> | undefined) => (keys ? { secretKeys: keys } : {});

/**
 * The config keys Pulumi holds as secrets, when the SDK says (its runtime
 * knows them from the engine; the offline plan hands them over the same way).
 */
export function configSecretKeys(): ReadonlySet<string> | undefined {
  const runtime = pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean };
  if (typeof runtime.isConfigSecret !== "function") return undefined;
  return new Set(Object.keys(pulumi.runtime.allConfig()).filter((key) => runtime.isConfigSecret!(key)));
}

export async function monitoringProgram(options: ProgramOptions = {}): Promise<ProgramResult> {
  // Components compose from the model; their arguments drive nothing once the children exist.
  // Keeping them out of state avoids storing every service's model four times over.
  process.env["PULUMI_NODEJS_SKIP_COMPONENT_INPUTS"] ??= "true";
  const configFile = options.configFile ?? stackConfigFile(pulumi.getStack());
  const settings = readSettings(configFile, options.offline === true);
  const servicesDir = options.servicesDir ?? path.resolve(REPOSITORY_ROOT, settings.servicesDir);
  const catalog = await loadCatalog([servicesDir], settings, { servicesDir });
  if (catalog.problems.length > 0) throw new InvalidInputError(catalog.problems);

  // Google Cloud refuses resources past its limits in the middle of an apply: refuse the whole stack first.
  const limitUse = stackLimitUse(catalog.services, settings);
  const overLimit = limitProblems(limitUse, configFile);
  if (overLimit.length > 0 && !options.overLimits) throw new InvalidInputError(overLimit);

  const config = new pulumi.Config(NAMESPACE);
  // Resources that exist already are imported instead of created (`monitoring-stack:adopt`).
  const adoption = settings.adopt ? adoptionOf(settings.adopt, settings.project) : undefined;
  const adopting: pulumi.ComponentResourceOptions | undefined = adoption ? { transformations: [adoption.transformation] } : undefined;
  const badIds = adoption?.preflight(configFile) ?? [];
  if (badIds.length > 0) throw new InvalidInputError(badIds);
  // Channels are this stack's own, or read from the platform stack that defines them (`monitoring-stack:platform`);
  // a platform in another project has its channel definitions created again in this stack's project.
  const shared = settings.recreatesPlatformChannels ? undefined : settings.platform;
  const platform = new Platform(PLATFORM_NAME, {
    project: settings.project,
    environment: settings.environment,
    channels: shared ? {} : settings.channels,
    channelSecrets: shared ? {} : (config.getSecretObject<Record<string, string>>("channelSecrets") ?? {}),
    clusters: clusterConnections(catalog.services, settings.kubernetes ?? {}, settings.project),
    ...(settings.kubernetes?.kubeconfig !== undefined ? { kubeconfig: settings.kubernetes.kubeconfig } : {}),
  }, adopting);
  const channelIds = shared ? platformChannelIds(shared, Object.keys(settings.channels)) : platform.channelIds;
  const monitors: MonitorExports[] = [];
  for (const service of catalog.services) {
    const { sloNames, uptimeCheckIds } = new ServiceMonitoring(service.name, {
      service,
      project: settings.project,
      channelIds,
      kubernetesProviders: platform.kubernetesProviders,
      logBucketLocation: settings.logBucketLocation,
      logExportLocation: settings.logExportLocation,
    }, adopting);
    if (!options.offline) monitors.push({ sloNames, uptimeCheckIds });
    // Let the runtime register this service's resources before creating the next: with everything
    // in flight at once, a thousand-service stack holds every pending registration in memory.
    await yieldToEventLoop();
  }
  // Stack-wide: Synthetic Monitoring checks, Grafana dashboards, each evaluator's rules and routing, where the stack configures them.
  provisionStackWide({
    services: catalog.services,
    settings,
    ...(settings.grafana ? { grafanaToken: config.requireSecret("grafanaToken") } : {}),
    ...(settings.grafana?.syntheticMonitoring ? { syntheticMonitoringToken: config.requireSecret(SM_TOKEN_KEY) } : {}),
    channelSecrets: config.getSecretObject<Record<string, string>>("channelSecrets") ?? {},
  });
  // Every resource is registered by now: an id of the wrong shape, or for a name the program no longer has, refuses the stack.
  const adoptionProblems = adoption?.problems(configFile) ?? [];
  if (adoptionProblems.length > 0) throw new InvalidInputError(adoptionProblems);
  return { settings, services: catalog.services, platform, ...(options.offline ? {} : { monitors }), limitUse };
}

/** Resolves after the promise jobs queued so far (and the I/O that is ready) have run. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function monitorExports(result: ProgramResult, index: number): MonitorExports {
  const exports = result.monitors?.[index];
  if (!exports) throw new Error(`stack outputs: no exports for service ${result.services[index]?.name ?? index} (an offline run keeps none; expected a program run by pulumi up or preview)`);
  return exports;
}

/** What `pulumi stack output` shows: per service, its SLOs, checks and the SLOs Prometheus rules evaluate. */
export function stackOutputs(result: ProgramResult) {
  // A stack that defines channels exports them for the stacks that use it as their platform.
  const shared: { [K in keyof PlatformExports]: pulumi.Output<PlatformExports[K]> } | undefined = result.settings.platform
    ? undefined
    : { channelIds: pulumi.output(result.platform.channelIds) };
  return {
    environment: result.settings.environment,
    ...shared,
    services: Object.fromEntries(
      result.services.map((service, index) => [
        service.name,
        {
          team: service.team,
          tier: service.tier,
          slos: monitorExports(result, index).sloNames,
          uptimeCheckIds: monitorExports(result, index).uptimeCheckIds,
          prometheusSlos: service.slos.filter(readsPromql).map((slo) => slo.name),
        },
      ]),
    ),
  };
}
