// Less / Greater / Not / Where, and function lookups: values against references, a proof, and
// cheats: a flipped comparison (its slack goes negative), a non-boolean selector, and a function
// output that is not f(x).
import { expect } from "chai";
import { releaseEngine } from "../../../verifier/engine/bn254.js";
import { CircuitBuilder, WIRE } from "../../../prover/circuit/builder.js";
import { privateCells } from "../../../prover/blocks/cells.js";
import { BlockRangeError } from "../../../prover/blocks/errors.js";
import { assertBoolean, greater, less, not, select } from "../../../prover/blocks/compare.js";
import { applyFunction, functionTable, type TableFunction } from "../../../prover/blocks/lookup.js";
import { setLimbBits } from "../../../prover/blocks/range-check.js";
import { built, cellValue, expectCheatCaught, expectProves, lookupEntry, signed, tamper } from "./harness.js";

/** round(16·tanh(x/4)) on [−12, 12]: a fixed-point function table. */
const TANH: TableFunction = { name: "tanh in 2^-2 out 2^-4", domain: { lo: -12n, hi: 12n }, f: (x) => BigInt(Math.round(16 * Math.tanh(Number(x) / 4))) };

describe("blocks: comparisons, select and function lookups", function () {
  after(releaseEngine);
  const b = new CircuitBuilder(0);
  setLimbBits(b, 4);
  const [x, y, z] = privateCells(b, [-3n, 5n, 5n]);
  const lt = less(b, x, y, 4); // 1
  const ltEq = less(b, y, z, 4); // 0
  const gt = greater(b, y, x, 4); // 1
  const ge = not(b, lt); // 0
  const picked = select(b, lt, x, y); // x
  const other = select(b, ge, x, y); // y
  assertBoolean(b, ge);
  const t1 = applyFunction(b, x, TANH);
  const t2 = applyFunction(b, y, TANH);
  const k = built(b);

  it("x < y, y < z (equal), y > x, Not, Where both ways, tanh by lookup; one shared table; the witness proves", async () => {
    const { witness, pk } = await k;
    const v = (c: Parameters<typeof cellValue>[1]) => signed(cellValue(witness, c));
    expect([v(lt), v(ltEq), v(gt), v(ge), v(picked), v(other)]).to.deep.equal([1n, 0n, 1n, 0n, -3n, 5n]);
    expect([v(t1), v(t2)]).to.deep.equal([TANH.f(-3n), TANH.f(5n)]);
    expect(functionTable(b, TANH)).to.equal(functionTable(b, { ...TANH }));
    expect(b.tables.filter((t) => t.key?.startsWith("fn:"))).to.have.length(1);
    await expectProves(pk, witness);
  });

  it("inputs outside a function's domain are a BlockRangeError", () => {
    const c = new CircuitBuilder(0);
    const [big] = privateCells(c, [13n]);
    expect(() => applyFunction(c, big, TANH)).to.throw(BlockRangeError, /tanh.*13.*\[-12, 12\]/);
  });

  it("−3 < 5 claimed false (u = x − y = −8) fails u's lookup", async () => {
    const { witness, pk } = await k;
    // less: δ row (c = δ), product row (a = β, c = u), u's check row (a = u − 2^(bits−1), c = u),
    // β's boolean row.
    const prod = lt.row;
    const h = 8n; // 2^(4 − 1): u ∈ [0, 2^4) is looked up as u − 8 in the signed 4-bit table
    const cheat = tamper(witness, [
      [lt, 0n],
      [{ col: WIRE.c, row: prod }, -8n],
      ...lookupEntry(prod + 1, -8n - h),
      [{ col: WIRE.c, row: prod + 1 }, -8n],
      [{ col: WIRE.a, row: prod + 2 }, 0n],
      [{ col: WIRE.b, row: prod + 2 }, 0n],
    ]);
    // β is also copied into Not and Where; the first gate to object is the permutation or the lookup.
    await expectCheatCaught(pk, cheat, "lookup", prod + 1);
  });

  it("a tanh output that is not in the table fails the lookup", async () => {
    const { witness, pk } = await k;
    await expectCheatCaught(pk, tamper(witness, [[t1, signed(cellValue(witness, t1)) + 1n]]), "lookup", t1.row);
  });

  it("a boolean cell holding 2 (with every copy) fails its boolean row", async () => {
    const c = new CircuitBuilder(0);
    const [s] = privateCells(c, [1n]);
    assertBoolean(c, s);
    const { pk, witness } = await built(c);
    const row = s.row + 1;
    const cheat = tamper(witness, [
      [s, 2n],
      [{ col: WIRE.a, row }, 2n],
      [{ col: WIRE.b, row }, 2n],
    ]);
    await expectCheatCaught(pk, cheat, "arithmetic", row);
  });
});
