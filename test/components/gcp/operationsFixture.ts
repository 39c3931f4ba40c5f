import * as path from "node:path";
import { plan } from "../../plan/helpers";

export const OPS_STACK = path.join(__dirname, "..", "..", "fixtures", "operations", "Pulumi.ops.yaml");
export const OPS_SERVICES = path.join(__dirname, "..", "..", "fixtures", "operations", "services");

/** The operations fixture catalog planned on its own stack config. */
export function opsPlan() {
  return plan({ stack: "ops", configFile: OPS_STACK, servicesDir: OPS_SERVICES });
}
