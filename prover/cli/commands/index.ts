// Every zkinfer command, one file each. Add new commands here.
import type { Command } from "../command.js";
import { exportVerifierCommand } from "./export-verifier.js";
import { proveCommand } from "./prove.js";
import { setupCommand } from "./setup.js";
import { srsCheck } from "./srs-check.js";
import { verifyCommand } from "./verify.js";

export const commands: Command[] = [setupCommand, proveCommand, verifyCommand, exportVerifierCommand, srsCheck];
