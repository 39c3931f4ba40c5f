/** Credentials: never in a notification channel's plain labels. */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { TYPE, type ResourceLike } from "./support";

/** Label keys that hold credentials; they belong in sensitiveLabels. */
const CREDENTIAL_KEYS = /^(auth_?token|service_?key|password|token|secret|api_?key)$/i;

export const noPlainCredentials: ResourceValidationPolicy = {
  name: "no-plain-credentials",
  description: "Notification channel credentials (Slack tokens, PagerDuty keys, webhook URLs with tokens) are only in sensitiveLabels or secret labels, never in plain labels.",
  enforcementLevel: "mandatory",
  validateResource: (args, report) => checkPlainCredentials(args, report),
};

export function checkPlainCredentials(resource: ResourceLike, report: (message: string) => void): void {
  if (resource.type !== TYPE.channel) return;
  const labels = resource.props["labels"];
  if (typeof labels !== "object" || labels === null) return;
  for (const [key, value] of Object.entries(labels as Record<string, unknown>)) {
    if (CREDENTIAL_KEYS.test(key)) report(`channel ${resource.name}: label ${key} holds a credential in plain text; put it in sensitiveLabels.`);
    if (key === "url" && typeof value === "string" && /[?&](token|key|secret)=|\/\/[^/]*:[^/]*@/i.test(value)) {
      report(`channel ${resource.name}: the webhook URL carries a credential in plain labels; keep the labels secret.`);
    }
  }
}
