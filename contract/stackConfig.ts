/**
 * The stack config (`stacks/Pulumi.<stack>.yaml`, namespace `monitoring-stack:`):
 * what one deployment shares across services — environment, where the
 * services are, notification channels, default routes and burn-rate tiers.
 *
 * Credentials live apart from the channel definitions, in the secret object
 * `monitoring-stack:channelSecrets` (set with `pulumi config set --secret --path`),
 * so that nothing else in the config ever has to be secret.
 */
import { z } from "zod";
import { DURATION_PATTERN, parseDuration } from "./duration";
import { dnsLabel, strict } from "./fields";
import { ownsSchema, platformRefSchema, type Ownership, type PlatformRef } from "./ownership";
import { describeValue, type Problem } from "./problems";
import { SEVERITIES, type BurnSeverity } from "./serviceSchema";
import { zodProblems } from "./zodProblems";
import { dashboardDatasources, grafanaConfigSchema, grafanaSettings, type DashboardDatasources, type GrafanaConfig, type GrafanaSettings } from "./grafanaConfig";
import { prometheusConfigSchema, prometheusSettings, type PrometheusConfig, type PrometheusSettings } from "./prometheusConfig";
import { kubernetesConfigSchema, type KubernetesConfig } from "./kubernetesConfig";

export const NAMESPACE = "monitoring-stack";
/** The secret key holding the Synthetic Monitoring access token (Synthetics → Config → Access tokens). */
export const SM_TOKEN_KEY = "syntheticMonitoringToken";

const name = dnsLabel;

/** Channel kinds and the credential each one reads from channelSecrets (if any). */
export const CHANNEL_SECRET: Record<ChannelConfig["type"], string | undefined> = {
  slack: "the Slack bot token (xoxb-...)",
  pagerduty: "the PagerDuty Events API v2 integration key",
  webhook: "the webhook URL (it usually carries a token)",
  email: undefined,
};

