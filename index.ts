/**
 * monitoring-stack as a library: the components a team uses in its own Pulumi
 * program, and the declaration helpers. The catalog repository (services/,
 * stacks/) remains the way for teams without a program of their own.
 */
export { MonitoredService, type MonitoredServiceArgs } from "./components/MonitoredService";
export {
  AlertSeverity,
  BackupSchedule,
  ServiceTier,
  type AlertRuleArgs,
  type AlertingArgs,
  type AvailabilityIndicatorArgs,
  type BackupsArgs,
  type BigQueryDestinationArgs,
  type CloudMonitoringIndicatorArgs,
  type CloudRunRuntimeArgs,
  type CloudSqlArgs,
  type DashboardArgs,
  type DatabaseArgs,
  type EndpointArgs,
  type EndpointExpectArgs,
  type ExternalRuntimeArgs,
  type GkeRuntimeArgs,
  type IndicatorArgs,
  type LatencyIndicatorArgs,
  type LogMetricAlertArgs,
  type LogMetricArgs,
  type LogSinkArgs,
  type LogsArgs,
  type PrometheusIndicatorArgs,
  type PubSubDestinationArgs,
  type RuntimeArgs,
  type ScalingArgs,
  type ServiceDeclarationArgs,
  type SinkDestinationArgs,
  type SloAlertingArgs,
  type SloArgs,
  type StorageDestinationArgs,
  type UptimeIndicatorArgs,
} from "./components/declarationArgs";
export { Platform, type PlatformArgs } from "./components/Platform";
export { defineService, type ServiceDeclaration } from "./contract/define";
export { InvalidInputError, type Problem } from "./contract/problems";
