import { expect } from "chai";
import fc from "fast-check";
import type { Bn128 } from "ffjavascript";
import { getEngine, ownKernels, P, R, releaseEngine } from "../../../verifier/engine/bn254.js";
import { g1FromLEM } from "../../../verifier/engine/encoding.js";
import { frVecFromBigints } from "../../../verifier/engine/fr.js";
import { msm } from "../../../prover/engine/g1.js";
import { Domain, fft } from "../../../prover/poly/index.js";
import { fromLimbs, MONT_BITS, toLimbs } from "../../../prover/engine/wasm/field.js";
import { HEAP, type KernelExports } from "../../../prover/engine/wasm/module.js";
import { kernel, scalarBits, windowBits, windowCount } from "../../../prover/engine/wasm/msm.js";
import { g1MsmLem, nttLem } from "../../../prover/engine/wasm/index.js";
import { devSrs } from "../../../prover/srs/index.js";
import { adversarialScalars, expectMsmMatches, expectNttMatches, nobleMsm, scalarStream } from "./wasm-kernels.js";

describe("engine/wasm: field arithmetic against bigint", () => {
  let ex: KernelExports;
  before(() => (ex = kernel()));

  const put = (addr: number, x: bigint): void => new Uint32Array(ex.memory.buffer, addr, 9).set(toLimbs(x));
  const get = (addr: number): bigint => fromLimbs(new Uint32Array(ex.memory.buffer, addr, 9));
  const modPow = (b: bigint, e: bigint, m: bigint): bigint => {
    let r = 1n;
    for (b %= m; e > 0n; e >>= 1n, b = (b * b) % m) if (e & 1n) r = (r * b) % m;
    return r;
  };

  for (const [name, m] of [
    ["fp", P],
    ["fr", R],
  ] as const) {
    const op = (f: string) => (ex as unknown as Record<string, (...args: number[]) => number>)[`${name}_${f}`];
    const rInv = modPow(1n << BigInt(MONT_BITS), m - 2n, m);
    // Lazily reduced operands: anything in [0, 2m), the edges included.
    const lazy = fc.oneof(fc.bigInt({ min: 0n, max: 2n * m - 1n }), fc.constantFrom(0n, 1n, m - 1n, m, m + 1n, 2n * m - 1n));

    it(`${name}: mul is a·b/2^261, add and sub stay in [0, 2m), reduce is canonical`, () => {
      fc.assert(
        fc.property(lazy, lazy, (a, b) => {
          put(HEAP, a);
          put(HEAP + 36, b);
          op("mul")(HEAP + 72, HEAP, HEAP + 36);
          const prod = get(HEAP + 72);
          expect(prod < 2n * m && prod % m === (a * b * rInv) % m).to.equal(true);
          op("add")(HEAP + 72, HEAP, HEAP + 36);
          const sum = get(HEAP + 72);
          expect(sum < 2n * m && sum % m === (a + b) % m).to.equal(true);
          op("sub")(HEAP + 72, HEAP, HEAP + 36);
          const diff = get(HEAP + 72);
          expect(diff < 2n * m && diff % m === (((a - b) % m) + m) % m).to.equal(true);
          op("reduce")(HEAP + 72, HEAP);
          expect(get(HEAP + 72)).to.equal(a % m);
        }),
        { numRuns: 300 },
      );
    });

    it(`${name}: inv inverts in Montgomery form, and isZero sees 0 and m`, () => {
      fc.assert(
        fc.property(fc.bigInt({ min: 1n, max: m - 1n }), (a) => {
          put(HEAP, a);
          op("inv")(HEAP + 36, HEAP);
          op("mul")(HEAP + 72, HEAP, HEAP + 36);
          op("reduce")(HEAP + 72, HEAP + 72);
          // A held value h stands for h/R (R = 2^261); its inverse holds R²/h, and h·(R²/h)/R = R.
          expect(get(HEAP + 72)).to.equal((1n << BigInt(MONT_BITS)) % m);
          expect(op("isZero")(HEAP)).to.equal(0);
        }),
        { numRuns: 20 },
      );
      for (const z of [0n, m]) {
        put(HEAP, z);
        expect(op("isZero")(HEAP)).to.equal(1);
      }
    });
  }
});