const channelSchema = z.discriminatedUnion(
  "type",
  [
    strict({ type: z.literal("slack"), channel: z.string({ error: 'expected a Slack channel like "#payments-alerts"' }).regex(/^#[a-z0-9][a-z0-9._-]{0,79}$/, { error: 'expected a Slack channel like "#payments-alerts"' }), displayName: z.string().optional() }),
    strict({ type: z.literal("email"), address: z.email({ error: "expected an email address" }), displayName: z.string().optional() }),
    strict({ type: z.literal("pagerduty"), displayName: z.string().optional() }),
    strict({ type: z.literal("webhook"), displayName: z.string().optional() }),
  ],
  { error: "expected a channel with type slack, email, pagerduty or webhook" },
);
export type ChannelConfig = z.output<typeof channelSchema>;

const windowDuration = z
  .string({ error: 'expected a duration like "1h"' })
  .regex(DURATION_PATTERN, { error: 'expected a duration like "1h" (units m, h, d)' })
  .refine((text) => parseDuration(text)! >= 60_000 && parseDuration(text)! % 60_000 === 0 && parseDuration(text)! <= 30 * 86_400_000, {
    error: "expected whole minutes, between 1m and 30d",
  });

const tierSchema = strict({
  name,
  severity: z.enum(["page", "ticket"], { error: "expected page or ticket" }),
  budgetPercent: z.number({ error: "expected a percentage of the error budget" }).gt(0).lte(100, { error: "expected a percentage between 0 and 100" }),
  longWindow: windowDuration,
  shortWindow: windowDuration,
}).superRefine((tier, ctx) => {
  if (parseDuration(tier.shortWindow)! >= parseDuration(tier.longWindow)!) {
    ctx.addIssue({ code: "custom", path: ["shortWindow"], message: `invalid value (got ${tier.shortWindow}, expected shorter than longWindow ${tier.longWindow})` });
  }
});
type TierEntry = z.output<typeof tierSchema>;

const tierList = z
  .array(tierSchema, { error: "expected a list of tiers" })
  .min(1, { error: "expected at least one tier" })
  .refine((tiers) => new Set(tiers.map((t) => t.name)).size === tiers.length, { error: "expected unique tier names" });

/** An SLO window tiers may be defined for: whole days, 1d to 30d, or whole hours below a day, as rolling SLO windows are. */
const TIER_PERIOD = /^(([1-9]|[12][0-9]|30)d|([1-9]|1[0-9]|2[0-3])h)$/;

const tiersByPeriod = z.record(z.string().regex(TIER_PERIOD, { error: "expected an SLO window in whole days, 1d to 30d, like 28d, or whole hours below a day, like 6h" }), tierList, {
  error: "expected a mapping of SLO window (like 28d) to a list of tiers",
});

/**
 * `monitoring-stack:burnRateTiers`: a list of tiers defined for 30 days, or a
 * mapping of SLO window to the tiers defined for that window. Each form is
 * checked with its own schema so every problem keeps its field path.
 */
const burnRateTiers = z.custom<TierEntry[] | Record<string, TierEntry[]>>(() => true).superRefine((value, ctx) => {
  const parsed = Array.isArray(value) ? tierList.safeParse(value, { reportInput: true }) : typeof value === "object" && value !== null ? tiersByPeriod.safeParse(value, { reportInput: true }) : undefined;
  if (!parsed) {
    ctx.addIssue({ code: "custom", message: `invalid value (got ${describeValue(value)}, expected a list of tiers defined for 30d, or a mapping of SLO window like 28d to a list of tiers defined for that window)` });
    return;
  }
  if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ ...issue } as Parameters<typeof ctx.addIssue>[0]);
  if (Array.isArray(value)) return;
  // Windows longer than their period, reported with the other problems of the mapping.
  for (const [period, tiers] of Object.entries(value as Record<string, unknown>)) {
    if (!TIER_PERIOD.test(period) || !Array.isArray(tiers)) continue;
    tiers.forEach((tier: unknown, index) => {
      const longWindow = typeof tier === "object" && tier !== null ? (tier as { longWindow?: unknown }).longWindow : undefined;
      const longMs = typeof longWindow === "string" ? parseDuration(longWindow) : undefined;
      if (longMs !== undefined && longMs > parseDuration(period)!) {
        ctx.addIssue({ code: "custom", path: [period, index, "longWindow"], message: `invalid value (got ${longWindow}, expected no longer than the ${period} SLO window the tiers are defined for)` });
      }
    });
  }
});

const routes = strict({
  page: z.array(name, { error: "expected a list of channel names" }).optional(),
  ticket: z.array(name, { error: "expected a list of channel names" }).optional(),
  info: z.array(name, { error: "expected a list of channel names" }).optional(),
});


/** Where log data lives: log buckets, and the Cloud Storage buckets sinks export to. */
export const logsLocationSchema = strict({
  /** Log bucket location. Default `global`. */
  bucketLocation: z.string({ error: "expected a Cloud Logging location like global or europe-west1" }).regex(/^[a-z0-9-]+$/, { error: "expected a Cloud Logging location like global or europe-west1" }).optional(),
  /** Cloud Storage location of export buckets. Default `US`. */
  exportLocation: z.string({ error: "expected a Cloud Storage location like EU or europe-west1" }).regex(/^[A-Za-z0-9-]+$/, { error: "expected a Cloud Storage location like EU or europe-west1" }).optional(),
});

/**
 * Quotas Google raises on request (Cloud Logging quotas page), and how far:
 * the names `monitoring-stack:quotas` accepts. model/googleLimits.ts cites the source.
 */
export const RAISABLE_QUOTAS = { logBuckets: 2500, logSinks: 4000 } as const;

/** A Pulumi resource name the program gives: service, endpoint, SLO and tier names joined by '-'. */
export const RESOURCE_NAME = /^[a-z][a-z0-9-]{0,254}$/;

/** Every `monitoring-stack:` key a stack may set. */
export const stackConfigSchema = strict({
  [`${NAMESPACE}:environment`]: name,
  [`${NAMESPACE}:services`]: strict({ dir: z.string({ error: "expected a directory path" }).min(1, { error: "expected a directory path" }).optional() }).optional(),
  [`${NAMESPACE}:owns`]: ownsSchema.optional(),
  [`${NAMESPACE}:platform`]: platformRefSchema.optional(),
  [`${NAMESPACE}:channels`]: z.record(name, channelSchema).optional(),
  // Credentials are never echoed: every message here carries its own "(got ...)" without the value.
  [`${NAMESPACE}:channelSecrets`]: z
    .record(
      name,
      z
        .string({ error: "invalid value (got a credential that is not a string, expected the credential as a string)" })
        .min(1, { error: "invalid value (got an empty credential, expected the credential)" }),
      { error: "invalid value (got a value that is not a mapping, expected a mapping of channel name to credential)" },
    )
    .optional(),
  [`${NAMESPACE}:routes`]: routes.optional(),
  [`${NAMESPACE}:logs`]: logsLocationSchema.optional(),
  [`${NAMESPACE}:burnRateTiers`]: burnRateTiers.optional(),
  [`${NAMESPACE}:grafana`]: grafanaConfigSchema.optional(),
  // A Grafana service account token: never echoed, like channelSecrets.
  [`${NAMESPACE}:grafanaToken`]: z
    .string({ error: "invalid value (got a token that is not a string, expected the Grafana service account token as a string)" })
    .min(1, { error: "invalid value (got an empty token, expected the Grafana service account token)" })
    .optional(),
  // The Synthetic Monitoring access token: never echoed, like grafanaToken.
  [`${NAMESPACE}:${SM_TOKEN_KEY}`]: z
    .string({ error: "invalid value (got a token that is not a string, expected the Synthetic Monitoring access token as a string)" })
    .min(1, { error: "invalid value (got an empty token, expected the Synthetic Monitoring access token)" })
    .optional(),
  [`${NAMESPACE}:prometheus`]: prometheusConfigSchema.optional(),
  [`${NAMESPACE}:kubernetes`]: kubernetesConfigSchema.optional(),
  // Existing resources the stack takes over instead of creating: resource name -> the provider's import id (see docs/adoption.md).
  [`${NAMESPACE}:adopt`]: z
    .record(
      z.string().regex(RESOURCE_NAME, { error: "expected a resource name of this stack, like checkout-api-uptime-health (npm run adopt writes them)" }),
      z.string({ error: "expected the resource's import id as a string" }).min(1, { error: "expected the resource's import id" }),
      { error: "expected a mapping of resource name to import id" },
    )
    .optional(),
  // Quota increases Google granted for this stack's project: limit name -> granted value (see model/googleLimits.ts).
  [`${NAMESPACE}:quotas`]: strict(
    Object.fromEntries(
      Object.entries(RAISABLE_QUOTAS).map(([id, max]) => [
        id,
        z
          .number({ error: `expected the granted quota as a whole number` })
          .int({ error: "expected the granted quota as a whole number" })
          .min(1, { error: "expected the granted quota as a whole number" })
          .max(max, { error: `expected at most ${max}, the largest increase Google grants` })
          .optional(),
      ]),
    ),
  ).optional(),
});


/**
 * A burn-rate tier as defined for an SLO window: the reference window of 30
 * days unless `periodMs` states another.
 */
export interface BurnTierDefinition {
  /** Short name, unique among tiers, used in resource names (e.g. `page-fast`). */
  name: string;
  /** Who is told: page (wake someone) or ticket (next business day). */
  severity: BurnSeverity;
  /** Share of the error budget, in percent, spent within the long window when the alert fires. */
  budgetPercent: number;
  /** Long window for a 30-day SLO window (or for `periodMs`), in milliseconds. */
  longWindowMs: number;
  /** Short window for a 30-day SLO window, in milliseconds; it makes the alert reset quickly. */
  shortWindowMs: number;
  /**
   * The SLO window, in milliseconds, the windows above are written for (the key of a
   * `monitoring-stack:burnRateTiers` mapping). Absent: 30 days.
   */
  periodMs?: number;
}

/** The stack config after checking, with defaults applied. */
export interface StackSettings {
  /** GCP project that holds the monitoring resources (`gcp:project`). */
  project: string;
  environment: string;
  /** Directory of declarations, relative to the project root. Default `services`. */
  servicesDir: string;
  /** Which of those services this stack owns (`monitoring-stack:owns`). Default `all`. */
  owns: Ownership;
  /** The stack whose channels this stack uses instead of defining its own. Default: none. */
  platform?: PlatformRef;
  channels: Record<string, ChannelConfig>;
  /** Names of channels that have a credential in channelSecrets (values never leave Pulumi's secret outputs). */
  channelsWithSecrets: ReadonlySet<string>;
  /** Channel names per severity (`monitoring-stack:routes`); info alerts arrive as a daily digest. */
  routes: { page: string[]; ticket: string[]; info: string[] };
  /**
   * Burn-rate tiers declared by the stack (`monitoring-stack:burnRateTiers`), every list of a
   * mapping flattened with its `periodMs`; absent: the model's defaults.
   */
  burnTiers?: readonly BurnTierDefinition[];
  /** Log bucket location. Default `global`. */
  logBucketLocation: string;
  /** Location of Cloud Storage export buckets. Default `US`. */
  logExportLocation: string;
  /** Grafana to provision dashboards in (`monitoring-stack:grafana`); none: dashboards are only rendered. */
  grafana?: GrafanaSettings;
  /** Data sources the dashboards query (`monitoring-stack:grafana.datasources`, with defaults). */
  datasources: DashboardDatasources;
  /** Prometheus rule targets, guard and Alertmanager settings (`monitoring-stack:prometheus`, with defaults). */
  prometheus: PrometheusSettings;
  /** How to reach GKE clusters (`monitoring-stack:kubernetes`); required for Prometheus rule objects. */
  kubernetes?: KubernetesConfig;
  /** Quota increases granted for the project (`monitoring-stack:quotas`): limit name → value. Default: none. */
  quotas?: Partial<Record<keyof typeof RAISABLE_QUOTAS, number>>;
  /**
   * The platform stack is in another project: alert policies can only notify channels of their own
   * project, so this stack creates the platform's channel definitions in its own project, with
   * credentials from its own `monitoring-stack:channelSecrets`. Default: false.
   */
  recreatesPlatformChannels?: boolean;
  /**
   * Existing resources the stack adopts instead of creating (`monitoring-stack:adopt`): resource name → the
   * provider's import id. Default: none.
   */
  adopt?: Readonly<Record<string, string>>;
}

/** How the config was handed over, beyond its values. */
export interface StackConfigSource {
  /**
   * Keys Pulumi holds as secrets (`secure:` in the stack file). When given, a
   * credential that must be secret and is not is refused. Default: unknown (not checked).
   */
  secretKeys?: ReadonlySet<string>;
  /**
   * Read for an offline plan or check (npm run plan, validate, stacks check),
   * where a plain placeholder (a value containing "placeholder") stands in for
   * a credential; `pulumi preview` and `pulumi up` refuse it. Default: false.
   */
  offline?: boolean;
}

/** The stack-file keys that hold credentials: each is a Pulumi secret, or offline a plain placeholder. */
export const CREDENTIAL_KEYS = [`${NAMESPACE}:channelSecrets`, `${NAMESPACE}:grafanaToken`, `${NAMESPACE}:${SM_TOKEN_KEY}`] as const;

/** A plain value the offline plan accepts in place of a credential. */
export const isPlaceholder = (value: unknown): boolean => typeof value === "string" && /placeholder/i.test(value);

/** How to set a credential, and the offline alternative: one sentence for every credential message. */
export function setCredential(key: string, entry?: string): string {
  const target = entry === undefined ? key : `'${key}.${entry}'`;
  const placeholder = entry === undefined ? `${key}: placeholder-token` : `${key}: { ${entry}: placeholder-${entry} }`;
  return `set it with: pulumi config set --secret${entry === undefined ? "" : " --path"} ${target} VALUE; for an offline plan only, a plain placeholder in the stack file works (${placeholder}), which pulumi up refuses`;
}

/**
 * Credentials in plain text in the stack file, the same rule for every one:
 * offline, a placeholder is accepted and anything else refused; for pulumi
 * preview and up, every plain value is refused. Known only when the source
 * says which keys are secret.
 */
function plainCredentialProblems(data: Record<string, unknown>, file: string, source: StackConfigSource): Problem[] {
  if (!source.secretKeys) return [];
  const problems: Problem[] = [];
  for (const key of CREDENTIAL_KEYS) {
    const value = data[key];
    if (value === undefined || source.secretKeys.has(key)) continue;
    const entries: [string | undefined, unknown][] = key === `${NAMESPACE}:channelSecrets` && typeof value === "object" && value !== null ? Object.entries(value) : [[undefined, value]];
    for (const [entry, plain] of entries) {
      if (source.offline && isPlaceholder(plain)) continue;
      const what = source.offline ? "a value that is not a Pulumi secret nor a placeholder" : isPlaceholder(plain) ? "a placeholder, which only the offline plan accepts" : "a value that is not a Pulumi secret";
      problems.push({ file, path: entry === undefined ? key : `${key}.${entry}`, message: `credential in plain text (got ${what}, expected a Pulumi secret; ${setCredential(key, entry)})` });
    }
  }
  return problems;
}

/**
 * Checks raw stack config values (as Pulumi hands them to a program: strings,
 * with objects JSON-encoded) and returns settings or problems.
 */
export function parseStackConfig(raw: Readonly<Record<string, string>>, file: string, source: StackConfigSource = {}): { settings?: StackSettings; problems: Problem[] } {
  const problems: Problem[] = [];
  const ours: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!key.startsWith(`${NAMESPACE}:`)) continue;
    ours[key] = decode(value);
  }
  const project = raw["gcp:project"];
  if (!project) {
    problems.push({ file, path: "gcp:project", message: "missing required field (expected the GCP project id that holds the monitoring resources)" });
  }
  const parsed = stackConfigSchema.safeParse(ours, { reportInput: true });
  if (!parsed.success) problems.push(...zodProblems(file, parsed.error.issues));
  if (!parsed.success || !project) return { problems };

  const data = parsed.data;
  const channels = (data[`${NAMESPACE}:channels`] ?? {}) as Record<string, ChannelConfig>;
  const secrets = (data[`${NAMESPACE}:channelSecrets`] ?? {}) as Record<string, string>;
  const routesValue = (data[`${NAMESPACE}:routes`] ?? {}) as { page?: string[]; ticket?: string[]; info?: string[] };

  for (const [channel, config] of Object.entries(channels)) {
    const needs = CHANNEL_SECRET[config.type];
    if (needs && !(channel in secrets)) {
      problems.push({
        file,
        path: `${NAMESPACE}:channelSecrets.${channel}`,
        message: `missing credential (expected ${needs} under ${NAMESPACE}:channelSecrets in the stack file; ${setCredential(`${NAMESPACE}:channelSecrets`, channel)})`,
      });
    }
  }
  // With a platform stack, credentials name its channels: checked once those are read (catalog/stackSettings.ts).
  for (const channel of data[`${NAMESPACE}:platform`] ? [] : Object.keys(secrets)) {
    const config = channels[channel];
    if (!config) {
      problems.push({ file, path: `${NAMESPACE}:channelSecrets.${channel}`, message: `credential for an unknown channel (got ${JSON.stringify(channel)}, expected a name from ${NAMESPACE}:channels)` });
    } else if (!CHANNEL_SECRET[config.type]) {
      problems.push({ file, path: `${NAMESPACE}:channelSecrets.${channel}`, message: `credential for a channel that takes none (got type ${config.type}, expected slack, pagerduty or webhook)` });
    }
  }
  // With a platform stack, routes name its channels: checked once those are read (catalog/stackSettings.ts).
  for (const severity of data[`${NAMESPACE}:platform`] ? [] : SEVERITIES) {
    (routesValue[severity] ?? []).forEach((channel, index) => {
      if (!(channel in channels)) {
        problems.push({ file, path: `${NAMESPACE}:routes.${severity}[${index}]`, message: unknownChannel(channel, channels) });
      }
    });
  }
  (routesValue.info ?? []).forEach((channel, index) => {
    const why = pagingChannel(channel, new Set(routesValue.page ?? []), channels);
    if (why) problems.push({ file, path: `${NAMESPACE}:routes.info[${index}]`, message: pagingInInfoRoute(channel, why) });
  });
  problems.push(...integrationProblems(data as Record<string, unknown>, file), ...syntheticMonitoringProblems(data as Record<string, unknown>, file), ...plainCredentialProblems(data as Record<string, unknown>, file, source));
  if (problems.length > 0) return { problems };

  const tiers = data[`${NAMESPACE}:burnRateTiers`] as TierEntry[] | Record<string, TierEntry[]> | undefined;
  const logLocations = (data[`${NAMESPACE}:logs`] ?? {}) as z.output<typeof logsLocationSchema>;
  return {
    problems,
    settings: {
      project,
      environment: data[`${NAMESPACE}:environment`] as string,
      servicesDir: (data[`${NAMESPACE}:services`] as { dir?: string } | undefined)?.dir ?? "services",
      owns: (data[`${NAMESPACE}:owns`] as Ownership | undefined) ?? "all",
      ...(data[`${NAMESPACE}:platform`] ? { platform: data[`${NAMESPACE}:platform`] as PlatformRef } : {}),
      channels,
      channelsWithSecrets: new Set(Object.keys(secrets)),
      routes: { page: routesValue.page ?? [], ticket: routesValue.ticket ?? [], info: routesValue.info ?? [] },
      ...(tiers ? { burnTiers: tierDefinitionsOf(tiers) } : {}),
      logBucketLocation: logLocations.bucketLocation ?? "global",
      logExportLocation: logLocations.exportLocation ?? "US",
      ...grafanaAndPrometheus(data as Record<string, unknown>),
      ...(data[`${NAMESPACE}:adopt`] && Object.keys(data[`${NAMESPACE}:adopt`] as object).length > 0 ? { adopt: data[`${NAMESPACE}:adopt`] as Record<string, string> } : {}),
      ...(data[`${NAMESPACE}:quotas`] ? { quotas: data[`${NAMESPACE}:quotas`] as Partial<Record<keyof typeof RAISABLE_QUOTAS, number>> } : {}),
    },
  };
}

