// Key files: the proving key's binary form (pk.bin). The verification key's (vk.bin, vk.json) are
// the verifier's: verifier/plonkish/verification-key.ts.
//
// pk.bin is the model owner's private file (it holds the weights). Everything is stored in the
// engine's own forms, so loading needs no conversion:
//
//   offset  size              field
//   0       4                 magic "zkpk"
//   4       4                 version (u32 LE) = PK_VERSION
//   8       4                 logRows k (u32 LE), n = 2^k
//   12      4                 public input count (u32 LE)
//   16      4                 fixed column count (u32 LE) = NUM_FIXED
//   20      4                 commit-key size s (u32 LE) = srsSizeFor(k)
//   24      4                 vk length (u32 LE) = VK_BYTES
//   28      4                 Lagrange key size ℓ (u32 LE): n, or 0 when the key has none
//   32      4                 coset columns c (u32 LE): NUM_FIXED + K, or 0 (see COSET_CACHE_MAX_LOG_ROWS)
//   36      4                 m, the number of declared convolution runs (u32 LE), at most n
//   36      VK_BYTES          the verification key's canonical bytes
//   …       NUM_FIXED·n·32    the fixed columns' values on H (Fr, little-endian Montgomery)
//   …       NUM_FIXED·n·32    the fixed columns' coefficients (same form), so loading needs no iFFT
//   …       K·n·32            the K weight columns' values on H (same form)
//   …       K·(n+1)·32        coefficients of W_t + r_(0,t)·Z_H, the polynomial C_t commits to, for each slot t (same form)
//   …       s·64              the commit key: G1 powers [τ^0]₁ … [τ^(s−1)]₁ (affine LEM), so
//                             proving needs no .ptau
//   …       ℓ·64              the Lagrange key [L_0(τ)]₁ … [L_(n−1)(τ)]₁ (affine LEM), if any
//   …       c·4n·32           the fixed columns, then each W_t + r_(0,t)·Z_H, on the 4n coset (Fr), if any
//   …       m·RUN_BYTES       the table's declared convolution runs (run-bytes.ts), which the full
//                             checks' table check recomputes (checkRuns)
//   end−32  32                SHA-256 of every byte before it
//
// Loading (docs/protocol.md §3.13) checks by default what a file that setup wrote needs: the layout,
// the checksum, every Fr word (< r) and every point coordinate (< p), the embedded verification
// key, and the Freivalds targets it recomputes from the table. The full checks (`zkinfer
// check-key`, for a key that did not come from one's own setup) also validate the table and then,
// all folded with the powers of one fresh random ρ (Σ ρ^k·x_k over the fixed columns
// k < NUM_FIXED, then the K weight columns): the folded values, interpolated (one iFFT), must be the
// folded coefficients, with each C_t's coefficient n folded into coefficient 0 (C_t = W_t + r_(0,t)·Z_H
// agrees with W_t on H); the folded coefficients must commit under the commit key to the folded commitments of the
// verification key (and the Lagrange key must commit as the powers do, in the same MSM); and the
// folded coset columns, interpolated, must agree with the folded coefficients at a fresh random
// point (barycentric formula, no 4n FFT).
import { createHash, randomFillSync } from "node:crypto";
import { getEngine, P, R } from "../../verifier/engine/bn254.js";
import { g1FromLEM, G1_BYTES } from "../../verifier/engine/encoding.js";
import { frAdd, frVecFromBigints, FR_BYTES, type FrVec } from "../../verifier/engine/fr.js";
import { g1Add, g1Concat, g1Equal, msm } from "../engine/g1.js";
import { frInv, frPowersOf, randomScalar } from "../../verifier/engine/scalar.js";
import { commit, commitLagrange, type CommitKey } from "../kzg/index.js";
import { COSET_GENERATOR, Domain, evaluate, evaluateLagrange, linearCombination } from "../poly/index.js";
import { interpolate } from "./columns.js";
import { CircuitError } from "../../verifier/plonkish/errors.js";
import { COSET_CACHE_MAX_LOG_ROWS, freivaldsTargets, srsSizeFor, type ProvingKey } from "./keys.js";
import { decodeVerificationKey, encodeVerificationKey, KeyFileError, MAX_LOG_ROWS, VK_BYTES } from "../../verifier/plonkish/verification-key.js";
import { EXTENSION, NUM_FIXED, WEIGHT_SLOTS } from "../../verifier/plonkish/layout.js";
import { MIN_LOG_ROWS, rowCount, validateTable, type CircuitTable } from "./table.js";
import { decodeRuns, encodeRuns, RUN_BYTES } from "./run-bytes.js";

