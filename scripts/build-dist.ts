// `npm run build` (after the contracts): emits the package's JavaScript and declarations into dist/
// with tsconfig.build.json, and copies the files the code reads at run time (the verifier template).
import { spawnSync } from "node:child_process";
import { cpSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DIST = join(ROOT, "dist");
const SOURCES = ["prover", "sdk"];

rmSync(DIST, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const run = spawnSync(process.execPath, [tsc, "-p", join(ROOT, "tsconfig.build.json")], { stdio: "inherit" });
if (run.status !== 0) process.exit(run.status ?? 1);

// Everything the sources read by URL next to themselves; documentation stays out.
let copied = 0;
for (const dir of SOURCES) {
  for (const entry of readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || /\.(ts|md)$/.test(entry.name)) continue;
    const from = join(entry.parentPath, entry.name);
    cpSync(from, join(DIST, relative(ROOT, from)));
    copied++;
  }
}
console.log(`dist: compiled ${SOURCES.join(", ")}; copied ${copied} asset file(s)`);
