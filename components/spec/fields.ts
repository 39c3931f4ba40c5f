/** Building blocks shared by the service contract and the stack config schemas. */
import { z } from "zod";

export const DNS_LABEL = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** A name usable in resource ids: lowercase letters, digits and '-', starting with a letter, ≤ 63 characters. */
export const dnsLabel = z
  .string({ error: "expected a string" })
  .regex(DNS_LABEL, { error: "expected a DNS label: lowercase letters, digits and '-', starting with a letter, at most 63 characters" });

/** A strict object: unknown keys are errors that name the fields the schema does know. */
export function strict<Shape extends z.ZodRawShape>(shape: Shape) {
  const known = Object.keys(shape).join(", ");
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === "unrecognized_keys") return `expected one of: ${known}`;
      if (issue.code === "invalid_type") return "expected a mapping of fields";
      return undefined;
    },
  });
}
