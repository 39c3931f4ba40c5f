/**
 * Grafana-managed alerting evaluates the stack's PromQL SLOs and threshold
 * alerts, its Synthetic Monitoring uptime alerts and its Loki log alerts when
 * the stack asks for it (`monitoring-stack:grafana.alerting: grafana`): one
 * rule group set per service, contact points, mute timings and the
 * organisation's notification policy tree. The offline plan writes them as
 * reviewable JSON; with a Grafana token they are provisioned.
 */
import { burnRatePanelId, dashboardContext, folderUid, stackDashboards } from "../../grafana/dashboards";
import { GrafanaAlerting } from "../../grafana/GrafanaAlerting";
import { alertingContext, muteTimingIntervals, muteTimingName, notificationPolicyTree, stackGrafanaRuleGroups, usedChannels, type GrafanaAlertingContext } from "../../grafana/managedAlerting";
import type { StackSettings } from "../../../contract/stackConfig";
import { evaluatesAnyOf, grafanaManagedAlerting } from "../../../model/placement";
import type { ServiceModel } from "../../../model/types";
import type { EvaluatorBuilder, RenderedFiles, StackInput } from "../types";

/** Where the plan writes what Grafana-managed alerting provisions. */
export const GRAFANA_ALERTING_DIR = "grafana/managedAlerting";

/** The Grafana alerting context of a stack: dashboard links point at each SLO's burn-rate panel. */
export function stackAlertingContext(services: readonly ServiceModel[], settings: StackSettings, stack?: string): GrafanaAlertingContext {
  const boards = stackDashboards(services, dashboardContext(settings, stack));
  return alertingContext(settings, (service, sloName) => {
    const board = boards.find((b) => b.service === service);
    const slo = service.slos.find((s) => s.name === sloName);
    return board && slo ? burnRatePanelId(board, slo) : undefined;
  });
}

/**
 * What Grafana-managed alerting provisions, as reviewable JSON (folder uids
 * resolved, no credential): per service its rule groups, and the contact
 * points, mute timings and notification policy tree of the stack.
 */
export function grafanaAlertingFiles(services: readonly ServiceModel[], settings: StackSettings, stack?: string): Record<string, string> {
  const evaluated = services.filter((service) => evaluatesAnyOf(service, "grafana"));
  if (evaluated.length === 0) return {};
  const ctx = stackAlertingContext(services, settings, stack);
  const files: Record<string, string> = {};
  const byService = new Map<string, unknown[]>();
  for (const { service, folder, group } of stackGrafanaRuleGroups(services, ctx)) {
    const list = byService.get(service.name) ?? [];
    list.push({ ...group, folderUid: folderUid(folder, settings.environment, settings.platform && stack ? stack : undefined) });
    byService.set(service.name, list);
  }
  for (const [service, groups] of byService) files[`${GRAFANA_ALERTING_DIR}/${service}.json`] = `${JSON.stringify({ groups }, null, 2)}\n`;
  const tree = notificationPolicyTree(services, settings, ctx);
  if (tree) {
    const routing = {
      contactPoints: usedChannels(services, ctx).map((name) => ({ name, type: settings.channels[name]!.type, credential: settings.channelsWithSecrets.has(name) ? "monitoring-stack:channelSecrets" : "none" })),
      muteTimings: services.filter((s) => s.maintenance.length > 0 && byService.has(s.name)).map((s) => ({ name: muteTimingName(s), intervals: muteTimingIntervals(s.maintenance) })),
      policy: tree,
    };
    files[`${GRAFANA_ALERTING_DIR}/routing.json`] = `${JSON.stringify(routing, null, 2)}\n`;
  }
  return files;
}

function renderFiles({ services, settings, stack }: StackInput): RenderedFiles {
  return { files: grafanaAlertingFiles(services, settings, stack), notices: [] };
}

export const grafanaEvaluator: EvaluatorBuilder = {
  evaluator: "grafana",
  renderFiles,
  provisionStack({ services, settings, stack, grafanaToken, channelSecrets, folderUids }) {
    if (!settings.grafana || grafanaToken === undefined || folderUids === undefined) return undefined;
    if (!grafanaManagedAlerting(settings)) return undefined;
    return new GrafanaAlerting("grafana-alerting", {
      services,
      grafana: settings.grafana,
      token: grafanaToken,
      context: stackAlertingContext(services, settings, stack),
      channels: settings.channels,
      routes: settings.routes,
      ...(channelSecrets !== undefined ? { channelSecrets } : {}),
      folderUids,
    });
  },
  provisionService: () => ({ sloNames: {} }),
};
