/** Text of an imported declaration: the editor schema comment, where it came from, the notes to review, then the YAML. */
import { stringify } from "yaml";
import { schemaComment } from "../contract/jsonSchema";
import type { ImportedService } from "./declarations";

const YAML_OPTIONS = { lineWidth: 0, aliasDuplicateObjects: false } as const;

/** A declaration file for an imported service; `dir` is the output directory relative to the repository root. */
export function declarationText(imported: ImportedService, dir: string): string {
  const header = [
    schemaComment(dir),
    `# Imported from ${imported.sources.join(", ")} by npm run import.`,
    "# Review the notes, then check it with npm run validate.",
    ...imported.notes.map((note) => `# Note: ${note}`),
  ];
  return `${header.join("\n")}\n${stringify(imported.spec, YAML_OPTIONS)}`;
}