describe("engine/wasm: MSM against ffjavascript and @noble/curves", () => {
  let curve: Bn128;
  let bases: Uint8Array;
  before(async () => {
    curve = await getEngine();
    bases = (await devSrs(1100)).g1;
  });
  after(releaseEngine);

  const points = (n: number) => bases.subarray(0, n * 64);

  it("random inputs of lengths 1, 2, 3 and 2^k ± 1, on one and on two threads", async () => {
    const next = scalarStream(7n);
    for (const n of [1, 2, 3, 7, 9, 31, 33, 255, 257, 1023, 1025]) {
      for (const threads of [1, 2]) await expectMsmMatches(curve, points(n), Array.from({ length: n }, next), threads);
    }
  });

  it("agrees with @noble/curves' naive sum on small inputs", async () => {
    const next = scalarStream(11n);
    for (const n of [1, 2, 5, 17]) {
      const xs = Array.from({ length: n }, next);
      const got = await expectMsmMatches(curve, points(n), xs, 1);
      const { x, y } = g1FromLEM(got);
      const want = nobleMsm(points(n), xs).toAffine();
      expect([x, y]).to.deep.equal([want.x, want.y]);
    }
  });

  it("adversarial scalars: all zero, some zero, r − 1, 1, equal, and unreduced ones up to 2^256 − 1", async () => {
    const n = 257;
    const next = scalarStream(13n);
    const cases = adversarialScalars(n, next);
    for (const [what, xs] of cases) {
      for (const threads of [1, 2]) {
        const got = await expectMsmMatches(curve, points(n), xs, threads).catch((e: Error) => {
          throw new Error(`${what}: ${e.message}`);
        });
        if (what === "all zero") expect(got.every((b) => b === 0)).to.equal(true);
      }
    }
  });

  it("adversarial points: repeated, negated pairs that cancel, and the point at infinity", async () => {
    const n = 129;
    const next = scalarStream(17n);
    const p = points(1);
    const repeated = new Uint8Array(n * 64);
    for (let i = 0; i < n; i++) repeated.set(p, i * 64);
    // The same point with the same scalar everywhere: every bucket addition is a doubling.
    await expectMsmMatches(curve, repeated, Array(n).fill(next()), 2);
    await expectMsmMatches(curve, repeated, Array.from({ length: n }, next), 2);
    // P with s and P with r − s: every window's buckets cancel to infinity, the sum is zero.
    const s = Array.from({ length: 128 }, next);
    const cancelling = s.map((x, i) => (i % 2 ? R - s[i - 1] : x));
    const cancel = await expectMsmMatches(curve, repeated.subarray(0, 128 * 64), cancelling, 1);
    expect(cancel.every((b) => b === 0)).to.equal(true);
    // Points at infinity (all-zero LEM) among real ones, and nothing but them.
    const holes = points(n).slice();
    for (let i = 0; i < n; i += 3) holes.fill(0, i * 64, (i + 1) * 64);
    await expectMsmMatches(curve, holes, Array.from({ length: n }, next), 2);
    await expectMsmMatches(curve, new Uint8Array(5 * 64), Array.from({ length: 5 }, next), 1);
  });

  it("narrow scalars (1, 3 and 8 bytes) and an empty MSM", async () => {
    const next = scalarStream(19n);
    for (const width of [1, 3, 8]) {
      const xs = Array.from({ length: 300 }, () => next() % (1n << BigInt(8 * width)));
      await expectMsmMatches(curve, points(300), xs, 2, width);
    }
    await expectMsmMatches(curve, new Uint8Array(0), [], 1);
  });

  it("window plan: enough signed-digit windows for the scalars' bits, wider windows for more points", () => {
    const s = new Uint8Array(64);
    s[31] = 0x30; // bit 253 of the first scalar
    expect(scalarBits(s, 2, 32)).to.equal(254);
    for (const c of [1, 5, 13, 16]) expect(windowCount(254, c) * c).to.be.greaterThan(254);
    expect(windowBits(1 << 16, 254, 1)).to.be.greaterThan(windowBits(1 << 10, 254, 1));
  });
});

