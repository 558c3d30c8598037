// The lowering context: the circuit being built, the quantized tensors produced so far, and the
// few fixed-point steps every op lowering shares (signed range checks, rescale with rounding,
// (x, f(x)) lookups, private constants). Rows are attributed to the innermost block that made
// them, so `zkinfer info` can show rows per block kind and per node.
import { R } from "../engine/bn254.js";
import { arithmeticRow, linear, mul } from "../blocks/arithmetic.js";
import { constantCell } from "../blocks/cells.js";
import { matmul } from "../blocks/matmul.js";
import { linearCombination } from "../blocks/sum.js";
import { WIRE, type Cell, type CircuitBuilder } from "../circuit/builder.js";
import { layout } from "../plonkish/index.js";
import { dequantizeValue, quantizeValue } from "../quantize/fixed-point.js";
import { activationScaleFor, bitsAt, weightScaleFor, type QuantTarget } from "../quantize/targets.js";
import { CompileError, QuantRangeError } from "./errors.js";
import type { ConstTensor, GraphNode, ModelGraph } from "./graph.js";

const { FIXED } = layout;

/** A quantized tensor: row-major cells holding round(x·2^scale) as field elements. */
export interface QTensor {
  dims: number[];
  cells: Cell[];
  scale: number;
}

export interface TableInfo {
  id: number;
  kind: string;
  entries: number;
  /** Input domain [lo, hi] of the table (integers). */
  lo: number;
  hi: number;
}

/** Widest limb of a rescale remainder (wider remainders are split). */
const LIMB_BITS = 12;
/** Signed range tables have ids SIGNED_TABLE_BASE + bits; function tables count up from FUNCTION_TABLE_BASE. */
const SIGNED_TABLE_BASE = 200;
const FUNCTION_TABLE_BASE = 1000;

export class LoweringContext {
  readonly b: CircuitBuilder;
  readonly graph: ModelGraph;
  readonly target: QuantTarget;
  /** Calibrated max |x| of every value. */
  readonly ranges: Readonly<Record<string, number>>;
  readonly tensors = new Map<string, QTensor>();
  readonly blockRows = new Map<string, number>();
  readonly tables = new Map<string, TableInfo>();
  node: GraphNode | undefined;
  #nextTable = FUNCTION_TABLE_BASE;
  #stack: { kind: string; start: number; inner: number }[] = [];
  #constCache = new Map<string, QTensor>();
  /** relu(y) cells that range-check rows already hold, by y's cell. */
  #reluOf = new Map<string, { bits: number; cell: Cell }>();

  constructor(b: CircuitBuilder, graph: ModelGraph, ranges: Readonly<Record<string, number>>, target: QuantTarget) {
    this.b = b;
    this.graph = graph;
    this.ranges = ranges;
    this.target = target;
  }

  get nodeName(): string {
    return this.node?.name ?? "(model input)";
  }

  /** Runs `fn`, attributing the rows it allocates (minus nested blocks') to `kind`. */
  block<T>(kind: string, fn: () => T): T {
    const frame = { kind, start: this.b.rows, inner: 0 };
    this.#stack.push(frame);
    try {
      return fn();
    } finally {
      this.#stack.pop();
      const total = this.b.rows - frame.start;
      this.blockRows.set(kind, (this.blockRows.get(kind) ?? 0) + total - frame.inner);
      const parent = this.#stack[this.#stack.length - 1];
      if (parent) parent.inner += total;
    }
  }

  // ---- values ------------------------------------------------------------------------------

  maxAbs(name: string): number {
    const m = this.ranges[name];
    if (m === undefined) throw new CompileError(`no calibrated range for value "${name}"`);
    return m;
  }

  isConst(name: string): boolean {
    return this.graph.constants.has(name);
  }

  constant(name: string): ConstTensor {
    const c = this.graph.constants.get(name);
    if (!c) throw new CompileError(`node ${this.nodeName}: input "${name}" is not a constant`);
    return c;
  }

  tensor(name: string): QTensor {
    const t = this.tensors.get(name);
    if (t) return t;
    if (this.isConst(name)) return this.privateConstant(name);
    throw new CompileError(`node ${this.nodeName}: value "${name}" has not been computed`);
  }

  /** Input i of the current node as a quantized tensor (constants become private cells). */
  input(i: number): QTensor {
    return this.tensor(this.node!.inputs[i]);
  }

  setOutput(i: number, t: QTensor): void {
    this.tensors.set(this.node!.outputs[i], t);
  }

  /** The planned scale of a value: the target's activation scale, lowered until it fits the widest table. */
  scaleFor(name: string): number {
    const v = this.graph.values.get(name);
    if (v?.integer) return 0;
    return activationScaleFor(this.maxAbs(name), this.target);
  }

