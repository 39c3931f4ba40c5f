/**
 * The at-risk tables of plan/dataAtRisk.ts cover every resource the
 * components create: each field of the providers' input types (read from
 * their declaration files, nested types included) whose name says it decides
 * how long data is kept, whether it is locked, protected or deleted, or what
 * is excluded or disabled, is classified there — as a change that can lose
 * something, or as harmless with the reason. A provider upgrade that adds
 * such a field, or a component that creates a new kind of resource, fails
 * here until the field is classified. Then: the rules read the values a
 * reviewer must see, before and after.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { describe, expect, it } from "vitest";
import { EVERY_KIND, FIELD_RISKS, fieldClass, fieldLosses, removal } from "../../plan/dataAtRisk";
import { REPO_ROOT } from "../support/declarations";

/** Words of a field name that make it retention-like. */
const RETENTION_WORDS = new Set(
  "retention retain retained expiration expire expires expiry ttl lifecycle lock locked deletion delete deleted destroy protect protection protected pitr soft versioning versioned exclusion exclusions exclude excluded disabled age keep purge archive recovery".split(" "),
);
const words = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase().split(/[^a-z0-9]+/);
export const retentionLike = (name: string) => words(name).some((word) => RETENTION_WORDS.has(word));

const PROVIDER_PACKAGES = ["@pulumi/gcp", "@pulumi/kubernetes", "@pulumiverse/grafana"];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : name.endsWith(".ts") ? [full] : [];
  });
}

