/**
 * The public entry point for a team's own Pulumi program: one service's
 * monitoring from the fields of its declaration (contract v1), next to the
 * Cloud Run service or GKE workload it watches. The declaration is checked as
 * the catalog checks a file (every problem at once, before any resource), then
 * the same ServiceMonitoring component the catalog stack uses builds the same
 * resources with the same names.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { checkDeclaration } from "../catalog/checkDeclaration";
import { InvalidInputError, formatProblem, type Problem } from "../contract/problems";
import { serviceModel } from "../model/service";
import type { ServiceModel } from "../model/types";
import { declarationFromArgs, type ServiceDeclarationArgs } from "./declarationArgs";
import { gkeContext } from "./kubernetes/clusters";
import { ServiceMonitoring } from "./ServiceMonitoring";

export interface MonitoredServiceArgs extends ServiceDeclarationArgs {
  /** GCP project that holds the monitoring resources. Required. */
  project: string;
  /**
   * Notification channel resource names (projects/P/notificationChannels/ID) by channel name: the Platform
   * component's channelIds, or the channelIds output of a platform stack read through a StackReference. Required.
   */
  channelIds: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * kubeconfig (path or contents, kept secret) that reaches the service's GKE cluster, for its autoscaling objects.
   * Default: KUBECONFIG or ~/.kube/config.
   */
  kubeconfig?: pulumi.Input<string>;
  /** kubeconfig context of the service's GKE cluster. Default: the context gcloud writes, gke_<project>_<location>_<cluster>. */
  kubeContext?: string;
  /** Location of the service's log bucket. Default: global. */
  logBucketLocation?: string;
  /** Location of Cloud Storage export buckets. Default: US. */
  logExportLocation?: string;
  /** Keep SLOs and their history when they leave the program. Default: true. */
  retainSloHistory?: boolean;
  /** Keep log buckets, export buckets and their contents when they leave the program. Default: true. */
  retainLogs?: boolean;
  /** Protect backup vaults from deletion. Default: true. */
  protectBackupVaults?: boolean;
}

/** Names of the fields that configure the component rather than declare the service. */
const OPTION_FIELDS = ["project", "channelIds", "kubeconfig", "kubeContext", "logBucketLocation", "logExportLocation", "retainSloHistory", "retainLogs", "protectBackupVaults"] as const;

/**
 * Monitoring for one service, declared in a team's own Pulumi program: uptime checks, SLOs with burn-rate alerts, its
 * log pipeline, Cloud SQL backups and saturation alerts on Google Cloud, from the fields of a contract v1 declaration.
 */
