import type * as pulumi from "@pulumi/pulumi";

/**
 * Adds `{ name }` aliases for earlier resource names to resource options, so
 * that a rename in a declaration moves the resource instead of replacing it.
 */
export function withAliases<T extends pulumi.ResourceOptions>(opts: T | undefined, formerNames: readonly string[]): T {
  if (formerNames.length === 0) return (opts ?? {}) as T;
  return { ...(opts ?? {}), aliases: [...(opts?.aliases ?? []), ...formerNames.map((former) => ({ name: former }))] } as T;
}