/** `new gcp.logging.ProjectBucketConfig(...)` and the like in components/: package and the class's path in it. */
function createdClasses(): { pkg: string; path: string[]; at: string }[] {
  const found = new Map<string, { pkg: string; path: string[]; at: string }>();
  for (const file of sourceFiles(path.join(REPO_ROOT, "components"))) {
    const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    const namespaces = new Map<string, string>();
    for (const statement of source.statements) {
      const bindings = ts.isImportDeclaration(statement) ? statement.importClause?.namedBindings : undefined;
      if (bindings && ts.isNamespaceImport(bindings)) namespaces.set(bindings.name.text, (statement as ts.ImportDeclaration).moduleSpecifier.getText(source).slice(1, -1));
    }
    const visit = (node: ts.Node) => {
      if (ts.isNewExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
        const [head, ...rest] = node.expression.getText(source).split(".");
        const pkg = namespaces.get(head!);
        if (pkg && PROVIDER_PACKAGES.includes(pkg)) found.set(`${pkg} ${rest.join(".")}`, { pkg, path: rest, at: path.relative(REPO_ROOT, file) });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return [...found.values()];
}

type Members = Map<string, string>;

function members(node: ts.InterfaceDeclaration, source: ts.SourceFile): Members {
  const out: Members = new Map();
  for (const member of node.members) if (ts.isPropertySignature(member) && member.type) out.set(member.name.getText(source).replace(/"/g, ""), member.type.getText(source));
  return out;
}

const inputTypes = new Map<string, Map<string, Members>>();
/** Every interface of a package's types/input.d.ts, by namespace path ("logging.ProjectSinkExclusion"). */
function packageInputs(pkg: string): Map<string, Members> {
  const cached = inputTypes.get(pkg);
  if (cached) return cached;
  const file = path.join(REPO_ROOT, "node_modules", pkg, "types", "input.d.ts");
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const index = new Map<string, Members>();
  const walk = (node: ts.Node, namespace: string[]): void => {
    if (ts.isModuleDeclaration(node)) {
      const inner = [...namespace, node.name.getText(source)];
      if (node.body && ts.isModuleDeclaration(node.body)) return walk(node.body, inner);
      if (node.body) ts.forEachChild(node.body, (child) => walk(child, inner));
      return;
    }
    if (ts.isInterfaceDeclaration(node)) {
      index.set([...namespace, node.name.text].join("."), members(node, source));
      return;
    }
    ts.forEachChild(node, (child) => walk(child, namespace));
  };
  walk(source, []);
  inputTypes.set(pkg, index);
  return index;
}

interface CreatedKind {
  type: string;
  at: string;
  /** Every input field path, nested types followed (to depth 5, no type twice on one path). */
  fields: string[];
}

/** The plan's type token of a class: its __pulumiType, providers as pulumi:providers:<package>. */
function typeToken(pkg: string, classPath: string[]): string {
  const cls = classPath.reduce<Record<string, unknown>>((value, key) => value[key] as Record<string, unknown>, require(path.join(REPO_ROOT, "node_modules", pkg)) as Record<string, unknown>);
  const token = cls["__pulumiType"];
  if (classPath.at(-1) === "Provider") return `pulumi:providers:${String(token)}`;
  // CustomResource takes its type from the object it is given.
  return typeof token === "string" ? token : `${pkg.split("/")[1]}:${classPath.join(".")}`;
}

function createdKinds(): CreatedKind[] {
  return createdClasses().map(({ pkg, path: classPath, at }) => {
    const name = classPath.at(-1)!;
    const dir = path.join(REPO_ROOT, "node_modules", pkg, ...classPath.slice(0, -1));
    const file = readdirSync(dir).find((entry) => entry.toLowerCase() === `${name.toLowerCase()}.d.ts`);
    if (!file) throw new Error(`${at}: no declaration file for ${pkg} ${classPath.join(".")} in ${dir}`);
    const source = ts.createSourceFile(file, readFileSync(path.join(dir, file), "utf8"), ts.ScriptTarget.Latest, true);
    const args = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === `${name}Args`);
    if (!args) throw new Error(`${at}: no interface ${name}Args in ${file}`);
    const index = packageInputs(pkg);
    const fields: string[] = [];
    const walk = (of: Members, prefix: string, depth: number, seen: ReadonlySet<string>) => {
      for (const [field, type] of of) {
        const dotted = prefix ? `${prefix}.${field}` : field;
        fields.push(dotted);
        if (depth >= 5) continue;
        for (const ref of type.matchAll(/inputs\.([\w.]+)/g)) {
          const nested = index.get(ref[1]!);
          if (nested && !seen.has(ref[1]!)) walk(nested, dotted, depth + 1, new Set([...seen, ref[1]!]));
        }
      }
    };
    walk(members(args, source), "", 0, new Set());
    return { type: typeToken(pkg, classPath), at, fields };
  });
}

const kinds = createdKinds();

describe("the at-risk tables", () => {
  it("find the resources the components create in the providers' declarations", () => {
    const types = kinds.map((k) => k.type);
    for (const type of ["gcp:logging/projectBucketConfig:ProjectBucketConfig", "gcp:storage/bucket:Bucket", "gcp:backupdisasterrecovery/backupPlan:BackupPlan", "grafana:alerting/notificationPolicy:NotificationPolicy", "kubernetes:core/v1:Secret"]) {
      expect(types).toContain(type);
    }
    const bucket = kinds.find((k) => k.type === "gcp:storage/bucket:Bucket")!;
    expect(bucket.fields).toEqual(expect.arrayContaining(["retentionPolicy.retentionPeriod", "lifecycleRules.condition.age", "softDeletePolicy.retentionDurationSeconds"]));
  });

  it("classify every retention-like field of every resource the components create", () => {
    const unclassified = kinds.flatMap((kind) =>
      kind.fields.filter((field) => retentionLike(field.split(".").at(-1)!) && fieldClass(kind.type, field) === undefined).map((field) => `${kind.type} ${field} (created in ${kind.at})`),
    );
    expect(unclassified, "classify each in plan/dataAtRisk.ts: FIELD_RISKS (what a change loses, or why it loses nothing)").toEqual([]);
  });

  it("name only kinds the components create and fields their providers have", () => {
    const byType = new Map(kinds.map((k) => [k.type, new Set(k.fields)]));
    const stale = Object.entries(FIELD_RISKS).flatMap(([type, fields]) => {
      const known = byType.get(type);
      if (!known) return [`${type}: not created by any component`];
      return Object.keys(fields).filter((field) => !known.has(field)).map((field) => `${type} ${field}: no such input`);
    });
    const everyKind = Object.keys(EVERY_KIND).filter((field) => !kinds.some((k) => k.fields.includes(field))).map((field) => `every kind: ${field}: no such input anywhere`);
    expect([...stale, ...everyKind]).toEqual([]);
  });
});

describe("what a change loses, with both values", () => {
  const bucket = "gcp:logging/projectBucketConfig:ProjectBucketConfig";

  it("a shorter log retention loses the entries past it; a longer one loses nothing", () => {
    expect(fieldLosses(bucket, { retentionDays: 90 }, { retentionDays: 14 })).toEqual([
      { field: "retentionDays", before: "90 days", after: "14 days", loses: "entries older than 14 days are deleted: 76 days of history (was 90 days)" },
    ]);
    expect(fieldLosses(bucket, { retentionDays: 14 }, { retentionDays: 90 })).toEqual([]);
    // Cloud Logging's default when unset is 30 days.
    expect(fieldLosses(bucket, {}, { retentionDays: 7 })[0]?.before).toBe("30 days (default)");
  });

  it("an exclusion added to a sink, a sink disabled, export objects deleted sooner", () => {
    const sink = "gcp:logging/projectSink:ProjectSink";
    const exclusion = { name: "debug", filter: "severity<=DEBUG" };
    expect(fieldLosses(sink, { exclusions: [] }, { exclusions: [exclusion] })).toEqual([
      { field: "exclusions", before: "none", after: "debug", loses: "entries matching debug (severity<=DEBUG) are no longer routed by this sink" },
    ]);
    expect(fieldLosses(sink, { exclusions: [{ ...exclusion, disabled: true }] }, { exclusions: [exclusion] })).toHaveLength(1);
    expect(fieldLosses(sink, {}, { disabled: true }).map((l) => l.field)).toEqual(["disabled"]);
    const storage = "gcp:storage/bucket:Bucket";
    const rules = (age: number) => ({ lifecycleRules: [{ action: { type: "Delete" }, condition: { age } }], retentionPolicy: { retentionPeriod: String(age * 86_400) } });
    expect(fieldLosses(storage, rules(90), rules(30)).map((l) => `${l.field}: ${l.before} → ${l.after}`)).toEqual([
      "retentionPolicy.retentionPeriod: 90 days → 30 days",
      "lifecycleRules: deleted after 90 days → deleted after 30 days",
    ]);
  });

  it("the vault's lock weakened, its deletion policy dropped", () => {
    const vault = "gcp:backupdisasterrecovery/backupVault:BackupVault";
    const losses = fieldLosses(vault, { backupMinimumEnforcedRetentionDuration: "2592000s", deletionPolicy: "PREVENT" }, { backupMinimumEnforcedRetentionDuration: "604800s" });
    expect(losses.map((l) => `${l.field}: ${l.before} → ${l.after}`)).toEqual(["deletionPolicy: PREVENT → unset (DELETE)", "backupMinimumEnforcedRetentionDuration: 30 days → 7 days"]);
  });

  it("a removed resource the provider keeps says so", () => {
    const resource = { urn: "u", type: "gcp:backupdisasterrecovery/backupVault:BackupVault", name: "v", inputs: { deletionPolicy: "ABANDON" } };
    expect(removal(resource)).toEqual({ kept: true, happens: "removed from the program; kept in Google Cloud (deletionPolicy ABANDON), no longer managed" });
    expect(removal({ ...resource, inputs: {} }).kept).toBe(false);
  });

  it("reads the declaration files the walk needs", () => {
    for (const pkg of PROVIDER_PACKAGES) expect(existsSync(path.join(REPO_ROOT, "node_modules", pkg, "types", "input.d.ts")), pkg).toBe(true);
  });
});
