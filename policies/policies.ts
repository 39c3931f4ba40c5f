/** Every policy of the pack, one module per domain. */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { alertsNotifySomeone, criticalSlosPage } from "./alerting";
import { backupRetention } from "./backups";
import { dataHoldingRetained } from "./dataSafety";
import { logRetention, sinkWritersScoped } from "./logs";
import { singleOwner } from "./ownership";
import { noPlainCredentials } from "./secrets";
import { sloGoalLimit } from "./slo";
import { criticalCheckedEveryMinute, uptimeCoverage } from "./uptime";

export const POLICIES: ReadonlyArray<ResourceValidationPolicy | StackValidationPolicy> = [
  alertsNotifySomeone,
  criticalSlosPage,
  uptimeCoverage,
  criticalCheckedEveryMinute,
  sloGoalLimit,
  backupRetention,
  logRetention,
  sinkWritersScoped,
  noPlainCredentials,
  dataHoldingRetained,
  singleOwner,
];
