// Lowerings added for issue 25: Sign, the trigonometric and hyperbolic functions (with the period
// reduction of a wide Sin input), Expand, Tile, ConstantOfShape, and RNN, GRU, LSTM unrolled at
// load (a configuration outside the supported one is refused naming the node). Each op model of
// the second conformance set (scripts/op-models.ts) compiles within the reported tolerance, and
// proves and verifies. The period reduction's soundness rests on the division's remainder check
// (a shift by one period lands inside the one-period table), which a cheating witness shows.
import { expect } from "chai";
import { privateCells } from "../../../prover/blocks/cells.js";
import { CircuitBuilder, WIRE } from "../../../prover/circuit/builder.js";
import { compiledCircuit } from "../../../prover/compiler/circuit.js";
import { compileModel } from "../../../prover/compiler/compile.js";
import { LoweringContext } from "../../../prover/compiler/context.js";
import { periodReduction, reduceModPeriod } from "../../../prover/compiler/ops/trig.js";
import { releaseEngine } from "../../../verifier/engine/bn254.js";
import { writeModel } from "../../../prover/onnx/writer.js";
import { getTarget } from "../../../prover/quantize/targets.js";
import { opModels, recurrentModel } from "../../../scripts/op-models.js";
import { expectRejection } from "../../helpers/assert.js";
import { built, cellValue, expectCheatCaught, expectProves, keyFor, lookupEntry, signed, tamper } from "../blocks/harness.js";

