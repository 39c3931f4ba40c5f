/**
 * Everything a stack renders from its catalog besides Cloud Monitoring:
 * Prometheus rule files, the Alertmanager configuration and Grafana
 * dashboards — as text (what the offline plan writes) and, where the stack
 * configures Grafana or Kubernetes, as resources (the same text).
 */
import * as pulumi from "@pulumi/pulumi";
import { burnRatePanelId, dashboardJson, folderUid, serviceDashboardUid, stackDashboards, type DashboardContext } from "./grafana/dashboards";
import { GrafanaDashboards } from "./grafana/GrafanaDashboards";
import { GrafanaAlerting } from "./grafana/GrafanaAlerting";
import { SyntheticChecks } from "./grafana/SyntheticChecks";
import { alertingContext, muteTimingIntervals, muteTimingName, notificationPolicyTree, stackGrafanaRuleGroups, usedChannels, type GrafanaAlertingContext } from "./grafana/alerting";
import type { ServiceModel } from "../model/types";
import { alertmanagerPlan, renderAlertmanagerConfig } from "./prometheus/alertmanager";
import { PrometheusRules } from "./prometheus/PrometheusRules";
import { hasPrometheusRules, renderRuleFile, serviceRuleGroups, type RuleContext, type RuleGroup } from "./prometheus/rules";
import type { StackSettings } from "../contract/stackConfig";

export const ALERTMANAGER_FILE = "alertmanager/alertmanager.yml";
/** The folders renderArtefacts writes into, under the plan's output directory. */
export const ARTEFACT_DIRS = ["grafana", "prometheus", "alertmanager"] as const;

export function dashboardContext(settings: StackSettings, stack?: string): DashboardContext {
  return { project: settings.project, environment: settings.environment, datasources: settings.datasources, ...(settings.platform && stack ? { shard: stack } : {}) };
}

export function ruleContext(service: ServiceModel, settings: StackSettings): RuleContext {
  const url = settings.grafana ? `${settings.grafana.url.replace(/\/$/, "")}/d/${serviceDashboardUid(service, settings.environment)}` : undefined;
  return { settings: settings.prometheus, ...(url ? { dashboardUrl: url } : {}) };
}

/** Whether Grafana evaluates and routes the alerts of `prometheus` indicators (`monitoring-stack:grafana.alerting: grafana`). */
export function grafanaAlerting(settings: StackSettings): boolean {
  return settings.grafana?.alerting === "grafana";
}

/** The Grafana alerting context of a stack: dashboard links point at each SLO's burn-rate panel. */
export function stackAlertingContext(services: readonly ServiceModel[], settings: StackSettings, stack?: string): GrafanaAlertingContext {
  const boards = stackDashboards(services, dashboardContext(settings, stack));
  return alertingContext(settings, (service, sloName) => {
    const board = boards.find((b) => b.service === service);
    const slo = service.slos.find((s) => s.name === sloName);
    return board && slo ? burnRatePanelId(board, slo) : undefined;
  });
}

/**
 * What Grafana-managed alerting provisions, as reviewable JSON (folder uids
 * resolved, no credential): per service its rule groups, and the contact
 * points, mute timings and notification policy tree of the stack.
 */
export function grafanaAlertingFiles(services: readonly ServiceModel[], settings: StackSettings, stack?: string): Record<string, string> {
  const ctx = stackAlertingContext(services, settings, stack);
  const files: Record<string, string> = {};
  const byService = new Map<string, unknown[]>();
  for (const { service, folder, group } of stackGrafanaRuleGroups(services, ctx)) {
    const list = byService.get(service.name) ?? [];
    list.push({ ...group, folderUid: folderUid(folder, settings.environment, settings.platform && stack ? stack : undefined) });
    byService.set(service.name, list);
  }
  for (const [service, groups] of byService) files[`${GRAFANA_ALERTING_DIR}/${service}.json`] = `${JSON.stringify({ groups }, null, 2)}\n`;
  const tree = notificationPolicyTree(services, settings, ctx);
  if (tree) {
    const routing = {
      contactPoints: usedChannels(services, ctx).map((name) => ({ name, type: settings.channels[name]!.type, credential: settings.channelsWithSecrets.has(name) ? "monitoring-stack:channelSecrets" : "none" })),
      muteTimings: services.filter((s) => s.maintenance.length > 0 && byService.has(s.name)).map((s) => ({ name: muteTimingName(s), intervals: muteTimingIntervals(s.maintenance) })),
      policy: tree,
    };
    files[`${GRAFANA_ALERTING_DIR}/routing.json`] = `${JSON.stringify(routing, null, 2)}\n`;
  }
  return files;
}

