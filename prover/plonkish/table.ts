// The circuit table a builder hands to setup: the fixed columns' values on H, the private weight
// column, and how many public inputs occupy the first rows.
import { frLength, frPowers, frScale, frToStandardLE, type FrVec } from "../../verifier/engine/fr.js";
import { MAX_LOG_SIZE } from "../poly/index.js";
import { CircuitError } from "../../verifier/plonkish/errors.js";
import { Domain } from "../poly/index.js";
import { FIXED, FREIVALDS_SELECTORS, NUM_FIXED, PERMUTATION_SHIFTS, PERMUTATION_SIGMAS, WEIGHT_SLOTS } from "../../verifier/plonkish/layout.js";

import { MIN_LOG_ROWS, rowCount } from "../../verifier/plonkish/layout.js";
import { checkRuns, type ConvRun } from "./conv-run.js";

export { MIN_LOG_ROWS, rowCount };

export interface CircuitTable {
  logRows: number;
  publicInputCount: number;
  /** NUM_FIXED columns of n values each (layout order). */
  fixed: FrVec[];
  /** The K weight columns W_0 … W_(K−1) (n values each), private to the model owner. */
  weights: FrVec[];
  /**
   * The convolution runs the table lays out (docs/protocol.md §3.8 rule 6): setup recomputes each
   * one's rows and exponents from its geometry. The public circuit file and pk.bin carry them
   * (run-bytes.ts), so check-circuit and check-key recompute them too; check-circuit still refuses a
   * table with runs, as nothing checks a run against its ONNX node yet.
   */
  runs?: readonly ConvRun[];
}

/** The public part of a table: everything but the weights (what the public circuit file holds). */
export type FixedTable = Omit<CircuitTable, "weights">;

/** What a prover supplies per proof: the wire columns a, b, c and the public inputs. */
export interface Witness {
  a: FrVec;
  b: FrVec;
  c: FrVec;
  publicInputs: readonly bigint[];
}

/**
 * A column's values in standard form, converted in one WebAssembly pass: reading a cell is then a
 * few word reads instead of a bigint Montgomery reduction (most of a second for the checks below
 * at 2^16 rows).
 */
export class StandardColumn {
  private readonly words: Uint32Array;

  private constructor(private readonly limbs: BigUint64Array) {
    this.words = new Uint32Array(limbs.buffer, limbs.byteOffset, limbs.length * 2);
  }

  static async of(v: FrVec): Promise<StandardColumn> {
    const bytes = await frToStandardLE(v);
    return new StandardColumn(new BigUint64Array(bytes.buffer, bytes.byteOffset, bytes.length / 8));
  }

  /** The low 53 bits of the value at `row`, as a number: a cheap hash key (values may share one). */
  low53(row: number): number {
    return this.words[8 * row] + (this.words[8 * row + 1] & 0x1fffff) * 2 ** 32;
  }

  /** Whether the value at `row` equals the value at `otherRow` of `other`. */
  same(row: number, other: StandardColumn, otherRow: number): boolean {
    for (let i = 0; i < 8; i++) if (this.words[8 * row + i] !== other.words[8 * otherRow + i]) return false;
    return true;
  }

  /** Whether the value at `row` is below 2^bits (bits ≤ 256), read as 32-bit words (no bigints). */
  below(row: number, bits: number): boolean {
    const w = this.words;
    const o = 8 * row;
    for (let i = Math.ceil(bits / 32); i < 8; i++) if (w[o + i] !== 0) return false;
    return bits % 32 === 0 || w[o + Math.floor(bits / 32)] < 2 ** (bits % 32);
  }

  /** Whether the value at `row` is x, for a whole number x < 2^32. */
  is(row: number, x: number): boolean {
    return this.words[8 * row] === x && this.below(row, 32);
  }

  value(row: number): bigint {
    const l = this.limbs;
    const o = 4 * row;
    return l[o] | (l[o + 1] << 64n) | (l[o + 2] << 128n) | (l[o + 3] << 192n);
  }

