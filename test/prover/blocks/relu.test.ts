// ReLU and the piecewise-linear ops built on it (LeakyReLU, Clip, HardSigmoid): values against
// integer references, a proof, and cheats: ReLU passing a negative input through (y = x, z = 0),
// z taken from x instead of −x, a wrong one-row ReLU, and a wrong LeakyReLU output.
import { expect } from "chai";
import { releaseEngine } from "../../../verifier/engine/bn254.js";
import { CircuitBuilder, type Cell } from "../../../prover/circuit/builder.js";
import { privateCells } from "../../../prover/blocks/cells.js";
import { BlockRangeError } from "../../../prover/blocks/errors.js";
import { floorDiv } from "../../../prover/blocks/division.js";
import { clip, hardSigmoid, leakyRelu } from "../../../prover/blocks/piecewise.js";
import { setLimbBits, signedRange } from "../../../prover/blocks/range-check.js";
import { reluParts, reluSigned } from "../../../prover/blocks/relu.js";
import { built, cellValue, expectCheatCaught, expectProves, lookupEntry, signed, tamper } from "./harness.js";

const XS = [-15n, -9n, -1n, 0n, 1n, 6n, 15n];

describe("blocks: relu and piecewise-linear", function () {
  after(releaseEngine);
  const b = new CircuitBuilder(0);
  setLimbBits(b, 6);
  const x = privateCells(b, XS);
  // Two lookup rows in the signed 5-bit table each.
  const parts = x.map((cell) => reluParts(b, cell, { bits: 4 }));
  // bits + 1 = 7 > the limb width: y − z = v, y·z = 0 and limbed checks of y and z.
  const wide = x.map((cell) => reluParts(b, cell, { bits: 6 }));
  // One lookup row in the signed 5-bit table (a = x, b = relu(x)).
  const single = x.map((cell) => reluSigned(b, cell, 5));
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
      expect([v(witness, wide[i].y), v(witness, wide[i].z)]).to.deep.equal([v(witness, parts[i].y), v(witness, parts[i].z)]);
      expect(v(witness, single[i])).to.equal(xv > 0n ? xv : 0n);
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
    expect(() => reluSigned(c, big, 5)).to.throw(BlockRangeError, /relu input = 16 .*\[-16, 15\]/);
  });

  it("ReLU passing a negative input through (y = x, z = 0) fails the lookup of −x", async () => {
    const { witness, pk } = await k;
    // Row 0: a = −x, b = z; row 1: a = x, b = y, c = x.
    const { y, z } = parts[1]; // x = −9
    const cheat = tamper(witness, [
      [y, -9n],
      [z, 0n],
    ]);
    await expectCheatCaught(pk, cheat, "lookup", z.row);
  });

  it("z taken from x instead of −x (row 0's a = −9 for x = −9, so z = 0) fails a + a_next = 0", async () => {
    const { witness, pk } = await k;
    const { z } = parts[1];
    await expectCheatCaught(pk, tamper(witness, lookupEntry(z.row, -9n)), "arithmetic", z.row);
  });

  it("a one-row ReLU claiming relu(−9) = −9 fails its lookup", async () => {
    const { witness, pk } = await k;
    await expectCheatCaught(pk, tamper(witness, [[single[1], -9n]]), "lookup", single[1].row);
  });

  it("a wrong LeakyReLU output fails its last row", async () => {
    const { witness, pk } = await k;
    const out = leaky[0];
    await expectCheatCaught(pk, tamper(witness, [[out, v(witness, out) + 1n]]), "arithmetic", out.row);
  });
});
