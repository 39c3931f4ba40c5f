/**
 * One declaration on its own, outside a catalog: the shape check of contract
 * v1 and the semantic rules of validateService in one pass, as loadCatalog
 * runs them on a file (the valid parts of a declaration with shape problems
 * are cross-checked too). Used where a declaration arrives as an object
 * (component arguments) rather than as a file in a services directory.
 */
import { parseDeclaration } from "../contract/load";
import type { Problem } from "../contract/problems";
import type { ServiceSpec } from "../contract/serviceSchema";
import { salvagedProblem } from "./loadCatalog";
import { validateService, type ServiceCheckSettings } from "./validate";

export function checkDeclaration(raw: unknown, file: string, settings: ServiceCheckSettings): { spec?: ServiceSpec; problems: Problem[] } {
  const { service, partial, problems } = parseDeclaration(raw, file);
  const checked = service ?? partial;
  const semantic = checked ? validateService(checked.spec, file, settings).flatMap((problem) => salvagedProblem(problem, partial)) : [];
  const all = [...problems, ...semantic];
  return service && all.length === 0 ? { spec: service.spec, problems: all } : { problems: all };
}
