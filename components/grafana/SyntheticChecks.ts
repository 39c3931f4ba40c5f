/**
 * Uptime checks through Grafana Cloud Synthetic Monitoring for a stack that
 * chooses it (`monitoring-stack:grafana.uptime: syntheticMonitoring`): a
 * Grafana provider for the stack's Synthetic Monitoring API (its access
 * token always a secret), the probe ids looked up by name, and one HTTP
 * check per endpoint. The checks' results go to the Grafana Cloud stack's
 * Prometheus; Grafana-managed alerting alerts on them and evaluates their
 * uptime SLOs (components/grafana/managedAlerting.ts). What each check holds is
 * built by ./synthetic.ts.
 */
import * as grafana from "@pulumiverse/grafana";
import * as pulumi from "@pulumi/pulumi";
import type { SyntheticMonitoringSettings } from "../../contract/grafanaConfig";
import type { ServiceModel } from "../../model/types";
import { withAliases } from "../renames/aliases";
import { probeIds, syntheticCheckArgs, syntheticProblems } from "./synthetic";
import { syntheticEndpoints } from "../../model/placement";

export interface SyntheticChecksArgs {
  /** The services of the stack; their endpoints with a Synthetic Monitoring check get one. Required. */
  services: readonly ServiceModel[];
  /** The Synthetic Monitoring API URL (`monitoring-stack:grafana.syntheticMonitoring.url`). Required. */
  syntheticMonitoring: Pick<SyntheticMonitoringSettings, "url">;
  /** Access token (`monitoring-stack:syntheticMonitoringToken`); always handled as a secret. Required. */
  token: pulumi.Input<string>;
}

export class SyntheticChecks extends pulumi.ComponentResource {
  /** Check ids by `<service>/<endpoint>`. */
  public readonly checkIds: Record<string, pulumi.Output<string>>;

  constructor(name: string, args: SyntheticChecksArgs, opts?: pulumi.ComponentResourceOptions) {
    // Component inputs are stored in the state too: the token is a secret there whatever the caller passed.
    super("monitoring-stack:grafana:SyntheticChecks", name, { ...args, token: pulumi.secret(args.token) }, opts);
    const checks = args.services.flatMap((service) => syntheticEndpoints(service).map((endpoint) => ({ service, endpoint })));
    // Everything is checked before anything is registered: an endpoint Synthetic Monitoring cannot honour creates nothing.
    const refused = checks.flatMap(({ service, endpoint }) => syntheticProblems(endpoint).map((problem) => `${service.file}: endpoints.${endpoint.name}: ${problem}`));
    if (refused.length > 0) throw new Error(`Synthetic Monitoring cannot check these endpoints as declared:\n${refused.join("\n")}`);

    this.checkIds = {};
    if (checks.length > 0) {
      const provider = new grafana.Provider(`${name}-provider`, { smUrl: args.syntheticMonitoring.url, smAccessToken: pulumi.secret(args.token) }, { parent: this });
      const children = { parent: this, provider };
      const available = grafana.syntheticmonitoring.getProbesOutput({ filterDeprecated: true }, children).probes;
      for (const { service, endpoint } of checks) {
        // One naming rule for current and earlier names (service and endpoint), so aliases always match.
        const resourceName = (serviceName: string, endpointName: string) => `${name}-${serviceName}-${endpointName}`;
        const serviceNames = [service.name, ...service.formerly];
        const endpointNames = [endpoint.name, ...endpoint.formerly];
        const former = serviceNames.flatMap((s) => endpointNames.map((e) => resourceName(s, e))).filter((n) => n !== resourceName(service.name, endpoint.name));
        const check = new grafana.syntheticmonitoring.Check(
          resourceName(service.name, endpoint.name),
          syntheticCheckArgs(
            endpoint,
            available.apply((probes) => probeIds(endpoint.syntheticMonitoring, probes)),
          ),
          withAliases(children, former),
        );
        this.checkIds[`${service.name}/${endpoint.name}`] = check.id;
      }
    }
    this.registerOutputs({ checkIds: this.checkIds });
  }
}
