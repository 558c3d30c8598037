// Review of issue 18 finding 4 (gate G6): what does a *verifier* enforce about the fixed columns?
// G6 = (1 − q_fw·q_l)·W′ lets the private weight column act in every row with q_fw·q_l = 1, and the
// claim "such a row's entry is exactly its weight" rested on §3.8 rule 6 (the row states a = 0),
// which only the owner's own `setup` checks (validateTable). Neither verifier sees the fixed
// columns, only their commitments. A model owner who builds its key by hand could therefore turn an
// activation product's W rows into "weight rows" that also copy the activation, and prove (A + M)·X
// while the circuit's layout (matmulActivations) computes A·X. Protocol v4 (docs/protocol.md §4.7)
// makes the verifier check the row rules the weight column's meaning needs: G7 (a weight row's a is
// 0) and G8–G12 (Freivalds selectors boolean, one kind per row). Each test below builds its key by
// hand, skips the prover's self-check, and sees the proof rejected.
import { expect } from "chai";
import { releaseEngine } from "../../../verifier/engine/bn254.js";
import type { Srs } from "../../../prover/srs/index.js";
import { frGet, frSet } from "../../../verifier/engine/fr.js";
import { CircuitError, prove, setup, verify, type ProvingKey, type UnsatisfiedError } from "../../../prover/plonkish/index.js";
import { FIXED, NUM_FIXED } from "../../../verifier/plonkish/layout.js";
import { expectRejection } from "../../helpers/assert.js";
import { activationProduct, fieldRng, weightRowsWithCopiedActivation, withFixedColumns, HIDDEN_PRODUCT_SHAPE, HIDDEN_WEIGHTS, hiddenProductKey } from "./circuits.js";

describe("plonkish: the weight rows' rules are the verifier's, not only setup's (G7–G12)", function () {
  let srs: Srs;
  let pk: ProvingKey;

  before(async () => {
    ({ srs, pk } = await hiddenProductKey());
  });
  after(releaseEngine);

  it("a hand-built key with q_l = 1, q_r = −1 in the activation W rows cannot prove (A + M)·X (G7: a weight row's a is 0)", async () => {
    const { forged, table, witness } = await weightRowsWithCopiedActivation(pk, HIDDEN_PRODUCT_SHAPE, HIDDEN_WEIGHTS, fieldRng(5n)());
    // The owner's setup would refuse this table (§3.8 rule 6); the verifier never sees it.
    const refused = await expectRejection(setup(table, srs), /weight row \d+ must state a = 0/);
    expect(refused).to.be.instanceOf(CircuitError);
    // The prover's self-check names the gate; a cheating prover skips it.
    const error = await expectRejection(prove(forged, witness), /weight-row-wire/);
    expect((error as UnsatisfiedError).gate).to.equal("weight-row-wire");
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

  it("a Freivalds selector other than 0 or 1 is rejected by the verifier (G8–G11)", async () => {
    for (const [name, col] of [["q_fw", FIXED.qFW], ["q_fx", FIXED.qFX], ["q_fy", FIXED.qFY], ["q_fuv", FIXED.qFUV]] as const) {
      expect((await withSelectors([[col, 2n]])).gates).to.deep.equal([`selector-${name}`]);
    }
  });

  it("two Freivalds kinds in one row are rejected by the verifier (G12)", async () => {
    expect((await withSelectors([[FIXED.qFX, 1n], [FIXED.qFY, 1n]])).gates).to.deep.equal(["freivalds-kind"]);
    expect((await withSelectors([[FIXED.qFW, 1n], [FIXED.qFUV, 1n]])).gates).to.deep.equal(["freivalds-kind"]);
  });
});
