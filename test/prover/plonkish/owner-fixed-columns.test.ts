// Review of issue 18 finding 4 (gate G6): what does a *verifier* enforce about the fixed columns?
// G6 = (1 − q_fwt)·Ŵ′ lets the private weights act in every row with q_fwt = 1. Neither verifier
// sees the fixed columns, only their commitments, so a model owner who builds its key by hand could
// try to make an activation product's W rows weight rows as well, and prove (A + M)·X while the
// circuit's layout (matmulActivations) computes A·X; or give id_c to a row that is not a Y row, or
// make a weight row a Y row too. The verifier checks the row rules the weights' meaning needs
// (docs/protocol.md §4.7): G7 (id_c only on Y rows) and G8–G13 (Freivalds selectors boolean, one
// kind per row). Each test below builds its key by hand, skips the prover's self-check, and sees
// the proof rejected.
import { expect } from "chai";
import { releaseEngine } from "../../../prover/engine/bn254.js";
import type { Srs } from "../../../prover/srs/index.js";
import { frGet, frSet, frVecToBigints } from "../../../prover/engine/fr.js";
import { CircuitError, prove, setup, verify, type ProvingKey, type UnsatisfiedError } from "../../../prover/plonkish/index.js";
import { FIXED, NUM_FIXED } from "../../../prover/plonkish/layout.js";
import { expectRejection } from "../../helpers/assert.js";
import { activationProduct, fieldRng, weightRowsWithCopiedActivation, withFixedColumns, HIDDEN_PRODUCT_SHAPE, HIDDEN_WEIGHTS, hiddenProductKey } from "./circuits.js";

