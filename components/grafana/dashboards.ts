/**
 * Grafana dashboards, built with Grafana's foundation SDK from the model:
 * per service an SLO dashboard (per SLO: error budget left, SLI against its
 * objective, burn rate per tier window with the tier thresholds, the
 * percentile against the threshold for latency SLOs; traffic and errors;
 * uptime pass ratio; runbook link) and one fleet overview (budget left for
 * every service and SLO, worst first).
 *
 * Prometheus indicators are read from the recording rules the plan writes;
 * everything else from Google Cloud Monitoring (SLO selectors and the
 * runtime's metrics). Uids are stable and derived from names; no `id` or
 * `version`, so Grafana shows no perpetual diff; the JSON is byte-identical
 * for the same input.
 */
import type { StackSettings } from "../../contract/stackConfig";
import { createHash } from "node:crypto";
import * as common from "@grafana/grafana-foundation-sdk/common";
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import * as gcm from "@grafana/grafana-foundation-sdk/googlecloudmonitoring";
import * as prometheus from "@grafana/grafana-foundation-sdk/prometheus";
import * as stat from "@grafana/grafana-foundation-sdk/stat";
import * as table from "@grafana/grafana-foundation-sdk/table";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";
import type * as cog from "@grafana/grafana-foundation-sdk/cog";
import { objectiveText } from "../../model/explain";
import { describeIndicator } from "../../model/indicators";
import { syntheticMinWindowMs } from "../../model/sloMath";
import type { ServiceModel, SloModel } from "../../model/types";
import { METRIC, sloResourceName } from "../gcp/filters";
import { formatDuration, toGcpDuration } from "../../contract/duration";
import { RECORD } from "../prometheus/ruleNames";
import { recordsTotalRate, tierWindows } from "../prometheus/sliRecordings";
import { labelMatchers, promDuration, promNumber, withMatchers } from "../prometheus/promql";
import type { DashboardDatasources } from "../../contract/grafanaConfig";
import { endpointsCheckedBy, readsPromql, slosEvaluatedBy, syntheticEndpoints } from "../../model/placement";

/** What a dashboard needs besides the services. */
export interface DashboardContext {
  /** GCP project of the Cloud Monitoring SLOs and metrics. */
  project: string;
  /** Environment, part of uids and titles so several stacks can share one Grafana. */
  environment: string;
  /**
   * A service stack's name when its environment is split across stacks
   * (`monitoring-stack:platform`): the fleet overview and the folders are then
   * the stack's own, so stacks never claim the same uid. Default: none.
   */
  shard?: string;
  datasources: DashboardDatasources;
}

export interface RenderedDashboard {
  uid: string;
  title: string;
  /** Folder name (a service's `dashboard.folder`, else its team); undefined for the fleet overview's own folder. */
  folder: string;
  /** The dashboard model as Grafana stores it. */
  model: dashboard.Dashboard;
  /** The service it shows; undefined for the fleet overview. */
  service?: ServiceModel;
}

/**
 * What Grafana accepts as a uid (dashboards, folders, alert rules): at most 40
 * characters of letters, digits, `-` and `_` (grafana/grafana
 * pkg/util/shortid_generator.go, `ValidateUID`: `IsShortUIDTooLong` > 40,
 * `validUIDPattern` `^[a-zA-Z0-9\-\_]*$`).
 */
export const GRAFANA_UID = /^[A-Za-z0-9_-]{1,40}$/;

/**
 * A uid Grafana accepts, from the parts that identify the object: readable
 * when it fits, else a prefix and a hash of the whole text. Characters
 * Grafana refuses (the `:` of a recording rule's series name, the `.` a stack
 * name may hold) become `_`, and then the hash is always added, so two texts
 * that differ only there keep apart. Every uid that was already valid comes
 * out unchanged, so nothing deployed gets a new uid.
 */
export function stableUid(...parts: string[]): string {
  const text = parts.join("-");
  const hash = () => createHash("sha256").update(text).digest("hex").slice(0, 8);
  const readable = text.length <= 40 ? text : `${text.slice(0, 31)}-${hash()}`;
  if (GRAFANA_UID.test(readable)) return readable;
  return `${text.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 31)}-${hash()}`;
}

