// The convolution block (prover/blocks/conv.ts): one run of Freivalds rows per convolution, no
// im2col copies (docs/protocol.md §3.6 "Convolution runs", docs/proposals/convolution.md §3).
// Completeness: five convolutions prove and verify with outputs equal to a direct convolution.
// Malicious witnesses: a tampered output, input cell, junk value, ones cell and weight, refused by
// the TS and the generated Solidity verifier; the adaptive junk cheat closes the identity only at
// the ψ it was made for. Malicious keys: a row stride that is not alias-free, and a dense product
// with one X row at exponent 1 plus junk rows, refused by setup; the public circuit file and pk.bin
// carry the runs, check-circuit and check-key recompute them, and check-circuit refuses any run.
import { expect } from "chai";
import { releaseEngine } from "../../../verifier/engine/bn254.js";
import { frGet, frSet } from "../../../verifier/engine/fr.js";
import { frExp, frMod } from "../../../verifier/engine/scalar.js";
import { CircuitBuilder, type Cell } from "../../../prover/circuit/builder.js";
import { constantCell, privateCells } from "../../../prover/blocks/cells.js";
import { conv2d, type ConvOptions } from "../../../prover/blocks/conv.js";
import { matmul } from "../../../prover/blocks/matmul.js";
import { setLimbBits } from "../../../prover/blocks/range-check.js";
import { rescaleCells } from "../../../prover/blocks/rescale.js";
import { aliasing, runEntries, smallestRowStride } from "../../../prover/plonkish/conv-run.js";
import { devSrs } from "../../../prover/srs/index.js";
import {
  checkPublicCircuit,
  decodeProvingKey,
  decodePublicCircuit,
  encodeProvingKey,
  encodePublicCircuit,
  KeyConsistencyError,
  layout,
  plainPublicInputLayout,
  prove,
  setup,
  srsSizeFor,
  verify,
  type CircuitTable,
  type ProvingKey,
  type Witness,
} from "../../../prover/plonkish/index.js";
import { sameTable } from "../../../prover/cli/model-dir.js";
import { solidityVerdict } from "../../helpers/solidity-verifier.js";
import { expectRejection } from "../../helpers/assert.js";
import { fieldRng } from "../plonkish/circuits.js";
import { built, cellValue, expectProves, expectSelfCheckFails, keyFor, tamper } from "./harness.js";
import { prng } from "../plonkish/circuits.js";

const { FIXED } = layout;

interface Case {
  name: string;
  cIn: number;
  cOut: number;
  size: [number, number];
  kernel: [number, number];
  options: Omit<ConvOptions, "bias"> & { bias?: boolean };
}

const CASES: Case[] = [
  { name: "3×3 pad 1 with bias, 2 → 3 on 5×5", cIn: 2, cOut: 3, size: [5, 5], kernel: [3, 3], options: { pads: [1, 1, 1, 1], bias: true } },
  { name: "5×5 valid, 1 → 2 on 7×6", cIn: 1, cOut: 2, size: [7, 6], kernel: [5, 5], options: {} },
  { name: "3×3 pad 1, groups 2, 4 → 6 on 4×4, bias", cIn: 4, cOut: 6, size: [4, 4], kernel: [3, 3], options: { pads: [1, 1, 1, 1], groups: 2, bias: true } },
  { name: "depthwise 3×3 pad (1, 0, 1, 2), 3 → 3 on 4×5", cIn: 3, cOut: 3, size: [4, 5], kernel: [3, 3], options: { pads: [1, 0, 1, 2], groups: 3 } },
  { name: "1×1 with bias, 3 → 5 on 3×4", cIn: 3, cOut: 5, size: [3, 4], kernel: [1, 1], options: { bias: true } },
  { name: "the small CNN's layer: 3×3 pad 1 with bias, 4 → 8 on 12×12", cIn: 4, cOut: 8, size: [12, 12], kernel: [3, 3], options: { pads: [1, 1, 1, 1], bias: true } },
  // More output channels per group than a weight row has slots (K = 8): two slot groups, the second partly empty.
  { name: "3×3 pad 1 with bias, 2 → 10 on 4×4", cIn: 2, cOut: 10, size: [4, 4], kernel: [3, 3], options: { pads: [1, 1, 1, 1], bias: true } },
  { name: "1×1, groups 2, 2 → 18 on 3×3", cIn: 2, cOut: 18, size: [3, 3], kernel: [1, 1], options: { groups: 2 } },
];

