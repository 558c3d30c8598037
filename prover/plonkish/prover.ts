// The prover (docs/protocol.md §3–§5): commit the blinded columns phase by phase, compute the
// quotient on the 4n coset, open everything at ζ and ωζ with the two witnesses of a SHPLONK
// multi-opening (§6.4). Bulk work is FFTs and MSMs on ffjavascript's worker threads and field vectors
// in its WebAssembly.
import type { Bn128 } from "ffjavascript";
import { getEngine, R } from "../../verifier/engine/bn254.js";
import {
  FR_BYTES,
  frAddScalar,
  frLength,
  frScale,
  frSet,
  frGet,
  frIndexOfNonZero,
  frVecFromBigints,
  frZeros,
  type FrVec,
} from "../../verifier/engine/fr.js";
import { g1Add, g1Concat, msm, msmMilliseconds, G1_BYTES, type G1Lem } from "../engine/g1.js";
import { frMod, randomScalar } from "../../verifier/engine/scalar.js";
import { commit, commitLagrange, commitSteps, OpeningPointError, proveMultiOpening, type ExtraTerms } from "../kzg/index.js";
import { Domain, evaluate, fft, linearCombination } from "../poly/index.js";
import { blind, foldModulo, interpolateMany } from "./columns.js";
import { freivaldsVectors, lookupMultiplicities, runningColumns } from "./derive.js";
import { commitFlatPowers, flatPowerCoefficients, isFlat, powerColumn } from "./powers.js";
import { ChallengeRetryError, CircuitError, UnsatisfiedError } from "../../verifier/plonkish/errors.js";
import { BackgroundWindow, cosetFftInBackground, evaluateMany, startGateWorkers } from "./gate-pool.js";
import { defaultQuotientEvaluation, prefetchCosetConstants, quotientCoefficients, type QuotientEvaluation, type QuotientInputs } from "./quotient.js";
import { combinedIdentity, linearisationScalars, pointValues } from "../../verifier/plonkish/identity.js";
import type { ProvingKey } from "./keys.js";
import { ADVICE, blindingOf, EXTENSION, FIXED, GATES, lastChunkLength, NEXT_ROW_COLUMNS, NUM_COLUMNS, PHASES, QUOTIENT_CHUNKS, slotChallenges, slotScalars } from "../../verifier/plonkish/layout.js";
import { encodeProof, type Proof } from "../../verifier/plonkish/proof.js";
import { proofTranscript } from "../../verifier/plonkish/schedule.js";
import { rowCount, type Witness } from "./table.js";
import { evaluateVector, rotate, type VectorEnv } from "./vector-eval.js";

export type ProveStage = "witness" | "phase1" | "phase2" | "phase3" | "quotient" | "openings";

export interface ProveOptions {
  /** Called when a stage starts, for progress bars. */
  onProgress?: (stage: ProveStage, index: number, total: number) => void;
  /**
   * Skip the check that the witness satisfies every gate. Only for soundness tests, which need
   * a cheating prover to reach the verifier.
   */
  skipSelfCheck?: boolean;
  /** Source of blinding scalars (tests only). */
  random?: () => bigint;
  /**
   * Treat Ŵ′ like any other advice column: interpolate Σ_t κ_t·pk.table.weights[t], blind, commit
   * without the cached [W_t]₁, and evaluate on the coset by FFT, instead of deriving Ŵ′ from the key's C_t
   * (tests only: the reference the derived W′ must match, and a cheating prover whose table's
   * weights differ from the ones C commits to).
   */
  weightsFromTable?: boolean;
  /**
   * Treat these attempts (0, 1, …) as if ζ had fallen in H (tests only: the restart of
   * docs/protocol.md §5.4, which real challenges reach with probability ≤ 7n/r).
   */
  restartAttempts?: readonly number[];
  /**
   * Replace the power column's values on H (tests only: a cheating prover whose P does not follow
   * the steps s, which gates G14–G16 must catch). Gets the honest values, returns the ones to commit.
   */
  powers?: (honest: FrVec) => FrVec;
  /**
   * The quotient on the whole 4n coset or on its four n-point cosets in turn (tests, benchmarks;
   * by default per table size, defaultQuotientEvaluation). The proof is the same either way.
   */
  quotientEvaluation?: QuotientEvaluation;
  /**
   * Replace the claimed evaluations E before they are absorbed (tests only: a cheating prover that
   * claims false values at ζ or ωζ). Gets the true values and `gateResidual`, which is 0 exactly
   * when the gate identity holds for claims e (the value at ζ of the L that e gives, plus N_rest(e)),
   * so that the cheater can keep it true and leave the opening alone to object. Returns the claims.
   */
  evaluations?: (honest: readonly bigint[], gateResidual: (e: readonly bigint[]) => Promise<bigint>) => Promise<bigint[]>;
  /**
   * Replace the multi-point opening (tests only: a cheating prover's W and W′, computed from the
   * true polynomials and the transcript as it pleases). Called where proveMultiOpening would be,
   * with the values the verifier checks as the claims (−N_rest of the claimed E for L).
   */
  opening?: typeof proveMultiOpening;
}

