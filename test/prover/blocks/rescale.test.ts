// Rescale (division by 2^s, rounding half up) and division by a constant and by an activation:
// results against integer arithmetic, then a quotient off by one with the remainder moved to keep
// the equation (the remainder leaves its range) and a quotient beyond its range. A product's Y
// rescaled in place (its own row and the open row after it): no rows of its own, and neither a
// wrong quotient nor a wrong Y with the remainder moved to match gets through.
import { expect } from "chai";
import { releaseEngine } from "../../../verifier/engine/bn254.js";
import { CircuitBuilder, WIRE, type Cell } from "../../../prover/circuit/builder.js";
import { privateCells } from "../../../prover/blocks/cells.js";
import { BlockRangeError } from "../../../prover/blocks/errors.js";
import { divide, divideByConstant, floorDiv } from "../../../prover/blocks/division.js";
import { setLimbBits, signedRange } from "../../../prover/blocks/range-check.js";
import { rescale } from "../../../prover/blocks/rescale.js";
import { matmul } from "../../../prover/blocks/matmul.js";
import { built, cellValue, expectCheatCaught, expectProves, lookupEntry, signed, tamper } from "./harness.js";

const XS = [-67n, -64n, -60n, -4n, -3n, 0n, 3n, 4n, 5n, 57n, 58n, 59n];

