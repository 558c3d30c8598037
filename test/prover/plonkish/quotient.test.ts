// The quotient evaluated coset by coset (four n-point cosets, or smaller parts, one after the other,
// and interpolated by four n-point inverse transforms) must give the coefficients of the whole 4n
// coset's evaluation and inverse transform bit for bit, hence the same chunks, commitments and
// proof bytes for the same randomness.
import { expect } from "chai";
import { R, releaseEngine } from "../../../verifier/engine/bn254.js";
import { FR_BYTES, frGet, frSet, frVecEquals, frVecFromBigints, frZeros, type FrVec } from "../../../verifier/engine/fr.js";
import { cosetFft, Domain, linearCombination } from "../../../prover/poly/index.js";
import { devSrs, type Srs } from "../../../prover/srs/index.js";
import { decodeProof, prove, setup, srsSizeFor, verify, type ProvingKey } from "../../../prover/plonkish/index.js";
import { defaultQuotientEvaluation, PER_COSET_MIN_LOG_ROWS, quotientCoefficients, type QuotientInputs } from "../../../prover/plonkish/quotient.js";
import { ADVICE, blindingOf, NUM_COLUMNS, PHASES, slotChallenges, slotScalars } from "../../../verifier/plonkish/layout.js";
import { fieldRng, mixedCircuit, type MixedCircuit } from "./circuits.js";

const LOG_ROWS = 6;
const N = 2 ** LOG_ROWS;

/** Every challenge the gates read, drawn from `next`, with λ's derived ones. */
function randomChallenges(next: () => bigint): Map<string, bigint> {
  const challenges = new Map<string, bigint>();
  for (const phase of PHASES) for (const name of phase.challenges) challenges.set(name, next());
  slotChallenges(challenges.get("lambda")!)!.forEach((v, name) => challenges.set(name, v));
  return challenges;
}

/**
 * Quotient inputs with random advice polynomials of their blinded lengths, and Ŵ′ = Ĉ + D·Z_H for
 * a random D, as the prover makes it from the key's C_t. The gates do not vanish on H here: the
 * two evaluations must agree on any polynomials.
 */
async function randomInputs(pk: ProvingKey, seed: bigint): Promise<QuotientInputs> {
  const next = fieldRng(seed);
  const challenges = randomChallenges(next);
  const combined = await linearCombination(pk.weightCoeffs, slotScalars(challenges));
  const random = (length: number): Uint8Array => frVecFromBigints(Array.from({ length }, next));
  const coeffs = [...pk.fixedCoeffs];
  for (let col = pk.fixedCoeffs.length; col < NUM_COLUMNS; col++) coeffs.push(random(N + blindingOf(col)));
  const w = new Uint8Array((N + blindingOf(ADVICE.w)) * FR_BYTES);
  w.set(combined);
  for (let j = 0; j < blindingOf(ADVICE.w); j++) {
    const d = next();
    frSet(w, j, (frGet(w, j) - d + R) % R);
    frSet(w, N + j, (frGet(w, N + j) + d) % R);
  }
  coeffs[ADVICE.w] = w;
  return { pk, coeffs, combined, piValues: random(N), challenges, weightsFromKey: true, flatPowers: false };
}

/** The same inputs with P ≡ 1 on H, blinded as the prover blinds it: 1 + R·Z_H for a random R. */
function withFlatPowers(inputs: QuotientInputs, seed: bigint): QuotientInputs {
  const next = fieldRng(seed);
  const p = new Uint8Array((N + blindingOf(ADVICE.p)) * FR_BYTES);
  frSet(p, 0, 1n);
  for (let j = 0; j < blindingOf(ADVICE.p); j++) {
    const r = next();
    frSet(p, j, (frGet(p, j) - r + R) % R);
    frSet(p, N + j, r);
  }
  const coeffs = [...inputs.coeffs];
  coeffs[ADVICE.p] = p;
  return { ...inputs, coeffs };
}

