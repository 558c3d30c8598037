// The public circuit file (docs/protocol.md §3.12): what setup publishes next to vk.bin so that
// anyone can check which circuit a verification key encodes. It holds the fixed columns, k, ℓ and
// the public-input layout, never the weights or r₀ (the activations' calibrated widths and scales
// are fixed columns, so it shows those: docs/protocol.md §7.4), and
// checkPublicCircuit recomputes the key's 22 fixed commitments from it with an SRS, compares the
// layout digest and makes setup's structural checks.
//
// Bytes: gzip of
//   0     4               magic "zkpc"
//   4     4               version (u32 BE) = PUBLIC_CIRCUIT_VERSION
//   8     4               k (u32 BE)
//   12    4               ℓ (u32 BE)
//   16    4               L, the byte length of the layout (u32 BE)
//   20    4               m, the number of declared convolution runs (u32 BE), at most n
//   24    L               the public-input layout as UTF-8 JSON ({count, ranges}, §3.10)
//   …     m·RUN_BYTES     the declared convolution runs (run-bytes.ts: geometry and first indices)
//   …     19·n·32         fixed columns 0–5 and 9–21, each value 32 bytes little-endian, below r
//   …     3·n·4           σ_a, σ_b, σ_c as cells: value c (u32 BE) at row i of σ_w means
//                         σ_w(ω^i) = k_{w′}·ω^j with (w′, j) = (⌊c/n⌋, c mod n)
// A σ that is not a permutation of the cell ids cannot be written; the decoder refuses any other
// length, magic or version, a value ≥ r, a cell ≥ 3n, a layout that is not canonical or longer
// than MAX_LAYOUT_BYTES and a run that has no encoding (run-bytes.ts), and stops decompressing at
// the length the header declares (gzip bombs).
import { Readable, pipeline } from "node:stream";
import { createGunzip, createGzip, gzipSync } from "node:zlib";
import type { Bn128 } from "ffjavascript";
import { getEngine, R } from "../../verifier/engine/bn254.js";
import { frPowers, frScale, frToStandardLE, FR_BYTES, type FrVec } from "../../verifier/engine/fr.js";
import { g1Equal, type G1Lem } from "../engine/g1.js";
import { commit, type CommitKey } from "../kzg/index.js";
import { G1_BYTES } from "../../verifier/engine/encoding.js";
import { Domain, MAX_LOG_SIZE } from "../poly/index.js";
import type { Srs } from "../srs/index.js";
import { interpolateMany } from "./columns.js";
import { decodeRuns, encodeRuns, RUN_BYTES } from "./run-bytes.js";
import type { ConvGeometry } from "./conv-run.js";
import { checkPublicInputLayout, isCircuitDigest, publicInputLayoutDigest, type PublicInputLayout } from "../../verifier/plonkish/description.js";
import { CircuitError } from "../../verifier/plonkish/errors.js";
import { freivaldsTargets, srsSizeFor } from "./keys.js";
import type { VerificationKey } from "../../verifier/plonkish/verification-key.js";
import { COLUMN_NAMES, NUM_FIXED, PERMUTATION_SHIFTS, PERMUTATION_SIGMAS, PROTOCOL } from "../../verifier/plonkish/layout.js";
import { MIN_LOG_ROWS, rowCount, validateFixedColumns, type FixedTable } from "./table.js";

export const PUBLIC_CIRCUIT_MAGIC = Uint8Array.of(0x7a, 0x6b, 0x70, 0x63); // "zkpc"
// 2: protocol v6, the exponent steps s (fixed column 21). 3: the declared convolution runs.
export const PUBLIC_CIRCUIT_VERSION = 3;
const HEADER_BYTES = 24;
/** The most bytes a file's layout JSON may have: a layout is a few ranges, well under 1 KiB. */
export const MAX_LAYOUT_BYTES = 1 << 16;

/** A public circuit file that cannot be decoded. */
export class PublicCircuitError extends CircuitError {
  override name = "PublicCircuitError";
}

export interface PublicCircuit {
  table: FixedTable;
  layout: PublicInputLayout;
}

/** Fixed columns stored as values (all but σ). */
const VALUE_COLUMNS: readonly number[] = Array.from({ length: NUM_FIXED }, (_, c) => c).filter((c) => !(PERMUTATION_SIGMAS as readonly number[]).includes(c));

/** 2^256 mod r: multiplying standard-form bytes read as Montgomery form by it gives the value. */
const MONTGOMERY_R = (1n << 256n) % R;

/**
 * The public circuit file of a table and its layout. Validates the fixed columns first (σ must be
 * a permutation to be written as cells). Contains no weight.
 */
export async function encodePublicCircuit(table: FixedTable, layout: PublicInputLayout): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of publicCircuitChunks(table, layout)) parts.push(chunk);
  return gzipSync(Buffer.concat(parts));
}