describe("engine/wasm: NTT against ffjavascript's FFT", () => {
  let curve: Bn128;
  before(async () => (curve = await getEngine()));
  after(releaseEngine);

  it("every size 2^0 … 2^12, forward and inverse, on one thread and split over two", async () => {
    for (let logn = 0; logn <= 12; logn++) {
      await expectNttMatches(curve, logn, 1, BigInt(logn));
      if (logn > 0) await expectNttMatches(curve, logn, 2, BigInt(100 + logn));
    }
  });

  it("a smaller transform after a larger one reads the larger one's twiddles", async () => {
    await expectNttMatches(curve, 11, 1, 5n);
    await expectNttMatches(curve, 3, 1, 6n);
  });

  it("split transforms started side by side on one thread, from a Buffer at an odd offset, each match", async () => {
    const next = scalarStream(77n);
    const inputs = [9, 10, 9].map((logn) => frVecFromBigints(Array.from({ length: 2 ** logn }, next)));
    // A view at an odd byte offset of a larger buffer, as a Node Buffer slice may be.
    const padded = Buffer.alloc(inputs[2].length + 3);
    padded.set(inputs[2], 1);
    const views = [inputs[0], inputs[1], padded.subarray(1, 1 + inputs[2].length)];
    const directions = [false, true, false];
    const ours = await Promise.all(views.map((v, i) => nttLem(v, directions[i], { threads: 2 })));
    for (const [i, v] of inputs.entries()) {
      const reference = directions[i] ? await curve.Fr.ifft(v) : await curve.Fr.fft(v);
      expect(Buffer.from(ours[i]).equals(Buffer.from(reference)), `transform ${i}`).to.equal(true);
    }
    expect(Buffer.from(views[2]).equals(Buffer.from(inputs[2])), "the input is left alone").to.equal(true);
  });

  it("a split transform whose worker is busy computes both halves here, and the next one still matches", async () => {
    const next = scalarStream(78n);
    const n = 1 << 13;
    const bases = (await devSrs(n)).g1;
    const scalars = frVecFromBigints(Array.from({ length: n }, next));
    // An MSM keeps the worker busy while the transform is posted behind it.
    const busy = g1MsmLem(bases, scalars, 32, { threads: 2 });
    const v = frVecFromBigints(Array.from({ length: 1 << 10 }, next));
    const ours = await nttLem(v, false, { threads: 2 });
    await busy;
    expect(Buffer.from(ours).equals(Buffer.from(await curve.Fr.fft(v)))).to.equal(true);
    await expectNttMatches(curve, 10, 2, 79n);
  });
});

describe("engine/wasm: the ZKINFER_ENGINE switch", () => {
  let curve: Bn128;
  const saved = process.env.ZKINFER_ENGINE;
  before(async () => (curve = await getEngine()));
  afterEach(() => {
    if (saved === undefined) delete process.env.ZKINFER_ENGINE;
    else process.env.ZKINFER_ENGINE = saved;
  });
  after(releaseEngine);

  it("selects our kernels by default and ffjavascript's on request, with the same results", async () => {
    const next = scalarStream(31n);
    const scalars = frVecFromBigints(Array.from({ length: 64 }, next));
    const bases = (await devSrs(64)).g1;
    const domain = Domain.create(6);
    const run = async () => ({ msm: await msm(curve, bases, scalars), fft: await fft(scalars, domain) });
    delete process.env.ZKINFER_ENGINE;
    expect(ownKernels()).to.equal(true);
    const ours = await run();
    process.env.ZKINFER_ENGINE = "ffjavascript";
    expect(ownKernels()).to.equal(false);
    const theirs = await run();
    expect(Buffer.from(ours.msm).equals(Buffer.from(theirs.msm))).to.equal(true);
    expect(Buffer.from(ours.fft).equals(Buffer.from(theirs.fft))).to.equal(true);
  });

  it("refuses an unknown engine name with a clear error", () => {
    process.env.ZKINFER_ENGINE = "gpu";
    expect(() => ownKernels()).to.throw(/ZKINFER_ENGINE=gpu/);
  });
});
