// Review of issue 18 finding 4 (gate G6): what does a *verifier* enforce about the fixed columns?
// G6 = (1 − q_fw·q_l)·W′ lets the private weight column act in every row with q_fw·q_l = 1, and the
// claim "such a row's entry is exactly its weight" rests on §3.8 rule 6 (the row states a = 0),
// which only the owner's own `setup` checks (validateTable). Neither verifier sees the fixed
// columns, only their commitments, and no artifact or command lets anyone else re-run the check.
// A model owner who builds its key by hand can therefore turn an activation product's W rows into
// "weight rows" that also copy the activation, and prove (A + M)·X while the circuit's layout
// (matmulActivations) computes A·X. These tests show the cheat accepted.
import { expect } from "chai";
import { releaseEngine } from "../../../prover/engine/bn254.js";
import { devSrs, type Srs } from "../../../prover/srs/index.js";
import { CircuitError, prove, setup, srsSizeFor, verify, type ProvingKey } from "../../../prover/plonkish/index.js";
import { expectRejection } from "../../helpers/assert.js";
import { activationProduct, fieldRng, weightRowsWithCopiedActivation } from "./circuits.js";

const SHAPE = { m: 2, k: 3, P: 2, seed: 808, logRows: 6 } as const;
const HIDDEN = [
  [1n, 0n, -2n],
  [0n, 5n, 0n],
];

describe("review: fixed-column rules only the owner's setup checks (G6 relies on §3.8 rule 6)", function () {
  let srs: Srs;
  let pk: ProvingKey;

  before(async () => {
    srs = await devSrs(srsSizeFor(SHAPE.logRows));
    pk = await setup(activationProduct(SHAPE).table, srs);
  });
  after(releaseEngine);

  it("a hand-built key with q_l = 1, q_r = −1 in the activation W rows proves (A + M)·X, and the verifier accepts", async () => {
    const { forged, table, witness } = await weightRowsWithCopiedActivation(pk, SHAPE, HIDDEN, fieldRng(5n)());
    // The owner's setup would refuse this table (§3.8 rule 6); the verifier never sees it.
    const refused = await expectRejection(setup(table, srs), /weight row \d+ must state a = 0/);
    expect(refused).to.be.instanceOf(CircuitError);
    // Not even the prover's self-check objects: every gate holds.
    const { proof, publicInputs } = await prove(forged, witness);
    // The public outputs are (A + M)·X, not the A·X the layout computes from the public A and X.
    const honest = activationProduct(SHAPE);
    expect(publicInputs).to.not.deep.equal(honest.witness.publicInputs);
    expect(publicInputs.slice(0, SHAPE.m * SHAPE.k + SHAPE.k * SHAPE.P)).to.deep.equal(honest.witness.publicInputs.slice(0, SHAPE.m * SHAPE.k + SHAPE.k * SHAPE.P));
    // A sound design must reject; the verifier accepts.
    expect(await verify(forged.vk, proof, publicInputs)).to.equal(false);
  });
});