/** A service's dashboard uid: from its first name, so a rename keeps the dashboard and its links. */
export function serviceDashboardUid(service: ServiceModel, environment: string): string {
  return stableUid(environment, "slo", service.stableId);
}

export function fleetDashboardUid(environment: string, shard?: string): string {
  return stableUid(environment, "slo-fleet", ...(shard ? [shard] : []));
}

export function folderUid(folder: string, environment: string, shard?: string): string {
  return stableUid(environment, "folder", folder, ...(shard ? [shard] : []));
}

/** How titles name the scope: the environment, and the stack in a split environment. */
export function scopeTitle(ctx: Pick<DashboardContext, "environment" | "shard">): string {
  return ctx.shard ? `${ctx.environment}, ${ctx.shard}` : ctx.environment;
}

/** The Grafana folder of a service: its declared `dashboard.folder`, else its team. */
export function serviceFolder(service: ServiceModel): string {
  return service.spec.dashboard?.folder ?? service.team;
}

/** The folder of the fleet overview. */
export const FLEET_FOLDER = "slo-overview";

const promRef = (ctx: DashboardContext): common.DataSourceRef => ({ type: "prometheus", uid: ctx.datasources.prometheus });
const gcmRef = (ctx: DashboardContext): common.DataSourceRef => ({ type: "stackdriver", uid: ctx.datasources.cloudMonitoring });

const REF_IDS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

function promQuery(ctx: DashboardContext, expr: string, legend: string, index: number): prometheus.DataqueryBuilder {
  return new prometheus.DataqueryBuilder().datasource(promRef(ctx)).expr(expr).legendFormat(legend).refId(REF_IDS[index]!).range();
}

function sloQuery(ctx: DashboardContext, service: ServiceModel, slo: SloModel, selector: string, alias: string, index: number, lookbackMs?: number): gcm.CloudMonitoringQueryBuilder {
  const builder = new gcm.SLOQueryBuilder()
    .projectName(ctx.project)
    .selectorName(selector)
    .serviceId(service.stableId)
    .serviceName(service.name)
    .sloId(slo.stableId)
    .sloName(sloResourceName(ctx.project, service.stableId, slo.stableId))
    .goal(slo.objective / 100)
    .alignmentPeriod("cloud-monitoring-auto")
    .perSeriesAligner("ALIGN_MEAN");
  if (lookbackMs !== undefined) builder.lookbackPeriod(toGcpDuration(lookbackMs));
  return new gcm.CloudMonitoringQueryBuilder().datasource(gcmRef(ctx)).queryType(gcm.QueryType.SLO).sloQuery(builder).aliasBy(alias).refId(REF_IDS[index]!);
}

/** A Cloud Monitoring time-series query: `filters` as Grafana writes them: [key, "=", value, "AND", ...]. */
function seriesQuery(
  ctx: DashboardContext,
  filters: [string, string][],
  options: { aligner: string; reducer: string; groupBys?: string[]; alias: string },
  index: number,
): gcm.CloudMonitoringQueryBuilder {
  const flat = filters.flatMap(([key, value], i) => [...(i > 0 ? ["AND"] : []), key, "=", value]);
  const list = new gcm.TimeSeriesListBuilder()
    .projectName(ctx.project)
    .filters(flat)
    .perSeriesAligner(options.aligner)
    .crossSeriesReducer(options.reducer)
    .alignmentPeriod("cloud-monitoring-auto")
    .groupBys(options.groupBys ?? []);
  return new gcm.CloudMonitoringQueryBuilder().datasource(gcmRef(ctx)).queryType(gcm.QueryType.TIMESERIESLIST).timeSeriesList(list).aliasBy(options.alias).refId(REF_IDS[index]!);
}

function thresholds(steps: { value: number | null; color: string }[]): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps(steps);
}

const lines = () => new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed);

