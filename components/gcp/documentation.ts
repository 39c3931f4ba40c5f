/**
 * The documentation block every alert policy carries: a subject that starts
 * with the severity, markdown that ends with the runbook, and the runbook as
 * a link.
 */
import type * as gcp from "@pulumi/gcp";
import type { ServiceModel } from "../model/service";
import type { Severity } from "../model/sloMath";
import { runbookLine } from "../model/explain";

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
