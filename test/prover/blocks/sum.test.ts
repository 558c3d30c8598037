// Elementwise arithmetic (add, sub, mul, scale, add-constant, constants) and sums chained through
// the next-row term: values, row counts, a proof, and cheats: a running sum changed mid-chain and
// a wrong product.
import { expect } from "chai";
import { releaseEngine } from "../../../verifier/engine/bn254.js";
import { CircuitBuilder, WIRE } from "../../../prover/circuit/builder.js";
import { addCells, addConstant, mul, scaleCell, subCells } from "../../../prover/blocks/arithmetic.js";
import { constantCell, privateCells } from "../../../prover/blocks/cells.js";
import { setLimbBits } from "../../../prover/blocks/range-check.js";
import { linearCombination } from "../../../prover/blocks/linear-combination.js";
import { mean, sum } from "../../../prover/blocks/sum.js";
import { built, cellValue, expectCheatCaught, expectProves, signed, tamper } from "./harness.js";

const XS = [4n, -9n, 13n, 2n, -5n, 7n, 11n, -1n, 3n];

describe("blocks: arithmetic and sums", function () {
  after(releaseEngine);
  const b = new CircuitBuilder(0);
  setLimbBits(b, 4);
  const x = privateCells(b, XS);
  const elementwise = [addCells(b, x[0], x[1]), subCells(b, x[0], x[1]), mul(b, x[0], x[1]), scaleCell(b, x[2], -3n), addConstant(b, x[2], 100n), constantCell(b, -42n)];
  const rowsBefore = b.rows;
  const sums = [1, 2, 3, 4, 5, 8, 9].map((T) => sum(b, x.slice(0, T)));
  const sumRows = b.rows - rowsBefore;
  const combo = linearCombination(
    b,
    x.map((c, i) => [c, BigInt(i + 1)] as const),
    -7n,
  );
  const avg = mean(b, x, { lo: -8n, hi: 7n });
  const k = built(b);

  it("elementwise ops, sums of 1…9 cells (about T/2 rows each), a weighted sum and a mean; the witness proves", async () => {
    const { witness, pk } = await k;
    const v = (c: Parameters<typeof cellValue>[1]) => signed(cellValue(witness, c));
    expect(elementwise.map(v)).to.deep.equal([-5n, 13n, -36n, -39n, 113n, -42n]);
    [1, 2, 3, 4, 5, 8, 9].forEach((T, i) => expect(v(sums[i]), `sum of ${T}`).to.equal(XS.slice(0, T).reduce((s, a) => s + a, 0n)));
    // T ≤ 2: 1 row; T = 3, 4: 2; 5: 3; 8: 4; 9: 5 (three terms in the first row, two in each
    // next, the result in the c of a row with one term left or in a last row of its own).
    expect(sumRows).to.equal(1 + 1 + 2 + 2 + 3 + 4 + 5);
    expect(v(combo)).to.equal(XS.reduce((s, a, i) => s + BigInt(i + 1) * a, -7n));
    expect(v(avg)).to.equal(3n); // 25/9 = 2.78 rounds to 3
    await expectProves(pk, witness);
  });

  it("a running sum changed mid-chain fails the arithmetic gate of the row before", async () => {
    const { witness, pk } = await k;
    // The 8-term sum: its second row's a holds the running sum of the first three terms.
    const row = sums[5].row - 2;
    const cell = { col: WIRE.a, row };
    await expectCheatCaught(pk, tamper(witness, [[cell, signed(cellValue(witness, cell)) + 1n]]), "arithmetic", row - 1);
  });

  it("a wrong product fails its row", async () => {
    const { witness, pk } = await k;
    const p = elementwise[2];
    await expectCheatCaught(pk, tamper(witness, [[p, -35n]]), "arithmetic", p.row);
  });
});
