/**
 * Every plan the repository can make, for the Google Cloud API contract
 * suite: each stack in stacks/, each example in examples/, each fixture
 * catalog with a stack file, and a generated 100-service catalog. Planned
 * once: the resources are cached in the temporary directory under a hash of
 * every file that shapes a plan, so the contract modules (one test file per
 * resource kind, each in its own worker) share one set of plans.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { PlannedResource } from "../../../../plan/mockRuntime";
import type { PlanOptions } from "../../../../plan/runPlan";
import type { StackSettings } from "../../../../contract/stackConfig";

export const ROOT = path.join(__dirname, "..", "..", "..", "..");
/** Services in the generated catalog. */
export const GENERATED_SERVICES = 100;

export interface ContractPlan {
  /** Where the plan comes from: `stack dev`, `example ftry`, `fixture operations`, `generated 100`. */
  source: string;
  resources: PlannedResource[];
  /** The stack settings a contract reads beside the resources (the Grafana suite: channels, data sources, Grafana settings). No secret is among them. */
  settings: Pick<StackSettings, "environment" | "channels" | "datasources" | "grafana">;
}

interface PlanSource {
  source: string;
  options: () => Promise<PlanOptions>;
}

/** The folders and files whose content decides what a plan holds. */
const INPUTS = ["contract", "model", "catalog", "components", "stacks", "plan", "policies", "examples", "test/fixtures", "bench/catalog.ts", "package-lock.json", "test/components/gcp/googleApi/plans.ts"];

function planSources(): PlanSource[] {
  const stacks = readdirSync(path.join(ROOT, "stacks"))
    .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
    .filter((stack): stack is string => stack !== undefined)
    .sort()
    .map((stack) => ({ source: `stack ${stack}`, options: async () => ({ stack }) }));
  const examples = readdirSync(path.join(ROOT, "examples"))
    .filter((system) => existsSync(path.join(ROOT, "examples", system, `Pulumi.${system}.yaml`)))
    .sort()
    .map((system) => ({
      source: `example ${system}`,
      options: async () => ({ stack: system, configFile: path.join(ROOT, "examples", system, `Pulumi.${system}.yaml`), servicesDir: path.join(ROOT, "examples", system, "services") }),
    }));
  const fixtures = readdirSync(path.join(ROOT, "test", "fixtures"))
    .sort()
    .flatMap((name) => {
      const dir = path.join(ROOT, "test", "fixtures", name);
      const stackFile = readdirSync(dir).find((file) => /^Pulumi\..+\.yaml$/.test(file));
      if (!stackFile || !existsSync(path.join(dir, "services"))) return [];
      const stack = /^Pulumi\.(.+)\.yaml$/.exec(stackFile)![1]!;
      return [{ source: `fixture ${name}`, options: async () => ({ stack, configFile: path.join(dir, stackFile), servicesDir: path.join(dir, "services") }) }];
    });
  const generated = {
    source: `generated ${GENERATED_SERVICES}`,
    options: async () => {
      const { writeCatalog } = await import("../../../../bench/catalog");
      const dir = path.join(CACHE_DIR, `catalog-${GENERATED_SERVICES}`);
      writeCatalog(dir, GENERATED_SERVICES);
      // 150 uptime checks in one project: past Google Cloud's limit of 100, planned anyway to check every resource kind at scale.
      return { stack: "local", servicesDir: dir, overLimits: true };
    },
  };
  return [...stacks, ...examples, ...fixtures, generated];
}

function filesUnder(target: string): string[] {
  if (!existsSync(target)) return [];
  if (statSync(target).isFile()) return [target];
  return readdirSync(target)
    .sort()
    .flatMap((entry) => filesUnder(path.join(target, entry)));
}

function inputsHash(): string {
  const hash = createHash("sha256");
  for (const file of INPUTS.flatMap((input) => filesUnder(path.join(ROOT, input)))) {
    hash.update(path.relative(ROOT, file));
    hash.update(readFileSync(file));
  }
  return hash.digest("hex").slice(0, 16);
}

