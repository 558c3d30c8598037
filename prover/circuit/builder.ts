// Lays a circuit out in the universal table: rows with selectors, wire values, weights, copy
// constraints (turned into the permutation σ), lookup tables and Freivalds index ranges.
// Blocks (prover/blocks/) build on this; the layout never depends on the witness values, so the
// same build function gives setup its table and the prover its witness.
import { ownKernels } from "../../verifier/engine/bn254.js";
import { FR_BYTES, frVecFromBigints, frVecGeometric, type FrVec } from "../../verifier/engine/fr.js";
import { scalePowers } from "../engine/wasm/index.js";
import { frMod } from "../../verifier/engine/scalar.js";
import { Domain } from "../poly/index.js";
import { CircuitError, layout, MIN_LOG_ROWS, type CircuitTable, type Witness } from "../plonkish/index.js";
import type { ConvRun } from "../plonkish/conv-run.js";
import { FieldColumn } from "./column.js";
import { placeRows, type Placement } from "./placement.js";

const { FIXED, NUM_FIXED, PERMUTATION_SHIFTS, WEIGHT_SLOTS } = layout;

export type WireColumn = 0 | 1 | 2;
export const WIRE = { a: 0, b: 1, c: 2 } as const;

/** A wire cell: column a, b or c at a row. */
export interface Cell {
  col: WireColumn;
  row: number;
}

export type IndexRole = "i" | "j" | "p";

/**
 * Ids handed out by `keyedTable` start here, far above the small ids that callers pick by hand
 * (range tables use 1 + bits), and stay below 2^32 (docs/protocol.md §3.5).
 */
export const KEYED_TABLE_BASE = 1 << 20;

// Columns indexed by table row, not by circuit row: placement never moves them.
const TABLE_COLUMNS: ReadonlySet<number> = new Set([FIXED.tIn, FIXED.tOut, FIXED.tTag]);
// Columns that give a row a Freivalds role; a row setting one of them is never a guest.
const FREIVALDS_COLUMNS = [FIXED.qFW, FIXED.qFWT, FIXED.qFX, FIXED.qFY, FIXED.qFUV, FIXED.idA, FIXED.idB, FIXED.idC];
// Columns of a row's own gates (arithmetic and lookup); a row setting one of them is never a host.
const GATE_COLUMNS = [FIXED.qM, FIXED.qL, FIXED.qR, FIXED.qO, FIXED.qC, FIXED.qN, FIXED.qLK];

export interface BuilderOptions {
  /**
   * Place rows of ordinary gates into the open weight and UV rows (placement.ts) when the table is
   * built, so a product's weight rows also hold Poseidon, range checks and private inputs.
   */
  fillOpenRows?: boolean;
  /** Called each time another 2^14 rows have been allocated (compile checks the heap there). */
  onRows?: (rows: number) => void;
}

