// Review of slot packing (docs/protocol.md §4.5, §8.7): λ must be drawn after everything it weighs,
// the weights of every slot included. A model owner who knows λ can cancel an error in one slot
// against a weight hidden in another: with a wrong Y in slot 1 of output index i_b (+D at column p₀)
// and, in an unread slot h (3, and the last slot K − 1, whose κ_h the Solidity verifier derives from
// the most factors λ − t), weights w with (w·X)_(p₀) = κ₁·D/κ_h and (w·X)_p = 0 elsewhere,
// e^T·(W̃·X̃ − Ỹ)·g = (κ_h·(w·X)_(p₀) − κ₁·D)/((β − i_b)(δ − p₀)) = 0 for every β, δ. The owner can
// only tune w after learning λ, i.e. after the VK that commits to w: the attack works exactly when the
// transcript's λ does not depend on C_h. Here the cheating witness and the blinding are the same under
// both keys (so the phase-1 commitments are too); only [C_h]₁ differs, and it must move λ. Both
// verifiers must reject, and setup must refuse the table (no Y row reads slot h).
import { expect } from "chai";
import { network } from "hardhat";
import { toHex, type Abi } from "viem";
import { g1Concat, g1Equal } from "../../../prover/engine/g1.js";
import { getEngine, releaseEngine } from "../../../verifier/engine/bn254.js";
import { frGet, frSet, frVecToBigints } from "../../../verifier/engine/fr.js";
import { frInv, frMod } from "../../../verifier/engine/scalar.js";
import { compileVerifier, generateVerifier } from "../../../prover/codegen/index.js";
import { decodeProof, prove, setup, srsSizeFor, verify, type ProvingKey } from "../../../prover/plonkish/index.js";
import { FIXED, PHASES, WEIGHT_SLOTS } from "../../../verifier/plonkish/layout.js";
import { proofTranscript } from "../../../verifier/plonkish/schedule.js";
import { devSrs } from "../../../prover/srs/index.js";
import { fieldRng, mixedCircuit, withCommittedWeights } from "../plonkish/circuits.js";
import { expectRejection } from "../../helpers/assert.js";

const { viem } = await network.create();

const SHAPE = { m: 2, k: 3, P: 2, seed: 71 } as const;
const D = 31337n;
const P0 = 1; // the column of the wrong Y entry; Y_(1,1) feeds the public output

/** The phase-1 commitments of `proof` and the λ a transcript under `pk` draws after them. */
function phaseOne(pk: ProvingKey, proof: Uint8Array, publicInputs: readonly bigint[]): { commitments: Uint8Array; lambda: bigint } {
  const commitments = g1Concat(decodeProof(proof).commitments.slice(0, PHASES[0].columns.length));
  const t = proofTranscript(pk.vkDigest, publicInputs);
  t.absorbG1Lem("phase1", commitments);
  return { commitments, lambda: t.challenges("phase1", PHASES[0].challenges.length)[PHASES[0].challenges.indexOf("lambda")] };
}

const kappa = (lambda: bigint, t: bigint): bigint => frMod(lambda * frInv(frMod(lambda - t)));

async function solidityVerdict(pk: ProvingKey, proof: Uint8Array, publicInputs: readonly bigint[]): Promise<boolean> {
  const generated = generateVerifier(pk.vk, { contractName: "TestVerifier" });
  const compiled = compileVerifier(generated.source, generated.contractName);
  const [wallet] = await viem.getWalletClients();
  const client = await viem.getPublicClient();
  const hash = await wallet.deployContract({ abi: compiled.abi as Abi, bytecode: compiled.bytecode });
  const { contractAddress } = await client.waitForTransactionReceipt({ hash });
  if (!contractAddress) throw new Error("deployment created no contract");
  return (await client.readContract({ address: contractAddress, abi: compiled.abi as Abi, functionName: "verifyProof", args: [toHex(proof), publicInputs] })) as boolean;
}

