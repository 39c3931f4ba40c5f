/**
 * Field paths of contract v1 on both sides: the zod schema (walked through
 * zod 4's schema objects) and the component arguments in
 * components/declarationArgs.ts (read with the TypeScript parser, as Pulumi's
 * analyzer reads them), and how they must agree. test/contract/componentArgs.test.ts
 * says why.
 */
import ts from "typescript";
import { z } from "zod";

/** The interface whose fields are the declaration's, in components/declarationArgs.ts. */
export const ARGS_ROOT = "ServiceDeclarationArgs";

/** Contract fields the component takes another way: the version is implied, the resource name is the service name. */
export const NOT_ARGUMENTS: Record<string, string> = {
  apiVersion: "the component implies contract v1",
  name: "the resource name is the service name",
};

/** The sentence an Args doc comment adds for a field that takes another resource's output. */
export const INPUT_SENTENCE = "May be another resource's output.";

/** One field path and what either side says about it. */
export interface Field {
  /** `slos[].indicator.latency.threshold`: `[]` an array's items, `{}` a record's values. */
  path: string;
  optional: boolean;
  /** string, number, boolean, object, enum(a|b), literal(x), T[], record<T>. */
  type: string;
  /** The description or doc comment, whitespace normalised; undefined when there is none. */
  description?: string;
  /** A zod `.default()`, as JSON. */
  zodDefault?: string;
  /** Args only: the field's type is `pulumi.Input<…>`. */
  input?: boolean;
  /** Args only: JSDoc tags on the field (`@default` …), which the package schema would drop. */
  tags?: string[];
}

const normalise = (text: string): string => text.replace(/\s+/g, " ").trim();

// ---------------------------------------------------------------------------
// The contract: zod 4's schema objects.

interface ZodDef {
  type: string;
  innerType?: z.core.$ZodType;
  defaultValue?: unknown;
  shape?: Record<string, z.core.$ZodType>;
  element?: z.core.$ZodType;
  valueType?: z.core.$ZodType;
  options?: z.core.$ZodType[];
  entries?: Record<string, string | number>;
  values?: unknown[];
  in?: z.core.$ZodType;
}

const def = (schema: z.core.$ZodType): ZodDef => schema._zod.def as unknown as ZodDef;
const WRAPPERS = new Set(["optional", "default", "prefault", "nullable", "readonly", "nonoptional", "catch"]);

/** A field's schema without its wrappers, whether one made it optional, its description (outermost first) and default. */
function unwrap(schema: z.core.$ZodType): { inner: z.core.$ZodType; optional: boolean; description?: string; zodDefault?: string } {
  let current = schema;
  let optional = false;
  let description: string | undefined;
  let zodDefault: string | undefined;
  for (;;) {
    description ??= z.globalRegistry.get(current)?.description;
    const d = def(current);
    if (d.type === "optional" || d.type === "default" || d.type === "prefault") optional = true;
    if (d.type === "default" || d.type === "prefault") zodDefault = JSON.stringify(typeof d.defaultValue === "function" ? (d.defaultValue as () => unknown)() : d.defaultValue);
    if (WRAPPERS.has(d.type) && d.innerType) current = d.innerType;
    else if (d.type === "pipe" && d.in) current = d.in;
    else break;
  }
  return { inner: current, optional, ...(description !== undefined ? { description: normalise(description) } : {}), ...(zodDefault !== undefined ? { zodDefault } : {}) };
}

function zodType(schema: z.core.$ZodType): string {
  const { inner } = unwrap(schema);
  const d = def(inner);
  switch (d.type) {
    case "string":
    case "number":
    case "boolean":
    case "object":
      return d.type;
    case "enum":
      return `enum(${Object.values(d.entries ?? {}).join("|")})`;
    case "literal":
      return `literal(${(d.values ?? []).join("|")})`;
    case "array":
      return `${zodType(d.element!)}[]`;
    case "record":
      return `record<${zodType(d.valueType!)}>`;
    case "union":
      return (d.options ?? []).map(zodType).join(" | ");
    default:
      return `unsupported(${d.type})`;
  }
}