  /** The value at `row` as a number when it is a safe integer, else as a bigint: one map key per value. */
  key(row: number): number | bigint {
    return this.below(row, 53) ? this.low53(row) : this.value(row);
  }
}

function checkColumn(v: FrVec, n: number, what: string): void {
  const len = frLength(v, what);
  if (len !== n) throw new CircuitError(`${what} has ${len} values but the table has ${n} rows`);
}

const TAG_BITS = 32;

/** The key a value is looked up by: its low 53 bits (tests pass a colliding key to reach the fallback). */
type CellKey = (column: StandardColumn, row: number) => number;

/**
 * σ must map the 3n cells bijectively onto the cell ids k_w·ω^i (docs/protocol.md §3.8 rule 3).
 * Returns, for each cell w·n + i, the cell c = w′·n + j whose id σ_w(ω^i) is.
 */
export async function checkPermutation(table: FixedTable, n: number, keyOf: CellKey = (column, row) => column.low53(row)): Promise<Uint32Array> {
  const powers = await frPowers(Domain.create(table.logRows).omega, n);
  const ids = await Promise.all(PERMUTATION_SHIFTS.map(async (k) => StandardColumn.of(await frScale(powers, k))));
  // Cell c = w·n + i by the low 53 bits of its id (bigint sets took most of a second at 2^16 rows);
  // if two ids share them, which is unlikely, fall back to whole values.
  const cellOf = new Map<number, number>();
  for (let c = 0; c < 3 * n; c++) {
    const key = keyOf(ids[Math.floor(c / n)], c % n);
    if (cellOf.has(key)) return checkPermutationByValue(table, ids, n);
    cellOf.set(key, c);
  }
  const seen = new Uint8Array(3 * n);
  const target = new Uint32Array(3 * n);
  for (const [w, col] of PERMUTATION_SIGMAS.entries()) {
    const sigma = await StandardColumn.of(table.fixed[col]);
    for (let row = 0; row < n; row++) {
      const c = cellOf.get(keyOf(sigma, row));
      if (c === undefined || !sigma.same(row, ids[Math.floor(c / n)], c % n)) throw notCellId(w, row);
      if (seen[c]) throw appearsTwice(w, row);
      seen[c] = 1;
      target[w * n + row] = c;
    }
  }
  return target;
}

async function checkPermutationByValue(table: FixedTable, ids: StandardColumn[], n: number): Promise<Uint32Array> {
  const cellOf = new Map<bigint, number>();
  ids.forEach((column, w) => {
    for (let i = 0; i < n; i++) cellOf.set(column.value(i), w * n + i);
  });
  const seen = new Uint8Array(3 * n);
  const target = new Uint32Array(3 * n);
  for (const [w, col] of PERMUTATION_SIGMAS.entries()) {
    const sigma = await StandardColumn.of(table.fixed[col]);
    for (let row = 0; row < n; row++) {
      const c = cellOf.get(sigma.value(row));
      if (c === undefined) throw notCellId(w, row);
      if (seen[c]) throw appearsTwice(w, row);
      seen[c] = 1;
      target[w * n + row] = c;
    }
  }
  return target;
}

const notCellId = (w: number, row: number) => new CircuitError(`σ of wire ${"abc"[w]} at row ${row} is not a cell id`);
const appearsTwice = (w: number, row: number) => new CircuitError(`σ is not a permutation: cell id at wire ${"abc"[w]}, row ${row} appears twice`);

/** q_lk and t_tag are small integers, and unused table rows are all zero (§3.8 rule 5). */
async function checkLookups(table: FixedTable, n: number): Promise<void> {
  const [qlk, tin, tout, ttag] = await Promise.all([FIXED.qLK, FIXED.tIn, FIXED.tOut, FIXED.tTag].map((c) => StandardColumn.of(table.fixed[c])));
  for (let row = 0; row < n; row++) {
    if (!qlk.below(row, TAG_BITS)) throw new CircuitError(`q_lk at row ${row} is ${qlk.value(row)}; table ids must be below 2^32`);
    if (!ttag.below(row, TAG_BITS)) throw new CircuitError(`t_tag at row ${row} is ${ttag.value(row)}; table ids must be below 2^32`);
    if (ttag.is(row, 0) && !(tin.is(row, 0) && tout.is(row, 0))) throw new CircuitError(`table row ${row} has entries but no table id (t_tag = 0)`);
  }
}

