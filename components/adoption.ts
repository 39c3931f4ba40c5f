/**
 * Adoption: resources that already exist in the project are taken over
 * instead of created again. The stack config maps a resource name of this
 * program to the provider's import id (`monitoring-stack:adopt`); the
 * top-level components carry a transformation that gives each such resource
 * the `import` option, so `pulumi preview` shows `= import` (and `~ update`
 * where our inputs differ) instead of `+ create`.
 *
 * Adopted resources also get `retainOnDelete`: they were the team's before
 * the stack existed, so removing one from the program, or destroying the
 * stack, leaves it where it was found rather than deleting it.
 *
 * A transformation (the `transformations` option, inherited by every child)
 * rather than the newer `transforms`, which run through the engine's callback
 * service: the offline plan's mock runtime offers none, and the same program
 * must run in both.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Problem } from "../contract/problems";
import { NAMESPACE } from "../contract/stackConfig";
import { closest } from "../contract/fields";
import { ADOPTABLE, importIdProblem } from "../model/importIds";

export interface Adoption {
  /** Give to the top-level components' `transformations`. */
  readonly transformation: pulumi.ResourceTransformation;
  /**
   * What is wrong with the ids before any resource is registered: an id of no adoptable kind, or of another
   * project. Checked first, so that `pulumi up` refuses before anything is created.
   */
  preflight(file: string): Problem[];
  /**
   * What is wrong with the adoption config once every resource is registered: ids of the wrong shape or
   * project, and names no resource of the program has.
   */
  problems(file: string): Problem[];
}

export function adoption(ids: Readonly<Record<string, string>>, project: string): Adoption {
  const seen = new Set<string>();
  const found: Problem[] = [];
  const path = (name: string) => `${NAMESPACE}:adopt.${name}`;
  const transformation: pulumi.ResourceTransformation = (args) => {
    seen.add(args.name);
    const id = Object.prototype.hasOwnProperty.call(ids, args.name) ? ids[args.name] : undefined;
    if (id === undefined) return undefined;
    const problem = importIdProblem(args.type, id, project);
    if (problem) {
      found.push({ file: "", path: path(args.name), message: `invalid value (got ${JSON.stringify(id)}, ${problem})` });
      return undefined;
    }
    return { props: args.props, opts: { ...args.opts, import: id, retainOnDelete: true } };
  };
  return {
    transformation,
    preflight(file) {
      return Object.entries(ids).flatMap(([name, id]): Problem[] => {
        const kinds = Object.keys(ADOPTABLE).filter((type) => ADOPTABLE[type]!.pattern.test(id));
        if (kinds.length === 0) {
          const formats = Object.values(ADOPTABLE).map((kind) => `${kind.label} ${kind.format}`).join("; ");
          return [{ file, path: path(name), message: `invalid value (got ${JSON.stringify(id)}, expected an import id: ${formats})` }];
        }
        const problem = importIdProblem(kinds[0]!, id, project);
        return problem ? [{ file, path: path(name), message: `invalid value (got ${JSON.stringify(id)}, ${problem})` }] : [];
      });
    },
    problems(file) {
      const known = [...seen].sort();
      const unknown = Object.keys(ids)
        .filter((name) => !seen.has(name))
        .sort()
        .map((name): Problem => {
          const guess = closest(name, known);
          return { file, path: path(name), message: `no resource of this stack has that name (got ${JSON.stringify(name)}${guess ? `, did you mean ${JSON.stringify(guess)}?` : ""}; expected a name npm run adopt wrote, for a resource the stack still declares)` };
        });
      return [...found.map((problem) => ({ ...problem, file })), ...unknown];
    },
  };
}