type Tensor4 = bigint[][][][];

/** A fresh row with the given fixed values (a hand-made key's Freivalds rows). */
function handRow(b: CircuitBuilder, ...values: [number, bigint][]): number {
  const r = b.row();
  for (const [col, v] of values) if (v !== 0n) b.setFixed(r, col, v);
  return r;
}

/** Inputs, weights and bias of a case, small signed integers from a fixed seed. */
function data(c: Case, seed: number) {
  const next = prng(seed);
  const small = (m: bigint) => (next() % (2n * m + 1n)) - m;
  const groups = c.options.groups ?? 1;
  const x = Array.from({ length: c.cIn }, () => Array.from({ length: c.size[0] }, () => Array.from({ length: c.size[1] }, () => small(50n))));
  const w: Tensor4 = Array.from({ length: c.cOut }, () => Array.from({ length: c.cIn / groups }, () => Array.from({ length: c.kernel[0] }, () => Array.from({ length: c.kernel[1] }, () => small(20n)))));
  const bias = c.options.bias ? Array.from({ length: c.cOut }, () => small(100n)) : undefined;
  return { x, w, bias };
}

/** The convolution computed directly (ONNX Conv semantics, stride 1). */
function reference(c: Case, x: bigint[][][], w: Tensor4, bias?: bigint[]): bigint[][][] {
  const [pt, pl, pb, pr] = c.options.pads ?? [0, 0, 0, 0];
  const groups = c.options.groups ?? 1;
  const [kh, kw] = c.kernel;
  const ho = c.size[0] + pt + pb - kh + 1;
  const wo = c.size[1] + pl + pr - kw + 1;
  return w.map((wo_, o) =>
    Array.from({ length: ho }, (_, py) =>
      Array.from({ length: wo }, (_, px) => {
        let s = bias?.[o] ?? 0n;
        const group = Math.floor(o / (c.cOut / groups));
        wo_.forEach((kernel, cc) => {
          const plane = x[group * (c.cIn / groups) + cc];
          for (let ky = 0; ky < kh; ky++) {
            for (let kx = 0; kx < kw; kx++) {
              const [iy, ix] = [py + ky - pt, px + kx - pl];
              if (iy >= 0 && iy < c.size[0] && ix >= 0 && ix < c.size[1]) s += kernel[ky][kx] * plane[iy][ix];
            }
          }
        });
        return s;
      }),
    ),
  );
}

function buildCase(c: Case, seed: number, rowStride?: number) {
  const { x, w, bias } = data(c, seed);
  const b = new CircuitBuilder(0);
  const cells = x.map((plane) => plane.map((row) => privateCells(b, row)));
  const before = b.rows;
  const result = conv2d(b, cells, w, { ...c.options, bias, rowStride });
  // Run and UV rows (the constant-1 cell is shared circuit-wide, as the im2col layout's is).
  const rows = b.rows - before - (bias ? 1 : 0);
  return { b, x, w, bias, result, rows };
}

/** Rows today's im2col layout (matmul per group against im2col copies) takes for the same convolution. */
function im2colRows(c: Case, x: bigint[][][], w: Tensor4, bias?: bigint[]): number {
  const b = new CircuitBuilder(0);
  const cells = x.map((plane) => plane.map((row) => privateCells(b, row)));
  const zero = constantCell(b, 0n);
  if (bias) constantCell(b, 1n);
  const before = b.rows;
  const [pt, pl, pb, pr] = c.options.pads ?? [0, 0, 0, 0];
  const groups = c.options.groups ?? 1;
  const [kh, kw] = c.kernel;
  const ho = c.size[0] + pt + pb - kh + 1;
  const wo = c.size[1] + pl + pr - kw + 1;
  const perOut = c.cOut / groups;
  for (let g = 0; g < groups; g++) {
    const cols: Cell[][] = [];
    const rowsW: bigint[][] = w.slice(g * perOut, (g + 1) * perOut).map(() => []);
    for (let cc = 0; cc < c.cIn / groups; cc++) {
      for (let ky = 0; ky < kh; ky++) {
        for (let kx = 0; kx < kw; kx++) {
          cols.push(
            Array.from({ length: ho * wo }, (_, p) => {
              const [iy, ix] = [Math.floor(p / wo) + ky - pt, (p % wo) + kx - pl];
              return iy >= 0 && iy < c.size[0] && ix >= 0 && ix < c.size[1] ? cells[g * (c.cIn / groups) + cc][iy][ix] : zero;
            }),
          );
          rowsW.forEach((r, o) => r.push(w[g * perOut + o][cc][ky][kx]));
        }
      }
    }
    matmul(b, rowsW, cols, bias?.slice(g * perOut, (g + 1) * perOut));
  }
  return b.rows - before;
}

