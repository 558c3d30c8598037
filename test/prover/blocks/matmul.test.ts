// Matrix products: against private weights (with a bias, K output rows packed into the slots of
// one weight row) and of two activation matrices, both by the Freivalds rows. Cheats: a wrong Y
// entry (in slot 0 and in another slot); a weight row cleared of q_fwt while it holds weights; an
// activation W row that does not hold its A entry; a one-row lookup placed in an open X row, which
// still binds its X entry.
import { expect } from "chai";
import { releaseEngine } from "../../../verifier/engine/bn254.js";
import { frMod } from "../../../verifier/engine/scalar.js";
import { CircuitBuilder, WIRE, type Cell } from "../../../prover/circuit/builder.js";
import { privateCells } from "../../../prover/blocks/cells.js";
import { matmul, matmulActivations } from "../../../prover/blocks/matmul.js";
import { checkSigned } from "../../../prover/blocks/range-check.js";
import { CircuitError, layout } from "../../../prover/plonkish/index.js";
import { frGet, frSet } from "../../../verifier/engine/fr.js";
import { built, cellValue, expectCheatCaught, expectProves, keyFor, lookupEntry, signed, tamper } from "./harness.js";
import { prng } from "../plonkish/circuits.js";
import { expectRejection } from "../../helpers/assert.js";

const { FIXED, WEIGHT_SLOTS } = layout;

function matrix(b: CircuitBuilder, rows: number, cols: number, next: () => bigint): Cell[][] {
  const cells = privateCells(b, Array.from({ length: rows * cols }, () => (next() % 201n) - 100n));
  return Array.from({ length: rows }, (_, i) => cells.slice(i * cols, (i + 1) * cols));
}

