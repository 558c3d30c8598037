// Convolution runs (docs/protocol.md §3.6 "Convolution runs", §3.8 rule 6; docs/proposals/
// convolution.md §1, §3): a stride-1 convolution laid out as one product of polynomial matrices.
// The input channels and the kernels are flattened with row stride L (Kronecker substitution); a
// row's exponent (from the fixed steps s) says which power of Z its entry multiplies. This file
// holds the geometry: which rows a run has (the block lays them out from it, setup recomputes them
// to check a table), and whether a row stride is alias-free.
import { R } from "../../verifier/engine/bn254.js";
import { WEIGHT_SLOTS } from "../../verifier/plonkish/layout.js";
import { CircuitError } from "../../verifier/plonkish/errors.js";

/** A stride-1, dilation-1 convolution's shape, as the ONNX node states it, and its row stride. */
export interface ConvGeometry {
  inChannels: number;
  outChannels: number;
  groups: number;
  height: number;
  width: number;
  /** Kernel height and width. */
  kernel: readonly [number, number];
  /** Padding: top, left, bottom, right. */
  pads: readonly [number, number, number, number];
  /** Whether a bias is added (through a ones channel, the last inner index). */
  bias: boolean;
  /** L: padded cell (Y, X) has exponent Y·L + X. */
  rowStride: number;
}

/**
 * What a table declares about one run: its geometry and its first index of each role. Output
 * channel o = γ·(C_out/g) + K·q + t (group γ) is slot t of output index i + γ·⌈(C_out/g)/K⌉ + q;
 * input channel c is inner index j + c, the ones channel j + C_in; p is the run's one column index.
 */
export interface ConvRun {
  geometry: ConvGeometry;
  i: bigint;
  j: bigint;
  p: bigint;
}

/** A weight row: output index ib (offset), inner index j (offset), its exponent and its tap (ky·kw + kx, or −1 for the bias). */
export interface RunWeightRow {
  ib: number;
  j: number;
  exponent: number;
  tap: number;
}

/** An X row: inner index j (offset; C_in is the ones channel), exponent, and the input cell (c, y, x) or output pixel (ones). */
export interface RunInputRow {
  j: number;
  exponent: number;
  y: number;
  x: number;
}

/** A Y row: output index ib (offset), slot, channel o, exponent; pixel = py·Wo + px for an output, −1 for junk. */
export interface RunOutputRow {
  ib: number;
  slot: number;
  channel: number;
  exponent: number;
  pixel: number;
}

export interface RunEntries {
  /** Output height and width. */
  outHeight: number;
  outWidth: number;
  /** D = max δ_k, the exponent of the bias weight rows. */
  depth: number;
  /** Output indices per group: ⌈(C_out/g)/K⌉. */
  slotGroups: number;
  weights: RunWeightRow[];
  inputs: RunInputRow[];
  outputs: RunOutputRow[];
  /** The largest exponent of any row. */
  maxExponent: number;
}

const R_MINUS_ONE = R - 1n;

const positive = (v: number): boolean => Number.isSafeInteger(v) && v > 0;
const natural = (v: number): boolean => Number.isSafeInteger(v) && v >= 0;

/** Throws CircuitError unless the geometry describes a convolution with at least one output; returns the output's height and width. */
export function checkGeometry(g: ConvGeometry): [number, number] {
  const { inChannels, outChannels, groups, height, width, kernel, pads, rowStride } = g;
  if (![inChannels, outChannels, groups, height, width, ...kernel, rowStride].every(positive) || !pads.every(natural)) {
    throw new CircuitError("convolution: channels, groups, sizes, kernel and row stride must be positive integers and pads non-negative");
  }
  if (inChannels % groups !== 0 || outChannels % groups !== 0) throw new CircuitError(`convolution: ${groups} groups do not divide ${inChannels} input and ${outChannels} output channels`);
  if (height + pads[0] + pads[2] < kernel[0] || width + pads[1] + pads[3] < kernel[1]) throw new CircuitError("convolution: the kernel is larger than the padded input");
  return [height + pads[0] + pads[2] - kernel[0] + 1, width + pads[1] + pads[3] - kernel[1] + 1];
}