describe("blocks: conv2d (a convolution run)", function () {
  this.timeout(600_000);
  after(releaseEngine);

  describe("completeness", () => {
    for (const [k, c] of CASES.entries()) {
      it(`${c.name}: outputs are the convolution, and the witness proves`, async () => {
        const { b, x, w, bias, result, rows } = buildCase(c, 100 + k);
        const want = reference(c, x, w, bias);
        const { witness, pk } = await built(b);
        want.forEach((plane, o) => plane.forEach((row, py) => row.forEach((v, px) => expect(cellValue(witness, result.y[o][py][px]), `y[${o}][${py}][${px}]`).to.equal(frMod(v)))));
        const { proof, publicInputs } = await prove(pk, witness);
        expect(await verify(pk.vk, proof, publicInputs)).to.equal(true);
        const { rowStride } = result.geometry;
        console.log(`      rows: run + UV ${rows} (L = ${rowStride}), im2col today ${im2colRows(c, x, w, bias)}`);
      });
    }

    it("the quotient coset by coset (P by transforms, P not flat) gives the whole coset's proof bytes for the same randomness", async () => {
      const { b } = buildCase(CASES[0], 100);
      const { witness, pk } = await built(b);
      const proofs = [];
      for (const quotientEvaluation of ["whole-coset", "per-coset"] as const) proofs.push((await prove(pk, witness, { random: fieldRng(5n), quotientEvaluation })).proof);
      expect(Buffer.from(proofs[1]).equals(Buffer.from(proofs[0]))).to.equal(true);
      expect(await verify(pk.vk, proofs[1], witness.publicInputs)).to.equal(true);
    });
  });

  it("lists a run of 2^18 input cells (64 channels of 64×64) without overflowing the stack", function () {
    // The largest exponent used to be a Math.max over a spread of every X row: ~100k arguments overflowed.
    const base = { inChannels: 64, outChannels: 1, groups: 1, height: 64, width: 64, kernel: [1, 1] as const, pads: [0, 0, 0, 0] as const, bias: false };
    const rowStride = smallestRowStride(base);
    const entries = runEntries({ ...base, rowStride });
    expect(entries.inputs.length).to.equal(64 * 64 * 64);
    // A 1×1 kernel without padding: the last cell (63, 63) has the largest exponent.
    expect(entries.maxExponent).to.equal(63 * rowStride + 63);
  });

  it("pairOutputs: each output's rescale takes its Y row and the next run row in place, with filler rows where an exponent has too few; the rescaled outputs are round(y/2^k) and the witness proves", async () => {
    const cases: Case[] = [CASES[0], { name: "1 → 4 3×3 pad 1 with bias on 5×5", cIn: 1, cOut: 4, size: [5, 5], kernel: [3, 3], options: { pads: [1, 1, 1, 1], bias: true } }];
    for (const [k, c] of cases.entries()) {
      const { x, w, bias } = data(c, 200 + k);
      const b = new CircuitBuilder(0);
      setLimbBits(b, 12);
      const cells = x.map((plane) => plane.map((row) => privateCells(b, row)));
      const unpaired = new CircuitBuilder(0);
      const plain = conv2d(unpaired, x.map((plane) => plane.map((row) => privateCells(unpaired, row))), w, { ...c.options, bias });
      const result = conv2d(b, cells, w, { ...c.options, bias, pairOutputs: true });
      expect(result.rows.end - result.rows.first, c.name).to.equal(plain.rows.end - plain.rows.first + result.fillers);
      if (c.cOut > c.cIn + 1) expect(result.fillers, `${c.name}: fillers`).to.be.above(0);
      const rows = b.rows;
      const want = reference(c, x, w, bias);
      const q = result.y.map((plane) => plane.map((row) => row.map((cell) => rescaleCells(b, cell, 4, { outRange: { lo: -2048n, hi: 2047n } }).q)));
      expect(b.rows, `${c.name}: the rescales add no rows`).to.equal(rows);
      const { witness, pk } = await built(b);
      want.forEach((plane, o) => plane.forEach((row, py) => row.forEach((v, px) => expect(cellValue(witness, q[o][py][px])).to.equal(frMod((v + 8n) >> 4n)))));
      await expectProves(pk, witness);
    }
  });

  it("with hosted rows (fillOpenRows): guests go into a matmul's weight rows, never into the run, whose rows stay consecutive with their steps; the witness proves", async () => {
    const c = CASES[0];
    const { x, w, bias } = data(c, 100);
    const b = new CircuitBuilder(0, { fillOpenRows: true });
    const cells = x.map((plane) => plane.map((row) => privateCells(b, row)));
    const result = conv2d(b, cells, w, { ...c.options, bias });
    matmul(b, [[1n, 2n, 3n]], [[result.y[0][0][0]], [result.y[1][0][0]], [result.y[2][0][0]]]);
    privateCells(b, [1n, 2n, 3n, 4n, 5n, 6n]);
    const { table, witness, pk } = await built(b);
    expect(b.hostedRows).to.be.greaterThan(0);
    const { first, end } = result.rows;
    const placed = Array.from({ length: end - first }, (_, k) => b.placedCell({ col: 2, row: first + k }).row);
    expect(placed.every((r, k) => r === placed[0] + k)).to.equal(true);
    expect(frGet(table.fixed[FIXED.s], placed[placed.length - 1])).to.equal(2n);
    const want = reference(c, x, w, bias);
    expect(cellValue(witness, b.placedCell(result.y[2][3][1]))).to.equal(frMod(want[2][3][1]));
    const { proof, publicInputs } = await prove(pk, witness);
    expect(await verify(pk.vk, proof, publicInputs)).to.equal(true);
  });

  describe("malicious witnesses (3×3 pad 1 with bias)", () => {
    const c = CASES[0];
    const { b, result } = buildCase(c, 100);
    let made: Promise<{ witness: Witness; pk: ProvingKey; solidity: Awaited<ReturnType<typeof solidityVerdict>> }> | undefined;
    const key = () =>
      (made ??= (async () => {
        const { witness, pk } = await built(b);
        return { witness, pk, solidity: await solidityVerdict(pk.vk, "ConvRunVerifier") };
      })());
    const verdicts = async (pk: ProvingKey, witness: Witness, solidity: Awaited<ReturnType<typeof solidityVerdict>>, options = {}) => {
      const { proof, publicInputs } = await prove(pk, witness, { skipSelfCheck: true, ...options });
      return [await verify(pk.vk, proof, publicInputs), await solidity(proof, publicInputs)];
    };
    const plus = (w: Witness, cell: Cell, d: bigint) => tamper(w, [[cell, cellValue(w, cell) + d]]);

    it("the honest proof verifies in TS and in Solidity", async () => {
      const { witness, pk, solidity } = await key();
      expect(await verdicts(pk, witness, solidity)).to.deep.equal([true, true]);
    });

    it("a tampered output is refused (Freivalds gate)", async () => {
      const { witness, pk, solidity } = await key();
      const cheat = plus(witness, result.y[1][2][3], 1n);
      await expectSelfCheckFails(pk, cheat, "freivalds");
      expect(await verdicts(pk, cheat, solidity)).to.deep.equal([false, false]);
    });

    it("a tampered junk value is refused (Freivalds gate)", async () => {
      const { witness, pk, solidity } = await key();
      const cheat = plus(witness, result.junk[2][0], 1n);
      await expectSelfCheckFails(pk, cheat, "freivalds");
      expect(await verdicts(pk, cheat, solidity)).to.deep.equal([false, false]);
    });

    it("an input cell in its X row that differs from the producer's is refused (permutation)", async () => {
      const { witness, pk, solidity } = await key();
      const cheat = plus(witness, result.inputs[1][7], 3n);
      await expectSelfCheckFails(pk, cheat, "permutation");
      expect(await verdicts(pk, cheat, solidity)).to.deep.equal([false, false]);
    });

    it("a ones cell set by value (5 instead of a copy of the constant 1) is refused (permutation)", async () => {
      const { witness, pk, solidity } = await key();
      const cheat = tamper(witness, [[result.ones[4], 5n]]);
      await expectSelfCheckFails(pk, cheat, "permutation");
      expect(await verdicts(pk, cheat, solidity)).to.deep.equal([false, false]);
    });

    it("proving with another weight than the key commits is refused (the self-check finds the outputs wrong for it)", async () => {
      const { witness, pk, solidity } = await key();
      const { row } = result.weightRows[5];
      const weights = pk.table.weights.map((col) => col.slice());
      const other = { ...pk, table: { ...pk.table, weights } };
      frSet(weights[1], row, frMod(frGet(weights[1], row) + 1n));
      await expectRejection(prove(other, witness, { weightsFromTable: true }), /freivalds|weight-link/);
      expect(await verdicts(other, witness, solidity, { weightsFromTable: true })).to.deep.equal([false, false]);
    });

    it("the adaptive junk cheat hides an output error at a predicted ψ only: the transcript's ψ rejects it", async () => {
      const { witness, pk, solidity } = await key();
      // An output error e at exponent E is cancelled in Σ_E F[E]·ψ^E by −e·ψ^(E − E′) in a junk
      // row of the same channel at E′, for one ψ chosen before the transcript draws it.
      const exponent = (cell: Cell) => {
        let e = 0;
        for (let r = 0; r < cell.row; r++) {
          const s = frGet(pk.table.fixed[FIXED.s], r);
          e = s === 1n ? e + 1 : s === 2n ? 0 : e;
        }
        return e;
      };
      const out = result.y[0][1][1];
      const junk = result.junk[0][0];
      const guess = 0x1234567n;
      const shift = exponent(out) - exponent(junk);
      expect(shift).to.be.greaterThan(0);
      const cheat = tamper(witness, [
        [out, cellValue(witness, out) + 1n],
        [junk, cellValue(witness, junk) - frExp(guess, BigInt(shift))],
      ]);
      // At the guessed ψ the channel's polynomial is unchanged ...
      const value = (w: Witness, psi: bigint) => frMod(cellValue(w, out) * frExp(psi, BigInt(exponent(out))) + cellValue(w, junk) * frExp(psi, BigInt(exponent(junk))));
      expect(value(cheat, guess)).to.equal(value(witness, guess));
      // ... at the transcript's, it is not.
      expect(await verdicts(pk, cheat, solidity)).to.deep.equal([false, false]);
    });
  });

  describe("malicious keys", () => {
    it("a row stride that is not alias-free lays out outputs that are not the convolution, and setup refuses it", async () => {
      const c = CASES[0];
      const shape = { inChannels: 2, outChannels: 3, groups: 1, height: 5, width: 5, kernel: [3, 3] as const, pads: [1, 1, 1, 1] as const, bias: true };
      const L = smallestRowStride(shape);
      expect(L).to.equal(6);
      expect(aliasing({ ...shape, rowStride: L - 1 })).to.be.a("string");
      const { b, x, w, bias, result } = buildCase(c, 100, L - 1);
      const want = reference(c, x, w, bias);
      const { table, witness } = b.build();
      const wrong = want.flatMap((plane, o) => plane.flatMap((row, py) => row.filter((v, px) => cellValue(witness, result.y[o][py][px]) !== frMod(v))));
      expect(wrong.length).to.be.greaterThan(0);
      await expectRejection(keyFor(table), /row stride 5 is not alias-free/);
    });

    it("a dense product with one X row at exponent 1 and junk Y rows there (input j dropped) is refused by setup", async () => {
      // Y = W·x for W 2×2: outputs at exponent 0 read x_0 only, x_1 sits at exponent 1 with a junk
      // row per output there, so the identity holds with y = W_0·x_0.
      const b = new CircuitBuilder(0);
      const xs = privateCells(b, [3n, 4n]);
      const W = [
        [2n, 5n],
        [7n, 1n],
      ];
      const [i0, j0, p0] = [b.indices("i", 1), b.indices("j", 2), b.indices("p", 1)];
      const row = (sel: number, a: bigint, bb: bigint, idc = 0n, s = 0n): number => handRow(b, [sel, 1n], [FIXED.idA, a], [FIXED.idB, bb], [FIXED.idC, idc], [FIXED.s, s]);
      for (let j = 0; j < 2; j++) {
        const r = row(FIXED.qFWT, i0, j0 + BigInt(j));
        W.forEach((wr, t) => b.setWeight(r, t, wr[j]));
      }
      b.copyInto(xs[0], 2, row(FIXED.qFX, j0, p0));
      W.forEach((wr, t) => b.assign(b.cell(2, row(FIXED.qFY, i0, p0, BigInt(t), t === 1 ? 1n : 0n)), wr[0] * 3n));
      const moved = row(FIXED.qFX, j0 + 1n, p0);
      b.copyInto(xs[1], 2, moved);
      W.forEach((wr, t) => b.assign(b.cell(2, row(FIXED.qFY, i0, p0, BigInt(t), t === 1 ? 2n : 0n)), wr[1] * 4n));
      for (let j = 0; j < 2; j++) row(FIXED.qFUV, j0 + BigInt(j), 0n);
      const { table } = b.build();
      await expectRejection(keyFor(table), new RegExp(`row ${moved} is a Freivalds row \\(q_fx = 1\\) at exponent 1 outside every declared convolution run`));
    });

    it("setup refuses a run whose table differs from its geometry: a row at another exponent, a junk cell read by a copy or by q_o, a ones cell not tied to 1, another product's row with the run's output index", async () => {
      const c = CASES[0];
      const honest = buildCase(c, 100);
      const { table } = honest.b.build();
      const withFixed = (col: number, edit: (v: Uint8Array) => void): CircuitTable => {
        const fixed = table.fixed.map((v, i) => (i === col ? v.slice() : v));
        edit(fixed[col]);
        return { ...table, fixed };
      };
      // The first step into exponent 1 moved one row later: that row now sits at exponent 0.
      const steps = table.fixed[FIXED.s];
      const firstStep = [...Array(2 ** table.logRows).keys()].find((r) => frGet(steps, r) === 1n)!;
      const shifted = withFixed(FIXED.s, (v) => {
        frSet(v, firstStep, 0n);
        frSet(v, firstStep + 1, 1n);
      });
      await expectRejection(keyFor(shifted), new RegExp(`row ${firstStep + 1} \\(a [WXY] row with indices of convolution run 0\\) (is not a row of that run's geometry at exponent 0|repeats an entry of the run)`));
      // The constant-1 row made to hold 2 (q_c = −2): the ones cells copy no constant-1 cell.
      const qc = table.fixed[FIXED.qC];
      const constantRow = [...Array(2 ** table.logRows).keys()].find((r) => frGet(qc, r) === frMod(-1n))!;
      await expectRejection(keyFor(withFixed(FIXED.qC, (v) => frSet(v, constantRow, frMod(-2n)))), /is a ones row, but its c cell is not a copy of a constant-1 cell/);
      // A junk cell wired to another cell.
      const readsJunk = buildCase(c, 100);
      readsJunk.b.copy(readsJunk.result.junk[1][2], privateCells(readsJunk.b, [0n])[0]);
      await expectRejection(keyFor(readsJunk.b.build().table), /is a junk row, but its c cell is copied to another cell/);
      // A junk cell read by its row's arithmetic gate (q_o).
      const junkRow = honest.result.junk[0][1].row;
      await expectRejection(keyFor(withFixed(FIXED.qO, (v) => frSet(v, junkRow, 1n))), /is a junk row, but its c cell is read by the row's arithmetic gate/);
      // A weight row of another inner index with the run's first output index (it would add its
      // product to the run's outputs), with its X and UV rows.
      const foreign = buildCase(c, 100);
      const fb = foreign.b;
      const runI = fb.build().table.runs![0].i;
      const j = fb.indices("j", 1);
      const p = fb.indices("p", 1);
      const add = (sel: number, a: bigint, bb: bigint): number => handRow(fb, [sel, 1n], [FIXED.idA, a], [FIXED.idB, bb]);
      const wRow = add(FIXED.qFWT, runI, j);
      fb.setWeight(wRow, 0, 1n);
      add(FIXED.qFX, j, p);
      add(FIXED.qFUV, j, 0n);
      await expectRejection(keyFor(fb.build().table), new RegExp(`row ${wRow} \\(a W row with indices of convolution run 0\\) is not a row of that run's geometry`));
    });

    it("the public circuit file carries the runs: check-circuit recomputes them (a changed geometry, a stride that is not alias-free, a missing run, a run too large for the table are refused by name) and accepts the honest key", async () => {
      const { b } = buildCase(CASES[4], 104);
      const { table } = b.build();
      const srs = await devSrs(srsSizeFor(table.logRows));
      const pk = await setup(table, srs);
      const layoutOf = plainPublicInputLayout(table.publicInputCount);
      const decoded = await decodePublicCircuit(await encodePublicCircuit(table as CircuitTable, layoutOf));
      expect(decoded.table.runs).to.deep.equal(table.runs);
      const check = await checkPublicCircuit(decoded, pk.vk, srs);
      const named = (name: string) => check.checks.find((item) => item.name === name)!;
      expect(check.ok, JSON.stringify(check.checks)).to.equal(true);
      expect(named("structure").ok).to.equal(true);
      expect(named("fixed commitments").ok).to.equal(true);
      expect(named("convolution runs").ok).to.equal(true);
      expect(named("convolution runs").detail).to.match(/^1 declared, each recomputed from its geometry \(§3\.8 rule 6\): run 0 /);
      // The same fixed columns under other declared runs: each is refused by the recomputation.
      const run = table.runs![0];
      for (const [runs, reason] of [
        [[{ ...run, geometry: { ...run.geometry, kernel: [1, 2] as const } }], /is not a row of that run's geometry|has no row for/],
        [[{ ...run, geometry: { ...run.geometry, rowStride: run.geometry.width - 1 } }], /row stride \d+ is not alias-free/],
        [[], /outside every declared convolution run/],
        // Refused before anything is recomputed (the alias check alone would take 65535² steps).
        [[{ ...run, geometry: { ...run.geometry, height: 65535, width: 65535 } }], /convolution run 0: its \d+ weight rows, \d+ X rows and at least \d+ Y rows do not fit \d+ rows/],
        [[{ ...run, geometry: { ...run.geometry, rowStride: 2 ** 20 } }], /convolution run 0: its outputs reach exponent \d+, and \d+ rows reach at most/],
      ] as const) {
        const forged = await checkPublicCircuit({ ...decoded, table: { ...decoded.table, runs } }, pk.vk, srs);
        expect(forged.ok).to.equal(false);
        expect(forged.checks.find((item) => item.name === "structure")!.detail).to.match(reason);
      }
    });

    it("pk.bin carries the runs: the full check (check-key) re-runs checkRuns from the file and refuses a resealed key whose run was changed", async () => {
      const { b } = buildCase(CASES[0], 105);
      const { pk } = await built(b);
      const again = await decodeProvingKey(encodeProvingKey(pk), { checks: "full" });
      expect(again.table.runs).to.deep.equal(pk.table.runs);
      const run = pk.table.runs![0];
      const changed = { ...pk, table: { ...pk.table, runs: [{ ...run, geometry: { ...run.geometry, rowStride: run.geometry.rowStride - 1 } }] } };
      const bytes = encodeProvingKey(changed);
      expect((await decodeProvingKey(bytes)).table.runs![0].geometry.rowStride).to.equal(run.geometry.rowStride - 1);
      const err = await expectRejection(decodeProvingKey(bytes, { checks: "full" }), /its table is malformed: convolution run 0: row stride \d+ is not alias-free/);
      expect(err).to.be.instanceOf(KeyConsistencyError);
      const none = encodeProvingKey({ ...pk, table: { ...pk.table, runs: undefined } });
      await expectRejection(decodeProvingKey(none, { checks: "full" }), /outside every declared convolution run/);
      // prove and check-key compare the key's table with the manifest's layout, runs included.
      expect(sameTable(again, pk.table)).to.equal(true);
      expect(sameTable(again, changed.table)).to.equal(false);
    });
  });
});