describe("plonkish: the weight rows' rules are the verifier's, not only setup's (G7–G13)", function () {
  let srs: Srs;
  let pk: ProvingKey;

  before(async () => {
    ({ srs, pk } = await hiddenProductKey());
  });
  after(releaseEngine);

  it("a hand-built key whose activation W rows are weight rows too (q_fw = q_fwt = 1) cannot prove (A + M)·X (G13)", async () => {
    const { forged, table, witness } = await weightRowsWithCopiedActivation(pk, HIDDEN_PRODUCT_SHAPE, HIDDEN_WEIGHTS, fieldRng(5n)());
    // The owner's setup would refuse this table (§3.8 rule 1); the verifier never sees it.
    const refused = await expectRejection(setup(table, srs), /more than one Freivalds selector/);
    expect(refused).to.be.instanceOf(CircuitError);
    // The prover's self-check names the first gate that fails: G3 itself, since two kinds change the
    // row's denominator (1 − 2 + 2·(β − i)(γ − j)); G13 fails there too. A cheating prover skips it.
    const error = await expectRejection(prove(forged, witness), /fails at row/);
    expect((error as UnsatisfiedError).gate).to.equal("freivalds");
    const { proof, publicInputs } = await prove(forged, witness, { skipSelfCheck: true });
    // The public outputs are (A + M)·X, not the A·X the layout computes from the public A and X.
    const honest = activationProduct(HIDDEN_PRODUCT_SHAPE);
    expect(publicInputs).to.not.deep.equal(honest.witness.publicInputs);
    expect(publicInputs.slice(0, HIDDEN_PRODUCT_SHAPE.m * HIDDEN_PRODUCT_SHAPE.k + HIDDEN_PRODUCT_SHAPE.k * HIDDEN_PRODUCT_SHAPE.P)).to.deep.equal(honest.witness.publicInputs.slice(0, HIDDEN_PRODUCT_SHAPE.m * HIDDEN_PRODUCT_SHAPE.k + HIDDEN_PRODUCT_SHAPE.k * HIDDEN_PRODUCT_SHAPE.P));
    expect(await verify(forged.vk, proof, publicInputs)).to.equal(false);
  });

  // A row where every other gate holds whatever its Freivalds selectors are: the last row is padding
  // (no selector, c = 0), so a selector there changes D_F but adds 0 to the running sum.
  async function withSelectors(values: readonly (readonly [number, bigint])[]): Promise<{ forged: ProvingKey; gates: string[] }> {
    const honest = activationProduct(HIDDEN_PRODUCT_SHAPE);
    const row = 2 ** HIDDEN_PRODUCT_SHAPE.logRows - 1;
    for (let col = 0; col < NUM_FIXED; col++) if (col < FIXED.sigmaA || col > FIXED.sigmaC) expect(frGet(honest.table.fixed[col], row), `fixed column ${col}`).to.equal(0n);
    expect(frGet(honest.witness.c, row)).to.equal(0n);
    const fixed = honest.table.fixed.map((c) => c.slice());
    for (const [col, value] of values) frSet(fixed[col], row, value);
    const forged = await withFixedColumns(pk, fixed);
    const error = await expectRejection(prove(forged, honest.witness), /fails at row/);
    expect((error as UnsatisfiedError).row).to.equal(row);
    const { proof, publicInputs } = await prove(forged, honest.witness, { skipSelfCheck: true });
    expect(await verify(forged.vk, proof, publicInputs)).to.equal(false);
    return { forged, gates: [(error as UnsatisfiedError).gate] };
  }

  it("a Freivalds selector other than 0 or 1 is rejected by the verifier (G8–G12)", async () => {
    for (const [name, col] of [["q_fw", FIXED.qFW], ["q_fwt", FIXED.qFWT], ["q_fx", FIXED.qFX], ["q_fy", FIXED.qFY], ["q_fuv", FIXED.qFUV]] as const) {
      expect((await withSelectors([[col, 2n]])).gates).to.deep.equal([`selector-${name}`]);
    }
  });

  it("two Freivalds kinds in one row, a weight row that is also a Y row among them, are rejected by the verifier (G13)", async () => {
    expect((await withSelectors([[FIXED.qFX, 1n], [FIXED.qFY, 1n]])).gates).to.deep.equal(["freivalds-kind"]);
    expect((await withSelectors([[FIXED.qFW, 1n], [FIXED.qFUV, 1n]])).gates).to.deep.equal(["freivalds-kind"]);
    expect((await withSelectors([[FIXED.qFWT, 1n], [FIXED.qFY, 1n]])).gates).to.deep.equal(["freivalds-kind"]);
    const { table } = activationProduct(HIDDEN_PRODUCT_SHAPE);
    const fixed = table.fixed.map((c) => c.slice());
    frSet(fixed[FIXED.qFWT], 2 ** HIDDEN_PRODUCT_SHAPE.logRows - 1, 1n);
    frSet(fixed[FIXED.qFY], 2 ** HIDDEN_PRODUCT_SHAPE.logRows - 1, 1n);
    await expectRejection(setup({ ...table, fixed }, srs), /more than one Freivalds selector/);
  });

  it("id_c on a row that is not a Y row is rejected by the verifier (G7) and refused by setup", async () => {
    expect((await withSelectors([[FIXED.idC, 1n]])).gates).to.deep.equal(["slot-rows"]);
    // On a Freivalds X row the slot changes the row's denominator: G3 fails first (and G7 with it).
    const { table } = activationProduct(HIDDEN_PRODUCT_SHAPE);
    const xRow = frVecToBigints(table.fixed[FIXED.qFX]).indexOf(1n);
    const fixed = table.fixed.map((c) => c.slice());
    frSet(fixed[FIXED.idC], xRow, 2n);
    await expectRejection(setup({ ...table, fixed }, srs), new RegExp(`id_c is 2 at row ${xRow}, which is not a Y row`));
    const forged = await withFixedColumns(pk, fixed);
    const honest = activationProduct(HIDDEN_PRODUCT_SHAPE);
    const error = await expectRejection(prove(forged, honest.witness), /fails at row/);
    expect((error as UnsatisfiedError).gate).to.equal("freivalds");
    const { proof, publicInputs } = await prove(forged, honest.witness, { skipSelfCheck: true });
    expect(await verify(forged.vk, proof, publicInputs)).to.equal(false);
  });
});