/** The tiers as definitions: a list is defined for 30 days; a mapping's lists for their key. */
function tierDefinitionsOf(tiers: TierEntry[] | Record<string, TierEntry[]>): BurnTierDefinition[] {
  const definition = (tier: TierEntry, period?: string): BurnTierDefinition => ({
    name: tier.name,
    severity: tier.severity,
    budgetPercent: tier.budgetPercent,
    longWindowMs: parseDuration(tier.longWindow)!,
    shortWindowMs: parseDuration(tier.shortWindow)!,
    ...(period !== undefined ? { periodMs: parseDuration(period)! } : {}),
  });
  return Array.isArray(tiers) ? tiers.map((tier) => definition(tier)) : Object.entries(tiers).flatMap(([period, list]) => list.map((tier) => definition(tier, period)));
}

/** Grafana needs its token (and the token its Grafana); rule objects need a cluster to go to. */
function integrationProblems(data: Record<string, unknown>, file: string): Problem[] {
  const problems: Problem[] = [];
  const grafana = data[`${NAMESPACE}:grafana`] !== undefined;
  const token = data[`${NAMESPACE}:grafanaToken`] !== undefined;
  if (grafana && !token) {
    problems.push({ file, path: `${NAMESPACE}:grafanaToken`, message: `missing credential (expected a Grafana service account token; ${setCredential(`${NAMESPACE}:grafanaToken`)})` });
  } else if (token && !grafana) {
    problems.push({ file, path: `${NAMESPACE}:grafanaToken`, message: `credential without a Grafana (expected ${NAMESPACE}:grafana.url to say where the token is used)` });
  }
  const targets = (data[`${NAMESPACE}:prometheus`] as PrometheusConfig | undefined)?.ruleTargets ?? [];
  if ((data[`${NAMESPACE}:grafana`] as GrafanaConfig | undefined)?.alerting === "grafana") {
    // The notification policy tree is one per Grafana organisation: a split environment's stacks would overwrite each other's.
    if (data[`${NAMESPACE}:platform`] !== undefined) {
      problems.push({ file, path: `${NAMESPACE}:grafana.alerting`, message: `invalid value (got grafana in a stack with ${NAMESPACE}:platform, expected prometheus: Grafana's notification policy tree is one per organisation, so only an environment's single stack can own it)` });
    }
    if (targets.length > 0) {
      problems.push({ file, path: `${NAMESPACE}:grafana.alerting`, message: `invalid value (got grafana with rule targets ${targets.join(", ")}, expected prometheus, or no ${NAMESPACE}:prometheus.ruleTargets: every alert would be sent twice)` });
    }
  }
  if (targets.length > 0 && data[`${NAMESPACE}:kubernetes`] === undefined) {
    problems.push({
      file,
      path: `${NAMESPACE}:kubernetes`,
      message: `missing field (got rule targets ${targets.join(", ")}, expected the cluster they go to: {context, kubeconfig}, or {} for the ambient kubeconfig)`,
    });
  }
  return problems;
}

