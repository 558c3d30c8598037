// The generated Solidity verifier against the TS verifier, on the in-process Hardhat network:
// valid proofs are accepted by both; corrupted proof bytes, wrong or out-of-range public inputs,
// points off the curve, truncated proofs and non-canonical ABI encodings are rejected by both, the
// Solidity one reverting with the named error the corruption calls for (docs/protocol.md §5.5, §9).
import { expect } from "chai";
import { network } from "hardhat";
import { decodeErrorResult, encodeAbiParameters, encodeFunctionData, toFunctionSelector, toHex, type Abi, type Address, type Hex } from "viem";
import { getEngine, P, R, releaseEngine } from "../../../verifier/engine/bn254.js";
import { g1Add, g1Concat, g1Generator, g1Mul } from "../../../prover/engine/g1.js";
import { frInv, frMod } from "../../../verifier/engine/scalar.js";
import { decide, foldAccumulators } from "../../../prover/kzg/index.js";
import { readUint256BE } from "../../../verifier/engine/encoding.js";
import { matvec, sizedMatvec } from "../../../prover/circuits/index.js";
import { compileVerifier, generateVerifier, MAX_RUNTIME_BYTES, type CompiledVerifier } from "../../../prover/codegen/index.js";
import {
  accumulateProof,
  batchChallenge,
  decodeProof,
  encodeProof,
  PROOF_BYTES,
  ProofFormatError,
  prove,
  reduceProof,
  setup,
  srsSizeFor,
  verificationKeyDigest,
  verify,
  verifyBatch,
  type CircuitTable,
  type ProvingKey,
  type Witness,
} from "../../../prover/plonkish/index.js";
import { PROOF_COMMITMENTS, PROOF_MAGIC } from "../../../verifier/plonkish/proof.js";
import * as layout from "../../../verifier/plonkish/layout.js";
import { NUM_EVALUATIONS, PHASES, QUOTIENT_CHUNKS } from "../../../verifier/plonkish/layout.js";
import { proofTranscript } from "../../../verifier/plonkish/schedule.js";
import { devSrs, type Srs } from "../../../prover/srs/index.js";
import { expectRejection } from "../../helpers/assert.js";
import { activationProduct, mixedCircuit, paddingRows, prng, weightRowsWithCopiedActivation, withCommittedWeights, withFixedColumns, withSteps } from "../plonkish/circuits.js";
import { frSet, frVecToBigints, type FrVec } from "../../../verifier/engine/fr.js";
import { CircuitBuilder } from "../../../prover/circuit/builder.js";
import { arithmeticRow, mul } from "../../../prover/blocks/arithmetic.js";

const { viem } = await network.create();

/** The dev SRS's τ (the batch cancellation test needs it to aim each proof's error). */
const TAU = 0x7a6b696e666572n;

/** Byte offsets of the proof's regions (docs/protocol.md §5.6). */
const EVALS_AT = 4 + PROOF_COMMITMENTS * 64;
const WITNESSES_AT = EVALS_AT + NUM_EVALUATIONS * 32;

interface Fixture {
  name: string;
  pk: ProvingKey;
  proofs: { proof: Uint8Array; publicInputs: bigint[] }[];
  compiled: CompiledVerifier;
  address: Address;
}

async function deploy(compiled: CompiledVerifier): Promise<{ address: Address; gas: bigint }> {
  const [wallet] = await viem.getWalletClients();
  const client = await viem.getPublicClient();
  const hash = await wallet.deployContract({ abi: compiled.abi as Abi, bytecode: compiled.bytecode });
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (!receipt.contractAddress) throw new Error("deployment created no contract");
  return { address: receipt.contractAddress, gas: receipt.gasUsed };
}

async function fixture(name: string, srs: Srs, table: CircuitTable, witnesses: Witness[]): Promise<Fixture> {
  const pk = await setup(table, srs);
  const proofs = [];
  for (const w of witnesses) {
    const { proof, publicInputs } = await prove(pk, w);
    proofs.push({ proof, publicInputs });
  }
  const generated = generateVerifier(pk.vk, { contractName: "TestVerifier" });
  const compiled = compileVerifier(generated.source, generated.contractName);
  const { address } = await deploy(compiled);
  return { name, pk, proofs, compiled, address };
}

/** What the Solidity verifier did: returned a value or reverted (with the revert's message). */
type Outcome = { ok: true; value: boolean } | { ok: false; error: string };

