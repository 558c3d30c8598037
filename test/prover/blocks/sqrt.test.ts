// Square root without a table over the radicand (sqrt.ts): ⌊√(N·S/D)⌋ and round(√(N·S/D)) against
// exact references, a proof, and cheats: a root one too large or too small (the arithmetic rows
// all consistent) leaves a negative slack, caught by its range lookup.
import { expect } from "chai";
import { releaseEngine } from "../../../verifier/engine/bn254.js";
import { CircuitBuilder, WIRE } from "../../../prover/circuit/builder.js";
import { privateCells } from "../../../prover/blocks/cells.js";
import { BlockRangeError } from "../../../prover/blocks/errors.js";
import { setLimbBits } from "../../../prover/blocks/range-check.js";
import { isqrt, sqrt } from "../../../prover/blocks/sqrt.js";
import { built, cellValue, expectCheatCaught, expectProves, lookupEntry, signed, tamper } from "./harness.js";

describe("blocks: square root", function () {
  this.timeout(60_000);
  after(releaseEngine);
  const radicands = [0n, 1n, 2n, 3n, 10n, 15n, 16n, 99n, 1000n];
  const b = new CircuitBuilder(0);
  setLimbBits(b, 9);
  const cells = privateCells(b, radicands);
  const floors = cells.map((s) => ({ start: b.rows, y: sqrt(b, s, { outBits: 6, rounding: "floor" }) }));
  const rounded = cells.map((s) => sqrt(b, s, { outBits: 6 }));
  const scaled = cells.map((s) => sqrt(b, s, { num: 4n, den: 9n, outBits: 6 }));
  let k: ReturnType<typeof built>;
  before(() => {
    k = built(b);
  });

  it("floor, nearest (ties up) and a rational factor match exact references; the witness proves", async () => {
    const { witness, pk } = await k;
    const v = (c: Parameters<typeof cellValue>[1]) => signed(cellValue(witness, c));
    expect(floors.map((f) => v(f.y))).to.deep.equal(radicands.map(isqrt));
    expect(rounded.map(v)).to.deep.equal(radicands.map((s) => BigInt(Math.floor(Math.sqrt(Number(s)) + 0.5))));
    expect(scaled.map(v)).to.deep.equal(radicands.map((s) => BigInt(Math.floor(Math.sqrt((4 * Number(s)) / 9) + 0.5))));
    expect(isqrt(10n ** 30n + 1n)).to.equal(10n ** 15n);
    await expectProves(pk, witness);
  });

  it("a negative radicand or a root outside outBits is a BlockRangeError", () => {
    const c = new CircuitBuilder(0);
    const [neg, big] = privateCells(c, [-4n, 5000n]);
    expect(() => sqrt(c, neg, { outBits: 6 })).to.throw(BlockRangeError, /radicand/);
    expect(() => sqrt(c, big, { outBits: 6 })).to.throw(BlockRangeError);
  });

  // Rows from `start` (floor, one row per check at this limb width): y; y's check; y·y; e₁ = S − y²;
  // e₂ = y² + 2y − S (two rows, the result in the second's a); e₁'s check; e₂'s check.
  function claim(start: number, s: bigint, y: bigint) {
    const sq = y * y;
    const e1 = s - sq;
    const e2 = sq + 2n * y - s;
    const check = (row: number, v: bigint, bits: number) => [...lookupEntry(row, v - (1n << BigInt(bits - 1))), [{ col: WIRE.c, row }, v] as const];
    return [
      [{ col: WIRE.a, row: start }, y],
      ...check(start + 1, y, 6),
      [{ col: WIRE.a, row: start + 2 }, y],
      [{ col: WIRE.b, row: start + 2 }, y],
      [{ col: WIRE.c, row: start + 2 }, sq],
      [{ col: WIRE.b, row: start + 3 }, sq],
      [{ col: WIRE.c, row: start + 3 }, e1],
      [{ col: WIRE.a, row: start + 4 }, sq],
      [{ col: WIRE.b, row: start + 4 }, y],
      [{ col: WIRE.a, row: start + 5 }, e2],
      ...check(start + 6, e1, 8),
      ...check(start + 7, e2, 8),
    ] as [{ col: 0 | 1 | 2; row: number }, bigint][];
  }

  it("√10 claimed 4 (e₁ = −6) fails e₁'s lookup", async () => {
    const { witness, pk } = await k;
    const { start } = floors[4];
    await expectCheatCaught(pk, tamper(witness, claim(start, 10n, 4n)), "lookup", start + 6);
  });

  it("√15 claimed 2 (e₂ = −7) fails e₂'s lookup", async () => {
    const { witness, pk } = await k;
    const { start } = floors[5];
    await expectCheatCaught(pk, tamper(witness, claim(start, 15n, 2n)), "lookup", start + 7);
  });
});
