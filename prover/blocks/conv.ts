// A stride-1 convolution as one run of Freivalds rows (docs/protocol.md §3.6 "Convolution runs";
// docs/proposals/convolution.md §3): no im2col copies. Each input cell is one X row at its flat
// exponent, each kernel tap one weight row (K output channels to a row) at D − δ_k, each output
// one Y row at D + py·L + px, and every other exponent the taps reach one junk Y row per output
// channel holding that coefficient of the full product. The rows sit in exponent order with the
// steps s (1 into the next exponent, 2 on the last row); an exponent no row has gets a plain row.
// Setup recomputes the run from its geometry (prover/plonkish/conv-run.ts) and refuses a row
// stride that is not alias-free.
import { R } from "../../verifier/engine/bn254.js";
import type { CircuitBuilder } from "../circuit/builder.js";
import { WIRE, type Cell } from "../circuit/builder.js";
import { CircuitError, layout } from "../plonkish/index.js";
import { runEntries, runIndexCounts, smallestRowStride, type ConvGeometry, type RunEntries } from "../plonkish/conv-run.js";
import { constantCell } from "./cells.js";

const { FIXED, WEIGHT_SLOTS } = layout;

export interface ConvOptions {
  /** Padding: top, left, bottom, right (default none). */
  pads?: readonly [number, number, number, number];
  groups?: number;
  /** Private bias per output channel. */
  bias?: readonly bigint[];
  /** Row stride L (default: the smallest alias-free one; setup refuses one that is not). */
  rowStride?: number;
  /**
   * Follow every output's Y row with a free row (adding plain filler rows where its exponent has too
   * few), so that a rescale of each output takes its Y row and the next one in place.
   */
  pairOutputs?: boolean;
}

export interface ConvResult {
  /** Output cells y[o][py][px] (the c cells of the output Y rows). */
  y: Cell[][][];
  /** The run's junk cells per output channel (c cells of Y rows that no other cell reads). */
  junk: Cell[][];
  /** The ones cells (c cells of the bias channel's X rows, copies of one constant-1 cell). */
  ones: Cell[];
  /** The X cells per input channel, row-major. */
  inputs: Cell[][];
  /** Weight rows per (output index offset, inner index offset, tap), tap −1 for the bias. */
  weightRows: { row: number; ib: number; j: number; tap: number }[];
  geometry: ConvGeometry;
  /** Rows of the run (first, end) and its UV rows. */
  rows: { first: number; end: number; uv: number };
  /** Plain rows added for pairOutputs (counted in rows). */
  fillers: number;
}

/**
 * y[o] = Σ_c W[o][c] ⋆ x[group(o)·C_in/g + c] (+ bias[o]): x is C_in × H × W cells, weights
 * C_out × (C_in/g) × kh × kw field elements (signed integers allowed). Rows: per exponent, its
 * outputs or junk (C_out each), its input cells and ones, its weight rows; then one UV row per input
 * channel and the ones channel.
 */