/**
 * Every weight column must be 0 outside the weight rows (q_fwt = 1), or no proof could satisfy G5
 * and G6; and a weight in slot t of weight row (i_b, j) needs a Y row of output index (i_b, t). Without
 * one, R5 would require Σ_j W_((i_b,t),j)·X_jp = 0 for every p: a private condition on the inputs that
 * the public circuit does not show (completeness only; docs/protocol.md §3.8, §7.4).
 */
async function checkWeightColumns(table: CircuitTable, n: number): Promise<void> {
  const [qfwt, qfy, ida, idc] = await Promise.all([FIXED.qFWT, FIXED.qFY, FIXED.idA, FIXED.idC].map((c) => StandardColumn.of(table.fixed[c])));
  const outputs = new Set<string>();
  for (let row = 0; row < n; row++) if (qfy.is(row, 1)) outputs.add(`${ida.key(row)}:${idc.key(row)}`);
  for (const [t, column] of table.weights.entries()) {
    const weights = await StandardColumn.of(column);
    for (let row = 0; row < n; row++) {
      if (weights.is(row, 0)) continue;
      if (!qfwt.is(row, 1)) {
        throw new CircuitError(`weight column ${t} is nonzero at row ${row}, which is not a weight row (q_fwt = 1): a private value there would be hidden computation`);
      }
      if (!outputs.has(`${ida.key(row)}:${t}`)) {
        throw new CircuitError(`weight column ${t} is nonzero at weight row ${row}, but no Y row has its output index (${ida.key(row)}, slot ${t}): the weight would be a hidden condition on the inputs`);
      }
    }
  }
}

/**
 * Checks the shape and the structural rules the soundness argument relies on (docs/protocol.md
 * §3.8), and that the weight column is 0 outside the weight rows. The Freivalds index rules are
 * checked where setup pairs W/X rows with UV rows (freivaldsTargets).
 */
export async function validateTable(table: CircuitTable): Promise<void> {
  await validateFixedColumns(table);
  if (table.weights.length !== WEIGHT_SLOTS) throw new CircuitError(`expected ${WEIGHT_SLOTS} weight columns, got ${table.weights.length}`);
  table.weights.forEach((col, t) => checkColumn(col, rowCount(table), `weight column ${t}`));
  await checkWeightColumns(table, rowCount(table));
}

/**
 * The checks of validateTable that need no weights (docs/protocol.md §3.8): sizes, public-input
 * rows, id_c only on Y rows, σ a permutation (returned as checkPermutation's cell map), Freivalds selectors
 * boolean and exclusive, lookup ids small, exponent steps 0, 1 or 2 ending every run with a reset, and
 * every product flat (all its W, X and Y rows at exponent 0) or one of the table's declared
 * convolution runs, recomputed from its geometry (checkRuns). Anyone holding the public circuit file
 * (which carries the runs) can make them.
 */