export { KeyFileError };

/** A proving key whose parts, each well-formed, do not fit together (found by the full checks only). */
export class KeyConsistencyError extends KeyFileError {
  override name = "KeyConsistencyError";
}

export const PK_MAGIC = Uint8Array.of(0x7a, 0x6b, 0x70, 0x6b); // "zkpk"
// Version 5: embeds a version-3 verification key (circuit and public-input layout digests).
// 6: protocol v5, K weight columns. 7: protocol v6, the fixed column s (22 fixed columns).
// 8: the declared convolution runs. 9: K = 8 weight columns (and a version-6 verification key).
export const PK_VERSION = 9;
const PK_HEADER_BYTES = 40;
/** Bytes of the SHA-256 checksum that ends pk.bin (of every byte before it). */
export const PK_CHECKSUM_BYTES = 32;

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Proving key

interface PkLayout {
  logRows: number;
  n: number;
  publicInputCount: number;
  keySize: number;
  vk: number;
  fixed: number;
  fixedCoeffs: number;
  weights: number;
  weightCoeffs: number;
  commitKey: number;
  lagrangeKey: number;
  lagrangeSize: number;
  coset: number;
  cosetColumns: number;
  runs: number;
  runCount: number;
  checksum: number;
  total: number;
}

function pkLayout(logRows: number, publicInputCount: number, keySize: number, lagrangeSize: number, cosetColumns: number, runCount: number): PkLayout {
  const n = rowCount({ logRows });
  const vk = PK_HEADER_BYTES;
  const fixed = vk + VK_BYTES;
  const fixedCoeffs = fixed + NUM_FIXED * n * FR_BYTES;
  const weights = fixedCoeffs + NUM_FIXED * n * FR_BYTES;
  const weightCoeffs = weights + WEIGHT_SLOTS * n * FR_BYTES;
  const commitKey = weightCoeffs + WEIGHT_SLOTS * (n + 1) * FR_BYTES;
  const lagrangeKey = commitKey + keySize * G1_BYTES;
  const coset = lagrangeKey + lagrangeSize * G1_BYTES;
  const runs = coset + cosetColumns * EXTENSION * n * FR_BYTES;
  const checksum = runs + runCount * RUN_BYTES;
  return {
    ...{ logRows, n, publicInputCount, keySize, vk, fixed, fixedCoeffs, weights, weightCoeffs, commitKey, lagrangeKey, lagrangeSize, coset, cosetColumns, runs, runCount },
    checksum,
    total: checksum + PK_CHECKSUM_BYTES,
  };
}

function sha256(bytes: Uint8Array): Uint8Array {
  return createHash("sha256").update(bytes).digest();
}

/**
 * pk.bin's bytes (layout in this file's header comment) as a sequence of chunks, in file order, the
 * SHA-256 checksum last (hashed as they go): a writer streams them to disk without ever holding the
 * file whole (at 2^22 rows it is about 8 GiB). The chunks are views of the key's own buffers where
 * they can be. Checks the key's shape before the first chunk.
 */