/** Every field path of a zod object, depth first, in declaration order. */
export function contractFields(schema: z.core.$ZodType, prefix = ""): Field[] {
  const shape = def(unwrap(schema).inner).shape ?? {};
  return Object.entries(shape).flatMap(([key, field]) => {
    const at = prefix ? `${prefix}.${key}` : key;
    const { inner, optional, description, zodDefault } = unwrap(field);
    const own: Field = { path: at, optional, type: zodType(field), ...(description !== undefined ? { description } : {}), ...(zodDefault !== undefined ? { zodDefault } : {}) };
    return [own, ...nestedContractFields(inner, at)];
  });
}

function nestedContractFields(schema: z.core.$ZodType, at: string): Field[] {
  const d = def(schema);
  if (d.type === "object") return contractFields(schema, at);
  if (d.type === "array") return nestedContractFields(unwrap(d.element!).inner, `${at}[]`);
  if (d.type === "record") return nestedContractFields(unwrap(d.valueType!).inner, `${at}{}`);
  if (d.type === "union") return (d.options ?? []).flatMap((option) => nestedContractFields(unwrap(option).inner, at));
  return [];
}

// ---------------------------------------------------------------------------
// The component arguments: the interfaces in components/declarationArgs.ts, read with the TypeScript parser.

export interface Declarations {
  interfaces: Map<string, ts.InterfaceDeclaration>;
  aliases: Map<string, ts.TypeAliasDeclaration>;
  constants: Map<string, ts.Expression>;
}

export function declarations(source: ts.SourceFile): Declarations {
  const found: Declarations = { interfaces: new Map(), aliases: new Map(), constants: new Map() };
  for (const statement of source.statements) {
    if (ts.isInterfaceDeclaration(statement)) found.interfaces.set(statement.name.text, statement);
    else if (ts.isTypeAliasDeclaration(statement)) found.aliases.set(statement.name.text, statement);
    else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.initializer) found.constants.set(declaration.name.text, declaration.initializer);
      }
    }
  }
  return found;
}

/** The values of an enum written as `const E = { A: "a", … } as const; type E = (typeof E)[keyof typeof E]`. */
function constEnumValues(name: string, found: Declarations): string[] | undefined {
  let initializer = found.constants.get(name);
  while (initializer && (ts.isAsExpression(initializer) || ts.isParenthesizedExpression(initializer) || ts.isSatisfiesExpression(initializer))) initializer = initializer.expression;
  if (!initializer || !ts.isObjectLiteralExpression(initializer)) return undefined;
  return initializer.properties.map((property) => (ts.isPropertyAssignment(property) && ts.isStringLiteral(property.initializer) ? property.initializer.text : "?"));
}

interface Resolved {
  type: string;
  input: boolean;
  /** The members of the object type, when it is one. */
  members?: readonly ts.TypeElement[];
  /** Where an array's items or a record's values are objects: the suffix of their path. */
  nested?: { suffix: string; members: readonly ts.TypeElement[] };
}

function resolve(node: ts.TypeNode, found: Declarations, source: ts.SourceFile): Resolved {
  const plain = (type: string): Resolved => ({ type, input: false });
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword:
      return plain("string");
    case ts.SyntaxKind.NumberKeyword:
      return plain("number");
    case ts.SyntaxKind.BooleanKeyword:
      return plain("boolean");
  }
  if (ts.isParenthesizedTypeNode(node)) return resolve(node.type, found, source);
  if (ts.isTypeLiteralNode(node)) return { type: "object", input: false, members: node.members };
  if (ts.isArrayTypeNode(node)) return arrayOf(resolve(node.elementType, found, source));
  if (ts.isTypeReferenceNode(node)) {
    const name = node.typeName.getText(source);
    const [first, second] = node.typeArguments ?? [];
    if (name === "pulumi.Input" && first) return { ...resolve(first, found, source), input: true };
    if ((name === "Array" || name === "ReadonlyArray") && first) return arrayOf(resolve(first, found, source));
    if (name === "Record" && first && second && first.kind === ts.SyntaxKind.StringKeyword) {
      const value = resolve(second, found, source);
      const nested = value.members ? { suffix: "{}", members: value.members } : undefined;
      return { type: `record<${value.type}>`, input: false, ...(nested ? { nested } : {}) };
    }
    const members = interfaceMembers(name, found, source);
    if (members) return { type: "object", input: false, members };
    const enumValues = found.aliases.has(name) ? constEnumValues(name, found) : undefined;
    if (enumValues) return plain(`enum(${enumValues.join("|")})`);
    const alias = found.aliases.get(name);
    if (alias) return resolve(alias.type, found, source);
  }
  return plain(`unsupported(${node.getText(source)})`);
}

