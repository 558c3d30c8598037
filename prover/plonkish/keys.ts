// Setup: from a circuit table and an SRS, the proving key (secret: it holds the weights) and the
// verification key (public: fixed-column commitments, the hiding weight commitment C, the G2
// points; its encoding and digest are the verifier's, verifier/plonkish/verification-key.ts).
import type { Bn128 } from "ffjavascript";
import { getEngine, R } from "../../verifier/engine/bn254.js";
import { G1_BYTES } from "../../verifier/engine/encoding.js";
import { frAdd, frSet, frZeros, FR_BYTES, type FrVec } from "../../verifier/engine/fr.js";
import { randomScalar } from "../../verifier/engine/scalar.js";
import { g1Add, g1Mul, g1Sub, type G1Lem } from "../engine/g1.js";
import { commit, commitLagrange, isLagrangeBasis, type CommitKey } from "../kzg/index.js";
import { Domain } from "../poly/index.js";
import { SrsError, type Srs } from "../srs/index.js";
import { interpolate, onCosetMany } from "./columns.js";
import { startGateWorkers, toShared } from "./gate-pool.js";
import { CircuitError } from "../../verifier/plonkish/errors.js";
import { checkPublicInputLayout, CIRCUIT_DIGEST, plainPublicInputLayout, publicInputLayoutDigest, type PublicInputLayout } from "../../verifier/plonkish/description.js";
import { EXTENSION, FIXED, lastChunkLength, WEIGHT_SLOTS } from "../../verifier/plonkish/layout.js";
import { exponentsOf, rowCount, StandardColumn, validateTable, type CircuitTable, type FixedTable } from "./table.js";
import { verificationKeyDigest, type VerificationKey } from "../../verifier/plonkish/verification-key.js";

type FixedTableShape = Pick<FixedTable, "logRows" | "fixed">;

/** G1 powers a table of n rows needs: the largest committed polynomial is the last quotient chunk. */
export function srsSizeFor(logRows: number): number {
  return lastChunkLength(2 ** logRows);
}

export interface ProvingKey {
  vk: VerificationKey;
  /** keccak256 of the verification key's canonical bytes. */
  vkDigest: Uint8Array;
  table: CircuitTable;
  /** Coefficients of the fixed columns. */
  fixedCoeffs: FrVec[];
  /** For each slot t, the coefficients of W_t + r_(0,t)·Z_H (n + 1 of them): the polynomial C_t commits to. */
  weightCoeffs: FrVec[];
  commitKey: CommitKey;
  /**
   * [L_0(τ)]₁ … [L_(n−1)(τ)]₁ when the SRS supplied them (checked against the powers at setup):
   * the prover then commits to the small-valued and sparse advice columns from their values,
   * which is several times cheaper than from their coefficients. Without it, it commits to
   * coefficients. Either way the commitments are the same points.
   */
  lagrangeKey?: Uint8Array;
  /** For each Freivalds W or X row, the UV row of its inner index j (−1 elsewhere). */
  uvTarget: Int32Array;
  /**
   * The fixed columns on the 4n coset, in shared memory (the gate workers read them): the same
   * for every proof, so setup computes them and pk.bin stores them for tables of up to
   * 2^COSET_CACHE_MAX_LOG_ROWS rows; above that the first proof computes them.
   */
  fixedCoset?: FrVec[];
  /** C_t = W_t + r_(0,t)·Z_H on the 4n coset for each slot, likewise. */
  weightCoset?: FrVec[];
  /** [W_t]₁, the unblinded weights' commitments (from [C_t]₁ and r_(0,t)), computed by the first proof and reused. */
  unblindedWeightCommitments?: G1Lem[];
}

/**
 * For each W/X Freivalds row (weight rows included), the row of the UV entry with the same inner
 * index j. Derived from the table alone (setup and key loading both call it). `checkEntries`
 * (default true) also checks §3.8 rule 4 with slots: each W entry ((i_b, t), j) has one row (a
 * weight row holds slots 0 … K − 1 of its (i_b, j), an activation W row slot 0, so no two W rows
 * of either kind share (i_b, j)), each Y entry ((i_b, t), p) one row, each X entry (j, p) one row,
 * and a Y row's slot id_c is below K. Setup must; a key that setup wrote has passed it, so loading
 * one skips it unless it runs the full checks.
 */
