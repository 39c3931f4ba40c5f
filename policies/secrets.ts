/** Credentials: never in a notification channel's plain labels. */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { TYPE, type ResourceLike } from "./support";

/** Label keys that hold credentials (compared without case, '_' and '-'); they belong in sensitiveLabels. */
export const CREDENTIAL_LABEL_KEYS = ["auth_token", "service_key", "password", "token", "secret", "api_key"];

export interface CredentialsConfig {
  /** Label keys that hold credentials. */
  credentialLabelKeys: string[];
}

export const noPlainCredentials: ResourceValidationPolicy = {
  name: "no-plain-credentials",
  description: "Notification channel credentials (Slack tokens, PagerDuty keys, webhook URLs with tokens) are only in sensitiveLabels or secret labels, never in plain labels.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      credentialLabelKeys: { type: "array", items: { type: "string" }, default: CREDENTIAL_LABEL_KEYS, description: "Label keys that hold credentials (case, '_' and '-' ignored)." },
    },
  },
  validateResource: (args, report) => checkPlainCredentials(args, args.getConfig<CredentialsConfig>(), report),
};

const normalKey = (key: string) => key.toLowerCase().replace(/[_-]/g, "");

export function checkPlainCredentials(resource: ResourceLike, config: CredentialsConfig, report: (message: string) => void): void {
  const credentialKeys = new Set(config.credentialLabelKeys.map(normalKey));
  if (resource.type !== TYPE.channel) return;
  const labels = resource.props["labels"];
  if (typeof labels !== "object" || labels === null) return;
  for (const [key, value] of Object.entries(labels as Record<string, unknown>)) {
    if (credentialKeys.has(normalKey(key))) report(`channel ${resource.name}: label ${key} holds a credential in plain text; put it in sensitiveLabels.`);
    if (key === "url" && typeof value === "string" && /[?&](token|key|secret)=|\/\/[^/]*:[^/]*@/i.test(value)) {
      report(`channel ${resource.name}: the webhook URL carries a credential in plain labels; keep the labels secret.`);
    }
  }
}