/**
 * Why row stride L is not alias-free for this geometry, or undefined when it is. Alias-free: every
 * (output pixel, tap) pair's exponent sum names exactly the cell that tap reads (a real cell, or no
 * real cell when the tap reads padding), real cells and output pixels have distinct exponents, and
 * taps distinct offsets. Then each output's coefficient of Σ_c K_(o,c)(Z)·X_c(Z) is its convolution
 * (docs/proposals/convolution.md §1.1). Checked pair by pair, independently of runEntries.
 */
export function aliasing(g: ConvGeometry): string | undefined {
  const [ho, wo] = checkGeometry(g);
  const [kh, kw] = g.kernel;
  const [pt, pl] = g.pads;
  const L = g.rowStride;
  const cellAt = new Map<number, number>();
  for (let y = 0; y < g.height; y++) {
    for (let x = 0; x < g.width; x++) {
      const e = (y + pt) * L + x + pl;
      if (cellAt.has(e)) return `input cells ${cellAt.get(e)} and ${y * g.width + x} share exponent ${e}`;
      cellAt.set(e, y * g.width + x);
    }
  }
  const taps = new Set<number>();
  for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) taps.add(ky * L + kx);
  if (taps.size !== kh * kw) return `two taps share an offset (row stride ${L} < kernel width ${kw})`;
  const pixels = new Set<number>();
  for (let py = 0; py < ho; py++) {
    for (let px = 0; px < wo; px++) {
      if (pixels.has(py * L + px)) return `output pixels share exponent ${py * L + px}`;
      pixels.add(py * L + px);
    }
  }
  // Pair (py, px) with tap (ky, kx) reads padded cell (py + ky, px + kx) at exponent
  // (py + ky)·L + px + kx: the condition depends on that padded cell only, and the pairs reach every
  // cell of the padded grid. So each padded cell is checked once (named by one pair that reaches
  // it): the same condition at the grid's cost, where pairs × taps would be quadratic in a table
  // whose declared geometry has large pads and kernels (a file's runs are read by check-circuit).
  for (let yp = 0; yp < ho + kh - 1; yp++) {
    for (let xp = 0; xp < wo + kw - 1; xp++) {
      const [y, x] = [yp - pt, xp - pl];
      const want = y >= 0 && y < g.height && x >= 0 && x < g.width ? y * g.width + x : undefined;
      const got = cellAt.get(yp * L + xp);
      if (got !== want) {
        const [py, px] = [Math.min(yp, ho - 1), Math.min(xp, wo - 1)];
        return `output (${py}, ${px}) with tap (${yp - py}, ${xp - px}) would read ${got === undefined ? "nothing" : `cell ${got}`} instead of ${want === undefined ? "padding" : `cell ${want}`}`;
      }
    }
  }
  return undefined;
}

/** The smallest alias-free row stride (the padded width always is). */
export function smallestRowStride(g: Omit<ConvGeometry, "rowStride">): number {
  const padded = g.width + g.pads[1] + g.pads[3];
  for (let L = 1; L < padded; L++) if (aliasing({ ...g, rowStride: L }) === undefined) return L;
  return padded;
}

/**
 * Every W, X and Y row of the run (docs/protocol.md §3.6): a weight row per (output index, input
 * channel of its group, tap) at exponent D − δ_k, and per output index a bias row at D; an X row
 * per real input cell at its exponent and a ones row per output pixel at py·L + px; for every
 * output channel a Y row at every exponent some (tap, real cell) pair or output pixel reaches —
 * the output at D + py·L + px, junk elsewhere. Offsets are from the run's first indices.
 */
