/**
 * The reviewer's view of a plan, as markdown: per service what each SLO
 * promises, how much budget it has, how fast each alert fires and who is told.
 */
import { deliveryText } from "../model/delivery";
import { SEVERITIES } from "../contract/serviceSchema";
import { budgetAmount, singleWindowWarning, slicesText, tierOriginText, windowText } from "../model/explain";
import { describeIndicator } from "../model/indicators";
import { tierDefinitions } from "../model/sloMath";
import type { EndpointModel, RuntimeModel, ServiceModel, SloModel } from "../model/types";
import { formatDuration, humanizeMinutes, round } from "../contract/duration";
import { counted } from "../contract/problems";
import { sliceOnsetMs } from "../model/service";
import { endpointsCheckedBy, grafanaManagedAlerting, readsPromql, syntheticEndpoints, unreachable } from "../model/placement";
import type { ChannelConfig, StackSettings } from "../contract/stackConfig";
import type { PlannedResource } from "./mockRuntime";
import type { Violation } from "./notices";
import { operationsSection } from "./operationsSummary";
import { prometheusNote } from "../components/prometheus/explain";
import { UPTIME_ALERT_FOR, alertRulesGroupName, uptimeRulesGroupName } from "../components/prometheus/thresholdAndUptimeRules";
import { describeTargets } from "../components/prometheus/objects";
import { grafanaNote, maintenanceNote } from "../components/grafana/managedAlerting";
import { stackUsage } from "../model/costs";
import { DEFAULT_PRICES, type PriceList } from "../model/prices";
import { costSummarySection } from "./costs";
import { applySection } from "./applySection";

