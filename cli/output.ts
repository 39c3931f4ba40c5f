/** Shared by the commands: exit codes and how problems are printed. */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { formatProblem, type Problem } from "../contract/problems";

/** 0 fine, 1 mandatory policy violations, 2 invalid input, 3 an internal error (a bug: please report it). */
export const EXIT = { ok: 0, violations: 1, invalidInput: 2, internal: 3 } as const;

/** One line per problem, then how many and what that means for the command (default: nothing was planned or applied). */
export function printProblems(problems: readonly Problem[], consequence = "nothing was planned or applied"): void {
  for (const problem of problems) process.stderr.write(`${formatProblem(problem)}\n`);
  process.stderr.write(`${problems.length} problem${problems.length === 1 ? "" : "s"} found; ${consequence}.\n`);
}

/** Things worth knowing that do not make the input invalid: `warning: FILE: path: message`, on stderr. */
export function printWarnings(warnings: readonly Problem[]): void {
  for (const warning of warnings) process.stderr.write(`warning: ${formatProblem(warning)}\n`);
}

/** Runs a command, turning unexpected errors into one line and exit code 3 (stack trace only with DEBUG set). */
export function runCommand(command: () => Promise<number>): void {
  command().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`internal error: ${message}\n`);
      if (process.env["DEBUG"] && error instanceof Error) process.stderr.write(`${error.stack}\n`);
      process.exitCode = EXIT.internal;
    },
  );
}

/**
 * Parses a command's arguments strictly. Returns the parsed arguments, or the
 * exit code when there is nothing more to do: usage printed for --help (0) or
 * after a bad argument (2).
 */
export function commandArgs<T extends ParseArgsConfig & { options: { help: { type: "boolean" } } }>(usage: string, config: T): ReturnType<typeof parseArgs<T>> | number {
  let parsed: ReturnType<typeof parseArgs<T>>;
  try {
    parsed = parseArgs(config);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${usage}\n`);
    return EXIT.invalidInput;
  }
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(`${usage}\n`);
    return EXIT.ok;
  }
  return parsed;
}