/**
 * Synthetic Monitoring needs its API, its token (a Pulumi secret) and
 * Grafana-managed alerting: its results land in the Grafana Cloud stack's
 * Prometheus, which only Grafana's rules read here. Its settings and token
 * without `uptime: syntheticMonitoring` would be silently unused.
 */
function syntheticMonitoringProblems(data: Record<string, unknown>, file: string): Problem[] {
  const problems: Problem[] = [];
  const grafana = data[`${NAMESPACE}:grafana`] as GrafanaConfig | undefined;
  const tokenKey = `${NAMESPACE}:${SM_TOKEN_KEY}`;
  const token = data[tokenKey] !== undefined;
  if (grafana?.uptime === "syntheticMonitoring") {
    if (!grafana.syntheticMonitoring) {
      problems.push({ file, path: `${NAMESPACE}:grafana.syntheticMonitoring`, message: "missing field (got uptime syntheticMonitoring, expected {url: <the stack's Synthetic Monitoring API URL>} and optionally probes per checker region)" });
    }
    if ((grafana.alerting ?? "prometheus") !== "grafana") {
      problems.push({
        file,
        path: `${NAMESPACE}:grafana.uptime`,
        message: `invalid value (got syntheticMonitoring with alerting ${grafana.alerting ?? "prometheus"}, expected alerting: grafana as well: Synthetic Monitoring writes its results to the Grafana Cloud stack's Prometheus, where only Grafana-managed alert rules evaluate the uptime alerts and SLOs)`,
      });
    }
    if (!token) {
      problems.push({ file, path: tokenKey, message: `missing credential (expected the Synthetic Monitoring access token; ${setCredential(tokenKey)})` });
    }
  } else {
    if (grafana?.syntheticMonitoring) {
      problems.push({ file, path: `${NAMESPACE}:grafana.syntheticMonitoring`, message: `unused settings (got Synthetic Monitoring settings with uptime ${grafana.uptime ?? "cloudMonitoring"}, expected uptime: syntheticMonitoring to use them, or no syntheticMonitoring section)` });
    }
    if (token) {
      problems.push({ file, path: tokenKey, message: `credential without Synthetic Monitoring (expected ${NAMESPACE}:grafana.uptime: syntheticMonitoring to say where the token is used)` });
    }
  }
  return problems;
}

