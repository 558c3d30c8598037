// Y = W·X by the Freivalds rows of docs/protocol.md §3.6/§4.5: one row per entry of the left
// matrix, per X cell, per Y cell and per inner index — never one per multiply-add. The left matrix
// is either private fixed weights (matmul) or an activation matrix (matmulActivations, e.g.
// attention's Q·Kᵀ and A·V): a W row's entry is W′ + a, and each kind keeps the other term 0.
import { R } from "../../verifier/engine/bn254.js";
import type { CircuitBuilder } from "../circuit/builder.js";
import { WIRE, type Cell } from "../circuit/builder.js";
import { CircuitError, layout } from "../plonkish/index.js";
import { constantCell } from "./cells.js";

const { FIXED } = layout;

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
 * Lays out one Freivalds product whose W rows are written by `wRow(row, i, j)` and whose entries
 * have the values `left[i][j]`; returns the Y cells.
 */
function freivalds(
  b: CircuitBuilder,
  left: readonly (readonly bigint[])[],
  x: readonly (readonly Cell[])[],
  wRow: (row: number, i: number, j: number) => void,
): Cell[][] {
  const m = left.length;
  const k = x.length;
  const P = x[0].length;
  const i0 = b.indices("i", m);
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
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < k; j++) wRow(freivaldsRow(FIXED.qFW, i0 + BigInt(i), j0 + BigInt(j)), i, j);
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
    const row = freivaldsRow(FIXED.qFY, i0 + BigInt(i), p0 + BigInt(p));
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
 * m + P + 1 rows. Rows: m·k + k·P + m·P + k (each + bias's).
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
  return freivalds(b, w, xs, (row, i, j) => {
    // The weight sits in the weight column; the arithmetic gate (q_l = 1) keeps a = 0 here.
    b.setWeight(row, w[i][j]);
    b.setFixed(row, FIXED.qL, 1n);
  });
}

/**
 * Y = A·X for two activation matrices: A is m×k cells, X is k×P cells; returns Y (m×P fresh
 * c-cells). Each W row holds weight 0 and a copy of A_ij in a. Rows: m·k + k·P + m·P + k.
 */
export function matmulActivations(b: CircuitBuilder, a: readonly (readonly Cell[])[], x: readonly (readonly Cell[])[]): Cell[][] {
  productShape("matmulActivations", a.length, a, x);
  const values = a.map((row) => row.map((cell) => b.value(cell)));
  return freivalds(b, values, x, (row, i, j) => {
    b.copyInto(a[i][j], WIRE.a, row);
  });
}