function budgetStat(title: string, query: cog.Builder<cog.Dataquery>, ctx: DashboardContext, source: "prometheus" | "gcm"): stat.PanelBuilder {
  return new stat.PanelBuilder()
    .title(title)
    .description("Share of the error budget left over the SLO window: 100 % untouched, 0 % spent, below 0 overspent.")
    .datasource(source === "prometheus" ? promRef(ctx) : gcmRef(ctx))
    .withTarget(query)
    .unit("percentunit")
    .decimals(1)
    .thresholds(thresholds([{ value: null, color: "red" }, { value: 0, color: "orange" }, { value: 0.25, color: "green" }]))
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(["lastNotNull"]))
    .height(6)
    .span(4);
}

/** The SLI against its objective (dashed), for either backend. */
function sliPanel(slo: SloModel, description: string, datasource: dashboard.DataSourceRef, targets: cog.Builder<cog.Dataquery>[]): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .title(`SLI against its objective (${slo.objective} %)`)
    .description(description)
    .datasource(datasource)
    .targets(targets)
    .unit("percentunit")
    .decimals(3)
    .thresholds(thresholds([{ value: null, color: "red" }, { value: slo.objective / 100, color: "green" }]))
    .thresholdsStyle(lines())
    .height(6)
    .span(10);
}

/** Error budget left over the window, for either backend. */
function budgetLeftPanel(datasource: dashboard.DataSourceRef, target: cog.Builder<cog.Dataquery>): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .title("Error budget left over the window")
    .datasource(datasource)
    .withTarget(target)
    .unit("percentunit")
    .thresholds(thresholds([{ value: null, color: "red" }, { value: 0, color: "green" }]))
    .thresholdsStyle(lines())
    .height(6)
    .span(10);
}

/** The tier thresholds as threshold steps: green below the first, red above a page tier, orange above a ticket tier. */
function tierSteps(slo: SloModel): { value: number | null; color: string }[] {
  return [{ value: null, color: "green" }, ...slo.tiers.map((tier) => ({ value: tier.burnRate, color: tier.severity === "page" ? "red" : "orange" }))];
}

/** The tiers in words, for panel descriptions. */
function tierText(slo: SloModel): string {
  const text = slo.tiers.map((tier) => `${tier.name} (${tier.severity}) above ${tier.burnRate} over ${formatDuration(tier.longWindowMs)} and ${formatDuration(tier.shortWindowMs)}`).join("; ");
  return text || "none (alerting switched off)";
}

/** Burn rate over each tier window with the tier thresholds dashed, for either backend. */
function burnRatePanel(slo: SloModel, source: string, datasource: dashboard.DataSourceRef, targets: cog.Builder<cog.Dataquery>[], span: number): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .title(BURN_RATE_PANEL)
    .description(`${source}. Tiers: ${tierText(slo)}. Dashed lines are the tier thresholds.`)
    .datasource(datasource)
    .targets(targets)
    .thresholds(thresholds(tierSteps(slo)))
    .thresholdsStyle(lines())
    .min(0)
    .height(8)
    .span(span);
}

/** A latency percentile against the SLO's threshold, for either backend. */
function latencyPanel(title: string, datasource: dashboard.DataSourceRef, target: cog.Builder<cog.Dataquery>, unit: string, threshold: number, span: number): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .title(title)
    .datasource(datasource)
    .withTarget(target)
    .unit(unit)
    .thresholds(thresholds([{ value: null, color: "green" }, { value: threshold, color: "red" }]))
    .thresholdsStyle(lines())
    .height(8)
    .span(span);
}

/** Title of the burn-rate panel; alert rules link to it. */
export const BURN_RATE_PANEL = "Burn rate per tier window";