function grafanaAndPrometheus(data: Record<string, unknown>): Pick<StackSettings, "grafana" | "datasources" | "prometheus" | "kubernetes"> {
  const grafana = data[`${NAMESPACE}:grafana`] as GrafanaConfig | undefined;
  const kubernetes = data[`${NAMESPACE}:kubernetes`] as KubernetesConfig | undefined;
  return {
    ...(grafana ? { grafana: grafanaSettings(grafana) } : {}),
    datasources: dashboardDatasources(grafana),
    prometheus: prometheusSettings(data[`${NAMESPACE}:prometheus`] as PrometheusConfig | undefined),
    ...(kubernetes ? { kubernetes: { ...kubernetes } } : {}),
  };
}

/** Why a channel pages (a PagerDuty service, or a channel of the page route), or undefined when it does not. */
export function pagingChannel(channel: string, pageRoute: ReadonlySet<string>, channels: Readonly<Record<string, unknown>>): string | undefined {
  const type = (channels[channel] as { type?: string } | undefined)?.type;
  if (type === "pagerduty") return "a PagerDuty channel";
  if (pageRoute.has(channel)) return "also in the page route";
  return undefined;
}

/** The message for a paging channel in an info route. */
export function pagingInInfoRoute(channel: string, why: string): string {
  return `a paging channel in the info route (got ${JSON.stringify(channel)}, ${why}; expected channels reviewed once a day, such as email or a Slack channel: info alerts never page)`;
}

/**
 * Where a declaration's channels come from: a stack's config, or the
 * `channelIds` argument of a MonitoredService in a team's own program.
 */
export type ChannelSource = "stack" | "channelIds";

export function unknownChannel(channel: string, channels: Record<string, unknown>, from: ChannelSource = "stack"): string {
  const known = Object.keys(channels).sort();
  const list = known.length ? known.join(", ") : "none defined";
  if (from === "channelIds") return `unknown channel (got ${JSON.stringify(channel)}, expected one of the channels in channelIds: ${list}; channelIds maps each channel name to its notification channel resource name)`;
  return `unknown channel (got ${JSON.stringify(channel)}, expected one of the stack's channels: ${list}; channels are declared under ${NAMESPACE}:channels in the stack file, stacks/Pulumi.<stack>.yaml, their credentials under ${NAMESPACE}:channelSecrets)`;
}

/** Pulumi passes structured config as JSON text; plain strings stay strings. */
function decode(value: string): unknown {
  const trimmed = value.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[") || trimmed === "true" || trimmed === "false" || /^-?[0-9.]+$/.test(trimmed)) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return value;
    }
  }
  return value;
}
