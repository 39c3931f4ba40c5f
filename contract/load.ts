/**
 * Reads service declarations from files and directories: YAML (`*.yaml`,
 * `*.yml`) and TypeScript modules whose default export is a defineService()
 * result. Every file is checked against contract v1; every problem in every
 * file is collected before anything is returned.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { parseAllDocuments, type ErrorCode } from "yaml";
import { alertRuleSchema, endpointSchema, serviceSchema, sloSchema, type ServiceSpec } from "./serviceSchema";
import type { Problem } from "./problems";
import { zodProblems } from "./zodProblems";

export interface LoadedService {
  /** File the declaration came from, relative to the working directory. */
  file: string;
  spec: ServiceSpec;
}

/**
 * What can still be checked in a declaration whose shape is wrong: the parts
 * that are right. Cross-reference checks run on it so one pass reports every
 * problem; the shape problems themselves are in `problems`.
 */
export interface SalvagedService extends LoadedService {
  /** Top-level fields left out because their own shape is wrong. */
  omitted: string[];
  /** Per list field that lost entries: for each kept entry, its index in the file. */
  indexes: Partial<Record<SalvagedList, number[]>>;
}

export interface LoadResult {
  services: LoadedService[];
  problems: Problem[];
  /** Declarations with shape problems, reduced to their valid parts (see SalvagedService). */
  partial: SalvagedService[];
  /** Not wrong, but worth knowing: an empty directory, files skipped. */
  warnings: Problem[];
}

/** Fields without which nothing else in a declaration can be checked. */
const CORE_FIELDS = ["apiVersion", "name", "team", "runtime"] as const;
/** Lists whose valid entries are kept when others are wrong. */
const LISTS = { endpoints: endpointSchema, slos: sloSchema, alerts: alertRuleSchema } as const;
export type SalvagedList = keyof typeof LISTS;

/**
 * The valid parts of a declaration that failed the shape check: every
 * top-level field that passes its own schema, and the valid entries of the
 * endpoint, SLO and alert lists. Undefined when a core field (apiVersion,
 * name, team, runtime) is wrong: then nothing else can be checked.
 */
export function salvageSpec(raw: unknown): Omit<SalvagedService, "file"> | undefined {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return undefined;
  const input = raw as Record<string, unknown>;
  const spec: Record<string, unknown> = {};
  const omitted: string[] = [];
  const indexes: Partial<Record<SalvagedList, number[]>> = {};
  for (const [key, schema] of Object.entries(serviceSchema.shape)) {
    const value = input[key];
    if (value === undefined) continue;
    const parsed = schema.safeParse(value);
    if (parsed.success) {
      spec[key] = parsed.data;
      continue;
    }
    if (key in LISTS && Array.isArray(value)) {
      const item = LISTS[key as SalvagedList];
      const kept: unknown[] = [];
      const at: number[] = [];
      value.forEach((entry, index) => {
        const one = item.safeParse(entry);
        if (one.success) {
          kept.push(one.data);
          at.push(index);
        }
      });
      spec[key] = kept;
      indexes[key as SalvagedList] = at;
      continue;
    }
    if ((CORE_FIELDS as readonly string[]).includes(key)) return undefined;
    omitted.push(key);
  }
  if (CORE_FIELDS.some((key) => !(key in spec))) return undefined;
  return { spec: spec as ServiceSpec, omitted, indexes };
}

const DECLARATION_FILE = /\.(ya?ml|ts)$/;
const NOT_A_DECLARATION = /\.(d|test|spec)\.ts$/;

/** Lists declaration files under the given paths, sorted so that loading order never depends on the file system. */
export function declarationFiles(paths: readonly string[]): { files: string[]; problems: Problem[]; warnings: Problem[] } {
  const files: string[] = [];
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  for (const given of paths) {
    let stat;
    try {
      stat = statSync(given);
    } catch {
      problems.push({ file: displayPath(given), path: "(file)", message: "not found (expected a declaration file or a directory of them)" });
      continue;
    }
    if (stat.isDirectory()) {
      const before = files.length;
      for (const entry of readdirSync(given).sort()) {
        if (DECLARATION_FILE.test(entry) && !NOT_A_DECLARATION.test(entry)) files.push(path.join(given, entry));
        else if (!NOT_A_DECLARATION.test(entry) && !/^\.|\.md$/i.test(entry) && statSync(path.join(given, entry)).isFile()) {
          warnings.push({ file: displayPath(path.join(given, entry)), path: "(file)", message: "skipped (not a declaration: expected .yaml, .yml or .ts)" });
        }
      }
      if (files.length === before) warnings.push({ file: displayPath(given), path: "(dir)", message: "no service declarations (expected .yaml, .yml or .ts files)" });
    } else {
      files.push(given);
    }
  }
  return { files, problems, warnings };
}

/** Parses and shape-checks every declaration under `paths`. */
export async function loadServices(paths: readonly string[]): Promise<LoadResult> {
  const { files, problems, warnings } = declarationFiles(paths);
  const services: LoadedService[] = [];
  const partial: SalvagedService[] = [];
  for (const file of files) {
    const shown = displayPath(file);
    const raw = await readDeclaration(file, shown, problems);
    if (raw === undefined) continue;
    const parsed = parseDeclaration(raw, shown);
    if (parsed.service) services.push(parsed.service);
    if (parsed.partial) partial.push(parsed.partial);
    problems.push(...parsed.problems);
  }
  return { services, problems, partial, warnings };
}