/** Panels of a `prometheus` indicator: the recorded series of the SLO's rules. */
function prometheusSloPanels(service: ServiceModel, slo: SloModel, ctx: DashboardContext): cog.Builder<dashboard.Panel>[] {
  const select = labelMatchers({ service: service.name, slo: slo.name });
  const windows = tierWindows(slo).map(promDuration);
  const shortest = windows[0] ?? "5m";
  const longest = windows.at(-1) ?? shortest;
  const sloWindow = promDuration(slo.windowMs);
  const panels: cog.Builder<dashboard.Panel>[] = [
    budgetStat("Error budget left", promQuery(ctx, `${RECORD.budgetRemaining}${select}`, "budget left", 0), ctx, "prometheus"),
    sliPanel(slo, `${describeIndicator(slo.indicator)}. SLI over ${longest} and over the SLO window (${sloWindow}); the dashed line is the objective.`, promRef(ctx), [
      promQuery(ctx, `1 - ${RECORD.errorRatio(longest)}${select}`, `SLI (${longest})`, 0),
      promQuery(ctx, `1 - ${RECORD.errorRatio(sloWindow)}${select}`, `SLI (${sloWindow})`, 1),
      promQuery(ctx, `${RECORD.objective}${select}`, "objective", 2),
    ]),
    budgetLeftPanel(promRef(ctx), promQuery(ctx, `${RECORD.budgetRemaining}${select}`, "budget left", 0)),
    burnRatePanel(
      slo,
      `Burn rate = error ratio ÷ error budget (${promNumber(slo.budget)})`,
      promRef(ctx),
      windows.map((w, i) => promQuery(ctx, `${RECORD.errorRatio(w)}${select} / ${RECORD.errorBudget}${select}`, w, i)),
      recordsTotalRate(slo) ? 12 : 24,
    ),
    // A promql indicator states no event count: no traffic is recorded, so no traffic panel (the summary says so).
    ...(recordsTotalRate(slo)
      ? [
          new timeseries.PanelBuilder()
            .title(`Traffic and errors (${shortest})`)
            .datasource(promRef(ctx))
            // With timeslices the recorded error ratio is a share of bad slices, not of events: no bad-events line.
            .targets([
              promQuery(ctx, `${RECORD.totalRate(shortest)}${select}`, "events/s", 0),
              ...(slo.budgeting.method === "occurrences" ? [promQuery(ctx, `${RECORD.totalRate(shortest)}${select} * ${RECORD.errorRatio(shortest)}${select}`, "bad events/s", 1)] : []),
            ])
            .unit("reqps")
            .height(8)
            .span(12),
        ]
      : []),
  ];
  const indicator = slo.indicator;
  if (indicator.kind === "prometheus" && indicator.histogram && indicator.thresholdMs !== undefined) {
    const query = `histogram_quantile(${promNumber(slo.objective / 100)}, sum by (le) (rate(${withMatchers(indicator.histogram)}[${shortest}])))`;
    panels.push(
      latencyPanel(`p${slo.objective} latency against the ${formatDuration(indicator.thresholdMs)} threshold`, promRef(ctx), promQuery(ctx, query, `p${slo.objective}`, 0), "s", indicator.thresholdMs / 1000, 24),
    );
  }
  return panels;
}

/** Panels of an SLO Cloud Monitoring evaluates: its SLO selectors and the runtime's metrics. */
function cloudMonitoringSloPanels(service: ServiceModel, slo: SloModel, ctx: DashboardContext): cog.Builder<dashboard.Panel>[] {
  const windows = [...new Set(slo.tiers.flatMap((tier) => [tier.longWindowMs, tier.shortWindowMs]))].sort((a, b) => a - b);
  const panels: cog.Builder<dashboard.Panel>[] = [
    budgetStat("Error budget left", sloQuery(ctx, service, slo, "select_slo_budget_fraction", "budget left", 0), ctx, "gcm"),
    sliPanel(slo, `${describeIndicator(slo.indicator)}, as Cloud Monitoring computes the SLO; the dashed line is the objective.`, gcmRef(ctx), [
      sloQuery(ctx, service, slo, "select_slo_health", "SLI", 0),
    ]),
    budgetLeftPanel(gcmRef(ctx), sloQuery(ctx, service, slo, "select_slo_budget_fraction", "budget left", 0)),
    burnRatePanel(
      slo,
      "Cloud Monitoring's select_slo_burn_rate over each window the alert tiers use",
      gcmRef(ctx),
      windows.map((ms, i) => sloQuery(ctx, service, slo, "select_slo_burn_rate", formatDuration(ms), i, ms)),
      slo.indicator.kind === "latency" ? 12 : 24,
    ),
  ];
  if (slo.indicator.kind === "latency" && service.runtime.kind === "cloudRun") {
    const aligner = slo.objective >= 99 ? "ALIGN_PERCENTILE_99" : slo.objective >= 95 ? "ALIGN_PERCENTILE_95" : "ALIGN_PERCENTILE_50";
    const percentile = aligner.slice("ALIGN_PERCENTILE_".length);
    const query = seriesQuery(ctx, cloudRunFilters(service.runtime, METRIC.cloudRunLatencies), { aligner, reducer: "REDUCE_MAX", alias: `p${percentile}` }, 0);
    panels.push(latencyPanel(`p${percentile} latency against the ${formatDuration(slo.indicator.thresholdMs)} threshold`, gcmRef(ctx), query, "ms", slo.indicator.thresholdMs, 12));
  }
  return panels;
}

