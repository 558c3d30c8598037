// The lowering context: the circuit being built, the quantized tensors produced so far, and the
// few fixed-point steps every op lowering shares (signed range checks, rescale with rounding,
// (x, f(x)) lookups, private constants). Rows are attributed to the innermost block that made
// them, so `zkinfer info` can show rows per block kind and per node.
import { R } from "../../verifier/engine/bn254.js";
import { linear, mul } from "../blocks/arithmetic.js";
import { constantCell } from "../blocks/cells.js";
import { applyFunction, functionTable, functionTableKey, type TableFunction } from "../blocks/lookup.js";
import { matmul } from "../blocks/matmul.js";
import { checkSigned, setLimbBits, signedRange, signedTable, signedTableKey } from "../blocks/range-check.js";
import { reluSigned } from "../blocks/relu.js";
import { rescaleCells } from "../blocks/rescale.js";
import type { Cell, CircuitBuilder } from "../circuit/builder.js";
import { dequantizeValue, quantizeValue } from "../quantize/fixed-point.js";
import { activationScaleFor, bitsAt, weightScaleFor, type QuantTarget } from "../quantize/targets.js";
import { CompileError, QuantRangeError } from "./errors.js";
import type { ConstTensor, GraphNode, ModelGraph } from "./graph.js";

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

/**
 * The circuit's limb width: the widest table the blocks use on their own, so the widest rescale
 * remainder (wider remainders are split). The compiler's own signed tables go to maxTableBits + 1.
 */
export const LIMB_BITS = 12;

export class LoweringContext {
  readonly b: CircuitBuilder;
  readonly graph: ModelGraph;
  readonly target: QuantTarget;
  /** Calibrated max |x| of every value. */
  readonly ranges: Readonly<Record<string, number>>;
  /** Lower eligible convolutions onto convolution runs (LoweringPlan.convRuns). */
  readonly convRuns: boolean;
  /** Lower eligible ConvTransposes onto convolution runs (LoweringPlan.convTransposeRuns). */
  readonly convTransposeRuns: boolean;
  readonly tensors = new Map<string, QTensor>();
  readonly blockRows = new Map<string, number>();
  /** Kinds of the function tables the context made, by table key. */
  #functionKinds = new Map<string, string>();
  node: GraphNode | undefined;
  #stack: { kind: string; start: number; inner: number }[] = [];
  #constCache = new Map<string, QTensor>();
  /** relu(y) cells that range-check rows already hold, by y's cell. */
  #reluOf = new Map<string, { bits: number; cell: Cell }>();
  // Cells that are relu outputs of the signed table of `bits`: 0 ≤ v < 2^(bits−1) by their lookup.
  #reluOutputs = new Map<string, number>();

  constructor(b: CircuitBuilder, graph: ModelGraph, ranges: Readonly<Record<string, number>>, target: QuantTarget, options: { convRuns?: boolean; convTransposeRuns?: boolean } = {}) {
    this.b = b;
    this.convRuns = options.convRuns ?? false;
    this.convTransposeRuns = options.convTransposeRuns ?? false;
    setLimbBits(b, LIMB_BITS);
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

  /** The signed table of `bits` (the blocks' shared one), within the target's widest. */
  #signedTable(bits: number): void {
    if (bits > this.target.maxTableBits + 1) throw new CompileError(`node ${this.nodeName}: a ${bits}-bit range table is wider than the target allows`);
    signedTable(this.b, bits);
  }

  /** Every lookup table of the circuit, the blocks' included (one signed table per width, function tables). */
  get tables(): TableInfo[] {
    return this.b.tables.map(({ id, entries, key }) => {
      for (let bits = 1; bits <= 32; bits++) {
        if (key === signedTableKey(bits)) return { id, kind: `signed range / relu ${bits} bits`, entries, lo: -(2 ** (bits - 1)), hi: 2 ** (bits - 1) - 1 };
      }
      const domain = /\|\[(-?\d+), (-?\d+)\]$/.exec(key ?? "");
      const kind = (key && this.#functionKinds.get(key)) ?? key ?? `table ${id}`;
      return { id, kind, entries, lo: domain ? Number(domain[1]) : 0, hi: domain ? Number(domain[2]) : entries - 1 };
    });
  }

  /** Refuses (naming the node) a cell outside the signed range of `bits`. */
  #checkSigned(c: Cell, bits: number, what: string, scale?: number): void {
    const { lo, hi } = signedRange(bits);
    const v = this.signed(c);
    if (v < lo || v > hi) this.#rangeError(c, lo, hi, what, scale);
  }

