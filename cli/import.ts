/** npm run import: OpenSLO, Sloth and Pyrra documents → declarations (see importCommand.ts). */
import { importCommand } from "./importCommand";
import { runCommand } from "./output";

runCommand(() => importCommand(process.argv.slice(2)));