describe("blocks: rescale and division", function () {
  after(releaseEngine);

  function circuit(xs: readonly bigint[]) {
    const b = new CircuitBuilder(0);
    setLimbBits(b, 4);
    const x = privateCells(b, xs);
    const y = privateCells(b, [7n]);
    const fast: Cell[] = [];
    const slow: Cell[] = [];
    const byActivation: Cell[] = [];
    for (const cell of x) {
      // 2^3 and an 8-wide signed output fit the 4-bit limbs: the two-row form.
      fast.push(rescale(b, cell, 3, { outRange: signedRange(4) }));
      // ÷ 10, floor, and an output range of width 20: the general form.
      slow.push(divideByConstant(b, cell, 10n, { outRange: { lo: -10n, hi: 9n }, rounding: "floor" }));
      byActivation.push(divide(b, cell, y[0], { divisorBits: 3, outRange: signedRange(5) }));
    }
    return { b, fast, slow, byActivation };
  }
  const c = circuit(XS);
  const k = built(c.b);

  it("round(x/8), ⌊x/10⌋ and round(x/7) for negative, tied and boundary x; the witness proves", async () => {
    const { witness, pk } = await k;
    XS.forEach((x, i) => {
      expect(signed(cellValue(witness, c.fast[i])), `round(${x}/8)`).to.equal(floorDiv(x + 4n, 8n));
      expect(signed(cellValue(witness, c.slow[i])), `⌊${x}/10⌋`).to.equal(floorDiv(x, 10n));
      expect(signed(cellValue(witness, c.byActivation[i])), `round(${x}/7)`).to.equal(floorDiv(2n * x + 7n, 14n));
    });
    expect(floorDiv(-60n + 4n, 8n)).to.equal(-7n); // −7.5 rounds up to −7
    await expectProves(pk, witness);
  });

  it("a quotient outside its range is a BlockRangeError", () => {
    expect(() => circuit([68n])).to.throw(BlockRangeError, /rescaled value = 9 .*\[-8, 7\]/);
    const b = new CircuitBuilder(0);
    const [x, zero] = privateCells(b, [5n, 0n]);
    expect(() => divide(b, x, zero, { divisorBits: 3, outRange: signedRange(5) })).to.throw(BlockRangeError, /divisor = 0/);
  });

  it("rescale: q + 1 with r − 8 (the equation still holds) fails the remainder's lookup", async () => {
    const { witness, pk } = await k;
    const q = c.fast[3];
    // Row 0 of the block holds r − 4 in a (r ∈ [0, 8) shifted into the signed 3-bit table); row 1
    // holds q in a (the output range is signed) and relu(q) in b.
    const r0 = q.row - 1;
    const cheat = tamper(witness, [
      ...lookupEntry(r0, signed(cellValue(witness, { col: WIRE.a, row: r0 })) - 8n),
      ...lookupEntry(q.row, signed(cellValue(witness, q)) + 1n),
    ]);
    await expectCheatCaught(pk, cheat, "lookup", r0);
  });

  it("division by an activation: q − 1 with ρ + 2y fails the slack's lookup", async () => {
    const { witness, pk } = await k;
    const q = c.byActivation[7]; // x = 4: q = 1, ρ = 1
    const rho = { col: WIRE.a, row: q.row + 1 };
    const slack = { col: WIRE.a, row: q.row + 2 };
    const cheat = tamper(witness, [
      [q, signed(cellValue(witness, q)) - 1n],
      ...lookupEntry(rho.row, signed(cellValue(witness, rho)) + 14n),
      [slack, signed(cellValue(witness, slack)) - 14n],
    ]);
    // The quotient's own range-check row copies q: keep it consistent too.
    const qCheck = { col: WIRE.a, row: q.row + 3 };
    const consistent = tamper(cheat, lookupEntry(qCheck.row, signed(cellValue(witness, qCheck)) - 1n));
    await expectCheatCaught(pk, consistent, "lookup", slack.row);
  });

  describe("in place, in a product's Y row and the open row after it", () => {
    const W = [
      [3n, -5n, 7n],
      [-2n, 4n, 6n],
    ];
    const b = new CircuitBuilder(0);
    setLimbBits(b, 6);
    const x = privateCells(b, [9n, -4n, 5n, 1n, 0n, -7n]);
    const X = [x.slice(0, 2), x.slice(2, 4), x.slice(4, 6)];
    const Y = matmul(b, W, X);
    const before = b.rows;
    const q = Y.map((row) => row.map((y) => rescale(b, y, 3, { outRange: signedRange(6) })));
    const added = b.rows - before;
    const k = built(b);

    it("takes no rows of its own: r sits in Y's row, q in the next one; round(Y/8) proves", async () => {
      expect(added).to.equal(0);
      const { witness, pk } = await k;
      for (let i = 0; i < 2; i++) {
        for (let p = 0; p < 2; p++) {
          expect(q[i][p]).to.deep.equal({ col: WIRE.a, row: Y[i][p].row + 1 });
          const y = signed(cellValue(witness, Y[i][p]));
          expect(y).to.equal(W[i].reduce((s, w, j) => s + w * signed(b.value(X[j][p])), 0n));
          expect(signed(cellValue(witness, q[i][p])), `round(${y}/8)`).to.equal(floorDiv(y + 4n, 8n));
        }
      }
      await expectProves(pk, witness);
    });

    it("q + 1 with r − 8 (the equation still holds) fails the remainder's lookup in the Y row", async () => {
      const { witness, pk } = await k;
      const y = Y[1][0];
      const cheat = tamper(witness, [
        ...lookupEntry(y.row, signed(cellValue(witness, { col: WIRE.a, row: y.row })) - 8n),
        ...lookupEntry(y.row + 1, signed(cellValue(witness, q[1][0])) + 1n),
      ]);
      await expectCheatCaught(pk, cheat, "lookup", y.row);
    });

    it("Y + 1 with r + 1 (the rescale's equation still holds) fails the Freivalds gate", async () => {
      const { witness, pk } = await k;
      const y = Y[0][1];
      const r = { col: WIRE.a, row: y.row } as const;
      const rv = signed(cellValue(witness, r));
      // Pick a Y whose remainder has room for + 1 in its table, so that only the product objects.
      expect(rv < 3n, `remainder ${rv}`).to.equal(true);
      const cheat = tamper(witness, [[y, cellValue(witness, y) + 1n], ...lookupEntry(y.row, rv + 1n)]);
      await expectCheatCaught(pk, cheat, "freivalds");
    });
  });
});
