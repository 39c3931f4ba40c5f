/**
 * Sharding a catalog across stacks: which services a stack owns
 * (`monitoring-stack:owns`) and which stack provides the shared resources
 * (`monitoring-stack:platform`). Pure functions; the stack-wide checks over
 * every stacks/Pulumi.*.yaml live in catalog/stacks.ts.
 */
import * as path from "node:path";
import { minimatch } from "minimatch";
import { z } from "zod";
import { dnsLabel, strict } from "./fields";

const glob = z
  .string({ error: "expected a glob pattern" })
  .min(1, { error: "expected a glob pattern like \"checkout-*\"" })
  .refine((pattern) => !pattern.startsWith("/") && !pattern.split("/").includes(".."), {
    error: "expected a pattern relative to the services directory (no leading / and no ..)",
  });

const selector = strict({
  teams: z.array(dnsLabel, { error: "expected a list of team names" }).optional(),
  services: z.array(glob, { error: "expected a list of service-name patterns" }).optional(),
  files: z.array(glob, { error: "expected a list of file patterns" }).optional(),
}).refine((s) => (s.teams?.length ?? 0) + (s.services?.length ?? 0) + (s.files?.length ?? 0) > 0, {
  error: "expected at least one of teams, services or files (or all, or none)",
  // Only for an otherwise valid selector: a misspelt key is reported once, as an unknown field.
  when: (payload) => payload.issues.length === 0,
});

/**
 * `all` (the default): every service in the stack's services directory.
 * `none`: no services: a platform stack that only holds shared resources.
 * A selector: the services of the listed teams, plus those whose name or
 * file (relative to the services directory) matches one of the globs.
 */
export const ownsSchema = z.union([z.literal("all"), z.literal("none"), selector], {
  error: (issue) => (issue.code === "invalid_union" ? "expected all, none, or a mapping with teams, services and/or files" : undefined),
});
export type Ownership = z.output<typeof ownsSchema>;

/** `monitoring-stack:platform`: the stack whose shared resources (channels) this stack uses. */
export const platformRefSchema = strict(
  {
    stack: dnsLabel.describe("stack name"),
    organization: z.string({ error: "expected a Pulumi organization name" }).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, { error: "expected a Pulumi organization name" }).optional(),
  },
  "a mapping with the platform stack's name (stack) and optionally its organization",
);
export type PlatformRef = z.output<typeof platformRefSchema>;

/** What ownership decides on: a declaration's name, team and file. */
export interface OwnershipSubject {
  name: string;
  team: string;
  /** The declaration's file, relative to the services directory, with / separators. */
  file: string;
}

/** Whether a stack with this ownership owns the service. */
export function owns(ownership: Ownership, subject: OwnershipSubject): boolean {
  if (ownership === "all") return true;
  if (ownership === "none") return false;
  if (ownership.teams?.includes(subject.team)) return true;
  if (ownership.services?.some((pattern) => minimatch(subject.name, pattern))) return true;
  return ownership.files?.some((pattern) => minimatch(subject.file, pattern, { dot: true })) ?? false;
}

/** A file as ownership sees it: relative to the services directory, / separated. */
export function ownershipPath(file: string, servicesDir: string): string {
  return path.relative(servicesDir, path.resolve(file)).split(path.sep).join("/");
}

/** One line describing an ownership, for messages and listings. */
export function describeOwnership(ownership: Ownership): string {
  if (typeof ownership === "string") return ownership === "all" ? "all services" : "no services";
  const parts = [
    ...(ownership.teams?.length ? [`teams ${ownership.teams.join(", ")}`] : []),
    ...(ownership.services?.length ? [`services ${ownership.services.join(", ")}`] : []),
    ...(ownership.files?.length ? [`files ${ownership.files.join(", ")}`] : []),
  ];
  return parts.join("; ");
}
