// Review of protocol v6 convolution runs: hand-edited keys that try to make a declared run read as
// "the convolution of geometry G of the cells its X rows copy" while the table proves something
// else (docs/protocol.md §3.8 rule 6, "what a key with runs states"). Each forged table is given to
// setup and to check-circuit's structure check (the same checkRuns, on the file's columns and runs);
// both must refuse it, naming why. These complement test/prover/blocks/conv.test.ts ("malicious
// keys"), which covers a stride that is not alias-free, a flat input moved to exponent 1, a step
// moved by one row, a junk cell read by a copy or q_o, q_c = −2 on the constant row and another
// product's weight row with the run's output index.
import { expect } from "chai";
import { releaseEngine } from "../../verifier/engine/bn254.js";
import { frGet, frSet } from "../../verifier/engine/fr.js";
import { frMod } from "../../verifier/engine/scalar.js";
import { CircuitBuilder } from "../../prover/circuit/builder.js";
import { privateCells } from "../../prover/blocks/cells.js";
import { conv2d, type ConvResult } from "../../prover/blocks/conv.js";
import { matmul } from "../../prover/blocks/matmul.js";
import { checkPublicCircuit, layout, plainPublicInputLayout, setup, srsSizeFor, type CircuitTable, type ProvingKey } from "../../prover/plonkish/index.js";
import { devSrs } from "../../prover/srs/index.js";
import { expectRejection } from "../helpers/assert.js";
import { keyFor } from "../prover/blocks/harness.js";

const { FIXED } = layout;

/** 3×3 pad 1 with bias, 2 → 3 on 5×5 (row stride 6), optionally followed by a flat 1×3 product of three of its outputs. */
function padded(withFlat = false): { b: CircuitBuilder; result: ConvResult; table: CircuitTable } {
  const b = new CircuitBuilder(0);
  const x = [0, 1].map((c) => Array.from({ length: 5 }, (_, y) => privateCells(b, Array.from({ length: 5 }, (_, x) => BigInt(10 * c + y - x)))));
  const w = [0, 1, 2].map((o) => [0, 1].map((c) => [0, 1, 2].map((ky) => [0, 1, 2].map((kx) => BigInt(o + 2 * c - ky + kx)))));
  const result = conv2d(b, x, w, { pads: [1, 1, 1, 1], bias: [5n, -6n, 7n] });
  if (withFlat) matmul(b, [[1n, 2n, 3n]], [[result.y[0][0][0]], [result.y[1][0][0]], [result.y[2][0][0]]]);
  return { b, result, table: b.build().table };
}

/** 1×1, 3 → 5 on 3×4 without padding: input cell (0, 0) of every channel sits at exponent 0. */
function pointwise(): { b: CircuitBuilder; result: ConvResult } {
  const b = new CircuitBuilder(0);
  const x = [0, 1, 2].map((c) => Array.from({ length: 3 }, (_, y) => privateCells(b, Array.from({ length: 4 }, (_, x) => BigInt(c + y + x)))));
  const w = [0, 1, 2, 3, 4].map((o) => [0, 1, 2].map((c) => [[BigInt(o - c)]]));
  return { b, result: conv2d(b, x, w, {}) };
}

function withFixed(table: CircuitTable, edits: [col: number, row: number, value: bigint][]): CircuitTable {
  const fixed = table.fixed.map((v) => v.slice());
  for (const [col, row, value] of edits) frSet(fixed[col], row, frMod(value));
  return { ...table, fixed };
}

const rowsWhere = (table: CircuitTable, col: number, value: bigint): number[] => [...Array(2 ** table.logRows).keys()].filter((r) => frGet(table.fixed[col], r) === frMod(value));

/** A fresh row with the given fixed values. */
function handRow(b: CircuitBuilder, ...values: [number, bigint][]): number {
  const r = b.row();
  for (const [col, v] of values) if (v !== 0n) b.setFixed(r, col, v);
  return r;
}

