/**
 * Prometheus evaluates the stack's PromQL SLOs and threshold alerts when the
 * stack keeps its alerting in Prometheus (`monitoring-stack:grafana.alerting`
 * prometheus, the default): one rule file per service and the Alertmanager
 * configuration that routes them, written by the offline plan; with rule
 * targets and a cluster, the same rules as Kubernetes objects.
 */
import * as pulumi from "@pulumi/pulumi";
import type { StackSettings } from "../../../contract/stackConfig";
import { evaluatesAnyOf } from "../../../model/placement";
import type { ServiceModel } from "../../../model/types";
import { serviceDashboardUid } from "../../grafana/dashboards";
import { alertmanagerPlan, renderAlertmanagerConfig } from "../../prometheus/alertmanager";
import { PrometheusRules } from "../../prometheus/PrometheusRules";
import { renderRuleFile, serviceRuleGroups } from "../../prometheus/rules";
import { type RuleContext, type RuleGroup } from "../../prometheus/ruleNames";
import type { EvaluatorBuilder, RenderedFiles, StackInput } from "../types";

export const ALERTMANAGER_FILE = "alertmanager/alertmanager.yml";

/** What a service's rules need of the stack: the Prometheus settings and the link to its dashboard. */
export function ruleContext(service: ServiceModel, settings: StackSettings): RuleContext {
  const url = settings.grafana ? `${settings.grafana.url.replace(/\/$/, "")}/d/${serviceDashboardUid(service, settings.environment)}` : undefined;
  return { settings: settings.prometheus, ...(url ? { dashboardUrl: url } : {}) };
}

/** Rule groups of every service that has anything Prometheus evaluates. */
export function stackRules(services: readonly ServiceModel[], settings: StackSettings): { service: ServiceModel; groups: RuleGroup[] }[] {
  return services.filter((service) => evaluatesAnyOf(service, "prometheus")).map((service) => ({ service, groups: serviceRuleGroups(service, ruleContext(service, settings)) }));
}

function renderFiles({ services, settings }: StackInput): RenderedFiles {
  const rules = stackRules(services, settings);
  const files: Record<string, string> = {};
  const notices: RenderedFiles["notices"] = [];
  for (const { service, groups } of rules) files[`prometheus/${service.name}.yaml`] = renderRuleFile(service, groups);
  if (rules.length > 0) {
    const plan = alertmanagerPlan(services, settings);
    files[ALERTMANAGER_FILE] = renderAlertmanagerConfig(plan, settings);
    for (const skipped of plan.skipped) notices.push({ service: skipped.service, message: `channel ${skipped.channel} gets no Prometheus alerts: ${skipped.reason}` });
  }
  return { files, notices };
}

export const prometheusEvaluator: EvaluatorBuilder = {
  evaluator: "prometheus",
  renderFiles,
  provisionStack({ services, settings, channelSecrets }) {
    const rules = stackRules(services, settings);
    if (!settings.kubernetes || settings.prometheus.ruleTargets.length === 0 || rules.length === 0) return undefined;
    const plan = alertmanagerPlan(services, settings);
    const used = new Set((plan.config["receivers"] as { name: string }[]).map((r) => r.name));
    // One Alertmanager serves an environment: in a split environment a service stack has neither the channel
    // credentials nor the other stacks' routes, so it provisions its rules only (the plan still renders its routing).
    return new PrometheusRules("prometheus", {
      rules,
      settings: settings.prometheus,
      kubernetes: settings.kubernetes,
      ...(settings.platform
        ? {}
        : {
            alertmanagerConfig: renderAlertmanagerConfig(plan, settings),
            channelSecrets: pulumi.output(channelSecrets ?? {}).apply((all) => Object.fromEntries(Object.entries(all).filter(([name]) => used.has(name)))),
          }),
    });
  },
  provisionService: () => ({ sloNames: {} }),
};
