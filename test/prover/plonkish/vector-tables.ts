// Pseudo-random vector tables for the gate evaluators, and the verifier's scalar evaluator as
// their reference.
import { R } from "../../../prover/engine/bn254.js";
import { frGet, frVecFromBigints } from "../../../prover/engine/fr.js";
import { evaluateScalar, type Expr } from "../../../prover/plonkish/expression.js";
import { EXTENSION, NUM_COLUMNS, PHASES, SLOT_CHALLENGES } from "../../../prover/plonkish/layout.js";
import type { VectorTable } from "../../../prover/plonkish/vector-eval.js";
import { pseudoRandom } from "../poly/naive.js";

/** A coset-like table of `size` pseudo-random values under every leaf, every challenge drawn, a factor and a y. */
export function randomTable(size: number, seed: bigint): { table: VectorTable; factor: Uint8Array; y: bigint } {
  let s = seed;
  const next = (n: number): bigint[] => pseudoRandom(n, s++);
  const names = [...PHASES.flatMap((p) => p.challenges), ...SLOT_CHALLENGES];
  const scalars = next(names.length + 1);
  const vec = (): Uint8Array => frVecFromBigints(next(size));
  return {
    table: {
      size,
      rowStride: EXTENSION,
      columns: Array.from({ length: NUM_COLUMNS }, vec),
      challenges: new Map(names.map((name, i) => [name, scalars[i]])),
      x: vec(),
      l0: vec(),
      pi: vec(),
      weightCommitment: vec(),
    },
    factor: vec(),
    y: scalars[names.length],
  };
}

/** Element i of `e` from the verifier's scalar evaluator, rotations read cyclically. */
export function scalarAt(table: VectorTable, e: Expr, i: number): bigint {
  const at = (v: Uint8Array | undefined, j: number): bigint => frGet(v!, j % table.size);
  return evaluateScalar(e, {
    column: (col, rot) => at(table.columns[col], i + rot * table.rowStride),
    challenge: (name) => table.challenges.get(name)!,
    x: at(table.x, i),
    l0: at(table.l0, i),
    pi: at(table.pi, i),
    weightCommitment: at(table.weightCommitment, i),
  });
}

/** Element i of Σ_g y^g·G_g · factor from the scalar evaluator. */
export function combinedAt(exprs: readonly Expr[], table: VectorTable, factor: Uint8Array, y: bigint, i: number): bigint {
  const sum = exprs.reduceRight((acc, e) => (acc * y + scalarAt(table, e, i)) % R, 0n);
  return (sum * frGet(factor, i)) % R;
}