/** Where the plans (and the generated catalog) are kept between test files. */
const CACHE_DIR = path.join(tmpdir(), "monitoring-stack-gcp-contract");

async function planAll(): Promise<ContractPlan[]> {
  // Imported here: a test file that finds the plans cached never loads the Pulumi program.
  const { runPlan } = await import("../../../../plan/runPlan");
  const plans: ContractPlan[] = [];
  for (const { source, options } of planSources()) {
    const outcome = await runPlan(await options());
    if (!outcome.ok) throw new Error(`${source}: invalid input:\n${outcome.problems.map((p) => `${p.file}: ${p.path}: ${p.message}`).join("\n")}`);
    const { environment, channels, datasources, grafana } = outcome.program.settings;
    plans.push({ source, resources: outcome.plan.resources, settings: { environment, channels, datasources, ...(grafana ? { grafana } : {}) } });
  }
  return plans;
}

let cached: Promise<ContractPlan[]> | undefined;

/** Every plan, planned at most once per change of the inputs. */
export function contractPlans(): Promise<ContractPlan[]> {
  cached ??= (async () => {
    const file = path.join(CACHE_DIR, `plans-${inputsHash()}.json`);
    const lock = `${file}.lock`;
    mkdirSync(CACHE_DIR, { recursive: true });
    const deadline = Date.now() + PLAN_TIMEOUT_MS;
    // One worker plans; the others wait for its file (a lock older than the timeout is a crashed run's).
    for (;;) {
      if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as ContractPlan[];
      try {
        mkdirSync(lock);
        break;
      } catch {
        const since = statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
        if (since !== undefined && Date.now() - since > PLAN_TIMEOUT_MS) rmSync(lock, { recursive: true, force: true });
        if (Date.now() > deadline) throw new Error(`timed out waiting for another test worker to plan (${lock})`);
        await sleep(500);
      }
    }
    try {
      const plans = await planAll();
      const partial = `${file}.${process.pid}`;
      writeFileSync(partial, JSON.stringify(plans));
      renameSync(partial, file);
      return plans;
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  })();
  return cached;
}

/** One planned resource, with the plan it belongs to. */
export interface Planned {
  source: string;
  resource: PlannedResource;
}

export async function resourcesOfType(...types: string[]): Promise<Planned[]> {
  return (await contractPlans()).flatMap((plan) => plan.resources.filter((resource) => types.includes(resource.type)).map((resource) => ({ source: plan.source, resource })));
}

/** `source: name` for failure messages. */
export const where = ({ source, resource }: Planned) => `${source}: ${resource.name}`;

export const TYPE = {
  alertPolicy: "gcp:monitoring/alertPolicy:AlertPolicy",
  uptimeCheck: "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig",
  customService: "gcp:monitoring/customService:CustomService",
  slo: "gcp:monitoring/slo:Slo",
  channel: "gcp:monitoring/notificationChannel:NotificationChannel",
  logBucket: "gcp:logging/projectBucketConfig:ProjectBucketConfig",
  logSink: "gcp:logging/projectSink:ProjectSink",
  logMetric: "gcp:logging/metric:Metric",
  backupVault: "gcp:backupdisasterrecovery/backupVault:BackupVault",
  backupPlan: "gcp:backupdisasterrecovery/backupPlan:BackupPlan",
  backupAssociation: "gcp:backupdisasterrecovery/backupPlanAssociation:BackupPlanAssociation",
  projectIamMember: "gcp:projects/iAMMember:IAMMember",
  datasetIamMember: "gcp:bigquery/datasetIamMember:DatasetIamMember",
  bucketIamMember: "gcp:storage/bucketIAMMember:BucketIAMMember",
  topicIamMember: "gcp:pubsub/topicIAMMember:TopicIAMMember",
  storageBucket: "gcp:storage/bucket:Bucket",
} as const;

/** Planning every catalog takes about half a minute on a quiet machine; allow for a busy one. */
export const PLAN_TIMEOUT_MS = 180_000;