export interface SummaryInput {
  stack: string;
  settings: StackSettings;
  services: readonly ServiceModel[];
  resources: readonly PlannedResource[];
  violations: readonly Violation[];
  /** Prices for the cost estimate. Default: the list prices in model/prices.ts. */
  prices?: PriceList;
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
const row = (cells: readonly string[]) => `| ${cells.map(cell).join(" | ")} |`;
const table = (head: readonly string[], rows: readonly (readonly string[])[]) =>
  [row(head), row(head.map(() => "---")), ...rows.map(row)].join("\n");

/** How detection counts the SLO's windows: check windows of an uptime SLO, or time slices. */
export function sliWindowNote(slo: SloModel): string {
  const length = formatDuration(slo.sliWindowMs!);
  if (slo.budgeting.method === "occurrences") {
    return `Detection counts whole ${length} check windows, plus the one in progress when the outage starts; a window counts as good when the check passed from at least one location, so an outage seen from only some locations spends no budget.`;
  }
  const target = `${round(slo.budgeting.sliceTarget * 100, 6)} %`;
  return readsPromql(slo)
    ? `Timeslices: at every evaluation Prometheus judges the ${length} slice that ends then (a sliding slice), bad when fewer than ${target} of its events are good (a slice without events counts as good); the error ratio over a window is the share of those judgements that were bad. Detection includes the ${humanizeMinutes(sliceOnsetMs(slo.budgeting) / 60_000)} a total outage takes to fill more than ${round(100 - slo.budgeting.sliceTarget * 100, 6)} % of a slice.`
    : `Timeslices: Cloud Monitoring counts consecutive ${length} slices, each good when at least ${target} of its events are good; detection counts whole slices, plus the one in progress when the outage starts.`;
}

/** What a calendar period means for the budget and the alerts. */
export function calendarNote(slo: SloModel): string[] {
  if (!slo.calendarPeriod) return [];
  const start = { day: "every day at midnight UTC", week: "every Monday at midnight UTC", fortnight: "every other Monday at midnight UTC (ISO weeks 1, 3, 5, …)", month: "on the 1st of every month at midnight UTC" }[slo.calendarPeriod];
  return [
    `Calendar ${slo.calendarPeriod}: the budget starts afresh ${start}. Budget minutes and burn tiers are computed for ${slo.windowDays} d${slo.calendarPeriod === "month" ? " (a 31-day month holds 1/30 more budget, February less)" : ""}; burn-rate alerts read the error rate over their own windows and fire the same in any part of the period.`,
  ];
}

function runtimeText(runtime: RuntimeModel): string {
  switch (runtime.kind) {
    case "cloudRun":
      return `Cloud Run ${runtime.service} (${runtime.region})`;
    case "gke":
      return `GKE ${runtime.cluster}/${runtime.namespace}/${runtime.workload} (${runtime.location})`;
    case "external":
      return "external (watched by URL)";
  }
}

/** Who the service's alerts reach, per severity it raises; a severity nothing raises has no route to show. */
export function routingLine(service: ServiceModel): string {
  const raised = service.raises;
  const routes = SEVERITIES.filter((severity) => raised[severity]).map((severity) => `${severity} → ${service.routes[severity].join(", ") || "nobody"}${severity === "info" ? ` (${deliveryText("info").replace(/^info: /, "")})` : ""}`);
  // Services without info alerts read as before: only page and ticket are named when silent.
  const silent = (["page", "ticket"] as const).filter((severity) => !raised[severity]);
  return `Routing: ${[...routes, ...(silent.length ? [`raises no ${silent.join(" or ")} alerts`] : [])].join("; ")}`;
}

function serviceSection(service: ServiceModel, settings: StackSettings): string {
  const parts: string[] = [];
  parts.push(`## ${service.name}`);
  parts.push(
    [
      `Team ${service.team} · tier ${service.tier} · ${runtimeText(service.runtime)} · declared in \`${service.file}\``,
      ...(service.formerly.length ? [`Renamed from ${service.formerly.join(", then ")}: resources carry aliases; the Cloud Monitoring service id stays \`${service.stableId}\``] : []),
      `Runbook: ${service.runbook ?? "none declared"}`,
      routingLine(service),
      ...[maintenanceNote(service, grafanaManagedAlerting(settings))].filter((note): note is string => note !== undefined),
    ].join("  \n"),
  );

  if (service.slos.length > 0) {
    parts.push("### SLOs");
    parts.push(
      table(
        ["SLO", "Indicator", "Objective", "Window", "Error budget"],
        service.slos.map((slo) => [
          slo.formerly.length ? `${slo.name} (formerly ${slo.formerly.join(", ")}; id ${slo.stableId})` : slo.name,
          describeIndicator(slo.indicator),
          slicesText(slo) ? `${slo.objective} % of ${slicesText(slo)}` : `${slo.objective} %`,
          windowText(slo),
          budgetAmount(slo),
        ]),
      ),
    );
    for (const slo of service.slos) {
      parts.push(`#### ${slo.name}: burn-rate alerts`);
      const note = evaluatorNote(service, slo, settings);
      if (note) parts.push(note);
      if (slo.tiers.length === 0) {
        parts.push(
          slo.omittedTiers.length === 0
            ? "No burn-rate alerts: paging and tickets are both switched off for this SLO."
            : `No burn-rate alerts: every tier switched on was left out.\n\n${slo.omittedTiers.map((o) => `- ${o.name}: not created: ${o.reason}.`).join("\n")}`,
        );
        continue;
      }
      parts.push(
        table(
          ["Tier", "Severity", "Burn rate above", "Long / short window", "Budget spent when it fires", "Total outage detected in", "Budget lasts at this burn", "Notifies"],
          slo.tiers.map((tier) => [
            tier.name,
            tier.severity,
            String(tier.burnRate),
            `${formatDuration(tier.longWindowMs)} / ${formatDuration(tier.shortWindowMs)}`,
            `${tier.budgetPercent} %`,
            humanizeMinutes(tier.detectionMinutesAtTotalOutage),
            humanizeMinutes(tier.hoursToExhaustion * 60),
            service.routes[tier.severity].join(", ") || "nobody",
          ]),
        ),
      );
      const warning = singleWindowWarning(slo);
      const windows = slo.sliWindowMs === undefined ? [] : [sliWindowNote(slo)];
      const covered = slo.coveredTiers.map((c) => `${c.name}: not created, ${c.coveredBy} covers it: ${c.reason}.`);
      const omitted = slo.omittedTiers.map((o) => `${o.name}: not created: ${o.reason}.`);
      const origin = tierOriginText(tierDefinitions(settings.burnTiers), slo.windowMs);
      const notes = [
        ...(origin ? [`${origin}.`] : []),
        ...slo.tiers.flatMap((tier) => tier.adjustments.map((note) => `${tier.name}: ${note}.`)),
        ...omitted,
        ...covered,
        ...windows,
        ...calendarNote(slo),
        ...syntheticSloNotes(service, slo),
        ...(warning ? [`Note: ${warning}.`] : []),
      ];
      if (notes.length > 0) parts.push(notes.map((note) => `- ${note}`).join("\n"));
    }
  }

  const cloudChecks = endpointsCheckedBy(service, "cloudMonitoring");
  if (cloudChecks.length > 0) {
    parts.push("### Uptime checks");
    parts.push(
      table(
        ["Endpoint", "URL", "Every", "Timeout", "Regions", "Expects", "Alert when 2+ locations fail"],
        cloudChecks.map((endpoint) => [
          endpoint.formerly.length ? `${endpoint.name} (formerly ${endpoint.formerly.join(", ")})` : endpoint.name,
          endpoint.url,
          formatDuration(endpoint.periodMs),
          formatDuration(endpoint.timeoutMs),
          endpoint.regions.join(", "),
          `${endpoint.statusCodes.length ? `status ${endpoint.statusCodes.join(", ")}` : "any 2xx"}${endpoint.contains ? `, body contains ${JSON.stringify(endpoint.contains)}` : ""}`,
          `${endpoint.alertSeverity} → ${service.routes[endpoint.alertSeverity].join(", ") || "nobody"}`,
        ]),
      ),
    );
  }
  parts.push(...syntheticChecksSection(service));
  if (service.alerts.length > 0) {
    parts.push("### Prometheus alert rules");
    parts.push(
      grafanaManagedAlerting(settings)
        ? `Evaluated by Grafana-managed alerting: group \`${alertRulesGroupName(service)}\`; routed by Grafana's notification policy.`
        : `Evaluated by Prometheus: group \`${alertRulesGroupName(service)}\` in ${describeTargets(service, settings.prometheus)}; routed by Alertmanager (alertmanager/alertmanager.yml).`,
    );
    parts.push(
      table(
        ["Alert", "Fires when", "For", "Severity", "Notifies"],
        service.alerts.map((alert) => [
          alert.name,
          `\`${alert.expr.replace(/\s*\n\s*/g, " ")}\``,
          alert.forMs > 0 ? formatDuration(alert.forMs) : "at once",
          alert.severity,
          service.routes[alert.severity].join(", ") || "nobody",
        ]),
      ),
    );
  }
  parts.push(...operationsSection(service));
  return parts.join("\n\n");
}

/** Who evaluates an SLO's burn-rate alerts, in words, where it is not Cloud Monitoring (whose policies the tier table describes). */
function evaluatorNote(service: ServiceModel, slo: SloModel, settings: StackSettings): string | undefined {
  switch (slo.evaluator) {
    case "cloudMonitoring":
      return undefined;
    case "prometheus":
      return prometheusNote(service, settings.prometheus, slo);
    case "grafana":
      return grafanaNote(service, slo.name, settings);
    default:
      return unreachable(slo.evaluator, "evaluator");
  }
}

const expectsText = (endpoint: EndpointModel) =>
  `${endpoint.statusCodes.length ? `status ${endpoint.statusCodes.join(", ")}` : "any 2xx"}${endpoint.contains ? `, body contains ${JSON.stringify(endpoint.contains)}` : ""}`;

/** What an uptime SLO on a Synthetic Monitoring check measures, and how its detection times follow the check frequency. */
export function syntheticSloNotes(service: ServiceModel, slo: SloModel): string[] {
  if (slo.indicator.kind !== "uptime" || !slo.indicator.probeSeries) return [];
  const endpoint = service.endpoints.find((e) => e.name === (slo.indicator as { endpoint: string }).endpoint);
  const check = endpoint?.syntheticMonitoring;
  if (!endpoint || !check) return [];
  return [
    `The SLI is the share of Synthetic Monitoring executions that passed, over all ${check.probes.length} probes (\`probe_all_success_sum\` ÷ \`probe_all_success_count\` for job \`${check.job}\`): an outage seen from only some probes spends budget in proportion, unlike Cloud Monitoring's windows-based uptime SLO.`,
    `Detection times include the check frequency (${formatDuration(endpoint.periodMs)}): an outage shows in the first execution after it starts, then in the next rule evaluation; every window is at least 2.5 frequencies long so rate() always has two samples per probe.`,
  ];
}

/** The endpoints Synthetic Monitoring checks: probes, frequency, what passes, and the alert on 2+ failing probes. */
export function syntheticChecksSection(service: ServiceModel): string[] {
  const checks = syntheticEndpoints(service);
  if (checks.length === 0) return [];
  return [
    "### Uptime checks (Grafana Synthetic Monitoring)",
    `HTTP checks run by Grafana Cloud Synthetic Monitoring from the probes the regions stand for (monitoring-stack:grafana.syntheticMonitoring.probes), billed by Grafana Cloud per test execution (one per probe per run). Results go to the Grafana Cloud stack's Prometheus; Grafana-managed rule group \`${uptimeRulesGroupName(service)}\` alerts when the latest execution failed on 2+ probes for ${UPTIME_ALERT_FOR}, routed by Grafana's notification policy. No Cloud Monitoring uptime check or alert policy is created for them.`,
    table(
      ["Endpoint", "URL", "Every", "Timeout", "Probes (regions)", "Expects", "Alert when 2+ probes fail"],
      checks.map((endpoint) => [
        endpoint.formerly.length ? `${endpoint.name} (formerly ${endpoint.formerly.join(", ")})` : endpoint.name,
        endpoint.url,
        formatDuration(endpoint.periodMs),
        formatDuration(endpoint.timeoutMs),
        `${endpoint.syntheticMonitoring.probes.join(", ")} (${endpoint.regions.join(", ")})`,
        expectsText(endpoint),
        `${endpoint.alertSeverity} → ${service.routes[endpoint.alertSeverity].join(", ") || "nobody"}`,
      ]),
    ),
  ];
}

function channelTarget(channel: ChannelConfig): string {
  switch (channel.type) {
    case "slack":
      return `Slack ${channel.channel}`;
    case "email":
      return `email ${channel.address}`;
    case "pagerduty":
      return "PagerDuty service";
    case "webhook":
      return "webhook";
  }
}

function channelSection(settings: StackSettings): string {
  const names = Object.keys(settings.channels).sort();
  const routed = (name: string) =>
    SEVERITIES.filter((severity) => settings.routes[severity].includes(name)).map((severity) => `default ${severity}`);
  const rows = names.map((name) => {
    const channel = settings.channels[name]!;
    const credential = settings.channelsWithSecrets.has(name) ? "[secret]" : "none";
    return [name, channelTarget(channel), credential, routed(name).join(", ") || "—"];
  });
  return ["## Notification channels", rows.length ? table(["Channel", "Sends to", "Credential", "Stack route"], rows) : "No channels are defined in this stack."].join("\n\n");
}

/** The existing resources the plan imports instead of creating (monitoring-stack:adopt); nothing when it imports none. */
export function adoptedSection(resources: readonly PlannedResource[]): string[] {
  const adopted = resources.filter((r) => r.importId);
  if (adopted.length === 0) return [];
  return [
    "## Adopted: existing resources imported",
    `${counted(adopted.length, "existing resource")} ${adopted.length === 1 ? "is" : "are"} imported instead of created (\`monitoring-stack:adopt\`), then updated to the program's inputs; each is kept in the project when removed from the program or the stack is destroyed (retainOnDelete). How they were matched: docs/adoption.md.`,
    table(
      ["Type", "Resource", "Existing id"],
      adopted.map((r) => [r.type, `\`${r.name}\``, `\`${r.importId}\``]),
    ),
  ];
}

export function renderSummary(input: SummaryInput): string {
  const counts = new Map<string, number>();
  for (const resource of input.resources) counts.set(resource.type, (counts.get(resource.type) ?? 0) + 1);
  const parts: string[] = [];
  parts.push(`# Monitoring plan: stack \`${input.stack}\``);
  parts.push(
    `Project \`${input.settings.project}\`, environment \`${input.settings.environment}\`: ${counted(input.services.length, "service")}, ${counted(input.resources.length, "resource")}. ` +
      "Secret values are shown as `[secret]`; ids that Google Cloud assigns on creation are shown as stand-ins made from resource names (a renamed resource's first name, which its id keeps).",
  );
  const mandatory = input.violations.filter((v) => v.level === "mandatory");
  const advisory = input.violations.filter((v) => v.level === "advisory");
  if (mandatory.length > 0) {
    parts.push("## Policy violations (mandatory)");
    parts.push(mandatory.map((v) => `- **${v.policy}**: ${v.message}`).join("\n"));
  }
  if (advisory.length > 0) {
    parts.push("## Notices");
    parts.push(advisory.map((v) => `- ${v.policy}: ${v.message}`).join("\n"));
  }
  parts.push(channelSection(input.settings));
  parts.push(...adoptedSection(input.resources));
  for (const service of input.services) parts.push(serviceSection(service, input.settings));
  parts.push(...costSummarySection(stackUsage(input.settings.project, input.services), input.prices ?? DEFAULT_PRICES));
  parts.push(...applySection(input.resources));
  parts.push("## Resources by type");
  parts.push(
    table(
      ["Type", "Count"],
      [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([type, count]) => [type, String(count)]),
    ),
  );
  return `${parts.join("\n\n")}\n`;
}