  /**
   * The scale of a weight tensor of magnitude `maxW` multiplying activations at `xScale` into value
   * `outName`: the weights' own scale, lowered so that the product's rescale to the output's scale
   * stays within one remainder limb (two rows per element).
   */
  productWeightScale(maxW: number, xScale: number, outName: string): number {
    return Math.min(weightScaleFor(maxW, this.target), LIMB_BITS + this.scaleFor(outName) - xScale);
  }

  /** Signed bits of value `name`'s range at `scale` (calibrated magnitude × margin). */
  bitsFor(name: string, scale: number): number {
    return bitsAt(this.maxAbs(name), scale, this.target);
  }

  signed(cell: Cell): bigint {
    const v = this.b.value(cell);
    return v > R / 2n ? v - R : v;
  }

  // ---- cells -------------------------------------------------------------------------------

  constantCell(v: bigint): Cell {
    return constantCell(this.b, v);
  }

  /**
   * Private constants as wire cells: the m×1 weight matrix of the values times a 1×1 constant
   * one (m weight rows + 1 + m + 1 rows), so they stay in the hiding weight column.
   */
  privateValues(values: readonly bigint[]): Cell[] {
    if (values.length === 0) return [];
    return this.block("private constants", () => {
      const y = matmul(this.b, values.map((v) => [v]), [[this.constantCell(1n)]]);
      return y.map((row) => row[0]);
    });
  }

  /** A constant tensor of the graph as private cells at its natural scale (0 for integers). */
  privateConstant(name: string, scale?: number): QTensor {
    const c = this.constant(name);
    let maxAbs = 0;
    for (const v of c.data) maxAbs = Math.max(maxAbs, Math.abs(v));
    const s = scale ?? (c.integer ? 0 : weightScaleFor(maxAbs, this.target));
    const key = `${name}@${s}`;
    const known = this.#constCache.get(key);
    if (known) return known;
    const t = { dims: c.dims, cells: this.privateValues(Array.from(c.data, (v) => quantizeValue(v, s))), scale: s };
    this.#constCache.set(key, t);
    return t;
  }

  /** s·x + t·y + k per element pair. */
  linear(x: Cell, y: Cell, s: bigint, t: bigint, k = 0n): Cell {
    return linear(this.b, x, y, s, t, k);
  }

  mul(x: Cell, y: Cell): Cell {
    return mul(this.b, x, y);
  }

  /** c·x for a public constant c (a structural constant: a power of two, a count). */
  scaleCell(x: Cell, c: bigint): Cell {
    return linear(this.b, x, x, c, 0n);
  }

  // ---- range checks, rescale, lookups --------------------------------------------------------

