/**
 * One declaration on its own, outside a catalog: the shape check of contract
 * v1 and the semantic rules of validateService, with every problem at once.
 * Used where a declaration arrives as an object (component arguments) rather
 * than as a file in a services directory.
 */
import type { Problem } from "../contract/problems";
import { serviceSchema, type ServiceSpec } from "../contract/serviceSchema";
import { zodProblems } from "../contract/zodProblems";
import { validateService, type ServiceCheckSettings } from "./validate";

export function checkDeclaration(raw: unknown, file: string, settings: ServiceCheckSettings): { spec?: ServiceSpec; problems: Problem[] } {
  const parsed = serviceSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) return { problems: zodProblems(file, parsed.error.issues) };
  const problems = validateService(parsed.data, file, settings);
  return problems.length > 0 ? { problems } : { spec: parsed.data, problems };
}