function sloPanels(service: ServiceModel, slo: SloModel, ctx: DashboardContext): cog.Builder<dashboard.Panel>[] {
  return readsPromql(slo) ? prometheusSloPanels(service, slo, ctx) : cloudMonitoringSloPanels(service, slo, ctx);
}

/** Title of the row that starts an SLO's panels. */
function sloRowTitle(slo: SloModel): string {
  return `SLO ${slo.name}: ${objectiveText(slo)} (${readsPromql(slo) ? "Prometheus" : "Cloud Monitoring"})`;
}

/** Id of the burn-rate panel of `slo` in a service's dashboard, if it has one. */
export function burnRatePanelId(board: RenderedDashboard, slo: SloModel): number | undefined {
  const panels = (board.model.panels ?? []) as { id?: number; title?: string; type?: string }[];
  const row = panels.findIndex((panel) => panel.type === "row" && panel.title === sloRowTitle(slo));
  if (row < 0) return undefined;
  for (const panel of panels.slice(row + 1)) {
    if (panel.type === "row") return undefined;
    if (panel.title === BURN_RATE_PANEL) return panel.id;
  }
  return undefined;
}

function cloudRunFilters(runtime: Extract<ServiceModel["runtime"], { kind: "cloudRun" }>, metric: string): [string, string][] {
  return [
    ["metric.type", metric],
    ["resource.type", "cloud_run_revision"],
    ["resource.label.service_name", runtime.service],
    ["resource.label.location", runtime.region],
  ];
}

