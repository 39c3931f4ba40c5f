/**
 * Multiwindow, multi-burn-rate alerting on Cloud Monitoring SLOs: per SLO and
 * tier one alert policy whose long- and short-window burn-rate conditions
 * must both hold (combiner AND). Thresholds come from the model.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { burnAlertDocumentation, tierCondition } from "../../model/explain";
import type { ServiceModel, SloModel } from "../../model/types";
import { BURN_CONDITION_DURATION_MS, type BurnTier } from "../../model/sloMath";
import type { Severity } from "../../contract/serviceSchema";
import { formatDuration, toGcpDuration } from "../../contract/duration";
import { burnRateFilter } from "./filters";
import { GCP_SEVERITY, alertDocumentation } from "./alertPolicy";
import { withAliases } from "../renames/aliases";

export interface BurnRateAlertsArgs {
  /** The service whose SLOs are alerted on. Required. */
  service: ServiceModel;
  /** GCP project that holds the alert policies. Required. */
  project: string;
  /** Full SLO resource names by SLO name (from ServiceLevelObjectives). Required. */
  sloNames: Record<string, string>;
  /** Notification channel resource names per severity. Required (may be empty lists). */
  channels: Record<Severity, pulumi.Input<string>[]>;
  /** SLO resources by SLO name; each policy waits for its SLO to exist. Default: none. */
  sloResources?: Record<string, pulumi.Resource>;
}

export class BurnRateAlerts extends pulumi.ComponentResource {
  constructor(name: string, args: BurnRateAlertsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("monitoring-stack:gcp:BurnRateAlerts", name, args, opts);
    for (const slo of args.service.slos) {
      const sloName = args.sloNames[slo.name];
      if (sloName === undefined) continue;
      for (const tier of slo.tiers) {
        // One naming rule for the current and the earlier SLO names, so aliases always match.
        const policyName = (sloKey: string) => `${name}-${sloKey}-${tier.name}`;
        new gcp.monitoring.AlertPolicy(
          policyName(slo.name),
          burnRateAlertArgs(args.service, slo, tier, args.project, sloName, args.channels[tier.severity]),
          withAliases(
            { parent: this, dependsOn: args.sloResources?.[slo.name] ? [args.sloResources[slo.name]!] : [] },
            slo.formerly.map(policyName),
          ),
        );
      }
    }
    this.registerOutputs({});
  }
}

export function burnRateAlertArgs(
  service: ServiceModel,
  slo: SloModel,
  tier: BurnTier,
  project: string,
  sloName: string,
  channels: pulumi.Input<string>[],
): gcp.monitoring.AlertPolicyArgs {
  const condition = (windowMs: number) => ({
    displayName: `burn rate above ${tier.burnRate} over ${formatDuration(windowMs)}`,
    conditionThreshold: {
      filter: burnRateFilter(sloName, windowMs),
      comparison: "COMPARISON_GT",
      thresholdValue: tier.burnRate,
      duration: toGcpDuration(BURN_CONDITION_DURATION_MS),
      trigger: { count: 1 },
    },
  });
  return {
    project,
    displayName: `${service.name} ${slo.name} ${tier.name}: ${tierCondition(tier)}`,
    combiner: "AND",
    severity: GCP_SEVERITY[tier.severity],
    conditions: [condition(tier.longWindowMs), condition(tier.shortWindowMs)],
    notificationChannels: channels,
    documentation: alertDocumentation(service, tier.severity, `${service.name} ${slo.name}: error budget burning (${tier.name})`, burnAlertDocumentation(service, slo, tier)),
    userLabels: { ...service.labels, slo: slo.name, severity: tier.severity, "burn-tier": tier.name },
  };
}
