/**
 * The Kubernetes objects that carry a service's rules to a rule evaluator:
 * Prometheus Operator `PrometheusRule`, Google Managed Prometheus `Rules`
 * (namespaced: it only sees the namespace's metrics) and `ClusterRules`.
 * Plain data, so tests validate them against the published schemas.
 */
import type { ServiceModel } from "../../model/types";
import type { PrometheusSettings, RuleTarget } from "../../contract/prometheusConfig";
import type { RuleGroup } from "./ruleNames";

export interface RuleObject {
  apiVersion: string;
  kind: "PrometheusRule" | "Rules" | "ClusterRules";
  metadata: { name: string; namespace?: string; labels: Record<string, string> };
  spec: { groups: RuleGroup[] };
}

export const API_VERSION: Record<RuleTarget, string> = {
  prometheusRule: "monitoring.coreos.com/v1",
  gmpRules: "monitoring.googleapis.com/v1",
  gmpClusterRules: "monitoring.googleapis.com/v1",
};

const KIND = { prometheusRule: "PrometheusRule", gmpRules: "Rules", gmpClusterRules: "ClusterRules" } as const;

/**
 * Whether the target's rules take keep_firing_for. GMP's Rules and ClusterRules take record, alert, expr, for,
 * labels and annotations (test/data/gmp-rules.schema.json): no keep_firing_for, so an alert there holds only as long
 * as its condition (docs/fields.md, Severities).
 */
export const KEEPS_FIRING: Record<RuleTarget, boolean> = { prometheusRule: true, gmpRules: false, gmpClusterRules: false };

/** Object name: from the service's first name, so a rename keeps the object. */
export function ruleObjectName(service: ServiceModel): string {
  return `${service.stableId}-slo-rules`;
}

/** The namespace a service's rules live in: its own on GKE, else the stack's. */
export function ruleNamespace(service: ServiceModel, settings: PrometheusSettings): string {
  return service.runtime.kind === "gke" ? service.runtime.namespace : settings.namespace;
}

/**
 * The targets that apply to a service: GMP `Rules` only see their own
 * namespace's metrics, so they go to GKE services only; the others apply to all.
 */
export function serviceTargets(service: ServiceModel, settings: PrometheusSettings): RuleTarget[] {
  return settings.ruleTargets.filter((target) => target !== "gmpRules" || service.runtime.kind === "gke");
}

export function ruleObject(target: RuleTarget, service: ServiceModel, groups: RuleGroup[], settings: PrometheusSettings): RuleObject {
  const labels = {
    ...(target === "prometheusRule" ? settings.ruleLabels : {}),
    "app.kubernetes.io/managed-by": "monitoring-stack",
    "monitoring-stack/service": service.name,
    "monitoring-stack/team": service.team,
  };
  return {
    apiVersion: API_VERSION[target],
    kind: KIND[target],
    metadata: {
      name: ruleObjectName(service),
      ...(target === "gmpClusterRules" ? {} : { namespace: ruleNamespace(service, settings) }),
      labels,
    },
    spec: { groups: KEEPS_FIRING[target] ? groups : groups.map((group) => ({ ...group, rules: group.rules.map(({ keep_firing_for: _held, ...rule }) => rule) })) },
  };
}

/** One line for reviewers: where the rules of a service go. */
export function describeTargets(service: ServiceModel, settings: PrometheusSettings): string {
  const objects = serviceTargets(service, settings).map((target) => {
    const object = `${KIND[target]} ${ruleObjectName(service)}`;
    return target === "gmpClusterRules" ? `${object} (cluster-wide)` : `${object} in namespace ${ruleNamespace(service, settings)}`;
  });
  return [`prometheus/${service.name}.yaml (plain rule file)`, ...objects].join(", ");
}
