// The fixed-base G1 MSM (engine/wasm/fixed-base.ts) against ffjavascript's MSM and @noble/curves,
// and the commit-key path that uses it (engine/g1.ts, msmCommitKey). Larger sizes are in
// engine-large.test.ts (npm run test:engine).
import { expect } from "chai";
import { bn254 } from "@noble/curves/bn254.js";
import type { Bn128 } from "ffjavascript";
import { getEngine, P, R, releaseEngine } from "../../../verifier/engine/bn254.js";
import { g1FromLEM } from "../../../verifier/engine/encoding.js";
import { frVecFromBigints } from "../../../verifier/engine/fr.js";
import { fixedBaseMode, hasCommitKeyTable, msm, msmCommitKey } from "../../../prover/engine/g1.js";
import { fromLimbs, MONT_BITS } from "../../../prover/engine/wasm/field.js";
import { fixedBasePlan, g1FixedBaseTable, g1MsmFixed, type FixedBaseTable } from "../../../prover/engine/wasm/index.js";
import { devSrs } from "../../../prover/srs/index.js";
import { adversarialScalars, expectFixedMsmMatches, scalarStream, standardScalars } from "./wasm-kernels.js";

const POINTS = 300;

describe("engine/wasm: fixed-base MSM against ffjavascript", () => {
  let curve: Bn128;
  let bases: Uint8Array;
  const tables = new Map<number, FixedBaseTable>();
  before(async () => {
    curve = await getEngine();
    bases = (await devSrs(POINTS)).g1.subarray(0, POINTS * 64);
    for (const c of [5, 9]) tables.set(c, await g1FixedBaseTable(bases, { c, threads: 2 }));
  });
  after(releaseEngine);

  it("the table holds 2^(c·k)·P_i for every window k, the point at infinity included", async () => {
    const holes = bases.slice(0, 20 * 64);
    holes.fill(0, 7 * 64, 8 * 64);
    const table = await g1FixedBaseTable(holes, { c: 7, threads: 1 });
    expect(table.windows).to.equal(Math.floor(254 / 7) + 1);
    // A held value h stands for h/2^261.
    let rInv = 1n;
    for (let b = (1n << BigInt(MONT_BITS)) % P, e = P - 2n; e > 0n; e >>= 1n, b = (b * b) % P) if (e & 1n) rInv = (rInv * b) % P;
    const coordinate = (at: number): bigint => (fromLimbs(new Uint32Array(table.data.buffer, table.data.byteOffset + at, 9)) * rInv) % P;
    for (const k of [0, 1, 17, table.windows - 1]) {
      for (const i of [0, 7, 19]) {
        const at = (k * table.points + i) * 72;
        const [x, y] = [coordinate(at), coordinate(at + 36)];
        if (i === 7) {
          expect(y, `window ${k}: infinity is marked by y = 0`).to.equal(0n);
          continue;
        }
        const { x: px, y: py } = g1FromLEM(holes.subarray(i * 64, (i + 1) * 64));
        const want = bn254.G1.Point.fromAffine({ x: px, y: py }).multiply(1n << BigInt(7 * k)).toAffine();
        expect([x, y], `window ${k}, point ${i}`).to.deep.equal([want.x, want.y]);
      }
    }
  });

  it("random inputs of lengths 1, 2, 3, 2^k ± 1 and all the table's points, on one and two threads", async () => {
    const next = scalarStream(41n);
    for (const table of tables.values()) {
      for (const n of [1, 2, 3, 7, 9, 31, 33, 255, 257, POINTS]) {
        for (const threads of [1, 2]) await expectFixedMsmMatches(curve, table, bases, Array.from({ length: n }, next), { threads });
      }
    }
  });

  it("windows taken in several passes, buckets carried from one to the next", async () => {
    const next = scalarStream(43n);
    const table = tables.get(5)!;
    for (const [n, groupPoints] of [
      [100, 1],
      [100, 250],
      [257, 600],
      [POINTS, 2 * POINTS + 1],
    ]) {
      for (const threads of [1, 2]) await expectFixedMsmMatches(curve, table, bases, Array.from({ length: n }, next), { threads, groupPoints });
    }
  });

  it("adversarial scalars: all zero, some zero, r − 1, 1, equal, and ones of r or more (reduced) up to 2^256 − 1", async () => {
    const n = 257;
    const next = scalarStream(47n);
    const cases = adversarialScalars(n, next);
    for (const [what, xs] of cases) {
      for (const threads of [1, 2]) {
        const got = await expectFixedMsmMatches(curve, tables.get(9)!, bases, xs, { threads, groupPoints: 1000 }).catch((e: Error) => {
          throw new Error(`${what}: ${e.message}`);
        });
        if (what === "all zero") expect(got.every((b) => b === 0)).to.equal(true);
      }
    }
    // Scalars of r or more are reduced in a copy: the caller's buffer is left as it was.
    const big = standardScalars([R + 5n, (1n << 256n) - 1n]);
    const before = big.slice();
    await g1MsmFixed(tables.get(9)!, big, 32);
    expect(Buffer.from(big).equals(Buffer.from(before))).to.equal(true);
  });

  it("adversarial points: repeated, negated pairs that cancel, and the point at infinity", async () => {
    const n = 129;
    const next = scalarStream(53n);
    const repeated = new Uint8Array(n * 64);
    for (let i = 0; i < n; i++) repeated.set(bases.subarray(0, 64), i * 64);
    const repeatedTable = await g1FixedBaseTable(repeated, { c: 6, threads: 2 });
    // Every bucket addition is a doubling, and across windows the same multiples meet.
    await expectFixedMsmMatches(curve, repeatedTable, repeated, Array(n).fill(next()), { threads: 2 });
    await expectFixedMsmMatches(curve, repeatedTable, repeated, Array.from({ length: n }, next), { threads: 1, groupPoints: 200 });
    // P with s and P with r − s: the sum is the point at infinity.
    const s = Array.from({ length: 128 }, next);
    const cancel = await expectFixedMsmMatches(curve, repeatedTable, repeated, s.map((x, i) => (i % 2 ? R - s[i - 1] : x)), { threads: 1 });
    expect(cancel.every((b) => b === 0)).to.equal(true);
    // Points at infinity among real ones, and nothing but them.
    const holes = bases.slice(0, n * 64);
    for (let i = 0; i < n; i += 3) holes.fill(0, i * 64, (i + 1) * 64);
    await expectFixedMsmMatches(curve, await g1FixedBaseTable(holes, { c: 8, threads: 2 }), holes, Array.from({ length: n }, next), { threads: 2 });
    const nothing = new Uint8Array(5 * 64);
    const none = await expectFixedMsmMatches(curve, await g1FixedBaseTable(nothing, { c: 4, threads: 1 }), nothing, Array.from({ length: 5 }, next), { threads: 1 });
    expect(none.every((b) => b === 0)).to.equal(true);
  });

  it("narrow scalars (1, 3 and 8 bytes), fewer scalars than points, and an empty MSM", async () => {
    const next = scalarStream(59n);
    for (const width of [1, 3, 8]) {
      const xs = Array.from({ length: 200 }, () => next() % (1n << BigInt(8 * width)));
      await expectFixedMsmMatches(curve, tables.get(5)!, bases, xs, { threads: 2, width });
    }
    expect((await g1MsmFixed(tables.get(5)!, new Uint8Array(0), 32)).every((b) => b === 0)).to.equal(true);
  });

  it("refuses more scalars than the table has points, bad widths and bad bases with clear errors", async () => {
    const table = tables.get(5)!;
    await g1MsmFixed(table, new Uint8Array((POINTS + 1) * 32), 32).then(
      () => expect.fail("accepted more scalars than points"),
      (e: Error) => expect(e.message).to.match(/301 scalars but the table holds 300 points/),
    );
    for (const [bytes, width] of [
      [32, 0],
      [33, 33],
      [31, 32],
    ]) {
      await g1MsmFixed(table, new Uint8Array(bytes), width).then(
        () => expect.fail(`accepted ${bytes} bytes of width ${width}`),
        (e: Error) => expect(e.message).to.match(/not whole scalars of width/),
      );
    }
    await g1FixedBaseTable(new Uint8Array(100)).then(
      () => expect.fail("accepted 100 bytes of bases"),
      (e: Error) => expect(e.message).to.match(/not a positive number of 64-byte points/),
    );
  });

  it("a table entry off by one point changes the result (the comparison sees a wrong table)", async () => {
    const table = await g1FixedBaseTable(bases.subarray(0, 10 * 64), { c: 9, threads: 1 });
    const xs = Array.from({ length: 10 }, scalarStream(61n));
    await expectFixedMsmMatches(curve, table, bases, xs, { threads: 1 });
    // Window 1 of point 3 becomes window 1 of point 4.
    table.data.copyWithin((table.points + 3) * 72, (table.points + 4) * 72, (table.points + 5) * 72);
    let failed = false;
    await expectFixedMsmMatches(curve, table, bases, xs, { threads: 1 }).catch(() => (failed = true));
    expect(failed).to.equal(true);
  });

  it("plans enough windows for 254 bits and 72 bytes per point and window, under 200 MB for 2^17 points", () => {
    for (const log of [16, 17, 18]) {
      const plan = fixedBasePlan(2 ** log, 2);
      expect(plan.windows * plan.c).to.be.greaterThan(254);
      expect(plan.bytes).to.equal(2 ** log * plan.windows * 72);
    }
    expect(fixedBasePlan(2 ** 17, 2).bytes).to.be.below(200 << 20);
  });
});