function arrayOf(item: Resolved): Resolved {
  const nested = item.members ? { suffix: "[]", members: item.members } : item.nested ? { suffix: `[]${item.nested.suffix}`, members: item.nested.members } : undefined;
  return { type: `${item.type}[]`, input: false, ...(nested ? { nested } : {}) };
}

/** The members of an interface declared in the file, those of the interfaces it extends first. */
function interfaceMembers(name: string, found: Declarations, source: ts.SourceFile): readonly ts.TypeElement[] | undefined {
  const declared = found.interfaces.get(name);
  if (!declared) return undefined;
  const inherited = (declared.heritageClauses ?? []).flatMap((clause) => clause.types.flatMap((base) => interfaceMembers(base.expression.getText(source), found, source) ?? []));
  return [...inherited, ...declared.members];
}

/** Every field path of an interface in `sourceText` (a declarationArgs.ts), depth first. */
export function argsFields(sourceText: string, root = ARGS_ROOT): Field[] {
  const source = ts.createSourceFile("declarationArgs.ts", sourceText, ts.ScriptTarget.ES2022, true);
  const found = declarations(source);
  const rootMembers = interfaceMembers(root, found, source);
  if (!rootMembers) throw new Error(`no interface ${root}`);
  const walk = (members: readonly ts.TypeElement[], prefix: string): Field[] =>
    members.flatMap((member) => {
      if (!ts.isPropertySignature(member) || !member.type) return [];
      const at = prefix ? `${prefix}.${member.name.getText(source)}` : member.name.getText(source);
      const resolved = resolve(member.type, found, source);
      const docs = ts.getJSDocCommentsAndTags(member).filter(ts.isJSDoc);
      const text = docs.map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? "").join("\n");
      const tags = docs.flatMap((doc) => (doc.tags ?? []).map((tag) => `@${tag.tagName.text}`));
      const own: Field = {
        path: at,
        optional: member.questionToken !== undefined,
        type: resolved.type,
        input: resolved.input,
        ...(normalise(text) ? { description: normalise(text) } : {}),
        ...(tags.length ? { tags } : {}),
      };
      const nested = resolved.members ? walk(resolved.members, at) : resolved.nested ? walk(resolved.nested.members, `${at}${resolved.nested.suffix}`) : [];
      return [own, ...nested];
    });
  return walk(rootMembers, "");
}

// ---------------------------------------------------------------------------
// The comparison.

/** A description split into its meaning and its closing sentences. */
export interface Description {
  meaning: string;
  required: boolean;
  default?: string;
  input: boolean;
}

export function parseDescription(text: string): Description {
  let rest = text;
  let required = false;
  let defaultText: string | undefined;
  if (rest === "Required." || rest.endsWith(" Required.")) {
    required = true;
    rest = rest.slice(0, -"Required.".length).trimEnd();
  } else {
    const at = rest.lastIndexOf("Default: ");
    if (at === 0 || (at > 0 && /[.)!]\s$/.test(rest.slice(0, at)))) {
      defaultText = rest.slice(at + "Default: ".length).replace(/\.$/, "");
      rest = rest.slice(0, at).trimEnd();
    }
  }
  const input = rest === INPUT_SENTENCE || rest.endsWith(` ${INPUT_SENTENCE}`);
  if (input) rest = rest.slice(0, -INPUT_SENTENCE.length).trimEnd();
  return { meaning: rest, required, input, ...(defaultText !== undefined ? { default: defaultText } : {}) };
}

/** The Args doc comment a contract description and a field's Input-ness give. */
export function expectedDoc(contract: string, input: boolean): string {
  const parsed = parseDescription(contract);
  const closing = parsed.required ? "Required." : parsed.default !== undefined ? `Default: ${parsed.default}.` : "";
  return [parsed.meaning, input ? INPUT_SENTENCE : "", closing].filter(Boolean).join(" ");
}

