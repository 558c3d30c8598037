// Range checks: one lookup row within the limb width, limbs beyond it, signed ranges and ranges
// whose width is not a power of two. Cheats: an out-of-range value whose limbs still sum to it
// (one limb outside its table), and a value outside a signed range.
import { expect } from "chai";
import { releaseEngine } from "../../../verifier/engine/bn254.js";
import { CircuitBuilder, WIRE, type Cell } from "../../../prover/circuit/builder.js";
import { privateCells } from "../../../prover/blocks/cells.js";
import { BlockRangeError } from "../../../prover/blocks/errors.js";
import { checkRange, rangeCheck, setLimbBits, signedRange } from "../../../prover/blocks/range-check.js";
import { built, expectCheatCaught, expectProves, lookupEntry, tamper } from "./harness.js";

/** x in [0, 2^10) with 4-bit limbs (4 + 4 + 2), y in the signed 4-bit range, z in [−5, 5]. */
function circuit(x: bigint, y: bigint, z: bigint, check = true): { b: CircuitBuilder; limbStart: number; cells: Cell[] } {
  const b = new CircuitBuilder(0);
  setLimbBits(b, 4);
  const cells = privateCells(b, [x, y, z]);
  const limbStart = b.rows;
  rangeCheck(b, cells[0], 10);
  if (check) {
    checkRange(b, cells[1], signedRange(4), "y");
    checkRange(b, cells[2], { lo: -5n, hi: 5n }, "z");
  }
  return { b, limbStart, cells };
}

describe("blocks: range check", function () {
  after(releaseEngine);
  const honest = built(circuit(1000n, -8n, 5n).b);

  it("in-range values (limbed, signed, non-power-of-two width) prove; the layout is the same for other values", async () => {
    const { pk, witness, table } = await honest;
    await expectProves(pk, witness);
    const other = circuit(0n, 7n, -5n).b.build();
    expect(other.table.fixed.every((col, i) => Buffer.from(col).equals(Buffer.from(table.fixed[i])))).to.equal(true);
    await expectProves(pk, other.witness);
  });

  it("out-of-range values are refused at witness time with the value and the range", () => {
    expect(() => circuit(0n, 8n, 0n)).to.throw(BlockRangeError, /y = 8 is outside the range \[-8, 7\]/);
    expect(() => circuit(0n, 0n, 6n)).to.throw(BlockRangeError, /z = 6 .*\[-5, 5\]/);
    expect(() => circuit(0n, 0n, -6n)).to.throw(BlockRangeError);
  });

  it("2^10 + 3 with limbs (3, 0, 4) that sum to it: the top limb is not in its 2-bit table", async () => {
    const { pk } = await honest;
    const { b, limbStart: s } = circuit(1027n, 0n, 0n);
    const w = b.build().witness;
    // Limb rows hold l − 2^(w−1) (w = 4, 4, 2); row s + 3 sums pair (l₀ + 16·l₁) and 256·(a + 2).
    const cheat = tamper(w, [
      ...lookupEntry(s, 3n - 8n),
      ...lookupEntry(s + 1, 0n - 8n),
      [{ col: WIRE.c, row: s }, 3n],
      ...lookupEntry(s + 2, 4n - 2n),
      [{ col: WIRE.a, row: s + 3 }, 3n],
      [{ col: WIRE.b, row: s + 3 }, 2n],
      [{ col: WIRE.c, row: s + 3 }, 1027n],
    ]);
    await expectCheatCaught(pk, cheat, "lookup", s + 2);
  });

  it("a value just outside a non-power-of-two range (6 in [−5, 5]) fails the upper check", async () => {
    const { pk } = await honest;
    // Built without the witness-time check: what a prover ignoring it would produce.
    const { b, cells } = circuit(0n, 0n, 6n, false);
    checkRange(b, cells[1], signedRange(4), "y");
    const start = b.rows;
    expect(() => checkRange(b, cells[2], { lo: -5n, hi: 5n })).to.throw(BlockRangeError);
    expect(b.rows).to.equal(start);
    // Lay the check out with an in-range stand-in, then put 6 back into every copy of z.
    b.assign(cells[2], 0n);
    checkRange(b, cells[2], { lo: -5n, hi: 5n });
    const w = b.build().witness;
    // Rows: a = (z + 5) − 8, then a = (5 − z) − 8 (shifted into the signed 4-bit table), c = z.
    const cheat = tamper(w, [
      [cells[2], 6n],
      ...lookupEntry(start, 11n - 8n),
      [{ col: WIRE.c, row: start }, 6n],
      ...lookupEntry(start + 1, -1n - 8n),
      [{ col: WIRE.c, row: start + 1 }, 6n],
    ]);
    await expectCheatCaught(pk, cheat, "lookup", start + 1);
  });
});
