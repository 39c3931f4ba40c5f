/**
 * Where things live in the repository: the one root every relative path in a
 * stack config (`monitoring-stack:services.dir`) and every command starts from.
 */
import * as path from "node:path";

/** The repository root: Pulumi.yaml sits here. */
export const REPOSITORY_ROOT = path.resolve(__dirname, "..");

/** The stack config directory (Pulumi.yaml: stackConfigDir). */
export const STACKS_DIR = path.join(REPOSITORY_ROOT, "stacks");

/** The Pulumi project name (Pulumi.yaml: name). */
export const PROJECT = "monitoring-stack";
