// The power column P = ψ^E of protocol v6 (docs/protocol.md §3.2, §4.5 Lemma C1). Every circuit
// today has s ≡ 0, so P ≡ 1 and G3 reads each entry times 1; but P is a phase-2 column the prover
// commits, so gates G14–G16 must pin it: a P that does not follow the steps s, a P ≡ 0 that would
// make every product vacuous, a key whose steps are not 0, 1 or 2 or whose last run has no reset.
// Each cheat skips the prover's self-check (which names the gate) and is rejected by the verifier.
import { expect } from "chai";
import { releaseEngine } from "../../../verifier/engine/bn254.js";
import { frSet, frVecFromBigints, frVecToBigints, frZeros, type FrVec } from "../../../verifier/engine/fr.js";
import { frInv, frMod } from "../../../verifier/engine/scalar.js";
import { CircuitError, prove, setup, UnsatisfiedError, verify, type ProvingKey, type Witness } from "../../../prover/plonkish/index.js";
import { ADVICE, FIXED, NUM_FIXED } from "../../../verifier/plonkish/layout.js";
import { expectRejection } from "../../helpers/assert.js";
import { mixedCircuit, mixedKey, paddingRows, withFixedColumns, withSteps, type MixedKey } from "./circuits.js";

const SHAPE = { m: 2, k: 3, P: 2, seed: 41, logRows: 5 } as const;

/** Proves with the self-check, expecting it to name `gate`, then without it, expecting the verifier to reject. */
async function rejected(pk: ProvingKey, witness: Witness, gate: string, powers?: (honest: FrVec) => FrVec): Promise<UnsatisfiedError> {
  const error = await expectRejection(prove(pk, witness, { powers }), /fails at row/);
  expect(error).to.be.instanceOf(UnsatisfiedError);
  expect((error as UnsatisfiedError).gate).to.equal(gate);
  const { proof, publicInputs } = await prove(pk, witness, { skipSelfCheck: true, powers });
  expect(await verify(pk.vk, proof, publicInputs)).to.equal(false);
  return error as UnsatisfiedError;
}