export async function validateFixedColumns(table: FixedTable): Promise<Uint32Array> {
  const { logRows, publicInputCount } = table;
  if (!Number.isInteger(logRows) || logRows < MIN_LOG_ROWS || logRows > MAX_LOG_SIZE - 2) {
    throw new CircuitError(`the table needs 2^k rows with ${MIN_LOG_ROWS} ≤ k ≤ ${MAX_LOG_SIZE - 2}, got k = ${logRows}`);
  }
  const n = rowCount(table);
  if (!Number.isSafeInteger(publicInputCount) || publicInputCount < 0 || publicInputCount > n) {
    throw new CircuitError(`public input count ${publicInputCount} does not fit ${n} rows`);
  }
  if (table.fixed.length !== NUM_FIXED) throw new CircuitError(`expected ${NUM_FIXED} fixed columns, got ${table.fixed.length}`);
  table.fixed.forEach((col, i) => checkColumn(col, n, `fixed column ${i}`));

  const sel = await Promise.all(FREIVALDS_SELECTORS.map(async ([name, col]) => [name, await StandardColumn.of(table.fixed[col])] as const));
  for (let row = 0; row < n; row++) {
    let set = 0;
    for (const [name, values] of sel) {
      if (!values.below(row, 1)) throw new CircuitError(`selector ${name} is ${values.value(row)} at row ${row}; it must be 0 or 1`);
      if (values.is(row, 1)) set++;
    }
    if (set > 1) throw new CircuitError(`row ${row} has more than one Freivalds selector set`);
  }
  const arith = await Promise.all([FIXED.qM, FIXED.qL, FIXED.qR, FIXED.qO, FIXED.qC, FIXED.qN].map(async (col) => [col, await StandardColumn.of(table.fixed[col])] as const));
  for (let row = 0; row < publicInputCount; row++) {
    for (const [col, values] of arith) {
      if (!values.is(row, col === FIXED.qL ? 1 : 0)) throw new CircuitError(`public-input row ${row} must be a plain "a = x" row (q_l = 1, other arithmetic selectors 0)`);
    }
  }
  // id_c = 0 outside Y rows (gate G7 states it too; setup refuses a key that would fail it).
  const [qfy, idc] = await Promise.all([StandardColumn.of(table.fixed[FIXED.qFY]), StandardColumn.of(table.fixed[FIXED.idC])]);
  for (let row = 0; row < n; row++) {
    if (!qfy.is(row, 1) && !idc.is(row, 0)) throw new CircuitError(`id_c is ${idc.value(row)} at row ${row}, which is not a Y row (q_fy = 1); a slot belongs to Y rows only`);
  }
  const permutation = await checkPermutation(table, n);
  await checkLookups(table, n);
  const exponents = exponentsOf(await StandardColumn.of(table.fixed[FIXED.s]), n);
  // The product rule (docs/protocol.md §3.8 rule 6): a product is flat (every W, X and Y row at
  // exponent 0) or a declared convolution run, recomputed here from its geometry.
  const columns = await Promise.all(
    [FIXED.qFW, FIXED.qFWT, FIXED.qFX, FIXED.qFY, FIXED.idA, FIXED.idB, FIXED.idC, FIXED.qM, FIXED.qL, FIXED.qR, FIXED.qO, FIXED.qC, FIXED.qN].map((col) => StandardColumn.of(table.fixed[col])),
  );
  const [qfw, qfwt, qfx, qfy2, ida, idb, idc2, qm, ql, qr, qo, qc, qn] = columns;
  checkRuns(n, publicInputCount, table.runs ?? [], exponents, permutation, { qfw, qfwt, qfx, qfy: qfy2, ida, idb, idc: idc2, arithmetic: [qm, ql, qr, qo, qc, qn] });
  return permutation;
}

/**
 * Every row's exponent from the steps s (docs/protocol.md §3.2): E_0 = 0, then hold (0), + 1 (1) or
 * reset to 0 (2). Throws unless every step is one of those (G15 states it too) and the steps bring
 * the exponent back to 0 after the last row: a run without a reset would leave G14 at the
 * wrap-around demanding ψ^e = 1, so no proof would exist except with probability ≤ n/r (Lemma C1).
 */
export function exponentsOf(steps: StandardColumn, n: number): Int32Array {
  const out = new Int32Array(n);
  let e = 0;
  for (let row = 0; row < n; row++) {
    out[row] = e;
    if (steps.is(row, 1)) e++;
    else if (steps.is(row, 2)) e = 0;
    else if (!steps.is(row, 0)) throw new CircuitError(`the exponent step s is ${steps.value(row)} at row ${row}; it must be 0 (hold), 1 (times ψ) or 2 (reset)`);
  }
  if (e !== 0) throw new CircuitError(`the exponent steps end at exponent ${e} after the last row, not 0: the last run has no reset`);
  return out;
}
