// Copy / permute: the re-indexings against index arithmetic done by hand, and in a circuit a
// padded, transposed, sliced and gathered tensor summed and proved; cheats: a pad cell that is
// not the constant, and a fresh copy that differs from its source.
import { expect } from "chai";
import { releaseEngine } from "../../../verifier/engine/bn254.js";
import { CircuitBuilder } from "../../../prover/circuit/builder.js";
import { privateCells } from "../../../prover/blocks/cells.js";
import { concat, freshCopies, gather, pad, reshape, slice, transpose, upsampleNearest, type CellTensor } from "../../../prover/blocks/copy.js";
import { sum } from "../../../prover/blocks/sum.js";
import { CircuitError } from "../../../prover/plonkish/index.js";
import { built, cellValue, expectCheatCaught, expectProves, signed, tamper } from "./harness.js";

describe("blocks: copy and permute", function () {
  after(releaseEngine);
  const b = new CircuitBuilder(0);
  // t = [[1, 2, 3], [4, 5, 6]]
  const t: CellTensor = { dims: [2, 3], cells: privateCells(b, [1n, 2n, 3n, 4n, 5n, 6n]) };
  const vals = (u: CellTensor) => u.cells.map((c) => signed(b.value(c)));

  it("reshape, transpose, slice, concat, pad, gather and upsample pick the right cells", () => {
    expect(vals(reshape(t, [3, 2]))).to.deep.equal([1n, 2n, 3n, 4n, 5n, 6n]);
    expect(vals(transpose(t, [1, 0]))).to.deep.equal([1n, 4n, 2n, 5n, 3n, 6n]);
    expect(vals(slice(t, [0, 1], [2, 3]))).to.deep.equal([2n, 3n, 5n, 6n]);
    expect(vals(slice(t, [1, 2], [-1, -1], [-1, -2]))).to.deep.equal([6n, 4n, 3n, 1n]);
    expect(vals(concat([t, t], 1))).to.deep.equal([1n, 2n, 3n, 1n, 2n, 3n, 4n, 5n, 6n, 4n, 5n, 6n]);
    expect(vals(pad(b, t, [0, 1], [1, 0], 9n))).to.deep.equal([9n, 1n, 2n, 3n, 9n, 4n, 5n, 6n, 9n, 9n, 9n, 9n]);
    expect(vals(gather(t, 1, [2, 0, -1]))).to.deep.equal([3n, 1n, 3n, 6n, 4n, 6n]);
    expect(vals(upsampleNearest(t, [1, 2]))).to.deep.equal([1n, 1n, 2n, 2n, 3n, 3n, 4n, 4n, 5n, 5n, 6n, 6n]);
    expect(() => transpose(t, [0, 0])).to.throw(CircuitError);
    expect(() => reshape(t, [4])).to.throw(CircuitError);
    expect(() => gather(t, 1, [3])).to.throw(CircuitError);
  });

  describe("in a circuit", () => {
    const padded = pad(b, transpose(t, [1, 0]), [1, 0], [0, 1], 0n); // 4×3 with zeros
    const fresh = freshCopies(b, gather(padded, 0, [1, 3]).cells);
    const total = sum(b, [...padded.cells, ...fresh]);
    const k = built(b);

    it("the sum of the padded transpose plus two gathered rows is right, and proves", async () => {
      const { witness, pk } = await k;
      expect(signed(cellValue(witness, total))).to.equal(21n + 1n + 4n + 3n + 6n);
      await expectProves(pk, witness);
    });

    it("a pad cell that is not 0 fails the constant's row (q_l·a + q_c = 0 states a = 0)", async () => {
      const { witness, pk } = await k;
      const zero = padded.cells[0];
      const cheat = tamper(witness, [[zero, 1n]]);
      await expectCheatCaught(pk, cheat, "arithmetic", zero.row);
    });

    it("a fresh copy that differs from its source fails the copy constraint", async () => {
      const { witness, pk } = await k;
      await expectCheatCaught(pk, tamper(witness, [[fresh[0], 7n]]), "permutation");
    });
  });
});