describe("engine/g1: MSMs over a commit key (ZKINFER_FIXED_BASE)", () => {
  let curve: Bn128;
  const saved = { fixed: process.env.ZKINFER_FIXED_BASE, engine: process.env.ZKINFER_ENGINE };
  before(async () => (curve = await getEngine()));
  afterEach(() => {
    for (const [name, value] of [
      ["ZKINFER_FIXED_BASE", saved.fixed],
      ["ZKINFER_ENGINE", saved.engine],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
  after(releaseEngine);

  it("gives msm's result with the table on, off and automatic, on either engine, for every prefix length asked", async () => {
    const key = (await devSrs(2100)).g1.slice();
    const next = scalarStream(67n);
    for (const engine of [undefined, "ffjavascript"]) {
      if (engine === undefined) delete process.env.ZKINFER_ENGINE;
      else process.env.ZKINFER_ENGINE = engine;
      for (const mode of ["off", "auto", "on"]) {
        process.env.ZKINFER_FIXED_BASE = mode;
        for (const n of [1, 1025, 2100]) {
          const scalars = frVecFromBigints(Array.from({ length: n }, next));
          const got = await msmCommitKey(curve, key, scalars);
          delete process.env.ZKINFER_FIXED_BASE;
          const want = await msm(curve, key, scalars);
          process.env.ZKINFER_FIXED_BASE = mode;
          expect(Buffer.from(got).equals(Buffer.from(want)), `${engine ?? "ours"}, ${mode}, n = ${n}`).to.equal(true);
        }
      }
    }
  });

  it("auto builds a key's table only once its MSMs have taken 16 times its points; off never, on at once", async () => {
    const key = (await devSrs(64)).g1.slice(0, 64 * 64);
    const scalars = frVecFromBigints(Array.from({ length: 64 }, scalarStream(71n)));
    process.env.ZKINFER_FIXED_BASE = "off";
    for (let i = 0; i < 20; i++) await msmCommitKey(curve, key, scalars);
    expect(hasCommitKeyTable(key)).to.equal(false);
    process.env.ZKINFER_FIXED_BASE = "auto";
    const fresh = key.slice();
    for (let i = 0; i < 15; i++) await msmCommitKey(curve, fresh, scalars);
    expect(hasCommitKeyTable(fresh)).to.equal(false);
    await msmCommitKey(curve, fresh, scalars);
    expect(hasCommitKeyTable(fresh)).to.equal(true);
    process.env.ZKINFER_FIXED_BASE = "on";
    const other = key.slice();
    await msmCommitKey(curve, other, scalars.subarray(0, 32 * 10));
    expect(hasCommitKeyTable(other)).to.equal(true);
  });

  it("refuses an unknown ZKINFER_FIXED_BASE with a clear error", () => {
    process.env.ZKINFER_FIXED_BASE = "always";
    expect(() => fixedBaseMode()).to.throw(/ZKINFER_FIXED_BASE=always/);
  });
});