/**
 * The public circuit file as it is written: {@link encodePublicCircuit}'s bytes, compressed as the
 * uncompressed chunks are made (one column at a time), so the file is never whole in memory.
 */
export function publicCircuitFileChunks(table: FixedTable, layout: PublicInputLayout): AsyncIterable<Uint8Array> {
  // pipeline destroys the gzip stream, and so ends its iteration with the error, if a chunk fails.
  return pipeline(Readable.from(publicCircuitChunks(table, layout)), createGzip(), () => undefined);
}

/** The uncompressed file (layout in this file's header comment) in order: header, layout, runs, then a column at a time. */
async function* publicCircuitChunks(table: FixedTable, layout: PublicInputLayout): AsyncGenerator<Uint8Array> {
  checkPublicInputLayout(layout, table.publicInputCount);
  const cells = await validateFixedColumns(table);
  const n = rowCount(table);
  const json = new TextEncoder().encode(JSON.stringify({ count: layout.count, ranges: layout.ranges }));
  const header = new Uint8Array(HEADER_BYTES);
  const view = new DataView(header.buffer);
  header.set(PUBLIC_CIRCUIT_MAGIC, 0);
  [PUBLIC_CIRCUIT_VERSION, table.logRows, table.publicInputCount, json.length, table.runs?.length ?? 0].forEach((v, i) => view.setUint32(4 + 4 * i, v));
  yield header;
  yield json;
  yield encodeRuns(table.runs ?? []);
  for (const col of VALUE_COLUMNS) yield await frToStandardLE(table.fixed[col]);
  const sigmas = new Uint8Array(3 * n * 4);
  const sigmaView = new DataView(sigmas.buffer);
  for (let i = 0; i < 3 * n; i++) sigmaView.setUint32(4 * i, cells[i]);
  yield sigmas;
}

/** Whether the 32-byte little-endian word at `o` is below r. */
function belowR(bytes: Uint8Array, o: number): boolean {
  let v = 0n;
  for (let i = 31; i >= 0; i--) v = (v << 8n) | BigInt(bytes[o + i]);
  return v < R;
}

const fail = (why: string): never => {
  throw new PublicCircuitError(`public circuit file: ${why}`);
};

interface Header {
  logRows: number;
  publicInputCount: number;
  jsonLength: number;
  runCount: number;
  /** The decompressed length a file with this header has. */
  length: number;
}

/** Reads and checks the header (the first HEADER_BYTES decompressed bytes); k at most `maxLogRows`. */
function readHeader(bytes: Uint8Array, maxLogRows: number): Header {
  if (bytes.length < HEADER_BYTES || !PUBLIC_CIRCUIT_MAGIC.every((b, i) => bytes[i] === b)) fail("wrong magic (not a zkinfer public circuit file)");
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  const [version, logRows, publicInputCount, jsonLength, runCount] = [0, 1, 2, 3, 4].map((i) => view.getUint32(4 + 4 * i));
  if (version !== PUBLIC_CIRCUIT_VERSION) {
    fail(`version ${version}, this zkinfer reads version ${PUBLIC_CIRCUIT_VERSION}${version < PUBLIC_CIRCUIT_VERSION ? " (an older setup's file: run `zkinfer setup` again with this zkinfer)" : ""}`);
  }
  if (logRows < MIN_LOG_ROWS || logRows > MAX_LOG_SIZE - 2) fail(`k = ${logRows} is outside ${MIN_LOG_ROWS}…${MAX_LOG_SIZE - 2}`);
  if (logRows > maxLogRows) fail(`it declares a table of 2^${logRows} rows, more than the 2^${maxLogRows} of the key it is checked against (not decompressed)`);
  const n = 2 ** logRows;
  if (publicInputCount > n) fail(`ℓ = ${publicInputCount} exceeds the ${n} rows`);
  if (jsonLength > MAX_LAYOUT_BYTES) fail(`its layout declares ${jsonLength} bytes, more than the ${MAX_LAYOUT_BYTES} a layout may have`);
  // A run has rows of three kinds at least, so a table of n rows declares fewer than n runs.
  if (runCount > n) fail(`it declares ${runCount} convolution runs, more than its ${n} rows can hold`);
  return { logRows, publicInputCount, jsonLength, runCount, length: HEADER_BYTES + jsonLength + runCount * RUN_BYTES + VALUE_COLUMNS.length * n * FR_BYTES + 3 * n * 4 };
}

/**
 * Decompresses `file`, never holding more than its header says the file has (a gzip bomb is cut
 * off as soon as it goes past that): a file never takes more memory than an honest one of its
 * declared size, and at most that of a table of 2^maxLogRows rows.
 */