async function callVerify(f: Fixture, proof: Uint8Array | Hex, publicInputs: readonly bigint[]): Promise<Outcome> {
  const client = await viem.getPublicClient();
  try {
    const value = await client.readContract({
      address: f.address,
      abi: f.compiled.abi as Abi,
      functionName: "verifyProof",
      args: [typeof proof === "string" ? proof : toHex(proof), publicInputs],
    });
    return { ok: true, value: value as boolean };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

/** The revert data somewhere in a viem error's cause chain, decoded with the verifier's ABI. */
function revertReason(f: Fixture, err: unknown): string {
  for (let e = err as { data?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (typeof e.data === "string" && e.data.startsWith("0x")) {
      if (e.data === "0x") return "reverted without data";
      try {
        const decoded = decodeErrorResult({ abi: f.compiled.abi as Abi, data: e.data as Hex });
        return `${decoded.errorName}(${(decoded.args ?? []).join(", ")})`;
      } catch {
        return `reverted with unknown data ${e.data}`;
      }
    }
  }
  return `reverted: ${(err as Error).message}`;
}

async function callRaw(f: Fixture, data: Hex): Promise<Outcome> {
  const client = await viem.getPublicClient();
  try {
    const { data: out } = await client.call({ to: f.address, data });
    return { ok: true, value: BigInt(out ?? "0x0") === 1n };
  } catch (err) {
    return { ok: false, error: revertReason(f, err) };
  }
}

async function tsOutcome(f: Fixture, proof: Uint8Array, publicInputs: readonly bigint[]): Promise<Outcome> {
  try {
    return { ok: true, value: await verify(f.pk.vk, proof, publicInputs) };
  } catch (err) {
    if (!(err instanceof ProofFormatError)) throw err;
    return { ok: false, error: err.message };
  }
}

/**
 * The named error a corrupted proof must raise, worked out from the bytes alone (docs/protocol.md
 * §1.3, §1.4, §5.6), or null when the proof is well formed and must just fail to verify.
 */
function expectedError(bytes: Uint8Array): string | null {
  if (PROOF_MAGIC.some((b, i) => bytes[i] !== b)) return "BadProofHeader";
  const point = (at: number): string | null => {
    const x = readUint256BE(bytes, at);
    const y = readUint256BE(bytes, at + 32);
    if (x >= P || y >= P) return "CoordinateNotInField";
    if (x === 0n && y === 0n) return null;
    return (y * y - x * x * x - 3n) % P === 0n ? null : "PointNotOnCurve";
  };
  for (let at = 4; at < EVALS_AT; at += 64) {
    const e = point(at);
    if (e) return e;
  }
  for (let at = EVALS_AT; at < WITNESSES_AT; at += 32) if (readUint256BE(bytes, at) >= R) return "ScalarNotCanonical";
  for (let at = WITNESSES_AT; at < PROOF_BYTES; at += 64) {
    const e = point(at);
    if (e) return e;
  }
  return null;
}

/** Both verifiers agree with the oracle on one corrupted proof. */
async function expectBothReject(f: Fixture, proof: Uint8Array, publicInputs: readonly bigint[], what: string): Promise<void> {
  const want = expectedError(proof);
  const [ts, sol] = await Promise.all([tsOutcome(f, proof, publicInputs), callVerify(f, proof, publicInputs)]);
  if (want === null) {
    expect(ts, `${what}: TS`).to.deep.equal({ ok: true, value: false });
    expect(sol, `${what}: Solidity`).to.deep.equal({ ok: true, value: false });
  } else {
    expect(ts.ok, `${what}: TS must refuse to decode (${want})`).to.equal(false);
    expect(sol.ok, `${what}: Solidity must revert with ${want}`).to.equal(false);
    expect((sol as { error: string }).error, what).to.include(want);
  }
}

/** The function call with the canonical encoding, as bytes after the selector. */
function singleCalldata(f: Fixture, proof: Uint8Array, publicInputs: readonly bigint[]): Hex {
  return encodeFunctionData({ abi: f.compiled.abi as Abi, functionName: "verifyProof", args: [toHex(proof), publicInputs] });
}

/** Overwrites the 32-byte word at byte `at` of the arguments (after the 4-byte selector). */
function setWord(data: Hex, at: number, value: bigint): Hex {
  const bytes = Buffer.from(data.slice(2), "hex");
  Buffer.from(value.toString(16).padStart(64, "0"), "hex").copy(bytes, 4 + at);
  return `0x${bytes.toString("hex")}`;
}

describe("codegen: generated Solidity verifier vs the TS verifier", function () {
  let srs: Srs;
  let small: Fixture;
  let wide: Fixture;

  before(async function () {
    // A known τ, so that the adaptive batch test can forge the per-proof errors it cancels.
    srs = await devSrs(srsSizeFor(9), { tau: TAU });
    const a = mixedCircuit({ m: 2, k: 3, P: 2, seed: 61 });
    const b = mixedCircuit({ m: 2, k: 3, P: 2, seed: 62, weightSeed: 61 + 0x5eed });
    small = await fixture("mixed 2^5", srs, a.table, [a.witness, b.witness, mixedCircuit({ m: 2, k: 3, P: 2, seed: 63, weightSeed: 61 + 0x5eed }).witness]);
    const params = sizedMatvec(9, { seed: "codegen", P: 2 });
    const input = Array.from({ length: params.k * params.P }, (_, i) => BigInt((i % 7) - 3));
    const built = matvec.build({ ...params }, input);
    wide = await fixture(`matvec ${params.m}×${params.k}×${params.P} 2^9`, srs, built.table, [built.witness]);
  });
  after(releaseEngine);

  it("bakes in the key: digest, row count, public input count, and the insecure dev-SRS flag", async () => {
    const client = await viem.getPublicClient();
    for (const f of [small, wide]) {
      const read = (functionName: string) => client.readContract({ address: f.address, abi: f.compiled.abi as Abi, functionName });
      expect(await read("VK_DIGEST")).to.equal(toHex(verificationKeyDigest(f.pk.vk)));
      expect(await read("LOG_ROWS")).to.equal(BigInt(f.pk.vk.logRows));
      expect(await read("PUBLIC_INPUT_COUNT")).to.equal(BigInt(f.pk.vk.publicInputCount));
      expect(await read("INSECURE_DEV_SRS")).to.equal(true);
      expect(f.compiled.deployedSize, `${f.name}: EIP-170`).to.be.below(MAX_RUNTIME_BYTES);
    }
    expect(generateVerifier(small.pk.vk).source).to.match(/@custom:security INSECURE/);
    expect(generateVerifier({ ...small.pk.vk, insecure: false }).source).to.not.match(/INSECURE:|INSECURE_DEV_SRS = true/);
  });

  it("accepts every valid proof, as the TS verifier does", async () => {
    for (const f of [small, wide]) {
      for (const { proof, publicInputs } of f.proofs) {
        expect(await verify(f.pk.vk, proof, publicInputs), `${f.name}: TS`).to.equal(true);
        expect(await callVerify(f, proof, publicInputs), `${f.name}: Solidity`).to.deep.equal({ ok: true, value: true });
      }
    }
  });

  // Review of a404182: Π_t (λ − t) is now inverted together with PI(ζ)'s denominator, in pointValues.
  // A zero product must still stop the proof where λ is drawn: inverted, it would turn 1/(d_0·den),
  // L_0(ζ), PI(ζ), λ⁻¹ and every κ_t into 0 (modexp of 0 is 0, it does not fail).
  it("returns false right after λ is drawn when λ ∈ {0, …, K − 1}, in verifyProof and verifyProofs, before any MSM or pairing", async function () {
    this.timeout(300_000);
    const client = await viem.getPublicClient();
    const generated = generateVerifier(small.pk.vk, { contractName: "TestVerifier" });
    const squeezeLambda = /mstore\(M_CH_LAMBDA, squeeze\(s, \d+\)\)/g;
    expect(generated.source.match(squeezeLambda), "the one line that stores λ").to.have.length(1);
    /** The small fixture's verifier with λ fixed to `lambda` instead of drawn from the transcript. */
    const withLambda = async (lambda: bigint): Promise<Fixture> => {
      const compiled = compileVerifier(generated.source.replace(squeezeLambda, `mstore(M_CH_LAMBDA, ${lambda})`), generated.contractName);
      return { ...small, compiled, address: (await deploy(compiled)).address };
    };
    const single = singleCalldata(small, small.proofs[0].proof, small.proofs[0].publicInputs);
    const batch = encodeFunctionData({ abi: small.compiled.abi as Abi, functionName: "verifyProofs", args: [small.proofs.map((p) => toHex(p.proof)), small.proofs.map((p) => p.publicInputs)] });
    const gasOf = (f: Fixture, data: Hex): Promise<bigint> => client.estimateGas({ to: f.address, data });
    // λ = K: the product is not zero, so the verifier goes on to the opening and the pairing, which
    // fail (the proofs were made for the transcript's λ).
    const past = await withLambda(BigInt(layout.WEIGHT_SLOTS));
    expect(await callRaw(past, single)).to.deep.equal({ ok: true, value: false });
    expect(await callRaw(past, batch)).to.deep.equal({ ok: true, value: false });
    const [fullSingle, fullBatch] = [await gasOf(past, single), await gasOf(past, batch)];
    for (let t = 0n; t < BigInt(layout.WEIGHT_SLOTS); t++) {
      const f = await withLambda(t);
      expect(await callRaw(f, single), `λ = ${t}: verifyProof`).to.deep.equal({ ok: true, value: false });
      expect(await callRaw(f, batch), `λ = ${t}: verifyProofs`).to.deep.equal({ ok: true, value: false });
      // Stopped before PI(ζ), the gates, the opening's MSM and the pairing (over 150k gas of precompiles).
      expect(Number(await gasOf(f, single)), `λ = ${t}: verifyProof stops early`).to.be.below(Number(fullSingle - 150_000n));
      expect(Number(await gasOf(f, batch)), `λ = ${t}: verifyProofs stops at the first proof`).to.be.below(Number(fullBatch - 150_000n));
    }
  });

  // ZKINFER_FULL_SWEEP=1 flips every one of the 2244 bytes (scripts/verifier-corruption-sweep.ts).
  const fullSweep = process.env.ZKINFER_FULL_SWEEP === "1";
  it(`rejects single-byte corruptions like the TS verifier: ${fullSweep ? "every byte" : "every header and word-top byte, and a random sample of the rest"}`, async function () {
    const { proof, publicInputs } = small.proofs[0];
    const next = prng(0xc0de);
    const positions = new Set<number>([0, 1, 2, 3]);
    for (let at = 4; at < PROOF_BYTES; at += 32) positions.add(at); // the top byte of every word
    while (positions.size < (fullSweep ? PROOF_BYTES : 200)) positions.add(Number(next() % BigInt(PROOF_BYTES)));
    let malformed = 0;
    for (const at of positions) {
      const bad = proof.slice();
      bad[at] ^= Number(next() % 255n) + 1;
      await expectBothReject(small, bad, publicInputs, `byte ${at}`);
      if (expectedError(bad)) malformed++;
    }
    // Both kinds of rejection occurred: malformed (revert) and well-formed but invalid (false).
    expect(malformed).to.be.above(20);
    expect(positions.size - malformed).to.be.above(20);
  });

  it("accepts keys with no and with one public input (the edges of PI(ζ)), and rejects a changed input", async () => {
    for (const ell of [0, 1]) {
      const b = new CircuitBuilder(ell);
      const x = ell === 1 ? b.setPublicInput(0, 7n) : arithmeticRow(b, {}, { a: 7n }).a;
      mul(b, mul(b, x, x), x);
      const { table, witness } = b.build();
      const f = await fixture(`ℓ = ${ell}`, srs, table, [witness]);
      const { proof, publicInputs } = f.proofs[0];
      expect(publicInputs.length).to.equal(ell);
      expect(await tsOutcome(f, proof, publicInputs)).to.deep.equal({ ok: true, value: true });
      expect(await callVerify(f, proof, publicInputs)).to.deep.equal({ ok: true, value: true });
      if (ell === 1) expect(await callVerify(f, proof, [8n])).to.deep.equal({ ok: true, value: false });
    }
  });

  /** A verifier deployed for a hand-built key; both verifiers must reject `proof` as well formed but invalid. */
  async function expectForgedKeyRejects(name: string, forged: ProvingKey, proof: Uint8Array, publicInputs: readonly bigint[]): Promise<void> {
    const generated = generateVerifier(forged.vk, { contractName: "TestVerifier" });
    const compiled = compileVerifier(generated.source, generated.contractName);
    const f: Fixture = { name, pk: forged, proofs: [], compiled, address: (await deploy(compiled)).address };
    expect(await tsOutcome(f, proof, publicInputs), `${name}: TS`).to.deep.equal({ ok: true, value: false });
    expect(await callVerify(f, proof, publicInputs), `${name}: Solidity`).to.deep.equal({ ok: true, value: false });
  }

  it("rejects the slot-packing cheats (docs/protocol.md §4.5, §4.7): Y wrong in one slot, errors in two slots cancelling for a guessed λ, another model's weights", async () => {
    const shape = { m: 2, k: 3, P: 2, seed: 61 } as const;
    const honest = mixedCircuit(shape);
    // Output rows 0 and 1 share one packed index i_b: slots 0 and 1.
    expect([honest.y[0][0].i, honest.y[0][0].t, honest.y[1][0].t]).to.deep.equal([honest.y[1][0].i, 0n, 1n]);
    const both = async (what: string, witness: Witness, options: { weightsFromTable?: boolean; pk?: ProvingKey } = {}): Promise<void> => {
      const { proof, publicInputs } = await prove(options.pk ?? small.pk, witness, { skipSelfCheck: true, weightsFromTable: options.weightsFromTable });
      expect(await tsOutcome(small, proof, publicInputs), `${what}: TS`).to.deep.equal({ ok: true, value: false });
      expect(await callVerify(small, proof, publicInputs), `${what}: Solidity`).to.deep.equal({ ok: true, value: false });
    };
    await both("Y wrong in slot 1", mixedCircuit({ ...shape, cheat: { kind: "freivalds", errors: [{ i: 1, p: 1, delta: 1n }] } }).witness);
    // δ₁ = −(κ₀/κ₁)·δ₀ for the λ the honest phase-1 commitments give: invisible for that λ only.
    const first = await prove(small.pk, honest.witness);
    const t = proofTranscript(small.pk.vkDigest, first.publicInputs);
    t.absorbG1Lem("phase1", g1Concat(decodeProof(first.proof).commitments.slice(0, PHASES[0].columns.length)));
    const lambda = t.challenges("phase1", PHASES[0].challenges.length)[PHASES[0].challenges.indexOf("lambda")];
    const kappa1 = frMod(lambda * frInv(frMod(lambda - 1n)));
    const d0 = 424242n;
    const d1 = frMod(-d0 * frInv(kappa1));
    await both("errors in slots 0 and 1 cancelling for a guessed λ", mixedCircuit({ ...shape, cheat: { kind: "freivalds", errors: [{ i: 0, p: 0, delta: d0 }, { i: 1, p: 0, delta: d1 }] } }).witness);
    // Another model's weights in the proving key (same circuit): Ŵ′ from the table, not from the VK's C_t.
    const other = mixedCircuit({ ...shape, weightSeed: 999 });
    await both("another model's weights", other.witness, { pk: { ...small.pk, table: { ...small.pk.table, weights: other.table.weights } }, weightsFromTable: true });
  });

  it("rejects hand-built keys that break the slot rules: id_c on a row that is not a Y row (G7), a weight row that is also a Y row (G13)", async () => {
    const shape = { m: 2, k: 3, P: 2, seed: 64, logRows: 6 } as const;
    const honest = activationProduct(shape);
    const pk = await setup(honest.table, srs);
    // The last row is padding: there only the broken rule can object.
    const row = 2 ** shape.logRows - 1;
    for (const [name, cells] of [
      ["id_c on a padding row", [[layout.FIXED.idC, 2n]]],
      ["a weight row that is also a Y row", [[layout.FIXED.qFWT, 1n], [layout.FIXED.qFY, 1n]]],
    ] as const) {
      const fixed = honest.table.fixed.map((c) => c.slice());
      for (const [col, value] of cells) frSet(fixed[col], row, value);
      const forged = await withFixedColumns(pk, fixed);
      const { proof, publicInputs } = await prove(forged, honest.witness, { skipSelfCheck: true });
      await expectForgedKeyRejects(name, forged, proof, publicInputs);
    }
  });

  it("power column P (G14–G16), as the TS verifier: accepts a key with a run that ends in a reset; rejects s ∉ {0, 1, 2}, a run without reset, a P forged on a Y row, P ≡ 0", async () => {
    const circuit = mixedCircuit({ m: 2, k: 3, P: 2, seed: 61 });
    const [r0, r1, r2] = paddingRows(circuit, 3);
    // Steps 1, 2 on padding rows: [s] is a point of the VK (not the point at infinity of s ≡ 0).
    const withRun = await withFixedColumns(small.pk, withSteps(circuit, [[r1, 1n], [r2, 2n]]));
    const good = await prove(withRun, circuit.witness);
    const generated = generateVerifier(withRun.vk, { contractName: "TestVerifier" });
    const compiled = compileVerifier(generated.source, generated.contractName);
    const runFixture: Fixture = { name: "steps 1, 2", pk: withRun, proofs: [], compiled, address: (await deploy(compiled)).address };
    expect(await tsOutcome(runFixture, good.proof, good.publicInputs)).to.deep.equal({ ok: true, value: true });
    expect(await callVerify(runFixture, good.proof, good.publicInputs)).to.deep.equal({ ok: true, value: true });
    for (const [name, steps] of [
      ["s = 3 then a reset (G15)", [[r0, 3n], [r1, 2n]]],
      ["s = 1 and no reset (G14 at the wrap-around)", [[r2, 1n]]],
    ] as const) {
      const forged = await withFixedColumns(small.pk, withSteps(circuit, steps));
      const { proof, publicInputs } = await prove(forged, circuit.witness, { skipSelfCheck: true });
      await expectForgedKeyRejects(name, forged, proof, publicInputs);
    }
    // Witness-side cheats under the honest key (s ≡ 0): a wrong Y hidden by P on its row (G14), or
    // by P ≡ 0, which voids every product (G16).
    const cheat = mixedCircuit({ m: 2, k: 3, P: 2, seed: 61, cheat: { kind: "freivalds", errors: [{ i: 1, p: 0, delta: 5n }] } });
    const [honestC, cheatC] = [circuit.witness.c, cheat.witness.c].map(frVecToBigints);
    const row = cheatC.findIndex((v, i) => v !== honestC[i]);
    const forgedP = (h: FrVec): FrVec => {
      const out = h.slice();
      frSet(out, row, frMod(honestC[row] * frInv(cheatC[row])));
      return out;
    };
    const zeros = (h: FrVec): FrVec => new Uint8Array(h.length);
    for (const [name, powers] of [["P forged on a Y row", forgedP], ["P ≡ 0", zeros]] as const) {
      const { proof, publicInputs } = await prove(small.pk, cheat.witness, { skipSelfCheck: true, powers });
      expect(await tsOutcome(small, proof, publicInputs), `${name}: TS`).to.deep.equal({ ok: true, value: false });
      expect(await callVerify(small, proof, publicInputs), `${name}: Solidity`).to.deep.equal({ ok: true, value: false });
    }
  });

  it("rejects hidden computation: weights committed in an activation product's W rows, (A + M)·X proved (docs/protocol.md §4.7)", async () => {
    const shape = { m: 2, k: 3, P: 2, seed: 64, logRows: 6 } as const;
    const honest = activationProduct(shape);
    const control = await fixture("A·X", srs, honest.table, [honest.witness]);
    expect(await callVerify(control, control.proofs[0].proof, control.proofs[0].publicInputs)).to.deep.equal({ ok: true, value: true });
    // The model owner's own setup commits to M ≠ 0 where only activations belong; its prover
    // computes Y = (A + M)·X (the self-check objects, so the cheater skips it).
    const cheat = activationProduct({ ...shape, hidden: [[2n, 0n, -1n], [0n, 0n, 3n]] });
    const forged = await withCommittedWeights(control.pk, cheat.weights, 0x1234n);
    const { proof, publicInputs } = await prove(forged, cheat.witness, { skipSelfCheck: true });
    const generated = generateVerifier(forged.vk, { contractName: "TestVerifier" });
    const compiled = compileVerifier(generated.source, generated.contractName);
    const f: Fixture = { name: "(A + M)·X", pk: forged, proofs: [], compiled, address: (await deploy(compiled)).address };
    expect(await tsOutcome(f, proof, publicInputs)).to.deep.equal({ ok: true, value: false });
    expect(await callVerify(f, proof, publicInputs)).to.deep.equal({ ok: true, value: false });
  });

  it("rejects weights committed in slot 2 of an activation product's W rows with honest outputs A·X (G5, G6)", async () => {
    const shape = { m: 2, k: 3, P: 2, seed: 64, logRows: 6 } as const;
    const honest = activationProduct(shape);
    const pk = await setup(honest.table, srs);
    const cheat = activationProduct({ ...shape, hidden: [[2n, 0n, -1n], [0n, 0n, 3n]], hiddenSlot: 2 });
    const forged = await withCommittedWeights(pk, cheat.weights, 0x1234n);
    const { proof, publicInputs } = await prove(forged, honest.witness, { skipSelfCheck: true });
    await expectForgedKeyRejects("M committed in slot 2, A·X", forged, proof, publicInputs);
  });

  it("rejects (A + M)·X made through the fixed columns (activation W rows marked as weight rows too) by gates G3 and G13, as the TS verifier does", async () => {
    const shape = { m: 2, k: 3, P: 2, seed: 64, logRows: 6 } as const;
    const honest = activationProduct(shape);
    const pk = await setup(honest.table, srs);
    const { forged, witness } = await weightRowsWithCopiedActivation(pk, shape, [[2n, 0n, -1n], [0n, 0n, 3n]], 0x1234n);
    const { proof, publicInputs } = await prove(forged, witness, { skipSelfCheck: true });
    const generated = generateVerifier(forged.vk, { contractName: "TestVerifier" });
    const compiled = compileVerifier(generated.source, generated.contractName);
    const f: Fixture = { name: "(A + M)·X by fixed columns", pk: forged, proofs: [], compiled, address: (await deploy(compiled)).address };
    expect(await tsOutcome(f, proof, publicInputs)).to.deep.equal({ ok: true, value: false });
    expect(await callVerify(f, proof, publicInputs)).to.deep.equal({ ok: true, value: false });
  });

  it("rejects a flipped public input (false) and one ≥ r, a wrong count (named reverts)", async () => {
    const { proof, publicInputs } = small.proofs[0];
    const flipped = publicInputs.map((x, i) => (i === 2 ? (x + 1n) % R : x));
    expect(await tsOutcome(small, proof, flipped)).to.deep.equal({ ok: true, value: false });
    expect(await callVerify(small, proof, flipped)).to.deep.equal({ ok: true, value: false });
    for (const big of [publicInputs[0] + R, R, (1n << 256n) - 1n]) {
      const inputs = [big, ...publicInputs.slice(1)];
      expect((await tsOutcome(small, proof, inputs)).ok).to.equal(false);
      const sol = await callVerify(small, proof, inputs);
      expect(sol.ok).to.equal(false);
      expect((sol as { error: string }).error).to.include("PublicInputNotInField");
    }
    // The revert names the entry's index and value wherever it sits (the check walks calldata by pointer).
    const last = publicInputs.length - 1;
    const lastTooBig = publicInputs.map((x, i) => (i === last ? x + R : x));
    expect(await callRaw(small, singleCalldata(small, proof, lastTooBig))).to.deep.equal({ ok: false, error: `PublicInputNotInField(${last}, ${publicInputs[last] + R})` });
    for (const inputs of [publicInputs.slice(1), [...publicInputs, 0n], []]) {
      expect((await tsOutcome(small, proof, inputs)).ok).to.equal(false);
      const sol = await callVerify(small, proof, inputs);
      expect((sol as { error: string }).error).to.include("WrongPublicInputCount");
    }
  });

  it("rejects points off the curve, coordinates ≥ p, scalars ≥ r and truncated or padded proofs", async () => {
    const { proof, publicInputs } = small.proofs[0];
    const withWord = (at: number, v: bigint): Uint8Array => {
      const out = proof.slice();
      out.set(Buffer.from(v.toString(16).padStart(64, "0"), "hex"), at);
      return out;
    };
    const offCurve = withWord(4 + 32, readUint256BE(proof, 4 + 32) ^ 1n); // [a].y changed
    const infinityX = withWord(WITNESSES_AT, 0n); // (0, y) with y ≠ 0
    const coordinate = withWord(4 + 64 * 3, P + readUint256BE(proof, 4 + 64 * 3)); // [m].x + p
    const witness = withWord(WITNESSES_AT + 64 + 32, P); // W′.y = p
    const scalar = withWord(EVALS_AT + 32 * 5, R + readUint256BE(proof, EVALS_AT + 32 * 5));
    for (const [bad, name] of [
      [offCurve, "PointNotOnCurve"],
      [infinityX, "PointNotOnCurve"],
      [coordinate, "CoordinateNotInField"],
      [witness, "CoordinateNotInField"],
      [scalar, "ScalarNotCanonical"],
    ] as const) {
      expect(expectedError(bad)).to.equal(name);
      await expectBothReject(small, bad, publicInputs, name);
    }
    // The point at infinity is a valid encoding: such a proof is well formed and invalid.
    const infinity = proof.slice();
    infinity.fill(0, 4 + 64 * 6, 4 + 64 * 7); // [v] = (0, 0)
    await expectBothReject(small, infinity, publicInputs, "[v] = infinity");
    for (const bad of [proof.subarray(0, PROOF_BYTES - 1), proof.subarray(0, 0), Uint8Array.from([...proof, 0])]) {
      expect((await tsOutcome(small, bad, publicInputs)).ok).to.equal(false);
      const sol = await callVerify(small, bad, publicInputs);
      expect((sol as { error: string }).error, `${bad.length} bytes`).to.include("BadProofLength");
    }
  });

  it("accepts only the canonical ABI encoding: bad offsets, lengths and padding revert", async () => {
    const { proof, publicInputs } = small.proofs[0];
    const good = singleCalldata(small, proof, publicInputs);
    expect(await callRaw(small, good)).to.deep.equal({ ok: true, value: true });
    const inputsAt = 0x60 + Math.ceil(PROOF_BYTES / 32) * 32;
    // The same arguments laid out in another valid-looking order: public inputs first, then the proof.
    const swapped = ((): Hex => {
      const head = encodeAbiParameters([{ type: "uint256[]" }], [publicInputs]).slice(2 + 64); // length ‖ items
      const body = encodeAbiParameters([{ type: "bytes" }], [toHex(proof)]).slice(2 + 64);
      const inputsBytes = (head.length / 2) | 0;
      const words = [0x40 + inputsBytes, 0x40].map((v) => v.toString(16).padStart(64, "0")).join("");
      return `${toFunctionSelector("verifyProof(bytes,uint256[])")}${words}${head}${body}` as Hex;
    })();
    // Decodable by a lenient decoder: one spare word between the proof and the inputs.
    const gapped = ((): Hex => {
      const withOffset = setWord(good, 32, BigInt(inputsAt + 32));
      const split = 2 + 8 + 2 * inputsAt;
      return `${withOffset.slice(0, split)}${"00".repeat(32)}${withOffset.slice(split)}` as Hex;
    })();
    const paddingWord = 0x60 + Math.ceil(PROOF_BYTES / 32) * 32 - 32;
    // Offsets that point outside the calldata are refused by Solidity's ABI decoder before the
    // verifier runs (a revert without data); every other deviation reverts with a named error.
    const cases: [string, Hex, RegExp][] = [
      ["proof offset moved one word on", setWord(good, 0, 0x60n), /^BadAbiOffset\(4, 96\)|reverted without data/],
      ["inputs offset at the proof's length word", setWord(good, 32, 0x40n), /reverted without data/],
      ["inputs offset one word late", setWord(good, 32, BigInt(inputsAt + 32)), /reverted without data/],
      ["a gap word before the inputs", gapped, new RegExp(`^BadAbiOffset\\(36, ${inputsAt + 32}\\)`)],
      ["swapped layout", swapped, /^BadAbiOffset\(4, /],
      ["non-zero padding after the proof", setWord(good, paddingWord, readUint256BE(Buffer.from(good.slice(10), "hex"), paddingWord) | 1n), /^BadAbiPadding/],
      ["one extra byte", `${good}00`, /^BadCalldataLength/],
      ["one extra word", `${good}${"00".repeat(32)}`, /^BadCalldataLength/],
      ["truncated calldata", good.slice(0, -64) as Hex, /reverted without data/],
      ["input count one less", setWord(good, inputsAt, BigInt(publicInputs.length - 1)), /^WrongPublicInputCount/],
    ];
    for (const [what, data, pattern] of cases) {
      const out = await callRaw(small, data);
      expect(out.ok, what).to.equal(false);
      expect((out as { error: string }).error, what).to.match(pattern);
    }
  });

  it("rejects every commitment (advice, quotient), W and W′ replaced by another valid point, alone and in a batch, as the TS verifier does", async () => {
    const curve = await getEngine();
    const client = await viem.getPublicClient();
    const g = g1Generator(curve);
    const [first, second] = small.proofs;
    const d = decodeProof(first.proof);
    const variants: [string, Uint8Array][] = [];
    for (let i = 0; i < PROOF_COMMITMENTS; i++) {
      const commitments = [...d.commitments];
      commitments[i] = g1Add(curve, commitments[i], g);
      variants.push([i < PROOF_COMMITMENTS - QUOTIENT_CHUNKS ? `advice commitment ${i}` : `quotient chunk t${i - PROOF_COMMITMENTS + QUOTIENT_CHUNKS}`, encodeProof({ ...d, commitments })]);
    }
    ["W", "W′"].forEach((name, i) => {
      const witnesses = [...d.witnesses];
      witnesses[i] = g1Add(curve, witnesses[i], g);
      variants.push([name, encodeProof({ ...d, witnesses })]);
    });
    for (const [what, proof] of variants) {
      await expectBothReject(small, proof, first.publicInputs, what);
      const batch = [second, { proof, publicInputs: first.publicInputs }];
      expect(await verifyBatch(small.pk.vk, batch), `${what} in a batch: TS`).to.equal(false);
      const value = await client.readContract({
        address: small.address,
        abi: small.compiled.abi as Abi,
        functionName: "verifyProofs",
        args: [batch.map((x) => toHex(x.proof)), batch.map((x) => x.publicInputs)],
      });
      expect(value, `${what} in a batch: Solidity`).to.equal(false);
    }
  });

  it("verifies batches with one pairing, as verifyBatch does; one bad proof fails the batch", async () => {
    const client = await viem.getPublicClient();
    const call = async (items: { proof: Uint8Array; publicInputs: bigint[] }[]): Promise<Outcome> => {
      try {
        const value = await client.readContract({
          address: small.address,
          abi: small.compiled.abi as Abi,
          functionName: "verifyProofs",
          args: [items.map((i) => toHex(i.proof)), items.map((i) => i.publicInputs)],
        });
        return { ok: true, value: value as boolean };
      } catch (err) {
        return { ok: false, error: (err as Error).message };
      }
    };
    const items = small.proofs;
    expect(await verifyBatch(small.pk.vk, items)).to.equal(true);
    expect(await call(items)).to.deep.equal({ ok: true, value: true });
    expect(await call(items.slice(0, 1))).to.deep.equal({ ok: true, value: true });
    // Proof 1 with a changed evaluation: well formed, invalid.
    const bad = items[1].proof.slice();
    bad[EVALS_AT + 32 * 20 + 31] ^= 1;
    expect(decodeProof(bad)).to.be.an("object");
    const badBatch = [items[0], { proof: bad, publicInputs: items[1].publicInputs }, items[2]];
    expect(await verifyBatch(small.pk.vk, badBatch)).to.equal(false);
    expect(await call(badBatch)).to.deep.equal({ ok: true, value: false });
    // Swapped public inputs between two valid proofs.
    const swapped = [items[0], { proof: items[1].proof, publicInputs: items[2].publicInputs }];
    expect(await verifyBatch(small.pk.vk, swapped)).to.equal(false);
    expect(await call(swapped)).to.deep.equal({ ok: true, value: false });
    // Malformed members revert, naming the problem.
    const offCurve = items[1].proof.slice();
    offCurve[4 + 63] ^= 1;
    await expectRejection(call([items[0], { proof: offCurve, publicInputs: items[1].publicInputs }]).then((o) => (o.ok ? o : Promise.reject(new Error(o.error)))), /PointNotOnCurve/);
    await expectRejection(call([]).then((o) => (o.ok ? o : Promise.reject(new Error(o.error)))), /EmptyBatch/);
    const mismatch = await client
      .readContract({ address: small.address, abi: small.compiled.abi as Abi, functionName: "verifyProofs", args: [[toHex(items[0].proof)], [items[0].publicInputs, items[1].publicInputs]] })
      .then(() => "returned", (err: Error) => err.message);
    expect(mismatch).to.match(/BatchLengthMismatch/);
  });

  it("rejects errors injected into two proofs of a batch so that they cancel for a fold factor fixed before the second proof", async () => {
    // With τ known, replacing proof i's W′ by W′ + d_i·[1]₁ leaves every challenge of the proof (W′ is
    // absorbed last) and makes its accumulator's error A_i − τ·B_i = z_i·d_i − τ·d_i = −(τ − z_i)·d_i·[1]₁
    // (A has z·W′, B = W′; docs/protocol.md §6.4). Proof 0 gets d_0 = 1; proof 1's d_1 is solved so that
    // e_0 + ν̃·e_1 = 0 for the ν̃ of the batch (bad proof 0, honest proof 1), i.e. a fold factor known
    // before proof 1 is changed. The fold with ν̃ then passes; the real ν is drawn after proof 1's final
    // transcript state, which binds W′, and fails.
    const curve = await getEngine();
    const vk = small.pk.vk;
    const digest = verificationKeyDigest(vk);
    const zOf = (item: { proof: Uint8Array; publicInputs: bigint[] }): bigint => {
      const t = proofTranscript(digest, item.publicInputs);
      const d = decodeProof(item.proof);
      let next = 0;
      for (const phase of PHASES) {
        t.absorbG1Lem(phase.label, g1Concat(d.commitments.slice(next, (next += phase.columns.length))));
        t.challenges(phase.label, phase.challenges.length);
      }
      t.absorbG1Lem("quotient", g1Concat(d.commitments.slice(next, next + QUOTIENT_CHUNKS)));
      t.challenge("zeta");
      t.absorbScalars("evals", d.evaluations);
      t.challenges("shplonk-gamma", 2);
      t.absorbG1Lem("shplonk-w", d.witnesses[0]);
      return t.challenge("shplonk-z");
    };
    const shiftW2 = (item: { proof: Uint8Array; publicInputs: bigint[] }, d: bigint) => {
      const decoded = decodeProof(item.proof);
      const witnesses = [decoded.witnesses[0], g1Add(curve, decoded.witnesses[1], g1Mul(curve, g1Generator(curve), frMod(d)))];
      return { proof: encodeProof({ ...decoded, witnesses }), publicInputs: item.publicInputs };
    };
    const [p0, p1] = small.proofs;
    const bad0 = shiftW2(p0, 1n);
    const reduce = async (item: { proof: Uint8Array; publicInputs: bigint[] }) => (await reduceProof(vk, item.proof, item.publicInputs, digest))!;
    const kzgVk = { g2One: vk.g2One, g2Tau: vk.g2Tau };
    const client = await viem.getPublicClient();
    // ν̃ = 1 stands for an unweighted (or constant-weight) fold; the other for a factor computed
    // from the batch before proof 1 was changed.
    const targets = [1n, batchChallenge(digest, [(await reduce(bad0)).state, (await reduce(p1)).state])];
    for (const nuFixed of targets) {
      // −(τ − z_1)·d_1 = −ν̃⁻¹·(−(τ − z_0)) ⇒ d_1 = −(τ − z_0)/(ν̃·(τ − z_1)).
      const d1 = frMod(-(TAU - zOf(p0)) * frInv(frMod(nuFixed * (TAU - zOf(p1)))));
      const bad1 = shiftW2(p1, d1);
      const accs = [(await accumulateProof(vk, bad0.proof, bad0.publicInputs))!, (await accumulateProof(vk, bad1.proof, bad1.publicInputs))!];
      // Each forged proof is invalid alone, and their errors really cancel under ν̃.
      expect(await decide(curve, kzgVk, accs[0])).to.equal(false);
      expect(await decide(curve, kzgVk, accs[1])).to.equal(false);
      expect(await decide(curve, kzgVk, await foldAccumulators(curve, accs, nuFixed)), `the cheat works for ν̃ = ${nuFixed}`).to.equal(true);
      // The batch's own ν binds the changed proof 1, so both verifiers reject, in any order.
      expect(batchChallenge(digest, [(await reduce(bad0)).state, (await reduce(bad1)).state])).to.not.equal(nuFixed);
      expect(await verify(vk, bad1.proof, bad1.publicInputs)).to.equal(false);
      for (const batch of [[bad0, bad1], [bad1, bad0], [bad0, bad1, small.proofs[2]]]) {
        expect(await verifyBatch(vk, batch)).to.equal(false);
        const value = await client.readContract({
          address: small.address,
          abi: small.compiled.abi as Abi,
          functionName: "verifyProofs",
          args: [batch.map((i) => toHex(i.proof)), batch.map((i) => i.publicInputs)],
        });
        expect(value).to.equal(false);
      }
    }
  });
});
