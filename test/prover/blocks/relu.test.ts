// ReLU and the piecewise-linear ops built on it (LeakyReLU, Clip, HardSigmoid): values against
// integer references, a proof, and cheats: ReLU passing a negative input through (y = x, z = 0),
// both parts nonzero (y·z ≠ 0), and a wrong LeakyReLU output.
import { expect } from "chai";
import { releaseEngine } from "../../../prover/engine/bn254.js";
import { CircuitBuilder, type Cell } from "../../../prover/circuit/builder.js";
import { privateCells } from "../../../prover/blocks/cells.js";
import { BlockRangeError } from "../../../prover/blocks/errors.js";
import { floorDiv } from "../../../prover/blocks/division.js";
import { clip, hardSigmoid, leakyRelu } from "../../../prover/blocks/piecewise.js";
import { setLimbBits, signedRange } from "../../../prover/blocks/range-check.js";
import { reluParts } from "../../../prover/blocks/relu.js";
import { built, cellValue, expectCheatCaught, expectProves, signed, tamper } from "./harness.js";

const XS = [-15n, -9n, -1n, 0n, 1n, 6n, 15n];

describe("blocks: relu and piecewise-linear", function () {
  after(releaseEngine);
  const b = new CircuitBuilder(0);
  setLimbBits(b, 4);
  const x = privateCells(b, XS);
  const parts = x.map((cell) => reluParts(b, cell, { bits: 4 }));
  // α = 3/8 (fixed point), clip to [−4, 5], hard sigmoid with α = 1/4, β = 4, one = 8.
  const leaky = x.map((cell) => leakyRelu(b, cell, { bits: 4, slopeNum: 3n, slopeShift: 3 }));
  const clipped = x.map((cell) => clip(b, cell, { lo: -4n, hi: 5n, bits: 5 }));
  const hard = x.map((cell) => hardSigmoid(b, cell, { alphaNum: 1n, alphaShift: 2, beta: 4n, one: 8n, preRange: signedRange(4), bits: 4 }));
  const k = built(b);
  const v = (w: Parameters<typeof cellValue>[0], cell: Cell) => signed(cellValue(w, cell));

  it("max(x, 0), max(−x, 0), LeakyReLU, Clip and HardSigmoid match integer references; the witness proves", async () => {
    const { witness, pk } = await k;
    XS.forEach((xv, i) => {
      expect(v(witness, parts[i].y)).to.equal(xv > 0n ? xv : 0n);
      expect(v(witness, parts[i].z)).to.equal(xv < 0n ? -xv : 0n);
      expect(v(witness, leaky[i]), `leaky(${xv})`).to.equal(xv > 0n ? xv : floorDiv(3n * xv + 4n, 8n));
      expect(v(witness, clipped[i]), `clip(${xv})`).to.equal(xv < -4n ? -4n : xv > 5n ? 5n : xv);
      const pre = floorDiv(xv + 2n, 4n) + 4n;
      expect(v(witness, hard[i]), `hardSigmoid(${xv})`).to.equal(pre < 0n ? 0n : pre > 8n ? 8n : pre);
    });
    await expectProves(pk, witness);
  });

  it("an input beyond ±(2^bits − 1) is a BlockRangeError", () => {
    const c = new CircuitBuilder(0);
    const [big] = privateCells(c, [16n]);
    expect(() => reluParts(c, big, { bits: 4 })).to.throw(BlockRangeError, /relu input = 16/);
  });

  it("ReLU passing a negative input through (y = x, z = 0) fails y's lookup", async () => {
    const { witness, pk } = await k;
    const { y, z } = parts[1]; // x = −9
    const cheat = tamper(witness, [
      [y, -9n],
      [z, 0n],
      [{ col: 0, row: y.row + 2 }, -9n],
      [{ col: 1, row: y.row + 2 }, 0n],
    ]);
    await expectCheatCaught(pk, cheat, "lookup", y.row);
  });

  it("ReLU with both parts nonzero (y = 1, z = 10 for x = −9) fails the product row", async () => {
    const { witness, pk } = await k;
    const { y, z } = parts[1];
    const cheat = tamper(witness, [
      [y, 1n],
      [z, 10n],
      [{ col: 0, row: y.row + 2 }, 1n],
      [{ col: 1, row: y.row + 2 }, 10n],
    ]);
    await expectCheatCaught(pk, cheat, "arithmetic", y.row + 2);
  });

  it("a wrong LeakyReLU output fails its last row", async () => {
    const { witness, pk } = await k;
    const out = leaky[0];
    await expectCheatCaught(pk, tamper(witness, [[out, v(witness, out) + 1n]]), "arithmetic", out.row);
  });
});
