// Poseidon against circomlibjs's own `poseidon` (its WebAssembly build, the one `buildPoseidon`
// returns) on random inputs for every width, off-circuit and in the circuit (with the initial state
// 0, a public one and a private cell), every arithmetic row and copy of the circuit's table checked
// directly (the private-initial-state layout for every width; the public one is proved for t = 3
// below); the rows per call for t = 3 and t = 17; the chained hash for long inputs
// against circomlibjs calls with initState = length; a proof of one hash, and a tampered S-box
// output and a tampered state cell rejected by the self-check and by the verifier.
import { expect } from "chai";
import { buildPoseidon } from "circomlibjs";
import { R, releaseEngine } from "../../../verifier/engine/bn254.js";
import { CircuitBuilder, WIRE } from "../../../prover/circuit/builder.js";
import { privateCells } from "../../../prover/blocks/cells.js";
import { POSEIDON_MAX_INPUTS, poseidon, poseidonCells, poseidonChain, poseidonChainHash, poseidonHash } from "../../../prover/blocks/poseidon.js";
import { CircuitError, layout, type CircuitTable, type Witness } from "../../../prover/plonkish/index.js";
import { Domain } from "../../../prover/poly/index.js";
import { frGet } from "../../../verifier/engine/fr.js";
import { fieldRng } from "../plonkish/circuits.js";
import { built, cellValue, expectCheatCaught, expectProves, tamper } from "./harness.js";

const { FIXED, PERMUTATION_SHIFTS } = layout;

/**
 * The first row whose arithmetic gate fails, or the first cell whose copy differs from it, in a
 * table without public inputs: the gate and the σ columns evaluated on the witness, row by row,
 * independently of the prover. Rows from `used` on are empty (no selectors, σ the identity).
 */
function firstViolation(table: CircuitTable, witness: Witness, used: number): string | undefined {
  expect(table.publicInputCount).to.equal(0);
  const n = 2 ** table.logRows;
  const q = (col: number, row: number): bigint => frGet(table.fixed[col], row);
  const wires = [witness.a, witness.b, witness.c];
  const w = (col: number, row: number): bigint => frGet(wires[col], row);
  const position = new Map<bigint, [number, number]>();
  const { omega } = Domain.create(table.logRows);
  for (let row = 0, x = 1n; row <= used; row++, x = (x * omega) % R) for (let col = 0; col < 3; col++) position.set((PERMUTATION_SHIFTS[col] * x) % R, [col, row]);
  for (let row = 0; row < used; row++) {
    const [a, b, c] = [0, 1, 2].map((col) => w(col, row));
    const gate = q(FIXED.qM, row) * a * b + q(FIXED.qL, row) * a + q(FIXED.qR, row) * b + q(FIXED.qO, row) * c + q(FIXED.qC, row) + q(FIXED.qN, row) * w(0, (row + 1) % n);
    if (gate % R !== 0n) return `arithmetic gate at row ${row}`;
    for (let col = 0; col < 3; col++) {
      const [toCol, toRow] = position.get(q([FIXED.sigmaA, FIXED.sigmaB, FIXED.sigmaC][col], row))!;
      if (w(toCol, toRow) !== w(col, row)) return `copy of column ${col} at row ${row}`;
    }
  }
  return undefined;
}

