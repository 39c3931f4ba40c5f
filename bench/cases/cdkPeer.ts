/**
 * Peer: cdk-monitoring-constructs synthesising a comparable monitoring set
 * for the same services — per service one CloudWatch alarm for every alert
 * policy the plan has (same thresholds: each burn-rate tier and each uptime
 * alert) on an error-ratio metric, notifying an SNS topic, and one dashboard
 * per service. CloudFormation allows 500 resources per stack, so services go
 * 25 to a stack (the CDK way to shard; up to 19 alarms each), and the app is synthesised to a
 * cloud assembly on disk, as `cdk synth` does.
 *
 *   node --import tsx bench/cases/cdkPeer.ts WORKLOAD.json OUTDIR
 */
import { readdirSync, readFileSync, rmSync } from "node:fs";
import * as path from "node:path";
import { App, Duration, Stack } from "aws-cdk-lib";
import { ComparisonOperator, MathExpression, Metric } from "aws-cdk-lib/aws-cloudwatch";
import { Topic } from "aws-cdk-lib/aws-sns";
import { DefaultDashboardFactory, MonitoringFacade, SnsAlarmActionStrategy, type CustomThreshold } from "cdk-monitoring-constructs";
import type { Workload } from "../workload";

export const SERVICES_PER_STACK = 25;

interface AlertInputs {
  displayName?: string;
  severity?: string;
  conditions?: { conditionThreshold?: { thresholdValue?: number } }[];
}

function main(file: string, outdir: string): void {
  const workload = JSON.parse(readFileSync(file, "utf8")) as Workload;
  rmSync(outdir, { recursive: true, force: true });
  const app = new App({ outdir });
  let stack: Stack | undefined;
  let topic: Topic | undefined;
  workload.services.forEach((service, index) => {
    if (index % SERVICES_PER_STACK === 0) {
      stack = new Stack(app, `Monitoring${index / SERVICES_PER_STACK}`, { env: { account: "123456789012", region: "eu-west-1" } });
      topic = new Topic(stack, "Alerts");
    }
    const facade = new MonitoringFacade(stack!, service.name, {
      alarmFactoryDefaults: { alarmNamePrefix: service.name, actionsEnabled: true, action: new SnsAlarmActionStrategy({ onAlarmTopic: topic! }) },
      metricFactoryDefaults: {},
      dashboardFactory: new DefaultDashboardFactory(stack!, `${service.name}-dashboards`, {
        dashboardNamePrefix: service.name,
        createDashboard: true,
        createSummaryDashboard: false,
        createAlarmDashboard: false,
      }),
    });
    const dimensionsMap = { service: service.name };
    const requests = new Metric({ namespace: "Services", metricName: "Requests", dimensionsMap, statistic: "Sum", period: Duration.minutes(5) });
    const errors = new Metric({ namespace: "Services", metricName: "Errors", dimensionsMap, statistic: "Sum", period: Duration.minutes(5) });
    const errorRatio = new MathExpression({ expression: "errors / requests", usingMetrics: { errors, requests }, label: "error ratio", period: Duration.minutes(5) });
    const addAlarm: Record<string, CustomThreshold> = {};
    for (const resource of service.resources) {
      if (resource.type !== "gcp:monitoring/alertPolicy:AlertPolicy") continue;
      const inputs = resource.inputs as AlertInputs;
      addAlarm[resource.name] = {
        threshold: inputs.conditions?.[0]?.conditionThreshold?.thresholdValue ?? 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        alarmDescriptionOverride: inputs.displayName ?? resource.name,
        evaluationPeriods: 12,
        datapointsToAlarm: 12,
      };
    }
    facade.monitorCustom({
      alarmFriendlyName: service.name,
      humanReadableName: service.name,
      metricGroups: [{ title: "Error ratio", metrics: [{ metric: errorRatio, alarmFriendlyName: "ErrorRatio", addAlarm }] }],
    });
  });
  const assembly = app.synth();
  let resources = 0;
  for (const entry of readdirSync(assembly.directory)) {
    if (!entry.endsWith(".template.json")) continue;
    const template = JSON.parse(readFileSync(path.join(assembly.directory, entry), "utf8")) as { Resources?: Record<string, unknown> };
    resources += Object.keys(template.Resources ?? {}).length;
  }
  process.stdout.write(`${JSON.stringify({ resources, stacks: assembly.stacks.length })}\n`);
}

try {
  main(process.argv[2] ?? "", process.argv[3] ?? "cdk.out");
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
