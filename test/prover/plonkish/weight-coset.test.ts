import { expect } from "chai";
import { R, releaseEngine } from "../../../verifier/engine/bn254.js";
import { CHUNK, frVecFromBigints, frVecToBigints } from "../../../verifier/engine/fr.js";
import { weightsOnCoset } from "../../../prover/plonkish/weight-coset.js";
import { pseudoRandom } from "../poly/naive.js";

describe("plonkish: Ĉ and Ŵ′ on the coset", function () {
  after(releaseEngine);

  async function check(size: number, count: number, engine: "zkinfer" | "ffjavascript", seed: bigint): Promise<void> {
    const n = 8;
    const weights = [0n, 1n, 2n, 3n].map((t) => pseudoRandom(size, seed + t));
    const slots = pseudoRandom(4, seed + 10n);
    const combined = pseudoRandom(n + 1, seed + 11n);
    const blinded = pseudoRandom(n + count, seed + 12n);
    const x = pseudoRandom(size, seed + 13n);
    const zh = pseudoRandom(size, seed + 14n);
    const before = process.env.ZKINFER_ENGINE;
    process.env.ZKINFER_ENGINE = engine;
    let out;
    try {
      out = await weightsOnCoset(weights.map((w) => frVecFromBigints(w)), slots, frVecFromBigints(combined), frVecFromBigints(blinded), n, frVecFromBigints(x), frVecFromBigints(zh));
    } finally {
      if (before === undefined) delete process.env.ZKINFER_ENGINE;
      else process.env.ZKINFER_ENGINE = before;
    }
    // D's coefficients: R's (Ŵ′'s from n on), less r̂ (Ĉ's coefficient n) in the constant one.
    const d = blinded.slice(n).map((v, j) => (j === 0 ? (v - combined[n] + R) % R : v));
    const c = Array.from({ length: size }, (_, i) => weights.reduce((s, w, t) => (s + slots[t] * w[i]) % R, 0n));
    const w = c.map((ci, i) => (ci + d.reduceRight((acc, dj) => (acc * x[i] + dj) % R, 0n) * zh[i]) % R);
    expect(frVecToBigints(out.combined)).to.deep.equal(c);
    expect(frVecToBigints(out.blinded)).to.deep.equal(w);
    expect(out.combined.buffer).to.be.instanceOf(SharedArrayBuffer);
    expect(out.blinded.buffer).to.be.instanceOf(SharedArrayBuffer);
  }

  it("our kernels: Σ κ_t·C_t and Ĉ + D(x)·Z_H(x) on every element, over two chunks, for 1, 2, 3 and 4 blinding coefficients", async function () {
    this.timeout(120_000);
    await check(CHUNK + 37, 3, "zkinfer", 1n);
    for (const count of [1, 2, 4]) await check(300, count, "zkinfer", BigInt(count) * 100n);
  });

  it("the engine's vector operations give the same", async function () {
    this.timeout(120_000);
    for (const count of [1, 3]) await check(300, count, "ffjavascript", BigInt(count) * 1000n);
  });
});
