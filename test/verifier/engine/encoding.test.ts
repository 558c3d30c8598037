import { expect } from "chai";
import fc from "fast-check";
import { bn254 } from "@noble/curves/bn254.js";
import { getEngine, releaseEngine, P, R } from "../../../verifier/engine/bn254.js";
import {
  EncodingError,
  assertG2,
  decodeG1,
  decodeG2,
  decodeScalar,
  decodeScalars,
  encodeG1,
  encodeG2,
  encodeScalar,
  encodeScalars,
  g1FromLEM,
  g1FromNoble,
  g1ToLEM,
  g1ToNoble,
  g2FromLEM,
  g2FromNoble,
  g2ToLEM,
  g2ToNoble,
  scalarFromLEM,
  scalarToLEM,
  type G1Affine,
} from "../../../verifier/engine/encoding.js";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
const word = (v: bigint): Uint8Array => Uint8Array.from(Buffer.from(v.toString(16).padStart(64, "0"), "hex"));
const g1Bytes = (x: bigint, y: bigint): Uint8Array => Uint8Array.from([...word(x), ...word(y)]);
const scalarArb = fc.bigInt({ min: 0n, max: R - 1n });
const nonZeroScalarArb = fc.bigInt({ min: 1n, max: R - 1n });

function expectEncodingError(f: () => unknown, pattern: RegExp): void {
  expect(f).to.throw(EncodingError, pattern);
}

