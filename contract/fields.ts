/** Building blocks shared by the service contract and the stack config schemas. */
import { z } from "zod";

export const DNS_LABEL = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** A name usable in resource ids: lowercase letters, digits and '-', starting with a letter, ≤ 63 characters. */
export const dnsLabel = z
  .string({ error: "expected a string" })
  .regex(DNS_LABEL, { error: "expected a DNS label: lowercase letters, digits and '-', starting with a letter, at most 63 characters" });

/**
 * A strict object: unknown keys are errors that name the fields the schema
 * knows (and the likely one meant); a non-object is described as `what`.
 */
export function strict<Shape extends z.ZodRawShape>(shape: Shape, what = "a mapping of fields") {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === "unrecognized_keys") {
        const guess = issue.keys.length === 1 ? closest(issue.keys[0]!, known) : undefined;
        return `${guess ? `did you mean "${guess}"? ` : ""}expected one of: ${known.join(", ")}`;
      }
      if (issue.code === "invalid_type") return `expected ${what}`;
      return undefined;
    },
  });
}

/** The known name within edit distance 2 of `key`, if there is exactly one best. */
export function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
