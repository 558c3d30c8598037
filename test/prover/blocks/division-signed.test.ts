// Division by an activation of either sign (division.ts divideSigned): quotients against
// round-half-up references, a proof, and cheats: the sign flipped (the divisor then enters the
// division negative and its remainder's lookups fail) and a sign that is not ±1 (σ² = 1 fails).
import { expect } from "chai";
import { releaseEngine } from "../../../verifier/engine/bn254.js";
import { CircuitBuilder, WIRE } from "../../../prover/circuit/builder.js";
import { privateCells } from "../../../prover/blocks/cells.js";
import { BlockRangeError } from "../../../prover/blocks/errors.js";
import { divideSigned } from "../../../prover/blocks/division.js";
import { setLimbBits, signedRange } from "../../../prover/blocks/range-check.js";
import { built, cellValue, expectCheatCaught, expectProves, lookupEntry, signed, tamper } from "./harness.js";

/** round(x/y), ties toward +∞. */
const roundDiv = (x: number, y: number): bigint => BigInt(Math.floor(x / y + 0.5));

describe("blocks: division by an activation of either sign", function () {
  this.timeout(60_000);
  after(releaseEngine);
  const pairs: [number, number][] = [
    [7, -3],
    [-7, -3],
    [7, 3],
    [-7, 3],
    [5, -2],
    [-5, 2],
    [0, -9],
  ];
  const b = new CircuitBuilder(0);
  setLimbBits(b, 6);
  const quotients = pairs.map(([x, y]) => {
    const [xc, yc] = privateCells(b, [BigInt(x), BigInt(y)]);
    const start = b.rows;
    return { start, q: divideSigned(b, xc, yc, { divisorBits: 5, outRange: signedRange(6), what: "q" }) };
  });
  // Built when the suite runs (not at load), so another file's releaseEngine cannot cut it off.
  let k: ReturnType<typeof built>;
  before(() => {
    k = built(b);
  });

  it("quotients round half up whatever the signs; the witness proves", async () => {
    const { witness, pk } = await k;
    quotients.forEach(({ q }, i) => expect(signed(cellValue(witness, q))).to.equal(roundDiv(...pairs[i])));
    await expectProves(pk, witness);
  });

  it("a zero divisor is a BlockRangeError", () => {
    const c = new CircuitBuilder(0);
    const [x, y] = privateCells(c, [3n, 0n]);
    expect(() => divideSigned(c, x, y, { divisorBits: 5, outRange: signedRange(6), what: "q" })).to.throw(BlockRangeError, /division by zero/);
  });

  it("7 / −3 with σ = +1 (so the divisor enters as −3) leaves a negative slack: caught by the lookup", async () => {
    const { witness, pk } = await k;
    // Rows from `start`: σ² = 1, σ·y, σ·x, then divide: (q, y′, x′), (ρ, ·, y′), (slack).
    const r = quotients[0].start;
    const q = -2n;
    // 2·q·y′ − y′ − 2·x′ + ρ = 0 with y′ = −3, x′ = 7: ρ = 14 − 3 − 12 = −1; slack = 2·y′ − 1 − ρ = −6.
    const cheat = tamper(witness, [
      [{ col: WIRE.a, row: r }, 1n],
      [{ col: WIRE.b, row: r }, 1n],
      [{ col: WIRE.a, row: r + 1 }, 1n],
      [{ col: WIRE.c, row: r + 1 }, -3n],
      [{ col: WIRE.a, row: r + 2 }, 1n],
      [{ col: WIRE.c, row: r + 2 }, 7n],
      [{ col: WIRE.a, row: r + 3 }, q],
      [{ col: WIRE.b, row: r + 3 }, -3n],
      [{ col: WIRE.c, row: r + 3 }, 7n],
      // ρ and the slack sit shifted into the signed 6-bit table: a = ρ − 32, a = slack − 32.
      ...lookupEntry(r + 4, -1n - 32n),
      [{ col: WIRE.c, row: r + 4 }, -3n],
      ...lookupEntry(r + 5, -6n - 32n),
    ]);
    await expectCheatCaught(pk, cheat, "lookup");
  });

  it("σ = −2 (y′ = 6, x′ = −14: the division itself holds) fails σ² = 1", async () => {
    const { witness, pk } = await k;
    const r = quotients[0].start;
    // q = −2 kept; y′ = 6, x′ = −14: ρ = 2·x′ + y′ − 2·q·y′ = −28 + 6 + 24 = 2, slack = 2·y′ − 1 − ρ = 9.
    const cheat = tamper(witness, [
      [{ col: WIRE.a, row: r }, -2n],
      [{ col: WIRE.b, row: r }, -2n],
      [{ col: WIRE.a, row: r + 1 }, -2n],
      [{ col: WIRE.c, row: r + 1 }, 6n],
      [{ col: WIRE.a, row: r + 2 }, -2n],
      [{ col: WIRE.c, row: r + 2 }, -14n],
      [{ col: WIRE.b, row: r + 3 }, 6n],
      [{ col: WIRE.c, row: r + 3 }, -14n],
      ...lookupEntry(r + 4, 2n - 32n),
      [{ col: WIRE.c, row: r + 4 }, 6n],
      ...lookupEntry(r + 5, 9n - 32n),
    ]);
    await expectCheatCaught(pk, cheat, "arithmetic", r);
  });
});