export function provingKeyChunks(pk: ProvingKey): { total: number; chunks: Iterable<Uint8Array> } {
  const { table, vk, commitKey } = pk;
  const n = rowCount(table);
  if (vk.logRows !== table.logRows || vk.publicInputCount !== table.publicInputCount) {
    throw new CircuitError("proving key: the verification key and the table disagree on the shape");
  }
  if (commitKey.size !== srsSizeFor(table.logRows) || commitKey.g1.length < commitKey.size * G1_BYTES) {
    throw new CircuitError(`proving key: the commit key holds ${commitKey.size} powers, expected ${srsSizeFor(table.logRows)}`);
  }
  if (pk.fixedCoeffs.length !== NUM_FIXED || pk.fixedCoeffs.some((c) => c.length !== n * FR_BYTES)) {
    throw new CircuitError(`proving key: it must hold the coefficients of ${NUM_FIXED} fixed columns, n of them each`);
  }
  if (pk.weightCoeffs.length !== WEIGHT_SLOTS || pk.weightCoeffs.some((c) => c.length !== (n + 1) * FR_BYTES)) {
    throw new CircuitError(`proving key: it must hold ${WEIGHT_SLOTS} weight polynomials of n + 1 coefficients each`);
  }
  if (pk.lagrangeKey && pk.lagrangeKey.length !== n * G1_BYTES) throw new CircuitError(`proving key: the Lagrange key must hold ${n} points`);
  table.fixed.forEach((col, i) => {
    if (col.length !== n * FR_BYTES) throw new CircuitError(`proving key: fixed column ${i} has the wrong length`);
  });
  if (table.weights.length !== WEIGHT_SLOTS || table.weights.some((c) => c.length !== n * FR_BYTES)) throw new CircuitError("proving key: the weight columns have the wrong shape");
  const coset = storedCoset(pk);
  const runs = encodeRuns(table.runs ?? []);
  const at = pkLayout(table.logRows, table.publicInputCount, commitKey.size, pk.lagrangeKey ? n : 0, coset.length, table.runs?.length ?? 0);
  const header = new Uint8Array(PK_HEADER_BYTES);
  const view = new DataView(header.buffer);
  header.set(PK_MAGIC, 0);
  [PK_VERSION, table.logRows, table.publicInputCount, NUM_FIXED, commitKey.size, VK_BYTES, at.lagrangeSize, at.cosetColumns, at.runCount].forEach((v, i) => view.setUint32(4 + 4 * i, v, true));
  const body = [
    header,
    encodeVerificationKey(vk),
    ...table.fixed,
    ...pk.fixedCoeffs,
    ...table.weights,
    ...pk.weightCoeffs,
    commitKey.g1.subarray(0, commitKey.size * G1_BYTES),
    ...(pk.lagrangeKey ? [pk.lagrangeKey] : []),
    ...coset,
    runs,
  ];
  function* chunks(): Generator<Uint8Array> {
    const hash = createHash("sha256");
    for (const chunk of body) {
      hash.update(chunk);
      yield chunk;
    }
    yield hash.digest();
  }
  return { total: at.total, chunks: { [Symbol.iterator]: chunks } };
}

/** pk.bin's bytes in one buffer ({@link provingKeyChunks} joined; a file is better streamed). */
export function encodeProvingKey(pk: ProvingKey): Uint8Array {
  const { total, chunks } = provingKeyChunks(pk);
  const out = new Uint8Array(total);
  let o = 0;
  for (const chunk of chunks) {
    out.set(chunk, o);
    o += chunk.length;
  }
  if (o !== total) throw new CircuitError(`proving key: ${o} bytes encoded, its layout says ${total}`);
  return out;
}

/** Little-endian bytes of a 256-bit bound, for fast word comparisons. */
function le32(v: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number((v >> BigInt(8 * i)) & 0xffn);
  return out;
}
const R_LE = le32(R);
const P_LE = le32(P);

/** Index of the first 32-byte little-endian word in `bytes` that is not below `bound`, or −1. */
function firstWordNotBelow(bytes: Uint8Array, bound: Uint8Array): number {
  const top = bound[31];
  for (let o = 0; o < bytes.length; o += 32) {
    const t = bytes[o + 31];
    if (t < top) continue;
    if (t > top) return o / 32;
    let i = 30;
    while (i >= 0 && bytes[o + i] === bound[i]) i--;
    if (i < 0 || bytes[o + i] > bound[i]) return o / 32;
  }
  return -1;
}