export function runEntries(g: ConvGeometry): RunEntries {
  const [outHeight, outWidth] = checkGeometry(g);
  const [kh, kw] = g.kernel;
  const [pt, pl] = g.pads;
  const L = g.rowStride;
  const depth = (kh - 1) * L + kw - 1;
  const perGroupIn = g.inChannels / g.groups;
  const perGroupOut = g.outChannels / g.groups;
  const slotGroups = Math.ceil(perGroupOut / WEIGHT_SLOTS);
  const weights: RunWeightRow[] = [];
  for (let group = 0; group < g.groups; group++) {
    for (let q = 0; q < slotGroups; q++) {
      const ib = group * slotGroups + q;
      for (let c = 0; c < perGroupIn; c++) {
        for (let tap = 0; tap < kh * kw; tap++) {
          weights.push({ ib, j: group * perGroupIn + c, exponent: depth - (Math.floor(tap / kw) * L + (tap % kw)), tap });
        }
      }
      if (g.bias) weights.push({ ib, j: g.inChannels, exponent: depth, tap: -1 });
    }
  }
  const inputs: RunInputRow[] = [];
  for (let c = 0; c < g.inChannels; c++) {
    for (let y = 0; y < g.height; y++) for (let x = 0; x < g.width; x++) inputs.push({ j: c, exponent: (y + pt) * L + x + pl, y, x });
  }
  const pixelAt = new Map<number, number>();
  for (let py = 0; py < outHeight; py++) {
    for (let px = 0; px < outWidth; px++) {
      pixelAt.set(depth + py * L + px, py * outWidth + px);
      if (g.bias) inputs.push({ j: g.inChannels, exponent: py * L + px, y: py, x: px });
    }
  }
  // Every group reads all its taps over the same cell exponents, so one set of reached exponents
  // serves every output channel. Weight exponent D − δ_k = (kh − 1 − ky)·L + (kw − 1 − kx) plus cell
  // exponent (y + p_t)·L + x + p_l is Y·L + X for Y = y + p_t + (kh − 1 − ky), X = x + p_l + (kw − 1 − kx):
  // the pairs reach exactly the rectangle below (sums of two integer ranges), listed at its cost
  // rather than cells × taps.
  const reached = new Set<number>(pixelAt.keys());
  for (let yr = pt; yr < pt + g.height + kh - 1; yr++) for (let xr = pl; xr < pl + g.width + kw - 1; xr++) reached.add(yr * L + xr);
  const exponents = [...reached].sort((x, y) => x - y);
  const outputs: RunOutputRow[] = [];
  for (let o = 0; o < g.outChannels; o++) {
    const [group, within] = [Math.floor(o / perGroupOut), o % perGroupOut];
    const ib = group * slotGroups + Math.floor(within / WEIGHT_SLOTS);
    for (const exponent of exponents) outputs.push({ ib, slot: within % WEIGHT_SLOTS, channel: o, exponent, pixel: pixelAt.get(exponent) ?? -1 });
  }
  // A loop, not Math.max(...spread): a large run's X rows would overflow the stack as arguments.
  let maxExponent = Math.max(exponents[exponents.length - 1], depth);
  for (const r of inputs) if (r.exponent > maxExponent) maxExponent = r.exponent;
  return { outHeight, outWidth, depth, slotGroups, weights, inputs, outputs, maxExponent };
}

/** The weight, X and output Y rows a run has at least (counted, not listed; junk Y rows not counted). */
function leastRows(g: ConvGeometry): { weights: number; inputs: number; outputs: number } {
  const [ho, wo] = checkGeometry(g);
  const [kh, kw] = g.kernel;
  const bias = g.bias ? 1 : 0;
  const perGroupIn = g.inChannels / g.groups;
  return {
    weights: g.groups * Math.ceil(g.outChannels / g.groups / WEIGHT_SLOTS) * (perGroupIn * kh * kw + bias),
    inputs: g.inChannels * g.height * g.width + bias * ho * wo,
    outputs: g.outChannels * ho * wo,
  };
}

/**
 * Why the run's rows cannot fit a table of n rows, or undefined: its weight, X and output rows
 * (counted, not listed) and its largest exponent must fit n rows. Checked before anything is
 * recomputed, so a declared geometry (from a file) costs no more than a table of n rows can hold.
 */
export function oversize(g: ConvGeometry, n: number): string | undefined {
  const [ho, wo] = checkGeometry(g);
  const [kh, kw] = g.kernel;
  const { weights, inputs, outputs } = leastRows(g);
  if (weights + inputs + outputs > n) return `its ${weights} weight rows, ${inputs} X rows and at least ${outputs} Y rows do not fit ${n} rows`;
  const maxExponent = (kh - 1 + ho - 1) * g.rowStride + kw - 1 + wo - 1;
  if (maxExponent >= n) return `its outputs reach exponent ${maxExponent}, and ${n} rows reach at most ${n - 1}`;
  return undefined;
}

/** Output indices, inner indices and column indices a run uses (counts). */
export function runIndexCounts(g: ConvGeometry): { i: number; j: number } {
  return { i: g.groups * Math.ceil(g.outChannels / g.groups / WEIGHT_SLOTS), j: g.inChannels + (g.bias ? 1 : 0) };
}

