#!/usr/bin/env node
// The zkinfer command line. Loads the TypeScript sources through tsx, so no build step is needed.
// SPDX-License-Identifier: GPL-3.0-or-later
import { register } from "tsx/esm/api";

register();
let cli;
try {
  ({ cli } = await import(new URL("../prover/cli/main.ts", import.meta.url).href));
} catch (err) {
  // The sources failed to load: a broken checkout or a bug, not the user's input (exit 3, as main's internal errors).
  const debug = /^(1|true|yes)$/i.test(process.env.ZKINFER_DEBUG ?? "");
  process.stderr.write(
    `zkinfer: internal error: could not load the command line: ${debug ? (err?.stack ?? err) : (err?.message ?? err)}\n` +
      `check that \`npm install\` ran in ${new URL("..", import.meta.url).pathname}; otherwise this is a bug in zkinfer` +
      `${debug ? "" : " (set ZKINFER_DEBUG=1 to print the stack trace)"}\n`,
  );
  process.exit(3);
}
await cli();
