#!/usr/bin/env node
// The zkinfer command line. An installed package runs the built JavaScript (dist/) with plain Node;
// a source checkout (prover/cli/main.ts next to this file) runs the TypeScript sources through tsx,
// so the sources are never shadowed by a stale build. ZKINFER_CLI=dist runs the build in a checkout
// too (after `npm run build:dist`): what an installed package runs, without tsx's start-up in the
// process and each worker thread; `npm run bench -- --side-by-side` times the CLI so.
// SPDX-License-Identifier: GPL-3.0-or-later
import { existsSync } from "node:fs";
import module from "node:module";

// Node's on-disk cache of compiled code (keyed by each file's contents and Node's version; under
// the system's temporary directory, or $NODE_COMPILE_CACHE): the bundled command line and every
// worker thread it starts load ~0.1 s sooner from the second run on. Worker threads read the
// directory from the environment. NODE_DISABLE_COMPILE_CACHE=1 turns it off.
const compileCache = module.enableCompileCache?.();
if (compileCache?.directory && process.env.NODE_COMPILE_CACHE === undefined) process.env.NODE_COMPILE_CACHE = compileCache.directory;

const choice = process.env.ZKINFER_CLI ?? "";
if (choice !== "" && choice !== "dist") {
  process.stderr.write(`zkinfer: ZKINFER_CLI=${choice}: expected "dist" (run the build, dist/) or nothing\n`);
  process.exit(2);
}
const sources = new URL("../prover/cli/main.ts", import.meta.url);
const debug = /^(1|true|yes)$/i.test(process.env.ZKINFER_DEBUG ?? "");
// The build bundles the command line (scripts/bundle-cli.ts): its stacks name the .ts sources through
// the source maps next to the bundle, which Node reads as it loads the code only when asked to.
if (debug) process.setSourceMapsEnabled(true);
let cli;
try {
  if (existsSync(sources) && choice !== "dist") {
    const { register } = await import("tsx/esm/api");
    register();
    ({ cli } = await import(sources.href));
  } else {
    ({ cli } = await import(new URL("../dist/prover/cli/main.js", import.meta.url).href));
  }
} catch (err) {
  // The code failed to load: a broken install or a bug, not the user's input (exit 3, as main's internal errors).
  process.stderr.write(
    `zkinfer: internal error: could not load the command line: ${debug ? (err?.stack ?? err) : (err?.message ?? err)}\n` +
      `check that \`npm install\`${choice === "dist" ? " (and, for ZKINFER_CLI=dist, `npm run build:dist`)" : ""} ran in ${new URL("..", import.meta.url).pathname}; otherwise this is a bug in zkinfer` +
      `${debug ? "" : " (set ZKINFER_DEBUG=1 to print the stack trace)"}\n`,
  );
  process.exit(3);
}
await cli();
