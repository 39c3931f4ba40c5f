/**
 * What a stack provisions once for all its services, beside each service's
 * ServiceMonitoring: the files and resources of every evaluator
 * (components/evaluators/: Prometheus rule files and the Alertmanager
 * configuration, Grafana-managed rule groups and routing), Grafana dashboards
 * and Synthetic Monitoring checks — as text (what the offline plan writes)
 * and, where the stack configures Grafana or Kubernetes, as resources.
 */
import * as pulumi from "@pulumi/pulumi";
import { dashboardContext, dashboardJson, stackDashboards } from "./grafana/dashboards";
import { GrafanaDashboards } from "./grafana/GrafanaDashboards";
import { SyntheticChecks } from "./grafana/SyntheticChecks";
import { evaluatorBuilders } from "./evaluators";
import type { RenderedFiles } from "./evaluators/types";
import type { ServiceModel } from "../model/types";
import type { StackSettings } from "../contract/stackConfig";

/** The folders renderArtefacts writes into, under the plan's output directory. */
export const ARTEFACT_DIRS = ["grafana", "prometheus", "alertmanager"] as const;

/** File contents by path relative to the plan's output directory, and what reviewers should know about them, per service. */
export type Artefacts = RenderedFiles;

/** The rendered artefacts of a stack: every evaluator's files, then the dashboards; byte-identical for the same input. */
export function renderArtefacts(services: readonly ServiceModel[], settings: StackSettings, stack?: string): Artefacts {
  const files: Record<string, string> = {};
  const notices: Artefacts["notices"] = [];
  for (const builder of evaluatorBuilders()) {
    const rendered = builder.renderFiles({ services, settings, ...(stack !== undefined ? { stack } : {}) });
    Object.assign(files, rendered.files);
    notices.push(...rendered.notices);
  }
  for (const rendered of stackDashboards(services, dashboardContext(settings, stack))) files[`grafana/${rendered.uid}.json`] = dashboardJson(rendered);
  return { files, notices };
}

export interface StackWideArgs {
  /** The validated catalog. Required. */
  services: readonly ServiceModel[];
  /** The stack's settings: Grafana, Prometheus and Kubernetes sections decide what is created. Required. */
  settings: StackSettings;
  /** `monitoring-stack:grafanaToken`, read as a secret. Default: none (no Grafana resources). */
  grafanaToken?: pulumi.Input<string>;
  /** `monitoring-stack:syntheticMonitoringToken`, read as a secret. Default: none (no Synthetic Monitoring checks). */
  syntheticMonitoringToken?: pulumi.Input<string>;
  /** `monitoring-stack:channelSecrets`, read as a secret; Alertmanager's channels are copied to a Kubernetes Secret. Default: none. */
  channelSecrets?: pulumi.Input<Record<string, string>>;
}

/** What provisionStackWide created. */
export interface StackWideResources {
  dashboards?: GrafanaDashboards;
  synthetic?: SyntheticChecks;
  /** Each evaluator's stack-wide component, where it has one. */
  evaluators: pulumi.ComponentResource[];
}

/** Creates the stack-wide resources the stack config asks for: Synthetic Monitoring checks, dashboards, then each evaluator's. */
export function provisionStackWide(args: StackWideArgs): StackWideResources {
  const { services, settings } = args;
  const stack = pulumi.getStack();
  const result: StackWideResources = { evaluators: [] };
  const sm = settings.grafana?.syntheticMonitoring;
  if (sm && args.syntheticMonitoringToken !== undefined) {
    result.synthetic = new SyntheticChecks("synthetic-monitoring", { services, syntheticMonitoring: sm, token: args.syntheticMonitoringToken });
  }
  if (settings.grafana && args.grafanaToken !== undefined) {
    result.dashboards = new GrafanaDashboards("grafana", { services, grafana: settings.grafana, token: args.grafanaToken, context: dashboardContext(settings, stack) });
  }
  for (const builder of evaluatorBuilders()) {
    const created = builder.provisionStack({
      services,
      settings,
      stack,
      ...(args.grafanaToken !== undefined ? { grafanaToken: args.grafanaToken } : {}),
      ...(args.channelSecrets !== undefined ? { channelSecrets: args.channelSecrets } : {}),
      ...(result.dashboards ? { folderUids: result.dashboards.folderUids } : {}),
    });
    if (created) result.evaluators.push(created);
  }
  return result;
}
