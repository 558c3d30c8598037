import { expect } from "chai";
import { releaseEngine } from "../../../prover/engine/bn254.js";
import { frVecToBigints } from "../../../prover/engine/fr.js";
import { add, constant, mul, query, sub, type Expr } from "../../../prover/plonkish/expression.js";
import { GATES } from "../../../prover/plonkish/layout.js";
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

  it("an empty domain gives an empty vector", async function () {
    const { table } = randomTable(4, 41n);
    expect((await evaluateVector(query(19), tableEnv(table, 2, 2))).length).to.equal(0);
  });
});