/** An Args field may be a string where the contract lists the strings (the loader still checks them). */
function typesAgree(contract: string, args: string): boolean {
  return contract === args || contract.replace(/enum\([^)]*\)/g, "string") === args;
}

/** Whether a contract field is written as the source must be: described, `Required.` exactly when required. */
export function contractProblems(fields: readonly Field[]): string[] {
  return fields.flatMap((field) => {
    if (field.description === undefined) return [`${field.path}: no description in the contract`];
    const parsed = parseDescription(field.description);
    const problems: string[] = [];
    if (!field.optional && !parsed.required) problems.push(`${field.path}: required in the contract, but its description does not end "Required."`);
    if (field.optional && parsed.required) problems.push(`${field.path}: optional in the contract, but its description ends "Required."`);
    if (parsed.input) problems.push(`${field.path}: the contract's description says "${INPUT_SENTENCE}", which only the component Args add`);
    if (field.zodDefault !== undefined && parsed.default !== undefined && parsed.default !== field.zodDefault) {
      problems.push(`${field.path}: the contract's description says Default: ${parsed.default}, its zod default is ${field.zodDefault}`);
    }
    return problems;
  });
}

/** Every difference between the contract's fields and the component Args' fields, one line each, naming the path. */
export function compareFields(contract: readonly Field[], args: readonly Field[]): string[] {
  const problems: string[] = [];
  const argsByPath = new Map(args.map((field) => [field.path, field]));
  const excluded = (p: string) => Object.keys(NOT_ARGUMENTS).some((name) => p === name || p.startsWith(`${name}.`) || p.startsWith(`${name}[`) || p.startsWith(`${name}{`));
  for (const field of contract) {
    const got = argsByPath.get(field.path);
    if (excluded(field.path)) {
      if (got) problems.push(`${field.path}: a component argument, but the component takes it another way (${NOT_ARGUMENTS[field.path] ?? "see NOT_ARGUMENTS"})`);
      continue;
    }
    if (!got) {
      problems.push(`${field.path}: in the contract, missing from the component Args`);
      continue;
    }
    if (field.optional !== got.optional) problems.push(`${field.path}: ${got.optional ? "optional" : "required"} in the component Args, ${field.optional ? "optional" : "required"} in the contract`);
    if (!typesAgree(field.type, got.type)) problems.push(`${field.path}: type ${got.type} in the component Args, ${field.type} in the contract`);
    if (got.tags) problems.push(`${field.path}: JSDoc tags ${got.tags.join(", ")} in the component Args; the package schema drops tags, write "Default: …" in the comment`);
    if (got.description === undefined) {
      problems.push(`${field.path}: no doc comment in the component Args`);
      continue;
    }
    if (field.description === undefined) continue; // contractProblems names it
    const want = parseDescription(field.description);
    const have = parseDescription(got.description);
    const contractDefault = want.default ?? field.zodDefault;
    if (contractDefault !== have.default) problems.push(`${field.path}: default ${have.default === undefined ? "none stated" : JSON.stringify(have.default)} in the component Args, ${contractDefault === undefined ? "none stated" : JSON.stringify(contractDefault)} in the contract`);
    if (want.required !== have.required) problems.push(`${field.path}: the component Args' comment ${have.required ? "ends" : "does not end"} "Required.", the contract's ${want.required ? "does" : "does not"}`);
    if (have.input !== (got.input ?? false)) {
      problems.push(`${field.path}: ${got.input ? `takes another resource's output, but its doc comment does not say "${INPUT_SENTENCE}"` : `its doc comment says "${INPUT_SENTENCE}", but it takes a plain value`}`);
    }
    if (want.meaning !== have.meaning) problems.push(`${field.path}: description differs\n  contract:       ${want.meaning}\n  component Args: ${have.meaning}`);
  }
  const contractPaths = new Set(contract.map((field) => field.path));
  for (const field of args) if (!contractPaths.has(field.path)) problems.push(`${field.path}: in the component Args, not in the contract`);
  return problems;
}
