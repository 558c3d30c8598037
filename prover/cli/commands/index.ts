// Every zkinfer command, one file each. Add new commands here.
import type { Command } from "../command.js";
import { auditCommand } from "./audit.js";
import { checkCircuitCommand } from "./check-circuit.js";
import { checkKeyCommand } from "./check-key.js";
import { compileCommand } from "./compile.js";
import { explorerCommand } from "./explorer.js";
import { exportVerifierCommand } from "./export-verifier.js";
import { infoCommand } from "./info.js";
import { keysNewCommand } from "./keys.js";
import { proveCommand } from "./prove.js";
import { serveCommand } from "./serve.js";
import { setupCommand } from "./setup.js";
import { srsCheck } from "./srs-check.js";
import { verifyCommand } from "./verify.js";
import { workerCommand } from "./worker.js";

export const commands: Command[] = [compileCommand, infoCommand, setupCommand, checkKeyCommand, proveCommand, verifyCommand, exportVerifierCommand, checkCircuitCommand, srsCheck, auditCommand, explorerCommand, serveCommand, workerCommand, keysNewCommand];
