/**
 * monitoring-stack as a library: the components a team uses in its own Pulumi
 * program, and the declaration helpers. The catalog repository (services/,
 * stacks/) remains the way for teams without a program of their own.
 */
export { MonitoredService, MonitoredServiceArgumentsError, type MonitoredServiceArgs } from "./components/MonitoredService";
export {
  AlertSeverity,
  BackupSchedule,
  BudgetingMethod,
  ServiceTier,
  type AlertRule,
  type Alerting,
  type AvailabilityIndicator,
  type Backups,
  type BigQueryDestination,
  type Budgeting,
  type CloudMonitoringIndicator,
  type CloudRunRuntime,
  type CloudSql,
  type Dashboard,
  type Database,
  type Endpoint,
  type EndpointExpect,
  type ExternalRuntime,
  type GkeRuntime,
  type Indicator,
  type LatencyIndicator,
  type LogMetricAlert,
  type LogMetric,
  type LogSink,
  type Logs,
  type MaintenanceWindow,
  type PrometheusIndicator,
  type PubSubDestination,
  type Runtime,
  type Scaling,
  type ServiceDeclarationArgs,
  type SinkDestination,
  type SloAlerting,
  type Slo,
  type StorageDestination,
  type UptimeIndicator,
} from "./components/declarationArgs";
export { Platform, type PlatformArgs } from "./components/Platform";
export { defineService, type ServiceDeclaration } from "./contract/define";
export { InvalidInputError, type Problem } from "./contract/problems";
