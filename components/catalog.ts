/**
 * From files to the model: load declarations, check their shape, validate
 * them against each other and the stack, then normalise. Returns every
 * problem at once; services are only returned when there is none.
 */
import { loadServices } from "./spec/load";
import type { Problem } from "./spec/problems";
import type { StackSettings } from "./spec/stackConfig";
import { validateCatalog } from "./spec/validate";
import { serviceModel, type ServiceModel } from "./model/service";

export interface Catalog {
  services: ServiceModel[];
  problems: Problem[];
}

export async function loadCatalog(paths: readonly string[], settings: StackSettings): Promise<Catalog> {
  const loaded = await loadServices(paths);
  const problems = [...loaded.problems, ...validateCatalog(loaded.services, settings)];
  if (problems.length > 0) return { services: [], problems };
  const services = loaded.services
    .map(({ spec, file }) => serviceModel(spec, file, settings))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { services, problems };
}