describe("review: forged keys with convolution runs (setup and check-circuit refuse each)", function () {
  this.timeout(600_000);
  after(releaseEngine);

  let honest: Promise<ProvingKey> | undefined;
  /** setup refuses `table` and check-circuit's structure check (against an honest key of the same shape) names the same reason. */
  async function refused(table: CircuitTable, reason: RegExp): Promise<void> {
    await expectRejection(keyFor(table), reason);
    const pk = await (honest ??= keyFor(padded().table));
    const srs = await devSrs(srsSizeFor(pk.vk.logRows));
    const check = await checkPublicCircuit({ table, layout: plainPublicInputLayout(table.publicInputCount) }, pk.vk, srs);
    expect(check.ok).to.equal(false);
    const structure = check.checks.find((c) => c.name === "structure")!;
    expect(structure.ok).to.equal(false);
    expect(structure.detail).to.match(reason);
  }

  it("the honest run is accepted by both (so each refusal below is the edit's)", async () => {
    const { table } = padded(true);
    const srs = await devSrs(srsSizeFor(table.logRows));
    const pk = await setup(table, srs);
    expect((await checkPublicCircuit({ table, layout: plainPublicInputLayout(0) }, pk.vk, srs)).ok).to.equal(true);
  });

  it("a ones cell that need not be 1: the constant-1 row its cycle reaches also reads b (q_r), c (q_o), a·b (q_m) or the next row's a (q_n)", async () => {
    const { table } = padded();
    const [constant] = rowsWhere(table, FIXED.qC, -1n);
    for (const col of [FIXED.qR, FIXED.qO, FIXED.qM, FIXED.qN]) {
      await refused(withFixed(table, [[col, constant, 1n]]), /is a ones row, but its c cell is not a copy of a constant-1 cell/);
    }
  });

  it("a step column that gives run rows other exponents: a reset inside the run, the run's reset removed (the exponent runs on to the wrap-around: Lemma C1's ψ^e = 1), a step on the table's last row", async () => {
    const { table } = padded();
    const steps = rowsWhere(table, FIXED.s, 1n);
    const [reset] = rowsWhere(table, FIXED.s, 2n);
    await refused(withFixed(table, [[FIXED.s, steps[Math.floor(steps.length / 2)], 2n]]), /\(a [WXY] row with indices of convolution run 0\) (is not a row of that run's geometry|repeats an entry)/);
    await refused(withFixed(table, [[FIXED.s, reset, 0n]]), /the exponent steps end at exponent \d+ after the last row, not 0/);
    const last = 2 ** table.logRows - 1;
    expect(frGet(table.fixed[FIXED.s], last)).to.equal(0n);
    await refused(withFixed(table, [[FIXED.s, last, 1n]]), /the exponent steps end at exponent 1 after the last row/);
  });

  it("another product's rows inside the run at a nonzero exponent: the run's reset moved past a flat product's rows", async () => {
    const { table } = padded(true);
    const [reset] = rowsWhere(table, FIXED.s, 2n);
    const flatY = rowsWhere(table, FIXED.qFY, 1n).filter((r) => r > reset);
    expect(flatY.length).to.equal(1);
    await refused(withFixed(table, [[FIXED.s, reset, 0n], [FIXED.s, flatY[0], 2n]]), /is a Freivalds row \(q_f\w+ = 1\) at exponent [1-9]\d* outside every declared convolution run/);
  });

  it("an input counted twice (a second X row at a cell's exponent, copying the same cell) and an input at an exponent no cell has", async () => {
    const twice = pointwise();
    const run = twice.b.build().table.runs![0];
    const extra = handRow(twice.b, [FIXED.qFX, 1n], [FIXED.idA, run.j], [FIXED.idB, run.p]);
    twice.b.copyInto(twice.result.inputs[0][0], 2, extra);
    await refused(twice.b.build().table, new RegExp(`row ${extra} \\(a X row with indices of convolution run 0\\) repeats an entry of the run \\(X:0:0\\)`));
    // In the padded run exponent 0 is padding: an X row there adds a cell no tap should read.
    const stray = padded();
    const r = stray.table.runs![0];
    const row = handRow(stray.b, [FIXED.qFX, 1n], [FIXED.idA, r.j + 1n], [FIXED.idB, r.p]);
    stray.b.copyInto(stray.result.inputs[1][3], 2, row);
    await refused(stray.b.build().table, new RegExp(`row ${row} \\(a X row with indices of convolution run 0\\) is not a row of that run's geometry at exponent 0`));
  });

  it("a weight acting outside its tap or its group: a weight row's inner index changed, or its selector made an activation W row", async () => {
    const { table, result } = padded();
    const run = table.runs![0];
    const { row, j } = result.weightRows.find((w) => w.tap === 4 && w.j === 0)!;
    expect(j).to.equal(0);
    await refused(withFixed(table, [[FIXED.idB, row, run.j + 1n]]), /\(a W row with indices of convolution run 0\) repeats an entry of the run \(W:0:1:/);
    await refused(withFixed(table, [[FIXED.idB, row, run.j + 2n]]), new RegExp(`row ${row} \\(a W row with indices of convolution run 0\\) is not a row of that run's geometry`));
    await refused(withFixed(table, [[FIXED.qFWT, row, 0n], [FIXED.qFW, row, 1n]]), new RegExp(`row ${row} \\(a W row with indices of convolution run 0\\) is an activation W row`));
  });

  it("a flat product sharing the run's inner index or column index (its rows at exponent 0) is refused, so no term joins the run's identity", async () => {
    for (const role of ["inner", "column X", "column Y"] as const) {
      const { b, table } = padded();
      const run = table.runs![0];
      const [i, j, p] = [b.indices("i", 1), b.indices("j", 1), b.indices("p", 1)];
      const add = (sel: number, a: bigint, bb: bigint, idc = 0n): number => handRow(b, [sel, 1n], [FIXED.idA, a], [FIXED.idB, bb], [FIXED.idC, idc]);
      const wj = role === "inner" ? run.j : j;
      const xp = role === "column X" ? run.p : p;
      const yp = role === "column Y" ? run.p : p;
      const w = add(FIXED.qFWT, i, wj);
      b.setWeight(w, 0, 1n);
      const xRow = add(FIXED.qFX, wj, xp);
      b.copyInto(privateCells(b, [3n])[0], 2, xRow);
      const yRow = add(FIXED.qFY, i, yp);
      b.assign(b.cell(2, yRow), 3n);
      if (role !== "inner") add(FIXED.qFUV, wj, 0n);
      const kind = role === "inner" ? "W" : role === "column X" ? "X" : "Y";
      const at = kind === "W" ? w : kind === "X" ? xRow : yRow;
      await refused(b.build().table, new RegExp(`row ${at} \\(a ${kind} row with indices of convolution run 0\\) is not a row of that run's geometry`));
    }
  });

  it("two declared runs sharing indices: the same run declared twice, and a second convolution declared with the first one's output or column index", async () => {
    const b = new CircuitBuilder(0);
    const x = [Array.from({ length: 2 }, () => privateCells(b, [1n, 2n]))];
    conv2d(b, x, [[[[1n]]]], {});
    conv2d(b, x, [[[[2n]]]], {});
    const two = b.build().table;
    const [first, second] = two.runs!;
    await refused({ ...two, runs: [first, first] }, /convolution runs 0 and 1 share output index/);
    await refused({ ...two, runs: [first, { ...second, i: first.i }] }, /convolution runs 0 and 1 share output index/);
    await refused({ ...two, runs: [first, { ...second, p: first.p }] }, /convolution runs 0 and 1 share column index/);
  });
});
