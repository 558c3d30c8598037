import { expect } from "chai";
import { releaseEngine, R } from "../../../prover/engine/bn254.js";
import {
  CircuitInputError,
  CircuitParamError,
  getBuiltinCircuit,
  matvec,
  matvecRows,
  matvecShape,
  matvecTableRows,
  matvecWeights,
  sizedMatvec,
  toSigned,
  WEIGHT_BOUND,
  type CircuitParams,
  type MatvecParams,
} from "../../../prover/circuits/index.js";
import { prove, setup, srsSizeFor, verify, type CircuitTable } from "../../../prover/plonkish/index.js";
import { devSrs } from "../../../prover/srs/index.js";

function sameTable(a: CircuitTable, b: CircuitTable): boolean {
  return (
    a.logRows === b.logRows &&
    a.publicInputCount === b.publicInputCount &&
    a.fixed.every((col, i) => Buffer.compare(col, b.fixed[i]) === 0) &&
    a.weights.every((w, t) => Buffer.compare(w, b.weights[t]) === 0)
  );
}

function throwsLike(fn: () => unknown, type: new (...args: never[]) => Error, pattern: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught, "expected an error").to.be.instanceOf(type);
  expect((caught as Error).message).to.match(pattern);
}

const small = (extra: Record<string, unknown> = {}): CircuitParams => matvec.normalizeParams({ m: 3, k: 4, bits: 4, seed: "s1", ...extra });

