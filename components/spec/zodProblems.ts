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
    problems.push({ file, path: formatPath(path), message: phrase(issue) });
  }
  return problems;
}

function phrase(issue: z.core.$ZodIssue): string {
  const message = issue.message;
  if (message.includes("(got ")) return message;
  const input = (issue as { input?: unknown }).input;
  const expected = message.startsWith("expected ") ? message : `expected ${lowerFirst(message)}`;
  if (issue.code === "invalid_type" && input === undefined) return `missing required field (${expected})`;
  return `invalid value (got ${describeValue(input)}, ${expected})`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