export async function freivaldsTargets(table: FixedTableShape, options: { checkEntries?: boolean } = {}): Promise<Int32Array> {
  const n = rowCount(table);
  const [qw, qwt, qx, qy, quv, ida, idb, idc] = await Promise.all(
    [FIXED.qFW, FIXED.qFWT, FIXED.qFX, FIXED.qFY, FIXED.qFUV, FIXED.idA, FIXED.idB, FIXED.idC].map((c) => StandardColumn.of(table.fixed[c])),
  );
  const uvRow = new Map<number | bigint, number>();
  for (let row = 0; row < n; row++) {
    if (!quv.is(row, 1)) continue;
    const j = ida.key(row);
    if (uvRow.has(j)) throw new CircuitError(`two UV rows (${uvRow.get(j)} and ${row}) carry the same inner index ${j}`);
    uvRow.set(j, row);
  }
  const isW = (row: number): boolean => qw.is(row, 1) || qwt.is(row, 1);
  // One row per (entry, exponent) (docs/protocol.md §3.6): a convolution run has one row of an entry
  // per exponent; a flat product has every row at exponent 0, which is today's rule.
  const exponents = options.checkEntries ?? true ? exponentsOf(await StandardColumn.of(table.fixed[FIXED.s]), n) : undefined;
  const entries = new Map<string, number>();
  const target = new Int32Array(n).fill(-1);
  for (let row = 0; row < n && (options.checkEntries ?? true); row++) {
    const kind = isW(row) ? "W" : qx.is(row, 1) ? "X" : qy.is(row, 1) ? "Y" : undefined;
    if (!kind) continue;
    if (kind === "Y" && !idc.below(row, 32)) throw new CircuitError(`Y row ${row} has slot id_c = ${idc.value(row)}; slots are below ${WEIGHT_SLOTS}`);
    if (kind === "Y" && idc.low53(row) >= WEIGHT_SLOTS) throw new CircuitError(`Y row ${row} has slot id_c = ${idc.low53(row)}; slots are below ${WEIGHT_SLOTS}`);
    const [a, b] = [ida.key(row), idb.key(row)];
    const key = `${kind === "Y" ? `Y:${a}:${idc.low53(row)}:${b}` : `${kind}:${a}:${b}`}@${exponents![row]}`;
    const before = entries.get(key);
    if (before !== undefined) throw new CircuitError(`${kind} rows ${before} and ${row} carry the same indices (${a}, ${b}${kind === "Y" ? `, slot ${idc.low53(row)}` : ""}) at exponent ${exponents![row]}`);
    entries.set(key, row);
  }
  for (let row = 0; row < n; row++) {
    const j = isW(row) ? idb.key(row) : qx.is(row, 1) ? ida.key(row) : undefined;
    if (j === undefined) continue;
    const t = uvRow.get(j);
    if (t === undefined) throw new CircuitError(`Freivalds row ${row} has inner index ${j} but no UV row carries it`);
    target[row] = t;
  }
  return target;
}

/**
 * Largest table whose coset evaluations pk.bin stores: NUM_FIXED + K = 30 columns of 4n field
 * elements, 3840 bytes a row (960 MiB at 2^18). They spare every proof from a cold key NUM_FIXED + K
 * coset FFTs of 4n points; beyond 2^18 the file would outgrow that.
 */
export const COSET_CACHE_MAX_LOG_ROWS = 18;

/** Fills pk.fixedCoset and pk.weightCoset (a no-op when they are there). */
export async function keyCosetValues(pk: ProvingKey): Promise<{ fixed: FrVec[]; weight: FrVec[] }> {
  const extended = Domain.create(pk.vk.logRows + Math.log2(EXTENSION));
  const fixed = (pk.fixedCoset ??= []);
  const missing = pk.fixedCoeffs.map((_, col) => col).filter((col) => fixed[col] === undefined);
  const polys = [...missing.map((col) => pk.fixedCoeffs[col]), ...(pk.weightCoset ? [] : pk.weightCoeffs)];
  const values = await onCosetMany(polys, extended);
  missing.forEach((col, i) => (fixed[col] = toShared(values[i])));
  pk.weightCoset ??= values.slice(missing.length).map(toShared);
  return { fixed, weight: pk.weightCoset };
}

export interface SetupOptions {
  /** Source of r₀ (tests only; defaults to the system CSPRNG). */
  random?: () => bigint;
  /** What the public inputs mean (bound by the key's digest); default: ℓ inputs with no declared meaning. */
  publicInputLayout?: PublicInputLayout;
  /** Ignore the SRS's Lagrange basis, so that the prover commits to coefficients (tests, benchmarks). */
  withoutLagrangeBasis?: boolean;
  /** Called as the key build goes: the fraction done (the table checks, the Lagrange basis and its check, then one step per column) and the step. */
  onProgress?: (fraction: number, step: string) => void;
}

