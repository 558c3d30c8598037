// Y = W·X by the Freivalds rows of docs/protocol.md §3.6/§4.5: one row per K entries of a weight
// matrix (slot packing) or per entry of an activation matrix, per X cell, per Y cell and per inner
// index — never one per multiply-add. The left matrix is either private fixed weights (matmul:
// weight rows, K output rows to a row) or an activation matrix (matmulActivations, e.g.
// attention's Q·Kᵀ and A·V: activation W rows, their entry in a, slot 0 only).
import { R } from "../engine/bn254.js";
import type { CircuitBuilder } from "../circuit/builder.js";
import { WIRE, type Cell } from "../circuit/builder.js";
import { CircuitError, layout } from "../plonkish/index.js";
import { constantCell } from "./cells.js";

const { FIXED, WEIGHT_SLOTS } = layout;

/** Checks the shapes of an m×k left matrix and a k×P right matrix; returns P. */
function productShape(what: string, m: number, leftRows: readonly (readonly unknown[])[], x: readonly (readonly Cell[])[]): number {
  const k = x.length;
  if (m === 0 || k === 0) throw new CircuitError(`${what}: empty matrix`);
  const P = x[0].length;
  if (leftRows.some((row) => row.length !== k)) throw new CircuitError(`${what}: the left matrix must be ${m}×${k} (X has ${k} rows)`);
  if (P === 0 || x.some((row) => row.length !== P)) throw new CircuitError(`${what}: X must be ${k}×P with P ≥ 1`);
  return P;
}

/**
 * Lays out one Freivalds product with `slots` output rows to an output index i_b (output row i is
 * slot i mod slots of i_b = ⌊i/slots⌋), whose W rows, one per (i_b, j) of kind `selector`, are
 * written by `wRow(row, i_b, j)` and whose entries have the values `left[i][j]`; returns the Y cells.
 */
function freivalds(
  b: CircuitBuilder,
  left: readonly (readonly bigint[])[],
  x: readonly (readonly Cell[])[],
  slots: number,
  selector: number,
  wRow: (row: number, ib: number, j: number) => void,
): Cell[][] {
  const m = left.length;
  const k = x.length;
  const P = x[0].length;
  const blocks = Math.ceil(m / slots);
  const i0 = b.indices("i", blocks);
  const j0 = b.indices("j", k);
  const p0 = b.indices("p", P);

  // A fresh row of Freivalds kind `selector` with indices (idA, idB).
  const freivaldsRow = (selector: number, idA: bigint, idB: bigint): number => {
    const row = b.row();
    b.setFixed(row, selector, 1n);
    b.setFixed(row, FIXED.idA, idA);
    b.setFixed(row, FIXED.idB, idB);
    return row;
  };
  for (let ib = 0; ib < blocks; ib++) {
    for (let j = 0; j < k; j++) wRow(freivaldsRow(selector, i0 + BigInt(ib), j0 + BigInt(j)), ib, j);
  }
  const xValues = x.map((row) => row.map((cell) => b.value(cell)));
  // X and Y rows keep their value in c and are laid out in turns (Y, X, Y, X, …, then the longer
  // kind's rest), all of them open: a Y row and the row after it can hold the rescale of Y in
  // their free a, b and lookup (division.ts), and other blocks' one-row lookups take the rest.
  const xRow = (t: number): void => {
    const [j, p] = [Math.floor(t / P), t % P];
    const row = freivaldsRow(FIXED.qFX, j0 + BigInt(j), p0 + BigInt(p));
    b.copyInto(x[j][p], WIRE.c, row);
    b.openRow(row);
  };
  const y: Cell[][] = Array.from({ length: m }, () => []);
  const yRow = (t: number): void => {
    const [i, p] = [Math.floor(t / P), t % P];
    const row = freivaldsRow(FIXED.qFY, i0 + BigInt(Math.floor(i / slots)), p0 + BigInt(p));
    b.setFixed(row, FIXED.idC, BigInt(i % slots));
    let sum = 0n;
    for (let j = 0; j < k; j++) sum = (sum + left[i][j] * xValues[j][p]) % R;
    const cell = b.cell(WIRE.c, row);
    b.assign(cell, sum);
    y[i].push(cell);
    b.openRow(row, "last");
  };
  const xCount = k * P;
  const yCount = m * P;
  for (let t = 0; t < Math.max(xCount, yCount); t++) {
    if (t < yCount) yRow(t);
    if (t < xCount) xRow(t);
  }
  for (let j = 0; j < k; j++) freivaldsRow(FIXED.qFUV, j0 + BigInt(j), 0n);
  return y;
}

/**
 * Y = W·X (+ bias) against private fixed weights. W is m×k (row-major field elements), X is k×P
 * cells; returns Y (m×P fresh c-cells) with Y_ip = Σ_j W_ij·X_jp + bias_i. A bias (private, like
 * the weights) is an extra weight column multiplied by a row of constant-1 cells, so it costs
 * ⌈m/K⌉ + P + 1 rows. Rows: ⌈m/K⌉·k + k·P + m·P + k (each + bias's): weight row (i_b, j) holds
 * W_(K·i_b + t, j) in its slot t (0 in the slots past m).
 */
export function matmul(
  b: CircuitBuilder,
  weights: readonly (readonly bigint[])[],
  x: readonly (readonly Cell[])[],
  bias?: readonly bigint[],
): Cell[][] {
  productShape("matmul", weights.length, weights, x);
  let w = weights;
  let xs = x;
  if (bias !== undefined) {
    if (bias.length !== weights.length) throw new CircuitError(`matmul: bias has ${bias.length} entries, W has ${weights.length} rows`);
    const one = constantCell(b, 1n);
    w = weights.map((row, i) => [...row, bias[i]]);
    xs = [...x, x[0].map(() => one)];
  }
  return freivalds(b, w, xs, WEIGHT_SLOTS, FIXED.qFWT, (row, ib, j) => {
    // The row's K slots hold output rows K·i_b … K·i_b + K − 1; its wires and gate stay unused.
    for (let t = 0; t < WEIGHT_SLOTS && ib * WEIGHT_SLOTS + t < w.length; t++) b.setWeight(row, t, w[ib * WEIGHT_SLOTS + t][j]);
  });
}

/**
 * Y = A·X for two activation matrices: A is m×k cells, X is k×P cells; returns Y (m×P fresh
 * c-cells). Each W row holds weight 0 and a copy of A_ij in a. Rows: m·k + k·P + m·P + k.
 */
export function matmulActivations(b: CircuitBuilder, a: readonly (readonly Cell[])[], x: readonly (readonly Cell[])[]): Cell[][] {
  productShape("matmulActivations", a.length, a, x);
  const values = a.map((row) => row.map((cell) => b.value(cell)));
  return freivalds(b, values, x, 1, FIXED.qFW, (row, i, j) => {
    b.copyInto(a[i][j], WIRE.a, row);
  });
}