describe("blocks: poseidon", function () {
  let reference: Awaited<ReturnType<typeof buildPoseidon>>;
  const ref = (inputs: bigint[], init?: bigint): bigint => reference.F.toObject(reference(inputs, init));
  const rnd = fieldRng(0x9053);

  before(async () => {
    reference = await buildPoseidon();
  });
  after(releaseEngine);

  it("matches circomlibjs off-circuit for 1…16 inputs (random inputs, with and without an initial state)", () => {
    for (let n = 1; n <= POSEIDON_MAX_INPUTS; n++) {
      const inputs = Array.from({ length: n }, rnd);
      expect(poseidonHash(inputs), `${n} inputs`).to.equal(ref(inputs));
      const init = rnd();
      expect(poseidonHash(inputs, init), `${n} inputs, init`).to.equal(ref(inputs, init));
    }
    // circomlibjs's published test vector.
    expect(poseidonHash([1n, 2n])).to.equal(0x115cc0f5e7d690413df64c6b9662e9cf2a3617f2743245519e19607a4417189an);
    expect(() => poseidonHash([])).to.throw(CircuitError);
    expect(() => poseidonHash(new Array<bigint>(17).fill(0n))).to.throw(CircuitError);
  });

  it("the circuit's hash cell equals circomlibjs for 1…16 inputs (initial state 0, public, private), and every row and copy holds", function () {
    this.timeout(30_000);
    for (let n = 1; n <= POSEIDON_MAX_INPUTS; n++) {
      const inputs = Array.from({ length: n }, rnd);
      const [publicInit, privateInit] = [rnd(), rnd()];
      // The table of the hash with a private initial state (the layout with the most rows) is checked row by row.
      const b = new CircuitBuilder(0);
      const cells = privateCells(b, [...inputs, privateInit]);
      expect(b.value(poseidonCells(b, cells.slice(0, n), cells[n])), `${n} inputs, private init`).to.equal(ref(inputs, privateInit));
      const { table, witness } = b.build();
      expect(firstViolation(table, witness, b.rows), `${n} inputs`).to.equal(undefined);
      const other = new CircuitBuilder(0);
      const otherCells = privateCells(other, inputs);
      const hashes = [poseidon(other, otherCells), poseidonCells(other, otherCells, publicInit)];
      expect(hashes.map((h) => other.value(h)), `${n} inputs`).to.deep.equal([ref(inputs), ref(inputs, publicInit)]);
    }
  });

  it("the row check catches a wrong cell", () => {
    const b = new CircuitBuilder(0);
    poseidon(b, privateCells(b, [rnd(), rnd()]));
    const { table, witness } = b.build();
    const cell = { col: WIRE.c, row: Math.floor(b.rows / 2) };
    expect(firstViolation(table, tamper(witness, [[cell, cellValue(witness, cell) + 1n]]), b.rows)).to.be.a("string");
  });

  it("rows per call: 406 for t = 3 and 2,692 for t = 17 (the unoptimised layout took 630 and 12,097)", () => {
    const rows = (t: number): number => {
      const b = new CircuitBuilder(0);
      const cells = privateCells(b, Array.from({ length: t - 1 }, rnd));
      const before = b.rows;
      poseidon(b, cells);
      return b.rows - before;
    };
    expect(rows(3)).to.equal(406);
    expect(rows(17)).to.equal(2692);
  });

  it("the chained hash of long inputs: off-circuit = circomlibjs with initState = length = in the circuit", () => {
    for (const L of [16, 17, 31, 40]) {
      const values = Array.from({ length: L }, rnd);
      let want = L <= 16 ? ref(values) : ref(values.slice(0, 16), BigInt(L));
      for (let i = 16; i < L; i += 15) want = ref([want, ...values.slice(i, i + 15)], BigInt(L));
      expect(poseidonChainHash(values), `L = ${L}`).to.equal(want);
      const b = new CircuitBuilder(0);
      expect(b.value(poseidonChain(b, privateCells(b, values))), `L = ${L} in the circuit`).to.equal(want);
    }
  });

  describe("a proof of Poseidon(x, y)", () => {
    const b = new CircuitBuilder(1);
    const inputs = [rnd(), rnd()];
    const h = poseidon(b, privateCells(b, inputs));
    // The digest is the public input.
    b.copy(h, b.publicInput(0));
    b.setPublicInput(0, b.value(h));
    const c = built(b);

    it("proves and verifies, with the digest public", async () => {
      const { pk, witness } = await c;
      expect(witness.publicInputs[0]).to.equal(ref(inputs));
      await expectProves(pk, witness);
    });

    it("a wrong S-box output is caught by the arithmetic gate", async () => {
      const { pk, witness, table } = await c;
      // The first S-box's first row (the first with q_m = 1) squares x₀ + c: its c wire.
      const row = [...Array(2 ** table.logRows).keys()].find((r) => frGet(table.fixed[FIXED.qM], r) === 1n)!;
      const cell = { col: WIRE.c, row };
      await expectCheatCaught(pk, tamper(witness, [[cell, cellValue(witness, cell) + 1n]]), "arithmetic", row);
    });

    it("a wrong state value handed on to the next row (a partial-round chain, a sum) is caught by the row that hands it on", async () => {
      const { pk, witness, table } = await c;
      // The middle row of those that hand a value to the next row's a (q_n ≠ 0).
      const handing = [...Array(2 ** table.logRows).keys()].filter((r) => frGet(table.fixed[FIXED.qN], r) !== 0n);
      const row = handing[handing.length >> 1];
      const cell = { col: WIRE.a, row: row + 1 };
      await expectCheatCaught(pk, tamper(witness, [[cell, cellValue(witness, cell) - 1n]]), "arithmetic", row);
    });
  });
});
