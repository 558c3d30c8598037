import { expect } from "chai";
import { releaseEngine } from "../../../verifier/engine/bn254.js";
import { frGet, frSet, frVecFromBigints, frZeros } from "../../../verifier/engine/fr.js";
import { FIXED, NUM_FIXED } from "../../../verifier/plonkish/layout.js";
import { lookupMultiplicities, rowHash, words } from "../../../prover/plonkish/derive.js";

/** Two distinct table keys (t_in, 0, 1) with the same rowHash, found by trying t_in = 1, 2, 3, … */
function collidingInputs(): [bigint, bigint] {
  const tries = 1 << 17; // ~2 collisions expected among 2^17 32-bit hashes
  const tIn = words(frVecFromBigints(Array.from({ length: tries }, (_, i) => BigInt(i + 1))));
  const zero = words(frZeros(tries));
  const one = words(frVecFromBigints(Array.from({ length: tries }, () => 1n)));
  const seen = new Map<number, number>();
  for (let row = 0; row < tries; row++) {
    const h = rowHash([tIn, zero, one], row);
    const earlier = seen.get(h);
    if (earlier !== undefined) return [BigInt(earlier + 1), BigInt(row + 1)];
    seen.set(h, row);
  }
  throw new Error("no collision among the tries");
}

describe("plonkish: lookup multiplicities", function () {
  after(releaseEngine);

  it("counts two table keys whose hashes collide apart (keys compared in full), and reports the keys that are in no table", function () {
    const [k1, k2] = collidingInputs();
    const n = 16;
    const fixed = Array.from({ length: NUM_FIXED }, () => frZeros(n));
    // The table (tag 1): k1 → 0 on row 0, k2 → 0 on row 1, k1 → 0 again on row 2 (the first row counts).
    [k1, k2, k1].forEach((k, row) => {
      frSet(fixed[FIXED.tIn], row, k);
      frSet(fixed[FIXED.tTag], row, 1n);
    });
    const a = frZeros(n);
    const b = frZeros(n);
    // Lookups: k1 three times, k2 once, k1 in a table of tag 2 (none), and k1 → 5 (not in the table).
    const lookups: [bigint, bigint, bigint][] = [
      [k1, 0n, 1n],
      [k2, 0n, 1n],
      [k1, 0n, 1n],
      [k1, 0n, 1n],
      [k1, 0n, 2n],
      [k1, 5n, 1n],
    ];
    lookups.forEach(([x, y, tag], i) => {
      frSet(a, 4 + i, x);
      frSet(b, 4 + i, y);
      frSet(fixed[FIXED.qLK], 4 + i, tag);
    });
    const { m, missing } = lookupMultiplicities(fixed, a, b, n);
    expect(Array.from({ length: n }, (_, row) => frGet(m, row))).to.deep.equal([3n, 1n, ...Array<bigint>(n - 2).fill(0n)]);
    expect(missing).to.deep.equal([8, 9]);
  });

  it("weights each lookup by its table's tag", function () {
    const n = 8;
    const fixed = Array.from({ length: NUM_FIXED }, () => frZeros(n));
    frSet(fixed[FIXED.tIn], 0, 7n);
    frSet(fixed[FIXED.tOut], 0, 3n);
    frSet(fixed[FIXED.tTag], 0, 4n);
    const a = frZeros(n);
    const b = frZeros(n);
    for (const row of [2, 5]) {
      frSet(a, row, 7n);
      frSet(b, row, 3n);
      frSet(fixed[FIXED.qLK], row, 4n);
    }
    const { m, missing } = lookupMultiplicities(fixed, a, b, n);
    expect(frGet(m, 0)).to.equal(8n);
    expect(missing).to.deep.equal([]);
  });
});