export class MonitoredService extends pulumi.ComponentResource {
  /** Uptime check ids by endpoint name. */
  public readonly uptimeCheckIds: pulumi.Output<Record<string, string>>;
  /** Full SLO resource names by SLO name (SLOs Cloud Monitoring computes). */
  public readonly sloNames: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: MonitoredServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    const { declaration, options } = splitArgs(args);
    const known = !containsOutputs(declaration) && !containsOutputs(args.channelIds);
    // Every value known now: check before any resource exists; a RunError ends the program with every problem and no stack trace.
    const service = known ? inputChecked(() => monitoredServiceModel(name, declaration as pulumi.Unwrap<ServiceDeclarationArgs>, options.project, Object.keys(args.channelIds))) : undefined;
    super("monitoring-stack:index:MonitoredService", name, {}, opts);
    const build = (model: ServiceModel, channelIds: Record<string, pulumi.Input<string>>) => {
      for (const note of grafanaOnlyFields(model)) pulumi.log.warn(`MonitoredService ${name}: ${note}`, this);
      return new ServiceMonitoring(
        name,
        {
          service: model,
          project: options.project,
          channelIds,
          ...(model.runtime.kind === "gke" && model.scaling ? { kubernetesProviders: { [model.runtime.cluster]: this.clusterProvider(name, model.runtime, options) } } : {}),
          ...(options.logBucketLocation !== undefined ? { logBucketLocation: options.logBucketLocation } : {}),
          ...(options.logExportLocation !== undefined ? { logExportLocation: options.logExportLocation } : {}),
          ...(options.retainSloHistory !== undefined ? { retainSloHistory: options.retainSloHistory } : {}),
          ...(options.retainLogs !== undefined ? { retainLogs: options.retainLogs } : {}),
          ...(options.protectBackupVaults !== undefined ? { protectBackupVaults: options.protectBackupVaults } : {}),
        },
        { parent: this },
      );
    };
    if (service) {
      // `pulumi preview` shows every resource.
      const monitoring = build(service, args.channelIds as Record<string, pulumi.Input<string>>);
      this.uptimeCheckIds = pulumi.output(monitoring.uptimeCheckIds);
      this.sloNames = pulumi.output(monitoring.sloNames);
    } else {
      // Another resource's outputs: check and build once they are known. A preview shows these resources only
      // when the outputs are known then (names a program sets are; ids a provider computes on create are not).
      const inputs = pulumi.all([pulumi.output(declaration), pulumi.output(args.channelIds)]);
      // In a preview, an input known only after the update (a new service's URL, an output mocks leave unknown) builds nothing: say so.
      if (pulumi.runtime.isDryRun()) {
        // Output's isKnown is what the SDK itself consults before running an apply in a preview.
        void (inputs as unknown as { isKnown: Promise<boolean> }).isKnown.then((isKnown) => {
          if (!isKnown) pulumi.log.warn(`MonitoredService ${name}: some arguments are not known until the update runs, so this preview shows none of its monitoring resources; pulumi up creates them once they are known`, this);
        });
      }
      const monitoring = inputs.apply(([resolved, ids]) => {
        let model: ServiceModel;
        try {
          model = monitoredServiceModel(name, resolved as pulumi.Unwrap<ServiceDeclarationArgs>, options.project, Object.keys(ids));
        } catch (error) {
          if (!(error instanceof InvalidInputError)) throw error;
          // Once, on this component: the outputs stay empty rather than fail every property that reads them.
          pulumi.log.error(`invalid arguments, nothing created:\n${error.message}`, this);
          return undefined;
        }
        return build(model, ids);
      });
      this.uptimeCheckIds = monitoring.apply((m) => pulumi.output(m ? m.uptimeCheckIds : {}) as pulumi.Output<Record<string, string>>);
      this.sloNames = monitoring.apply((m) => (m ? m.sloNames : ({} as Record<string, string>)));
    }
    this.registerOutputs({ uptimeCheckIds: this.uptimeCheckIds, sloNames: this.sloNames });
  }

  /** The Kubernetes provider of a GKE service's cluster, named as Platform names it. */
  private clusterProvider(name: string, runtime: { cluster: string; location: string }, options: Pick<MonitoredServiceArgs, "project" | "kubeconfig" | "kubeContext">): k8s.Provider {
    const context = options.kubeContext ?? gkeContext(options.project, runtime.location, runtime.cluster);
    return new k8s.Provider(`${name}-k8s-${runtime.cluster}`, { context, ...(options.kubeconfig !== undefined ? { kubeconfig: pulumi.secret(options.kubeconfig) } : {}) }, { parent: this });
  }
}

/** Every problem of the arguments, as Pulumi ends a program on them: one message, no stack trace. */
export class MonitoredServiceArgumentsError extends pulumi.RunError {
  declare readonly problems: Problem[];
  constructor(problems: Problem[]) {
    super(`invalid arguments, nothing created:\n${problems.map(formatProblem).join("\n")}`);
    this.name = "MonitoredServiceArgumentsError";
    // Not enumerable, so that printing the error shows each problem once.
    Object.defineProperty(this, "problems", { value: problems, enumerable: false });
    // The frames would point into this library, not at the mistake, which the message names argument by argument.
    this.stack = `${this.name}: ${this.message}`;
  }
}

/** Runs a check, turning invalid input into the error Pulumi reports without a stack trace. */
function inputChecked<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof InvalidInputError) throw new MonitoredServiceArgumentsError(error.problems);
    throw error;
  }
}

