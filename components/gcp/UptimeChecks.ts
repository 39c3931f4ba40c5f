/**
 * One uptime check per endpoint and one alert policy per check that fires
 * when the check fails from more than one checker location. Endpoints the
 * stack checks with Grafana Synthetic Monitoring are left to
 * components/grafana/SyntheticChecks.ts.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { EndpointModel, ServiceModel } from "../../model/types";
import type { Severity } from "../../contract/serviceSchema";
import { toGcpDuration } from "../../contract/duration";
import { uptimeCheckFilter } from "./filters";
import { withAliases } from "../renames/aliases";
import { alertPolicyArgs } from "./alertPolicy";
import { endpointsCheckedBy } from "../../model/placement";

export interface UptimeChecksArgs {
  /** The service whose endpoints are checked. Required. */
  service: ServiceModel;
  /** GCP project that runs the checks. Required. */
  project: string;
  /** Notification channel resource names per severity. Required (may be empty lists). */
  channels: Record<Severity, pulumi.Input<string>[]>;
}

export class UptimeChecks extends pulumi.ComponentResource {
  /** Uptime check ids by endpoint name, as SLO filters and alerts reference them. */
  public readonly checkIds: Record<string, pulumi.Output<string>>;

  constructor(name: string, args: UptimeChecksArgs, opts?: pulumi.ComponentResourceOptions) {
    super("monitoring-stack:gcp:UptimeChecks", name, args, opts);
    this.checkIds = {};
    // One naming rule for current and earlier endpoint names, so aliases always match.
    const checkName = (endpointName: string) => `${name}-${endpointName}`;
    const alertName = (endpointName: string) => `${checkName(endpointName)}-failing`;
    for (const endpoint of endpointsCheckedBy(args.service, "cloudMonitoring")) {
      const check = new gcp.monitoring.UptimeCheckConfig(
        checkName(endpoint.name),
        uptimeCheckArgs(args.service, endpoint, args.project),
        withAliases({ parent: this }, endpoint.formerly.map(checkName)),
      );
      this.checkIds[endpoint.name] = check.uptimeCheckId;
      new gcp.monitoring.AlertPolicy(
        alertName(endpoint.name),
        uptimeAlertArgs(args.service, endpoint, args.project, check.uptimeCheckId, args.channels[endpoint.alertSeverity]),
        withAliases({ parent: this }, endpoint.formerly.map(alertName)),
      );
    }
    this.registerOutputs({ checkIds: this.checkIds });
  }
}

export function uptimeCheckArgs(service: ServiceModel, endpoint: EndpointModel, project: string): gcp.monitoring.UptimeCheckConfigArgs {
  return {
    project,
    displayName: `${service.name} ${endpoint.name}`,
    period: toGcpDuration(endpoint.periodMs),
    timeout: toGcpDuration(endpoint.timeoutMs),
    selectedRegions: endpoint.regions,
    checkerType: "STATIC_IP_CHECKERS",
    monitoredResource: { type: "uptime_url", labels: { project_id: project, host: endpoint.host } },
    httpCheck: {
      requestMethod: "GET",
      useSsl: endpoint.useSsl,
      validateSsl: endpoint.useSsl,
      port: endpoint.port,
      path: endpoint.path,
      acceptedResponseStatusCodes:
        endpoint.statusCodes.length > 0 ? endpoint.statusCodes.map((statusValue) => ({ statusValue })) : [{ statusClass: "STATUS_CLASS_2XX" }],
    },
    ...(endpoint.contains ? { contentMatchers: [{ content: endpoint.contains, matcher: "CONTAINS_STRING" }] } : {}),
    userLabels: { ...service.labels, endpoint: endpoint.name },
  };
}

/**
 * Aggregation: each checker location's latest result (ALIGN_NEXT_OLDER over two
 * check periods, so every location contributes despite scheduling jitter), then
 * the number of locations whose latest result failed (REDUCE_COUNT_FALSE). The
 * policy fires when more than one location fails for a minute: one flaky
 * location or a network path problem near one checker does not page anyone.
 */
export function uptimeAlertArgs(
  service: ServiceModel,
  endpoint: EndpointModel,
  project: string,
  checkId: pulumi.Input<string>,
  channels: pulumi.Input<string>[],
): gcp.monitoring.AlertPolicyArgs {
  return alertPolicyArgs({
    service,
    project,
    severity: endpoint.alertSeverity,
    displayName: `${service.name} ${endpoint.name} failing uptime checks`,
    subject: `${service.name}: ${endpoint.name} is failing uptime checks`,
    paragraphs: [
      `**${service.name}** (team ${service.team}): the uptime check of ${endpoint.url} fails from more than one checker location.`,
      `Checked every ${toGcpDuration(endpoint.periodMs)} from ${endpoint.regions.join(", ")}; timeout ${toGcpDuration(endpoint.timeoutMs)}; expects ${endpoint.statusCodes.length ? `status ${endpoint.statusCodes.join(", ")}` : "any 2xx"}${endpoint.contains ? ` and a body containing ${JSON.stringify(endpoint.contains)}` : ""}.`,
    ],
    conditions: [
      {
        displayName: `${endpoint.url} fails from more than one location`,
        conditionThreshold: {
          filter: pulumi.output(checkId).apply(uptimeCheckFilter),
          aggregations: [
            {
              alignmentPeriod: toGcpDuration(2 * endpoint.periodMs),
              perSeriesAligner: "ALIGN_NEXT_OLDER",
              crossSeriesReducer: "REDUCE_COUNT_FALSE",
              groupByFields: ["resource.label.project_id", "resource.label.host"],
            },
          ],
          comparison: "COMPARISON_GT",
          thresholdValue: 1,
          duration: "60s",
          trigger: { count: 1 },
        },
      },
    ],
    alertStrategy: { autoClose: "1800s" },
    channels,
    labels: { endpoint: endpoint.name },
  });
}
