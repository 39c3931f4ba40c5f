/**
 * For teams that deploy their own Cloud Run service with Pulumi: the scaling
 * block and request concurrency their declaration asks for, typed for
 * `gcp.cloudrunv2.Service`'s `template`. The monitoring stack never takes over
 * the deployment; it alerts on the same numbers.
 *
 *   import checkout from "../monitoring/services/checkout-api";
 *   new gcp.cloudrunv2.Service("checkout-api", {
 *     template: { ...cloudRunScaling(checkout), containers: [...] }, ...
 *   });
 */
import type * as gcp from "@pulumi/gcp";
import { CLOUD_RUN_DEFAULT_CONCURRENCY, CLOUD_RUN_DEFAULT_MAX_INSTANCES } from "../../model/scaling";
import type { ServiceSpec } from "../../contract/serviceSchema";

export type CloudRunScaling = Required<Pick<gcp.types.input.cloudrunv2.ServiceTemplate, "scaling" | "maxInstanceRequestConcurrency">>;

export function cloudRunScaling(service: Pick<ServiceSpec, "name" | "runtime" | "scaling">): CloudRunScaling {
  if (!service.runtime.cloudRun) throw new Error(`${service.name}: cloudRunScaling needs a service with runtime cloudRun`);
  const scaling = service.scaling ?? {};
  return {
    scaling: {
      minInstanceCount: scaling.minInstances ?? 0,
      maxInstanceCount: scaling.maxInstances ?? CLOUD_RUN_DEFAULT_MAX_INSTANCES,
    },
    maxInstanceRequestConcurrency: scaling.concurrency ?? CLOUD_RUN_DEFAULT_CONCURRENCY,
  };
}
