/**
 * What `npm run adopt` writes: the report a person reads, Pulumi's bulk import
 * file (`pulumi import --file`) and the stack file with `monitoring-stack:adopt`.
 */
import { parseDocument } from "yaml";
import type { PlannedResource } from "../plan/mockRuntime";
import { NAMESPACE } from "../contract/stackConfig";
import { describeExisting } from "./existing";
import { adoptConfig, type AdoptionFindings } from "./match";

/** One resource of Pulumi's bulk import file. */
export interface BulkImportResource {
  type: string;
  name: string;
  id: string;
  /** Its parent, as a name of `nameTable`: the component the program creates it under. */
  parent?: string;
}

/** Pulumi's bulk import file: what `pulumi import --file FILE` reads. */
export interface BulkImportFile {
  /** Parent names → their URNs, so imported resources land under the components that own them. */
  nameTable: Record<string, string>;
  resources: BulkImportResource[];
}

const urnName = (urn: string) => urn.split("::").slice(3).join("::");

export function bulkImportFile(findings: AdoptionFindings, resources: readonly PlannedResource[]): BulkImportFile {
  const byName = new Map(resources.map((r) => [r.name, r]));
  const nameTable: Record<string, string> = {};
  const list = findings.adopt
    .map((adopted): BulkImportResource => {
      const parent = byName.get(adopted.name)?.parent;
      if (parent) nameTable[urnName(parent)] = parent;
      return { type: adopted.type, name: adopted.name, id: adopted.id, ...(parent ? { parent: urnName(parent) } : {}) };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { nameTable: Object.fromEntries(Object.entries(nameTable).sort(([a], [b]) => (a < b ? -1 : 1))), resources: list };
}

/** The report, one block per list: adopted (with the changes), refused (with how to take over), left alone. */
export function reportText(findings: AdoptionFindings): string {
  const lines: string[] = [];
  lines.push(`adopt (${findings.adopt.length}): imported by the next pulumi up, then updated in place; kept when removed from the program (retainOnDelete)`);
  for (const a of findings.adopt) {
    lines.push(`  ${a.name} = ${a.id}`, `    from ${describeExisting(a.existing)}`);
    lines.push(a.changes.length > 0 ? `    changes: ${a.changes.join("; ")}` : "    changes: none");
    for (const note of a.notes) lines.push(`    note: ${note}`);
  }
  lines.push(`refused (${findings.refused.length}): adopting would replace them; ours would be created beside them`);
  for (const r of findings.refused) {
    lines.push(`  ${r.name} ≠ ${describeExisting(r.existing)}`, `    why: ${r.reason}`, `    to take it over: ${r.takeOver}`);
  }
  lines.push(`left alone (${findings.leftAlone.length}): not ours`);
  for (const l of findings.leftAlone) lines.push(`  ${describeExisting(l.existing)}: ${l.why}`);
  return `${lines.join("\n")}\n`;
}

/** The stack file's text with the adopted ids merged into `monitoring-stack:adopt` (comments and the other keys kept). */
export function stackFileWithAdopt(text: string, findings: AdoptionFindings): string {
  const doc = parseDocument(text);
  const key = `${NAMESPACE}:adopt`;
  const before = doc.getIn(["config", key]);
  const existing = before && typeof before === "object" && "toJSON" in before ? ((before as { toJSON(): unknown }).toJSON() as Record<string, string>) : {};
  const merged = { ...existing, ...adoptConfig(findings) };
  doc.setIn(["config", key], doc.createNode(Object.fromEntries(Object.entries(merged).sort(([a], [b]) => (a < b ? -1 : 1)))));
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}
