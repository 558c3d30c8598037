// Writes prover/engine/bn128.wasm, the WebAssembly module of ffjavascript's BN254 engine, and
// prints where its constants sit (prover/engine/prebuilt-bn128.ts's BN128_LAYOUT).
//   npx tsx scripts/gen-bn128-wasm.ts [--check]
// The module is what ffjavascript's buildBn128 generates at every start, with the same generators
// (wasmcurves) and memory size, from the versions BN128_SOURCE names (it refuses others: update
// BN128_SOURCE and bn128.wasm.license with the module); --check compares with the committed file
// and layout instead of writing, and exits 1 on a difference.
import { readFileSync, realpathSync, writeFileSync } from "node:fs";
import { findPackageJSON } from "node:module";
import { fileURLToPath } from "node:url";
import { BN128_LAYOUT, BN128_SOURCE, BN128_WASM_URL } from "../prover/engine/prebuilt-bn128.js";

interface ModuleBuilder {
  setMemory(pages: number): void;
  build(): Uint8Array;
  modules: Record<string, Record<string, unknown>>;
}

/** The installed versions of the generator's packages, as ffjavascript resolves them. */
export function installedBn128Sources(): Record<keyof typeof BN128_SOURCE, string> {
  const ffjavascript = import.meta.resolve("ffjavascript");
  const version = (path: string | undefined) => (JSON.parse(readFileSync(path ?? "", "utf8")) as { version: string }).version;
  const out = { ffjavascript: version(findPackageJSON(ffjavascript)) } as Record<keyof typeof BN128_SOURCE, string>;
  for (const name of ["wasmcurves", "wasmbuilder"] as const) {
    // This script imports them by name (they are ffjavascript's dependencies, not ours): that must be ffjavascript's copy.
    const [theirs, ours] = [findPackageJSON(name, ffjavascript), findPackageJSON(name, import.meta.url)].map((p) => realpathSync(p ?? "."));
    if (theirs !== ours) throw new Error(`${name}: ffjavascript uses ${theirs}, this script would load ${ours}`);
    out[name] = version(theirs);
  }
  return out;
}

/** The module and its layout, generated as ffjavascript's buildBn128 does. */
export async function generateBn128Module(): Promise<{ code: Uint8Array; layout: Record<keyof typeof BN128_LAYOUT, number> }> {
  const installed = installedBn128Sources();
  if (JSON.stringify(installed) !== JSON.stringify(BN128_SOURCE)) {
    throw new Error(`installed ${JSON.stringify(installed)}, bn128.wasm is from ${JSON.stringify(BN128_SOURCE)}: update BN128_SOURCE and bn128.wasm.license, then regenerate`);
  }
  const { ModuleBuilder } = (await import(import.meta.resolve("wasmbuilder"))) as { ModuleBuilder: new () => ModuleBuilder };
  const { buildBn128 } = (await import(import.meta.resolve("wasmcurves"))) as { buildBn128: (m: ModuleBuilder) => void };
  const builder = new ModuleBuilder();
  builder.setMemory(25);
  buildBn128(builder);
  const code = builder.build();
  const { f1m, frm, bn128 } = builder.modules;
  const layout = {
    pq: f1m.pq,
    pr: frm.pq,
    ...Object.fromEntries(["pG1gen", "pG1zero", "pG1b", "pG2gen", "pG2zero", "pG2b", "pOneT", "prePSize", "preQSize"].map((k) => [k, bn128[k]])),
  } as Record<keyof typeof BN128_LAYOUT, number>;
  return { code: new Uint8Array(code), layout };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { code, layout } = await generateBn128Module();
  const path = fileURLToPath(BN128_WASM_URL);
  const sameLayout = JSON.stringify(layout) === JSON.stringify(BN128_LAYOUT);
  if (process.argv.includes("--check")) {
    const same = Buffer.compare(readFileSync(path), code) === 0;
    console.log(`${path}: ${same ? "up to date" : "DIFFERS"}; layout ${sameLayout ? "matches" : `DIFFERS: ${JSON.stringify(layout)}`}`);
    process.exit(same && sameLayout ? 0 : 1);
  }
  writeFileSync(path, code);
  console.log(`wrote ${path} (${code.length} bytes); layout ${sameLayout ? "unchanged" : `changed, update BN128_LAYOUT: ${JSON.stringify(layout)}`}`);
}
