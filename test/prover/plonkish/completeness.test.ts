// Completeness: honest witnesses of several sizes (random weights and inputs from a seeded PRNG)
// prove and verify, every proof has the same length, and batches verify with one pairing.
import { expect } from "chai";
import { R, releaseEngine } from "../../../verifier/engine/bn254.js";
import { frMod } from "../../../verifier/engine/scalar.js";
import { frVecEquals } from "../../../verifier/engine/fr.js";
import { devSrs, type Srs } from "../../../prover/srs/index.js";
import { CircuitBuilder } from "../../../prover/circuit/builder.js";
import { matmul } from "../../../prover/blocks/matmul.js";
import { linear } from "../../../prover/blocks/arithmetic.js";
import { toSigned } from "../../../prover/blocks/cells.js";
import { rangeCheck } from "../../../prover/blocks/range-check.js";
import {
  ChallengeRetryError,
  PROOF_BYTES,
  ProofFormatError,
  prove,
  setup,
  srsSizeFor,
  verify,
  verifyBatch,
  type ProvingKey,
  type ProveResult,
} from "../../../prover/plonkish/index.js";
import { expectRejection } from "../../helpers/assert.js";
import { OpeningPointError, proveMultiOpening } from "../../../prover/kzg/index.js";
import { fieldRng, mixedCircuit, prng } from "./circuits.js";

const MAX_LOG_ROWS = 9;

/** The mixed circuit's output, recomputed from its definition with plain bigints. */
function expectedOutput(weights: bigint[][], x: bigint[][], v: bigint): bigint {
  const m = weights.length;
  const P = x[0].length;
  const y = weights.map((row) => Array.from({ length: P }, (_, p) => frMod(row.reduce((s, w, j) => s + w * x[j][p], 0n))));
  const h = frMod(y[0][0] * y[m - 1][P - 1]);
  const s = frMod(3n * h - 2n * y[0][P - 1] + 7n);
  return frMod(s + v);
}