/** Builds the keys. Throws CircuitError for a malformed table or an SRS too small for it. */
export async function setup(table: CircuitTable, srs: Srs, options: SetupOptions = {}): Promise<ProvingKey> {
  const publicInputLayout = options.publicInputLayout ?? plainPublicInputLayout(table.publicInputCount);
  checkPublicInputLayout(publicInputLayout, table.publicInputCount);
  if (table.weights.length !== WEIGHT_SLOTS) throw new CircuitError(`the table must have ${WEIGHT_SLOTS} weight columns, got ${table.weights.length}`);
  // Progress: the table's checks, the Lagrange basis and its check when the SRS gives one (minutes
  // at 2^22 rows), then one step per column (its interpolation and its commitment).
  const lagrangeSteps = options.withoutLagrangeBasis || !srs.lagrangeBasis ? 0 : 2;
  const steps = 1 + lagrangeSteps + table.fixed.length + table.weights.length;
  let done = 0;
  const progress = (step: string): void => options.onProgress?.(++done / steps, step);
  await validateTable(table);
  progress("table checks");
  const curve: Bn128 = await getEngine();
  const n = rowCount(table);
  const need = srsSizeFor(table.logRows);
  if (srs.size < need) {
    throw new CircuitError(
      `a table of 2^${table.logRows} rows needs an SRS with at least ${need} G1 powers (a .ptau of power ${Math.ceil(Math.log2(need + 1)) - 1} or more: power p holds 2^(p+1) − 1), but this one has ${srs.size}`,
    );
  }
  const domain = Domain.create(table.logRows);
  const commitKey: CommitKey = { g1: srs.g1.subarray(0, need * G1_BYTES), size: need };
  const lagrangeKey = options.withoutLagrangeBasis ? undefined : await srs.lagrangeBasis?.(table.logRows);
  if (lagrangeSteps > 0) progress("Lagrange basis");
  if (lagrangeKey && !(await isLagrangeBasis(curve, commitKey, lagrangeKey, domain, randomScalar))) {
    throw new SrsError("invalid", `${srs.source}: its Lagrange basis for 2^${table.logRows} points does not match its powers of τ`);
  }
  if (lagrangeSteps > 0) progress("Lagrange basis check");
  // Worker threads for the batch of coset transforms at the end, if the key stores coset values
  // (a no-op for small tables); the columns' own transforms and MSMs run on the kernel workers.
  if (table.logRows <= COSET_CACHE_MAX_LOG_ROWS) startGateWorkers(n * EXTENSION);
  // One column at a time, each transform on all threads: a batch of all 30 columns at once held
  // a shared copy of each in the workers as well (+218 MiB at 2^18 rows, 3.8 GiB at 2^22).
  // With a Lagrange basis the commitments come from the values: selectors, ids and tables are
  // small or zero, which costs a fraction of a full-width MSM of coefficients.
  const fixedCoeffs: FrVec[] = [];
  const fixedCommitments: G1Lem[] = [];
  for (const [i, values] of table.fixed.entries()) {
    fixedCoeffs.push(await interpolate(values, domain));
    fixedCommitments.push(lagrangeKey ? await commitLagrange(curve, lagrangeKey, values) : await commit(curve, commitKey, fixedCoeffs[i]));
    progress(`fixed column ${i + 1} of ${table.fixed.length}`);
  }
  // C_t commits to W_t + r_(0,t)·Z_H = W_t − r_(0,t) + r_(0,t)·Xⁿ: perfectly hiding since [Z_H]₁ ≠ 0
  // and each r_(0,t) is uniform and used nowhere else.
  const powerAt = (i: number): G1Lem => commitKey.g1.subarray(i * G1_BYTES, (i + 1) * G1_BYTES);
  const weightCoeffs: FrVec[] = [];
  const weightCommitments: G1Lem[] = [];
  for (let t = 0; t < WEIGHT_SLOTS; t++) {
    const r0 = (options.random ?? randomScalar)() % R;
    const coeffs = new Uint8Array((n + 1) * FR_BYTES);
    coeffs.set(await interpolate(table.weights[t], domain));
    const shift = frZeros(n + 1);
    frSet(shift, 0, (R - r0) % R);
    frSet(shift, n, r0);
    const blinded = await frAdd(coeffs, shift);
    weightCoeffs.push(blinded);
    // [C_t]₁ = [W_t]₁ + r_(0,t)·([τⁿ]₁ − [1]₁), [W_t]₁ from the values when there is a Lagrange basis.
    weightCommitments.push(
      lagrangeKey
        ? g1Add(curve, await commitLagrange(curve, lagrangeKey, table.weights[t]), g1Mul(curve, g1Sub(curve, powerAt(n), powerAt(0)), r0))
        : await commit(curve, commitKey, blinded),
    );
    progress(`weight column ${t + 1} of ${WEIGHT_SLOTS}`);
  }
  const vk: VerificationKey = {
    logRows: table.logRows,
    publicInputCount: table.publicInputCount,
    circuitDigest: CIRCUIT_DIGEST,
    publicInputLayoutDigest: publicInputLayoutDigest(publicInputLayout),
    fixedCommitments,
    weightCommitments,
    g2One: srs.g2OneEngine,
    g2Tau: srs.g2TauEngine,
    insecure: srs.insecure,
  };
  const pk: ProvingKey = {
    vk,
    vkDigest: verificationKeyDigest(vk),
    table,
    fixedCoeffs,
    weightCoeffs,
    commitKey,
    ...(lagrangeKey ? { lagrangeKey } : {}),
    uvTarget: await freivaldsTargets(table),
  };
  if (table.logRows <= COSET_CACHE_MAX_LOG_ROWS) await keyCosetValues(pk);
  return pk;
}
