// Review of protocol v7's SHPLONK opening (docs/protocol.md §5.1 steps 12–15, §5.3, §6.4): cheating
// provers that know every true polynomial and make W and W′ as best they can, each against the TS
// verifier, the generated Solidity verifier and both batch verifiers. Where an attack works only if
// a challenge were predictable (a guessed z) or a check were absent (z = ζ), a verifier with z fixed
// in advance (source patched on-chain, Transcript.challenges wrapped off-chain) shows that it works,
// so that the unchanged verifiers' rejection is the transcript's and the check's doing.
import { expect } from "chai";
import type { Bn128 } from "ffjavascript";
import { R, releaseEngine } from "../../../verifier/engine/bn254.js";
import { frVecFromBigints } from "../../../verifier/engine/fr.js";
import { frDot, frInv, frMod, frPowersOf } from "../../../verifier/engine/scalar.js";
import { commit, pointWeights, type CommitKey, type OpeningTranscript, type OpeningWitnesses, type ProverQuery } from "../../../prover/kzg/index.js";
import { divideByLinear, Domain, evaluate, linearCombination } from "../../../prover/poly/index.js";
import { decodeProof, encodeProof, prove, setup, srsSizeFor, verify, verifyBatch, type ProveOptions, type ProvingKey } from "../../../prover/plonkish/index.js";
import { NEXT_ROW_COLUMNS, NUM_COLUMNS, NUM_EVALUATIONS } from "../../../verifier/plonkish/layout.js";
import { Transcript } from "../../../verifier/transcript/index.js";
import { devSrs } from "../../../prover/srs/index.js";
import { deployVerifier, type DeployedVerifier } from "../../helpers/solidity-verifier.js";
import { mixedCircuit, type MixedCircuit } from "../plonkish/circuits.js";

const SHAPE = { m: 2, k: 3, P: 2, logRows: 8 } as const;
/** z the cheater of the "guessed z" attack aims at, fixed before any proof exists. */
const GUESS = 0x5eed5eed5eedn;

type Item = { proof: Uint8Array; publicInputs: bigint[] };

/** How a cheating opening departs from the honest one. */
interface Cheat {
  /** The z W′ is made for, given the transcript's z and the points (default: the transcript's). */
  zFor?: (drawn: bigint, points: readonly bigint[]) => bigint;
  /** W := 𝒪 (q ≡ 0), W′ made for it. */
  zeroW?: boolean;
  /** Shift q by a constant so that L vanishes at this z: the proof is valid if the verifier's z is it. */
  aimAt?: bigint;
}

/**
 * A cheating prover's opening from the true polynomials: q = Σ_j γ′ʲ·⌊h_j/(X − z_j)⌋ (the quotient,
 * whatever the remainder: exact iff the claims are true), W′ = [⌊L/(X − z)⌋]₁ with L built from the
 * claims the verifier checks (prove passes those). With true claims and no cheat this is the honest
 * opening, so the control proofs below verify.
 */
