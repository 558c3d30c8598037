// The circuit table a builder hands to setup: the fixed columns' values on H, the private weight
// column, and how many public inputs occupy the first rows.
import { FR_BYTES, frLength, frVecToBigints, type FrVec } from "../engine/fr.js";
import { MAX_LOG_SIZE } from "../poly/index.js";
import { CircuitError } from "./errors.js";
import { Domain } from "../poly/index.js";
import { R } from "../engine/bn254.js";
import { FIXED, NUM_FIXED, PERMUTATION_SHIFTS, PERMUTATION_SIGMAS } from "./layout.js";

/** Smallest table: 2^4 rows, so that the quotient's degree 3n + 8 stays below the 4n coset. */
export const MIN_LOG_ROWS = 4;

export interface CircuitTable {
  logRows: number;
  publicInputCount: number;
  /** NUM_FIXED columns of n values each (layout order). */
  fixed: FrVec[];
  /** The weight column W (n values), private to the model owner. */
  weights: FrVec;
}

/** What a prover supplies per proof: the wire columns a, b, c and the public inputs. */
export interface Witness {
  a: FrVec;
  b: FrVec;
  c: FrVec;
  publicInputs: readonly bigint[];
}

export function rowCount(table: { logRows: number }): number {
  return 2 ** table.logRows;
}

function checkColumn(v: FrVec, n: number, what: string): void {
  const len = frLength(v, what);
  if (len !== n) throw new CircuitError(`${what} has ${len} values but the table has ${n} rows`);
}

const BOOLEAN_SELECTORS: readonly [string, number][] = [
  ["q_fw", FIXED.qFW],
  ["q_fx", FIXED.qFX],
  ["q_fy", FIXED.qFY],
  ["q_fuv", FIXED.qFUV],
];

const TAG_LIMIT = 1n << 32n;

/** σ must map the 3n cells bijectively onto the cell ids k_w·ω^i (docs/protocol.md §3.8 rule 3). */
function checkPermutation(table: CircuitTable, n: number): void {
  const domain = Domain.create(table.logRows);
  const ids = new Set<bigint>();
  for (const k of PERMUTATION_SHIFTS) for (let i = 0, w = 1n; i < n; i++, w = (w * domain.omega) % R) ids.add((k * w) % R);
  const seen = new Set<bigint>();
  for (const [w, col] of PERMUTATION_SIGMAS.entries()) {
    frVecToBigints(table.fixed[col]).forEach((v, row) => {
      if (!ids.has(v)) throw new CircuitError(`σ of wire ${"abc"[w]} at row ${row} is not a cell id`);
      if (seen.has(v)) throw new CircuitError(`σ is not a permutation: cell id at wire ${"abc"[w]}, row ${row} appears twice`);
      seen.add(v);
    });
  }
}

/** q_lk and t_tag are small integers, and unused table rows are all zero (§3.8 rule 5). */
function checkLookups(table: CircuitTable, n: number): void {
  const [qlk, tin, tout, ttag] = [FIXED.qLK, FIXED.tIn, FIXED.tOut, FIXED.tTag].map((c) => frVecToBigints(table.fixed[c]));
  for (let row = 0; row < n; row++) {
    if (qlk[row] >= TAG_LIMIT) throw new CircuitError(`q_lk at row ${row} is ${qlk[row]}; table ids must be below 2^32`);
    if (ttag[row] >= TAG_LIMIT) throw new CircuitError(`t_tag at row ${row} is ${ttag[row]}; table ids must be below 2^32`);
    if (ttag[row] === 0n && (tin[row] !== 0n || tout[row] !== 0n)) throw new CircuitError(`table row ${row} has entries but no table id (t_tag = 0)`);
  }
}

/**
 * Checks the shape and the structural rules the soundness argument relies on (docs/protocol.md
 * §3.8): sizes, public-input rows, σ a permutation, Freivalds selectors boolean and exclusive,
 * lookup ids small. The Freivalds index rules are checked where setup pairs W/X rows with UV rows.
 */
export function validateTable(table: CircuitTable): void {
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
  checkColumn(table.weights, n, "the weight column");

  const sel = BOOLEAN_SELECTORS.map(([name, col]) => [name, frVecToBigints(table.fixed[col])] as const);
  for (let row = 0; row < n; row++) {
    let set = 0;
    for (const [name, values] of sel) {
      const v = values[row];
      if (v !== 0n && v !== 1n) throw new CircuitError(`selector ${name} is ${v} at row ${row}; it must be 0 or 1`);
      set += Number(v);
    }
    if (set > 1) throw new CircuitError(`row ${row} has more than one Freivalds selector set`);
  }
  const arith = [FIXED.qM, FIXED.qL, FIXED.qR, FIXED.qO, FIXED.qC, FIXED.qN];
  for (let row = 0; row < publicInputCount; row++) {
    for (const col of arith) {
      const want = col === FIXED.qL ? 1n : 0n;
      const got = frVecToBigints(table.fixed[col].subarray(row * FR_BYTES, (row + 1) * FR_BYTES))[0];
      if (got !== want) throw new CircuitError(`public-input row ${row} must be a plain "a = x" row (q_l = 1, other arithmetic selectors 0)`);
    }
  }
  checkPermutation(table, n);
  checkLookups(table, n);
}
