/** Text of what the OpenSLO export writes: OpenSLO documents (multi-document YAML). Declarations: ../render.ts. */
import { stringify } from "yaml";
import type { JsonObject } from "./documents";

export { declarationText } from "../render";

const YAML_OPTIONS = { lineWidth: 0, aliasDuplicateObjects: false } as const;

/** OpenSLO documents as one multi-document YAML stream. */
export function openSloText(documents: readonly JsonObject[]): string {
  return documents.map((doc) => `---\n${stringify(doc, YAML_OPTIONS)}`).join("");
}
