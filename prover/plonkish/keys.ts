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
import { interpolateMany, onCosetMany } from "./columns.js";
import { startGateWorkers, toShared } from "./gate-pool.js";
import { CircuitError } from "../../verifier/plonkish/errors.js";
import { checkPublicInputLayout, CIRCUIT_DIGEST, plainPublicInputLayout, publicInputLayoutDigest, type PublicInputLayout } from "../../verifier/plonkish/description.js";
import { EXTENSION, FIXED, lastChunkLength } from "../../verifier/plonkish/layout.js";
import { rowCount, StandardColumn, validateTable, type CircuitTable } from "./table.js";
import { verificationKeyDigest, type VerificationKey } from "../../verifier/plonkish/verification-key.js";

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
  /** Coefficients of W + r₀·Z_H (n + 1 of them): the polynomial C commits to. */
  weightCoeffs: FrVec;
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
  /** C = W + r₀·Z_H on the 4n coset, likewise. */
  weightCoset?: FrVec;
  /** [W]₁, the unblinded weights' commitment (from [C]₁ and r₀), computed by the first proof and reused. */
  unblindedWeightCommitment?: G1Lem;
}

/**
 * For each W/X Freivalds row, the row of the UV entry with the same inner index j. Derived from
 * the table alone (setup and key loading both call it). `checkEntries` (default true) also checks
 * that no two W, X or Y rows carry the same indices (§3.6 rule 2), which setup must; a key that
 * setup wrote has passed it, so loading one skips it unless it runs the full checks.
 */
export async function freivaldsTargets(table: CircuitTable, options: { checkEntries?: boolean } = {}): Promise<Int32Array> {
  const n = rowCount(table);
  const [qw, qx, qy, quv, ida, idb] = await Promise.all([FIXED.qFW, FIXED.qFX, FIXED.qFY, FIXED.qFUV, FIXED.idA, FIXED.idB].map((c) => StandardColumn.of(table.fixed[c])));
  const uvRow = new Map<number | bigint, number>();
  for (let row = 0; row < n; row++) {
    if (!quv.is(row, 1)) continue;
    const j = ida.key(row);
    if (uvRow.has(j)) throw new CircuitError(`two UV rows (${uvRow.get(j)} and ${row}) carry the same inner index ${j}`);
    uvRow.set(j, row);
  }
  // One row per (i, j) W entry, (j, p) X entry and (i, p) Y entry (docs/protocol.md §3.6 rule 2).
  const entries = new Map<string, number>();
  const target = new Int32Array(n).fill(-1);
  for (let row = 0; row < n && (options.checkEntries ?? true); row++) {
    const kind = qw.is(row, 1) ? "W" : qx.is(row, 1) ? "X" : qy.is(row, 1) ? "Y" : undefined;
    if (!kind) continue;
    const [a, b] = [ida.key(row), idb.key(row)];
    const key = `${kind}:${a}:${b}`;
    const before = entries.get(key);
    if (before !== undefined) throw new CircuitError(`${kind} rows ${before} and ${row} carry the same indices (${a}, ${b})`);
    entries.set(key, row);
  }
  for (let row = 0; row < n; row++) {
    const j = qw.is(row, 1) ? idb.key(row) : qx.is(row, 1) ? ida.key(row) : undefined;
    if (j === undefined) continue;
    const t = uvRow.get(j);
    if (t === undefined) throw new CircuitError(`Freivalds row ${row} has inner index ${j} but no UV row carries it`);
    target[row] = t;
  }
  return target;
}

/**
 * Largest table whose coset evaluations pk.bin stores: 20 columns of 4n field elements, 2560
 * bytes a row (640 MiB at 2^18). They spare every proof from a cold key NUM_FIXED + 1 coset FFTs
 * of 4n points, about 12 s at 2^16 rows on two cores; beyond 2^18 the file would outgrow that.
 */
export const COSET_CACHE_MAX_LOG_ROWS = 18;

/** Fills pk.fixedCoset and pk.weightCoset (a no-op when they are there). */
export async function keyCosetValues(pk: ProvingKey): Promise<{ fixed: FrVec[]; weight: FrVec }> {
  const extended = Domain.create(pk.vk.logRows + Math.log2(EXTENSION));
  const fixed = (pk.fixedCoset ??= []);
  const missing = pk.fixedCoeffs.map((_, col) => col).filter((col) => fixed[col] === undefined);
  const polys = [...missing.map((col) => pk.fixedCoeffs[col]), ...(pk.weightCoset ? [] : [pk.weightCoeffs])];
  const values = await onCosetMany(polys, extended);
  missing.forEach((col, i) => (fixed[col] = toShared(values[i])));
  pk.weightCoset ??= toShared(values[missing.length]);
  return { fixed, weight: pk.weightCoset };
}