  /** −2^(bits−1) ≤ x < 2^(bits−1) for every cell (one lookup row each, checkSigned). */
  rangeCheck(cells: readonly Cell[], bits: number, what: string, scale?: number): void {
    this.block("range check", () => {
      this.#signedTable(bits);
      for (const c of cells) {
        this.#checkSigned(c, bits, what, scale);
        checkSigned(this.b, c, bits, what);
      }
    });
  }

  /** y = relu(x) elementwise through the signed range table of `bits` (which also range-checks x). */
  relu(cells: readonly Cell[], bits: number, what: string, scale?: number): Cell[] {
    return this.block("relu", () => {
      this.#signedTable(bits);
      return cells.map((c) => {
        // A rescale output already carries relu(y) in its range-check row.
        const known = this.#reluOf.get(cellKey(c));
        let out: Cell;
        if (known && known.bits === bits) out = known.cell;
        else {
          this.#checkSigned(c, bits, what, scale);
          out = reluSigned(this.b, c, bits, what);
        }
        this.#reluOutputs.set(cellKey(out), bits);
        return out;
      });
    });
  }

  /**
   * The bound the max/min blocks take for cells of signed width `bits`: |x − y| < 2^bits in
   * general, < 2^(bits−1) when every cell is a relu output of a table of at most `bits`
   * (0 ≤ v < 2^(bits−1), proved by its lookup), which lets the two-row form use that table itself.
   */
  differenceBits(cells: readonly Cell[], bits: number): number {
    return cells.every((c) => (this.#reluOutputs.get(cellKey(c)) ?? Infinity) <= bits) ? bits - 1 : bits;
  }

  /**
   * y = round(x / 2^k) (halves up) with −2^(outBits−1) ≤ y < 2^(outBits−1): the rescale block, x = 2^k·y + r
   * with −2^(k−1) ≤ r < 2^(k−1), r looked up in the signed table of k bits and y in the output's
   * table; the two ranges make the decomposition unique. For k ≤ LIMB_BITS two rows per element (r's
   * lookup row carries the gate, y sits in the next row's a, whose b = relu(y) a following ReLU
   * reuses); wider remainders are limbs.
   */
  rescale(cells: readonly Cell[], k: number, outBits: number, what: string, outScale?: number): Cell[] {
    if (k <= 0) throw new CompileError(`rescale by 2^${k}`);
    return this.block("rescale", () => {
      this.#signedTable(outBits);
      const pow = 1n << BigInt(k);
      const { lo, hi } = signedRange(outBits);
      return cells.map((x) => {
        const y = (this.signed(x) + pow / 2n) >> BigInt(k);
        if (y < lo || y > hi) this.#rangeError(x, lo * pow, hi * pow + pow - 1n, what, outScale === undefined ? undefined : outScale + k);
        const out = rescaleCells(this.b, x, k, { outRange: { lo, hi }, what, quotientTableBits: this.target.maxTableBits + 1 });
        if (out.relu) this.#reluOf.set(cellKey(out.q), { bits: outBits, cell: out.relu });
        return out.q;
      });
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
      const fn: TableFunction = { name: key, domain: signedRange(bits), f: fInt };
      functionTable(this.b, fn);
      this.#functionKinds.set(functionTableKey(fn), kind);
      return cells.map((c) => {
        this.#checkSigned(c, bits, what, inScale);
        return applyFunction(this.b, c, fn);
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

/** A node's result at its natural scale, rescaled down to the planned scale of `name` if finer. */
export function settle(ctx: LoweringContext, t: QTensor, name: string): QTensor {
  const planned = ctx.scaleFor(name);
  return t.scale > planned ? ctx.toScale(t, planned, name) : t;
}
