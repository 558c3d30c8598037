// Hidden computation through the weight column (docs/protocol.md §3.6, §4.7): the weight column is
// private, so it may act only as the entry of a weight row. A model owner who commits to a nonzero
// "weight" M in the W rows of an activation × activation product would make the circuit compute
// (A + M)·X while the public circuit shows A·X. Gate G6 makes W′ vanish outside weight rows: the
// owner's honest-looking prover is refused by its self-check, and the proof made anyway is rejected.
import { expect } from "chai";
import { releaseEngine } from "../../../verifier/engine/bn254.js";
import { frSet } from "../../../verifier/engine/fr.js";
import type { Srs } from "../../../prover/srs/index.js";
import { CircuitError, prove, setup, UnsatisfiedError, verify, type ProvingKey } from "../../../prover/plonkish/index.js";
import { FIXED } from "../../../verifier/plonkish/layout.js";
import { expectRejection } from "../../helpers/assert.js";
import { activationProduct, fieldRng, withCommittedWeights, HIDDEN_PRODUCT_SHAPE, HIDDEN_WEIGHTS, hiddenProductKey } from "./circuits.js";

describe("plonkish: the weight column acts only in weight rows", function () {
  let srs: Srs;
  let pk: ProvingKey;

  before(async () => {
    ({ srs, pk } = await hiddenProductKey());
  });
  after(releaseEngine);

  it("control: an activation × activation product with zero weights verifies, also under a key built by hand", async () => {
    const honest = activationProduct(HIDDEN_PRODUCT_SHAPE);
    const { proof, publicInputs } = await prove(pk, honest.witness);
    expect(await verify(pk.vk, proof, publicInputs)).to.equal(true);
    // The hand-made key of the cheat below, with the honest (zero) weights, is a valid key.
    const handMade = await withCommittedWeights(pk, honest.weights, fieldRng(3n)());
    const again = await prove(handMade, honest.witness);
    expect(await verify(handMade.vk, again.proof, again.publicInputs)).to.equal(true);
  });

  it("a key whose weight column is nonzero in an activation product's W rows cannot prove (A + M)·X", async () => {
    const cheat = activationProduct({ ...HIDDEN_PRODUCT_SHAPE, hidden: HIDDEN_WEIGHTS });
    const forged = await withCommittedWeights(pk, cheat.weights, fieldRng(4n)());
    const error = await expectRejection(prove(forged, cheat.witness), /weight-rows/);
    expect(error).to.be.instanceOf(UnsatisfiedError);
    expect((error as UnsatisfiedError).gate).to.equal("weight-rows");
    expect((error as UnsatisfiedError).row).to.equal(cheat.wRows[0]);
    const { proof, publicInputs } = await prove(forged, cheat.witness, { skipSelfCheck: true });
    expect(await verify(forged.vk, proof, publicInputs)).to.equal(false);
  });

  it("setup refuses a weight column that is nonzero outside weight rows, naming the row", async () => {
    const cheat = activationProduct({ ...HIDDEN_PRODUCT_SHAPE, hidden: HIDDEN_WEIGHTS });
    await expectRejection(setup({ ...cheat.table, weights: cheat.weights }, srs), new RegExp(`weight column is nonzero at row ${cheat.wRows[0]}, which is not a weight row`));
  });

  it("setup refuses a weight row (q_fw = q_l = 1) with another arithmetic selector, or among the public-input rows", async () => {
    const { table } = activationProduct(HIDDEN_PRODUCT_SHAPE);
    const row = activationProduct(HIDDEN_PRODUCT_SHAPE).wRows[1];
    for (const col of [FIXED.qM, FIXED.qR, FIXED.qO, FIXED.qC, FIXED.qN]) {
      const fixed = table.fixed.map((c) => c.slice());
      frSet(fixed[FIXED.qL], row, 1n);
      frSet(fixed[col], row, 3n);
      const err = await expectRejection(setup({ ...table, fixed }, srs), new RegExp(`weight row ${row} must state a = 0`));
      expect(err).to.be.instanceOf(CircuitError);
    }
    // A public-input row already has q_l = 1: it must not be a W row too.
    const fixed = table.fixed.map((c) => c.slice());
    frSet(fixed[FIXED.qFW], 0, 1n);
    await expectRejection(setup({ ...table, fixed }, srs), /weight row 0 must state a = 0/);
  });
});
