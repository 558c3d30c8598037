// Y = W·X against private fixed weights, checked by the Freivalds rows of docs/protocol.md §4:
// one row per weight, per X cell, per Y cell and per inner index — never one per multiply-add.
import { R } from "../engine/bn254.js";
import type { CircuitBuilder} from "../circuit/builder.js";
import { WIRE, type Cell } from "../circuit/builder.js";
import { CircuitError, layout } from "../plonkish/index.js";

const { FIXED } = layout;

/**
 * W is m×k (private weights, row-major), X is k×P cells; returns Y (m×P cells) with
 * Y_ip = Σ_j W_ij·X_jp, each a fresh wire cell that later blocks copy from.
 */
export function matmul(b: CircuitBuilder, weights: readonly (readonly bigint[])[], x: readonly (readonly Cell[])[]): Cell[][] {
  const m = weights.length;
  const k = x.length;
  if (m === 0 || k === 0) throw new CircuitError("matmul: empty matrix");
  const P = x[0].length;
  if (weights.some((row) => row.length !== k)) throw new CircuitError(`matmul: weights must be ${m}×${k}`);
  if (x.some((row) => row.length !== P) || P === 0) throw new CircuitError(`matmul: X must be ${k}×P with P ≥ 1`);
  const i0 = b.indices("i", m);
  const j0 = b.indices("j", k);
  const p0 = b.indices("p", P);

  for (let i = 0; i < m; i++) {
    for (let j = 0; j < k; j++) {
      const row = b.row();
      b.setFixed(row, FIXED.qFW, 1n);
      b.setFixed(row, FIXED.idA, i0 + BigInt(i));
      b.setFixed(row, FIXED.idB, j0 + BigInt(j));
      b.setWeight(row, weights[i][j]);
    }
  }
  for (let j = 0; j < k; j++) {
    for (let p = 0; p < P; p++) {
      const row = b.row();
      b.setFixed(row, FIXED.qFX, 1n);
      b.setFixed(row, FIXED.idA, j0 + BigInt(j));
      b.setFixed(row, FIXED.idB, p0 + BigInt(p));
      const cell = b.cell(WIRE.a, row);
      b.assign(cell, b.value(x[j][p]));
      b.copy(x[j][p], cell);
    }
  }
  const y: Cell[][] = [];
  for (let i = 0; i < m; i++) {
    const out: Cell[] = [];
    for (let p = 0; p < P; p++) {
      const row = b.row();
      b.setFixed(row, FIXED.qFY, 1n);
      b.setFixed(row, FIXED.idA, i0 + BigInt(i));
      b.setFixed(row, FIXED.idB, p0 + BigInt(p));
      let sum = 0n;
      for (let j = 0; j < k; j++) sum = (sum + weights[i][j] * b.value(x[j][p])) % R;
      const cell = b.cell(WIRE.a, row);
      b.assign(cell, (sum + R) % R);
      out.push(cell);
    }
    y.push(out);
  }
  for (let j = 0; j < k; j++) {
    const row = b.row();
    b.setFixed(row, FIXED.qFUV, 1n);
    b.setFixed(row, FIXED.idA, j0 + BigInt(j));
  }
  return y;
}
