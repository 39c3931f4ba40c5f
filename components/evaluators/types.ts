/**
 * The evaluator seam: Cloud Monitoring alert policies, Prometheus rules and
 * Grafana-managed rule groups each implement {@link EvaluatorBuilder}. The
 * model decides which evaluator takes each SLO and alert (model/placement.ts)
 * and what each can do (model/evaluators.ts); a builder turns the SLOs and
 * alerts placed on it into files for the offline plan and into resources.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Severity } from "../../contract/serviceSchema";
import type { StackSettings } from "../../contract/stackConfig";
import type { Evaluator, ServiceModel } from "../../model/types";

/** What an evaluator renders for a whole stack. */
export interface StackInput {
  services: readonly ServiceModel[];
  settings: StackSettings;
  /** The Pulumi stack's name (uids of a split environment's shards); absent where there is no stack. */
  stack?: string;
}

/** Files for the offline plan, by path under its output directory, and what reviewers should know about them. */
export interface RenderedFiles {
  files: Record<string, string>;
  notices: { service: string; message: string }[];
}

/** What an evaluator's stack-wide resources are given besides the catalog. */
export interface StackResourcesInput extends StackInput {
  /** `monitoring-stack:grafanaToken`, a secret; absent when the stack has no Grafana. */
  grafanaToken?: pulumi.Input<string>;
  /** `monitoring-stack:channelSecrets`, a secret. */
  channelSecrets?: pulumi.Input<Record<string, string>>;
  /** Grafana folder uids by folder name, when the stack provisions Grafana dashboards. */
  folderUids?: Record<string, pulumi.Input<string>>;
}

/** What an evaluator's per-service resources are given: they are children of the service's ServiceMonitoring. */
export interface ServiceResourcesInput {
  /** The ServiceMonitoring's name; children are named from it. */
  name: string;
  parent: pulumi.Resource;
  service: ServiceModel;
  project: string;
  /** Notification channel resource names per severity. */
  channels: Record<Severity, pulumi.Input<string>[]>;
  /** Cloud Monitoring uptime check ids by endpoint name. */
  uptimeCheckIds: Record<string, pulumi.Output<string>>;
  /** Keep SLOs and their history when they leave the program. */
  retainSloHistory: boolean;
}

export interface EvaluatorBuilder {
  readonly evaluator: Evaluator;
  /** The files the offline plan writes for what this evaluator evaluates in the stack; none when it evaluates nothing there. */
  renderFiles(stack: StackInput): RenderedFiles;
  /** Stack-wide resources (rule objects, rule groups, routing), or none. */
  provisionStack(stack: StackResourcesInput): pulumi.ComponentResource | undefined;
  /** Per-service resources; returns the full names of the SLOs it created, by SLO name. */
  provisionService(input: ServiceResourcesInput): { sloNames: Record<string, string> };
}

/** A builder's answer where it has nothing to render. */
export const NO_FILES: RenderedFiles = Object.freeze({ files: {}, notices: [] }) as RenderedFiles;