function servicePanels(service: ServiceModel, ctx: DashboardContext): dashboard.DashboardBuilder {
  const builder = new dashboard.DashboardBuilder(`${service.name}: SLOs (${ctx.environment})`)
    .uid(serviceDashboardUid(service, ctx.environment))
    .description(`SLOs, error budgets and burn rates of ${service.name} (team ${service.team}, tier ${service.tier}), generated by monitoring-stack from ${service.file}. Do not edit in Grafana: changes are overwritten.`)
    .tags(["monitoring-stack", "slo", `team:${service.team}`, `env:${ctx.environment}`])
    .timezone("utc")
    .time({ from: "now-7d", to: "now" })
    .refresh("1m")
    .readonly();
  builder.link(new dashboard.DashboardLinkBuilder("SLO fleet overview").type(dashboard.DashboardLinkType.Link).url(`/d/${fleetDashboardUid(ctx.environment, ctx.shard)}`).icon("dashboard"));
  if (service.runbook) builder.link(new dashboard.DashboardLinkBuilder("Runbook").type(dashboard.DashboardLinkType.Link).url(service.runbook).icon("doc").targetBlank(true));

  for (const slo of service.slos) {
    builder.withRow(new dashboard.RowBuilder(sloRowTitle(slo)));
    for (const panel of sloPanels(service, slo, ctx)) builder.withPanel(panel);
  }

  if (service.runtime.kind === "cloudRun") {
    builder.withRow(new dashboard.RowBuilder("Traffic and errors (Cloud Run)"));
    builder.withPanel(
      new timeseries.PanelBuilder()
        .title("Requests by response class")
        .datasource(gcmRef(ctx))
        .withTarget(
          seriesQuery(ctx, cloudRunFilters(service.runtime, METRIC.cloudRunRequests), { aligner: "ALIGN_RATE", reducer: "REDUCE_SUM", groupBys: ["metric.label.response_code_class"], alias: "{{metric.label.response_code_class}}" }, 0),
        )
        .unit("reqps")
        .height(8)
        .span(24),
    );
  }

  // Endpoints Synthetic Monitoring checks: the share of executions passing per probe, from its counters in Prometheus.
  const synthetic = syntheticEndpoints(service);
  if (synthetic.length > 0) {
    builder.withRow(new dashboard.RowBuilder("Synthetic Monitoring checks"));
    synthetic.forEach((endpoint) => {
      const check = endpoint.syntheticMonitoring;
      const select = labelMatchers({ job: check.job, instance: check.target });
      const window = promDuration(syntheticMinWindowMs(endpoint.periodMs));
      builder.withPanel(
        new timeseries.PanelBuilder()
          .title(`Probes passing: ${endpoint.name}`)
          .description(`Share of Synthetic Monitoring executions passing per probe over ${window} (${endpoint.url}, every ${formatDuration(endpoint.periodMs)}).`)
          .datasource(promRef(ctx))
          .withTarget(promQuery(ctx, `sum by (probe) (rate(probe_all_success_sum${select}[${window}])) / sum by (probe) (rate(probe_all_success_count${select}[${window}]))`, "{{probe}}", 0))
          .unit("percentunit")
          .min(0)
          .max(1)
          .height(6)
          .span(Math.max(6, Math.floor(24 / synthetic.length))),
      );
    });
  }

  const cloudChecked = endpointsCheckedBy(service, "cloudMonitoring");
  const hosts = [...new Set(cloudChecked.map((endpoint) => endpoint.host))].sort();
  if (hosts.length > 0) {
    builder.withRow(new dashboard.RowBuilder("Uptime checks"));
    hosts.forEach((host) => {
      const names = cloudChecked.filter((e) => e.host === host).map((e) => e.name);
      builder.withPanel(
        new timeseries.PanelBuilder()
          .title(`Checks passing: ${host}`)
          .description(`Share of checker locations passing, per check (${names.join(", ")}).`)
          .datasource(gcmRef(ctx))
          .withTarget(
            seriesQuery(
              ctx,
              [
                ["metric.type", METRIC.uptimeCheckPassed],
                ["resource.type", "uptime_url"],
                ["resource.label.host", host],
              ],
              { aligner: "ALIGN_FRACTION_TRUE", reducer: "REDUCE_MEAN", groupBys: ["metric.label.check_id"], alias: "{{metric.label.check_id}}" },
              0,
            ),
          )
          .unit("percentunit")
          .min(0)
          .max(1)
          .height(6)
          .span(Math.max(6, Math.floor(24 / hosts.length))),
      );
    });
  }
  return builder;
}

/** Panel ids in order, so Grafana has nothing to add (and nothing to diff). */
function numberPanels(model: dashboard.Dashboard): dashboard.Dashboard {
  let id = 0;
  for (const panel of model.panels ?? []) (panel as { id?: number }).id = ++id;
  return model;
}

export function serviceDashboard(service: ServiceModel, ctx: DashboardContext): RenderedDashboard {
  const model = numberPanels(servicePanels(service, ctx).build());
  return { uid: model.uid!, title: model.title!, folder: serviceFolder(service), model, service };
}