function cheatingOpening(cheat: Cheat) {
  return async (curve: Bn128, key: CommitKey, queries: readonly ProverQuery[], transcript: OpeningTranscript): Promise<OpeningWitnesses> => {
    const points = queries.map((q) => q.point);
    const [gamma, gammaPrime] = transcript.challenges("shplonk-gamma", 2);
    const h = await Promise.all(queries.map((q) => linearCombination(q.polys, frPowersOf(gamma, q.polys.length))));
    const v = queries.map((q) => frDot(q.values, frPowersOf(gamma, q.values.length)));
    const quotients = await Promise.all(h.map(async (hj, j) => (await divideByLinear(hj, points[j])).quotient));
    let q = cheat.zeroW ? frVecFromBigints([0n]) : await linearCombination(quotients, frPowersOf(gammaPrime, points.length));
    /** c_j and Z at z; at z = z_0 (no weights: the verifiers reject it) the limit c = (1, 0), Z = 0. */
    const weightsAt = (z: bigint) => {
      const w = pointWeights(points, gammaPrime, z);
      if (w) return w;
      expect(frMod(z - points[0])).to.equal(0n);
      return { weights: [1n, 0n], vanishing: 0n };
    };
    if (cheat.aimAt !== undefined) {
      // L(g) = Σ_j c_j·(h_j(g) − v_j) − Z·(q(g) + δ) = 0 for δ = (Σ_j c_j·(h_j(g) − v_j) − Z·q(g))/Z.
      const { weights, vanishing } = weightsAt(cheat.aimAt);
      let residual = frMod(-vanishing * (await evaluate(q, cheat.aimAt)));
      for (const [j, hj] of h.entries()) residual = frMod(residual + weights[j] * ((await evaluate(hj, cheat.aimAt)) - v[j]));
      q = await linearCombination([q, frVecFromBigints([1n])], [1n, frMod(residual * frInv(vanishing))]);
    }
    const w = await commit(curve, key, q);
    transcript.absorbG1Lem("shplonk-w", w);
    const drawn = transcript.challenge("shplonk-z");
    const z = cheat.zFor ? cheat.zFor(drawn, points) : drawn;
    const { weights, vanishing } = weightsAt(z);
    const l = await linearCombination([...h, q], [...weights, frMod(-vanishing)]);
    const w2 = await commit(curve, key, (await divideByLinear(l, z)).quotient);
    transcript.absorbG1Lem("shplonk-w2", w2);
    return { w, w2 };
  };
}

/**
 * Claims E with `change` applied to the true values and then, if the gate identity at ζ no longer
 * holds for them, one more claim (not a changed one) solved so that it holds again: N(ζ) = Z_H(ζ)·t(ζ)
 * is then true for the claims, and only the opening can object to them.
 */
const claiming = (change: (e: bigint[]) => void, among: readonly number[] = [...Array(NUM_EVALUATIONS).keys()]): ProveOptions["evaluations"] => async (honest, gateResidual) => {
  const e = [...honest];
  change(e);
  if ((await gateResidual(e)) === 0n) return e;
  for (const k2 of [...among].reverse()) {
    if (e[k2] !== honest[k2]) continue;
    // The residual as a function of claim k2 alone: use k2 if it is affine there with a nonzero slope.
    const at = (x: bigint) => gateResidual(e.map((v, i) => (i === k2 ? x : v)));
    const [f0, f1, f2] = [await at(0n), await at(1n), await at(2n)];
    if (f1 === f0 || frMod(f2 - 2n * f1 + f0) !== 0n) continue;
    e[k2] = frMod(-f0 * frInv(frMod(f1 - f0)));
    expect(await gateResidual(e), `claims changed and compensated by E[${k2}]`).to.equal(0n);
    expect(e[k2]).to.not.equal(honest[k2]);
    return e;
  }
  throw new Error("no single claim restores the gate identity");
};

/** Runs `fn` with the z of every proof transcript replaced by pick(ζ) (an off-chain verifier with z fixed in advance). */
async function withFixedZ<T>(pick: (zeta: bigint) => bigint, fn: () => Promise<T>): Promise<T> {
  const original = Transcript.prototype.challenges;
  const zetas = new WeakMap<Transcript, bigint>();
  Transcript.prototype.challenges = function (this: Transcript, label: string, k: number): bigint[] {
    const out = original.call(this, label, k);
    if (label === "zeta") zetas.set(this, out[0]);
    return label === "shplonk-z" ? [pick(zetas.get(this)!)] : out;
  };
  try {
    return await fn();
  } finally {
    Transcript.prototype.challenges = original;
  }
}

const SQUEEZE_Z = /mstore\(M_SH_Z, squeeze\(s, 0\)\)/;
const Z_CHECK = /if iszero\(mulmod\(addmod\(z, sub\(r, zeta\), r\), addmod\(z, sub\(r, mulmod\(zeta, OMEGA, r\)\), r\), r\)\) \{ leave \}/;
/** A Solidity verifier whose z is the Yul expression `z` instead of the transcript's (and, if asked, without the z ∉ {ζ, ωζ} check). */
const fixingZ = (z: string, dropCheck = false) => (source: string): string => {
  expect(source.match(new RegExp(SQUEEZE_Z, "g")), "the one line that stores z").to.have.length(1);
  expect(source.match(new RegExp(Z_CHECK, "g")), "the one z ∉ {ζ, ωζ} check").to.have.length(1);
  const fixed = source.replace(SQUEEZE_Z, `mstore(M_SH_Z, ${z})`);
  return dropCheck ? fixed.replace(Z_CHECK, "") : fixed;
};

