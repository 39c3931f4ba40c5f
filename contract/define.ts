import type { z } from "zod";
import { API_VERSION, serviceSchema } from "./serviceSchema";

/** One key of T set, every other key absent: how "exactly one of" reads in TypeScript. */
export type ExactlyOne<T> = {
  [K in keyof T]-?: { [P in K]-?: NonNullable<T[P]> } & { [P in Exclude<keyof T, K>]?: never };
}[keyof T];

type RawInput = z.input<typeof serviceSchema>;
type RawSlo = NonNullable<RawInput["slos"]>[number];

/** A service level objective as a team writes it in TypeScript. */
export type SloDeclaration = Omit<RawSlo, "indicator"> & { indicator: ExactlyOne<RawSlo["indicator"]> };

/**
 * A service declaration (contract v1) as a team writes it in TypeScript.
 * The same fields as the YAML form; `apiVersion` is filled in by defineService.
 */
export type ServiceDeclaration = Omit<RawInput, "apiVersion" | "runtime" | "slos"> & {
  apiVersion?: typeof API_VERSION;
  runtime: ExactlyOne<RawInput["runtime"]>;
  slos?: SloDeclaration[];
};

/**
 * Declares a service in TypeScript: `export default defineService({ ... })`.
 * The editor checks the fields as you type; the loader checks the values
 * (the same checks as for YAML) when the catalog is read.
 */
export function defineService(declaration: ServiceDeclaration): ServiceDeclaration & { apiVersion: typeof API_VERSION } {
  return { ...declaration, apiVersion: API_VERSION };
}
