// Copy and permute: reshape, transpose, slice, concat, pad, gather, upsample and im2col-style
// gathers are re-indexings of cells — a later block copies from whichever cell it reads, so they
// cost no rows. Fresh cells (copy-constrained) are made only where a block needs a distinct cell,
// three to a row.
import type { CircuitBuilder, Cell } from "../circuit/builder.js";
import { CircuitError } from "../plonkish/index.js";
import { constantCell, privateCells } from "./cells.js";

/** A tensor of cells, row-major. */
export interface CellTensor {
  dims: readonly number[];
  cells: readonly Cell[];
}

function size(dims: readonly number[]): number {
  return dims.reduce((p, d) => p * d, 1);
}

function strides(dims: readonly number[]): number[] {
  const s = new Array<number>(dims.length).fill(1);
  for (let i = dims.length - 2; i >= 0; i--) s[i] = s[i + 1] * dims[i + 1];
  return s;
}

function checked(t: CellTensor): CellTensor {
  if (t.dims.some((d) => !Number.isInteger(d) || d < 0)) throw new CircuitError(`bad dimensions [${t.dims.join(", ")}]`);
  if (size(t.dims) !== t.cells.length) throw new CircuitError(`dimensions [${t.dims.join(", ")}] do not match ${t.cells.length} cells`);
  return t;
}

/** out[i] = t.cells[index(i)] for every multi-index of `dims` (−1 picks `fill`). */
export function mapIndices(t: CellTensor, dims: readonly number[], index: (at: readonly number[]) => number, fill?: Cell): CellTensor {
  const n = size(dims);
  const s = strides(dims);
  const cells: Cell[] = new Array<Cell>(n);
  const at = new Array<number>(dims.length).fill(0);
  for (let flat = 0; flat < n; flat++) {
    for (let d = 0, rest = flat; d < dims.length; d++) {
      at[d] = Math.floor(rest / s[d]);
      rest -= at[d] * s[d];
    }
    const i = index(at);
    if (i < 0) {
      if (!fill) throw new CircuitError("index out of range and no fill cell");
      cells[flat] = fill;
    } else {
      if (i >= t.cells.length) throw new CircuitError(`index ${i} is outside a tensor of ${t.cells.length} cells`);
      cells[flat] = t.cells[i];
    }
  }
  return { dims: [...dims], cells };
}

/** Same cells, other shape (Reshape, Flatten, Squeeze, Unsqueeze). */
export function reshape(t: CellTensor, dims: readonly number[]): CellTensor {
  checked(t);
  if (size(dims) !== t.cells.length) throw new CircuitError(`cannot reshape [${t.dims.join(", ")}] to [${dims.join(", ")}]`);
  return { dims: [...dims], cells: t.cells };
}

/** Axes permuted: out dims[i] = in dims[perm[i]] (Transpose). */
export function transpose(t: CellTensor, perm: readonly number[]): CellTensor {
  checked(t);
  if (perm.length !== t.dims.length || [...perm].sort((x, y) => x - y).some((p, i) => p !== i)) throw new CircuitError(`[${perm.join(", ")}] is not a permutation of the axes`);
  const s = strides(t.dims);
  return mapIndices(
    t,
    perm.map((p) => t.dims[p]),
    (at) => at.reduce((sum, v, i) => sum + v * s[perm[i]], 0),
  );
}

/** Elements start[d] + k·step[d] < end[d] on every axis (Slice; negative steps count down, ends exclusive). */
export function slice(t: CellTensor, starts: readonly number[], ends: readonly number[], steps?: readonly number[]): CellTensor {
  checked(t);
  const st = steps ?? t.dims.map(() => 1);
  const dims = t.dims.map((_, d) => {
    if (st[d] === 0) throw new CircuitError("slice step 0");
    const span = st[d] > 0 ? ends[d] - starts[d] : starts[d] - ends[d];
    return Math.max(0, Math.ceil(span / Math.abs(st[d])));
  });
  const s = strides(t.dims);
  return mapIndices(t, dims, (at) =>
    at.reduce((sum, v, d) => {
      const i = starts[d] + v * st[d];
      if (i < 0 || i >= t.dims[d]) throw new CircuitError(`slice index ${i} is outside axis ${d} of length ${t.dims[d]}`);
      return sum + i * s[d];
    }, 0),
  );
}

/** Tensors joined along `axis` (Concat). */
export function concat(ts: readonly CellTensor[], axis: number): CellTensor {
  if (ts.length === 0) throw new CircuitError("concat of nothing");
  ts.forEach(checked);
  const rank = ts[0].dims.length;
  if (ts.some((t) => t.dims.length !== rank || t.dims.some((d, i) => i !== axis && d !== ts[0].dims[i]))) throw new CircuitError("concat: shapes differ off the axis");
  const outer = size(ts[0].dims.slice(0, axis));
  const cells: Cell[] = [];
  for (let o = 0; o < outer; o++) {
    for (const t of ts) {
      const block = size(t.dims.slice(axis));
      cells.push(...t.cells.slice(o * block, (o + 1) * block));
    }
  }
  const dims = [...ts[0].dims];
  dims[axis] = ts.reduce((s, t) => s + t.dims[axis], 0);
  return { dims, cells };
}

/**
 * Padded by before[d] and after[d] cells on each axis, filled with one shared constant cell
 * (Pad, constant mode; 1 row for the constant per circuit).
 */
export function pad(b: CircuitBuilder, t: CellTensor, before: readonly number[], after: readonly number[], value = 0n): CellTensor {
  checked(t);
  const fill = constantCell(b, value);
  const dims = t.dims.map((d, i) => d + before[i] + after[i]);
  const s = strides(t.dims);
  return mapIndices(
    t,
    dims,
    (at) => {
      let i = 0;
      for (let d = 0; d < at.length; d++) {
        const k = at[d] - before[d];
        if (k < 0 || k >= t.dims[d]) return -1;
        i += k * s[d];
      }
      return i;
    },
    fill,
  );
}

/** Elements at `indices` along `axis` (Gather with public indices; negative indices count from the end). */
export function gather(t: CellTensor, axis: number, indices: readonly number[]): CellTensor {
  checked(t);
  const len = t.dims[axis];
  const idx = indices.map((i) => (i < 0 ? i + len : i));
  if (idx.some((i) => i < 0 || i >= len)) throw new CircuitError(`gather index outside axis ${axis} of length ${len}`);
  const dims = [...t.dims];
  dims[axis] = idx.length;
  const s = strides(t.dims);
  return mapIndices(t, dims, (at) => at.reduce((sum, v, d) => sum + (d === axis ? idx[v] : v) * s[d], 0));
}

/** Nearest-neighbour upsampling by integer factors (Resize / Upsample, nearest, asymmetric). */
export function upsampleNearest(t: CellTensor, factors: readonly number[]): CellTensor {
  checked(t);
  const s = strides(t.dims);
  return mapIndices(
    t,
    t.dims.map((d, i) => d * factors[i]),
    (at) => at.reduce((sum, v, d) => sum + Math.floor(v / factors[d]) * s[d], 0),
  );
}

/**
 * Fresh cells equal to the given ones (copy constraints), three to a row of a row without
 * selectors: for a block that must not share a cell with another use.
 */
export function freshCopies(b: CircuitBuilder, cells: readonly Cell[]): Cell[] {
  const out = privateCells(
    b,
    cells.map((c) => b.value(c)),
  );
  out.forEach((cell, i) => b.copy(cells[i], cell));
  return out;
}
