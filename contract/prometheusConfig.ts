/**
 * `monitoring-stack:prometheus`: where the Prometheus rules of `prometheus`
 * indicators go besides the plain rule files every plan writes, how often they
 * are evaluated, the low-traffic guard on pages, and what the generated
 * Alertmanager configuration needs.
 */
import { z } from "zod";
import { parseDuration } from "./duration";
import { dnsLabel, strict } from "./fields";

/** Kubernetes objects the rules can be written to; plain rule files are always written. */
export const RULE_TARGETS = ["prometheusRule", "gmpRules", "gmpClusterRules"] as const;
export type RuleTarget = (typeof RULE_TARGETS)[number];

/** Where the Prometheus Operator mounts an Alertmanager's `spec.secrets`: /etc/alertmanager/secrets/<secret>/<key>. */
export const DEFAULT_SECRETS_DIR = "/etc/alertmanager/secrets/monitoring-stack-channels";

const promDuration = z
  .string({ error: 'expected a duration like "30s"' })
  .refine((text) => /^[0-9]+(s|m)$/.test(text) && parseDuration(text)! >= 1_000 && parseDuration(text)! <= 300_000, {
    error: 'expected a rule evaluation interval between "1s" and "5m", in seconds or minutes like "30s"',
  });

export const prometheusConfigSchema = strict({
  ruleTargets: z
    .array(z.enum(RULE_TARGETS, { error: `expected a rule target: ${RULE_TARGETS.join(", ")}` }), { error: "expected a list of rule targets" })
    .refine((list) => new Set(list).size === list.length, { error: "expected each rule target once" })
    .optional(),
  namespace: dnsLabel.optional(),
  ruleLabels: z
    .record(
      z.string({ error: "expected a Kubernetes label key" }).regex(/^([a-z0-9]([a-z0-9.-]*[a-z0-9])?\/)?[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/, { error: "expected a Kubernetes label key" }),
      z.string({ error: "expected a label value as a string" }).regex(/^([A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?)?$/, { error: "expected a Kubernetes label value" }),
    )
    .optional(),
  evaluationInterval: promDuration.optional(),
  minBadEventsToPage: z
    .number({ error: "expected a whole number of bad events" })
    .int({ error: "expected a whole number of bad events" })
    .min(0, { error: "expected 0 (no guard) or more bad events" })
    .max(1_000_000, { error: "expected at most 1000000 bad events" })
    .optional(),
  alertmanager: strict({
    secretsDir: z.string({ error: "expected an absolute directory path" }).regex(/^\/[^\s]*[^/\s]$/, { error: "expected an absolute directory path without a trailing slash" }).optional(),
    smtp: strict({
      smarthost: z.string({ error: 'expected host:port like "smtp.example.com:587"' }).regex(/^[A-Za-z0-9.-]+:[0-9]{1,5}$/, { error: 'expected host:port like "smtp.example.com:587"' }),
      from: z.email({ error: "expected the sender's email address" }),
    }).optional(),
  }).optional(),
});

export type PrometheusConfig = z.output<typeof prometheusConfigSchema>;

/** The Prometheus settings with every default applied. */
export interface PrometheusSettings {
  /** Kubernetes objects to write the rules to. Default: none (plain rule files only). */
  ruleTargets: RuleTarget[];
  /** Namespace of rule objects for services not on GKE (GKE services use their own). Default `monitoring`. */
  namespace: string;
  /** Labels on PrometheusRule objects, for the operator's `ruleSelector`. Default: none. */
  ruleLabels: Record<string, string>;
  /** Rule group evaluation interval. Default `30s`. */
  evaluationInterval: string;
  /** Pages need at least this many bad events in the tier's long window, so one failed request never pages; 0 turns the guard off. Default 2. */
  minBadEventsToPage: number;
  /** Directory where Alertmanager finds one file per channel credential. Default {@link DEFAULT_SECRETS_DIR}. */
  secretsDir: string;
  /** SMTP relay for email receivers. Default: none (email channels cannot receive Prometheus alerts). */
  smtp?: { smarthost: string; from: string };
}

export const DEFAULT_MIN_BAD_EVENTS_TO_PAGE = 2;

export function prometheusSettings(config: PrometheusConfig | undefined): PrometheusSettings {
  return {
    ruleTargets: [...(config?.ruleTargets ?? [])],
    namespace: config?.namespace ?? "monitoring",
    ruleLabels: { ...(config?.ruleLabels ?? {}) },
    evaluationInterval: config?.evaluationInterval ?? "30s",
    minBadEventsToPage: config?.minBadEventsToPage ?? DEFAULT_MIN_BAD_EVENTS_TO_PAGE,
    secretsDir: config?.alertmanager?.secretsDir ?? DEFAULT_SECRETS_DIR,
    ...(config?.alertmanager?.smtp ? { smtp: { ...config.alertmanager.smtp } } : {}),
  };
}
