// Zero-knowledge smoke tests: proofs are randomised (two proofs of one statement share no advice
// commitment), the weight commitment is hiding (fresh per setup) and the fixed commitments do not
// depend on the weights at all.
import { expect } from "chai";
import { getEngine, releaseEngine } from "../../../prover/engine/bn254.js";
import { frGet, frSet } from "../../../prover/engine/fr.js";
import { g1Equal } from "../../../prover/engine/g1.js";
import { devSrs, type Srs } from "../../../prover/srs/index.js";
import { decodeProof, prove, setup, srsSizeFor, verify, type CircuitTable, type ProvingKey } from "../../../prover/plonkish/index.js";
import { FIXED, NUM_COLUMNS, NUM_FIXED } from "../../../prover/plonkish/layout.js";
import { fieldRng, mixedCircuit, type MixedCircuit } from "./circuits.js";

describe("plonkish: zero-knowledge smoke", function () {
  let srs: Srs;
  let c: MixedCircuit;
  let pk: ProvingKey;

  before(async () => {
    srs = await devSrs(srsSizeFor(5));
    c = mixedCircuit({ m: 2, k: 3, P: 2, seed: 4242, logRows: 5 });
    pk = await setup(c.table, srs);
  });
  after(releaseEngine);

  /** Whether two lists of points are equal element by element, as a list of booleans. */
  async function samePoints(a: readonly Uint8Array[], b: readonly Uint8Array[]): Promise<boolean[]> {
    const curve = await getEngine();
    return a.map((p, i) => g1Equal(curve, p, b[i]));
  }

  it("two proofs of the same statement differ in every commitment and both verify", async () => {
    const first = await prove(pk, c.witness);
    const second = await prove(pk, c.witness);
    expect(first.publicInputs).to.deep.equal(second.publicInputs);
    expect(Buffer.from(first.proof).equals(Buffer.from(second.proof))).to.equal(false);
    expect(await verify(pk.vk, first.proof, first.publicInputs)).to.equal(true);
    expect(await verify(pk.vk, second.proof, second.publicInputs)).to.equal(true);
    const [d1, d2] = [decodeProof(first.proof), decodeProof(second.proof)];
    // Every advice column (a, b, c, m, W′, u, v, z, acc, φ) and every quotient chunk is blinded afresh.
    expect(await samePoints(d1.commitments, d2.commitments)).to.deep.equal(d1.commitments.map(() => false));
    // The advice evaluations at ζ (a fresh ζ each time) differ too.
    for (let col = NUM_FIXED; col < NUM_COLUMNS; col++) expect(d1.evaluations[col], `column ${col}`).to.not.equal(d2.evaluations[col]);
  });

  it("the same blinding randomness gives the same proof; other randomness gives another", async () => {
    // Determinism of the prover given its random source: the only difference between proofs is
    // the blinding, so the randomised test above is not passing by accident (e.g. a timestamp).
    const seq = (start: bigint) => fieldRng(start);
    const a = await prove(pk, c.witness, { random: seq(1n) });
    const b = await prove(pk, c.witness, { random: seq(1n) });
    const d = await prove(pk, c.witness, { random: seq(2n) });
    expect(Buffer.from(a.proof).equals(Buffer.from(b.proof))).to.equal(true);
    expect(Buffer.from(a.proof).equals(Buffer.from(d.proof))).to.equal(false);
    expect(await verify(pk.vk, d.proof, d.publicInputs)).to.equal(true);
  });

  it("setup twice on one table: identical fixed commitments, different weight commitments and digests", async () => {
    const again = await setup(c.table, srs);
    expect(await samePoints(again.vk.fixedCommitments, pk.vk.fixedCommitments)).to.deep.equal(pk.vk.fixedCommitments.map(() => true));
    const curve = await getEngine();
    again.vk.weightCommitments.forEach((c, t) => expect(g1Equal(curve, c, pk.vk.weightCommitments[t]), `C_${t}`).to.equal(false));
    expect(Buffer.from(again.vkDigest).equals(Buffer.from(pk.vkDigest))).to.equal(false);
    // A proof under one key is not a proof under the other (the digest binds the transcript).
    const { proof, publicInputs } = await prove(again, c.witness);
    expect(await verify(again.vk, proof, publicInputs)).to.equal(true);
    expect(await verify(pk.vk, proof, publicInputs)).to.equal(false);
  });

  it("changing one weight changes no fixed commitment; with the same r₀ it changes C_t (binding), with the same weights C_t repeats", async () => {
    // The first weight row of the matmul (q_fwt = 1 there), slot 1.
    const weightRow = [...Array(2 ** c.table.logRows).keys()].find((r) => frGet(c.table.fixed[FIXED.qFWT], r) === 1n)!;
    expect(weightRow).to.be.a("number");
    const weights = c.table.weights.map((w) => w.slice());
    frSet(weights[1], weightRow, frGet(weights[1], weightRow) + 1n);
    const changed: CircuitTable = { ...c.table, weights };

    const r0 = () => 0x1234567890abcdefn;
    const base = await setup(c.table, srs, { random: r0 });
    const same = await setup(c.table, srs, { random: r0 });
    const other = await setup(changed, srs, { random: r0 });
    const curve = await getEngine();
    expect(await samePoints(other.vk.fixedCommitments, base.vk.fixedCommitments)).to.deep.equal(base.vk.fixedCommitments.map(() => true));
    same.vk.weightCommitments.forEach((p, t) => expect(g1Equal(curve, p, base.vk.weightCommitments[t]), `C_${t}`).to.equal(true));
    // Only slot 1 changed: C_1 moves, the others repeat (each C_t commits to its own column).
    other.vk.weightCommitments.forEach((p, t) => expect(g1Equal(curve, p, base.vk.weightCommitments[t]), `C_${t}`).to.equal(t !== 1));
  });
});