export function conv2d(b: CircuitBuilder, x: readonly (readonly (readonly Cell[])[])[], weights: readonly (readonly (readonly (readonly bigint[])[])[])[], options: ConvOptions = {}): ConvResult {
  const inChannels = x.length;
  const height = x[0]?.length ?? 0;
  const width = x[0]?.[0]?.length ?? 0;
  const outChannels = weights.length;
  const groups = options.groups ?? 1;
  const kh = weights[0]?.[0]?.length ?? 0;
  const kw = weights[0]?.[0]?.[0]?.length ?? 0;
  if (x.some((plane) => plane.length !== height || plane.some((row) => row.length !== width))) throw new CircuitError("conv2d: the input must be C_in × H × W cells");
  if (inChannels % Math.max(groups, 1) !== 0) throw new CircuitError(`conv2d: ${groups} groups do not divide ${inChannels} input channels`);
  const perGroupIn = inChannels / groups;
  if (weights.some((w) => w.length !== perGroupIn || w.some((k) => k.length !== kh || k.some((r) => r.length !== kw)))) {
    throw new CircuitError(`conv2d: the weights must be C_out × ${perGroupIn} × kh × kw`);
  }
  if (options.bias && options.bias.length !== outChannels) throw new CircuitError(`conv2d: bias has ${options.bias.length} entries for ${outChannels} output channels`);
  const shape = { inChannels, outChannels, groups, height, width, kernel: [kh, kw] as const, pads: options.pads ?? ([0, 0, 0, 0] as const), bias: options.bias !== undefined };
  const geometry: ConvGeometry = { ...shape, rowStride: options.rowStride ?? smallestRowStride(shape) };
  const entries = runEntries(geometry);
  const perGroupOut = outChannels / groups;
  const counts = runIndexCounts(geometry);
  const i0 = b.indices("i", counts.i);
  const j0 = b.indices("j", counts.j);
  const p0 = b.indices("p", 1);
  const one = options.bias ? constantCell(b, 1n) : undefined;

  // The full product's coefficients per output channel: F_o[E] = Σ W·x over (tap, cell) pairs
  // with exponent E, plus the bias at output exponents. Outputs and junk are both read from it.
  // Summed as integers over each channel's plane and reduced once per coefficient.
  const L = geometry.rowStride;
  const [pt, pl] = geometry.pads;
  const coefficients = Array.from({ length: outChannels }, () => new Array<bigint>(entries.maxExponent + 1).fill(0n));
  const values = x.map((plane) => plane.map((row) => row.map((cell) => b.value(cell))));
  for (let o = 0; o < outChannels; o++) {
    const group = Math.floor(o / perGroupOut);
    const f = coefficients[o];
    for (let c = 0; c < perGroupIn; c++) {
      const plane = values[group * perGroupIn + c];
      for (let tap = 0; tap < kh * kw; tap++) {
        const [ky, kx] = [Math.floor(tap / kw), tap % kw];
        const w = weights[o][c][ky][kx];
        if (w === 0n) continue;
        const shift = entries.depth - (ky * L + kx) + pt * L + pl;
        for (let iy = 0; iy < height; iy++) for (let ix = 0; ix < width; ix++) f[shift + iy * L + ix] += w * plane[iy][ix];
      }
    }
    if (options.bias) for (let py = 0; py < entries.outHeight; py++) for (let px = 0; px < entries.outWidth; px++) f[entries.depth + py * L + px] += options.bias[o];
    for (let e = 0; e < f.length; e++) f[e] %= R;
  }

  // Rows by exponent (rowOrder): outputs, junk, X and ones rows, weight rows, and plain rows.
  const y: Cell[][][] = Array.from({ length: outChannels }, () => Array.from({ length: entries.outHeight }, () => new Array<Cell>(entries.outWidth)));
  const junk: Cell[][] = Array.from({ length: outChannels }, () => []);
  const ones: Cell[] = [];
  const inputs: Cell[][] = Array.from({ length: inChannels }, () => []);
  const weightRows: ConvResult["weightRows"] = [];
  const freivaldsRow = (row: number, selector: number, idA: bigint, idB: bigint): void => {
    b.setFixed(row, selector, 1n);
    b.setFixed(row, FIXED.idA, idA);
    b.setFixed(row, FIXED.idB, idB);
  };
  const first = b.rows;
  let fillers = 0;
  const order = rowOrder(entries, options.pairOutputs ?? false);
  order.forEach((rows, e) => {
    // The previous exponent's last row steps into this one.
    if (e > 0) b.setFixed(b.rows - 1, FIXED.s, 1n);
    for (const item of rows) {
      const row = b.row();
      if (item.kind === "plain") {
        // An exponent no entry has, or a filler for an output's rescale: a row of no product.
        if (item.filler) fillers++;
        b.openRow(row, "last");
      } else if (item.kind === "Y") {
        const out = entries.outputs[item.k];
        freivaldsRow(row, FIXED.qFY, i0 + BigInt(out.ib), p0);
        b.setFixed(row, FIXED.idC, BigInt(out.slot));
        const cell = b.cell(WIRE.c, row);
        b.assign(cell, coefficients[out.channel][e]);
        if (out.pixel >= 0) {
          y[out.channel][Math.floor(out.pixel / entries.outWidth)][out.pixel % entries.outWidth] = cell;
          b.openRow(row, "last");
        } else {
          junk[out.channel].push(cell);
          b.openRow(row);
        }
      } else if (item.kind === "X") {
        const input = entries.inputs[item.k];
        freivaldsRow(row, FIXED.qFX, j0 + BigInt(input.j), p0);
        // A ones cell is a copy of the one constant-1 cell: set by value, the prover could scale
        // one pixel's bias (review A3).
        const cell = b.copyInto(input.j === inChannels ? one! : x[input.j][input.y][input.x], WIRE.c, row);
        (input.j === inChannels ? ones : inputs[input.j]).push(cell);
        b.openRow(row);
      } else {
        const w = entries.weights[item.k];
        freivaldsRow(row, FIXED.qFWT, i0 + BigInt(w.ib), j0 + BigInt(w.j));
        const group = Math.floor(w.ib / entries.slotGroups);
        const q = w.ib % entries.slotGroups;
        for (let t = 0; t < WEIGHT_SLOTS; t++) {
          const within = q * WEIGHT_SLOTS + t;
          if (within >= perGroupOut) break;
          const o = group * perGroupOut + within;
          const value = w.tap < 0 ? options.bias![o] : weights[o][w.j - group * perGroupIn][Math.floor(w.tap / kw)][w.tap % kw];
          b.setWeight(row, t, value);
        }
        // Its a, b, lookup and arithmetic gate are unused (the weights sit in W_t, read through q_fwt).
        b.openRow(row);
        weightRows.push({ row, ib: w.ib, j: w.j, tap: w.tap });
      }
    }
  });
  const last = b.rows - 1;
  // The last row resets the exponent, so the rows after the run are at exponent 0 again.
  b.setFixed(last, FIXED.s, 2n);
  const end = b.rows;
  b.exponentRun(first, end, { geometry, i: i0, j: j0, p: p0 });
  const uv = b.rows;
  for (let j = 0; j < counts.j; j++) {
    const row = b.row();
    freivaldsRow(row, FIXED.qFUV, j0 + BigInt(j), 0n);
  }
  return { y, junk, ones, inputs, weightRows, geometry, rows: { first, end, uv }, fillers };
}