describe("circuits: matvec", () => {
  after(releaseEngine);

  it("is registered and normalises its parameters", () => {
    expect(getBuiltinCircuit("matvec")).to.equal(matvec);
    throwsLike(() => getBuiltinCircuit("nope"), CircuitParamError, /unknown built-in circuit "nope".*matvec/);
    expect(matvec.normalizeParams({ m: "2", k: "5", seed: "abc" })).to.deep.equal({ m: 2, k: 5, P: 1, bits: 8, seed: "abc" });
    expect(matvec.normalizeParams({ m: 2, k: 5, seed: 42 }).seed).to.equal("42");
    const fresh = matvec.normalizeParams({ m: 2, k: 5 }, { fresh: true });
    expect(fresh.seed).to.match(/^[0-9a-f]{32}$/);
    expect(matvec.normalizeParams({ m: 2, k: 5 }, { fresh: true }).seed).to.not.equal(fresh.seed);
    throwsLike(() => matvec.normalizeParams({ m: 2, k: 5 }), CircuitParamError, /seed is missing/);
    throwsLike(() => matvec.normalizeParams({ m: 2, seed: "a" }), CircuitParamError, /m and k are required/);
    throwsLike(() => matvec.normalizeParams({ m: 2, k: "x", seed: "a" }), CircuitParamError, /k must be an integer/);
    throwsLike(() => matvec.normalizeParams({ m: 0, k: 3, seed: "a" }), CircuitParamError, /m = 0 is outside/);
    throwsLike(() => matvec.normalizeParams({ m: 2, k: 3, bits: 11, seed: "a" }), CircuitParamError, /bits = 11 is outside 2…10/);
    throwsLike(() => matvec.normalizeParams({ m: 2, k: 3, colour: 1, seed: "a" }), CircuitParamError, /unknown parameter "colour"/);
    throwsLike(() => matvec.normalizeParams({ m: 2, k: 3, seed: "a b" }), CircuitParamError, /seed must be/);
    throwsLike(() => matvec.normalizeParams({ m: 2, k: 2 ** 20, bits: 10, seed: "a" }), CircuitParamError, /beyond exact JSON numbers/);
  });

  it("draws weights in [−8, 8] from the seed, the same every time", () => {
    const p = small() as unknown as MatvecParams;
    const w = matvecWeights(p);
    expect(w).to.have.length(3);
    expect(w.every((row) => row.length === 4)).to.equal(true);
    expect(matvecWeights(p)).to.deep.equal(w);
    expect(matvecWeights({ ...p, seed: "s2" })).to.not.deep.equal(w);
    const many = matvecWeights({ ...p, m: 50, k: 40 }).flat();
    expect(Math.min(...many)).to.equal(-WEIGHT_BOUND);
    expect(Math.max(...many)).to.equal(WEIGHT_BOUND);
  });

  it("computes o = (W·x)² + W·x and puts x, then o, in the public inputs", () => {
    const params = small({ P: 2 });
    const x = [1, -2, 7, -8, 0, 3, -5, 6];
    const built = matvec.build(params, matvec.parseInput(params, [x]));
    const w = matvecWeights(params as unknown as MatvecParams);
    const expected: number[] = [];
    for (let q = 0; q < 2; q++) {
      for (let i = 0; i < 3; i++) {
        const y = w[i].reduce((s, wij, j) => s + wij * x[q * 4 + j], 0);
        expected.push(y * y + y);
      }
    }
    expect(built.outputs).to.deep.equal(expected);
    const pis = built.witness.publicInputs.map((v) => Number(toSigned(v)));
    expect(pis).to.deep.equal([...x, ...expected]);
    expect(matvec.outputLayout(params)).to.deep.equal({ offset: 8, count: 6 });
    expect(built.table.publicInputCount).to.equal(14);
  });

  it("lays out the same table whatever the input values", () => {
    const params = small({ P: 2 });
    const none = matvec.build(params).table;
    for (const x of [
      [1, -2, 7, -8, 0, 3, -5, 6],
      [7, 7, 7, 7, 7, 7, 7, 7],
      [-8, -8, -8, -8, -8, -8, -8, -8],
    ]) {
      expect(sameTable(none, matvec.build(params, matvec.parseInput(params, [x])).table)).to.equal(true);
    }
    // Another seed changes only the weights.
    const other = matvec.build(small({ P: 2, seed: "other" })).table;
    expect(other.fixed.every((col, i) => Buffer.compare(col, none.fixed[i]) === 0)).to.equal(true);
    expect(Buffer.compare(other.weights[0], none.weights[0])).to.not.equal(0);
  });

  it("counts its rows exactly and keeps lookup tables within 2^bits + 2^topBits entries", () => {
    for (const raw of [
      { m: 1, k: 1, bits: 2 },
      { m: 3, k: 4, bits: 4, P: 2 },
      { m: 5, k: 2, bits: 8, P: 3 },
      { m: 2, k: 9, bits: 10 },
    ]) {
      const params = matvec.normalizeParams({ ...raw, seed: "r" });
      const p = params as unknown as MatvecParams;
      const built = matvec.build(params);
      expect(built.rows, JSON.stringify(raw)).to.equal(matvecRows(p));
      expect(2 ** built.table.logRows).to.be.at.least(Math.max(matvecRows(p), matvecTableRows(p)));
      expect(matvecTableRows(p)).to.be.at.most(2 ** 11);
      const { yBound, outputBits } = matvecShape(p);
      expect(yBound * (yBound + 1n) < 1n << BigInt(outputBits)).to.equal(true);
    }
  });

  it("sizedMatvec fills 90–100% of 2^12 … 2^18 rows", () => {
    for (let logRows = 12; logRows <= 18; logRows++) {
      const p = sizedMatvec(logRows);
      const rows = Math.max(matvecRows(p), matvecTableRows(p));
      expect(rows, `2^${logRows}`).to.be.at.most(2 ** logRows);
      expect(rows, `2^${logRows}`).to.be.above(0.9 * 2 ** logRows);
      expect(matvecTableRows(p)).to.be.at.most(2 ** 10);
    }
    const p12 = sizedMatvec(12);
    const built = matvec.build(matvec.normalizeParams({ ...p12 }));
    expect(built.table.logRows).to.equal(12);
    expect(built.rows).to.equal(matvecRows(p12));
    expect(sizedMatvec(7).bits).to.equal(4);
  });

  it("refuses inputs of the wrong shape or out of range, naming the input", () => {
    const params = small();
    throwsLike(() => matvec.parseInput(params, [[1, 2, 3]]), CircuitInputError, /input_data\[0\] has 3 values; matvec \(k=4, P=1\) takes 4 integers in \[-8, 7\]/);
    throwsLike(() => matvec.parseInput(params, [[1, 2, 3, 4], [5]]), CircuitInputError, /exactly one array/);
    throwsLike(() => matvec.parseInput(params, [1, 2, 3, 4]), CircuitInputError, /exactly one array/);
    throwsLike(() => matvec.parseInput(params, [[1, 2, 8, 4]]), CircuitInputError, /input_data\[0\]\[2\] = 8 is outside the input range \[-8, 7\]/);
    throwsLike(() => matvec.parseInput(params, [[1, -9, 0, 4]]), CircuitInputError, /input_data\[0\]\[1\] = -9 is outside/);
    throwsLike(() => matvec.parseInput(params, [[1, 2.5, 0, 4]]), CircuitInputError, /input_data\[0\]\[1\] = 2.5 is not an integer/);
    throwsLike(() => matvec.parseInput(params, [[1, "2", 0, 4]]), CircuitInputError, /input_data\[0\]\[1\] = "2" is not an integer/);
    throwsLike(() => matvec.build(params, [1n, 2n, 3n, 100n]), CircuitInputError, /input 3 = 100 is outside/);
  });

  it("proves and verifies at the edges of the input range", async () => {
    const params = matvec.normalizeParams({ m: 2, k: 3, bits: 2, seed: "edge" });
    const first = matvec.build(params);
    const srs = await devSrs(srsSizeFor(first.table.logRows));
    const pk = await setup(first.table, srs);
    for (const x of [
      [1, 1, 1],
      [-2, -2, -2],
      [-2, 1, 0],
    ]) {
      const built = matvec.build(params, matvec.parseInput(params, [x]));
      const { proof, publicInputs } = await prove(pk, built.witness);
      expect(await verify(pk.vk, proof, publicInputs), JSON.stringify(x)).to.equal(true);
      expect(publicInputs.slice(3).every((v) => v < R)).to.equal(true);
    }
  });
});