describe("compiler: Sign, trigonometric and hyperbolic functions, Expand, Tile, ConstantOfShape, RNN, GRU, LSTM", function () {
  this.timeout(300_000);
  after(releaseEngine);

  for (const m of opModels()) {
    it(`${m.name}: within the reported tolerance`, async () => {
      const model = await compileModel(writeModel(m.spec), { samples: [m.input], inputVisibility: "public" });
      const { accuracy } = model.manifest;
      expect(accuracy.maxAbsError).to.be.at.most(accuracy.tolerance);
      // Tight: at most 2% of the outputs' size, or a few output steps for the exact ops.
      expect(accuracy.maxAbsError).to.be.below(Math.max(0.02 * accuracy.maxAbsOutput, 0.005));
      if (m.name === "op_sin_wide") {
        expect(model.manifest.circuit.blockRows["period reduction"], "reduced").to.be.greaterThan(0);
        expect(model.manifest.circuit.tables.find((t) => t.kind === "Sin")?.entries).to.equal(256);
      }
      if (m.name === "op_sin") expect(model.manifest.circuit.blockRows["period reduction"], "narrow: not reduced").to.equal(undefined);
    });
  }

  for (const m of opModels()) {
    it(`${m.name}: proves and verifies (target resources: tables of at most 2^11 entries, a short test)`, async () => {
      const model = await compileModel(writeModel(m.spec), { samples: [m.input], inputVisibility: "public", target: "resources" });
      expect(model.manifest.accuracy.maxAbsError).to.be.at.most(model.manifest.accuracy.tolerance);
      const { table, witness } = compiledCircuit(model).build({});
      await expectProves(await keyFor(table), witness);
    });
  }

  it("a recurrent layer outside the supported configuration is refused at load naming the node", async () => {
    const sideways = recurrentModel("LSTM", 4, "sideways", { direction: { string: "sideways" } });
    await expectRejection(compileModel(writeModel(sideways.spec), { samples: [sideways.input] }), /node "lstm" \(LSTM\): direction sideways is not one of forward, reverse, bidirectional/);
    // Weights for one direction under direction = bidirectional.
    const oneWay = recurrentModel("RNN", 1, "one way");
    oneWay.spec.nodes[0].attrs = { ...oneWay.spec.nodes[0].attrs, direction: { string: "bidirectional" } };
    await expectRejection(compileModel(writeModel(oneWay.spec), { samples: [oneWay.input] }), /node "rnn" \(RNN\): W has 1 directions, direction bidirectional needs 2/);
    const clip = recurrentModel("GRU", 3, "clip", { clip: { float: 2 } });
    await expectRejection(compileModel(writeModel(clip.spec), { samples: [clip.input] }), /node "gru" \(GRU\): attribute clip is not supported/);
  });

  it("period reduction pays only when the table shrinks enough and the period's rounding drifts less than half a step", () => {
    // ±20 at scale 5 (bound 1280, 12 bits), 16 cells: P = 201, drift 7 × 0.06 steps.
    expect(periodReduction(2 * Math.PI, 5, 1280n, 12, 16)).to.deep.include({ period: 201n, maxQuotient: 7n, bits: 8 });
    // ±40 at scale 4: P = 101 is 0.47 steps off the period, 13 periods drift 6 steps.
    expect(periodReduction(2 * Math.PI, 4, 1280n, 12, 16)).to.equal(undefined);
    // 1000 cells: 4 rows each outweigh the smaller table.
    expect(periodReduction(2 * Math.PI, 5, 1280n, 12, 1000)).to.equal(undefined);
  });

  it("a quotient one period off, with the remainder, the reduced value and the table output moved to match, is refused by the remainder's range check", async () => {
    const b = new CircuitBuilder(0);
    const ctx = new LoweringContext(b, { inputs: [], outputs: [], nodes: [], constants: new Map(), values: new Map() }, {}, getTarget("accuracy"));
    // x = 513 at scale 5 (≈ 16.03): q = 3, remainder 10 (+ the half period 100), reduced −90.
    const [x] = privateCells(b, [513n]);
    const reduction = periodReduction(2 * Math.PI, 5, 1280n, 12, 1)!;
    const f = (q: bigint) => BigInt(Math.round(Math.sin(Number(q) / 32) * 1024));
    const { t, quotients } = reduceModPeriod(ctx, { dims: [1], cells: [x], scale: 5 }, reduction, "x");
    const [y] = ctx.lookup("sin test", "Sin", t.cells, reduction.bits, f, "x", 5);
    const { witness, pk } = await built(b);
    await expectProves(pk, witness);
    const q = quotients[0];
    const r = t.cells[0];
    const rem = { col: WIRE.c, row: q.row };
    expect([signed(cellValue(witness, q)), signed(cellValue(witness, r)), signed(cellValue(witness, rem))]).to.deep.equal([3n, -90n, 100n - 90n]);
    // The cheat: q = 2, so the reduced value is −90 + 201 = 111, inside the 8-bit table (sin(111/32)
    // is not sin(513/32)); the division row still holds with remainder 211, out of [0, 200].
    const P = reduction.period;
    const [q2, rem2, r2] = [2n, 10n + P, -90n + P];
    const changes: [typeof q, bigint][] = [
      [q, q2],
      [rem, rem2],
      // q ∈ [−7, 7]: rows (q + 7) − 8 and (7 − q) − 8 of the 4-bit table, each copying q into c.
      ...lookupEntry(q.row + 1, q2 + 7n - 8n),
      [{ col: WIRE.c, row: q.row + 1 }, q2],
      ...lookupEntry(q.row + 2, 7n - q2 - 8n),
      [{ col: WIRE.c, row: q.row + 2 }, q2],
      // remainder ∈ [0, 200]: rows rem − 128 (fine: 83) and (200 − rem) − 128 = −139 (outside the table).
      ...lookupEntry(q.row + 3, rem2 - 128n),
      [{ col: WIRE.c, row: q.row + 3 }, rem2],
      ...lookupEntry(q.row + 4, 200n - rem2 - 128n),
      [{ col: WIRE.c, row: q.row + 4 }, rem2],
      // The reduction row x − P·q and the Sin lookup of its result.
      [{ col: WIRE.b, row: r.row }, q2],
      [r, r2],
      [{ col: WIRE.a, row: y.row }, r2],
      [y, f(r2)],
    ];
    await expectCheatCaught(pk, tamper(witness, changes), "lookup", q.row + 4);
  });
});
