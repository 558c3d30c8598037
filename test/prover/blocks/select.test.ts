// One-hot selection by a computed index (select.ts): selectors for indices of either sign, a
// proof, and cheating selectors laid out by oneHotWith on the same layout: a non-boolean
// combination whose sums still hold (1, 0, −1, 1 for idx = 1 would select T_0 − T_2 + T_3), two
// selectors set, and the sign flag dropped for a negative index.
import { expect } from "chai";
import { releaseEngine } from "../../../verifier/engine/bn254.js";
import { CircuitBuilder } from "../../../prover/circuit/builder.js";
import { privateCells } from "../../../prover/blocks/cells.js";
import { BlockRangeError } from "../../../prover/blocks/errors.js";
import { oneHot, oneHotWith, type OneHotWitness } from "../../../prover/blocks/select.js";
import { built, cellValue, expectCheatCaught, expectProves, keyFor } from "./harness.js";

const N = 4;

/** A circuit of one index cell and its one-hot block; `cheat` replaces the honest witness values. */
function circuit(idx: bigint, cheat?: OneHotWitness) {
  const b = new CircuitBuilder(0);
  const [i] = privateCells(b, [idx]);
  const selectors = cheat ? oneHotWith(b, i, N, cheat) : oneHot(b, i, N);
  return { b, selectors };
}

describe("blocks: one-hot selection by a computed index", function () {
  this.timeout(60_000);
  after(releaseEngine);

  it("selects idx, or idx + n for a negative idx; the witness proves", async () => {
    for (const [idx, at] of [
      [0n, 0],
      [3n, 3],
      [-1n, 3],
      [-4n, 0],
    ] as const) {
      const { b, selectors } = circuit(idx);
      const { witness, pk } = await built(b);
      expect(selectors.map((s) => cellValue(witness, s))).to.deep.equal(Array.from({ length: N }, (_, k) => (k === at ? 1n : 0n)));
      if (idx === -1n) await expectProves(pk, witness);
    }
  });

  it("an index outside [−n, n − 1] is a BlockRangeError", () => {
    expect(() => circuit(4n)).to.throw(BlockRangeError, /4/);
    expect(() => circuit(-5n)).to.throw(BlockRangeError, /-5/);
  });

  // The sums are stated by copying them to the zero constant: a wrong sum breaks that copy.
  const cheats: [string, bigint, OneHotWitness, string][] = [
    ["selectors 1, 0, −1, 1 for idx = 1 (both sums hold) fail s_2's boolean row", 1n, { selectors: [1n, 0n, -1n, 1n], negative: 0n }, "arithmetic"],
    ["two selectors set (positions 0 and 1 for idx = 1) fail Σ s_k = 1", 1n, { selectors: [1n, 1n, 0n, 0n], negative: 0n }, "permutation"],
    ["idx = −1 selected as position 3 without the sign flag fails Σ k·s_k − n·ν = idx", -1n, { selectors: [0n, 0n, 0n, 1n], negative: 0n }, "permutation"],
  ];
  for (const [title, idx, cheat, gate] of cheats) {
    it(title, async () => {
      const honest = circuit(idx).b.build();
      const bad = circuit(idx, cheat).b.build();
      // Same layout: the cheat only changes wire values.
      expect(bad.table.fixed.every((col, i) => Buffer.compare(col, honest.table.fixed[i]) === 0)).to.equal(true);
      const pk = await keyFor(honest.table);
      // s_2's boolean row: the index row, ν's row, then s_0, s_1, s_2.
      await expectCheatCaught(pk, bad.witness, gate, gate === "arithmetic" ? 4 : undefined);
    });
  }
});