/** Attempts before a challenge that keeps hitting a pole is reported as a bug rather than bad luck. */
const MAX_ATTEMPTS = 4;

/**
 * Where the prover's wall time went, in milliseconds. The parts do not overlap; what none of them
 * names (blinding, transcript, copies, the checks) is `other`.
 */
export interface ProveTimings {
  total: number;
  /** Commitments and the opening witnesses' MSMs. */
  msm: number;
  /** Transforms: interpolation, the coset evaluations and the quotient's inverse transform. */
  fft: number;
  /** The quotient: gate evaluation on the extended coset, and W′ there. */
  gates: number;
  /** The derived columns: multiplicities, Freivalds vectors, running columns (with their batch inversions). */
  derive: number;
  /** Evaluations at ζ and ωζ, the linearised polynomial, the opening quotients (their MSMs count in msm). */
  openings: number;
  other: number;
}

type TimedPart = Exclude<keyof ProveTimings, "total" | "other">;

export interface ProveResult {
  proof: Uint8Array;
  publicInputs: bigint[];
  timings: ProveTimings;
}

/** Adds the time `fn` takes to `timings[key]`. */
async function timed<T>(timings: ProveTimings, key: TimedPart, fn: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await fn();
  } finally {
    timings[key] += performance.now() - start;
  }
}

const STAGES: ProveStage[] = ["witness", "phase1", "phase2", "phase3", "quotient", "openings"];

/** Values on H of every column (fixed, then advice), filled in phase by phase. */
type Columns = (FrVec | undefined)[];

function hEnv(values: Columns, challenges: Map<string, bigint>, n: number, extra: Partial<VectorEnv> = {}): VectorEnv {
  return {
    size: n,
    column(col, rot) {
      const v = values[col];
      if (!v) throw new Error(`column ${col} is not assigned yet`);
      return rot === 0 ? v : rotate(v, 1);
    },
    challenge(name) {
      const c = challenges.get(name);
      if (c === undefined) throw new Error(`challenge ${name} is not drawn yet`);
      return c;
    },
    x: () => {
      throw new Error("X is not available here");
    },
    l0: () => {
      throw new Error("L_0 is not available here");
    },
    pi: () => {
      throw new Error("PI is not available here");
    },
    weightCommitment: () => {
      throw new Error("C is not available here");
    },
    ...extra,
  };
}

/** `values` with each missing column's values on H filled in from its (blinded) coefficients. */
async function valuesFromCoefficients(values: Columns, coeffs: readonly (FrVec | undefined)[], domain: Domain): Promise<Columns> {
  // The blinding R·Z_H vanishes on H: the coefficients mod Xⁿ − 1 take the column's values there.
  return Promise.all(values.map(async (v, col) => v ?? fft(await foldModulo(coeffs[col]!, domain.size, 1n), domain)));
}

