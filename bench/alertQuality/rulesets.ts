/**
 * The rule sets the alert-quality harness compares, for one SLO: ours (the
 * product's own rule groups, unchanged), and Sloth's and Pyrra's, rebuilt here
 * from their published factors, windows, `for` settings and group layouts:
 *
 * - Sloth (slok/sloth, `internal/alert/windows/google-{28d,30d}.yaml`; 7 d from
 *   its documented example catalogue `examples/windows/7d.yaml`): four tiers
 *   given as budget share, long and short window; factor = share × period ÷
 *   long window. Two alerts, page = quick OR slow, ticket = quick OR slow, no
 *   `for`. Recordings and alerts in separate groups.
 * - Pyrra (pyrra-dev/pyrra, `slo/rules.go`): factors 14, 7, 2, 1 whatever the
 *   period; windows defined for 28 d and scaled to the period, rounded to the
 *   minute; `for` half the short window; one alert per tier; recordings and
 *   alerts in one group; an absent alert `for` 14 × budget × first long window
 *   plus its `for`.
 *
 * Only what decides when alerts fire is rebuilt (windows, thresholds, `for`,
 * group layout); Sloth's SLO-period and metadata recordings, which no alert
 * reads, are left out.
 */
import { serviceModel } from "../../model/service";
import { errorBudget } from "../../model/sloMath";
import { serviceSchema } from "../../contract/serviceSchema";
import { prometheusSettings, type PrometheusSettings } from "../../contract/prometheusConfig";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../../contract/duration";
import { serviceRuleGroups } from "../../components/prometheus/rules";
import { type PromRule, type RuleGroup } from "../../components/prometheus/ruleNames";
import { promDuration, promNumber } from "../../components/prometheus/promql";

export type Severity = "page" | "ticket" | "absent";

/** The SLO under test. */
export interface SloUnderTest {
  objective: number;
  windowDays: number;
  kind: "ratio" | "latency";
}

/** Metrics the traces write; every rule set reads these. */
export const METRIC = {
  total: 'http_requests_total{job="api"}',
  bad: 'http_requests_total{job="api",code=~"5.."}',
  good: 'http_requests_total{job="api",code="200"}',
  error: 'http_requests_total{job="api",code="500"}',
  bucket: "http_request_duration_seconds_bucket",
  count: 'http_request_duration_seconds_count{job="api"}',
  fast: 'http_request_duration_seconds_bucket{job="api",le="0.3"}',
  all: 'http_request_duration_seconds_bucket{job="api",le="+Inf"}',
} as const;

export interface RuleSet {
  name: string;
  groups: RuleGroup[];
  /**
   * Orders in which the groups may run relative to each other. Prometheus runs
   * groups on independent schedules, so when alerts and the recordings they
   * read sit in different groups, both orders happen; each is measured.
   */
  orders: string[][];
  /** Alert names to watch. */
  alertNames: string[];
  /** What an alert means, from its labels. */
  classify(labels: Readonly<Record<string, string>>): Severity | undefined;
}

const settings = prometheusSettings(undefined);

/** The suite's SLO ("api"/"sli") as a model service, its rules evaluated with `prometheus` (the stack's defaults unless given). */
export function ourService(slo: SloUnderTest, prometheus: PrometheusSettings = settings) {
  const indicator =
    slo.kind === "ratio" ? { total: METRIC.total, bad: METRIC.bad } : { histogram: `${METRIC.bucket}{job="api"}`, threshold: "300ms" };
  const spec = serviceSchema.parse({
    apiVersion: "monitoring-stack/v1",
    name: "api",
    team: "shop",
    tier: "critical",
    runtime: { gke: { cluster: "prod-1", location: "europe-west1", namespace: "shop", workload: "api" } },
    slos: [{ name: "sli", objective: slo.objective, window: `${slo.windowDays}d`, indicator: { prometheus: indicator } }],
  });
  return serviceModel(spec, "services/api.yaml", { burnTiers: undefined, routes: { page: [], ticket: [], info: [] }, project: "bench", prometheus });
}

/** Our tiers for the SLO, as the model resolves them for Prometheus. */
export function ourTiers(slo: SloUnderTest) {
  return ourService(slo).slos[0]!.tiers;
}