/** Cell reads of the fixed columns checkRuns needs (table.ts's StandardColumn). */
interface ColumnReader {
  is(row: number, x: number): boolean;
  key(row: number): number | bigint;
  value(row: number): bigint;
}

export interface RunCheckColumns {
  qfw: ColumnReader;
  qfwt: ColumnReader;
  qfx: ColumnReader;
  qfy: ColumnReader;
  ida: ColumnReader;
  idb: ColumnReader;
  idc: ColumnReader;
  /** q_m, q_l, q_r, q_o, q_c, q_n: to recognise the constant-1 rows the ones cells copy. */
  arithmetic: readonly [ColumnReader, ColumnReader, ColumnReader, ColumnReader, ColumnReader, ColumnReader];
}

/**
 * The product rule of docs/protocol.md §3.8 rule 6, for a table with n rows, its exponents, σ as
 * cells (checkPermutation) and the runs it declares: every W, X or Y row whose indices belong to a
 * declared run is exactly one of the rows runEntries recomputes from the run's geometry, at the
 * exponent recomputed (so junk rows cover every reached exponent, and nothing else shares the run's
 * indices); every other W, X or Y row sits at exponent 0 (a flat product); the row stride is
 * alias-free; a junk cell is read nowhere, by a copy or by its row's q_o (only outputs are read); a ones cell is a copy of a
 * constant-1 cell. What this cannot see is which producer cell an X row copies, which tap of the
 * model a weight row holds and which cells read the outputs: that needs the model (check-circuit,
 * from the ONNX node; not implemented, so check-circuit refuses runs).
 */