/** Bytes at the start of pk.bin that {@link provingKeyLogRows} reads. */
export const PK_HEADER_PEEK_BYTES = 12;

/**
 * log2 of the row count that a pk.bin starting with `head` (its first {@link PK_HEADER_PEEK_BYTES}
 * bytes or more) declares, or undefined when it is not a key of this version: for starting the
 * prover's threads before the key is read and checked (decodeProvingKey reports what is wrong).
 */
export function provingKeyLogRows(head: Uint8Array): number | undefined {
  if (head.length < PK_HEADER_PEEK_BYTES || !bytesEqual(head.subarray(0, 4), PK_MAGIC)) return undefined;
  const header = new DataView(head.buffer, head.byteOffset, PK_HEADER_PEEK_BYTES);
  const logRows = header.getUint32(8, true);
  return header.getUint32(4, true) === PK_VERSION && logRows >= MIN_LOG_ROWS && logRows <= MAX_LOG_ROWS ? logRows : undefined;
}

export interface DecodeProvingKeyOptions {
  /**
   * "digest" (the default, what `zkinfer prove` runs): the layout, the SHA-256 checksum, the
   * embedded verification key, the ranges of every word, and the Freivalds targets. A file as its
   * setup wrote it passes, and any change to it fails the checksum; a few tenths of a second at
   * 2^16 rows. "full" (`zkinfer check-key`): also that the table is well-formed and that the key's
   * parts fit together and give the verification key's commitments (checkKeyConsistency), for a
   * key one did not make oneself or suspects; a few seconds at 2^16 rows.
   */
  checks?: "digest" | "full";
  /**
   * The SHA-256 of these very bytes but the last {@link PK_CHECKSUM_BYTES}, when the caller hashed
   * them as it read them (the CLI does, chunk by chunk, while the next chunk is read): the checksum
   * check compares it with the stored checksum instead of hashing the bytes a second time.
   */
  bodySha256?: Uint8Array;
}

/**
 * Decodes pk.bin into a ProvingKey ready for prove(). The key's buffers are views into `bytes`,
 * which must not be modified afterwards. Throws KeyFileError, or its KeyConsistencyError when a
 * full check finds the parts inconsistent.
 */
