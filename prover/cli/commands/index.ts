// Every zkinfer command, one file each. Add new commands here.
import type { Command } from "../command.js";
import { srsCheck } from "./srs-check.js";

export const commands: Command[] = [srsCheck];
