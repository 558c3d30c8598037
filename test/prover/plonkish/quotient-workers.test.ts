import os from "node:os";
import { expect } from "chai";
import { R, releaseEngine } from "../../../verifier/engine/bn254.js";
import { frVecEquals, frVecFromBigints, frVecToBigints } from "../../../verifier/engine/fr.js";
import type { Expr } from "../../../verifier/plonkish/expression.js";
import { combineOnCoset, evaluateMany, gateWorkerCount, MIN_START_SIZE, startGateWorkers, stopGateWorkers, toShared, transformMany } from "../../../prover/plonkish/gate-pool.js";
import { cosetFft, Domain, evaluate, ifft } from "../../../prover/poly/index.js";
import { GATES } from "../../../verifier/plonkish/layout.js";
import { cyclicSlice, rotate, type VectorTable } from "../../../prover/plonkish/vector-eval.js";
import { expectRejection } from "../../helpers/assert.js";
import { pseudoRandom } from "../poly/naive.js";
import { combinedAt, randomTable } from "./vector-tables.js";

const exprs: Expr[] = GATES.map((g) => g.expr);

describe("quotient evaluation on worker threads", function () {
  after(releaseEngine);

  it("cyclicSlice views a range that does not wrap and copies one that does; rotate is a full-period slice", function () {
    const v = frVecFromBigints([0n, 1n, 2n, 3n, 4n]);
    const view = cyclicSlice(v, 1, 4);
    expect(view.buffer).to.equal(v.buffer);
    expect(frVecToBigints(view)).to.deep.equal([1n, 2n, 3n]);
    expect(frVecToBigints(cyclicSlice(v, 3, 7))).to.deep.equal([3n, 4n, 0n, 1n]);
    expect(frVecToBigints(cyclicSlice(v, -1, 2))).to.deep.equal([4n, 0n, 1n]);
    expect(frVecToBigints(rotate(v, 2))).to.deep.equal([2n, 3n, 4n, 0n, 1n]);
    expect(rotate(v, 5)).to.equal(v);
    expect(() => cyclicSlice(v, 0, 6)).to.throw(RangeError);
  });

  it("matches the scalar evaluator on every element (main thread)", async function () {
    const { table, factor, y } = randomTable(32, 11n);
    const out = frVecToBigints(await combineOnCoset(exprs, y, table, factor, { threads: 1 }));
    expect(out).to.deep.equal(Array.from({ length: table.size }, (_, i) => combinedAt(exprs, table, factor, y, i)));
  });

  it("is bit-identical on 2, 3 and 5 threads, slices not aligned to rows and the last one wrapping", async function () {
    this.timeout(120_000);
    const { table, factor, y } = randomTable(1 << 9, 12n);
    const single = await combineOnCoset(exprs, y, table, factor, { threads: 1 });
    for (const threads of [2, 3, 5]) {
      const split = await combineOnCoset(exprs, y, table, factor, { threads });
      expect(frVecEquals(split, single), `${threads} threads`).to.equal(true);
      expect(split.buffer).to.be.instanceOf(ArrayBuffer);
    }
    // Without the factor too, and with the inputs already in shared memory.
    const shared: VectorTable = { ...table, columns: table.columns.map((c) => c && toShared(c)) };
    const plain = await combineOnCoset(exprs, y, shared, undefined, { threads: 1 });
    expect(frVecEquals(await combineOnCoset(exprs, y, shared, undefined, { threads: 2 }), plain)).to.equal(true);
    // A scalar factor (1/Z_H on an n-point coset) equals that constant as a vector, on any split.
    const constant = frVecFromBigints(Array.from({ length: table.size }, () => 987654321n));
    const byVector = await combineOnCoset(exprs, y, shared, constant, { threads: 1 });
    expect(frVecEquals(byVector, plain)).to.equal(false);
    for (const threads of [1, 2, 3]) expect(frVecEquals(await combineOnCoset(exprs, y, shared, 987654321n, { threads }), byVector), `scalar, ${threads} threads`).to.equal(true);
  });

  it("more threads than elements: each element is its own slice", async function () {
    this.timeout(120_000);
    const { table, factor, y } = randomTable(4, 13n);
    const single = await combineOnCoset(exprs, y, table, factor, { threads: 1 });
    expect(frVecEquals(await combineOnCoset(exprs, y, table, factor, { threads: 6 }), single)).to.equal(true);
  });

  it("rejects when a slice fails or the pool stops mid-job, and the pool restarts afterwards", async function () {
    this.timeout(120_000);
    const { table, factor, y } = randomTable(1 << 12, 14n);
    const missing: VectorTable = { ...table, challenges: new Map() };
    await expectRejection(combineOnCoset(exprs, y, missing, factor, { threads: 2 }), /challenge \w+ is not drawn yet/);
    const expected = await combineOnCoset(exprs, y, table, factor, { threads: 1 });
    // A fresh worker, still loading its engine, gets the slice, so it cannot have answered before
    // the stop (a warm one may finish its half while this thread computes its own, and its answer
    // then wins the race with the stop).
    await stopGateWorkers();
    const stopped = expectRejection(combineOnCoset(exprs, y, table, factor, { threads: 2 }), /gate worker stopped/);
    await stopGateWorkers();
    await stopped;
    expect(frVecEquals(await combineOnCoset(exprs, y, table, factor, { threads: 2 }), expected)).to.equal(true);
  });

  it("a batch of evaluations shared out over 1, 2 and 3 threads gives each polynomial's value at its own point, in order", async function () {
    this.timeout(120_000);
    // Lengths that differ (n, n + 1, a constant, the empty polynomial) and two points, as a proof's batch has.
    const lengths = [300, 301, 1, 0, 300, 17, 299];
    const polys = lengths.map((m, i) => frVecFromBigints(pseudoRandom(m, BigInt(40 + i))));
    const points = lengths.map((_, i) => (i % 2 === 0 ? 123456789n : 987654321987654321n));
    const expected = await Promise.all(polys.map((p, i) => evaluate(p, points[i])));
    // Horner by bigints: the kernel's value is the polynomial's.
    const byBigints = polys.map((p, i) => frVecToBigints(p).reduceRight((h, c) => (h * points[i] + c) % R, 0n));
    expect(expected).to.deep.equal(byBigints);
    for (const threads of [1, 2, 3]) expect(await evaluateMany(polys, points, { threads }), `${threads} threads`).to.deep.equal(expected);
    expect(await evaluateMany(polys, points)).to.deep.equal(expected);
    await expectRejection(evaluateMany(polys, points.slice(1)), /7 polynomials but 6 points/);
  });

  it("a batch of transforms shared out over 2 and 3 threads equals the engine's threaded transforms, in order", async function () {
    this.timeout(120_000);
    const domain = Domain.create(6);
    // Five inputs, so that the threads get unequal shares; coefficient vectors shorter than the domain too.
    const inputs = [64, 64, 60, 64, 3].map((len, i) => frVecFromBigints(pseudoRandom(len, 40n + BigInt(i))));
    const values = inputs.filter((v) => v.length === 64 * 32);
    const expectedIfft = await Promise.all(values.map((v) => ifft(v, domain)));
    const expectedCoset = await Promise.all(inputs.map((v) => cosetFft(v, domain)));
    // Another coset, as the quotient's n-point cosets g·ν^k·H use.
    const shift = 123457n;
    const expectedShifted = await Promise.all(inputs.map((v) => cosetFft(v, domain, shift)));
    expect(frVecEquals(expectedShifted[0], expectedCoset[0])).to.equal(false);
    for (const threads of [1, 2, 3]) {
      const gotIfft = await transformMany("ifft", values, domain, { threads });
      const gotCoset = await transformMany("coset-fft", inputs, domain, { threads });
      const gotShifted = await transformMany("coset-fft", inputs, domain, { threads, shift });
      gotIfft.forEach((v, i) => expect(frVecEquals(v, expectedIfft[i]), `ifft ${i}, ${threads} threads`).to.equal(true));
      gotCoset.forEach((v, i) => expect(frVecEquals(v, expectedCoset[i]), `coset ${i}, ${threads} threads`).to.equal(true));
      gotShifted.forEach((v, i) => expect(frVecEquals(v, expectedShifted[i]), `shifted coset ${i}, ${threads} threads`).to.equal(true));
    }
  });

  it("by default starts workers only for tables of MIN_START_SIZE elements, and stops them on releaseEngine", async function () {
    this.timeout(120_000);
    await stopGateWorkers();
    const { table, factor, y } = randomTable(16, 15n);
    const single = await combineOnCoset(exprs, y, table, factor, { threads: 1 });
    expect(frVecEquals(await combineOnCoset(exprs, y, table, factor), single)).to.equal(true);
    expect(gateWorkerCount()).to.equal(0);
    startGateWorkers(MIN_START_SIZE - 1);
    expect(gateWorkerCount()).to.equal(0);
    startGateWorkers(MIN_START_SIZE);
    expect(gateWorkerCount()).to.equal(Math.min(os.availableParallelism(), 8) - 1);
    await releaseEngine();
    expect(gateWorkerCount()).to.equal(0);
  });

  it("lets the event loop turn while a worker starts, so a prover that never waits on I/O still hears it is ready", async function () {
    // A worker's "ready" is a message: were the pool to look only at what has arrived, a caller
    // running from one await to the next on resolved promises alone (as the prover does) would
    // never see a worker ready, and every proof would run on one thread.
    this.timeout(120_000);
    await stopGateWorkers();
    const { table, y } = randomTable(1 << 12, 16n);
    startGateWorkers(MIN_START_SIZE);
    let turned = false;
    setImmediate(() => (turned = true));
    await combineOnCoset(exprs, y, table);
    expect(turned || os.availableParallelism() < 2).to.equal(true);
    turned = false;
    setImmediate(() => (turned = true));
    await transformMany("ifft", [pseudoRandom(1 << 14, 3n), pseudoRandom(1 << 14, 4n)].map((v) => frVecFromBigints(v)), Domain.create(14));
    expect(turned || os.availableParallelism() < 2).to.equal(true);
    await stopGateWorkers();
  });
});