export async function decodeProvingKey(input: Uint8Array, options: DecodeProvingKeyOptions = {}): Promise<ProvingKey> {
  if (!(input instanceof Uint8Array)) throw new KeyFileError("a proving key must be bytes");
  // A plain Uint8Array over the same memory: a Node Buffer's slice() is a view, and ffjavascript's
  // FFT reorders what it takes for a sliced copy in place, which would scramble a Buffer's columns.
  const bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  if (bytes.length < PK_HEADER_BYTES) throw new KeyFileError(`proving key file is truncated: ${bytes.length} bytes, shorter than its ${PK_HEADER_BYTES}-byte header`);
  if (!bytesEqual(bytes.subarray(0, 4), PK_MAGIC)) throw new KeyFileError("not a zkinfer proving key (bad magic bytes)");
  const header = new DataView(bytes.buffer, bytes.byteOffset, PK_HEADER_BYTES);
  const version = header.getUint32(4, true);
  if (version !== PK_VERSION) throw new KeyFileError(`proving key version ${version} is not supported (expected ${PK_VERSION}); keys made by another zkinfer version: compile and run setup again`);
  const logRows = header.getUint32(8, true);
  if (logRows < MIN_LOG_ROWS || logRows > MAX_LOG_ROWS) throw new KeyFileError(`proving key: log2 of the row count is ${logRows}, outside ${MIN_LOG_ROWS}…${MAX_LOG_ROWS}`);
  const publicInputCount = header.getUint32(12, true);
  const fixedCount = header.getUint32(16, true);
  const keySize = header.getUint32(20, true);
  const vkLength = header.getUint32(24, true);
  const lagrangeSize = header.getUint32(28, true);
  const cosetColumns = header.getUint32(32, true);
  const runCount = header.getUint32(36, true);
  if (fixedCount !== NUM_FIXED) throw new KeyFileError(`proving key has ${fixedCount} fixed columns; this prover's tables have ${NUM_FIXED}`);
  if (vkLength !== VK_BYTES) throw new KeyFileError(`proving key embeds a ${vkLength}-byte verification key; expected ${VK_BYTES}`);
  if (keySize !== srsSizeFor(logRows)) throw new KeyFileError(`proving key holds ${keySize} G1 powers; a table of 2^${logRows} rows needs ${srsSizeFor(logRows)}`);
  if (lagrangeSize !== 0 && lagrangeSize !== 2 ** logRows) throw new KeyFileError(`proving key holds a Lagrange key of ${lagrangeSize} points; a table of 2^${logRows} rows needs ${2 ** logRows} or none`);
  if (cosetColumns !== 0 && cosetColumns !== NUM_FIXED + WEIGHT_SLOTS) throw new KeyFileError(`proving key holds ${cosetColumns} coset columns; expected ${NUM_FIXED + WEIGHT_SLOTS} or none`);
  if (runCount > 2 ** logRows) throw new KeyFileError(`proving key declares ${runCount} convolution runs, more than its ${2 ** logRows} rows can hold`);
  const at = pkLayout(logRows, publicInputCount, keySize, lagrangeSize, cosetColumns, runCount);
  if (bytes.length !== at.total) {
    throw new KeyFileError(
      `proving key file has ${bytes.length} bytes but its header describes ${at.total}` + (bytes.length < at.total ? " (truncated)" : " (trailing data)"),
    );
  }
  if (!bytesEqual(options.bodySha256 ?? sha256(bytes.subarray(0, at.checksum)), bytes.subarray(at.checksum))) {
    throw new KeyFileError("proving key file is corrupted (its SHA-256 checksum does not match)");
  }

  const { vk, digest } = decodeVerificationKey(bytes.subarray(at.vk, at.vk + VK_BYTES));
  if (vk.logRows !== logRows || vk.publicInputCount !== publicInputCount) {
    throw new KeyFileError("proving key: the header and the embedded verification key disagree on the table's shape");
  }
  const { n } = at;
  const frs = (offset: number, count: number, what: string): FrVec => {
    const v = bytes.subarray(offset, offset + count * FR_BYTES);
    const bad = firstWordNotBelow(v, R_LE);
    if (bad >= 0) throw new KeyFileError(`proving key: ${what}, element ${bad}, is not a canonical field element`);
    return v;
  };
  const fixed = Array.from({ length: NUM_FIXED }, (_, i) => frs(at.fixed + i * n * FR_BYTES, n, `fixed column ${i}`));
  const fixedCoeffs = Array.from({ length: NUM_FIXED }, (_, i) => frs(at.fixedCoeffs + i * n * FR_BYTES, n, `the coefficients of fixed column ${i}`));
  const weights = Array.from({ length: WEIGHT_SLOTS }, (_, t) => frs(at.weights + t * n * FR_BYTES, n, `weight column ${t}`));
  const weightCoeffs = Array.from({ length: WEIGHT_SLOTS }, (_, t) => frs(at.weightCoeffs + t * (n + 1) * FR_BYTES, n + 1, `weight polynomial ${t}`));
  const g1 = bytes.subarray(at.commitKey, at.commitKey + keySize * G1_BYTES);
  const badPoint = firstWordNotBelow(g1, P_LE);
  if (badPoint >= 0) throw new KeyFileError(`proving key: commit key power ${badPoint >> 1} has a coordinate that is not below p`);
  const lagrangeKey = lagrangeSize > 0 ? bytes.subarray(at.lagrangeKey, at.lagrangeKey + lagrangeSize * G1_BYTES) : undefined;
  const badLagrange = lagrangeKey ? firstWordNotBelow(lagrangeKey, P_LE) : -1;
  if (badLagrange >= 0) throw new KeyFileError(`proving key: Lagrange key point ${badLagrange >> 1} has a coordinate that is not below p`);
  // The powers beyond n + 1 are in no MSM of the full checks: check they are on the curve (a few points).
  for (let i = n + 1; i < keySize; i++) {
    try {
      g1FromLEM(g1, i * G1_BYTES);
    } catch (e) {
      throw new KeyFileError(`proving key: commit key power ${i}: ${(e as Error).message}`);
    }
  }

  const runs = decodeRuns(bytes.subarray(at.runs, at.checksum), runCount, (why) => {
    throw new KeyFileError(`proving key: ${why}`);
  });
  const full = (options.checks ?? "digest") === "full";
  const table: CircuitTable = { logRows, publicInputCount, fixed, weights, ...(runCount > 0 ? { runs } : {}) };
  let uvTarget: Int32Array;
  try {
    if (full) await validateTable(table);
    uvTarget = await freivaldsTargets(table, { checkEntries: full });
  } catch (e) {
    if (e instanceof CircuitError) throw new (full ? KeyConsistencyError : KeyFileError)(`proving key: its table is malformed: ${e.message}`);
    throw e;
  }
  const commitKey: CommitKey = { g1, size: keySize };
  const pk: ProvingKey = { vk, vkDigest: digest, table, fixedCoeffs, weightCoeffs, commitKey, ...(lagrangeKey ? { lagrangeKey } : {}), uvTarget };
  if (cosetColumns > 0) {
    // In shared memory, where the gate workers read the columns (copied unless already there).
    const stored = bytes.subarray(at.coset, at.checksum);
    const shared = stored.buffer instanceof SharedArrayBuffer ? stored : new Uint8Array(new SharedArrayBuffer(stored.length));
    if (shared !== stored) shared.set(stored);
    const columns = Array.from({ length: cosetColumns }, (_, i) => shared.subarray(i * EXTENSION * n * FR_BYTES, (i + 1) * EXTENSION * n * FR_BYTES));
    const bad = firstWordNotBelow(shared, R_LE);
    if (bad >= 0) throw new KeyFileError(`proving key: coset column ${Math.floor(bad / (EXTENSION * n))}, element ${bad % (EXTENSION * n)}, is not a canonical field element`);
    pk.fixedCoset = columns.slice(0, NUM_FIXED);
    pk.weightCoset = columns.slice(NUM_FIXED);
  }
  if (full) await checkKeyConsistency(pk);
  return pk;
}