export function checkRuns(n: number, publicInputCount: number, runs: readonly ConvRun[], exponents: Int32Array, permutation: Uint32Array, cols: RunCheckColumns): void {
  // Every index value of a run, by role, mapped to (run, offset).
  const outputOf = new Map<number | bigint, [number, number]>();
  const innerOf = new Map<number | bigint, [number, number]>();
  const columnOf = new Map<number | bigint, number>();
  const asKey = (v: bigint): number | bigint => (v < 2n ** 53n ? Number(v) : v);
  const expected: Map<string, { kind: "W" | "X" | "Y"; junk: boolean; ones: boolean; seen: boolean }>[] = [];
  let rowsSoFar = 0;
  runs.forEach((run, r) => {
    const tooLarge = oversize(run.geometry, n);
    if (tooLarge !== undefined) throw new CircuitError(`convolution run ${r}: ${tooLarge}`);
    // Runs have disjoint rows (each row's indices belong to one run), so together they must fit
    // too; checked before this run is recomputed, so a file declaring up to n runs that each fit
    // alone costs no more than the rows a table of n rows can hold.
    const least = leastRows(run.geometry);
    rowsSoFar += least.weights + least.inputs + least.outputs;
    if (rowsSoFar > n) throw new CircuitError(`convolution runs 0 … ${r} have at least ${rowsSoFar} weight, X and output rows together, more than the table's ${n} rows`);
    const reason = aliasing(run.geometry);
    if (reason !== undefined) throw new CircuitError(`convolution run ${r}: row stride ${run.geometry.rowStride} is not alias-free: ${reason}; its Y rows would not be the convolution`);
    const counts = runIndexCounts(run.geometry);
    const claim = (map: Map<number | bigint, [number, number]>, first: bigint, count: number, role: string): void => {
      for (let k = 0; k < count; k++) {
        const key = asKey(first + BigInt(k));
        if (map.has(key)) throw new CircuitError(`convolution runs ${map.get(key)![0]} and ${r} share ${role} index ${key}`);
        map.set(key, [r, k]);
      }
    };
    claim(outputOf, run.i, counts.i, "output");
    claim(innerOf, run.j, counts.j, "inner");
    const p = asKey(run.p);
    if (columnOf.has(p)) throw new CircuitError(`convolution runs ${columnOf.get(p)} and ${r} share column index ${p}`);
    columnOf.set(p, r);
    const entries = runEntries(run.geometry);
    const rows = new Map<string, { kind: "W" | "X" | "Y"; junk: boolean; ones: boolean; seen: boolean }>();
    for (const w of entries.weights) rows.set(`W:${w.ib}:${w.j}:${w.exponent}`, { kind: "W", junk: false, ones: false, seen: false });
    for (const x of entries.inputs) rows.set(`X:${x.j}:${x.exponent}`, { kind: "X", junk: false, ones: x.j === run.geometry.inChannels, seen: false });
    for (const y of entries.outputs) rows.set(`Y:${y.ib}:${y.slot}:${y.exponent}`, { kind: "Y", junk: y.pixel < 0, ones: false, seen: false });
    expected.push(rows);
  });
  const [qm, ql, qr, qo, qc, qn] = cols.arithmetic;
  const isConstantOne = (cell: number): boolean => {
    if (cell >= n) return false; // an a-cell
    const row = cell;
    return row >= publicInputCount && ql.is(row, 1) && qm.is(row, 0) && qr.is(row, 0) && qo.is(row, 0) && qn.is(row, 0) && qc.value(row) === R_MINUS_ONE;
  };
  const copiesConstantOne = (start: number): boolean => {
    for (let c = permutation[start]; c !== start; c = permutation[c]) if (isConstantOne(c)) return true;
    return false;
  };
  for (let row = 0; row < n; row++) {
    const kind = cols.qfwt.is(row, 1) || cols.qfw.is(row, 1) ? "W" : cols.qfx.is(row, 1) ? "X" : cols.qfy.is(row, 1) ? "Y" : undefined;
    if (!kind) continue;
    const [a, b] = [cols.ida.key(row), cols.idb.key(row)];
    const owner =
      kind === "W" ? (outputOf.get(a)?.[0] ?? innerOf.get(b)?.[0]) : kind === "X" ? (innerOf.get(a)?.[0] ?? columnOf.get(b)) : (outputOf.get(a)?.[0] ?? columnOf.get(b));
    if (owner === undefined) {
      if (exponents[row] !== 0) {
        const selector = cols.qfwt.is(row, 1) ? "q_fwt" : cols.qfw.is(row, 1) ? "q_fw" : kind === "X" ? "q_fx" : "q_fy";
        throw new CircuitError(
          `row ${row} is a Freivalds row (${selector} = 1) at exponent ${exponents[row]} outside every declared convolution run; a product outside runs must be flat (every W, X and Y row at exponent 0), or its Y rows mean another relation`,
        );
      }
      continue;
    }
    const where = `row ${row} (a ${kind} row with indices of convolution run ${owner})`;
    if (kind === "W" && !cols.qfwt.is(row, 1)) throw new CircuitError(`${where} is an activation W row; a run's left matrix is its weights`);
    let key: string | undefined;
    const [ib, j, p] = [outputOf.get(a), kind === "W" ? innerOf.get(b) : innerOf.get(a), columnOf.get(b)];
    if (kind === "W" && ib?.[0] === owner && j?.[0] === owner) key = `W:${ib[1]}:${j[1]}:${exponents[row]}`;
    if (kind === "X" && j?.[0] === owner && p === owner) key = `X:${j[1]}:${exponents[row]}`;
    if (kind === "Y" && ib?.[0] === owner && p === owner) key = `Y:${ib[1]}:${cols.idc.key(row)}:${exponents[row]}`;
    const entry = key === undefined ? undefined : expected[owner].get(key);
    if (!entry) throw new CircuitError(`${where} is not a row of that run's geometry at exponent ${exponents[row]}`);
    if (entry.seen) throw new CircuitError(`${where} repeats an entry of the run (${key})`);
    entry.seen = true;
    const c = 2 * n + row;
    // A junk value is determined but is not an output of the model: no cell may read it, neither by
    // a copy nor by the row's own arithmetic gate (q_o; lookups and q_n read a and b only).
    if (entry.junk && (permutation[c] !== c || !qo.is(row, 0))) {
      throw new CircuitError(`${where} is a junk row, but its c cell is ${permutation[c] !== c ? "copied to another cell" : "read by the row's arithmetic gate (q_o ≠ 0)"}; only outputs may be read`);
    }
    if (entry.ones && !copiesConstantOne(c)) throw new CircuitError(`${where} is a ones row, but its c cell is not a copy of a constant-1 cell (q_l = 1, q_c = −1)`);
  }
  expected.forEach((rows, r) => {
    for (const [key, entry] of rows) if (!entry.seen) throw new CircuitError(`convolution run ${r} has no row for ${key} (kind:indices:exponent); every reached exponent needs its row`);
  });
}
