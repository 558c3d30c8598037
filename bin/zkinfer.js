#!/usr/bin/env node
// The zkinfer command line. Loads the TypeScript sources through tsx, so no build step is needed.
import { register } from "tsx/esm/api";

register();
const { cli } = await import(new URL("../prover/cli/main.ts", import.meta.url).href);
await cli();
