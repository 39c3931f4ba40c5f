/** Shared by the commands: exit codes and how problems are printed. */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { closest } from "../contract/fields";
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

/** One option of a command, as its --help describes it. */
export interface OptionHelp {
  /** The option and its value, as the usage line writes it: "--stack NAME". */
  flag: string;
  /** What it does. */
  meaning: string;
  /** What applies without it. */
  default?: string;
}

/** What `npm run NAME -- --help` prints: usage lines, what the command does, every option. */
export interface CommandHelp {
  /** The npm script: "plan". */
  name: string;
  /** Usage lines without "usage: ". */
  usage: readonly string[];
  /** What the command does, in a sentence or two. */
  summary: string;
  options: readonly OptionHelp[];
}

const HELP_OPTION: OptionHelp = { flag: "--help", meaning: "print this help and exit" };

/** The usage lines: "usage: " before the first, aligned below it. */
export function usageText(help: CommandHelp): string {
  return help.usage.map((line, i) => `${i === 0 ? "usage: " : "       "}${line}`).join("\n");
}

/** The whole --help text: usage, summary, then one line per option with its meaning and default. */
export function helpText(help: CommandHelp): string {
  const options = [...help.options, HELP_OPTION];
  const width = Math.max(...options.map((o) => o.flag.length));
  return [
    usageText(help),
    "",
    help.summary,
    "",
    "options:",
    ...options.map((o) => `  ${o.flag.padEnd(width)}  ${o.meaning}${o.default ? ` (default: ${o.default})` : ""}`),
  ].join("\n");
}

/** A bad command line in one line: the option or argument, what is wrong, and the likely option meant. */
export function argumentProblem(error: unknown, known: readonly string[]): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const quoted = /'([^']+)'/.exec(message)?.[1];
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && quoted) {
    const flags = known.map((name) => `--${name}`);
    const guess = closest(quoted.replace(/^-+/, "").split("=")[0]!, known);
    return `unknown option ${quoted}${guess ? `: did you mean --${guess}?` : ""} (expected one of: ${flags.join(", ")})`;
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && quoted) {
    const flag = quoted.split(" ")[0]!;
    return /argument missing/.test(message) ? `option ${flag} needs a value (got none)` : `option ${flag} takes no value (got one)`;
  }
  if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL" && quoted) return `unexpected argument ${JSON.stringify(quoted)} (this command takes options only)`;
  return message;
}

/**
 * Parses a command's arguments strictly. Returns the parsed arguments, or the
 * exit code when there is nothing more to do: the help printed for --help
 * (0), or one line saying what is wrong with the arguments and the usage (2).
 */
export function commandArgs<T extends ParseArgsConfig & { options: { help: { type: "boolean" } } }>(help: CommandHelp, config: T): ReturnType<typeof parseArgs<T>> | number {
  let parsed: ReturnType<typeof parseArgs<T>>;
  try {
    parsed = parseArgs(config);
  } catch (error) {
    return usageError(help, argumentProblem(error, Object.keys(config.options)));
  }
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(`${helpText(help)}\n`);
    return EXIT.ok;
  }
  return parsed;
}

/** Refuses the command line: what is wrong, the usage, where every option is described; exit code 2. */
export function usageError(help: CommandHelp, problem: string): number {
  process.stderr.write(`${problem}\n${usageText(help)}\n(npm run ${help.name} -- --help describes every option)\n`);
  return EXIT.invalidInput;
}

/** An unknown subcommand in one line, with the likely one meant. */
export function unknownCommand(got: string | undefined, known: readonly string[]): string {
  if (got === undefined) return `missing command (expected ${known.join(", ")})`;
  const guess = closest(got, known);
  return `unknown command (got ${JSON.stringify(got)}${guess ? `, did you mean ${JSON.stringify(guess)}?` : ","} expected ${known.join(", ")})`;
}
