import { expect } from "chai";
import { privateCells } from "../../../prover/blocks/cells.js";
import { maxMany } from "../../../prover/blocks/max.js";
import { signedTable, signedTableKey } from "../../../prover/blocks/range-check.js";
import { CircuitBuilder } from "../../../prover/circuit/builder.js";
import { LoweringContext } from "../../../prover/compiler/context.js";
import { QuantRangeError } from "../../../prover/compiler/errors.js";
import type { ModelGraph } from "../../../prover/compiler/graph.js";
import { releaseEngine } from "../../../verifier/engine/bn254.js";
import { roundShift } from "../../../prover/quantize/fixed-point.js";
import { TARGETS } from "../../../prover/quantize/targets.js";
import { built, cellValue, expectProves, expectSelfCheckFails, tamper } from "../blocks/harness.js";

const emptyGraph: ModelGraph = { inputs: [], outputs: [], nodes: [], constants: new Map(), values: new Map() };

function context(): LoweringContext {
  return new LoweringContext(new CircuitBuilder(0), emptyGraph, { x: 1 }, TARGETS.accuracy);
}

describe("compiler: lowering context (rescale, range checks, lookups)", function () {
  this.timeout(60_000);
  after(releaseEngine);

  it("rescale rounds halves up, proves, and refuses a shifted decomposition", async () => {
    const ctx = context();
    const xs = [-1000n, -17n, -12n, -4n, 0n, 4n, 12n, 1000n];
    const cells = privateCells(ctx.b, xs);
    const y = ctx.rescale(cells, 3, 9, "test");
    const { witness, pk } = await built(ctx.b);
    xs.forEach((x, i) => expect(ctToSigned(cellValue(witness, y[i]))).to.equal(roundShift(x, 3)));
    await expectProves(pk, witness);
    // x = 4: honest y = 1 (x = 8·1 − 4), r = −4. The cheat y = 0, r = 4 satisfies the gate
    // r − x + 8·y = 0 of r's row and the lookup of y's row, but not r's range [−4, 4).
    // Rows: 0–2 the inputs; per element r's lookup row, then y's.
    const yRow = y[5].row;
    expect(yRow).to.equal(3 + 2 * 5 + 1);
    const bad = tamper(witness, [
      [{ col: 0, row: yRow - 1 }, 4n],
      [{ col: 1, row: yRow - 1 }, 4n],
      [{ col: 0, row: yRow }, 0n],
      [{ col: 1, row: yRow }, 0n],
    ]);
    await expectSelfCheckFails(pk, bad, "lookup");
    expect(ctx.blockRows.get("rescale")).to.be.above(0);
  });

  it("rescale by more than one limb (values only)", () => {
    const ctx = context();
    const xs = [-30000n, -8193n, 8192n, 30000n];
    const y = ctx.rescale(privateCells(ctx.b, xs), 14, 3, "wide");
    xs.forEach((x, i) => expect(ctx.signed(y[i])).to.equal(roundShift(x, 14)));
    const { witness } = ctx.b.build();
    expect(witness).to.have.property("a");
  });

  it("a lookup maps x to f(x); a wrong f(x) is rejected; an input outside the table names the node", async () => {
    const ctx = context();
    const cells = privateCells(ctx.b, [-5n, 0n, 7n]);
    const out = ctx.lookup("relu", "relu", cells, 5, (q) => (q > 0n ? q : 0n), "x");
    const { witness, pk } = await built(ctx.b);
    expect(out.map((c) => cellValue(witness, c))).to.deep.equal([0n, 0n, 7n]);
    await expectProves(pk, witness);
    await expectSelfCheckFails(pk, tamper(witness, [[out[2], 6n]]), "lookup");
    const ctx2 = context();
    expect(() => ctx2.lookup("relu", "relu", privateCells(ctx2.b, [16n]), 5, (q) => q, "the input")).to.throw(QuantRangeError, /outside the range \[-16, 15\]/);
  });

  it("signed range checks accept the range and refuse values outside it", async () => {
    const ctx = context();
    const cells = privateCells(ctx.b, [-8n, 7n, 0n]);
    ctx.rangeCheck(cells, 4, "v");
    const { witness, pk } = await built(ctx.b);
    await expectProves(pk, witness);
    // The value and its copy in the lookup row (row 2) both changed: copies hold, the lookup does not.
    await expectSelfCheckFails(pk, tamper(witness, [[cells[1], 8n], [{ col: 0, row: 2 }, 8n]]), "lookup");
    const ctx2 = context();
    expect(() => ctx2.rangeCheck(privateCells(ctx2.b, [9n]), 4, "v")).to.throw(QuantRangeError, /v = 9/);
  });
});

describe("compiler: lowering context shares the blocks' tables", function () {
  it("one signed table per width: the context's range check, ReLU and rescale and a max block use the same 12-bit table", () => {
    const ctx = context();
    const cells = privateCells(ctx.b, [-5n, 3n, 100n, -2000n]);
    ctx.rangeCheck(cells, 12, "v");
    ctx.relu(cells, 12, "v");
    ctx.rescale(cells.map((c) => ctx.scaleCell(c, 16n)), 4, 12, "v");
    // max's differences are unsigned 12-bit checks: looked up shifted in the same signed table.
    maxMany(ctx.b, cells, 12);
    const tables = ctx.b.tables;
    // The rescale's 4-bit remainders add the 4-bit table; nothing else.
    expect(tables.map((t) => t.key).sort()).to.deep.equal([signedTableKey(12), signedTableKey(4)].sort());
    expect(tables.find((t) => t.key === signedTableKey(12))!.entries).to.equal(4096);
    // The manifest's list (ctx.tables) names both, the remainder's table included.
    expect(ctx.tables.map((t) => [t.id, t.kind, t.lo, t.hi])).to.deep.equal([
      [signedTable(ctx.b, 12), "signed range / relu 12 bits", -2048, 2047],
      [signedTable(ctx.b, 4), "signed range / relu 4 bits", -8, 7],
    ]);
  });
});

function ctToSigned(v: bigint): bigint {
  const r = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
  return v > r / 2n ? v - r : v;
}