describe("blocks: matmul", function () {
  after(releaseEngine);

  describe("against private weights, with bias", () => {
    const next = prng(7);
    const W = Array.from({ length: 3 }, () => Array.from({ length: 4 }, () => (next() % 61n) - 30n));
    const bias = [5n, -7n, 11n];
    const b = new CircuitBuilder(0);
    const X = matrix(b, 4, 2, next);
    const Y = matmul(b, W, X, bias);
    const c = built(b);

    it("Y = W·X + bias, and the witness proves", async () => {
      const { witness, pk } = await c;
      for (let i = 0; i < 3; i++) {
        for (let p = 0; p < 2; p++) {
          const want = W[i].reduce((s, w, j) => s + w * b.value(X[j][p]), bias[i]);
          expect(cellValue(witness, Y[i][p])).to.equal(frMod(want));
        }
      }
      await expectProves(pk, witness);
    });

    it("a wrong Y entry is caught by the Freivalds gate", async () => {
      const { witness, pk } = await c;
      await expectCheatCaught(pk, tamper(witness, [[Y[1][0], cellValue(witness, Y[1][0]) + 1n]]), "freivalds");
    });

    it("packs the 3 output rows into the slots of one weight row per inner index, slots 0–2 of i_b, with Y rows' id_c", async () => {
      const { witness, pk, table } = await c;
      const [qfwt, idc, qfy] = [FIXED.qFWT, FIXED.idC, FIXED.qFY].map((col) => table.fixed[col]);
      const wRows = [...Array(2 ** table.logRows).keys()].filter((r) => frGet(qfwt, r) === 1n);
      // k = 4 inner indices and the bias: 5 weight rows, each with W_0j, W_1j, W_2j in slots 0–2 and 0 in slots 3 … K − 1.
      expect(wRows.length).to.equal(5);
      expect(wRows.map((r) => [...Array(WEIGHT_SLOTS).keys()].map((t) => frGet(table.weights[t], r)))).to.deep.equal(
        [0, 1, 2, 3, 4].map((j) => [...Array(WEIGHT_SLOTS).keys()].map((i) => (i < 3 ? frMod(j < 4 ? W[i][j] : bias[i]) : 0n))),
      );
      for (let i = 0; i < 3; i++) for (const cell of Y[i]) expect([frGet(qfy, cell.row), frGet(idc, cell.row)]).to.deep.equal([1n, BigInt(i)]);
      // A weight row's wires are free: its a, b and c take any value without touching the product.
      const row = wRows[1];
      await expectProves(pk, tamper(witness, [[{ col: WIRE.a, row }, 9n], [{ col: WIRE.b, row }, 5n]]));
      // q_fwt = 1 is what makes the row a weight row: without it, the weights may not be nonzero
      // there (gates G5, G6, protocol §4.7), and setup refuses the key.
      const cleared = qfwt.slice();
      frSet(cleared, row, 0n);
      await expectRejection(keyFor({ ...table, fixed: table.fixed.map((col, i) => (i === FIXED.qFWT ? cleared : col)) }), new RegExp(`weight column 0 is nonzero at row ${row}`));
    });

    it("a wrong Y entry in a slot other than 0 is caught by the Freivalds gate", async () => {
      const { witness, pk } = await c;
      await expectCheatCaught(pk, tamper(witness, [[Y[2][1], cellValue(witness, Y[2][1]) + 1n]]), "freivalds");
    });
  });

  describe("against private weights, K + 1 output rows (every slot of a weight row, then the next)", () => {
    const next = prng(9);
    const m = WEIGHT_SLOTS + 1;
    const W = Array.from({ length: m }, () => Array.from({ length: 2 }, () => (next() % 61n) - 30n));
    const b = new CircuitBuilder(0);
    const X = matrix(b, 2, 2, next);
    const Y = matmul(b, W, X);
    const c = built(b);

    it("output row i is slot i mod K of output index ⌊i/K⌋: weights and Y rows' id_a, id_c, and the witness proves", async () => {
      const { witness, pk, table } = await c;
      const [qfwt, ida, idc] = [FIXED.qFWT, FIXED.idA, FIXED.idC].map((col) => table.fixed[col]);
      const wRows = [...Array(2 ** table.logRows).keys()].filter((r) => frGet(qfwt, r) === 1n);
      expect(wRows.length).to.equal(2 * 2); // two output indices × two inner indices
      // The output indices are the allocator's: read them off the Y rows, slot i mod K, one per group of K.
      const index = Array.from({ length: m }, (_, i) => frGet(ida, Y[i][0].row));
      for (let i = 0; i < m; i++) {
        expect(index[i], `output ${i}`).to.equal(index[i - (i % WEIGHT_SLOTS)]);
        for (const cell of Y[i]) expect([frGet(ida, cell.row), frGet(idc, cell.row)], `Y row of output ${i}`).to.deep.equal([index[i], BigInt(i % WEIGHT_SLOTS)]);
      }
      expect(index[WEIGHT_SLOTS]).to.not.equal(index[0]);
      // Each weight row of group g holds column j of W's rows K·g … K·g + K − 1 in slots 0 … K − 1.
      for (const g of [0, 1]) {
        const rows = wRows.filter((r) => frGet(ida, r) === index[g * WEIGHT_SLOTS]);
        const slots = rows.map((r) => [...Array(WEIGHT_SLOTS).keys()].map((t) => frGet(table.weights[t], r)));
        const columns = [0, 1].map((j) => [...Array(WEIGHT_SLOTS).keys()].map((t) => (g * WEIGHT_SLOTS + t < m ? frMod(W[g * WEIGHT_SLOTS + t][j]) : 0n)));
        expect(slots, `group ${g}`).to.have.deep.members(columns);
      }
      await expectProves(pk, witness);
    });

    it("a wrong Y entry in the last slot K − 1 is caught by the Freivalds gate", async () => {
      const { witness, pk } = await c;
      const y = Y[WEIGHT_SLOTS - 1][1];
      await expectCheatCaught(pk, tamper(witness, [[y, cellValue(witness, y) + 1n]]), "freivalds");
    });
  });

  describe("of two activation matrices", () => {
    const next = prng(8);
    const b = new CircuitBuilder(0);
    const A = matrix(b, 2, 3, next);
    const X = matrix(b, 3, 4, next);
    const Y = matmulActivations(b, A, X);
    const c = built(b);

    it("Y = A·X, and the witness proves", async () => {
      const { witness, pk } = await c;
      for (let i = 0; i < 2; i++) {
        for (let p = 0; p < 4; p++) {
          const want = A[i].reduce((s, a, j) => s + b.value(a) * b.value(X[j][p]), 0n);
          expect(cellValue(witness, Y[i][p])).to.equal(frMod(want));
        }
      }
      await expectProves(pk, witness);
    });

    it("a wrong Y entry is caught by the Freivalds gate", async () => {
      const { witness, pk } = await c;
      await expectCheatCaught(pk, tamper(witness, [[Y[0][3], cellValue(witness, Y[0][3]) - 2n]]), "freivalds");
    });

    it("a W row that does not hold its A entry (Y adjusted) is caught by the copy constraint", async () => {
      const { witness, pk, table } = await c;
      const qfw = table.fixed[FIXED.qFW];
      const row = [...Array(2 ** table.logRows).keys()].find((r) => frGet(qfw, r) === 1n)!; // (i, j) = (0, 0)
      const changes: [Cell, bigint][] = [[{ col: WIRE.a, row }, b.value(A[0][0]) + 1n]];
      for (let p = 0; p < 4; p++) changes.push([Y[0][p], cellValue(witness, Y[0][p]) + b.value(X[0][p])]);
      await expectCheatCaught(pk, tamper(witness, changes), "permutation");
    });
  });

  describe("open rows: a one-row lookup in an X row", () => {
    const next = prng(9);
    const b = new CircuitBuilder(0);
    const X = matrix(b, 3, 1, next);
    // Y = W·X with 1×3 W: three X rows, one Y row; the Y row is paired with the first X row.
    matmul(b, [[2n, -1n, 3n]], X);
    const [v] = privateCells(b, [-5n]);
    const before = b.rows;
    checkSigned(b, v, 4);
    const added = b.rows - before;
    const c = built(b);

    it("adds no row, and the witness proves", async () => {
      expect(added).to.equal(0);
      await expectProves((await c).pk, (await c).witness);
    });

    it("a value outside the table fails the lookup; the row's X entry still binds (changed: the permutation)", async () => {
      const { witness, pk, table } = await c;
      const qlk = table.fixed[FIXED.qLK];
      const row = [...Array(2 ** table.logRows).keys()].find((r) => frGet(qlk, r) !== 0n)!;
      expect(frGet(table.fixed[FIXED.qFX], row)).to.equal(1n);
      // v = 8 (and its source cell) is outside the signed 4-bit table.
      await expectCheatCaught(pk, tamper(witness, [...lookupEntry(row, 8n), [v, 8n]]), "lookup", row);
      const x = { col: WIRE.c, row } as const;
      await expectCheatCaught(pk, tamper(witness, [[x, signed(cellValue(witness, x)) + 1n]]), "permutation");
    });
  });

  it("refuses mismatched shapes", () => {
    const b = new CircuitBuilder(0);
    const X = matrix(b, 2, 2, prng(1));
    expect(() => matmul(b, [[1n, 2n, 3n]], X)).to.throw(CircuitError, /1×2/);
    expect(() => matmul(b, [[1n, 2n]], X, [1n, 2n])).to.throw(CircuitError, /bias/);
    expect(() => matmulActivations(b, [X[0].slice(0, 1)], X)).to.throw(CircuitError, /1×2/);
  });
});