  #rangeError(cell: Cell, lo: bigint, hi: bigint, what: string, scale?: number): never {
    const v = this.signed(cell);
    const real = scale === undefined ? "" : ` (≈ ${dequantizeValue(v, scale)})`;
    const domain = scale === undefined ? `[${lo}, ${hi}]` : `[${lo}, ${hi}] (≈ ±${dequantizeValue(hi, scale)} at scale 2^${scale})`;
    throw new QuantRangeError(
      this.nodeName,
      `${what} = ${v}${real} is outside the range ${domain} calibrated at compile time; compile again with calibration data that covers this input`,
    );
  }

  #signedTable(bits: number): number {
    if (bits > this.target.maxTableBits + 1) throw new CompileError(`node ${this.nodeName}: a ${bits}-bit range table is wider than the target allows`);
    const id = SIGNED_TABLE_BASE + bits;
    const half = 1n << BigInt(bits - 1);
    if (this.b.lookupTable(id, signedEntries(half))) {
      this.tables.set(`range${bits}`, { id, kind: `signed range / relu ${bits} bits`, entries: Number(2n * half), lo: -Number(half), hi: Number(half) - 1 });
    }
    return id;
  }

  /** One lookup row: (a, b) = (x, y) must be an entry of table `id`. */
  #lookupRow(id: number, x: Cell, y: bigint): Cell {
    const row = this.b.row();
    this.b.setFixed(row, FIXED.qLK, BigInt(id));
    this.b.copyInto(x, WIRE.a, row);
    const out = this.b.cell(WIRE.b, row);
    this.b.assign(out, y);
    return out;
  }

  /** −2^(bits−1) ≤ x < 2^(bits−1) for every cell (one lookup row each). */
  rangeCheck(cells: readonly Cell[], bits: number, what: string, scale?: number): void {
    this.block("range check", () => {
      const id = this.#signedTable(bits);
      const half = 1n << BigInt(bits - 1);
      for (const c of cells) {
        const v = this.signed(c);
        if (v < -half || v >= half) this.#rangeError(c, -half, half - 1n, what, scale);
        this.#lookupRow(id, c, relu(v));
      }
    });
  }

  /** y = relu(x) elementwise through the signed range table of `bits` (which also range-checks x). */
  relu(cells: readonly Cell[], bits: number, what: string, scale?: number): Cell[] {
    return this.block("relu", () => {
      const id = this.#signedTable(bits);
      const half = 1n << BigInt(bits - 1);
      return cells.map((c) => {
        // A rescale output already carries relu(y) in its range-check row.
        const known = this.#reluOf.get(cellKey(c));
        if (known && known.bits === bits) return known.cell;
        const v = this.signed(c);
        if (v < -half || v >= half) this.#rangeError(c, -half, half - 1n, what, scale);
        return this.#lookupRow(id, c, relu(v));
      });
    });
  }

  /** A fresh lookup row holding `value` in a (no copy): a witness cell proved to lie in table `id`. */
  #lookupValue(id: number, value: bigint, out: bigint): Cell {
    const row = this.b.row();
    this.b.setFixed(row, FIXED.qLK, BigInt(id));
    const a = this.b.cell(WIRE.a, row);
    this.b.assign(a, value);
    this.b.assign(this.b.cell(WIRE.b, row), out);
    return a;
  }

  /**
   * y = round(x / 2^k) (halves up) with −2^(outBits−1) ≤ y < 2^(outBits−1): x = 2^k·y + r with
   * −2^(k−1) ≤ r < 2^(k−1), r looked up in the signed table of k bits and y in the output's table;
   * the two ranges make the decomposition unique. For k ≤ LIMB_BITS two rows per element (r's
   * lookup row carries the gate, y sits in the next row's a, whose b = relu(y) a following ReLU
   * reuses); wider remainders are a signed top limb and shifted lower limbs.
   */
  rescale(cells: readonly Cell[], k: number, outBits: number, what: string, outScale?: number): Cell[] {
    if (k <= 0) throw new CompileError(`rescale by 2^${k}`);
    return this.block("rescale", () => {
      const out: Cell[] = [];
      const lower = Math.max(0, Math.ceil(k / LIMB_BITS) - 1);
      const topBits = k - lower * LIMB_BITS;
      const lowHalf = 1n << BigInt(LIMB_BITS - 1);
      // r = t·2^(L·lower) + Σ (s_i + 2^(L−1))·2^(L·i): the shifts add up to a public constant.
      let shiftSum = 0n;
      for (let i = 0; i < lower; i++) shiftSum += lowHalf << BigInt(LIMB_BITS * i);
      const half = 1n << BigInt(k - 1);
      const pow = 1n << BigInt(k);
      const topId = this.#signedTable(topBits);
      const lowId = lower > 0 ? this.#signedTable(LIMB_BITS) : 0;
      const outId = this.#signedTable(outBits);
      const outHalf = 1n << BigInt(outBits - 1);
      const wide: Cell[] = [];
      for (const x of cells) {
        const xv = this.signed(x);
        const num = xv + half;
        const y = num >= 0n ? num / pow : -((-num + pow - 1n) / pow);
        const r = xv - y * pow;
        if (lower === 0) {
          // Two rows: (r, relu(r)) looked up in the k-bit table with the gate r − x + 2^k·y' = 0,
          // where y' is the next row's a: (y, relu(y)) looked up in the output's table.
          if (y < -outHalf || y >= outHalf) this.#rangeError(x, -outHalf * pow, outHalf * pow - 1n, what, outScale === undefined ? undefined : outScale + k);
          const row = this.b.row();
          this.b.setFixed(row, FIXED.qLK, BigInt(topId));
          this.b.setFixed(row, FIXED.qL, 1n);
          this.b.setFixed(row, FIXED.qO, R - 1n);
          this.b.setFixed(row, FIXED.qN, pow);
          this.b.assign(this.b.cell(WIRE.a, row), r);
          this.b.assign(this.b.cell(WIRE.b, row), relu(r));
          this.b.copyInto(x, WIRE.c, row);
          const yRow = this.b.row();
          this.b.setFixed(yRow, FIXED.qLK, BigInt(outId));
          const yc = this.b.cell(WIRE.a, yRow);
          this.b.assign(yc, y);
          const rc = this.b.cell(WIRE.b, yRow);
          this.b.assign(rc, relu(y));
          this.#reluOf.set(cellKey(yc), { bits: outBits, cell: rc });
          out.push(yc);
          continue;
        }
        const terms: [Cell, bigint][] = [];
        const base = r + half; // in [0, 2^k)
        for (let i = 0; i < lower; i++) {
          const u = (base >> BigInt(LIMB_BITS * i)) & ((1n << BigInt(LIMB_BITS)) - 1n);
          const sv = u - lowHalf;
          terms.push([this.#lookupValue(lowId, sv, relu(sv)), 1n << BigInt(LIMB_BITS * i)]);
        }
        const tv = (base >> BigInt(LIMB_BITS * lower)) - (1n << BigInt(topBits - 1));
        terms.push([this.#lookupValue(topId, tv, relu(tv)), 1n << BigInt(LIMB_BITS * lower)]);
        // Σ terms = r + half − shiftSum − 2^(k−1) = r − shiftSum
        const rCell = linearCombination(this.b, terms, shiftSum);
        // 2^k·y + r − x = 0
        const row = arithmeticRow(this.b, { ql: pow, qr: 1n, qo: R - 1n }, { a: y, b: r, c: this.b.value(x) });
        this.b.copy(rCell, row.b);
        this.b.copy(x, row.c);
        wide.push(row.a);
        out.push(row.a);
      }
      this.rangeCheck(wide, outBits, what, outScale);
      return out;
    });
  }

  /** The tensor at `scale` (rescaled down with rounding, or multiplied up exactly), bounded by value `name`'s range. */
  toScale(t: QTensor, scale: number, name: string): QTensor {
    if (t.scale === scale) return t;
    if (t.scale > scale) {
      const cells = this.rescale(t.cells, t.scale - scale, this.bitsFor(name, scale), `value ${name}`, scale);
      return { dims: t.dims, cells, scale };
    }
    const f = 1n << BigInt(scale - t.scale);
    return this.block("scale", () => ({ dims: t.dims, cells: t.cells.map((c) => this.scaleCell(c, f)), scale }));
  }

  /**
   * A tensor whose range (value `name`'s, at its scale) fits the widest table: rescaled down
   * first if it does not. Returns the tensor and its signed bits.
   */
  forLookup(t: QTensor, name: string): { t: QTensor; bits: number } {
    let bits = this.bitsFor(name, t.scale);
    if (bits <= this.target.maxTableBits) return { t, bits };
    const s = activationScaleFor(this.maxAbs(name), this.target, t.scale, this.target.maxTableBits);
    const r = this.toScale(t, s, name);
    bits = this.bitsFor(name, s);
    return { t: r, bits };
  }

  /**
   * y = f(x) elementwise by a lookup into the table {(q, F(q)) : q ∈ [−2^(bits−1), 2^(bits−1))}
   * where F is `fInt`, shared by every use with the same key. Input values outside the domain
   * are a QuantRangeError naming the node.
   */
  lookup(key: string, kind: string, cells: readonly Cell[], bits: number, fInt: (q: bigint) => bigint, what: string, inScale?: number): Cell[] {
    return this.block(`lookup ${kind}`, () => {
      const half = 1n << BigInt(bits - 1);
      const fullKey = `${key}|${bits}`;
      let info = this.tables.get(fullKey);
      if (!info) {
        const id = this.#nextTable++;
        const entries: (readonly [bigint, bigint])[] = [];
        for (let q = -half; q < half; q++) entries.push([q, fInt(q)] as const);
        this.b.lookupTable(id, entries);
        info = { id, kind, entries: entries.length, lo: -Number(half), hi: Number(half) - 1 };
        this.tables.set(fullKey, info);
      }
      const id = info.id;
      return cells.map((c) => {
        const v = this.signed(c);
        if (v < -half || v >= half) this.#rangeError(c, -half, half - 1n, what, inScale);
        return this.#lookupRow(id, c, fInt(v));
      });
    });
  }

  /**
   * A real function applied elementwise: the input (value `inName`) is brought into a table's
   * range, and each q maps to round(f(q / 2^s_in)·2^outScale).
   */
  realFunction(fname: string, x: QTensor, inName: string, outScale: number, f: (v: number) => number): QTensor {
    const { t, bits } = this.forLookup(x, inName);
    const sIn = t.scale;
    const fInt = (q: bigint) => quantizeValue(f(dequantizeValue(q, sIn)), outScale);
    const cells = this.lookup(`${fname}|${sIn}|${outScale}`, fname, t.cells, bits, fInt, `the input of ${fname} (${inName})`, sIn);
    return { dims: x.dims, cells, scale: outScale };
  }
}

const cellKey = (c: Cell): string => `${c.col}:${c.row}`;

/** The signed range table of width 2·half: (v, relu(v)), so it serves range checks and ReLU alike. */
function* signedEntries(half: bigint): Generator<readonly [bigint, bigint]> {
  for (let v = -half; v < half; v++) yield [v, v > 0n ? v : 0n] as const;
}

const relu = (v: bigint): bigint => (v > 0n ? v : 0n);

/** A node's result at its natural scale, rescaled down to the planned scale of `name` if finer. */
export function settle(ctx: LoweringContext, t: QTensor, name: string): QTensor {
  const planned = ctx.scaleFor(name);
  return t.scale > planned ? ctx.toScale(t, planned, name) : t;
}
