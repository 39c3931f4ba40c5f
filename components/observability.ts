/**
 * Everything a stack renders from its catalog besides Cloud Monitoring:
 * Prometheus rule files, the Alertmanager configuration and Grafana
 * dashboards — as text (what the offline plan writes) and, where the stack
 * configures Grafana or Kubernetes, as resources (the same text).
 */
import * as pulumi from "@pulumi/pulumi";
import { dashboardJson, serviceDashboardUid, stackDashboards, type DashboardContext } from "./grafana/dashboards";
import { GrafanaDashboards } from "./grafana/GrafanaDashboards";
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
  const rules = stackRules(services, settings);
  for (const { service, groups } of rules) files[`prometheus/${service.name}.yaml`] = renderRuleFile(service, groups);
  const notices: { service: string; message: string }[] = [];
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
  /** `monitoring-stack:channelSecrets`, read as a secret; Alertmanager's channels are copied to a Kubernetes Secret. Default: none. */
  channelSecrets?: pulumi.Input<Record<string, string>>;
}

/** Creates the Grafana and Kubernetes resources the stack config asks for. */
export function provisionObservability(args: ObservabilityArgs): { dashboards?: GrafanaDashboards; rules?: PrometheusRules } {
  const { services, settings } = args;
  const result: { dashboards?: GrafanaDashboards; rules?: PrometheusRules } = {};
  if (settings.grafana && args.grafanaToken !== undefined) {
    result.dashboards = new GrafanaDashboards("grafana", { services, grafana: settings.grafana, token: args.grafanaToken, context: dashboardContext(settings, pulumi.getStack()) });
  }
  const rules = stackRules(services, settings);
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
