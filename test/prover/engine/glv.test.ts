import { expect } from "chai";
import fc from "fast-check";
import { bn254 } from "@noble/curves/bn254.js";
import type { Bn128 } from "ffjavascript";
import { getEngine, P, R, releaseEngine } from "../../../verifier/engine/bn254.js";
import { g1FromLEM, g1ToLEM } from "../../../verifier/engine/encoding.js";
import { glvConstants, glvSplit, HALF_BYTES } from "../../../prover/engine/wasm/glv.js";
import { g1MsmLem } from "../../../prover/engine/wasm/index.js";
import { glvMode, planMsm } from "../../../prover/engine/wasm/msm.js";
import { devSrs } from "../../../prover/srs/index.js";
import { expectMsmMatches, glvBoundaryScalars, glvEdgeScalars, nobleMsm, scalarStream, standardScalars } from "./wasm-kernels.js";

const abs = (x: bigint): bigint => (x < 0n ? -x : x);

/** glvSplit of xs (width bytes each, at byte `offset` of a larger buffer): [k₁, k₂] per scalar, signed. */
function split(xs: readonly bigint[], width = 32, offset = 0): [bigint, bigint][] {
  const n = xs.length;
  const buffer = new Uint8Array(offset + n * width);
  buffer.set(standardScalars(xs, width), offset);
  const halves = new Uint8Array(2 * n * HALF_BYTES);
  const negative = new Uint8Array(2 * n);
  glvSplit(buffer.subarray(offset), n, width, halves, negative);
  const half = (j: number): bigint => {
    let x = 0n;
    for (let b = HALF_BYTES - 1; b >= 0; b--) x = (x << 8n) | BigInt(halves[j * HALF_BYTES + b]);
    return negative[j] ? -x : x;
  };
  return xs.map((_, i) => [half(i), half(n + i)]);
}

describe("engine/wasm/glv: the endomorphism and the scalar split", () => {
  const k = glvConstants();

  it("λ and β are nontrivial cube roots of unity, and φ(P) = (β·x, y) is λ·P on G1", () => {
    expect((k.lambda * k.lambda + k.lambda + 1n) % R).to.equal(0n);
    expect(k.beta).to.not.equal(1n);
    expect((k.beta * k.beta * k.beta) % P).to.equal(1n);
    const next = scalarStream(3n);
    for (const s of [1n, 2n, next(), next(), R - 1n]) {
      const p = bn254.G1.Point.BASE.multiply(s).toAffine();
      const q = bn254.G1.Point.BASE.multiply(s).multiply(k.lambda).toAffine();
      expect([q.x, q.y]).to.deep.equal([(k.beta * p.x) % P, p.y]);
    }
  });

  it("the basis lies in the lattice, spans it (determinant ±r), and is short; the split's bound is below 2^128", () => {
    for (const [a, b] of [k.v1, k.v2]) {
      expect((((a + b * k.lambda) % R) + R) % R).to.equal(0n);
      expect(abs(a) < 1n << 128n && abs(b) < 1n << 128n).to.equal(true);
    }
    expect(abs(k.v1[0] * k.v2[1] - k.v2[0] * k.v1[1])).to.equal(R);
    expect(k.bound < 1n << 128n).to.equal(true);
  });

  it("k ≡ k₁ + k₂·λ (mod r) with |kⱼ| within the bound, for random scalars below 2^256", () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }), { minLength: 1, maxLength: 40 }), (xs) => {
        split(xs).forEach(([k1, k2], i) => {
          expect((((xs[i] - k1 - k2 * k.lambda) % R) + R) % R).to.equal(0n);
          expect(abs(k1) <= k.bound && abs(k2) <= k.bound).to.equal(true);
        });
      }),
      { numRuns: 100 },
    );
  });

  it("the edges: 0, 1, r − 1, λ, λ ± 1, r − λ, r and 2^256 − 1 split as expected", () => {
    const xs = [0n, 1n, R - 1n, k.lambda, k.lambda + 1n, k.lambda - 1n, R - k.lambda, R, (1n << 256n) - 1n];
    const got = split(xs);
    expect(got.slice(0, 8)).to.deep.equal([
      [0n, 0n],
      [1n, 0n],
      [-1n, 0n],
      [0n, 1n],
      [1n, 1n],
      [-1n, 1n],
      [0n, -1n],
      [0n, 0n],
    ]);
    expect((((xs[8] - got[8][0] - got[8][1] * k.lambda) % R) + R) % R).to.equal(0n);
  });

  it("scalars whose halves sit at the bound split correctly, with both halves near half a basis vector", () => {
    const xs = glvBoundaryScalars(16);
    const halfA = (abs(k.v1[0]) > abs(k.v2[0]) ? abs(k.v1[0]) : abs(k.v2[0])) / 2n;
    const halfB = (abs(k.v1[1]) > abs(k.v2[1]) ? abs(k.v1[1]) : abs(k.v2[1])) / 2n;
    split(xs).forEach(([k1, k2], i) => {
      expect((((xs[i] - k1 - k2 * k.lambda) % R) + R) % R).to.equal(0n);
      expect(abs(k1) <= k.bound && abs(k2) <= k.bound).to.equal(true);
      // At the bound: within 2% of half the larger basis entries.
      expect(abs(k1) * 100n > halfA * 98n && abs(k2) * 100n > halfB * 98n, `scalar ${i}: ${k1}, ${k2}`).to.equal(true);
    });
  });

  it("narrow and unaligned scalars split like the same values at 32 bytes", () => {
    const next = scalarStream(5n);
    const xs = Array.from({ length: 33 }, () => next() % (1n << 200n));
    expect(split(xs, 25)).to.deep.equal(split(xs));
    expect(split(xs, 32, 3)).to.deep.equal(split(xs));
    expect(split(xs, 28, 4)).to.deep.equal(split(xs));
  });

  it("ZKINFER_GLV picks the plan: on splits scalars wider than 128 bits, auto (the default) and off never", () => {
    const saved = process.env.ZKINFER_GLV;
    try {
      const wide = standardScalars(Array(2048).fill(R - 1n));
      const narrow = standardScalars(Array(2048).fill((1n << 150n) + 1n));
      const short = standardScalars(Array(2048).fill((1n << 120n) + 1n));
      delete process.env.ZKINFER_GLV;
      expect(glvMode()).to.equal("auto");
      expect(planMsm(wide, 2048, 32, 1)?.negative).to.equal(undefined);
      process.env.ZKINFER_GLV = "on";
      expect(planMsm(wide, 2048, 32, 1)?.negative).to.not.equal(undefined);
      expect(planMsm(wide, 1, 32, 1)?.negative).to.not.equal(undefined);
      expect(planMsm(narrow, 2048, 32, 1)?.negative).to.not.equal(undefined);
      expect(planMsm(short, 2048, 32, 1)?.negative).to.equal(undefined);
      process.env.ZKINFER_GLV = "off";
      expect(planMsm(wide, 2048, 32, 1)?.negative).to.equal(undefined);
      process.env.ZKINFER_GLV = "yes";
      expect(() => glvMode()).to.throw(/ZKINFER_GLV must be auto, on or off/);
    } finally {
      if (saved === undefined) delete process.env.ZKINFER_GLV;
      else process.env.ZKINFER_GLV = saved;
    }
  });
});