describe("SHPLONK opening (protocol v7): cheating provers that know every polynomial, against both verifiers", function () {
  let pk: ProvingKey;
  let circuits: MixedCircuit[];
  let sol: DeployedVerifier;
  let honest: Item[];

  before(async function () {
    const srs = await devSrs(srsSizeFor(SHAPE.logRows));
    // Three witnesses of one key: same weights (weightSeed), other inputs.
    circuits = [91, 92, 93].map((seed) => mixedCircuit({ ...SHAPE, seed, weightSeed: 0x91 }));
    pk = await setup(circuits[0].table, srs);
    expect(pk.vk.logRows).to.equal(SHAPE.logRows);
    sol = await deployVerifier(pk.vk, "ShplonkReviewVerifier");
    honest = [];
    for (const c of circuits) honest.push(await prove(pk, c.witness));
  });
  after(releaseEngine);

  /** A proof of circuit i by the cheating prover (the self-check skipped: it would object to false claims). */
  const cheatProof = async (i: number, cheat: Cheat, evaluations?: ProveOptions["evaluations"]): Promise<Item> =>
    prove(pk, circuits[i].witness, { skipSelfCheck: true, opening: cheatingOpening(cheat), evaluations });

  const verdicts = async (item: Item, solidity: DeployedVerifier = sol): Promise<[boolean, boolean]> => [await verify(pk.vk, item.proof, item.publicInputs), await solidity.single(item.proof, item.publicInputs)];

  const expectBothReject = async (item: Item, what: string): Promise<void> => {
    expect(await verdicts(item), `${what}: [TS, Solidity]`).to.deep.equal([false, false]);
  };

  it("control: the cheating prover's opening with true claims is the honest one, and both verifiers accept it", async () => {
    for (let i = 0; i < 2; i++) {
      const item = await cheatProof(i, {});
      expect(await verdicts(item)).to.deep.equal([true, true]);
      expect(await verdicts(honest[i])).to.deep.equal([true, true]);
    }
  });

  it("every claimed evaluation E[k] changed (at ζ: k < 33, at ωζ: k ≥ 33; one more claim solved so that the gates hold), W and W′ made from the true polynomials for the changed transcript: rejected by both", async function () {
    this.timeout(600_000);
    expect(NUM_EVALUATIONS).to.equal(NUM_COLUMNS + NEXT_ROW_COLUMNS.length);
    for (let k = 0; k < NUM_EVALUATIONS; k++) {
      await expectBothReject(await cheatProof(0, {}, claiming((e) => (e[k] = frMod(e[k] + 1n)))), `E[${k}] + 1`);
    }
  });

  it("an evaluation moved between the ζ group and the ωζ group (a, P, z, acc, φ at ζ swapped with their values at ωζ): rejected by both", async () => {
    for (const [j, col] of NEXT_ROW_COLUMNS.entries()) {
      const swap = claiming((e) => ([e[col], e[NUM_COLUMNS + j]] = [e[NUM_COLUMNS + j], e[col]]));
      await expectBothReject(await cheatProof(0, {}, swap), `column ${col}: E[${col}] ↔ E[${NUM_COLUMNS + j}]`);
    }
    // All five at once.
    const all = claiming((e) => NEXT_ROW_COLUMNS.forEach((col, j) => ([e[col], e[NUM_COLUMNS + j]] = [e[NUM_COLUMNS + j], e[col]])));
    await expectBothReject(await cheatProof(0, {}, all), "every rotated column swapped");
  });

  it("W′ made for another z than the transcript's (z + 1, and the z of another W), true claims: rejected by both", async () => {
    await expectBothReject(await cheatProof(0, { zFor: (z) => frMod(z + 1n) }), "W′ for z + 1");
    await expectBothReject(await cheatProof(0, { zFor: () => GUESS }), "W′ for a fixed z");
  });

  it("W and W′ swapped, W = 𝒪 (bytes, and a W′ made for q ≡ 0), W′ = 𝒪: rejected by both", async () => {
    const d = decodeProof(honest[0].proof);
    const infinity = new Uint8Array(d.witnesses[0].length); // LEM (0, 0): the point at infinity
    const bytes = (witnesses: Uint8Array[]): Item => ({ proof: encodeProof({ ...d, witnesses }), publicInputs: honest[0].publicInputs });
    await expectBothReject(bytes([d.witnesses[1], d.witnesses[0]]), "W ↔ W′");
    await expectBothReject(bytes([infinity, d.witnesses[1]]), "W = 𝒪 in the bytes");
    await expectBothReject(bytes([d.witnesses[0], infinity]), "W′ = 𝒪 in the bytes");
    await expectBothReject(bytes([infinity, infinity]), "W = W′ = 𝒪");
    await expectBothReject(await cheatProof(0, { zeroW: true }), "W = 𝒪, W′ for its transcript");
    // W = 𝒪 with a false claim as well.
    await expectBothReject(await cheatProof(0, { zeroW: true }, claiming((e) => (e[35] = frMod(e[35] + 1n)))), "W = 𝒪, z(ωζ) false");
  });

  it("a false claim (at ζ and at ωζ) with W aimed at a z the prover guessed: valid for verifiers whose z is that guess, rejected by both real ones", async function () {
    this.timeout(300_000);
    const fixed = await deployVerifier(pk.vk, "ShplonkFixedZVerifier", fixingZ(`${GUESS}`));
    for (const k of [25, 35]) {
      const forged = await cheatProof(0, { aimAt: GUESS, zFor: () => GUESS }, claiming((e) => (e[k] = frMod(e[k] + 7n))));
      // The attack works if z is known before W: both verifiers with z = GUESS accept the false claim.
      expect(await withFixedZ(() => GUESS, () => verify(pk.vk, forged.proof, forged.publicInputs)), `E[${k}]: TS with z fixed`).to.equal(true);
      expect(await fixed.single(forged.proof, forged.publicInputs), `E[${k}]: Solidity with z fixed`).to.equal(true);
      // The transcript draws z after W: both real verifiers reject, alone and in a batch.
      await expectBothReject(forged, `E[${k}] + 7, W aimed at the guessed z`);
      expect(await verifyBatch(pk.vk, [honest[1], forged]), `E[${k}]: TS batch`).to.equal(false);
      expect(await sol.batch([honest[1], forged]), `E[${k}]: Solidity batch`).to.equal(false);
    }
  });

  it("z ∈ {ζ, ωζ} is rejected, and must be: at z = ζ the claims at ωζ and W drop out of the check", async function () {
    this.timeout(300_000);
    // W′ = [⌊h_0/(X − ζ)⌋]₁, the GWC witness of ζ alone: valid for a verifier whose z is ζ, if it did not reject z = ζ.
    const atZeta = await cheatProof(0, { zFor: (_, points) => points[0] });
    const noCheck = await deployVerifier(pk.vk, "ShplonkNoCheckVerifier", fixingZ("mload(M_ZETA)", true));
    expect(await noCheck.single(atZeta.proof, atZeta.publicInputs), "Solidity, z = ζ, check removed").to.equal(true);
    // ...whatever W is: the accumulator at z = ζ has W's scalar −(z − ζ) = 0.
    const d = decodeProof(atZeta.proof);
    const otherW = { proof: encodeProof({ ...d, witnesses: [d.witnesses[1], d.witnesses[1]] }), publicInputs: atZeta.publicInputs };
    expect(await noCheck.single(otherW.proof, otherW.publicInputs), "Solidity, z = ζ, check removed, W replaced").to.equal(true);
    // With the check (z fixed to ζ or to ωζ): rejected, on-chain and off-chain.
    const zetaFixed = await deployVerifier(pk.vk, "ShplonkZetaVerifier", fixingZ("mload(M_ZETA)"));
    const omegaZetaFixed = await deployVerifier(pk.vk, "ShplonkOmegaZetaVerifier", fixingZ("mulmod(mload(M_ZETA), OMEGA, R)"));
    const omega = Domain.create(pk.vk.logRows).omega;
    for (const item of [atZeta, otherW, honest[0]]) {
      expect(await zetaFixed.single(item.proof, item.publicInputs), "Solidity, z = ζ").to.equal(false);
      expect(await omegaZetaFixed.single(item.proof, item.publicInputs), "Solidity, z = ωζ").to.equal(false);
      expect(await withFixedZ((zeta) => zeta, () => verify(pk.vk, item.proof, item.publicInputs)), "TS, z = ζ").to.equal(false);
      expect(await withFixedZ((zeta) => (zeta * omega) % R, () => verify(pk.vk, item.proof, item.publicInputs)), "TS, z = ωζ").to.equal(false);
    }
    // And the real verifiers reject the GWC-style proof (their z is not ζ).
    await expectBothReject(atZeta, "W′ for z = ζ");
    // What the check prevents: z(ωζ) false, another claim at ωζ solved so that the gates hold, every
    // claim at ζ true. The verifier without the check accepts it at z = ζ; with it, or with the
    // transcript's z, it is rejected.
    const atOmegaZeta = NEXT_ROW_COLUMNS.map((_, j) => NUM_COLUMNS + j);
    const forged = await cheatProof(0, { zFor: (_, points) => points[0] }, claiming((e) => (e[35] = frMod(e[35] + 1n)), atOmegaZeta));
    expect(await noCheck.single(forged.proof, forged.publicInputs), "Solidity, z = ζ, check removed: false claims at ωζ accepted").to.equal(true);
    expect(await zetaFixed.single(forged.proof, forged.publicInputs), "Solidity, z = ζ").to.equal(false);
    expect(await withFixedZ((zeta) => zeta, () => verify(pk.vk, forged.proof, forged.publicInputs)), "TS, z = ζ").to.equal(false);
    await expectBothReject(forged, "false claims at ωζ, W′ for z = ζ");
    // In a batch too: the check stops the batch at the proof (on-chain with z fixed to ζ, off-chain as well).
    expect(await noCheck.batch([forged, atZeta]), "Solidity batch, z = ζ, check removed").to.equal(true);
    expect(await zetaFixed.batch([forged, atZeta]), "Solidity batch, z = ζ").to.equal(false);
    expect(await withFixedZ((zeta) => zeta, () => verifyBatch(pk.vk, [forged, atZeta])), "TS batch, z = ζ").to.equal(false);
  });

  for (const size of [2, 8]) {
    it(`a batch of ${size} with one proof whose claim E[35] (z(ωζ)) is false, W and W′ made from the true polynomials: rejected by both batch verifiers, at every position`, async function () {
      this.timeout(600_000);
      const bad = await cheatProof(1, {}, claiming((e) => (e[35] = frMod(e[35] + 1n))));
      const good: Item[] = [];
      for (let i = 0; i < size - 1; i++) good.push(i < honest.length ? honest[i] : await prove(pk, circuits[i % circuits.length].witness));
      expect(await verifyBatch(pk.vk, good), "control: the honest rest, TS").to.equal(true);
      expect(await sol.batch(good), "control: the honest rest, Solidity").to.equal(true);
      for (const at of size === 2 ? [0, 1] : [0, 3, size - 1]) {
        const batch = [...good.slice(0, at), bad, ...good.slice(at)];
        expect(batch).to.have.length(size);
        expect(await verifyBatch(pk.vk, batch), `bad proof at ${at}: TS`).to.equal(false);
        expect(await sol.batch(batch), `bad proof at ${at}: Solidity`).to.equal(false);
      }
    });
  }
});
