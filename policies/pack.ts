/** Every policy of the pack, one module per domain. */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { alertsNotifySomeone, criticalSlosPage, infoNeverPages } from "./alerting";
import { backupRetention } from "./backups";
import { DATA_HOLDING_TYPES, dataHoldingRetained } from "./dataSafety";
import { logRetention, sinkWritersScoped } from "./logs";
import { singleOwner } from "./ownership";
import { TYPE } from "./support";
import { noPlainCredentials } from "./secrets";
import { sloGoalLimit } from "./slo";
import { criticalCheckedEveryMinute, uptimeCoverage } from "./uptime";

export const POLICIES: ReadonlyArray<ResourceValidationPolicy | StackValidationPolicy> = [
  alertsNotifySomeone,
  criticalSlosPage,
  infoNeverPages,
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

/**
 * The resource types each resource policy can judge (it returns at once on
 * any other). A host may use it to skip the rest; the policies do not rely on it.
 */
export const APPLIES_TO: Readonly<Record<string, readonly string[]>> = {
  [alertsNotifySomeone.name]: [TYPE.alertPolicy],
  [uptimeCoverage.name]: [TYPE.uptimeCheck],
  [sloGoalLimit.name]: [TYPE.slo],
  [logRetention.name]: [TYPE.logBucket],
  [noPlainCredentials.name]: [TYPE.channel],
  [dataHoldingRetained.name]: DATA_HOLDING_TYPES,
};
