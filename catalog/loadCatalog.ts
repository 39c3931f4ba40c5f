/**
 * From files to the model: load declarations, check their shape, keep the
 * ones the stack owns, validate them against each other and the stack, then
 * normalise. Returns every problem at once; services are only returned when
 * there is none.
 */
import * as path from "node:path";
import { loadServices } from "../contract/load";
import { owns, ownershipPath } from "../contract/ownership";
import type { Problem } from "../contract/problems";
import type { StackSettings } from "../contract/stackConfig";
import { validateCatalog } from "./validate";
import { serviceModel } from "../model/service";
import type { ServiceModel } from "../model/types";

export interface Catalog {
  services: ServiceModel[];
  problems: Problem[];
  /** Files of valid declarations that other stacks own (`monitoring-stack:owns`). */
  notOwned: string[];
}

export interface CatalogOptions {
  /** The services directory file patterns in `owns` are relative to. Default: the stack's `services.dir` from the working directory. */
  servicesDir?: string;
}

export async function loadCatalog(paths: readonly string[], settings: StackSettings, options: CatalogOptions = {}): Promise<Catalog> {
  const loaded = await loadServices(paths);
  const servicesDir = path.resolve(options.servicesDir ?? settings.servicesDir);
  const owned = loaded.services.filter(({ spec, file }) => owns(settings.owns, { name: spec.name, team: spec.team, file: ownershipPath(file, servicesDir) }));
  const notOwned = loaded.services.filter((service) => !owned.includes(service)).map(({ file }) => file);
  const problems = [...loaded.problems, ...validateCatalog(owned, settings)];
  if (problems.length > 0) return { services: [], problems, notOwned };
  const services = owned
    .map(({ spec, file }) => serviceModel(spec, file, settings))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { services, problems, notOwned };
}