/** Checks every gate on every row of H; throws UnsatisfiedError for the first violation. */
async function selfCheck(values: Columns, challenges: Map<string, bigint>, pk: ProvingKey, piValues: FrVec, domain: Domain, missingLookups: number[]): Promise<void> {
  const n = domain.size;
  if (missingLookups.length > 0) {
    const row = missingLookups[0];
    throw new UnsatisfiedError("lookup", row, `lookup at row ${row}: the value is not in its table (${missingLookups.length} such rows)`);
  }
  const l0 = frZeros(n);
  frSet(l0, 0, 1n);
  const points = await domain.elements();
  // Ĉ's values on H are Σ_t κ_t·W_t.
  const committed = await fft(foldedWeightCoefficients(await combinedWeightCoefficients(pk, challenges), n), domain);
  const env = hEnv(values, challenges, n, { x: () => points, l0: () => l0, pi: () => piValues, weightCommitment: () => committed });
  for (const gate of GATES) {
    const v = await evaluateVector(gate.expr, env);
    const row = frIndexOfNonZero(v);
    if (row >= 0) throw new UnsatisfiedError(gate.name, row, `gate "${gate.name}" fails at row ${row}: ${gate.meaning}`);
  }
}

function checkWitness(pk: ProvingKey, witness: Witness, n: number): void {
  for (const [name, col] of [["a", witness.a], ["b", witness.b], ["c", witness.c]] as const) {
    const len = frLength(col, `wire column ${name}`);
    if (len !== n) throw new CircuitError(`wire column ${name} has ${len} values but the table has ${n} rows`);
  }
  const { publicInputCount } = pk.vk;
  if (witness.publicInputs.length !== publicInputCount) {
    throw new CircuitError(`the circuit has ${publicInputCount} public inputs but ${witness.publicInputs.length} were given`);
  }
  witness.publicInputs.forEach((x, i) => {
    if (typeof x !== "bigint" || x < 0n || x >= R) throw new CircuitError(`public input ${i} is not a field element in [0, r)`);
  });
}

/**
 * Ĉ = Σ_t κ_t·C_t (n + 1 coefficients): the per-proof combination of the key's weight polynomials,
 * Σ_t κ_t·W_t + (Σ_t κ_t·r_(0,t))·Z_H.
 */
function combinedWeightCoefficients(pk: ProvingKey, challenges: ReadonlyMap<string, bigint>): Promise<FrVec> {
  return linearCombination(pk.weightCoeffs, slotScalars(challenges));
}

/**
 * The coefficients (n of them) of the polynomial taking c's values on H, for c = f + r·Z_H =
 * f − r + r·Xⁿ with n + 1 coefficients: coefficient n (r) folded back into coefficient 0. No FFT.
 */
function foldedWeightCoefficients(c: FrVec, n: number): FrVec {
  const w = c.slice(0, n * FR_BYTES);
  frSet(w, 0, frMod(frGet(w, 0) + frGet(c, n)));
  return w;
}

/**
 * Proves one inference. If a challenge hits a pole of a running column or ζ falls in H, it starts
 * again from phase 1 with fresh blinding (the transcript restarts too, and no blinding scalar is
 * reused: `random` is drawn anew).
 */
export async function prove(pk: ProvingKey, witness: Witness, options: ProveOptions = {}): Promise<ProveResult> {
  const started = performance.now();
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await proveAttempt(pk, witness, options, options.restartAttempts?.includes(attempt) ?? false);
      const t = result.timings;
      t.total = performance.now() - started;
      t.other = Math.max(0, t.total - t.msm - t.fft - t.gates - t.derive - t.openings);
      return result;
    } catch (err) {
      if (!(err instanceof ChallengeRetryError) || attempt + 1 >= MAX_ATTEMPTS) throw err;
    }
  }
}

