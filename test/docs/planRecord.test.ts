/**
 * docs/plan-record.md lists exactly the fields of plan.json, as the types
 * `npm run plan` writes it with declare them (PlanDocument and every type
 * under it, read with TypeScript's own checker), and its changelog names
 * only fields that exist, and every field a plan may lack.
 */
import * as path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, readDoc } from "../support/markdown";
import { codeSpans, sectionsAt, tableRows } from "./sections";

const PAGE = "docs/plan-record.md";

interface Field {
  path: string;
  optional: boolean;
}

/**
 * Every field path under PlanDocument: `a.b`, `list[].x` for a list's
 * elements, `map.<*>.x` for a mapping's values. Values of unknown or any type
 * (a resource's inputs) are not looked into.
 */
export function planFields(): Field[] {
  const file = path.join(REPO_ROOT, "plan/runPlan.ts");
  const program = ts.createProgram([file], { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, skipLibCheck: true, noEmit: true, types: ["node"] });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file)!;
  const declaration = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === "PlanDocument");
  if (!declaration) throw new Error("no interface PlanDocument in plan/runPlan.ts");
  const fields: Field[] = [];
  const walk = (type: ts.Type, at: string, depth: number): void => {
    if (depth > 10) throw new Error(`${at}: nested too deep (a recursive type?)`);
    const value = checker.getNonNullableType(type);
    if (value.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return;
    if (checker.isArrayType(value)) return walk(checker.getTypeArguments(value as ts.TypeReference)[0]!, `${at}[]`, depth + 1);
    if (!(value.flags & ts.TypeFlags.Object)) return;
    for (const property of checker.getPropertiesOfType(value)) {
      const child = at ? `${at}.${property.name}` : property.name;
      const propertyType = checker.getTypeOfSymbol(property);
      // The checker's error type: an import it could not resolve, which would hide the fields under it.
      if ((propertyType as { intrinsicName?: string }).intrinsicName === "error") throw new Error(`${child}: type not resolved`);
      fields.push({ path: child, optional: (property.flags & ts.SymbolFlags.Optional) !== 0 });
      walk(propertyType, child, depth + 1);
    }
    for (const index of checker.getIndexInfosOfType(value)) {
      const before = fields.length;
      walk(index.type, `${at}.<*>`, depth + 1);
      if (fields.length > before) fields.splice(before, 0, { path: `${at}.<*>`, optional: false });
    }
  };
  walk(checker.getTypeAtLocation(declaration), "", 0);
  return fields;
}

/** A field path as the page writes it, placeholders (`<service>`) made generic. */
const generic = (text: string) => text.replace(/<[^>]+>/g, "<*>");

const page = readDoc(PAGE);
const sections = sectionsAt(page, 2);
const fields = planFields();
const known = new Set(fields.map((f) => f.path));
const looksLikeField = (span: string) => /^[a-z][A-Za-z]*(\[\]|\.<[^>]+>|\.[a-z][A-Za-z]*)*$/.test(span) && known.has(generic(span).split(/[.[]/)[0]!);

describe(PAGE, () => {
  it("reads the fields of plan.json from the types", () => {
    expect(fields.length).toBeGreaterThan(40);
    expect(known).toContain("services[].slos[].tiers[].detectionMinutes");
    expect(known).toContain("usage.services.<*>.logBucket");
    expect(known.has("resources[].inputs.<*>")).toBe(false);
  });

  it("lists every field of plan.json once, in its Fields table, and no field that does not exist", () => {
    const listed = tableRows(sections.get("Fields") ?? "").map((cells) => generic(codeSpans(cells[0] ?? "")[0] ?? cells[0] ?? ""));
    expect(listed.filter((field, i) => listed.indexOf(field) !== i), "listed twice").toEqual([]);
    expect({ missingFromPage: [...known].filter((f) => !listed.includes(f)), notInPlanJson: listed.filter((f) => !known.has(f)) }).toEqual({ missingFromPage: [], notInPlanJson: [] });
  });

  it("names, in Changes, only fields that exist, and every field a plan may lack", () => {
    const changes = sections.get("Changes") ?? "";
    const named = codeSpans(changes).filter(looksLikeField).map(generic);
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((f) => !known.has(f)), "named in Changes but not a field of plan.json").toEqual([]);
    const optional = fields.filter((f) => f.optional).map((f) => f.path);
    expect(optional.filter((f) => !named.includes(f)), "optional fields (absent from some plans) the changelog does not name").toEqual([]);
  });
});
