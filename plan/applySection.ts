/**
 * summary.md's estimate of what applying the plan asks of Google's APIs:
 * requests per kind on a first `pulumi up` and on a refresh, the provider's
 * locks that serialise creates whatever `--parallel` says, and the shortest
 * first apply they allow (model/applyRequests.ts; docs/apply-time.md).
 */
import { counted } from "../contract/problems";
import { ASSUMED_SECONDS_PER_REQUEST, KIND_REQUESTS, applyEstimate, type ApplyResource } from "../model/applyRequests";
import type { PlannedResource } from "./mockRuntime";

/** The input naming the parent a kind's lock is held per (Slo: its custom service; dataset, bucket and topic IAM members: theirs). */
const LOCK_PARENT_INPUT: Record<string, string> = { service: "service", dataset: "datasetId", bucket: "bucket", topic: "topic" };

/** A planned resource as the estimate sees it: its type and, for a lock held per parent, that parent. */
export function applyResource(resource: PlannedResource): ApplyResource {
  const per = KIND_REQUESTS[resource.type]?.lock?.per;
  const input = per ? LOCK_PARENT_INPUT[per] : undefined;
  const parent = input ? resource.inputs[input] : undefined;
  return { type: resource.type, ...(parent !== undefined ? { lockParent: JSON.stringify(parent) } : {}) };
}

const row = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
const minutes = (seconds: number) => (seconds < 90 ? `${Math.round(seconds)} s` : `${Math.round(seconds / 60)} min`);

/** The "Applying to Google Cloud" section of summary.md. */
export function applySection(resources: readonly PlannedResource[]): string[] {
  const estimate = applyEstimate(resources.map(applyResource));
  if (estimate.kinds.length === 0) return [];
  const parallel = estimate.recommendedParallel;
  const lockText = (per: string | undefined) => (per === undefined ? "none" : per === "project" ? "one at a time per project" : `one at a time per ${per}`);
  const rows = estimate.kinds.map((kind) => row([kind.type, String(kind.count), String(kind.createRequests), String(kind.refreshRequests), lockText(kind.lockedPer)]));
  const apis = estimate.byApi.map(
    (api) => `${api.api} ${api.createRequests} (at most ${Math.round(estimate.peakRequestsPerMinute(api.api, parallel))} a minute at --parallel ${parallel})`,
  );
  const chain = estimate.longestChain;
  return [
    "## Applying to Google Cloud (estimate)",
    `A first \`pulumi up\` of this plan sends about ${counted(estimate.createRequests, "request")} to Google's APIs: ${apis.join("; ")}. ` +
      `A \`pulumi up\` with nothing to change sends none for these resources; with \`--refresh\` (or \`pulumi refresh\`) it reads each once: ${counted(estimate.refreshRequests, "request")}.`,
    chain
      ? `The provider creates some kinds one at a time behind a lock of its own, whatever \`--parallel\` says: the longest such chain, ${chain.type}, takes at least ${minutes(chain.seconds)}, ` +
        `so a first apply takes at least ${minutes(estimate.firstApplySeconds(parallel))}: \`--parallel ${parallel}\` reaches that, a higher setting only sends requests faster (${minutes(estimate.firstApplySeconds(1))} at \`--parallel 1\`).`
      : `No kind here waits behind a provider lock: a first apply takes at least ${minutes(estimate.firstApplySeconds(parallel))} at \`--parallel ${parallel}\`.`,
    `Times assume ${ASSUMED_SECONDS_PER_REQUEST} s a request (an assumption, not a measurement); Google does not publish the default per-minute quotas of these APIs' configuration calls: compare the rates above with the project's Quotas page before raising \`--parallel\`. How these figures are made: docs/apply-time.md.`,
    [row(["Type", "Count", "Requests, first apply", "Requests, refresh", "Provider lock"]), row(["---", "---:", "---:", "---:", "---"]), ...rows].join("\n"),
  ];
}
