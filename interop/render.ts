/** Text of an imported declaration: the editor schema comment, where it came from, the notes to review, then the YAML. */
import { stringify } from "yaml";
import { schemaComment } from "../contract/jsonSchema";
import type { BurnTierDefinition } from "../contract/stackConfig";
import type { ImportedService } from "./declarations";
import { formatShorthand } from "./documents";

const YAML_OPTIONS = { lineWidth: 0, aliasDuplicateObjects: false } as const;

/** A declaration file for an imported service; `dir` is the output directory relative to the repository root. */
export function declarationText(imported: ImportedService, dir: string, command = "npm run import"): string {
  const header = [
    schemaComment(dir),
    `# Imported from ${imported.sources.join(", ")} by ${command}.`,
    "# Review the notes, then check it with npm run validate.",
    ...imported.notes.map((note) => `# Note: ${note}`),
  ];
  return `${header.join("\n")}\n${stringify(imported.spec, YAML_OPTIONS)}`;
}

/**
 * The stack-config snippet for imported tiers: `monitoring-stack:burnRateTiers`
 * keyed by the SLO period each list is written for, under `config:` as in
 * `stacks/Pulumi.<stack>.yaml`.
 */
export function burnRateTiersText(definitions: readonly BurnTierDefinition[], sources: readonly string[]): string {
  const byPeriod: Record<string, object[]> = {};
  for (const d of definitions) {
    const period = formatShorthand(d.periodMs ?? 30 * 86_400_000);
    (byPeriod[period] ??= []).push({ name: d.name, severity: d.severity, budgetPercent: d.budgetPercent, longWindow: formatShorthand(d.longWindowMs), shortWindow: formatShorthand(d.shortWindowMs) });
  }
  const header = [
    `# Burn-rate tiers imported from Sloth AlertWindows (${sources.join(", ")}) by npm run import.`,
    "# Stack config: put this key under config: in stacks/Pulumi.<stack>.yaml (it replaces any monitoring-stack:burnRateTiers there),",
    "# then check with npm run validate -- --stack <stack>. SLOs of a listed window alert on these windows as written; others scale the nearest list.",
  ];
  return `${header.join("\n")}\n${stringify({ config: { "monitoring-stack:burnRateTiers": byPeriod } }, { ...YAML_OPTIONS, collectionStyle: "block" })}`;
}