/** Ours: the product's rule groups for a service with this one SLO. */
export function ours(slo: SloUnderTest): RuleSet {
  const service = ourService(slo);
  const groups = serviceRuleGroups(service, { settings });
  return {
    name: "ours",
    groups,
    orders: [groups.map((g) => g.name)],
    alertNames: ["SLOErrorBudgetBurn", "SLOMetricsAbsent"],
    classify: (labels) => (labels["alertname"] === "SLOMetricsAbsent" ? "absent" : (labels["severity"] as Severity)),
  };
}

/** Error ratio over `window`, as each peer writes it: errors ÷ total (ratio), or (total − fast) ÷ total (latency). */
function peerErrorRatio(slo: SloUnderTest, window: string): string {
  if (slo.kind === "ratio") return `sum(rate(${METRIC.bad}[${window}])) / sum(rate(${METRIC.total}[${window}]))`;
  return `(sum(rate(${METRIC.count}[${window}])) - sum(rate(${METRIC.fast}[${window}]))) / sum(rate(${METRIC.count}[${window}]))`;
}

interface PeerTier {
  severity: "page" | "ticket";
  factor: number;
  longMs: number;
  shortMs: number;
  forMs: number;
}

/** Sloth's catalogues: [budget %, long, short] for page quick, page slow, ticket quick, ticket slow. */
const SLOTH_WINDOWS: Record<number, [number, number, number][]> = {
  30: [[2, HOUR_MS, 5 * MINUTE_MS], [5, 6 * HOUR_MS, 30 * MINUTE_MS], [10, DAY_MS, 2 * HOUR_MS], [10, 3 * DAY_MS, 6 * HOUR_MS]],
  28: [[2, HOUR_MS, 5 * MINUTE_MS], [5, 6 * HOUR_MS, 30 * MINUTE_MS], [10, DAY_MS, 2 * HOUR_MS], [10, 3 * DAY_MS, 6 * HOUR_MS]],
  7: [[8, HOUR_MS, 5 * MINUTE_MS], [12.5, 6 * HOUR_MS, 30 * MINUTE_MS], [20, DAY_MS, 2 * HOUR_MS], [42, 3 * DAY_MS, 6 * HOUR_MS]],
};

export function slothTiers(windowDays: number): PeerTier[] {
  const catalogue = SLOTH_WINDOWS[windowDays];
  if (!catalogue) throw new Error(`Sloth has no alert windows for a ${windowDays}-day period`);
  return catalogue.map(([percent, longMs, shortMs], index) => ({
    severity: index < 2 ? "page" : "ticket",
    factor: ((percent / 100) * windowDays * DAY_MS) / longMs,
    longMs,
    shortMs,
    forMs: 0,
  }));
}

function recordings(slo: SloUnderTest, windows: number[], name: (w: string) => string, labels: Record<string, string>): PromRule[] {
  return [...new Set(windows)].sort((a, b) => a - b).map((ms) => ({ record: name(promDuration(ms)), expr: peerErrorRatio(slo, promDuration(ms)), labels }));
}

export function sloth(slo: SloUnderTest): RuleSet {
  const tiers = slothTiers(slo.windowDays);
  const labels = { sloth_id: "api-sli", sloth_service: "api", sloth_slo: "sli" };
  const select = '{sloth_id="api-sli", sloth_service="api", sloth_slo="sli"}';
  const record = (w: string) => `slo:sli_error:ratio_rate${w}`;
  const budget = errorBudget(slo.objective);
  const pair = (tier: PeerTier) => {
    const threshold = `(${promNumber(tier.factor)} * ${promNumber(budget)})`;
    return `(max(${record(promDuration(tier.shortMs))}${select} > ${threshold}) without (sloth_window)\nand\nmax(${record(promDuration(tier.longMs))}${select} > ${threshold}) without (sloth_window))`;
  };
  const alert = (severity: "page" | "ticket"): PromRule => {
    const [quick, slow] = tiers.filter((t) => t.severity === severity);
    return { alert: "SlothBurn", expr: `${pair(quick!)}\nor\n${pair(slow!)}`, labels: { sloth_severity: severity } };
  };
  const groups: RuleGroup[] = [
    { name: "sloth-slo-sli-recordings-api-sli", interval: "30s", rules: recordings(slo, tiers.flatMap((t) => [t.shortMs, t.longMs]), record, labels) },
    { name: "sloth-slo-alerts-api-sli", interval: "30s", rules: [alert("page"), alert("ticket")] },
  ];
  const names = groups.map((g) => g.name);
  return {
    name: "Sloth",
    groups,
    orders: [names, [...names].reverse()],
    alertNames: ["SlothBurn"],
    classify: (labels) => labels["sloth_severity"] as Severity,
  };
}