export function fleetDashboard(services: readonly ServiceModel[], ctx: DashboardContext): RenderedDashboard {
  const targets: cog.Builder<cog.Dataquery>[] = [];
  if (services.some((s) => s.slos.some(readsPromql))) {
    targets.push(promQuery(ctx, RECORD.budgetRemaining, "{{service}} / {{slo}}", 0).instant());
  }
  for (const service of services) {
    for (const slo of slosEvaluatedBy(service, "cloudMonitoring")) {
      targets.push(sloQuery(ctx, service, slo, "select_slo_budget_fraction", `${service.name} / ${slo.name}`, targets.length % REF_IDS.length));
    }
  }
  // Ref ids must be unique within a panel: beyond 26 queries, continue with two letters (builders return their own object).
  targets.forEach((target, index) => {
    (target.build() as { refId?: string }).refId = index < REF_IDS.length ? REF_IDS[index]! : `${REF_IDS[Math.floor(index / REF_IDS.length) - 1]}${REF_IDS[index % REF_IDS.length]}`;
  });
  const panel = new table.PanelBuilder()
    .title("Error budget left, worst first")
    .description("Every service and SLO of this stack: the share of its error budget left over its window.")
    .datasource({ type: "datasource", uid: "-- Mixed --" })
    .targets(targets)
    .withTransformation({ id: "reduce", options: { mode: "seriesToRows", reducers: ["lastNotNull"], includeTimeField: false } })
    .withTransformation({ id: "organize", options: { renameByName: { Field: "Service / SLO", "Last *": "Budget left" } } })
    .withTransformation({ id: "sortBy", options: { sort: [{ field: "Budget left", desc: false }] } })
    .unit("percentunit")
    .decimals(1)
    .thresholds(thresholds([{ value: null, color: "red" }, { value: 0, color: "orange" }, { value: 0.25, color: "green" }]))
    .height(Math.min(30, 4 + targets.length * 2))
    .span(24);
  const builder = new dashboard.DashboardBuilder(`SLO fleet overview (${scopeTitle(ctx)})`)
    .uid(fleetDashboardUid(ctx.environment, ctx.shard))
    .description("Error budget left for every service and SLO, worst first. Generated by monitoring-stack; do not edit in Grafana.")
    .tags(["monitoring-stack", "slo", `env:${ctx.environment}`])
    .timezone("utc")
    .time({ from: "now-7d", to: "now" })
    .refresh("5m")
    .readonly()
    .withPanel(panel);
  for (const service of services) {
    builder.link(new dashboard.DashboardLinkBuilder(service.name).type(dashboard.DashboardLinkType.Link).url(`/d/${serviceDashboardUid(service, ctx.environment)}`).asDropdown(false));
  }
  const model = numberPanels(builder.build());
  return { uid: model.uid!, title: model.title!, folder: FLEET_FOLDER, model };
}

/**
 * Every dashboard of a stack: one per service, then the fleet overview.
 * The program (Grafana resources) and the plan (OUT/grafana) ask for the same
 * catalog: it is rendered once per catalog and context. Treat the result as
 * read-only.
 */
export function stackDashboards(services: readonly ServiceModel[], ctx: DashboardContext): readonly RenderedDashboard[] {
  const key = JSON.stringify(ctx);
  const byContext = renderedByCatalog.get(services) ?? new Map<string, readonly RenderedDashboard[]>();
  renderedByCatalog.set(services, byContext);
  const cached = byContext.get(key);
  if (cached) return cached;
  const dashboards = [...services.map((service) => serviceDashboard(service, ctx)), fleetDashboard(services, ctx)];
  byContext.set(key, dashboards);
  return dashboards;
}

const renderedByCatalog = new WeakMap<readonly ServiceModel[], Map<string, readonly RenderedDashboard[]>>();
const jsonByDashboard = new WeakMap<RenderedDashboard, string>();

/** Dashboard JSON as Grafana stores it and the plan writes it: two-space JSON, final newline. */
export function dashboardJson(board: RenderedDashboard): string {
  const cached = jsonByDashboard.get(board);
  if (cached !== undefined) return cached;
  const text = `${JSON.stringify(board.model, null, 2)}\n`;
  jsonByDashboard.set(board, text);
  return text;
}

/** What a stack's dashboards need of its settings; `stack` names the shard of a split environment. */
export function dashboardContext(settings: StackSettings, stack?: string): DashboardContext {
  return { project: settings.project, environment: settings.environment, datasources: settings.datasources, ...(settings.platform && stack ? { shard: stack } : {}) };
}