async function proveAttempt(pk: ProvingKey, witness: Witness, options: ProveOptions, zetaInDomain: boolean): Promise<ProveResult> {
  const started = performance.now();
  const timings: ProveTimings = { total: 0, msm: 0, fft: 0, gates: 0, derive: 0, openings: 0, other: 0 };
  const curve: Bn128 = await getEngine();
  const random = options.random ?? randomScalar;
  const progress = (stage: ProveStage): void => options.onProgress?.(stage, STAGES.indexOf(stage), STAGES.length);
  const n = rowCount(pk.vk);
  checkWitness(pk, witness, n);
  const domain = Domain.create(pk.vk.logRows);
  const extended = Domain.create(pk.vk.logRows + Math.log2(EXTENSION));
  const publicInputs = [...witness.publicInputs];
  // W′ from the key's C (a copy and a few vector operations) rather than by FFTs (§5.4).
  const weightsFromKey = !options.weightsFromTable;
  // P ≡ 1 on H when every step holds: its interpolant, commitment and coset values in closed form.
  const flatPowers = !options.powers && isFlat(pk.table.fixed[FIXED.s]);

  // Worker threads start now, to be ready for the phases' transforms and the quotient (a no-op
  // for small tables or a warm pool).
  startGateWorkers(extended.size);
  const evaluation = options.quotientEvaluation ?? defaultQuotientEvaluation(pk.vk.logRows);

  progress("witness");
  const values: Columns = new Array(NUM_COLUMNS).fill(undefined);
  pk.table.fixed.forEach((v, i) => (values[i] = v));
  values[ADVICE.a] = witness.a;
  values[ADVICE.b] = witness.b;
  values[ADVICE.c] = witness.c;
  // Derived columns go straight into `values`, with no local of their own, so that dropping them
  // there (below) frees them.
  const missingLookups = await timed(timings, "derive", async () => {
    const lookups = lookupMultiplicities(pk.table.fixed, witness.a, witness.b, n);
    values[ADVICE.m] = lookups.m;
    return lookups.missing;
  });
  const piValues = frZeros(n);
  publicInputs.forEach((x, i) => frSet(piValues, i, frMod(-x)));

  const coeffs: (FrVec | undefined)[] = new Array(NUM_COLUMNS).fill(undefined);
  pk.fixedCoeffs.forEach((c, i) => (coeffs[i] = c));
  const commitments: G1Lem[] = [];
  const challenges = new Map<string, bigint>();
  const transcript = proofTranscript(pk.vkDigest, publicInputs);
  // Ĉ = Σ_t κ_t·C_t, once λ is drawn.
  let combined: FrVec | undefined;

  // While this thread derives phase 2's and phase 3's columns (work no other thread shares), a
  // gate worker makes what the quotient will need of what is known by then: its per-size constants,
  // then the coset values of the columns already committed, for as long as the derivation lasts
  // (BackgroundWindow); what it has not started by then the quotient makes as before.
  const early = new Map<number, Promise<FrVec | undefined>>();
  const inShadow = async (window: BackgroundWindow, cols: number[]): Promise<void> => {
    if (evaluation !== "whole-coset") return;
    (await cosetFftInBackground(cols.map((col) => coeffs[col]!), extended, window)).forEach((values, i) => early.set(cols[i], values));
  };

  for (const [p, phase] of PHASES.entries()) {
    progress(STAGES[1 + p]);
    const window = new BackgroundWindow();
    if (p === 1 && evaluation === "whole-coset") await prefetchCosetConstants(pk.vk.logRows, window);
    if (p > 0) await inShadow(window, p === 1 ? [ADVICE.a, ADVICE.b, ADVICE.c, ADVICE.m] : [ADVICE.u, ADVICE.v]);
    if (p === 1) {
      const slots = slotScalars(challenges);
      values[ADVICE.w] = await timed(timings, "derive", () => linearCombination(pk.table.weights, slots));
      combined = await timed(timings, "derive", () => combinedWeightCoefficients(pk, challenges));
      await timed(timings, "derive", async () => {
        const powers = powerColumn(pk.table.fixed[FIXED.s], challenges.get("psi")!, n);
        values[ADVICE.p] = options.powers ? options.powers(powers) : powers;
        // A flat P is 1 on every row: the Freivalds vectors need not multiply by it.
        const uv = await freivaldsVectors(pk.table.fixed, values[ADVICE.w]!, witness.a, witness.c, pk.uvTarget, challenges.get("beta")!, challenges.get("delta")!, n, flatPowers ? undefined : values[ADVICE.p]);
        values[ADVICE.u] = uv.u;
        values[ADVICE.v] = uv.v;
      });
    } else if (p === 2) {
      await timed(timings, "derive", async () => {
        const running = await runningColumns(hEnv(values, challenges, n), domain);
        values[ADVICE.z] = running.z;
        values[ADVICE.acc] = running.acc;
        values[ADVICE.phi] = running.phi;
      });
    }
    window.close();
    const points: G1Lem[] = [];
    const closedForm = (col: number): boolean => (col === ADVICE.w && weightsFromKey) || (col === ADVICE.p && flatPowers);
    const interpolated = phase.columns.filter((col) => !closedForm(col));
    const plains = await timed(timings, "fft", () => interpolateMany(interpolated.map((col) => values[col]!), domain));
    for (const col of phase.columns) {
      let plain: FrVec;
      if (col === ADVICE.w && weightsFromKey) plain = foldedWeightCoefficients(combined!, n);
      else if (col === ADVICE.p && flatPowers) plain = flatPowerCoefficients(n);
      else plain = plains[interpolated.indexOf(col)];
      const c = await blind(plain, n, blindingOf(col), random);
      coeffs[col] = c;
      points.push(await timed(timings, "msm", () => commitColumn(curve, pk, col, values[col]!, c, n, weightsFromKey ? challenges : undefined, flatPowers)));
    }
    // The unblinded coefficients are garbage now (the last phase's would outlive the loop).
    plains.length = 0;
    commitments.push(...points);
    transcript.absorbG1Lem(phase.label, g1Concat(points));
    const drawn = transcript.challenges(phase.label, phase.challenges.length);
    phase.challenges.forEach((name, i) => challenges.set(name, drawn[i]));
    if (phase.challenges.includes("lambda")) {
      const slots = slotChallenges(challenges.get("lambda")!);
      if (!slots) throw new ChallengeRetryError("λ is a pole of κ_t (λ ∈ {0, …, K − 1})");
      slots.forEach((v, name) => challenges.set(name, v));
    }
  }
  // A value missing from its table is cheap to report now; every other gate is checked at ζ below.
  if (!options.skipSelfCheck && missingLookups.length > 0) await selfCheck(values, challenges, pk, piValues, domain, missingLookups);
  // The derived columns' values on H serve again only to name a failing gate, and their
  // coefficients give them back: dropped, so that they are not held through the quotient.
  for (let col = ADVICE.m; col < NUM_COLUMNS; col++) values[col] = undefined;

  progress("quotient");
  const inputs: QuotientInputs = { pk, coeffs: coeffs.map((c) => c!), combined: combined!, piValues, challenges, weightsFromKey, flatPowers, early };
  const chunks = await quotientChunks(inputs, evaluation, n, random, timings);
  const chunkCommitments: G1Lem[] = [];
  for (const chunk of chunks) chunkCommitments.push(await timed(timings, "msm", () => commit(curve, pk.commitKey, chunk)));
  commitments.push(...chunkCommitments);
  transcript.absorbG1Lem("quotient", g1Concat(chunkCommitments));
  const zeta = transcript.challenge("zeta");
  if (zetaInDomain || domain.contains(zeta)) throw new ChallengeRetryError("ζ lies in H");
  const point = pointValues(domain, zeta, publicInputs);

  progress("openings");
  const omegaZeta = (zeta * domain.omega) % R;
  const openingsStarted = performance.now();
  // E (§5.2): every column at ζ, then the rotated ones at ωζ, shared out over the threads.
  const trueEvaluations = await evaluateMany(
    [...coeffs.map((c) => c!), ...NEXT_ROW_COLUMNS.map((col) => coeffs[col]!)],
    [...coeffs.map(() => zeta), ...NEXT_ROW_COLUMNS.map(() => omegaZeta)],
  );
  // Lin(X) = Σ_t coefC·κ_t·C_t(X) − Z_H(ζ)·(t₀ + ζⁿ·t₁ + ζ²ⁿ·t₂): opens to −N_rest at ζ for an honest prover.
  const linearised = async (e: readonly bigint[]) => {
    const { rest, weightCoefficient } = combinedIdentity(e, challenges, point);
    return { rest, linear: await linearCombination([...pk.weightCoeffs, ...chunks], linearisationScalars(weightCoefficient, challenges, point, n)) };
  };
  const gateResidual = async (e: readonly bigint[]): Promise<bigint> => {
    const { rest, linear } = await linearised(e);
    return frMod((await evaluate(linear, zeta)) + rest);
  };
  const evaluations = options.evaluations ? await options.evaluations(trueEvaluations, gateResidual) : trueEvaluations;
  transcript.absorbScalars("evals", evaluations);
  const { rest, linear } = await linearised(evaluations);
  const linearValue = await evaluate(linear, zeta);
  // The self-check: N = Z_H·t holds at a random ζ (so, except with probability deg N / r, as
  // polynomials) exactly when every gate holds on all of H. Only when it fails is every gate
  // evaluated on H, to name the first one that fails; a valid witness skips that pass.
  if (!options.skipSelfCheck && linearValue !== frMod(-rest)) {
    await selfCheck(await valuesFromCoefficients(values, coeffs, domain), challenges, pk, piValues, domain, missingLookups);
    throw new UnsatisfiedError("quotient", -1, "the quotient identity fails at ζ although every gate holds on H (a prover bug)");
  }
  const zetaPolys = [...coeffs.map((c) => c!), linear];
  // A replaced opening gets the claims the verifier checks: for L that is −N_rest of the claimed E.
  const zetaValues = [...evaluations.slice(0, NUM_COLUMNS), options.opening ? frMod(-rest) : linearValue];
  const msmBefore = msmMilliseconds();
  const witnesses = await (options.opening ?? proveMultiOpening)(
    curve,
    pk.commitKey,
    [
      { point: zeta, polys: zetaPolys, values: zetaValues },
      { point: omegaZeta, polys: NEXT_ROW_COLUMNS.map((c) => coeffs[c]!), values: evaluations.slice(NUM_COLUMNS) },
    ],
    transcript,
  ).catch((err: unknown) => {
    // z ∈ {ζ, ωζ}: every verifier rejects this transcript, so start again (§5.4).
    if (err instanceof OpeningPointError) throw new ChallengeRetryError("the opening challenge z is ζ or ωζ");
    throw err;
  });
  // The opening witnesses' MSMs count as MSM time, the rest of this stage as the openings'.
  const openingMsms = msmMilliseconds() - msmBefore;
  timings.msm += openingMsms;
  timings.openings += performance.now() - openingsStarted - openingMsms;
  const proof: Proof = { commitments, evaluations, witnesses: [witnesses.w, witnesses.w2] };
  timings.total = performance.now() - started;
  return { proof: encodeProof(proof), publicInputs, timings };
}