describe("plonkish: the quotient coset by coset", function () {
  let srs: Srs;
  let c: MixedCircuit;
  let pk: ProvingKey;

  before(async () => {
    srs = await devSrs(srsSizeFor(LOG_ROWS));
    c = mixedCircuit({ m: 3, k: 4, P: 2, seed: 2525, logRows: LOG_ROWS });
    pk = await setup(c.table, srs);
  });
  after(releaseEngine);

  it("gives the whole coset's coefficients bit for bit, with the key's stored coset values or without, W′ from the key or transformed", async () => {
    expect(pk.fixedCoset, "setup stores the coset values at this size").to.not.equal(undefined);
    for (const seed of [1n, 2n]) {
      const inputs = await randomInputs(pk, seed);
      const whole = await quotientCoefficients(inputs, "whole-coset");
      expect(whole.length).to.equal(4 * N * FR_BYTES);
      const cases: [string, QuotientInputs][] = [
        ["stored coset values", inputs],
        ["no stored coset values", { ...inputs, pk: { ...pk, fixedCoset: undefined, weightCoset: undefined } }],
        ["W′ transformed", { ...inputs, weightsFromKey: false }],
      ];
      for (const [name, variant] of cases) {
        expect(frVecEquals(await quotientCoefficients(variant, "per-coset"), whole), `${name}, seed ${seed}`).to.equal(true);
        // Parts smaller than n (8 and 16 cosets of n/2 and n/4 points), the next rows on other parts.
        for (const smaller of [1, 2]) {
          expect(frVecEquals(await quotientCoefficients(variant, "per-coset", undefined, LOG_ROWS - smaller), whole), `${name}, n/${2 ** smaller}-point parts, seed ${seed}`).to.equal(true);
        }
      }
      // P ≡ 1 in closed form (1 + R·Z_H on each part and its next rows) as by transforms.
      const flat = withFlatPowers(inputs, seed + 100n);
      const flatWhole = await quotientCoefficients(flat, "whole-coset");
      expect(frVecEquals(flatWhole, whole), "P changed").to.equal(false);
      for (const closed of [false, true]) {
        const variant = { ...flat, flatPowers: closed };
        if (closed) expect(frVecEquals(await quotientCoefficients(variant, "whole-coset"), flatWhole), `closed-form P, seed ${seed}`).to.equal(true);
        for (const smaller of [0, 1, 2]) {
          expect(frVecEquals(await quotientCoefficients(variant, "per-coset", undefined, LOG_ROWS - smaller), flatWhole), `P closed form ${closed}, n/${2 ** smaller}-point parts, seed ${seed}`).to.equal(true);
        }
      }
      // And the comparison can fail: another y gives other values.
      const otherY = new Map(inputs.challenges).set("y", (inputs.challenges.get("y")! + 1n) % R);
      expect(frVecEquals(await quotientCoefficients({ ...inputs, challenges: otherY }, "per-coset"), whole)).to.equal(false);
    }
  });

  it("takes advice columns' coset values made elsewhere (a gate worker's), and transforms the ones skipped there", async () => {
    const inputs = await randomInputs(pk, 4n);
    const whole = await quotientCoefficients(inputs, "whole-coset");
    const extended = Domain.create(LOG_ROWS + 2);
    const made = async (col: number) => cosetFft(inputs.coeffs[col], extended);
    const early = new Map<number, Promise<FrVec | undefined>>([
      [ADVICE.a, made(ADVICE.a)],
      [ADVICE.m, made(ADVICE.m)],
      [ADVICE.u, Promise.resolve(undefined)],
    ]);
    expect(frVecEquals(await quotientCoefficients({ ...inputs, early }, "whole-coset"), whole)).to.equal(true);
    // They are used, not recomputed: a wrong one changes the quotient.
    const wrong = new Map(early).set(ADVICE.b, made(ADVICE.c));
    expect(frVecEquals(await quotientCoefficients({ ...inputs, early: wrong }, "whole-coset"), whole)).to.equal(false);
  });

  it("a public input that is zero on every row but one still lands on every coset (PI's transform)", async () => {
    const inputs = await randomInputs(pk, 3n);
    const pi = frZeros(N);
    frSet(pi, 1, 5n);
    const sparse = { ...inputs, piValues: pi };
    expect(frVecEquals(await quotientCoefficients(sparse, "per-coset"), await quotientCoefficients(sparse, "whole-coset"))).to.equal(true);
  });

  it("gives the same proof bytes as the whole coset for the same randomness, and the proof verifies", async () => {
    const keys: [string, ProvingKey][] = [
      ["stored coset values", pk],
      ["no stored coset values", { ...pk, fixedCoset: undefined, weightCoset: undefined }],
    ];
    for (const [name, key] of keys) {
      const whole = (await prove(key, c.witness, { random: fieldRng(7n), quotientEvaluation: "whole-coset" })).proof;
      const perCoset = (await prove(key, c.witness, { random: fieldRng(7n), quotientEvaluation: "per-coset" })).proof;
      expect(Buffer.from(perCoset).equals(Buffer.from(whole)), name).to.equal(true);
      expect(await verify(pk.vk, perCoset, c.witness.publicInputs), name).to.equal(true);
    }
    // The quotient's commitments depend on the blinding: another seed, other chunks.
    const reseeded = decodeProof((await prove(pk, c.witness, { random: fieldRng(8n), quotientEvaluation: "per-coset" })).proof);
    const first = decodeProof((await prove(pk, c.witness, { random: fieldRng(7n), quotientEvaluation: "per-coset" })).proof);
    expect(Buffer.from(reseeded.commitments.at(-1)!).equals(Buffer.from(first.commitments.at(-1)!))).to.equal(false);
  });

  it("a cheating witness's quotient is the same both ways, and the verifier rejects it", async () => {
    const bad = mixedCircuit({ m: 3, k: 4, P: 2, seed: 2526, logRows: LOG_ROWS, cheat: { kind: "freivalds", errors: [{ i: 1, p: 0, delta: 1n }] } });
    const badPk = await setup(bad.table, srs);
    const options = { random: fieldRng(9n), skipSelfCheck: true } as const;
    const whole = (await prove(badPk, bad.witness, { ...options, quotientEvaluation: "whole-coset" })).proof;
    const perCoset = (await prove(badPk, bad.witness, { ...options, random: fieldRng(9n), quotientEvaluation: "per-coset" })).proof;
    expect(Buffer.from(perCoset).equals(Buffer.from(whole))).to.equal(true);
    expect(await verify(badPk.vk, perCoset, bad.witness.publicInputs)).to.equal(false);
  });

  it("is the default from 2^PER_COSET_MIN_LOG_ROWS rows on", () => {
    expect(defaultQuotientEvaluation(PER_COSET_MIN_LOG_ROWS - 1)).to.equal("whole-coset");
    expect(defaultQuotientEvaluation(PER_COSET_MIN_LOG_ROWS)).to.equal("per-coset");
  });
});