/**
 * The full checks' consistency part: the key's coefficients interpolate its columns, commit under
 * its commit key (and its Lagrange key) to its verification key's commitments, and its coset
 * columns are their values on the 4n coset. Each folds the columns with the powers of one fresh ρ:
 * they guard the prover's own file (completeness, not soundness: the verifier never reads it),
 * and a column that disagrees survives only if a nonzero polynomial of degree ≤ NUM_FIXED vanishes
 * at ρ (probability ≤ NUM_FIXED/r). Throws KeyConsistencyError.
 */
async function checkKeyConsistency(pk: ProvingKey): Promise<void> {
  const { table, fixedCoeffs, weightCoeffs, commitKey, lagrangeKey, vk } = pk;
  const { fixed, weights, logRows } = table;
  const n = rowCount(table);
  const domain = Domain.create(logRows);
  const scalars = frPowersOf(randomScalar(), NUM_FIXED + WEIGHT_SLOTS);
  const folded = await linearCombination([...fixedCoeffs, ...weightCoeffs], scalars);
  await checkCoefficients([...fixed, ...weights], [...fixedCoeffs, ...weightCoeffs], scalars, folded, domain);

  const curve = await getEngine();
  let poly = folded;
  let rhs = await msm(curve, g1Concat([...vk.fixedCommitments, ...vk.weightCommitments]), frVecFromBigints(scalars));
  if (lagrangeKey) {
    // Random 64-bit values s: Σ s_i·[L_i] must equal the commitment to their interpolant.
    const s = frVecFromBigints(Array.from(randomFillSync(new BigUint64Array(n))));
    poly = await linearCombination([poly, await interpolate(s, domain)], [1n, 1n]);
    rhs = g1Add(curve, rhs, await commitLagrange(curve, lagrangeKey, s));
  }
  const lhs = await commit(curve, commitKey, poly);
  if (!g1Equal(curve, lhs, rhs)) {
    throw new KeyConsistencyError(
      `proving key: its commit key, fixed columns and weights${lagrangeKey ? " and Lagrange key" : ""} do not give the commitments in its verification key`,
    );
  }
  if (pk.fixedCoset && pk.weightCoset) {
    // Σ ρ^k·coset_k must be the values of Σ ρ^k·p_k on the coset g·D: then the interpolant of the
    // folded column (degree < 4n) is that polynomial, so the two agree at a fresh random z, read
    // off by the barycentric formula at z/g (a few passes over 4n instead of a 4n FFT). A wrong
    // entry survives only if ρ or z is a root of a nonzero polynomial of degree < 4n.
    const z = randomScalar();
    const onExtended = await evaluateLagrange(await linearCombination([...pk.fixedCoset, ...pk.weightCoset], scalars), Domain.create(logRows + Math.log2(EXTENSION)), (z * frInv(COSET_GENERATOR)) % R);
    if (onExtended !== (await evaluate(folded, z))) {
      throw new KeyConsistencyError("proving key: its stored coset evaluations are not those of its fixed columns and weights");
    }
  }
}

