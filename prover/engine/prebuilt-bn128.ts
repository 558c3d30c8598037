// ffjavascript's BN254 engine, built from a WebAssembly module generated ahead of time (bn128.wasm,
// next to this file) instead of at every start. ffjavascript's buildBn128 runs wasmcurves' code
// generators each time it builds an engine, in the main thread and again in every gate worker:
// ~0.4 s of CPU each time (most of it a BigInt Miller–Rabin test of both moduli), about half of a
// 2^14-row proof's key load on this project's 2-core machine. The module depends on nothing but
// the wasmcurves that ffjavascript pins, so it is generated once, by scripts/gen-bn128-wasm.ts;
// bn128.wasm.license says where it comes from (GPL-3.0, like its generators) and how to regenerate
// it, and test/prover/engine/prebuilt-bn128.test.ts generates it again and fails if the file, the
// layout below or the versions differ. The engine itself is ffjavascript's: its buildEngine
// (src/engine.js, which the package does not export, hence the exact version pin in package.json)
// on the parameters its buildBn128 passes.
import { readFileSync } from "node:fs";
import type { Bn128 } from "ffjavascript";
import { P, R } from "../../verifier/engine/constants.js";

/** The versions the module was generated from (ffjavascript's exact dependency on wasmcurves). */
export const BN128_SOURCE = { ffjavascript: "0.3.1", wasmcurves: "0.2.2", wasmbuilder: "0.0.16" } as const;

/** The module's file. */
export const BN128_WASM_URL = new URL("./bn128.wasm", import.meta.url);

/** Where the generator placed the constants ffjavascript's engine reads (pointers into the module's memory, sizes). */
export const BN128_LAYOUT = {
  pq: 488,
  pr: 1768,
  pG1gen: 31432,
  pG1zero: 31528,
  pG1b: 3080,
  pG2gen: 31624,
  pG2zero: 31816,
  pG2b: 12456,
  pOneT: 32008,
  prePSize: 192,
  preQSize: 19776,
} as const;

/** The cofactor of BN254's G2, as ffjavascript's buildBn128 passes it. */
const COFACTOR_G2 = 0x30644e72e131a029b85045b68181585e06ceecda572a2489345f2299c0f9fa8dn;

type BuildEngine = (params: unknown) => Promise<Bn128>;
let buildEngine: Promise<BuildEngine> | undefined;

/**
 * ffjavascript's engine builder, which its package does not export: imported from its file, next
 * to the entry point that `import "ffjavascript"` loads (so the same module instances).
 */
function engineBuilder(): Promise<BuildEngine> {
  const file = new URL("./src/engine.js", import.meta.resolve("ffjavascript")).href;
  buildEngine ??= import(file).then(
    (m: { default?: unknown }) => {
      if (typeof m.default !== "function") throw new Error(`${file} does not export ffjavascript's buildEngine`);
      return m.default as BuildEngine;
    },
    (err: unknown) => {
      throw new Error(`cannot load ffjavascript's engine builder from ${file} (zkinfer needs ffjavascript ${BN128_SOURCE.ffjavascript} exactly): ${(err as Error).message}`);
    },
  );
  return buildEngine;
}

/** The engine ffjavascript's buildBn128(singleThread) builds, from bn128.wasm. */
export async function buildPrebuiltBn128(singleThread: boolean): Promise<Bn128> {
  const code = new Uint8Array(readFileSync(BN128_WASM_URL));
  const wasm = { ...BN128_LAYOUT, code, n8q: 32, n8r: 32, q: P.toString(), r: R.toString() };
  const curve = await (await engineBuilder())({ name: "bn128", wasm, q: P, r: R, n8q: 32, n8r: 32, cofactorG2: COFACTOR_G2, singleThread });
  // As buildBn128's: a single-threaded engine has no threads to stop.
  curve.terminate = async () => {
    if (!singleThread) await curve.tm.terminate();
  };
  return curve;
}