describe("engine/wasm/glv: MSMs with the split against ffjavascript and @noble/curves", () => {
  let curve: Bn128;
  let bases: Uint8Array;
  before(async () => {
    curve = await getEngine();
    bases = (await devSrs(1100)).g1;
  });
  after(releaseEngine);

  it("the edge scalars (λ, r − λ, boundary halves, …) on lengths 1, 2, 3 and 2^k ± 1, on one and two threads", async () => {
    for (const n of [1, 2, 3, 15, 17, 255, 257, 1025]) {
      const xs = glvEdgeScalars(n + 2).slice(2);
      for (const threads of [1, 2]) await expectMsmMatches(curve, bases.subarray(0, n * 64), xs, threads);
    }
  });

  it("bases that hold P, φ(P), −P and −φ(P), and the point at infinity, so that the 2n points repeat and cancel", async () => {
    const { lambda } = glvConstants();
    const next = scalarStream(37n);
    const points: Uint8Array[] = [];
    for (let i = 0; i < 40; i++) {
      const p = bn254.G1.Point.BASE.multiply(next());
      const phi = p.multiply(lambda);
      for (const q of [p, phi, p.negate(), phi.negate()]) {
        const { x, y } = q.toAffine();
        points.push(g1ToLEM({ x, y }));
      }
    }
    points.push(new Uint8Array(64), new Uint8Array(64));
    const all = new Uint8Array(points.length * 64);
    points.forEach((p, i) => all.set(p, i * 64));
    const n = points.length;
    // Random scalars, then each point's scalar λ times its neighbour's (so φ(P)·s and P·λs coincide in buckets), then the edges.
    const random = Array.from({ length: n }, next);
    const linked = random.map((s, i) => (i % 2 ? (random[i - 1] * lambda) % R : s));
    for (const xs of [random, linked, glvEdgeScalars(n)]) {
      for (const threads of [1, 2]) {
        const got = await expectMsmMatches(curve, all, xs, threads);
        const want = nobleMsm(all, xs);
        if (want.equals(bn254.G1.Point.ZERO)) expect(got.every((b) => b === 0)).to.equal(true);
        else {
          const { x, y } = g1FromLEM(got);
          const a = want.toAffine();
          expect([x, y]).to.deep.equal([a.x, a.y]);
        }
      }
    }
    // P and −P with the same scalar (φ(P) and −φ(P) with zero): everything cancels to infinity.
    const cancel = Array.from({ length: n }, (_, i) => (i % 4 === 0 ? random[i] : i % 4 === 2 ? random[i - 2] : 0n));
    const zero = await g1MsmLem(all, standardScalars(cancel), 32, { threads: 2, glv: "on" });
    expect(zero.every((b) => b === 0)).to.equal(true);
  });
});
