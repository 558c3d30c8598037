// Hidden computation through the weight columns (docs/protocol.md §3.6, §4.7): the weights are
// private, so they may act only as the entries of a weight row. A model owner who commits to a
// nonzero "weight" M in the W rows of an activation × activation product would make the circuit
// compute (A + M)·X while the public circuit shows A·X. In protocol v5 an activation W row's entry is
// its wire a alone (G3 reads the weights only through q_fwt·Ŵ′), so such a witness fails the
// Freivalds gate; and gates G5 and G6 make Ŵ′ = Σ_t κ_t·W_t, hence every W_t (except with probability
// (K − 1)/r over λ, Lemma S2), vanish outside weight rows, so a key that merely carries M there, with
// honest outputs A·X, is refused too. The owner's prover is refused by its self-check, and the proof
// made anyway is rejected, whichever slot holds M.
import { expect } from "chai";
import { releaseEngine } from "../../../verifier/engine/bn254.js";
import type { Srs } from "../../../prover/srs/index.js";
import { prove, setup, UnsatisfiedError, verify, type ProvingKey } from "../../../prover/plonkish/index.js";
import { expectRejection } from "../../helpers/assert.js";
import { activationProduct, fieldRng, mixedCircuit, withCommittedWeights, HIDDEN_PRODUCT_SHAPE, HIDDEN_WEIGHTS, hiddenProductKey } from "./circuits.js";
import { frSet, frVecToBigints } from "../../../verifier/engine/fr.js";
import { FIXED, WEIGHT_SLOTS } from "../../../verifier/plonkish/layout.js";

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

  for (const slot of [0, 2]) {
    it(`a key whose weight column ${slot} is nonzero in an activation product's W rows cannot prove (A + M)·X`, async () => {
      const cheat = activationProduct({ ...HIDDEN_PRODUCT_SHAPE, hidden: HIDDEN_WEIGHTS, hiddenSlot: slot });
      const forged = await withCommittedWeights(pk, cheat.weights, fieldRng(4n)());
      // The outputs (A + M)·X: the activation rows' entries are A alone, so the product fails.
      const error = await expectRejection(prove(forged, cheat.witness), /fails at row/);
      expect(error).to.be.instanceOf(UnsatisfiedError);
      expect((error as UnsatisfiedError).gate).to.equal("freivalds");
      const { proof, publicInputs } = await prove(forged, cheat.witness, { skipSelfCheck: true });
      expect(await verify(forged.vk, proof, publicInputs)).to.equal(false);
      // The honest outputs A·X under the same key: only G6 (with G5) objects, at the first W row.
      const honest = activationProduct(HIDDEN_PRODUCT_SHAPE);
      const unused = await expectRejection(prove(forged, honest.witness), /weight-rows/);
      expect([(unused as UnsatisfiedError).gate, (unused as UnsatisfiedError).row]).to.deep.equal(["weight-rows", cheat.wRows[0]]);
      const again = await prove(forged, honest.witness, { skipSelfCheck: true });
      expect(await verify(forged.vk, again.proof, again.publicInputs)).to.equal(false);
    });

    it(`setup refuses weight column ${slot} nonzero outside weight rows, naming the row`, async () => {
      const cheat = activationProduct({ ...HIDDEN_PRODUCT_SHAPE, hidden: HIDDEN_WEIGHTS, hiddenSlot: slot });
      await expectRejection(setup({ ...cheat.table, weights: cheat.weights }, srs), new RegExp(`weight column ${slot} is nonzero at row ${cheat.wRows[0]}, which is not a weight row`));
    });
  }

  it("setup refuses a weight in a slot that no Y row reads (a hidden condition on the inputs, docs/protocol.md §7.4)", async () => {
    // m = 2 output rows: slots 0 and 1 of each weight row are read, the last slot is not.
    const c = mixedCircuit({ m: 2, k: 3, P: 2, seed: 5 });
    const row = frVecToBigints(c.table.fixed[FIXED.qFWT]).indexOf(1n);
    const weights = c.table.weights.map((w) => w.slice());
    frSet(weights[WEIGHT_SLOTS - 1], row, 7n);
    await expectRejection(setup({ ...c.table, weights }, srs), new RegExp(`weight column ${WEIGHT_SLOTS - 1} is nonzero at weight row ${row}, but no Y row has its output index`));
    // The same weight in slot 1, which a Y row reads, is an ordinary (other) model.
    const used = c.table.weights.map((w) => w.slice());
    frSet(used[1], row, 7n);
    expect((await setup({ ...c.table, weights: used }, srs)).vk.weightCommitments).to.have.length(WEIGHT_SLOTS);
  });
});