/**
 * One declaration's shape check: the declaration when it passes; otherwise
 * its shape problems and, where a core field is right, its valid parts for
 * the cross-reference checks (see SalvagedService).
 */
export function parseDeclaration(raw: unknown, shown: string): { service?: LoadedService; partial?: SalvagedService; problems: Problem[] } {
  const parsed = serviceSchema.safeParse(raw, { reportInput: true });
  if (parsed.success) return { service: { file: shown, spec: parsed.data }, problems: [] };
  const salvaged = salvageSpec(raw);
  return { ...(salvaged ? { partial: { file: shown, ...salvaged } } : {}), problems: zodProblems(shown, parsed.error.issues) };
}

/** Our wording for the YAML parser's error codes; anything else reads "not well-formed". */
const YAML_ERRORS: Partial<Record<ErrorCode, string>> = {
  DUPLICATE_KEY: "duplicate key: keys must be unique in a mapping",
  TAB_AS_INDENT: "a tab used for indentation (YAML indents with spaces)",
  BAD_INDENT: "bad indentation",
  MISSING_CHAR: "a bracket or quote left open",
  UNEXPECTED_TOKEN: "an unexpected character",
  BLOCK_AS_IMPLICIT_KEY: "a value not indented under its key, or a key missing its colon",
  MULTILINE_IMPLICIT_KEY: "a key spanning several lines (a missing colon or quote?)",
  BAD_SCALAR_START: "a plain value starting with a reserved character (quote it)",
  BAD_DQ_ESCAPE: "an invalid escape in a double-quoted string",
  BLOCK_IN_FLOW: "a block inside [ ] or { }",
  BAD_ALIAS: "an alias to an unknown anchor",
  KEY_OVER_1024_CHARS: "a key longer than 1024 characters",
};

/**
 * Parses one YAML document; syntax errors, an empty file and several
 * documents in one file become problems in our own wording.
 */
export function parseYaml(text: string, shown: string, problems: Problem[]): unknown {
  const documents = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: true });
  const all = Array.isArray(documents) ? documents : [documents];
  const errors = all.flatMap((document) => document.errors);
  if (errors.length > 0) {
    for (const error of errors) {
      const where = error.linePos?.[0];
      const what = YAML_ERRORS[error.code] ?? "not well-formed";
      problems.push({
        file: shown,
        path: "(yaml)",
        message: `invalid YAML: ${what} (${where ? `at line ${where.line}, column ${where.col}; ` : ""}expected well-formed YAML with unique keys)`,
      });
    }
    return undefined;
  }
  const filled = all.filter((document) => document.contents !== null);
  if (filled.length === 0) {
    problems.push({ file: shown, path: "(file)", message: "empty file (got no YAML content, expected one mapping of fields)" });
    return undefined;
  }
  if (filled.length > 1) {
    const line = lineOf(text, filled[1]!.range[0]);
    problems.push({ file: shown, path: "(file)", message: `several YAML documents (got ${filled.length}, the second starting at line ${line}; expected one declaration per file)` });
    return undefined;
  }
  return filled[0]!.toJS();
}

/** 1-based line of a character offset. */
function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split("\n").length;
}

async function readDeclaration(file: string, shown: string, problems: Problem[]): Promise<unknown> {
  if (file.endsWith(".ts")) return importDeclaration(file, shown, problems);
  if (!/\.ya?ml$/.test(file)) {
    problems.push({ file: shown, path: "(file)", message: "unsupported file type (expected .yaml, .yml or .ts)" });
    return undefined;
  }
  return parseYaml(readFileSync(file, "utf8"), shown, problems);
}

async function importDeclaration(file: string, shown: string, problems: Problem[]): Promise<unknown> {
  let loaded: unknown;
  try {
    loaded = await import(path.resolve(file));
  } catch (error) {
    problems.push({ file: shown, path: "(module)", message: `could not be loaded (got error: ${loadError(error)}, expected a module that loads and exports defineService({ ... }) as default)` });
    return undefined;
  }
  const value = unwrapDefault(loaded);
  if (value === undefined) {
    problems.push({ file: shown, path: "(module)", message: "no default export (expected export default defineService({ ... }))" });
  }
  return value;
}

/** One line about why a module did not load: a syntax error's position and text, else the error's first line. */
export function loadError(error: unknown): string {
  const first = (error as { errors?: Array<{ text?: string; location?: { line: number; column: number } }> }).errors?.[0];
  if (first?.text) return first.location ? `line ${first.location.line}:${first.location.column}: ${first.text}` : first.text;
  const lines = (error instanceof Error ? error.message : String(error)).split("\n");
  const located = lines.map((line) => /:(\d+):(\d+): ERROR: (.*)$/.exec(line)).find((match) => match !== null);
  return located ? `line ${located[1]}:${located[2]}: ${located[3]}` : (lines[0] ?? "");
}

/** CommonJS and ESM loaders wrap a default export differently; find the declaration under either. */
function unwrapDefault(moduleValue: unknown): unknown {
  let value: unknown = moduleValue;
  for (let depth = 0; depth < 3; depth++) {
    if (typeof value === "object" && value !== null && "default" in value) {
      value = (value as { default: unknown }).default;
    } else {
      break;
    }
  }
  return value === moduleValue ? undefined : value;
}

export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), path.resolve(file));
  return relative.startsWith("..") ? path.resolve(file) : relative;
}
