// The long differential tests of our own kernels (`npm run test:engine`): MSMs (variable and fixed
// base; the variable-base ones with the GLV split and without) of 2^k ± 1 points up to 2^16 + 1
// and NTTs of every size up to 2^16. Skipped unless ZKINFER_ENGINE_TESTS=large.
import type { Bn128 } from "ffjavascript";
import { getEngine, releaseEngine } from "../../../verifier/engine/bn254.js";
import { g1FixedBaseTable } from "../../../prover/engine/wasm/index.js";
import { devSrs } from "../../../prover/srs/index.js";
import { expectFixedMsmMatches, expectMsmMatches, expectNttMatches, glvEdgeScalars, scalarStream } from "./wasm-kernels.js";

const large = process.env.ZKINFER_ENGINE_TESTS === "large";

(large ? describe : describe.skip)("engine/wasm, large sizes (npm run test:engine)", () => {
  let curve: Bn128;
  let bases: Uint8Array;
  before(async () => {
    curve = await getEngine();
    bases = (await devSrs((1 << 16) + 1)).g1;
  });
  after(releaseEngine);

  it("MSM of 2^k − 1, 2^k and 2^k + 1 random points, k = 12, 14, 16, on one and two threads", async () => {
    const next = scalarStream(23n);
    for (const k of [12, 14, 16]) {
      for (const n of [2 ** k - 1, 2 ** k, 2 ** k + 1]) {
        const xs = Array.from({ length: n }, next);
        for (const threads of [1, 2]) await expectMsmMatches(curve, bases.subarray(0, n * 64), xs, threads);
      }
    }
  });

  it("MSM of 2^16 points where every scalar is equal, and of 2^16 points that repeat seven distinct ones", async () => {
    const n = 1 << 16;
    const next = scalarStream(29n);
    const s = next();
    await expectMsmMatches(curve, bases.subarray(0, n * 64), Array(n).fill(s), 2);
    const repeated = new Uint8Array(n * 64);
    for (let i = 0; i < n; i++) repeated.set(bases.subarray((i % 7) * 64, (i % 7) * 64 + 64), i * 64);
    await expectMsmMatches(curve, repeated, Array.from({ length: n }, next), 2);
  });

  it("MSM of 2^16 + 1 points at GLV's edges (λ, r − λ, halves at the split's bound, …), with and without the split", async () => {
    const n = (1 << 16) + 1;
    await expectMsmMatches(curve, bases.subarray(0, n * 64), glvEdgeScalars(n), 2);
  });

  it("fixed-base MSM over a table of 2^16 + 1 points (the planned window width): 2^k − 1, 2^k and 2^k + 1 random scalars, k = 12, 14, 16, on one and two threads", async () => {
    const table = await g1FixedBaseTable(bases);
    const next = scalarStream(31n);
    for (const k of [12, 14, 16]) {
      for (const n of [2 ** k - 1, 2 ** k, 2 ** k + 1]) {
        const xs = Array.from({ length: n }, next);
        // On one thread 2^16 + 1 points take the windows in several passes (at most 2^18 table points each).
        for (const threads of [1, 2]) await expectFixedMsmMatches(curve, table, bases, xs, { threads });
      }
    }
    await expectFixedMsmMatches(curve, table, bases, Array(1 << 16).fill(next()), { threads: 2 });
  });

  it("NTT of every size 2^1 … 2^16, forward and inverse, on one thread and split over two", async () => {
    for (let logn = 1; logn <= 16; logn++) {
      await expectNttMatches(curve, logn, 1, BigInt(logn));
      await expectNttMatches(curve, logn, 2, BigInt(1000 + logn));
    }
  });
});
