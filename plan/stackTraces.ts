/**
 * Stack traces are the largest single cost of an offline plan that the plan
 * does not need. Pulumi's Node.js runtime captures and formats a stack for
 * every promise it creates (to report leaked promises) and a full-depth
 * stack for every resource (its source position, shown by Pulumi Cloud);
 * with source maps on (tsx, ts-node) each frame is also mapped back to
 * TypeScript. The offline plan records neither, so while it runs stacks are
 * captured with no frames and formatted as the error's first line only.
 * Error messages are untouched; set DEBUG to keep full stack traces.
 */

/** True when full stack traces were asked for (DEBUG set to anything but "" or "0"). */
export function fullStackTracesWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  const debug = env["DEBUG"];
  return debug !== undefined && debug !== "" && debug !== "0";
}

/** The first line of a default stack trace: "Name: message", or "Name" when there is no message. */
function firstLineOnly(error: unknown): string {
  return error instanceof Error ? Error.prototype.toString.call(error) : String(error);
}

/**
 * Runs `work` with frameless stack traces (unless DEBUG is set) and puts the
 * previous settings back afterwards, whatever the outcome.
 */
export async function withoutStackTraces<T>(work: () => Promise<T>, env: NodeJS.ProcessEnv = process.env): Promise<T> {
  if (fullStackTracesWanted(env)) return work();
  const limit = Error.stackTraceLimit;
  const prepare = Error.prepareStackTrace;
  Error.stackTraceLimit = 0;
  Error.prepareStackTrace = firstLineOnly;
  try {
    return await work();
  } finally {
    Error.stackTraceLimit = limit;
    Error.prepareStackTrace = prepare;
  }
}
