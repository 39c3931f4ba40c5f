/**
 * A problem found in user input, reported as one line:
 * `FILE: field.path: what is wrong (got X, expected Y)`.
 */
export interface Problem {
  /** The file the problem is in, relative to the working directory. */
  file: string;
  /** Dotted field path inside the file, e.g. `slos[0].objective`; "(file)" for the whole file. */
  path: string;
  /** What is wrong and what was expected. */
  message: string;
}

export function formatProblem(problem: Problem): string {
  return `${problem.file}: ${problem.path}: ${problem.message}`;
}

/** Renders a path such as ["slos", 0, "indicator"] as `slos[0].indicator`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let text = "";
  for (const part of path) {
    if (typeof part === "number") text += `[${part}]`;
    else text += text === "" ? String(part) : `.${String(part)}`;
  }
  return text === "" ? "(root)" : text;
}

/** Shows a user's value in a message: strings quoted, long values cut. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  let text: string;
  if (typeof value === "string") text = JSON.stringify(value);
  else if (typeof value === "object" && value !== null) text = JSON.stringify(value);
  else text = String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Thrown when input is invalid; carries every problem found, not only the first. */
export class InvalidInputError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "InvalidInputError";
  }
}

/** "1 service", "2 services", "0 notices": a count with its noun in the right number. */
export function counted(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