/** Pyrra's windows: 28-day definitions scaled to the period (Go integer division, then rounded to the minute). */
export function pyrraTiers(windowDays: number): PeerTier[] {
  const period = windowDays * DAY_MS;
  const minutes = (divisor: number) => Math.round(period / divisor / MINUTE_MS) * MINUTE_MS;
  return [
    { severity: "page", factor: 14, longMs: minutes(28 * 24), shortMs: minutes(28 * 24 * 12), forMs: minutes(28 * 24 * 30) },
    { severity: "page", factor: 7, longMs: minutes(28 * 4), shortMs: minutes(28 * 24 * 2), forMs: minutes(28 * 24 * 4) },
    { severity: "ticket", factor: 2, longMs: minutes(28), shortMs: minutes(28 * 12), forMs: minutes(28 * 24) },
    { severity: "ticket", factor: 1, longMs: minutes(7), shortMs: minutes(28 * 4), forMs: minutes(28 * 8) },
  ];
}

export function pyrra(slo: SloUnderTest): RuleSet {
  const tiers = pyrraTiers(slo.windowDays);
  const labels = { slo: "api-sli" };
  const record = (w: string) => `http_requests:burnrate${w}`;
  const target = promNumber(slo.objective / 100);
  const budget = errorBudget(slo.objective);
  const alerts: PromRule[] = tiers.map((tier) => {
    const threshold = `(${promNumber(tier.factor)} * (1-${target}))`;
    return {
      alert: "ErrorBudgetBurn",
      expr: `${record(promDuration(tier.shortMs))}{slo="api-sli"} > ${threshold} and ${record(promDuration(tier.longMs))}{slo="api-sli"} > ${threshold}`,
      for: promDuration(tier.forMs),
      labels: { severity: tier.severity === "page" ? "critical" : "warning", long: promDuration(tier.longMs), short: promDuration(tier.shortMs), slo: "api-sli" },
    };
  });
  const first = tiers[0]!;
  const absentFor = Math.round((14 * budget * first.longMs + first.forMs) / MINUTE_MS) * MINUTE_MS;
  const total = slo.kind === "ratio" ? METRIC.total : METRIC.count;
  const groups: RuleGroup[] = [
    { name: "api-sli", interval: "30s", rules: [...recordings(slo, tiers.flatMap((t) => [t.shortMs, t.longMs]), record, labels), ...alerts] },
    {
      name: "api-sli-increase",
      interval: "150s",
      rules: [{ alert: "SLOMetricAbsent", expr: `absent(${total}) == 1`, for: promDuration(Math.max(MINUTE_MS, absentFor)), labels: { severity: "critical", slo: "api-sli" } }],
    },
  ];
  return {
    name: "Pyrra",
    groups,
    orders: [groups.map((g) => g.name)],
    alertNames: ["ErrorBudgetBurn", "SLOMetricAbsent"],
    classify: (labels) => (labels["alertname"] === "SLOMetricAbsent" ? "absent" : labels["severity"] === "critical" ? "page" : "ticket"),
  };
}

export const RULE_SETS = { ours, Sloth: sloth, Pyrra: pyrra } as const;

/** The longest window any rule set reads for this SLO, in minutes: traces start with that much clean history. */
export function longestWindowMinutes(slo: Omit<SloUnderTest, "kind">): number {
  const windows = [
    ...ourTiers({ ...slo, kind: "ratio" }).map((tier) => tier.longWindowMs),
    ...(SLOTH_WINDOWS[slo.windowDays] ? slothTiers(slo.windowDays).map((tier) => tier.longMs) : []),
    ...pyrraTiers(slo.windowDays).map((tier) => tier.longMs),
  ];
  return Math.max(...windows) / MINUTE_MS;
}
export type RuleSetName = keyof typeof RULE_SETS;
