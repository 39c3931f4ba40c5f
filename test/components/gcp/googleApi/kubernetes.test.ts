/**
 * Kubernetes objects, in every plan the repository makes, against their
 * published schemas: kubernetes-models (generated from the Kubernetes
 * OpenAPI spec) for HorizontalPodAutoscaler, PodDisruptionBudget and Secret,
 * @kubernetes-models/prometheus-operator for PrometheusRule, and the GMP
 * Rules/ClusterRules CRD schema (test/data/gmp-rules.schema.json, from
 * GoogleCloudPlatform/prometheus-engine charts/operator/crds).
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import Ajv from "ajv";
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { Secret } from "kubernetes-models/v1";
import { beforeAll, describe, expect, it } from "vitest";
import { PLAN_TIMEOUT_MS, ROOT, contractPlans, where, type Planned } from "./plans";

let objects: Planned[];
beforeAll(async () => {
  objects = (await contractPlans()).flatMap((plan) => plan.resources.filter((r) => r.type.startsWith("kubernetes:")).map((resource) => ({ source: plan.source, resource })));
}, PLAN_TIMEOUT_MS);

const gmp = new Ajv({ allErrors: true, strict: true }).compile(JSON.parse(readFileSync(path.join(ROOT, "test", "data", "gmp-rules.schema.json"), "utf8")) as object);

/** What is wrong with one planned object, by its kind's schema; kubernetes-models' validate() throws with the failing path. */
function schemaProblem(type: string, object: Record<string, unknown>): string | undefined {
  const validators: Record<string, () => void> = {
    "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": () => (new HorizontalPodAutoscaler(object as never) as unknown as { validate(): void }).validate(),
    "kubernetes:policy/v1:PodDisruptionBudget": () => (new PodDisruptionBudget(object as never) as unknown as { validate(): void }).validate(),
    // The plan masks stringData as [secret]; its shape (a map of strings) is what the schema checks.
    "kubernetes:core/v1:Secret": () => (new Secret({ ...object, stringData: object["stringData"] === "[secret]" ? { masked: "value" } : object["stringData"] } as never) as unknown as { validate(): void }).validate(),
    "kubernetes:monitoring.coreos.com/v1:PrometheusRule": () => (new PrometheusRule(object as never) as unknown as { validate(): void }).validate(),
    "kubernetes:monitoring.googleapis.com/v1:Rules": () => {
      if (!gmp(object)) throw new Error(JSON.stringify(gmp.errors));
    },
    "kubernetes:monitoring.googleapis.com/v1:ClusterRules": () => {
      if (!gmp(object)) throw new Error(JSON.stringify(gmp.errors));
    },
  };
  const validate = validators[type];
  if (!validate) return `no schema for ${type}`;
  try {
    validate();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set: "an optional prefix and name, separated by a slash (/).
 * The name segment is required and must be 63 characters or less, beginning and ending with an alphanumeric character … with dashes (-), underscores (_), dots (.)";
 * the prefix "must be a DNS subdomain … not longer than 253 characters"; values "must be 63 characters or less (can be empty)".
 * names: …/names/#dns-subdomain-names "contain no more than 253 characters … lowercase alphanumeric characters, '-' or '.'".
 */
function metadataProblems(object: Record<string, any>): string[] {
  const metadata = object["metadata"] ?? {};
  const name = /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/;
  const labelName = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;
  return [
    ...(name.test(metadata["name"] ?? "") ? [] : [`name ${metadata["name"]}`]),
    ...(metadata["namespace"] === undefined || /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(metadata["namespace"]) ? [] : [`namespace ${metadata["namespace"]}`]),
    ...Object.entries((metadata["labels"] ?? {}) as Record<string, string>).flatMap(([key, value]) => {
      const [prefix, segment] = key.includes("/") ? [key.slice(0, key.lastIndexOf("/")), key.slice(key.lastIndexOf("/") + 1)] : [undefined, key];
      return [
        ...((prefix === undefined || name.test(prefix)) && labelName.test(segment) ? [] : [`label key ${key}`]),
        ...(value === "" || labelName.test(value) ? [] : [`label ${key} value ${value}`]),
      ];
    }),
  ];
}

describe("Kubernetes objects", () => {
  it("covers every kind the plans create (the walk works)", () => {
    expect(new Set(objects.map((o) => o.resource.type))).toEqual(
      new Set(["kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "kubernetes:policy/v1:PodDisruptionBudget", "kubernetes:core/v1:Secret", "kubernetes:monitoring.coreos.com/v1:PrometheusRule", "kubernetes:monitoring.googleapis.com/v1:Rules"]),
    );
  });

  it("every object is valid against its kind's schema", () => {
    expect(objects.map((o) => [where(o), schemaProblem(o.resource.type, o.resource.inputs)] as const).filter(([, problem]) => problem !== undefined)).toEqual([]);
  });

  it("names, namespaces and labels follow Kubernetes' syntax", () => {
    expect(objects.flatMap((o) => metadataProblems(o.resource.inputs).map((problem) => `${where(o)}: ${problem}`))).toEqual([]);
  });

  it("the schema check refuses a broken object (it can fail)", () => {
    const hpa = objects.find((o) => o.resource.type.endsWith("HorizontalPodAutoscaler"))!.resource.inputs as Record<string, any>;
    expect(schemaProblem("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", { ...hpa, spec: { ...hpa["spec"], maxReplicas: "ten" } })).toBeDefined();
    expect(metadataProblems({ metadata: { name: "Bad_Name", labels: { "-x": "y" } } })).toHaveLength(2);
  });
});