async function gunzipBounded(file: Uint8Array, maxLogRows: number): Promise<{ bytes: Uint8Array; header: Header }> {
  const gunzip = createGunzip();
  const chunks: Buffer[] = [];
  let size = 0;
  let header: Header | undefined;
  try {
    gunzip.end(file);
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.length;
      if (!header && size >= HEADER_BYTES) header = readHeader(Buffer.concat(chunks, size), maxLogRows);
      if (header && size > header.length) fail(`it decompresses to more than the ${header.length} bytes its header declares (a table of 2^${header.logRows} rows with this layout)`);
    }
  } catch (err) {
    gunzip.destroy();
    if (err instanceof PublicCircuitError) throw err;
    return fail("not gzip data");
  }
  const bytes = Buffer.concat(chunks, size);
  return { bytes, header: header ?? readHeader(bytes, maxLogRows) };
}

/**
 * Decodes a public circuit file; throws PublicCircuitError. Its structural rules are not checked
 * here. `maxLogRows` (default the largest table there is) refuses, before decompressing it, a file
 * of a larger table: pass the key's k when checking the file against a key.
 */
export async function decodePublicCircuit(file: Uint8Array, options: { maxLogRows?: number } = {}): Promise<PublicCircuit> {
  const { bytes, header } = await gunzipBounded(file, options.maxLogRows ?? MAX_LOG_SIZE - 2);
  const { logRows, publicInputCount, jsonLength, runCount, length: expected } = header;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = 2 ** logRows;
  if (bytes.length !== expected) fail(`${bytes.length} bytes, a table of 2^${logRows} rows with this layout has ${expected}`);
  let layout: PublicInputLayout;
  try {
    layout = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(HEADER_BYTES, HEADER_BYTES + jsonLength))) as PublicInputLayout;
    checkPublicInputLayout(layout, publicInputCount);
  } catch (err) {
    return fail(`the public-input layout is malformed (${(err as Error).message})`);
  }
  let o = HEADER_BYTES + jsonLength;
  const runs = decodeRuns(bytes.subarray(o, o + runCount * RUN_BYTES), runCount, fail);
  o += runCount * RUN_BYTES;
  const fixed: FrVec[] = new Array<FrVec>(NUM_FIXED);
  for (const col of VALUE_COLUMNS) {
    const raw = bytes.slice(o, o + n * FR_BYTES);
    for (let i = 0; i < n; i++) if (!belowR(raw, i * FR_BYTES)) fail(`column ${COLUMN_NAMES[col]} row ${i}: a value not below r`);
    fixed[col] = await frScale(raw, MONTGOMERY_R);
    o += n * FR_BYTES;
  }
  // σ from cells: the cell ids k_w·ω^j, copied into place.
  const powers = await frPowers(Domain.create(logRows).omega, n);
  const ids = await Promise.all(PERMUTATION_SHIFTS.map((k) => frScale(powers, k)));
  for (const [w, col] of PERMUTATION_SIGMAS.entries()) {
    const sigma = new Uint8Array(n * FR_BYTES);
    for (let i = 0; i < n; i++, o += 4) {
      const c = view.getUint32(o);
      if (c >= 3 * n) fail(`σ of wire ${"abc"[w]} at row ${i} names cell ${c}, beyond the ${3 * n} cells`);
      const id = ids[Math.floor(c / n)];
      sigma.set(id.subarray((c % n) * FR_BYTES, (c % n + 1) * FR_BYTES), i * FR_BYTES);
    }
    fixed[col] = sigma;
  }
  return { table: { logRows, publicInputCount, fixed, ...(runCount > 0 ? { runs } : {}) }, layout };
}

/** One check of a public circuit against a verification key. */
export interface CircuitCheckItem {
  name: string;
  ok: boolean;
  detail: string;
}

export interface PublicCircuitCheck {
  /** Every check was made and passed: the key's circuit is the file's, and it is well-formed. */
  ok: boolean;
  checks: CircuitCheckItem[];
  /** Fixed columns whose recomputed commitment differs from the key's. */
  mismatchedColumns: string[];
}

const hex = (b: Uint8Array): string => `0x${Buffer.from(b).toString("hex")}`;

/** "4→8 channels, 3×3 kernel on 12×12, pads 1,1,1,1, 1 group, bias, row stride 13". */
function describeGeometry(g: ConvGeometry): string {
  return `${g.inChannels}→${g.outChannels} channels, ${g.kernel[0]}×${g.kernel[1]} kernel on ${g.height}×${g.width}, pads ${g.pads.join(",")}, ${g.groups} group${g.groups === 1 ? "" : "s"}, ${g.bias ? "bias" : "no bias"}, row stride ${g.rowStride}`;
}

