/**
 * Ownership: each service — and each cloud id that stands for it — is owned
 * once. Inside a stack, two declarations must never claim the same Cloud
 * Monitoring service, log bucket or backup vault (a rename's `formerly` can
 * make them collide). Across stacks, `npm run stacks -- check` proves every
 * service has exactly one owning stack per environment.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { TYPE, type StackResource } from "./support";

/** The input that names the cloud resource, per type whose name must be unique in a project. */
const CLOUD_IDS: Record<string, string> = {
  "gcp:monitoring/customService:CustomService": "serviceId",
  [TYPE.logBucket]: "bucketId",
  [TYPE.backupVault]: "backupVaultId",
  [TYPE.sink]: "name",
};

export interface SingleOwnerConfig {
  /** Resource types whose cloud id must be unique in a project. */
  types: string[];
}

export const singleOwner: StackValidationPolicy = {
  name: "single-owner",
  description: "Each service, and each Cloud Monitoring service, log bucket, sink and backup vault standing for it, is declared once in the stack.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      types: { type: "array", items: { type: "string", enum: Object.keys(CLOUD_IDS) }, default: Object.keys(CLOUD_IDS), description: "Resource types whose cloud id must be unique." },
    },
  },
  validateStack: (args, report) => checkSingleOwner(args.resources, args.getConfig<SingleOwnerConfig>(), report),
};

export function checkSingleOwner(resources: readonly StackResource[], config: SingleOwnerConfig, report: (message: string, urn?: string) => void): void {
  const seen = new Map<string, StackResource>();
  for (const resource of resources) {
    const field = config.types.includes(resource.type) ? CLOUD_IDS[resource.type] : undefined;
    const id = field ? resource.props[field] : undefined;
    if (typeof id !== "string") continue;
    const project = String(resource.props["project"] ?? "");
    const key = `${resource.type} ${project} ${id}`;
    const first = seen.get(key);
    if (first) {
      report(`${resource.type.split(":").pop()} ${JSON.stringify(id)} is claimed by both ${first.name} and ${resource.name}; one service must own it (check earlier names in formerly).`, resource.urn);
    } else {
      seen.set(key, resource);
    }
  }
}