/** Where the plan writes what Grafana-managed alerting provisions. */
export const GRAFANA_ALERTING_DIR = "grafana/alerting";

/** Rule groups of every service with prometheus SLOs or threshold alerts. */
export function stackRules(services: readonly ServiceModel[], settings: StackSettings): { service: ServiceModel; groups: RuleGroup[] }[] {
  return services.filter(hasPrometheusRules).map((service) => ({ service, groups: serviceRuleGroups(service, ruleContext(service, settings)) }));
}

export interface Artefacts {
  /** File contents by path relative to the plan's output directory. */
  files: Record<string, string>;
  /** What reviewers should know about them, per service (channels Alertmanager cannot reach). */
  notices: { service: string; message: string }[];
}

/** The rendered artefacts of a stack: byte-identical for the same input. */
export function renderArtefacts(services: readonly ServiceModel[], settings: StackSettings, stack?: string): Artefacts {
  const files: Record<string, string> = {};
  const notices: { service: string; message: string }[] = [];
  if (grafanaAlerting(settings)) {
    Object.assign(files, grafanaAlertingFiles(services, settings, stack));
  }
  const rules = grafanaAlerting(settings) ? [] : stackRules(services, settings);
  for (const { service, groups } of rules) files[`prometheus/${service.name}.yaml`] = renderRuleFile(service, groups);
  if (rules.length > 0) {
    const plan = alertmanagerPlan(services, settings);
    files[ALERTMANAGER_FILE] = renderAlertmanagerConfig(plan, settings);
    for (const skipped of plan.skipped) notices.push({ service: skipped.service, message: `channel ${skipped.channel} gets no Prometheus alerts: ${skipped.reason}` });
  }
  for (const rendered of stackDashboards(services, dashboardContext(settings, stack))) files[`grafana/${rendered.uid}.json`] = dashboardJson(rendered);
  return { files, notices };
}

export interface ObservabilityArgs {
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

/** Creates the Grafana and Kubernetes resources the stack config asks for. */
export function provisionObservability(args: ObservabilityArgs): { dashboards?: GrafanaDashboards; alerting?: GrafanaAlerting; synthetic?: SyntheticChecks; rules?: PrometheusRules } {
  const { services, settings } = args;
  const result: { dashboards?: GrafanaDashboards; alerting?: GrafanaAlerting; synthetic?: SyntheticChecks; rules?: PrometheusRules } = {};
  const sm = settings.grafana?.syntheticMonitoring;
  if (sm && args.syntheticMonitoringToken !== undefined) {
    result.synthetic = new SyntheticChecks("synthetic-monitoring", { services, syntheticMonitoring: sm, token: args.syntheticMonitoringToken });
  }
  if (settings.grafana && args.grafanaToken !== undefined) {
    result.dashboards = new GrafanaDashboards("grafana", { services, grafana: settings.grafana, token: args.grafanaToken, context: dashboardContext(settings, pulumi.getStack()) });
    if (grafanaAlerting(settings)) {
      result.alerting = new GrafanaAlerting("grafana-alerting", {
        services,
        grafana: settings.grafana,
        token: args.grafanaToken,
        context: stackAlertingContext(services, settings, pulumi.getStack()),
        channels: settings.channels,
        routes: settings.routes,
        ...(args.channelSecrets !== undefined ? { channelSecrets: args.channelSecrets } : {}),
        folderUids: result.dashboards.folderUids,
      });
    }
  }
  const rules = grafanaAlerting(settings) ? [] : stackRules(services, settings);
  if (settings.kubernetes && settings.prometheus.ruleTargets.length > 0 && rules.length > 0) {
    const plan = alertmanagerPlan(services, settings);
    const used = new Set((plan.config["receivers"] as { name: string }[]).map((r) => r.name));
    // One Alertmanager serves an environment: in a split environment a service stack has neither the channel
    // credentials nor the other stacks' routes, so it provisions its rules only (the plan still renders its routing).
    result.rules = new PrometheusRules("prometheus", {
      rules,
      settings: settings.prometheus,
      kubernetes: settings.kubernetes,
      ...(settings.platform
        ? {}
        : {
            alertmanagerConfig: renderAlertmanagerConfig(plan, settings),
            channelSecrets: pulumi.output(args.channelSecrets ?? {}).apply((all) => Object.fromEntries(Object.entries(all).filter(([name]) => used.has(name)))),
          }),
    });
  }
  return result;
}
