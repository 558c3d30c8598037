// Max / min of two and of many, and argmax with first-index tie breaking: values against plain
// integer references, a proof, and cheats: a "max" that is the smaller value (its difference goes
// negative) and an argmax that picks a later tie. The two-row form (x − y and its relu looked up
// in a table one bit wider): values, a proof, and a claimed max that is the smaller value.
import { expect } from "chai";
import { releaseEngine } from "../../../verifier/engine/bn254.js";
import { CircuitBuilder, WIRE } from "../../../prover/circuit/builder.js";
import { privateCells } from "../../../prover/blocks/cells.js";
import { argmax, argmin, max2, maxMany, min2, minMany } from "../../../prover/blocks/max.js";
import { setLimbBits } from "../../../prover/blocks/range-check.js";
import { built, cellValue, expectCheatCaught, expectProves, lookupEntry, signed, tamper } from "./harness.js";

const XS = [3n, -7n, 6n, 6n, -2n];

describe("blocks: max, min, argmax", function () {
  after(releaseEngine);
  const b = new CircuitBuilder(0);
  setLimbBits(b, 4);
  const x = privateCells(b, XS);
  const m2 = max2(b, x[0], x[1], 4);
  const n2 = min2(b, x[0], x[1], 4);
  const mAll = maxMany(b, x, 4);
  const nAll = minMany(b, x, 4);
  const am = argmax(b, x, 4);
  const an = argmin(b, x, 4);
  const k = built(b);

  it("max/min of two and of many, argmax (first of the tied 6s) and argmin; the witness proves", async () => {
    const { witness, pk } = await k;
    const v = (c: Parameters<typeof cellValue>[1]) => signed(cellValue(witness, c));
    expect([v(m2), v(n2), v(mAll), v(nAll)]).to.deep.equal([3n, -7n, 6n, -7n]);
    expect([v(am.index), v(am.value), v(an.index), v(an.value)]).to.deep.equal([2n, 6n, 1n, -7n]);
    await expectProves(pk, witness);
  });

  it("max(3, −7) claimed as −7 (m − x = −10 kept consistent) fails the lookup of m − x", async () => {
    const { witness, pk } = await k;
    // Rows of max2: 0: a = m − x − 8 (m − x ∈ [0, 16) looked up in the signed 4-bit table);
    // 1: a = m, c = m − y; 2: m − y's check (a = m − y − 8, c = m − y); 3: (a₀ + 8)·(m − y) = 0.
    const r0 = m2.row - 1;
    const cheat = tamper(witness, [
      ...lookupEntry(r0, -10n - 8n),
      [m2, -7n],
      [{ col: WIRE.c, row: m2.row }, 0n],
      ...lookupEntry(r0 + 2, 0n - 8n),
      [{ col: WIRE.c, row: r0 + 2 }, 0n],
      [{ col: WIRE.a, row: r0 + 3 }, -10n - 8n],
      [{ col: WIRE.b, row: r0 + 3 }, 0n],
    ]);
    await expectCheatCaught(pk, cheat, "lookup", r0);
  });

  it("argmax picking the second tied 6 (index 3) is refused", async () => {
    const { pk } = await k;
    // Rebuild the same layout with the selectors moved to index 3, as a cheating prover would.
    const c = new CircuitBuilder(0);
    setLimbBits(c, 4);
    const y = privateCells(c, XS);
    max2(c, y[0], y[1], 4);
    min2(c, y[0], y[1], 4);
    maxMany(c, y, 4);
    minMany(c, y, 4);
    c.assign(y[2], 5n);
    const start = c.rows;
    argmax(c, y, 4);
    c.assign(y[2], 6n);
    argmin(c, y, 4);
    // Index 3 was selected with x₂ = 5; now put x₂ = 6 back into the rows of element 2. argmax's
    // rows: two constants, m, n prefix rows, the end row, then per element 5 rows
    // (d = m − x, s·d = 0, s² = s, e = d + t − 1, e's check: a = e − 8, c = e).
    const base = start + 4 + XS.length + 5 * 2;
    const w = c.build().witness;
    const fixes: [{ col: 0 | 1 | 2; row: number }, bigint][] = [
      [{ col: WIRE.b, row: base }, 6n],
      [{ col: WIRE.c, row: base }, 0n],
      [{ col: WIRE.b, row: base + 1 }, 0n],
      [{ col: WIRE.a, row: base + 3 }, 0n],
      [{ col: WIRE.c, row: base + 3 }, -1n],
      ...lookupEntry(base + 4, -1n - 8n),
      [{ col: WIRE.c, row: base + 4 }, -1n],
    ];
    await expectCheatCaught(pk, tamper(w, fixes), "lookup", base + 4);
  });

  describe("two-row form (relu(x − y) from the signed table of bits + 1)", () => {
    const c = new CircuitBuilder(0);
    setLimbBits(c, 5);
    const y = privateCells(c, XS);
    const before = c.rows;
    const mx = max2(c, y[0], y[1], 4);
    const mn = min2(c, y[0], y[1], 4);
    const perPair = (c.rows - before) / 2;
    const all = [maxMany(c, y, 4), minMany(c, y, 4)];
    const k2 = built(c);

    it("max/min of two in 2 rows each, and of many; the witness proves", async () => {
      expect(perPair).to.equal(2);
      const { witness, pk } = await k2;
      const v = (cell: Parameters<typeof cellValue>[1]) => signed(cellValue(witness, cell));
      expect([v(mx), v(mn), v(all[0]), v(all[1])]).to.deep.equal([3n, -7n, 6n, -7n]);
      await expectProves(pk, witness);
    });

    it("max(3, −7) claimed as −7 fails the arithmetic gate; a wrong relu(x − y) fails the lookup", async () => {
      const { witness, pk } = await k2;
      await expectCheatCaught(pk, tamper(witness, [[mx, -7n]]), "arithmetic", mx.row);
      // relu(10) claimed as 0 in both rows that hold it: no table entry (10, 0).
      const r0 = mx.row - 1;
      await expectCheatCaught(pk, tamper(witness, [[{ col: WIRE.b, row: r0 }, 0n], [{ col: WIRE.b, row: mx.row }, 0n]]), "lookup", r0);
    });
  });
});
