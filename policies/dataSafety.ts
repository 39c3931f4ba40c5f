/**
 * Data safety: resources that hold data or history are protected, or kept
 * in the cloud when they leave the program (retainOnDelete).
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { TYPE, owner, type ResourceLike } from "./support";

export const DATA_HOLDING_TYPES: readonly string[] = [TYPE.logBucket, TYPE.storageBucket, TYPE.backupVault, TYPE.slo, TYPE.sqlInstance, TYPE.bigqueryDataset];

export interface DataSafetyConfig {
  /** Whether retainOnDelete is enough; false requires `protect` (removing the resource from the program then fails until it is unprotected). */
  acceptRetainOnDelete: boolean;
}

export const dataHoldingRetained: ResourceValidationPolicy = {
  name: "data-holding-retained",
  description: "Log buckets, storage buckets, backup vaults, SLOs, datasets and databases are protected or retained on delete.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: { acceptRetainOnDelete: { type: "boolean", default: true, description: "Whether retainOnDelete is enough; false requires protect." } },
  },
  validateResource: (args, report) => checkDataRetained(args, args.getConfig<DataSafetyConfig>(), report),
};

/**
 * `retainOnDelete` is judged only where the host reports it (the offline plan
 * does; the policy host of `pulumi preview` reports `protect` only).
 */
export function checkDataRetained(resource: ResourceLike, config: DataSafetyConfig, report: (message: string) => void): void {
  if (!DATA_HOLDING_TYPES.includes(resource.type)) return;
  if (resource.opts.protect) return;
  if (config.acceptRetainOnDelete) {
    if (!("retainOnDelete" in resource.opts)) return;
    if (resource.opts.retainOnDelete) return;
  }
  report(`${owner(resource)}: ${resource.type.split(":").pop()} ${resource.name} holds data but would be deleted with the program; set ${config.acceptRetainOnDelete ? "protect or retainOnDelete" : "protect"}.`);
}
