// Poseidon against circomlibjs's own `poseidon` (its WebAssembly build, the one `buildPoseidon`
// returns) on random inputs for every width, off-circuit and in the circuit; the chained hash for
// long inputs against circomlibjs calls with initState = length; a proof of one hash, and a
// tampered S-box row rejected.
import { expect } from "chai";
import { buildPoseidon } from "circomlibjs";
import { releaseEngine } from "../../../prover/engine/bn254.js";
import { CircuitBuilder, WIRE } from "../../../prover/circuit/builder.js";
import { privateCells } from "../../../prover/blocks/cells.js";
import { POSEIDON_MAX_INPUTS, poseidon, poseidonChain, poseidonChainHash, poseidonHash } from "../../../prover/blocks/poseidon.js";
import { CircuitError, layout } from "../../../prover/plonkish/index.js";
import { frGet } from "../../../prover/engine/fr.js";
import { fieldRng } from "../plonkish/circuits.js";
import { built, cellValue, expectCheatCaught, expectProves, tamper } from "./harness.js";

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

  it("the circuit's hash cell equals circomlibjs for 1…16 inputs", () => {
    for (let n = 1; n <= POSEIDON_MAX_INPUTS; n++) {
      const inputs = Array.from({ length: n }, rnd);
      const b = new CircuitBuilder(0);
      const h = poseidon(b, privateCells(b, inputs));
      expect(b.value(h), `${n} inputs`).to.equal(ref(inputs));
    }
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
      const { pk, witness } = await c;
      // The first S-box's first row (the first with q_m = 1) squares x₀ + c: its c wire.
      const { table } = await c;
      const row = [...Array(2 ** table.logRows).keys()].find((r) => frGet(table.fixed[layout.FIXED.qM], r) === 1n)!;
      const cell = { col: WIRE.c, row };
      await expectCheatCaught(pk, tamper(witness, [[cell, cellValue(witness, cell) + 1n]]), "arithmetic", row);
    });
  });
});
