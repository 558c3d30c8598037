#!/usr/bin/env node
// The zkinfer command line. An installed package runs the built JavaScript (dist/) with plain Node;
// a source checkout (prover/cli/main.ts next to this file) runs the TypeScript sources through tsx,
// so the sources are never shadowed by a stale build.
// SPDX-License-Identifier: GPL-3.0-or-later
import { existsSync } from "node:fs";

const sources = new URL("../prover/cli/main.ts", import.meta.url);
let cli;
try {
  if (existsSync(sources)) {
    const { register } = await import("tsx/esm/api");
    register();
    ({ cli } = await import(sources.href));
  } else {
    ({ cli } = await import(new URL("../dist/prover/cli/main.js", import.meta.url).href));
  }
} catch (err) {
  // The code failed to load: a broken install or a bug, not the user's input (exit 3, as main's internal errors).
  const debug = /^(1|true|yes)$/i.test(process.env.ZKINFER_DEBUG ?? "");
  process.stderr.write(
    `zkinfer: internal error: could not load the command line: ${debug ? (err?.stack ?? err) : (err?.message ?? err)}\n` +
      `check that \`npm install\` ran in ${new URL("..", import.meta.url).pathname}; otherwise this is a bug in zkinfer` +
      `${debug ? "" : " (set ZKINFER_DEBUG=1 to print the stack trace)"}\n`,
  );
  process.exit(3);
}
await cli();
