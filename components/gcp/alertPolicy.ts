/**
 * What every alert policy carries: the Cloud Monitoring severity for our
 * page or ticket, a documentation block whose subject starts with the
 * severity and whose markdown ends with the runbook (also a link), the
 * service's labels and the notification channels.
 */
import type * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import type { ServiceModel } from "../../model/types";
import type { Severity } from "../../contract/serviceSchema";
import { runbookLine } from "../../model/explain";
import { CLOUD_MONITORING_INFO } from "../../model/delivery";

/**
 * Cloud Monitoring alert severities for ours. It has no level below WARNING
 * (alert.proto Severity: CRITICAL, ERROR, WARNING; magic-modules
 * AlertPolicy.yaml severity enum), so info alerts are WARNING too, told apart
 * by their severity label and routed only to the info channels.
 */
export const GCP_SEVERITY: Record<Severity, "CRITICAL" | "WARNING"> = { page: "CRITICAL", ticket: "WARNING", info: CLOUD_MONITORING_INFO.severity };

export function alertDocumentation(
  service: Pick<ServiceModel, "runbook">,
  severity: Severity,
  subject: string,
  content: string,
): gcp.types.input.monitoring.AlertPolicyDocumentation {
  return {
    mimeType: "text/markdown",
    subject: `[${severity.toUpperCase()}] ${subject}`,
    content,
    ...(service.runbook ? { links: [{ displayName: "runbook", url: service.runbook }] } : {}),
  };
}

/** Paragraphs of an alert text, closed by the runbook line. */
export function withRunbook(service: Pick<ServiceModel, "runbook">, ...paragraphs: string[]): string {
  return [...paragraphs, runbookLine(service)].join("\n\n");
}

type Condition = gcp.types.input.monitoring.AlertPolicyCondition;

/** What differs between our alert policies; everything else is the same for all of them. */
export interface AlertPolicySpec {
  service: Pick<ServiceModel, "name" | "runbook" | "labels">;
  project: string;
  severity: Severity;
  /** The policy's display name. */
  displayName: string;
  /** Notification subject, after the [SEVERITY] prefix. */
  subject: string;
  /** Markdown body; the runbook line is added. */
  paragraphs: string[];
  conditions: Condition[];
  /** Default `OR`. */
  combiner?: "OR" | "AND";
  channels: pulumi.Input<string>[];
  alertStrategy?: gcp.types.input.monitoring.AlertPolicyAlertStrategy;
  /** Labels beyond the service's and the severity. */
  labels?: Record<string, string>;
}

export function alertPolicyArgs(spec: AlertPolicySpec): gcp.monitoring.AlertPolicyArgs {
  return {
    project: spec.project,
    displayName: spec.displayName,
    combiner: spec.combiner ?? "OR",
    severity: GCP_SEVERITY[spec.severity],
    conditions: spec.conditions,
    ...(spec.alertStrategy ? { alertStrategy: spec.alertStrategy } : {}),
    notificationChannels: spec.channels,
    documentation: alertDocumentation(spec.service, spec.severity, spec.subject, withRunbook(spec.service, ...spec.paragraphs)),
    userLabels: { ...spec.service.labels, ...(spec.labels ?? {}), severity: spec.severity },
  };
}
