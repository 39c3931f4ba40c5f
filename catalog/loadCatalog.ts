/**
 * From files to the model: load declarations, check their shape, keep the
 * ones the stack owns, validate them against each other and the stack, then
 * normalise. Returns every problem at once; services are only returned when
 * there is none.
 */
import * as path from "node:path";
import { loadServices, type LoadedService, type SalvagedService } from "../contract/load";
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
  /** Not wrong, but worth knowing: an empty directory, files skipped. */
  warnings: Problem[];
}

export interface CatalogOptions {
  /** The services directory file patterns in `owns` are relative to. Default: the stack's `services.dir` from the working directory. */
  servicesDir?: string;
}

export async function loadCatalog(paths: readonly string[], settings: StackSettings, options: CatalogOptions = {}): Promise<Catalog> {
  const loaded = await loadServices(paths);
  const servicesDir = path.resolve(options.servicesDir ?? settings.servicesDir);
  const isOwned = ({ spec, file }: LoadedService) => owns(settings.owns, { name: spec.name, team: spec.team, file: ownershipPath(file, servicesDir) });
  const owned = loaded.services.filter(isOwned);
  const notOwned = loaded.services.filter((service) => !owned.includes(service)).map(({ file }) => file);
  // One pass: the valid parts of declarations with shape problems are cross-checked too.
  const partial = loaded.partial.filter(isOwned);
  const semantic = validateCatalog([...owned, ...partial], settings);
  const problems = [...loaded.problems, ...semantic.flatMap((problem) => salvagedProblem(problem, partial.find((p) => p.file === problem.file)))];
  if (problems.length > 0) return { services: [], problems, notOwned, warnings: loaded.warnings };
  const services = owned
    .map(({ spec, file }) => serviceModel(spec, file, settings))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { services, problems, notOwned, warnings: loaded.warnings };
}

/** A list entry path such as `slos[1]`, as semantic problems name them. */
const LIST_ENTRY = /\b(endpoints|slos|alerts)\[(\d+)\]/g;

/**
 * A semantic problem found in the valid parts of a declaration with shape
 * problems, as the user must read it: list indexes of the file, not of the
 * salvaged lists; nothing that only follows from a part left out (an
 * "unknown endpoint" when an endpoint entry was dropped, a missing route when
 * `alerting` was wrong, burn tiers when `tier` was wrong).
 */
export function salvagedProblem(problem: Problem, salvaged: SalvagedService | undefined): Problem[] {
  if (!salvaged) return [problem];
  const top = /^[^.[]+/.exec(problem.path)?.[0] ?? problem.path;
  if (salvaged.omitted.includes(top)) return [];
  if (salvaged.indexes.endpoints && /\.indicator\.uptime\.endpoint$/.test(problem.path)) return [];
  if (salvaged.omitted.includes("tier") && (/burn tier/.test(problem.message) || top === "alerting")) return [];
  const remap = (text: string) => text.replace(LIST_ENTRY, (whole, list: keyof SalvagedService["indexes"], index: string) => {
    const original = salvaged.indexes[list]?.[Number(index)];
    return original === undefined ? whole : `${list}[${original}]`;
  });
  return [{ ...problem, path: remap(problem.path), message: remap(problem.message) }];
}