/** The declaration fields and the component's own options, apart. */
export function splitArgs(args: MonitoredServiceArgs): { declaration: ServiceDeclarationArgs; options: Pick<MonitoredServiceArgs, (typeof OPTION_FIELDS)[number]> } {
  const declaration: Record<string, unknown> = { ...args };
  const options: Record<string, unknown> = {};
  for (const field of OPTION_FIELDS) {
    options[field] = declaration[field];
    delete declaration[field];
  }
  return { declaration: declaration as unknown as ServiceDeclarationArgs, options: options as Pick<MonitoredServiceArgs, (typeof OPTION_FIELDS)[number]> };
}

/**
 * The model of a declaration given as component arguments, checked as the catalog checks a file; throws
 * InvalidInputError with every problem. Routes are the declaration's own (`alerting`): there is no stack default.
 */
export function monitoredServiceModel(name: string, declaration: pulumi.Unwrap<ServiceDeclarationArgs>, project: string, channels: readonly string[]): ServiceModel {
  const where = `MonitoredService ${name}`;
  const settings = { channels: Object.fromEntries(channels.map((channel) => [channel, true])), channelsFrom: "channelIds" as const, routes: { page: [], ticket: [], info: [] }, project };
  const { spec, problems } = checkDeclaration(declarationFromArgs(name, declaration), where, settings);
  const unsupported = spec ? unsupportedHere(spec.slos ?? [], spec.alerts ?? [], where) : [];
  if (!spec || unsupported.length > 0) throw new InvalidInputError([...problems, ...unsupported]);
  return serviceModel(spec, where, settings);
}

/**
 * What a single component cannot provision: Prometheus-evaluated SLOs and threshold alerts need the rule
 * objects and Alertmanager routing a catalog stack sets up for its cluster. Refused rather than left unmonitored.
 */
function unsupportedHere(slos: ReadonlyArray<{ indicator: { prometheus?: unknown } }>, alerts: readonly unknown[], file: string): Problem[] {
  const problems: Problem[] = [];
  slos.forEach((slo, index) => {
    if (slo.indicator.prometheus) {
      problems.push({ file, path: `slos[${index}].indicator.prometheus`, message: "not provisioned by MonitoredService (got a Prometheus indicator, expected availability, latency, uptime or cloudMonitoring; Prometheus-evaluated SLOs need a catalog stack with monitoring-stack:prometheus)" });
    }
  });
  if (alerts.length > 0) {
    problems.push({ file, path: "alerts", message: "not provisioned by MonitoredService (got Prometheus threshold alerts, expected none; they need a catalog stack with monitoring-stack:prometheus)" });
  }
  return problems;
}

/**
 * Declared fields that only a catalog stack with Grafana acts on: accepted so a declaration stays portable, and
 * named in a warning so nobody believes this component provisioned them.
 */
export function grafanaOnlyFields(model: ServiceModel): string[] {
  const notes: string[] = [];
  if (model.spec.dashboard) notes.push("dashboard is not provisioned by this component (Grafana dashboards come from a catalog stack with monitoring-stack:grafana)");
  if (model.spec.maintenance?.length) notes.push("maintenance windows mute alerts only where Grafana routes them (a catalog stack with monitoring-stack:grafana.alerting: grafana); Cloud Monitoring alerts from this component are not muted");
  if (model.spec.logs?.metrics?.some((metric) => metric.logql)) notes.push("logs.metrics[].logql is used only where Grafana alerts from Loki; this component's log-metric alerts are evaluated by Cloud Monitoring");
  return notes;
}

/** Whether a value holds a Pulumi Output or a promise anywhere inside. */
export function containsOutputs(value: unknown): boolean {
  if (pulumi.Output.isInstance(value) || value instanceof Promise) return true;
  if (Array.isArray(value)) return value.some(containsOutputs);
  if (typeof value === "object" && value !== null && !pulumi.Resource.isInstance(value)) return Object.values(value).some(containsOutputs);
  return false;
}
