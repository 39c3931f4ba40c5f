/**
 * Loads stacks/index.ts the way Pulumi's Node.js language host does (ts-node,
 * CommonJS, cwd at the project root) under the mock runtime, and prints what
 * the program registered and exported as JSON. Used by programEntry.test.ts.
 *
 * usage: node -r ts-node/register test/stacks/runEntry.ts STACK_FILE STACK
 */
import * as path from "node:path";
import { RunError } from "@pulumi/pulumi";
import { runUnderMocks } from "../../plan/mockRuntime";
import { readStackFile } from "../../catalog/stackFile";

async function main(): Promise<void> {
  const [file, stack] = process.argv.slice(2) as [string, string];
  const { stack: config, problems } = readStackFile(file, file);
  if (!config) throw new Error(JSON.stringify(problems));
  const { result, resources } = await runUnderMocks({ project: "monitoring-stack", stack, ...config }, async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported: unknown = require(path.resolve("stacks"));
    return (await exported) as unknown;
  });
  process.stdout.write(JSON.stringify({ outputs: result, resources: resources.length }));
}

main().catch((error: unknown) => {
  process.stdout.write(JSON.stringify({ error: error instanceof Error ? { runError: RunError.isInstance(error), message: error.message } : String(error) }));
});