type RunRow = { kind: "Y" | "X" | "W"; k: number } | { kind: "plain"; filler: boolean };

/**
 * The run's rows per exponent. Unpaired: outputs, junk, X and ones rows, weight rows, and one plain
 * row for an exponent no entry has. Paired (pairOutputs): every output's Y row is followed by a row
 * whose a, b, lookup and arithmetic gate are free (junk, X, ones, weight or plain), of its exponent or
 * the first row of the next one, so that a rescale takes the two rows in place (docs/blocks.md);
 * where an exponent has fewer such rows than outputs, a plain filler row is added (proposal §3.4).
 */
function rowOrder(entries: RunEntries, pairOutputs: boolean): RunRow[][] {
  const outputsAt: RunRow[][] = Array.from({ length: entries.maxExponent + 1 }, () => []);
  const openAt: RunRow[][] = Array.from({ length: entries.maxExponent + 1 }, () => []);
  entries.outputs.forEach((out, k) => (out.pixel >= 0 ? outputsAt : openAt)[out.exponent].push({ kind: "Y", k }));
  entries.inputs.forEach((input, k) => openAt[input.exponent].push({ kind: "X", k }));
  entries.weights.forEach((w, k) => openAt[w.exponent].push({ kind: "W", k }));
  const order: RunRow[][] = [];
  // Whether the previous exponent ends with an output that still needs the row after it.
  let waiting = false;
  for (let e = 0; e <= entries.maxExponent; e++) {
    const outputs = outputsAt[e];
    const open = openAt[e];
    if (outputs.length === 0 && open.length === 0) open.push({ kind: "plain", filler: false });
    if (!pairOutputs) {
      order.push([...outputs, ...open]);
      continue;
    }
    const rows: RunRow[] = [];
    if (waiting) {
      // The first row here serves the previous output when this exponent has one to spare;
      // otherwise a filler closes the previous exponent (the count of fillers is the same).
      if (open.length > outputs.length) rows.push(open.shift()!);
      else order[e - 1].push({ kind: "plain", filler: true });
      waiting = false;
    }
    outputs.forEach((out, k) => {
      rows.push(out);
      if (open.length > 0) rows.push(open.shift()!);
      else if (k < outputs.length - 1) rows.push({ kind: "plain", filler: true });
      else waiting = true;
    });
    rows.push(...open);
    order.push(rows);
  }
  if (waiting) order[order.length - 1].push({ kind: "plain", filler: true });
  return order;
}
