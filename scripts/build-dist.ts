// `npm run build` (after the contracts): emits the package's JavaScript and declarations into dist/
// with tsconfig.build.json, copies the files the code reads at run time (the verifier template),
// and ships the hand-written declarations of untyped modules (ffjavascript), referenced from
// every emitted declaration that imports them, so that a consumer's tsc sees them. Then it bundles
// the command line's and the worker threads' entries over tsc's files (scripts/bundle-cli.ts).
import { spawnSync } from "node:child_process";
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { BUNDLED_ENTRIES, bundleEntries } from "./bundle-cli.js";
import { kernelBinary } from "../prover/engine/wasm/module.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DIST = join(ROOT, "dist");
const SOURCES = ["verifier", "prover", "sdk", "service"];

rmSync(DIST, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const run = spawnSync(process.execPath, [tsc, "-p", join(ROOT, "tsconfig.build.json")], { stdio: "inherit" });
if (run.status !== 0) process.exit(run.status ?? 1);

const files = (root: string) =>
  readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));

// Everything the sources read by URL next to themselves; documentation stays out.
let copied = 0;
/** Module name → the dist path of its hand-written declaration (`declare module "…"`). */
const declared = new Map<string, string>();
for (const dir of SOURCES) {
  for (const from of files(join(ROOT, dir))) {
    const to = join(DIST, relative(ROOT, from));
    if (from.endsWith(".d.ts")) {
      const modules = [...readFileSync(from, "utf8").matchAll(/^declare module "([^"]+)"/gm)].map((m) => m[1]);
      if (modules.length === 0) continue; // global declarations (the WebAssembly API) stay ours
      cpSync(from, to);
      for (const name of modules) declared.set(name, to);
    } else if (!/\.(ts|md)$/.test(from)) {
      cpSync(from, to);
      copied++;
    }
  }
}
let referenced = 0;
for (const file of files(DIST).filter((f) => f.endsWith(".d.ts"))) {
  const text = readFileSync(file, "utf8");
  const refs = [...declared].filter(([name, at]) => at !== file && text.includes(`from "${name}"`)).map(([, at]) => at);
  if (refs.length === 0) continue;
  writeFileSync(file, refs.map((at) => `/// <reference path="${relative(dirname(file), at)}" />\n`).join("") + text);
  referenced++;
}
const bundled = await bundleEntries(ROOT, DIST);
// Our kernels' WebAssembly, generated once here rather than in every thread of every run (see KERNEL_WASM_URL).
const kernelWasm = join(DIST, "prover", "engine", "wasm", "kernel.wasm");
writeFileSync(kernelWasm, kernelBinary());
console.log(
  `dist: compiled ${SOURCES.join(", ")}; copied ${copied} asset file(s); ${declared.size} declared module(s) referenced from ${referenced} declaration(s); ` +
    `bundled ${BUNDLED_ENTRIES.join(", ")} (${bundled} file(s)); generated ${relative(ROOT, kernelWasm)}`,
);