export interface SetupOptions {
  /** Source of r₀ (tests only; defaults to the system CSPRNG). */
  random?: () => bigint;
  /** What the public inputs mean (bound by the key's digest); default: ℓ inputs with no declared meaning. */
  publicInputLayout?: PublicInputLayout;
  /** Ignore the SRS's Lagrange basis, so that the prover commits to coefficients (tests, benchmarks). */
  withoutLagrangeBasis?: boolean;
}

/** Builds the keys. Throws CircuitError for a malformed table or an SRS too small for it. */
export async function setup(table: CircuitTable, srs: Srs, options: SetupOptions = {}): Promise<ProvingKey> {
  const publicInputLayout = options.publicInputLayout ?? plainPublicInputLayout(table.publicInputCount);
  checkPublicInputLayout(publicInputLayout, table.publicInputCount);
  await validateTable(table);
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
  if (lagrangeKey && !(await isLagrangeBasis(curve, commitKey, lagrangeKey, domain, randomScalar))) {
    throw new SrsError("invalid", `${srs.source}: its Lagrange basis for 2^${table.logRows} points does not match its powers of τ`);
  }
  // Worker threads for the batches of transforms below (a no-op for small tables).
  startGateWorkers(n * EXTENSION);
  // The fixed columns and the weights interpolated in one batch.
  const interpolated = await interpolateMany([...table.fixed, table.weights], domain);
  const fixedCoeffs = interpolated.slice(0, table.fixed.length);
  // The same points from values when there is a Lagrange basis: selectors, ids and tables are small
  // or zero, which costs a fraction of a full-width MSM of coefficients.
  const fixedCommitments: G1Lem[] = [];
  for (const [i, values] of table.fixed.entries()) {
    fixedCommitments.push(lagrangeKey ? await commitLagrange(curve, lagrangeKey, values) : await commit(curve, commitKey, fixedCoeffs[i]));
  }
  // C commits to W + r₀·Z_H = W − r₀ + r₀·Xⁿ: perfectly hiding since [Z_H]₁ ≠ 0 and r₀ is uniform.
  const r0 = (options.random ?? randomScalar)() % R;
  const weightCoeffs = new Uint8Array((n + 1) * FR_BYTES);
  weightCoeffs.set(interpolated[table.fixed.length]);
  const shift = frZeros(n + 1);
  frSet(shift, 0, (R - r0) % R);
  frSet(shift, n, r0);
  const blindedWeights = await frAdd(weightCoeffs, shift);
  // [C]₁ = [W]₁ + r₀·([τⁿ]₁ − [1]₁), [W]₁ from the weights' values when there is a Lagrange basis.
  const powerAt = (i: number): G1Lem => commitKey.g1.subarray(i * G1_BYTES, (i + 1) * G1_BYTES);
  const weightCommitment = lagrangeKey
    ? g1Add(curve, await commitLagrange(curve, lagrangeKey, table.weights), g1Mul(curve, g1Sub(curve, powerAt(n), powerAt(0)), r0))
    : await commit(curve, commitKey, blindedWeights);
  const vk: VerificationKey = {
    logRows: table.logRows,
    publicInputCount: table.publicInputCount,
    circuitDigest: CIRCUIT_DIGEST,
    publicInputLayoutDigest: publicInputLayoutDigest(publicInputLayout),
    fixedCommitments,
    weightCommitment,
    g2One: srs.g2OneEngine,
    g2Tau: srs.g2TauEngine,
    insecure: srs.insecure,
  };
  const pk: ProvingKey = {
    vk,
    vkDigest: verificationKeyDigest(vk),
    table,
    fixedCoeffs,
    weightCoeffs: blindedWeights,
    commitKey,
    ...(lagrangeKey ? { lagrangeKey } : {}),
    uvTarget: await freivaldsTargets(table),
  };
  if (table.logRows <= COSET_CACHE_MAX_LOG_ROWS) await keyCosetValues(pk);
  return pk;
}
