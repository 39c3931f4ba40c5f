/** Text of what the OpenSLO commands write: declarations (YAML) and OpenSLO documents (multi-document YAML). */
import { stringify } from "yaml";
import { schemaComment } from "../../contract/jsonSchema";
import type { JsonObject } from "./documents";
import type { ImportedService } from "./importer";

const YAML_OPTIONS = { lineWidth: 0, aliasDuplicateObjects: false } as const;

/**
 * A declaration file for an imported service: the editor schema comment
 * (relative to `dir`, the output directory relative to the repository root),
 * where it came from, the notes to review, then the declaration.
 */
export function declarationText(imported: ImportedService, dir: string): string {
  const header = [
    schemaComment(dir),
    `# Imported from OpenSLO (${imported.sources.join(", ")}) by npm run openslo -- import.`,
    "# Review the notes, then check it with npm run validate.",
    ...imported.notes.map((note) => `# Note: ${note}`),
  ];
  return `${header.join("\n")}\n${stringify(imported.spec, YAML_OPTIONS)}`;
}

/** OpenSLO documents as one multi-document YAML stream. */
export function openSloText(documents: readonly JsonObject[]): string {
  return documents.map((doc) => `---\n${stringify(doc, YAML_OPTIONS)}`).join("");
}