describe("plonkish: the power column P (G14–G16)", function () {
  // The honest circuit, its key, and the SRS the cheating keys are set up on.
  let k: MixedKey;
  before(async () => (k = await mixedKey(SHAPE)));
  after(releaseEngine);

  it("control: every circuit today has s ≡ 0; its proof verifies, also under a hand-built key with a run that ends in a reset", async () => {
    expect(frVecToBigints(k.honest.table.fixed[FIXED.s]).every((s) => s === 0n)).to.equal(true);
    const { proof, publicInputs } = await prove(k.pk, k.honest.witness);
    expect(await verify(k.pk.vk, proof, publicInputs)).to.equal(true);
    // Steps 1, 1, 2 on padding rows: P = ψ, ψ² there, back to 1 at the wrap-around (the path of a
    // key with exponents, P committed by the Lagrange key from its values minus 1).
    const [r0, r1, r2] = paddingRows(k.honest, 4);
    const fixed = withSteps(k.honest, [[r0, 1n], [r1, 1n], [r2, 2n]]);
    const withRun = await setup({ ...k.honest.table, fixed }, k.srs);
    expect(withRun.lagrangeKey, "setup made a Lagrange key").to.not.equal(undefined);
    const again = await prove(withRun, k.honest.witness);
    expect(await verify(withRun.vk, again.proof, again.publicInputs)).to.equal(true);
    const forged = await withFixedColumns(k.pk, fixed);
    const third = await prove(forged, k.honest.witness);
    expect(await verify(forged.vk, third.proof, third.publicInputs)).to.equal(true);
  });

  it("a step s ∉ {0, 1, 2} is refused by setup and rejected by the verifier (G15), with G14 holding on every row", async () => {
    // s = 3, then a reset: P follows G14 (m(3) = 1 − 3ψ, r(3) = 3) and returns to 1, so only G15 objects.
    const [row, reset] = paddingRows(k.honest, 3);
    const fixed = withSteps(k.honest, [[row, 3n], [reset, 2n]]);
    await expectRejection(setup({ ...k.honest.table, fixed }, k.srs), new RegExp(`the exponent step s is 3 at row ${row}`));
    const forged = await withFixedColumns(k.pk, fixed);
    expect((await rejected(forged, k.honest.witness, "power-step-kind")).row).to.equal(row);
  });

  it("a run without a reset is refused by setup and rejected by the verifier at the wrap-around (G14); a P that ignores the step, too", async () => {
    const [row, last] = paddingRows(k.honest, 2);
    const fixed = withSteps(k.honest, [[row, 1n]]);
    await expectRejection(setup({ ...k.honest.table, fixed }, k.srs), /end at exponent 1 after the last row, not 0: the last run has no reset/);
    const forged = await withFixedColumns(k.pk, fixed);
    // The honest recurrence gives P = ψ on the last row, and G14 there demands P(ω^n) = P(1) = ψ.
    expect((await rejected(forged, k.honest.witness, "power-step")).row).to.equal(last);
    // A prover that keeps P ≡ 1 (free of the step) fails G14 where the step is.
    const ones = (h: FrVec): FrVec => frVecFromBigints(frVecToBigints(h).map(() => 1n));
    expect((await rejected(forged, k.honest.witness, "power-step", ones)).row).to.equal(row);
  });

  it("a P forged on one Y row to hide a wrong output closes the running sum, and G14 rejects it", async () => {
    const cheat = mixedCircuit({ ...SHAPE, cheat: { kind: "freivalds", errors: [{ i: 1, p: 0, delta: 5n }] } });
    const [honestC, cheatC, qfy] = [k.honest.witness.c, cheat.witness.c, k.honest.table.fixed[FIXED.qFY]].map(frVecToBigints);
    const yRows = cheatC.flatMap((v, row) => (v !== honestC[row] && qfy[row] === 1n ? [row] : []));
    expect(yRows).to.have.length(1);
    const [row] = yRows;
    // c·P = the true value on that row: the Freivalds gate holds everywhere.
    const scale = frMod(honestC[row] * frInv(cheatC[row]));
    const forgedP = (h: FrVec): FrVec => {
      const out = h.slice();
      frSet(out, row, scale);
      return out;
    };
    await rejected(k.pk, cheat.witness, "freivalds");
    const error = await rejected(k.pk, cheat.witness, "power-step", forgedP);
    // G14 fails on the row into the forged value (P(ω·row) ≠ P(row)).
    expect(error.row).to.equal(row - 1);
  });

  it("P ≡ 0 makes every product vacuous (a wrong Y closes the running sum) and is rejected by G16 on a key with s ≡ 0", async () => {
    const cheat = mixedCircuit({ ...SHAPE, cheat: { kind: "freivalds", errors: [{ i: 0, p: 1, delta: 7n }] } });
    const zeros = (h: FrVec): FrVec => frZeros(h.length / 32);
    // G14 holds (0 = 1·0 + 0 on every row) and so does G3: only G16 objects, at row 0.
    expect((await rejected(k.pk, cheat.witness, "power-start", zeros)).row).to.equal(0);
    expect((await rejected(k.pk, k.honest.witness, "power-start", zeros)).row).to.equal(0);
  });

  it("a Y row at exponent 1 (a product that is not flat) is refused by setup, and its honest outputs fail G3 (the row reads c·ψ)", async () => {
    const yRow = frVecToBigints(k.honest.table.fixed[FIXED.qFY]).indexOf(1n);
    const fixed = withSteps(k.honest, [[yRow - 1, 1n], [yRow, 2n]]);
    await expectRejection(setup({ ...k.honest.table, fixed }, k.srs), new RegExp(`row ${yRow} is a Freivalds row \\(q_fy = 1\\) at exponent 1`));
    const forged = await withFixedColumns(k.pk, fixed);
    await rejected(forged, k.honest.witness, "freivalds");
  });

  it("check: the power column is an advice column of phase 2, and setup's refusals are CircuitErrors", async () => {
    expect(ADVICE.p).to.equal(NUM_FIXED + 7);
    const [row] = paddingRows(k.honest, 1);
    const err = await expectRejection(setup({ ...k.honest.table, fixed: withSteps(k.honest, [[row, 1n]]) }, k.srs), /no reset/);
    expect(err).to.be.instanceOf(CircuitError);
  });
});
