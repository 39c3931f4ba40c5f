import type { z } from "zod";
import { describeValue, formatPath, type Problem } from "./problems";

/**
 * Turns zod issues into one-line problems of the form
 * `what is wrong (got X, expected Y)`. Schema messages are written as
 * "expected ..." or already carry "(got ...)".
 */
export function zodProblems(file: string, issues: ReadonlyArray<z.core.$ZodIssue>, prefix: ReadonlyArray<PropertyKey> = []): Problem[] {
  const problems: Problem[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        problems.push({ file, path: formatPath([...path, key]), message: `unknown field (got ${JSON.stringify(key)}, ${issue.message})` });
      }
      continue;
    }
    if (issue.code === "invalid_key") {
      // A record key broke its rule: report the key's own rule, not zod's generic wording.
      for (const inner of issue.issues) {
        problems.push({ file, path: formatPath(path), message: `invalid key (got ${describeValue(issue.input)}, ${expectation(inner.message)})` });
      }
      continue;
    }
    problems.push({ file, path: formatPath(path), message: phrase(issue) });
  }
  return problems;
}

/** zod's own wording for an issue no schema message covers, rephrased as "expected ...". */
function defaultExpectation(issue: z.core.$ZodIssue): string | undefined {
  const message = issue.message;
  if (issue.code === "invalid_type" && /^Invalid input/.test(message)) {
    return `expected ${issue.expected === "object" ? "a mapping" : issue.expected === "array" ? "a list" : `a ${issue.expected}`}`;
  }
  if ((issue.code === "too_small" || issue.code === "too_big") && /^Too (small|big)/.test(message)) {
    const bound = issue.code === "too_small" ? issue.minimum : issue.maximum;
    const side = issue.code === "too_small" ? (issue.inclusive === false ? "more than" : "at least") : issue.inclusive === false ? "less than" : "at most";
    const one = Number(bound) === 1;
    const unit = issue.origin === "string" ? (one ? " character" : " characters") : issue.origin === "array" || issue.origin === "set" ? (one ? " item" : " items") : "";
    return `expected ${side} ${String(bound)}${unit}`;
  }
  if (issue.code === "invalid_format" && /^Invalid/.test(message)) return `expected ${issue.format === "regex" ? "a value in the documented format" : `a valid ${issue.format}`}`;
  return undefined;
}

function phrase(issue: z.core.$ZodIssue): string {
  const message = defaultExpectation(issue) ?? issue.message;
  if (message.includes("(got ")) return message;
  let input = (issue as { input?: unknown }).input;
  if (issue.code === "invalid_union" && "discriminator" in issue && typeof issue.discriminator === "string") {
    // A discriminated union reports the whole object; the value that mattered is its discriminator.
    input = typeof input === "object" && input !== null ? (input as Record<string, unknown>)[issue.discriminator] : undefined;
  }
  if (input === undefined) return `missing required field (${expectation(message)})`;
  return `invalid value (got ${describeValue(input)}, ${expectation(message)})`;
}

function expectation(message: string): string {
  return message.startsWith("expected ") ? message : `expected ${message.charAt(0).toLowerCase()}${message.slice(1)}`;
}
