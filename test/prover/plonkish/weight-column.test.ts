// The prover derives the blinded weight column W′ = W + R·Z_H from the key's C = W + r₀·Z_H (its
// coefficients by a copy, its values on the 4n coset by a few vector operations) instead of
// interpolating the table's weights and running a coset FFT. Same blinding, same proof bytes as
// the FFT path (ProveOptions.weightsFromTable), which is checked to be a different path.
import { expect } from "chai";
import { getEngine, releaseEngine } from "../../../prover/engine/bn254.js";
import { frVecEquals } from "../../../prover/engine/fr.js";
import { g1Equal } from "../../../prover/engine/g1.js";
import { devSrs, type Srs } from "../../../prover/srs/index.js";
import { decodeProof, prove, setup, srsSizeFor, verify, type ProveOptions, type ProvingKey } from "../../../prover/plonkish/index.js";
import { ADVICE, PHASES } from "../../../prover/plonkish/layout.js";
import { fieldRng, mixedCircuit, type MixedCircuit } from "./circuits.js";

const SHAPE = { m: 3, k: 4, P: 2, seed: 5150, logRows: 6 } as const;
/** W′'s commitment among the proof's commitments (phase 1 commits it). */
const W_COMMITMENT = PHASES.flatMap((p) => p.columns).indexOf(ADVICE.w);

describe("plonkish: W′ derived from the key", function () {
  let srs: Srs;
  let c: MixedCircuit;
  let pk: ProvingKey;

  before(async () => {
    expect(W_COMMITMENT).to.be.at.least(0);
    srs = await devSrs(srsSizeFor(SHAPE.logRows));
    c = mixedCircuit(SHAPE);
    pk = await setup(c.table, srs);
  });
  after(releaseEngine);

  /** The same seeded blinding for both paths. */
  async function bothPaths(key: ProvingKey, witness = c.witness, extra: ProveOptions = {}): Promise<{ derived: Uint8Array; fromTable: Uint8Array }> {
    const derived = (await prove(key, witness, { ...extra, random: fieldRng(99n) })).proof;
    const fromTable = (await prove(key, witness, { ...extra, random: fieldRng(99n), weightsFromTable: true })).proof;
    return { derived, fromTable };
  }

  it("gives the same proof bytes as interpolating the table's weights, with or without a Lagrange key or cached coset values", async () => {
    const keys: [string, ProvingKey][] = [
      // First: [W]₁ not cached yet, so the derived path computes it; then cached.
      ["Lagrange key, cold", pk],
      ["Lagrange key, warm", pk],
      ["coefficients", { ...pk, lagrangeKey: undefined }],
      ["no coset cache", { ...pk, fixedCoset: undefined, weightCoset: undefined }],
    ];
    const proofs: Uint8Array[] = [];
    for (const [name, key] of keys) {
      const { derived, fromTable } = await bothPaths(key);
      expect(Buffer.from(derived).equals(Buffer.from(fromTable)), name).to.equal(true);
      expect(await verify(pk.vk, derived, c.witness.publicInputs), name).to.equal(true);
      proofs.push(derived);
    }
    // One seed, one key: every variant is the same proof; another seed gives another W′.
    proofs.forEach((p, i) => expect(Buffer.from(p).equals(Buffer.from(proofs[0])), keys[i][0]).to.equal(true));
    const reseeded = (await prove(pk, c.witness, { random: fieldRng(100n) })).proof;
    expect(g1Equal(await getEngine(), decodeProof(reseeded).commitments[W_COMMITMENT], decodeProof(proofs[0]).commitments[W_COMMITMENT])).to.equal(false);
  });

  it("the option switches W′'s source: from C by default, from the table with weightsFromTable", async () => {
    // A key whose table holds other weights than C commits to (as in the weight-link soundness
    // test): the two paths now disagree, and each W′ is the one its source predicts.
    const other = mixedCircuit({ ...SHAPE, weightSeed: 777 });
    expect(frVecEquals(other.table.weights[0], c.table.weights[0])).to.equal(false);
    // Commit from coefficients, so that each commitment is to the Ŵ′ its path computed.
    const swapped: ProvingKey = { ...pk, table: { ...pk.table, weights: other.table.weights }, lagrangeKey: undefined, unblindedWeightCommitments: undefined };
    const { derived, fromTable } = await bothPaths(swapped, other.witness, { skipSelfCheck: true });
    expect(Buffer.from(derived).equals(Buffer.from(fromTable))).to.equal(false);
    // Ŵ′ = Σ_t κ_t·W_t + R·Z_H does not depend on the r_(0,t): under the same blinding and the same
    // transcript (the same key digest and phase-1 wires, so the same λ), the derived Ŵ′ is the
    // honest key's and the table's Ŵ′ is the other weights' own key's.
    const honest = (await prove(pk, other.witness, { random: fieldRng(99n), skipSelfCheck: true })).proof;
    const otherPk = await setup(other.table, srs);
    const otherKey = (await prove({ ...otherPk, vk: pk.vk, vkDigest: pk.vkDigest, lagrangeKey: undefined }, other.witness, { random: fieldRng(99n), skipSelfCheck: true })).proof;
    const curve = await getEngine();
    const wOf = (proof: Uint8Array): Uint8Array => decodeProof(proof).commitments[W_COMMITMENT];
    expect(g1Equal(curve, wOf(derived), wOf(honest))).to.equal(true);
    expect(g1Equal(curve, wOf(fromTable), wOf(otherKey))).to.equal(true);
    expect(g1Equal(curve, wOf(honest), wOf(otherKey))).to.equal(false);
  });
});