/**
 * Checks that the stored coefficients interpolate the stored values, all columns at once: Σ ρ^k·
 * values_k, interpolated, must be Σ ρ^k·coefficients_k (`folded`) reduced mod Xⁿ − 1. Only the C_t
 * have a coefficient n, and C_t mod Xⁿ − 1 is W_t's interpolant (C_t = W_t + r_(0,t)·Z_H takes W_t's values on H).
 */
async function checkCoefficients(values: FrVec[], coeffs: FrVec[], scalars: bigint[], folded: FrVec, domain: Domain): Promise<void> {
  const n = domain.size;
  const interpolated = await interpolate(await linearCombination(values, scalars), domain);
  const reduced = folded.slice(0, n * FR_BYTES);
  reduced.set(await frAdd(folded.subarray(0, FR_BYTES), folded.subarray(n * FR_BYTES)), 0);
  if (bytesEqual(interpolated, reduced)) return;
  // A bad file: find the column to name, one iFFT at a time.
  for (let k = 0; k < values.length; k++) {
    const plain = await interpolate(values[k], domain);
    const own = coeffs[k].slice(0, n * FR_BYTES);
    if (coeffs[k].length > n * FR_BYTES) own.set(await frAdd(own.subarray(0, FR_BYTES), coeffs[k].subarray(n * FR_BYTES)), 0);
    if (bytesEqual(plain, own)) continue;
    if (k >= NUM_FIXED) throw new KeyConsistencyError(`proving key: blinded weight polynomial ${k - NUM_FIXED} does not match its weight column`);
    throw new KeyConsistencyError(`proving key: the stored coefficients of fixed column ${k} do not interpolate its values`);
  }
  throw new KeyConsistencyError("proving key: its stored coefficients do not interpolate its columns");
}

/** The coset columns pk.bin stores: every fixed column and every C_t, when the key has them all and is small enough. */
function storedCoset(pk: ProvingKey): FrVec[] {
  const fixed = pk.fixedCoset ?? [];
  const complete = fixed.length === NUM_FIXED && fixed.every((v) => v !== undefined) && pk.weightCoset?.length === WEIGHT_SLOTS;
  return complete && pk.vk.logRows <= COSET_CACHE_MAX_LOG_ROWS ? [...fixed, ...pk.weightCoset!] : [];
}