describe("plonkish: completeness", function () {
  let srs: Srs;

  before(async () => {
    srs = await devSrs(srsSizeFor(MAX_LOG_ROWS));
  });
  after(releaseEngine);

  it("random satisfying witnesses of growing size (2^5, 2^7, 2^9 rows, then 2^5 again) verify, and every proof is PROOF_BYTES long", async () => {
    expect(PROOF_BYTES).to.equal(2244);
    const shapes = [
      { m: 2, k: 3, P: 2, logRows: 5 },
      { m: 5, k: 6, P: 3, logRows: 7 },
      { m: 12, k: 16, P: 5, logRows: 9 },
    ];
    // The last size again: the prover keeps the coset's constants of the size it proved last, and
    // a proof at another size must not use them.
    for (const [idx, shape] of [...shapes.entries(), [0, shapes[0]] as const]) {
      const c = mixedCircuit({ m: shape.m, k: shape.k, P: shape.P, seed: 1000 + idx });
      // The shapes are chosen so that each needs exactly its table size.
      expect(c.table.logRows, `shape ${idx}`).to.equal(shape.logRows);
      const pk = await setup(c.table, srs);
      const { proof, publicInputs } = await prove(pk, c.witness);
      expect(proof).to.be.instanceOf(Uint8Array);
      expect(proof.length, `proof length at 2^${shape.logRows}`).to.equal(PROOF_BYTES);
      expect(publicInputs).to.deep.equal([...c.witness.publicInputs]);
      expect(await verify(pk.vk, proof, publicInputs), `2^${shape.logRows}`).to.equal(true);
    }
  });

  it("the circuit using every block (matmul with P = 3, mul, linear, add, range check, copies, public inputs and output) verifies with the right output", async () => {
    const m = 3;
    const k = 4;
    const P = 3;
    const c = mixedCircuit({ m, k, P, seed: 7, rangeBits: 4 });
    const pis = c.witness.publicInputs;
    const x = Array.from({ length: k }, (_, j) => pis.slice(j * P, (j + 1) * P));
    // The private range-checked value: out − s, recovered from the independently computed s.
    const withoutV = expectedOutput(c.weights, x, 0n);
    const v = frMod(pis[pis.length - 1] - withoutV);
    expect(toSigned(v) >= -8n && toSigned(v) < 0n, "the range-checked value is in its (negative) range").to.equal(true);
    expect(pis[pis.length - 1]).to.equal(expectedOutput(c.weights, x, v));

    const pk = await setup(c.table, srs);
    const { proof, publicInputs } = await prove(pk, c.witness);
    expect(await verify(pk.vk, proof, publicInputs)).to.equal(true);
    // The same proof with another claimed output does not verify.
    const wrongOutput = [...publicInputs];
    wrongOutput[wrongOutput.length - 1] = (wrongOutput[wrongOutput.length - 1] + 1n) % R;
    expect(await verify(pk.vk, proof, wrongOutput)).to.equal(false);
  });

  it("a two-layer network (a matmul feeding a matmul, a shifted residual, 8-bit range checks) verifies", async () => {
    // Z = W₂·(W₁·X); out_p = Z_0p − X_0p + 8; small values so that the range checks hold.
    const next = prng(99);
    const small = (bound: number): bigint => next() % BigInt(bound);
    const k = 3;
    const P = 2;
    const W1 = [
      [small(3), small(3), small(3)],
      [small(3), small(3), small(3)],
    ];
    const W2 = [[small(3), small(3)]];
    const b = new CircuitBuilder(k * P + P);
    const xs = Array.from({ length: k }, (_, j) => Array.from({ length: P }, (_, p) => b.setPublicInput(j * P + p, small(4))));
    const y = matmul(b, W1, xs);
    const z = matmul(b, W2, y);
    for (let p = 0; p < P; p++) {
      // Y ≤ 2·3·3 = 18 and Z ≤ 2·18·2 = 72, so 5 ≤ Z_0p − X_0p + 8 < 2^8.
      const shifted = linear(b, z[0][p], xs[0][p], 1n, R - 1n, 8n);
      rangeCheck(b, shifted, 8);
      b.copy(shifted, b.publicInput(k * P + p));
      b.setPublicInput(k * P + p, b.value(shifted));
    }
    const { table, witness } = b.build();
    const pk = await setup(table, srs);
    const { proof, publicInputs } = await prove(pk, witness);
    expect(await verify(pk.vk, proof, publicInputs)).to.equal(true);
    const expected = Array.from({ length: P }, (_, p) => {
      const yv = W1.map((row) => row.reduce((s, w, j) => s + w * witness.publicInputs[j * P + p], 0n));
      const zv = W2[0].reduce((s, w, i) => s + w * yv[i], 0n);
      return zv - witness.publicInputs[p] + 8n;
    });
    expect(publicInputs.slice(k * P)).to.deep.equal(expected);
  });

  it("when ζ falls in H the prover starts again with fresh blinding, and gives up only if that keeps happening", async () => {
    const c = mixedCircuit({ m: 2, k: 3, P: 2, seed: 77 });
    const pk = await setup(c.table, srs);
    // Forced on the first attempt: the proof comes from the second, with blinding drawn after the
    // first attempt's (the same seed without a restart gives other bytes), and verifies.
    const restarted = await prove(pk, c.witness, { random: fieldRng(5n), restartAttempts: [0] });
    const direct = await prove(pk, c.witness, { random: fieldRng(5n) });
    expect(await verify(pk.vk, restarted.proof, restarted.publicInputs)).to.equal(true);
    expect(Buffer.from(restarted.proof).equals(Buffer.from(direct.proof))).to.equal(false);
    // No blinding scalar is reused: no 32-byte word of the direct proof's commitments reappears.
    const words = (p: Uint8Array) => new Set(Array.from({ length: 13 * 2 }, (_, i) => Buffer.from(p.subarray(4 + 32 * i, 36 + 32 * i)).toString("hex")));
    const overlap = [...words(restarted.proof)].filter((w) => words(direct.proof).has(w));
    expect(overlap).to.deep.equal([]);
    const err = await expectRejection(prove(pk, c.witness, { restartAttempts: [0, 1, 2, 3] }), /ζ lies in H/);
    expect(err).to.be.instanceOf(ChallengeRetryError);
  });

  it("when the opening challenge z falls on ζ or ωζ the prover starts again, and the proof it gives verifies", async () => {
    const c = mixedCircuit({ m: 2, k: 3, P: 2, seed: 78 });
    const pk = await setup(c.table, srs);
    // The transcript cannot be steered to z ∈ {ζ, ωζ}: an opening that meets it on its first call
    // stands in for that event (proveMultiOpening throws OpeningPointError there).
    let calls = 0;
    const opening: typeof proveMultiOpening = (...args) => {
      if (calls++ === 0) return Promise.reject(new OpeningPointError("the opening challenge z is one of the opening points"));
      return proveMultiOpening(...args);
    };
    const restarted = await prove(pk, c.witness, { opening });
    expect(calls).to.equal(2);
    expect(await verify(pk.vk, restarted.proof, restarted.publicInputs)).to.equal(true);
    let always = 0;
    const err = await expectRejection(
      prove(pk, c.witness, { opening: () => (always++, Promise.reject(new OpeningPointError("z on a point"))) }),
      /the opening challenge z is ζ or ωζ/,
    );
    expect(err).to.be.instanceOf(ChallengeRetryError);
    expect(always).to.equal(4);
  });

  describe("batches (one key, several inputs)", () => {
    let pk: ProvingKey;
    let items: ProveResult[];
    let cheat: ProveResult;

    before(async () => {
      const shape = { m: 2, k: 3, P: 2, weightSeed: 5 };
      const circuits = [11, 12, 13].map((seed) => mixedCircuit({ ...shape, seed }));
      // Same weights and layout, different inputs: one table, one key.
      for (const c of circuits.slice(1)) {
        c.table.fixed.forEach((col, i) => expect(frVecEquals(col, circuits[0].table.fixed[i])).to.equal(true));
        c.table.weights.forEach((w, t) => expect(frVecEquals(w, circuits[0].table.weights[t])).to.equal(true));
        expect(c.witness.publicInputs).to.not.deep.equal(circuits[0].witness.publicInputs);
      }
      pk = await setup(circuits[0].table, srs);
      items = [];
      for (const c of circuits) items.push(await prove(pk, c.witness));
      // A proof of a witness with a wrong matrix product, made by skipping the self-check.
      const bad = mixedCircuit({ ...shape, seed: 14, cheat: { kind: "freivalds", errors: [{ i: 1, p: 0, delta: 1n }] } });
      cheat = await prove(pk, bad.witness, { skipSelfCheck: true });
    });

    it("verifyBatch of several valid proofs is true", async () => {
      expect(await verifyBatch(pk.vk, items)).to.equal(true);
      expect(await verifyBatch(pk.vk, [items[0]])).to.equal(true);
    });

    it("one bad proof anywhere in the batch makes it false", async () => {
      const swapped = { proof: items[1].proof, publicInputs: items[2].publicInputs };
      for (const bad of [swapped, cheat]) {
        for (let at = 0; at <= items.length; at++) {
          const batch = [...items.slice(0, at), bad, ...items.slice(at)];
          expect(await verifyBatch(pk.vk, batch), `bad proof at ${at}`).to.equal(false);
        }
      }
      // A tampered evaluation (still a canonical scalar) in the middle of the batch.
      const tampered = items[1].proof.slice();
      tampered[PROOF_BYTES - 2 * 64 - 1] ^= 0x01; // the last evaluation's low byte
      expect(await verifyBatch(pk.vk, [items[0], { proof: tampered, publicInputs: items[1].publicInputs }, items[2]])).to.equal(false);
    });

    it("an empty batch or a malformed member throws ProofFormatError", async () => {
      const e1 = await expectRejection(verifyBatch(pk.vk, []), /at least one proof/);
      expect(e1).to.be.instanceOf(ProofFormatError);
      const e2 = await expectRejection(verifyBatch(pk.vk, [items[0], { proof: items[1].proof.subarray(1), publicInputs: items[1].publicInputs }]), /bytes/);
      expect(e2).to.be.instanceOf(ProofFormatError);
    });
  });

  it("seeded field elements are spread over Fr (the PRNG is not degenerate)", () => {
    const next = fieldRng(1);
    const xs = Array.from({ length: 64 }, next);
    expect(new Set(xs).size).to.equal(64);
    expect(xs.every((x) => x >= 0n && x < R)).to.equal(true);
    expect(xs.filter((x) => x > R / 2n).length).to.be.within(16, 48);
  });
});