/**
 * Checks that `vk` encodes the circuit of `circuit` (docs/protocol.md §3.12): the same k and ℓ,
 * this implementation's circuit description, the layout digest, the structural rules of §3.8
 * (validateFixedColumns and the Freivalds index rules), and, with an SRS whose [τ]₂ is the key's,
 * the 22 fixed commitments recomputed from the columns. Never throws for a mismatch: each check
 * says what it found.
 */
export async function checkPublicCircuit(circuit: PublicCircuit, vk: VerificationKey, srs: Srs): Promise<PublicCircuitCheck> {
  const checks: CircuitCheckItem[] = [];
  const add = (name: string, ok: boolean, detail: string): boolean => {
    checks.push({ name, ok, detail });
    return ok;
  };
  const { table, layout } = circuit;
  const shape = add(
    "shape",
    table.logRows === vk.logRows && table.publicInputCount === vk.publicInputCount,
    `file: 2^${table.logRows} rows, ${table.publicInputCount} public inputs; key: 2^${vk.logRows} rows, ${vk.publicInputCount} public inputs`,
  );
  add("circuit description", isCircuitDigest(vk.circuitDigest), `the key's gates are ${isCircuitDigest(vk.circuitDigest) ? "" : "not "}this zkinfer's (${PROTOCOL})`);
  const layoutDigest = publicInputLayoutDigest(layout);
  add("public-input layout", hex(layoutDigest) === hex(vk.publicInputLayoutDigest), `file's layout digest ${hex(layoutDigest)}, key's ${hex(vk.publicInputLayoutDigest)}`);
  let structure: string | undefined;
  try {
    await validateFixedColumns(table);
    await freivaldsTargets(table);
  } catch (err) {
    if (!(err instanceof CircuitError)) throw err;
    structure = err.message;
  }
  add("structure", structure === undefined, structure ?? "well-formed (docs/protocol.md §3.8: public-input rows, weight rows, σ a permutation, Freivalds selectors and indices, lookup ids, every product flat or a declared convolution run recomputed from its geometry)");
  // A declared run is read like a flat product (docs/protocol.md §3.12): the structure check has
  // recomputed every row of it from its geometry (checkRuns), so the file states "these Y cells are
  // the convolution of this geometry of the cells these X rows copy, by the committed weights", as a
  // flat product states "these Y cells are W·X of the cells its X rows copy". Which cells those are
  // is the copy constraints', published in σ, for both.
  const runs = table.runs ?? [];
  if (runs.length > 0) {
    add(
      "convolution runs",
      structure === undefined,
      structure === undefined
        ? `${runs.length} declared, each recomputed from its geometry (§3.8 rule 6): ${runs.map((r, k) => `run ${k} ${describeGeometry(r.geometry)}`).join("; ")}`
        : "not accepted: the structure check failed (above)",
    );
  }
  const mismatchedColumns: string[] = [];
  const curve: Bn128 = await getEngine();
  // Both in the engine's affine form, so the same point has the same bytes.
  const sameSrs = Buffer.from(srs.g2TauEngine).equals(Buffer.from(vk.g2Tau));
  if (!add("srs", sameSrs, `the key's [τ]₂ is ${sameSrs ? "" : "not "}this SRS's (${srs.source})`)) {
    add(
      "fixed commitments",
      false,
      vk.insecure
        ? "not recomputed: the key was made with --dev-srs (its vk.bin says so), whose τ was random and discarded, so no SRS file can recompute its commitments and this key's circuit cannot be checked: make the key with `zkinfer setup --srs <file.ptau>` to publish a checkable one"
        : "not recomputed: the key was made on another SRS (pass the .ptau file it was made on)",
    );
  } else if (!shape || structure !== undefined) {
    add("fixed commitments", false, "not recomputed: the file does not describe a well-formed table of the key's shape");
  } else if (srs.size < srsSizeFor(table.logRows)) {
    add("fixed commitments", false, `not recomputed: the SRS has ${srs.size} G1 powers, a table of 2^${table.logRows} rows needs ${srsSizeFor(table.logRows)}`);
  } else {
    const n = rowCount(table);
    const key: CommitKey = { g1: srs.g1.subarray(0, n * G1_BYTES), size: n };
    const coeffs = await interpolateMany(table.fixed, Domain.create(table.logRows));
    for (let col = 0; col < NUM_FIXED; col++) {
      const point: G1Lem = await commit(curve, key, coeffs[col]);
      if (!g1Equal(curve, point, vk.fixedCommitments[col])) mismatchedColumns.push(COLUMN_NAMES[col]);
    }
    add(
      "fixed commitments",
      mismatchedColumns.length === 0,
      mismatchedColumns.length === 0 ? `all ${NUM_FIXED} recomputed with ${srs.source} and equal to the key's` : `recomputed with ${srs.source}: ${mismatchedColumns.join(", ")} differ from the key's`,
    );
  }
  return { ok: checks.every((c) => c.ok), checks, mismatchedColumns };
}
