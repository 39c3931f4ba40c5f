/**
 * Entry point for `pulumi preview` / `pulumi up` (Pulumi.yaml: main: stacks/).
 * Invalid input ends the run with one line per problem and no stack trace.
 */
import * as pulumi from "@pulumi/pulumi";
import { InvalidInputError } from "../contract/problems";
import { monitoringProgram, stackOutputs } from "./program";

export = monitoringProgram().then(stackOutputs, (error: unknown) => {
  if (error instanceof InvalidInputError) {
    throw new pulumi.RunError(`invalid input:\n${error.message}`);
  }
  throw error;
});