export class CircuitBuilder {
  readonly publicInputCount: number;
  #rows = 0;
  // Flat columns (column.ts); a wire cell counts as used once assigned, even to 0.
  #wires: FieldColumn[] = Array.from({ length: 3 }, () => new FieldColumn({ trackPresence: true }));
  #fixed: FieldColumn[] = Array.from({ length: NUM_FIXED }, () => new FieldColumn());
  #weights: FieldColumn[] = Array.from({ length: WEIGHT_SLOTS }, () => new FieldColumn());
  #parent = new Map<number, number>();
  #tableRows = 0;
  #tables = new Map<number, { entries: number; first: number }>();
  #keyedTables = new Map<string, number>();
  #tableKeys = new Map<number, string>();
  #nextIndex: Record<IndexRole, bigint> = { i: 1n, j: 1n, p: 1n };
  #publicValues: bigint[];
  // Open rows: rows whose a and b wires, lookup and arithmetic gate their block left unused (the X
  // and Y rows of a product keep their value in c), in two queues by the order lookupRow hands them
  // out in, each with a cursor past the ones already handed out.
  #open = new Set<number>();
  #openQueues: { rows: number[]; cursor: number }[] = [
    { rows: [], cursor: 0 },
    { rows: [], cursor: 0 },
  ];

  // Convolution runs (docs/protocol.md §3.2, §3.6): [first, end) ranges of rows whose exponent steps
  // s are set; placement neither moves their rows nor hosts guests in them.
  #runs: { first: number; end: number; run?: ConvRun }[] = [];

  readonly #fillOpenRows: boolean;
  readonly #onRows: ((rows: number) => void) | undefined;
  // Bumped by every change the placement depends on, so the placement is computed once per state.
  #version = 0;
  #placed: { version: number; placement: Placement } | undefined;

  constructor(publicInputCount: number, options: BuilderOptions = {}) {
    if (!Number.isSafeInteger(publicInputCount) || publicInputCount < 0) throw new CircuitError("public input count must be a non-negative integer");
    this.publicInputCount = publicInputCount;
    this.#fillOpenRows = options.fillOpenRows ?? false;
    this.#onRows = options.onRows;
    this.#publicValues = new Array<bigint>(publicInputCount).fill(0n);
    for (let i = 0; i < publicInputCount; i++) {
      const row = this.row();
      this.setFixed(row, FIXED.qL, 1n);
    }
  }

  /** Rows allocated so far (logical rows: before placement merges some into open rows). */
  get rows(): number {
    return this.#rows;
  }

  /** Rows of the built table's circuit part: the allocated rows less those placed in open rows. */
  get placedRows(): number {
    return this.#placement().rows;
  }

  /** Allocated rows that placement merges into open weight and UV rows. */
  get hostedRows(): number {
    return this.#placement().hosted;
  }

  /** Where `cell` sits in the built table (its row after placement). */
  placedCell(cell: Cell): Cell {
    return { col: cell.col, row: this.#placement().map[this.cell(cell.col, cell.row).row] };
  }

  /** Allocates a fresh row. */
  row(): number {
    this.#version++;
    if (this.#onRows && (this.#rows & 0x3fff) === 0x3fff) this.#onRows(this.#rows + 1);
    return this.#rows++;
  }

  /**
   * Declares `row`'s a and b wires, lookup and arithmetic gate unused by the block that allocated
   * it, so another block may claim them (claimOpenRows, lookupRow). The caller must set no arithmetic
   * selector there and read nothing of the row but its c (or its Freivalds role). lookupRow hands
   * out "last" rows only when no other open row is left (a product's Y rows, kept for in-place
   * rescales).
   */
  openRow(row: number, order: "first" | "last" = "first"): void {
    if (row < 0 || row >= this.#rows) throw new CircuitError(`row ${row} is not allocated`);
    if (this.#open.has(row)) return;
    this.#open.add(row);
    this.#openQueues[order === "first" ? 0 : 1].rows.push(row);
  }

  /**
   * Takes open rows `row` … `row + count − 1` (their a, b, lookup and arithmetic gate become the
   * caller's) if all of them are open; otherwise takes none and returns false.
   */
  claimOpenRows(row: number, count: number): boolean {
    for (let r = row; r < row + count; r++) if (!this.#open.has(r)) return false;
    for (let r = row; r < row + count; r++) this.#open.delete(r);
    return true;
  }

  /**
   * A row for a one-row lookup that uses only a, b and the lookup (no arithmetic selector, no
   * reading of the next row): the oldest open "first" row, else the oldest "last" one, else a
   * fresh row.
   */
  lookupRow(): number {
    for (const queue of this.#openQueues) {
      while (queue.cursor < queue.rows.length) {
        const row = queue.rows[queue.cursor++];
        if (this.#open.delete(row)) return row;
      }
    }
    return this.row();
  }

  /**
   * Declares rows first … end − 1 one exponent run (a convolution's rows in exponent order, its steps
   * s set on them). s is read between consecutive rows of the built table, so placement keeps every
   * run row where it is relative to the others: none of them is moved into a host, none hosts a
   * guest, and no row inside the range is closed up, so the run stays contiguous with its steps.
   * `run` is the convolution the rows lay out; the built table declares it, for setup to check.
   */
  exponentRun(first: number, end: number, run?: ConvRun): void {
    if (!(first >= 0 && first < end && end <= this.#rows)) throw new CircuitError(`rows ${first} … ${end - 1} are not an allocated range`);
    this.#version++;
    this.#runs.push({ first, end, run });
  }

  cell(col: WireColumn, row: number): Cell {
    if (row < 0 || row >= this.#rows) throw new CircuitError(`row ${row} is not allocated`);
    return { col, row };
  }

  /** The a-cell of public input i (row i), holding x_i. */
  publicInput(i: number): Cell {
    if (i < 0 || i >= this.publicInputCount) throw new CircuitError(`there is no public input ${i}`);
    return { col: 0, row: i };
  }

  /** Sets public input i's value (and its cell's). */
  setPublicInput(i: number, value: bigint): Cell {
    const cell = this.publicInput(i);
    this.#publicValues[i] = frMod(value);
    this.assign(cell, value);
    return cell;
  }

  assign(cell: Cell, value: bigint): void {
    this.#version++;
    this.#wires[cell.col].set(cell.row, value);
  }

  value(cell: Cell): bigint {
    return this.#wires[cell.col].get(cell.row);
  }

  setFixed(row: number, col: number, value: bigint): void {
    this.#version++;
    this.#fixed[col].set(row, value);
  }

  /** The value set in fixed column `col` at `row` (0 if none). */
  fixedValue(row: number, col: number): bigint {
    return this.#fixed[col].get(row);
  }

  /** Weight `value` in slot `slot` (< K) of weight row `row`. */
  setWeight(row: number, slot: number, value: bigint): void {
    if (!Number.isInteger(slot) || slot < 0 || slot >= WEIGHT_SLOTS) throw new CircuitError(`weight slot ${slot} is not below ${WEIGHT_SLOTS}`);
    this.#version++;
    this.#weights[slot].set(row, value);
  }

  /** A copy of `source` placed in column `col` of `row`: assigned its value and copy-constrained to it. */
  copyInto(source: Cell, col: WireColumn, row: number): Cell {
    const cell = this.cell(col, row);
    this.assign(cell, this.value(source));
    this.copy(source, cell);
    return cell;
  }

  /** Constrains two cells to hold the same value. */
  copy(x: Cell, y: Cell): void {
    const a = this.#find(cellKey(x));
    const b = this.#find(cellKey(y));
    this.#version++;
    if (a !== b) this.#parent.set(a, b);
  }

  #find(k: number): number {
    const parent = this.#parent;
    let root = k;
    for (let up = parent.get(root); up !== undefined; up = parent.get(root)) root = up;
    // Path compression keeps long copy chains cheap.
    for (let up = parent.get(k); up !== undefined && up !== root; up = parent.get(k)) {
      parent.set(k, root);
      k = up;
    }
    return root;
  }

  /** `count` consecutive fresh index values of a Freivalds role (unique across the circuit). */
  indices(role: IndexRole, count: number): bigint {
    const first = this.#nextIndex[role];
    this.#nextIndex[role] += BigInt(count);
    return first;
  }

  /**
   * Registers lookup table `id` (≥ 1) with entries (in, out), placed in the table columns; each
   * table is registered once. Returns whether it was new.
   */
  lookupTable(id: number, entries: Iterable<readonly [bigint, bigint]>): boolean {
    if (this.#tableKeys.has(id)) throw new CircuitError(`lookup table id ${id} belongs to the keyed table "${this.#tableKeys.get(id)}"`);
    return this.#register(id, entries);
  }

  /**
   * The id of the table registered under `key` (say "sigmoid|in 2^-8|out 2^-12|[-2048, 2047]"):
   * on first use a fresh id is allocated and `entries()` placed; later uses with the same key
   * share that table. Keys must name everything the entries depend on.
   */
  keyedTable(key: string, entries: () => Iterable<readonly [bigint, bigint]>): number {
    const known = this.#keyedTables.get(key);
    if (known !== undefined) return known;
    const id = KEYED_TABLE_BASE + this.#keyedTables.size;
    if (id >= 2 ** 32) throw new CircuitError("too many lookup tables");
    if (!this.#register(id, entries())) throw new CircuitError(`lookup table id ${id}, due to the keyed table "${key}", was registered by hand`);
    this.#keyedTables.set(key, id);
    this.#tableKeys.set(id, key);
    return id;
  }

  /** Every registered table: id, entry count, first table row, and its key if it has one. */
  get tables(): { id: number; entries: number; first: number; key?: string }[] {
    return [...this.#tables].map(([id, t]) => ({ id, ...t, key: this.#tableKeys.get(id) }));
  }

  #register(id: number, entries: Iterable<readonly [bigint, bigint]>): boolean {
    if (!Number.isSafeInteger(id) || id < 1 || id >= 2 ** 32) throw new CircuitError(`lookup table id ${id} must be an integer in [1, 2^32)`);
    if (this.#tables.has(id)) return false;
    const first = this.#tableRows;
    let count = 0;
    for (const [x, y] of entries) {
      const row = this.#tableRows++;
      this.setFixed(row, FIXED.tIn, x);
      this.setFixed(row, FIXED.tOut, y);
      this.setFixed(row, FIXED.tTag, BigInt(id));
      count++;
    }
    this.#tables.set(id, { entries: count, first });
    return true;
  }

  /** Rows the table needs: every placed row and every lookup-table entry. */
  get requiredRows(): number {
    return Math.max(this.placedRows, this.#tableRows);
  }

  /** The smallest log2 row count that fits this circuit. */
  get minLogRows(): number {
    return Math.max(MIN_LOG_ROWS, Domain.atLeast(this.requiredRows).logSize);
  }

  /** The table for setup and the witness for the prover, on 2^logRows rows (default: the smallest that fits). */
  build(logRows = this.minLogRows): { table: CircuitTable; witness: Witness } {
    if (logRows < this.minLogRows) throw new CircuitError(`the circuit needs 2^${this.minLogRows} rows, not 2^${logRows}`);
    const n = 2 ** logRows;
    const domain = Domain.create(logRows);
    const { map, hosted } = this.#placement();
    // Nothing moved: the rows stay as allocated.
    const moves = hosted === 0 ? undefined : map;
    const fixed: FrVec[] = this.#fixed.map((values, col) => {
      if (col === FIXED.sigmaA || col === FIXED.sigmaB || col === FIXED.sigmaC) return new Uint8Array(0);
      return column(n, values, TABLE_COLUMNS.has(col) ? undefined : moves, `fixed column ${col}`);
    });
    const sigmas = this.#sigmas(n, domain, map);
    fixed[FIXED.sigmaA] = sigmas[0];
    fixed[FIXED.sigmaB] = sigmas[1];
    fixed[FIXED.sigmaC] = sigmas[2];
    const wires = this.#wires.map((values, col) => column(n, values, moves, `wire ${"abc"[col]}`));
    const weights = this.#weights.map((values, t) => column(n, values, moves, `weight slot ${t}`));
    // Every gate that reads the next row must still read the row it read before placement, and no
    // guest may have been put into that row when it is a host (the guest's a would be read instead).
    const shared = new Uint8Array(hosted === 0 ? 0 : n);
    if (hosted > 0) for (const to of map) shared[to]++;
    const isHost = (row: number): boolean => !this.#fixed[FIXED.qFWT].isZero(row) || !this.#fixed[FIXED.qFUV].isZero(row);
    this.#fixed[FIXED.qN].forEachNonZero((row) => {
      if (row + 1 >= this.#rows) return;
      if (map[row + 1] !== map[row] + 1) throw new CircuitError(`placement separated row ${row}, whose gate reads the next row, from row ${row + 1}`);
      if (hosted > 0 && shared[map[row + 1]] > 1 && isHost(row + 1)) throw new CircuitError(`placement put a row into row ${row + 1}, whose a row ${row} reads through q_n`);
    });
    return {
      table: { logRows, publicInputCount: this.publicInputCount, fixed, weights, ...this.#declaredRuns() },
      witness: { a: wires[0], b: wires[1], c: wires[2], publicInputs: [...this.#publicValues] },
    };
  }

  /** The convolution runs the table declares (absent when there are none, as in every table before runs). */
  #declaredRuns(): { runs?: ConvRun[] } {
    const runs = this.#runs.flatMap(({ run }) => (run ? [run] : []));
    return runs.length > 0 ? { runs } : {};
  }

  /** σ: each cell points to the next cell of its copy cycle (itself when uncopied); cells at their placed rows. */
  #sigmas(n: number, domain: Domain, map: Int32Array): FrVec[] {
    // A cell's label is shift_col·ω^row; σ starts as the identity and copies the next member's
    // label word for word, so no label is converted twice.
    const ids = PERMUTATION_SHIFTS.map((k) => labels(k, domain.omega, n));
    const sigma = ids.map((id) => id.slice());
    const cycles = new Map<number, number[]>();
    for (const key of this.#parent.keys()) {
      const root = this.#find(key);
      if (!cycles.has(root)) cycles.set(root, [root]);
      cycles.get(root)!.push(key);
    }
    for (const members of cycles.values()) {
      for (let i = 0; i < members.length; i++) {
        const from = members[i];
        const to = members[(i + 1) % members.length];
        const row = placedRow(map, keyRow(from));
        const toRow = placedRow(map, keyRow(to));
        if (row >= n || toRow >= n) throw new CircuitError(`copied cell at row ${Math.max(row, toRow)} lies outside the table`);
        sigma[keyCol(from)].set(ids[keyCol(to)].subarray(toRow * FR_BYTES, (toRow + 1) * FR_BYTES), row * FR_BYTES);
      }
    }
    return sigma;
  }

  /**
   * Where rows go in the table: with fillOpenRows, guests merge into open weight and UV rows
   * (placement.ts); otherwise every row stays where it was allocated.
   */
  #placement(): Placement {
    if (this.#placed?.version === this.#version) return this.#placed.placement;
    const rows = this.#rows;
    let placement: Placement;
    if (!this.#fillOpenRows) placement = { map: Int32Array.from({ length: rows }, (_, i) => i), rows, hosted: 0 };
    else {
      const role = new Uint8Array(rows); // bit 1: Freivalds role; bit 2: weight or UV row only; bit 4: gates, wires or copies used
      const readsNext = new Uint8Array(rows);
      const mark = (row: number, bit: number): void => {
        if (row < rows) role[row] |= bit;
      };
      const nonZero = (col: FieldColumn, bit: number): void => col.forEachNonZero((row) => mark(row, bit));
      for (const col of FREIVALDS_COLUMNS) nonZero(this.#fixed[col], 1);
      for (const col of [FIXED.qFWT, FIXED.qFUV]) this.#fixed[col].forEachNonZero((row) => this.#fixed[col].isOne(row) && mark(row, 2));
      // Another Freivalds kind, or a slot index, on the same row: not a plain weight or UV row.
      for (const col of [FIXED.qFW, FIXED.qFX, FIXED.qFY, FIXED.idC]) nonZero(this.#fixed[col], 4);
      for (const col of GATE_COLUMNS) nonZero(this.#fixed[col], 4);
      this.#fixed[FIXED.qN].forEachNonZero((row) => {
        if (row < rows) readsNext[row] = 1;
      });
      // Rows of an exponent run, and any row with a step, keep their order and neighbours (the step
      // s_i is read between row i and the next placed row): neither hosts nor guests.
      nonZero(this.#fixed[FIXED.s], 1 | 4);
      for (const { first, end } of this.#runs) for (let row = first; row < end; row++) mark(row, 1 | 4);
      for (const w of this.#weights) nonZero(w, 1);
      for (const w of this.#wires) w.forEachSet((row) => mark(row, 4));
      for (const [k, p] of this.#parent) {
        mark(keyRow(k), 4);
        mark(keyRow(p), 4);
      }
      const first = this.publicInputCount;
      placement = placeRows({
        rows,
        isHost: (row) => row >= first && (role[row] & 6) === 2 && !(row > 0 && readsNext[row - 1] === 1),
        isGuest: (row) => row >= first && (role[row] & 1) === 0,
        readsNext: (row) => readsNext[row] === 1,
      });
    }
    this.#placed = { version: this.#version, placement };
    return placement;
  }
}

// A wire cell's key in the copy forest: row·4 + column, a small integer (V8 keeps it unboxed, so
// the forest's Map lookups stay cheap) for any table below 2^29 rows.
const cellKey = (cell: Cell): number => cell.row * 4 + cell.col;
const keyRow = (key: number): number => Math.floor(key / 4);
const keyCol = (key: number): number => key % 4;

/** k·ω^i for i < n, a column's cell labels: in one kernel pass (a bigint product each without our kernels). */
function labels(k: bigint, omega: bigint, n: number): FrVec {
  if (!ownKernels()) return frVecGeometric(k, omega, n);
  const v = new Uint8Array(n * FR_BYTES);
  v.set(frVecFromBigints([k]));
  for (let filled = FR_BYTES; filled < v.length; filled *= 2) v.copyWithin(filled, 0, Math.min(filled, v.length - filled));
  return scalePowers(v, omega);
}

/** The placed row of `row`; a row past the allocated ones (never a guest or a host) keeps its number. */
const placedRow = (map: Int32Array, row: number): number => (row < map.length ? map[row] : row);

/**
 * A column of n rows with each non-zero value at its placed row (`map`; absent: where it was set).
 * Two non-zero values meeting in one row is a layout bug.
 */
function column(n: number, values: FieldColumn, map: Int32Array | undefined, what: string): FrVec {
  const outside = (to: number): never => {
    throw new CircuitError(`a value at row ${to} lies outside the table of ${n} rows`);
  };
  if (!map) return values.toFrVec(n, (row) => (row < n ? row : outside(row)));
  const taken = new Uint8Array(n);
  return values.toFrVec(n, (row) => {
    const to = placedRow(map, row);
    if (to >= n) outside(to);
    if (taken[to] === 1) throw new CircuitError(`placement put two values of ${what} in row ${to}`);
    taken[to] = 1;
    return to;
  });
}