describe("engine/encoding", () => {
  after(releaseEngine);

  describe("scalars", () => {
    it("round-trips every scalar as 32 bytes big-endian", () => {
      fc.assert(
        fc.property(scalarArb, (x) => {
          const b = encodeScalar(x);
          expect(b.length).to.equal(32);
          expect(hex(b)).to.equal(x.toString(16).padStart(64, "0"));
          expect(decodeScalar(b)).to.equal(x);
        }),
      );
    });

    it("rejects non-canonical scalars on decode and out-of-range ones on encode", () => {
      expectEncodingError(() => decodeScalar(word(R)), /not canonical/);
      expectEncodingError(() => decodeScalar(word((1n << 256n) - 1n)), /not canonical/);
      expectEncodingError(() => encodeScalar(R), /not canonical/);
      expectEncodingError(() => encodeScalar(-1n), /not canonical/);
      expectEncodingError(() => encodeScalar(5 as unknown as bigint), /expected a bigint/);
      expectEncodingError(() => decodeScalar(new Uint8Array(31)), /needs 32 bytes/);
      expectEncodingError(() => decodeScalar(new Uint8Array(64), 40), /needs 32 bytes at offset 40/);
    });

    it("packs scalar lists and rejects a bad length or element", () => {
      const xs = [0n, 1n, R - 1n];
      expect(decodeScalars(encodeScalars(xs))).to.deep.equal(xs);
      expectEncodingError(() => decodeScalars(new Uint8Array(33)), /multiple of 32/);
      expectEncodingError(() => encodeScalars([1n, R]), /scalar 1/);
    });

    it("converts to and from the engine's Fr form (Montgomery LE) like the engine", async () => {
      const { Fr } = await getEngine();
      fc.assert(
        fc.property(scalarArb, (x) => {
          expect(hex(scalarToLEM(x))).to.equal(hex(Fr.e(x)));
          expect(scalarFromLEM(Fr.e(x))).to.equal(x);
          expect(Fr.toObject(scalarToLEM(x))).to.equal(x);
        }),
        { numRuns: 50 },
      );
      // A stored word ≥ r is not a canonical Montgomery form.
      expectEncodingError(() => scalarFromLEM(Uint8Array.from(word(R)).reverse()), /not canonical/);
    });
  });

  describe("G1", () => {
    it("round-trips points as 64-byte big-endian x ‖ y, matching @noble/curves", () => {
      fc.assert(
        fc.property(nonZeroScalarArb, (k) => {
          const pt = bn254.G1.Point.BASE.multiply(k);
          const a = g1FromNoble(pt);
          const b = encodeG1(a);
          expect(hex(b)).to.equal(hex(word(a.x)) + hex(word(a.y)));
          expect(decodeG1(b)).to.deep.equal(a);
          expect(g1ToNoble(a).equals(pt)).to.equal(true);
        }),
        { numRuns: 30 },
      );
    });

    it("encodes the point at infinity as (0, 0)", () => {
      const inf = g1FromNoble(bn254.G1.Point.ZERO);
      expect(inf).to.deep.equal({ x: 0n, y: 0n });
      expect(hex(encodeG1(inf))).to.equal("00".repeat(64));
      expect(decodeG1(new Uint8Array(64))).to.deep.equal(inf);
      expect(g1ToNoble(inf).is0()).to.equal(true);
    });

    it("rejects coordinates ≥ p and points off y² = x³ + 3", () => {
      expectEncodingError(() => decodeG1(g1Bytes(P, 2n)), /x: .* not canonical/);
      // (1, 2) is the generator; (1, 2 + p) is congruent but not canonical.
      expectEncodingError(() => decodeG1(g1Bytes(1n, 2n + P)), /y: .* not canonical/);
      expectEncodingError(() => decodeG1(g1Bytes(1n, 3n)), /not on y² = x³ \+ 3/);
      expectEncodingError(() => decodeG1(g1Bytes(0n, 1n)), /not on y² = x³ \+ 3/);
      expectEncodingError(() => encodeG1({ x: 1n, y: 3n }), /not on/);
      expectEncodingError(() => g1ToNoble({ x: -1n, y: 2n }), /not canonical/);
      expectEncodingError(() => decodeG1(new Uint8Array(63)), /needs 64 bytes/);
    });

    it("converts to and from the engine's affine LEM form in both directions", async () => {
      const { G1 } = await getEngine();
      const buf = new Uint8Array(64);
      for (const k of [1n, 2n, 3n, 0xdeadbeefn, R - 1n, 1234567890123456789012345678901234567890n]) {
        const lem = G1.toAffine(G1.timesScalar(G1.g, k));
        const a = g1FromNoble(bn254.G1.Point.BASE.multiply(k));
        // ours → engine
        expect(hex(g1ToLEM(a))).to.equal(hex(lem));
        G1.toRprUncompressed(buf, 0, g1ToLEM(a));
        expect(hex(buf)).to.equal(hex(encodeG1(a)));
        // engine → ours
        expect(g1FromLEM(lem)).to.deep.equal(a);
        expect(hex(G1.fromRprUncompressed(encodeG1(a), 0))).to.equal(hex(lem));
      }
      const infLem = G1.toAffine(G1.zero);
      expect(g1FromLEM(infLem)).to.deep.equal({ x: 0n, y: 0n });
      expect(hex(g1ToLEM({ x: 0n, y: 0n }))).to.equal(hex(infLem));
    });

    it("rejects LEM points with a word ≥ p or off the curve", async () => {
      const { G1 } = await getEngine();
      const lem = G1.toAffine(G1.g);
      const big = lem.slice();
      big.set(Uint8Array.from(word(P)).reverse(), 0);
      expectEncodingError(() => g1FromLEM(big), /not canonical/);
      const off = lem.slice();
      off[40] ^= 1;
      expectEncodingError(() => g1FromLEM(off), /not on/);
      // Reads at an offset inside a point array.
      const arr = new Uint8Array(128);
      arr.set(lem, 64);
      expect(g1FromLEM(arr, 64)).to.deep.equal({ x: 1n, y: 2n });
    });
  });

  describe("G2", () => {
    it("encodes as the pairing precompile and the engine do: x.c1 ‖ x.c0 ‖ y.c1 ‖ y.c0", async () => {
      const { G2 } = await getEngine();
      const buf = new Uint8Array(128);
      for (const k of [1n, 7n, R - 2n]) {
        const pt = bn254.G2.Point.BASE.multiply(k);
        const a = g2FromNoble(pt);
        const enc = encodeG2(a);
        expect(hex(enc.subarray(0, 32))).to.equal(hex(word(a.x.c1)));
        expect(hex(enc.subarray(96))).to.equal(hex(word(a.y.c0)));
        const lem = G2.toAffine(G2.timesScalar(G2.g, k));
        G2.toRprUncompressed(buf, 0, lem);
        expect(hex(enc)).to.equal(hex(buf));
        expect(hex(g2ToLEM(a))).to.equal(hex(lem));
        expect(g2FromLEM(lem)).to.deep.equal(a);
        expect(hex(G2.fromRprUncompressed(enc, 0))).to.equal(hex(lem));
        expect(decodeG2(enc)).to.deep.equal(a);
        expect(g2ToNoble(a).equals(pt)).to.equal(true);
      }
      const inf = g2FromNoble(bn254.G2.Point.ZERO);
      expect(hex(encodeG2(inf))).to.equal("00".repeat(128));
      expect(hex(g2ToLEM(inf))).to.equal(hex(G2.toAffine(G2.zero)));
    });

    it("rejects coordinates ≥ p, points off the twist and points outside the order-r subgroup", () => {
      const a = g2FromNoble(bn254.G2.Point.BASE);
      const enc = encodeG2(a);
      const big = enc.slice();
      big.set(word(P), 32);
      expectEncodingError(() => decodeG2(big), /x\.c0: .* not canonical/);
      const off = enc.slice();
      off[127] ^= 1;
      expectEncodingError(() => decodeG2(off), /order-r subgroup/);
      // A point on the twist outside the subgroup: solve y² = x³ + b' for some x.
      const { Fp2 } = bn254.fields;
      const b = Fp2.div(Fp2.fromBigTuple([3n, 0n]), Fp2.fromBigTuple([9n, 1n]));
      let x = Fp2.fromBigTuple([1n, 0n]);
      let y: { c0: bigint; c1: bigint } | undefined;
      for (;;) {
        const rhs = Fp2.add(Fp2.mul(Fp2.sqr(x), x), b);
        try {
          y = Fp2.sqrt(rhs);
          break;
        } catch {
          x = Fp2.add(x, Fp2.ONE);
        }
      }
      const onTwist = { x, y: y! };
      expect(Fp2.eql(Fp2.sqr(onTwist.y), Fp2.add(Fp2.mul(Fp2.sqr(x), x), b))).to.equal(true);
      expectEncodingError(() => assertG2(onTwist), /order-r subgroup/);
    });
  });

  it("EncodingError is a named Error subclass", () => {
    let caught: unknown;
    try {
      decodeScalar(word(R));
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(Error);
    expect((caught as Error).name).to.equal("EncodingError");
    const p: G1Affine = { x: 1n, y: 2n };
    expect(decodeG1(encodeG1(p))).to.deep.equal(p);
  });
});