/**
 * With a Lagrange key every advice column commits from its values: the others hold small integers
 * (wires, multiplicities, weights) or are mostly zero (u and v sit on the UV rows only), while the
 * running columns z, acc, φ hold dense full-width values but change only on the rows that copy,
 * multiply or look something up, so they commit from their steps (commitSteps), 0 elsewhere.
 */
const RUNNING_COLUMNS: ReadonlySet<number> = new Set([ADVICE.z, ADVICE.acc, ADVICE.phi]);

/**
 * [f + R·Z_H]₁ for the blinded column `blinded` whose values on H are `values`. With a Lagrange
 * key it is Σ values_i·[L_i(τ)]₁ + Σ_j r_j·([τ^(n+j)]₁ − [τ^j]₁), the second sum over the few
 * blinding coefficients r_j (stored at n + j of `blinded`), in the same MSM as the first where
 * that widens its scalars by a byte at most; for Ŵ′, given the challenges `slots`, the first sum is
 * Σ_t κ_t·[W_t]₁, a K-point MSM of the key's [W_t]₁ (unblindedWeights, made once). P is 1 outside
 * the convolution runs: [1]₁ + Σ (P_i − 1)·[L_i(τ)]₁, over the rows at a nonzero exponent only, and
 * for a `flatPowers` table (s ≡ 0) just [1]₁ and the blinding terms, with or without a Lagrange key.
 */
