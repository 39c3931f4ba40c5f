/**
 * Grafana for a stack, through the Grafana provider configured from the stack
 * (URL, service account token as a secret): one folder per team (or declared
 * `dashboard.folder`) with a stable uid, one SLO dashboard per service and the
 * fleet overview. The dashboards are the very JSON the plan writes.
 */
import * as grafana from "@pulumiverse/grafana";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceModel } from "../../model/types";
import { withAliases } from "../renames/aliases";
import type { GrafanaSettings } from "../../contract/grafanaConfig";
import { FLEET_FOLDER, dashboardJson, folderUid, scopeTitle, stackDashboards, type DashboardContext } from "./dashboards";

export interface GrafanaDashboardsArgs {
  /** The services of the stack. Required. */
  services: readonly ServiceModel[];
  /** Grafana URL and organisation (`monitoring-stack:grafana`). Required. */
  grafana: GrafanaSettings;
  /** Service account token (`monitoring-stack:grafanaToken`); always handled as a secret. Required. */
  token: pulumi.Input<string>;
  /** Project, environment and data sources the dashboards query. Required. */
  context: DashboardContext;
}

export class GrafanaDashboards extends pulumi.ComponentResource {
  /** Dashboard URLs (`<grafana>/d/<uid>`) by service name, and `fleet`. */
  public readonly urls: Record<string, string>;
  /** Folder uids by folder name (a service's `dashboard.folder` or team), for what else goes in those folders. */
  public readonly folderUids: Record<string, pulumi.Output<string>>;

  constructor(name: string, args: GrafanaDashboardsArgs, opts?: pulumi.ComponentResourceOptions) {
    // Component inputs are stored in the state too: the token is a secret there whatever the caller passed.
    super("monitoring-stack:grafana:GrafanaDashboards", name, { ...args, token: pulumi.secret(args.token) }, opts);
    const provider = new grafana.Provider(
      `${name}-provider`,
      { url: args.grafana.url, auth: pulumi.secret(args.token), ...(args.grafana.orgId !== undefined ? { orgId: args.grafana.orgId } : {}) },
      { parent: this },
    );
    const children = { parent: this, provider };
    const { environment, shard } = args.context;
    const scope = scopeTitle(args.context);
    const dashboards = stackDashboards(args.services, args.context);
    const folders: Record<string, grafana.oss.Folder> = {};
    for (const folder of [...new Set(dashboards.map((d) => d.folder))].sort()) {
      folders[folder] = new grafana.oss.Folder(
        `${name}-folder-${folder}`,
        // Keeps its dashboards: deleting a folder in Grafana deletes what is in it.
        { uid: folderUid(folder, environment, shard), title: folder === FLEET_FOLDER ? `SLO overview (${scope})` : `${folder} (${scope})`, preventDestroyIfNotEmpty: true },
        children,
      );
    }
    this.folderUids = Object.fromEntries(Object.entries(folders).map(([folder, resource]) => [folder, resource.uid]));
    this.urls = {};
    for (const rendered of dashboards) {
      const service = rendered.service;
      const key = service ? service.name : "fleet";
      const resourceName = (serviceName: string) => `${name}-${serviceName}`;
      new grafana.oss.Dashboard(
        resourceName(key),
        { folder: folders[rendered.folder]!.uid, configJson: dashboardJson(rendered), overwrite: true, message: "monitoring-stack" },
        withAliases(children, service ? service.formerly.map(resourceName) : []),
      );
      this.urls[key] = `${args.grafana.url.replace(/\/$/, "")}/d/${rendered.uid}`;
    }
    this.registerOutputs({ urls: this.urls });
  }
}