describe("slot packing: λ is drawn after every slot's weights (review of docs/proposals/table-size.md)", function () {
  after(releaseEngine);

  // m = 2 output rows read slots 0 and 1 only; slot 3 was the last slot at K = 4.
  for (const hidden of [...new Set([3, WEIGHT_SLOTS - 1])]) {
    it(`a weight hidden in slot ${hidden} of ${WEIGHT_SLOTS}, tuned to cancel a wrong output in slot 1 for the λ of the unchanged key, is rejected by both verifiers and refused by setup`, async () => {
      const honest = mixedCircuit(SHAPE);
      const cheat = mixedCircuit({ ...SHAPE, cheat: { kind: "freivalds", errors: [{ i: 1, p: P0, delta: D }] } });
      expect(cheat.witness.publicInputs.at(-1)).to.not.equal(honest.witness.publicInputs.at(-1)); // a false public output
      const y = cheat.y[1][P0];
      expect(y.t).to.equal(1n);

      const srs = await devSrs(srsSizeFor(honest.table.logRows));
      const base = await setup(honest.table, srs);
      // The owner's key with the honest weights; then the same key with w in slot h (only C_h changes).
      const r0 = 0x5eedn;
      const keyA = await withCommittedWeights(base, honest.table.weights, r0);
      const first = await prove(keyA, cheat.witness, { skipSelfCheck: true, random: fieldRng(99n) });
      const a = phaseOne(keyA, first.proof, first.publicInputs);

      // Slot h of the weight rows (i_b, j), j = 0 … k − 1, of the wrong entry's output index.
      const [qfwt, ida] = [frVecToBigints(honest.table.fixed[FIXED.qFWT]), frVecToBigints(honest.table.fixed[FIXED.idA])];
      const rows = qfwt.flatMap((q, row) => (q === 1n && ida[row] === y.i ? [row] : []));
      expect(rows).to.have.length(SHAPE.k);
      const x = (j: number, p: number): bigint => cheat.witness.publicInputs[j * SHAPE.P + p];
      // w = (w₀, w₁, 0) with (w·X)_(P0) = κ₁·D/κ_h and (w·X)_(other) = 0, for the λ of key A.
      const target = frMod(kappa(a.lambda, 1n) * D * frInv(kappa(a.lambda, BigInt(hidden))));
      const other = 1 - P0;
      const det = frMod(x(0, P0) * x(1, other) - x(1, P0) * x(0, other));
      expect(det).to.not.equal(0n);
      const w = [frMod(target * x(1, other) * frInv(det)), frMod(-target * x(0, other) * frInv(det)), 0n];
      const weights = honest.table.weights.map((col) => col.slice());
      rows.forEach((row, j) => frSet(weights[hidden], row, w[j]));
      // Setup's product rule (docs/protocol.md §3.8): a weight in a slot no Y row reads is refused.
      await expectRejection(setup({ ...honest.table, weights }, srs), new RegExp(`weight column ${hidden} is nonzero at weight row ${rows[0]}, but no Y row has its output index \\(${y.i}, slot ${hidden}\\)`));
      const keyB = await withCommittedWeights(base, weights, r0);
      const curve = await getEngine();
      keyB.vk.weightCommitments.forEach((c, t) => expect(g1Equal(curve, c, keyA.vk.weightCommitments[t]), `C_${t}`).to.equal(t !== hidden));
      expect(frGet(weights[hidden], rows[0])).to.not.equal(0n);

      // For λ_A the error is invisible: Σ over the two entries of M·κ_t/((β − i_b)(δ − p)) is 0 for any β, δ.
      const invisible = (lambda: bigint): boolean => frMod(kappa(lambda, BigInt(hidden)) * target - kappa(lambda, 1n) * D) === 0n;
      expect(invisible(a.lambda)).to.equal(true);

      const second = await prove(keyB, cheat.witness, { skipSelfCheck: true, random: fieldRng(99n) });
      const b = phaseOne(keyB, second.proof, second.publicInputs);
      expect(Buffer.from(b.commitments).equals(Buffer.from(a.commitments)), "same phase-1 commitments").to.equal(true);
      // The verdicts first: were λ not bound to [C_h]₁, both would accept the false output.
      expect(await verify(keyB.vk, second.proof, second.publicInputs), "TS verifier").to.equal(false);
      expect(await solidityVerdict(keyB, second.proof, second.publicInputs), "Solidity verifier").to.equal(false);
      expect(b.lambda, "λ moves with [C_h]₁ alone").to.not.equal(a.lambda);
      expect(invisible(b.lambda)).to.equal(false);
    });
  }
});
