// Writes prover/engine/bn128.wasm, the WebAssembly module of ffjavascript's BN254 engine, and
// prints where its constants sit (prover/engine/prebuilt-bn128.ts's BN128_LAYOUT).
//   npx tsx scripts/gen-bn128-wasm.ts [--check]
// The module is what ffjavascript 0.3.1's buildBn128 generates at every start, with the same
// generators (wasmcurves) and memory size; --check compares with the committed file and layout
// instead of writing, and exits 1 on a difference.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { BN128_LAYOUT, BN128_WASM_URL } from "../prover/engine/prebuilt-bn128.js";

interface ModuleBuilder {
  setMemory(pages: number): void;
  build(): Uint8Array;
  modules: Record<string, Record<string, unknown>>;
}

/** The module and its layout, generated as ffjavascript's buildBn128 does. */
export async function generateBn128Module(): Promise<{ code: Uint8Array; layout: Record<keyof typeof BN128_LAYOUT, number> }> {
  // ffjavascript's own dependencies (not ours): imported from where it imports them.
  const from = import.meta.resolve("ffjavascript");
  const { ModuleBuilder } = (await import(import.meta.resolve("wasmbuilder", from))) as { ModuleBuilder: new () => ModuleBuilder };
  const { buildBn128 } = (await import(import.meta.resolve("wasmcurves", from))) as { buildBn128: (m: ModuleBuilder) => void };
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
