// zkinfer keys new: an API key for `zkinfer serve --api-keys` (only its hash goes in the file).
import type { Command } from "../command.js";
import { EXIT } from "../errors.js";

export const keysNewCommand: Command = {
  path: ["keys", "new"],
  summary: "make an API key for `zkinfer serve --api-keys`",
  args: "",
  positionals: { min: 0, max: 0 },
  description: "Prints a fresh random key (give it to the client) and the line to add to the --api-keys file (its SHA-256).",
  async run() {
    const { newApiKey } = await import("../../../service/api-keys.js");
    const { key, line } = newApiKey();
    const text = [`key:  ${key}`, `line: ${line}`, "give the key to the client; add the line to the --api-keys file (the key itself is not stored)"].join("\n");
    return { exitCode: EXIT.ok, json: { key, line }, text };
  },
};
