import { expect } from "chai";
import { R, releaseEngine } from "../../../verifier/engine/bn254.js";
import { frVecFromBigints, frVecToBigints } from "../../../verifier/engine/fr.js";
import { add, constant, mul, query, sub, type Expr } from "../../../verifier/plonkish/expression.js";
import { GATES } from "../../../verifier/plonkish/layout.js";
import { combineVector, evaluateVector, tableEnv } from "../../../prover/plonkish/vector-eval.js";
import { combinedAt, randomTable, scalarAt } from "./vector-tables.js";

describe("plonkish: gate expressions over vectors", function () {
  after(releaseEngine);

  it("Σ y^g·G_g · factor matches the scalar evaluator on every element, over several chunks and a short last one", async function () {
    // 2,500 elements: chunks of 1,024, 1,024 and 452; rotations wrap around the end.
    const { table, factor, y } = randomTable(2_500, 21n);
    const exprs = GATES.map((g) => g.expr);
    const out = frVecToBigints(await combineVector(exprs, y, tableEnv(table), factor));
    expect(out).to.deep.equal(Array.from({ length: table.size }, (_, i) => combinedAt(exprs, table, factor, y, i)));
  });

  it("folds scalars: constants broadcast, a zero factor gives 0, a leaf or a subexpression used twice, scalars added and multiplied once", async function () {
    const { table } = randomTable(1_500, 31n);
    const env = tableEnv(table);
    const a = query(19);
    const aNext = query(19, 1);
    const cases: Expr[] = [
      add(3, 4),
      mul(a, 0, query(20)),
      mul(a, a),
      add(a, 5, aNext, -5, 7),
      mul(2, a, 3, aNext),
      sub(mul(a, aNext), mul(aNext, a)),
      // A repeated subexpression, computed once per chunk and read by both uses.
      add(mul(a, aNext), mul(a, aNext), mul(add(a, 1), add(a, 1)), mul(3, add(a, 1))),
      constant(0),
    ];
    for (const e of cases) {
      const out = frVecToBigints(await evaluateVector(e, env));
      expect(out, JSON.stringify(e, (_, v) => (typeof v === "bigint" ? v.toString() : v))).to.deep.equal(Array.from({ length: table.size }, (_, i) => scalarAt(table, e, i)));
    }
  });

  it("our vector kernels and ffjavascript's per-element operations give the same bytes, on random and on edge values", async function () {
    const saved = process.env.ZKINFER_ENGINE;
    try {
      const exprs = GATES.map((g) => g.expr);
      const { table, factor, y } = randomTable(1_100, 51n);
      // The same table with every vector replaced by a cycle of 0, 1, r − 1, r − 2 (factor too).
      const edges = [0n, 1n, R - 1n, R - 2n];
      const edgy = (v: Uint8Array | undefined, shift: number): Uint8Array | undefined =>
        v && frVecFromBigints(Array.from({ length: v.length / 32 }, (_, i) => edges[(i + shift) % edges.length]));
      const edgeTable = { ...table, columns: table.columns.map((v, c) => edgy(v, c)), x: edgy(table.x, 1), l0: edgy(table.l0, 2), pi: edgy(table.pi, 3), weightCommitment: edgy(table.weightCommitment, 0) };
      for (const [t, f, yy] of [
        [table, factor, y],
        [edgeTable, edgy(factor, 1)!, R - 1n],
        [edgeTable, undefined, 0n],
      ] as const) {
        const run = async (engine: string) => {
          process.env.ZKINFER_ENGINE = engine;
          return Buffer.from(await combineVector(exprs, yy, tableEnv(t), f));
        };
        expect((await run("zkinfer")).equals(await run("ffjavascript"))).to.equal(true);
      }
    } finally {
      if (saved === undefined) delete process.env.ZKINFER_ENGINE;
      else process.env.ZKINFER_ENGINE = saved;
    }
  });

  it("an empty domain gives an empty vector", async function () {
    const { table } = randomTable(4, 41n);
    expect((await evaluateVector(query(19), tableEnv(table, 2, 2))).length).to.equal(0);
  });
});