async function commitColumn(
  curve: Bn128,
  pk: ProvingKey,
  col: number,
  values: FrVec,
  blinded: FrVec,
  n: number,
  slots: ReadonlyMap<string, bigint> | undefined,
  flatPowers: boolean,
): Promise<G1Lem> {
  if (!pk.lagrangeKey && !(col === ADVICE.p && flatPowers)) return commit(curve, pk.commitKey, blinded);
  const count = blinded.length / FR_BYTES - n;
  const r = blinded.subarray(n * FR_BYTES);
  const blinding: ExtraTerms = {
    bases: Buffer.concat([pk.commitKey.g1.subarray(0, count * G1_BYTES), pk.commitKey.g1.subarray(n * G1_BYTES, (n + count) * G1_BYTES)]),
    scalars: Buffer.concat([await frScale(r, R - 1n), r]),
  };
  const generator = pk.commitKey.g1.subarray(0, G1_BYTES);
  if (col === ADVICE.p && flatPowers) return commitFlatPowers(curve, generator, blinding);
  if (!pk.lagrangeKey) return commit(curve, pk.commitKey, blinded);
  if (col === ADVICE.p) {
    const withGenerator: ExtraTerms = { bases: Buffer.concat([blinding.bases, generator]), scalars: Buffer.concat([blinding.scalars, frVecFromBigints([1n])]) };
    return commitLagrange(curve, pk.lagrangeKey, await frAddScalar(values, R - 1n), withGenerator);
  }
  if (RUNNING_COLUMNS.has(col)) return commitSteps(curve, pk.commitKey, pk.lagrangeKey, values, blinding);
  if (col === ADVICE.w && slots) {
    const weights = (pk.unblindedWeightCommitments ??= await unblindedWeights(curve, pk, n));
    return msm(curve, Buffer.concat([g1Concat(weights), blinding.bases]), Buffer.concat([frVecFromBigints(slotScalars(slots)), blinding.scalars]));
  }
  return commitLagrange(curve, pk.lagrangeKey, values, blinding);
}

/**
 * [W_t]₁ = [C_t]₁ − r_(0,t)·([τⁿ]₁ − [1]₁), since C_t = W_t + r_(0,t)·Z_H (r_(0,t) is C_t's
 * coefficient n): the points Σ W_(t,i)·[L_i(τ)]₁ from the key's C_t by 2-point MSMs, not MSMs over
 * every weight.
 */
async function unblindedWeights(curve: Bn128, pk: ProvingKey, n: number): Promise<G1Lem[]> {
  const g1 = pk.commitKey.g1;
  const bases = Buffer.concat([g1.subarray(0, G1_BYTES), g1.subarray(n * G1_BYTES, (n + 1) * G1_BYTES)]);
  const out: G1Lem[] = [];
  for (const [t, coeffs] of pk.weightCoeffs.entries()) {
    const r0 = frGet(coeffs, n);
    out.push(g1Add(curve, pk.vk.weightCommitments[t], await msm(curve, bases, frVecFromBigints([r0, frMod(-r0)]))));
  }
  return out;
}

/**
 * t's blinded chunks: its coefficients (quotient.ts), then blindChunks. A function of its own so
 * that the 4n coefficients are garbage once it returns.
 */
async function quotientChunks(inputs: QuotientInputs, evaluation: QuotientEvaluation, n: number, random: () => bigint, timings: ProveTimings): Promise<FrVec[]> {
  const quotient = await quotientCoefficients(inputs, evaluation, (part, fn) => timed(timings, part, fn));
  return blindChunks(quotient, n, random);
}

/**
 * Splits t into QUOTIENT_CHUNKS chunks of n coefficients, the last one lastChunkLength(n) long
 * (all of t for a satisfied witness; anything above is dropped, and a verifier then rejects),
 * and blinds the seams: t₀ + b₀Xⁿ, t₁ − b₀ + b₁Xⁿ, t₂ − b₁.
 */
async function blindChunks(t: FrVec, n: number, random: () => bigint): Promise<FrVec[]> {
  const total = t.length / FR_BYTES;
  const chunks: FrVec[] = [];
  for (let i = 0; i < QUOTIENT_CHUNKS; i++) {
    const lo = i * n;
    const last = i === QUOTIENT_CHUNKS - 1;
    const length = last ? lastChunkLength(n) : n + 1;
    const hi = Math.min(total, last ? lo + length : lo + n);
    const chunk = new Uint8Array(length * FR_BYTES);
    chunk.set(t.subarray(lo * FR_BYTES, hi * FR_BYTES));
    chunks.push(chunk);
  }
  for (let i = 0; i + 1 < QUOTIENT_CHUNKS; i++) {
    const b = random() % R;
    frSet(chunks[i], n, b);
    frSet(chunks[i + 1], 0, frMod(frGet(chunks[i + 1], 0) - b));
  }
  return chunks;
}
