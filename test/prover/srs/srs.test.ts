import { expect } from "chai";
import { readFile } from "node:fs/promises";
import { bn254 } from "@noble/curves/bn254.js";
import { getEngine, releaseEngine, P, R } from "../../../verifier/engine/bn254.js";
import { checkPtau, devSrs, loadPtau, SrsError, validateSrs, type G2Affine, type Srs } from "../../../prover/srs/index.js";
import { checkPowers } from "../../../prover/srs/checks.js";
import { isLagrangeBasis } from "../../../prover/kzg/index.js";
import { Domain } from "../../../prover/poly/index.js";
import { expectRejection } from "../../helpers/assert.js";
import {
  FIXTURE_G1_POWERS,
  FIXTURE_POWER,
  makePtauFixtures,
  sectionOffset,
  tamper,
  TAU_G1,
  TAU_G2,
  type PtauFixtures,
} from "./fixtures.js";

function nobleG2(p: G2Affine) {
  const F2 = bn254.fields.Fp2;
  const point = bn254.G2.Point.fromAffine({ x: F2.fromBigTuple(p.x), y: F2.fromBigTuple(p.y) });
  point.assertValidity();
  return point;
}

/** [τ^i]₁ of an SRS as a noble point (via the engine's big-endian standard encoding). */
async function nobleG1(srs: Srs, i: number) {
  const c = await getEngine();
  const buf = new Uint8Array(64);
  c.G1.toRprUncompressed(buf, 0, srs.g1.subarray(i * 64, (i + 1) * 64));
  const hex = (b: Uint8Array) => BigInt("0x" + Buffer.from(b).toString("hex"));
  return bn254.G1.Point.fromAffine({ x: hex(buf.subarray(0, 32)), y: hex(buf.subarray(32)) });
}

async function expectSrsError(promise: Promise<unknown>, kind: "format" | "invalid", pattern: RegExp): Promise<void> {
  const err = await expectRejection(promise, pattern);
  expect(err).to.be.instanceOf(SrsError);
  expect((err as SrsError).kind).to.equal(kind);
}

function littleEndian(v: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number((v >> BigInt(8 * i)) & 0xffn);
  return out;
}

describe("srs: Powers-of-Tau files", () => {
  let fx: PtauFixtures;
  /** Copies of the valid plain file with one change each. */
  const bad: Record<string, string> = {};

  before(async () => {
    fx = await makePtauFixtures();
    const g1 = (bytes: Uint8Array, i: number) => sectionOffset(bytes, TAU_G1) + 64 * i;
    const g2 = (bytes: Uint8Array, i: number) => sectionOffset(bytes, TAU_G2) + 128 * i;
    bad.swapped = await tamper(fx.plain, fx.dir, "swapped.ptau", (b) => {
      b.copyWithin(g1(b, 5), g1(b, 9), g1(b, 9) + 64); // [τ^5]₁ := [τ^9]₁, a valid point
    });
    bad.swappedLate = await tamper(fx.plain, fx.dir, "swapped-late.ptau", (b) => {
      b.copyWithin(g1(b, 50), g1(b, 51), g1(b, 51) + 64);
    });
    bad.offCurve = await tamper(fx.plain, fx.dir, "off-curve.ptau", (b) => {
      b[g1(b, 3) + 32] ^= 1; // low bit of y
    });
    bad.notReduced = await tamper(fx.plain, fx.dir, "not-reduced.ptau", (b) => {
      b.set(littleEndian(P), g1(b, 4)); // x = p
    });
    bad.tauG2 = await tamper(fx.plain, fx.dir, "tau-g2.ptau", (b) => {
      b.copyWithin(g2(b, 1), g2(b, 2), g2(b, 2) + 128); // [τ]₂ := [τ²]₂, a valid point
    });
    bad.truncated = await tamper(fx.plain, fx.dir, "truncated.ptau", (b) => b.subarray(0, 5000)); // inside tauG1
    bad.notPtau = await tamper(fx.plain, fx.dir, "not-ptau.ptau", (b) => b.set([0x7a, 0x6b, 0x65, 0x79]));
  });

  after(async () => {
    await fx?.remove();
    await releaseEngine();
  });

  it("loads the G1 powers and [1]₂, [τ]₂ of a valid file, and [τ]₁ pairs with [τ]₂", async () => {
    const c = await getEngine();
    const srs = await loadPtau(fx.plain, { size: 40 });
    expect(srs.size).to.equal(40);
    expect(srs.g1.byteLength).to.equal(40 * 64);
    expect(srs.insecure).to.equal(false);
    expect(srs.source).to.contain(fx.plain).and.contain(`power ${FIXTURE_POWER}`);
    // Exactly the file's bytes.
    const file = await readFile(fx.plain);
    const start = sectionOffset(file, TAU_G1);
    expect(Buffer.from(srs.g1).equals(file.subarray(start, start + 40 * 64))).to.equal(true);
    // e([τ]₁, [1]₂) = e([1]₁, [τ]₂) and e([τ^7]₁, [1]₂) = e([τ^6]₁, [τ]₂), in the engine and in noble.
    const pt = (i: number) => srs.g1.subarray(64 * i, 64 * (i + 1));
    expect(await c.pairingEq(pt(1), srs.g2OneEngine, c.G1.neg(pt(0)), srs.g2TauEngine)).to.equal(true);
    expect(await c.pairingEq(pt(7), srs.g2OneEngine, c.G1.neg(pt(6)), srs.g2TauEngine)).to.equal(true);
    expect(await c.pairingEq(pt(7), srs.g2OneEngine, c.G1.neg(pt(5)), srs.g2TauEngine)).to.equal(false);
    expect(nobleG2(srs.g2One).equals(bn254.G2.Point.BASE)).to.equal(true);
    const tau2 = nobleG2(srs.g2Tau);
    expect((await nobleG1(srs, 0)).equals(bn254.G1.Point.BASE)).to.equal(true);
    const lhs = bn254.pairing(await nobleG1(srs, 1), bn254.G2.Point.BASE);
    const rhs = bn254.pairing(bn254.G1.Point.BASE, tau2);
    expect(bn254.fields.Fp12.eql(lhs, rhs)).to.equal(true);
  });

  it("reads the prepared-phase-2 variant the same as the plain file", async () => {
    const plain = await loadPtau(fx.plain, { size: FIXTURE_G1_POWERS });
    const prepared = await loadPtau(fx.prepared, { size: FIXTURE_G1_POWERS });
    expect(Buffer.from(prepared.g1).equals(Buffer.from(plain.g1))).to.equal(true);
    expect(prepared.g2Tau).to.deep.equal(plain.g2Tau);
    const report = await checkPtau(fx.prepared);
    expect(report.valid, report.reasons.join("; ")).to.equal(true);
    expect(report.prepared).to.equal(true);
    expect(report.sections.find((s) => s.id === 12)?.points).to.equal(4 * 2 ** FIXTURE_POWER - 1);
  });

  it("gives the Lagrange bases of a prepared file, which commit as its powers do; a plain file has none", async () => {
    const c = await getEngine();
    const plain = await loadPtau(fx.plain, { size: FIXTURE_G1_POWERS });
    expect(plain.lagrangeBasis).to.equal(undefined);
    const prepared = await loadPtau(fx.prepared, { size: FIXTURE_G1_POWERS });
    const key = { g1: prepared.g1, size: prepared.size };
    let seed = 7n;
    const random = () => (seed = (seed * 0x9e3779b97f4a7c15n + 1n) % R);
    for (const k of [0, 3, FIXTURE_POWER]) {
      const basis = await prepared.lagrangeBasis!(k);
      expect(basis?.length, `2^${k}`).to.equal(2 ** k * 64);
      expect(await isLagrangeBasis(c, key, basis!, Domain.create(k), random), `2^${k}`).to.equal(true);
    }
    // The file holds bases up to 2^(power+1); the basis of 2^3 is not one of 2^4.
    expect(await prepared.lagrangeBasis!(FIXTURE_POWER + 2)).to.equal(undefined);
    const b3 = await prepared.lagrangeBasis!(3);
    expect(await isLagrangeBasis(c, key, new Uint8Array([...b3!, ...b3!]), Domain.create(4), random)).to.equal(false);
  });

  it("takes any number of powers up to the file's, and refuses more", async () => {
    for (const size of [1, 2, 64, FIXTURE_G1_POWERS]) {
      expect((await loadPtau(fx.plain, { size })).size).to.equal(size);
    }
    await expectSrsError(loadPtau(fx.plain, { size: FIXTURE_G1_POWERS + 1 }), "format", /holds 127 G1 powers.*fewer than the 128 requested.*power 7/);
    await expectSrsError(loadPtau(fx.plain, { size: 0 }), "format", /positive integer/);
  });

  it("reports a valid file with its power and point counts", async () => {
    const report = await checkPtau(fx.plain);
    expect(report).to.deep.include({ curve: "BN254", power: FIXTURE_POWER, ceremonyPower: FIXTURE_POWER, prepared: false });
    expect(report.contributions).to.equal(1);
    expect(report.valid, report.reasons.join("; ")).to.equal(true);
    expect(report.reasons).to.deep.equal([]);
    expect(report.checked).to.deep.equal({ g1Powers: FIXTURE_G1_POWERS, g2Powers: 2 });
    const points = Object.fromEntries(report.sections.map((s) => [s.name, s.points]));
    expect(points).to.deep.include({ tauG1: 127, tauG2: 64, alphaTauG1: 64, betaTauG1: 64, betaG2: 1 });
  });

  it("rejects a G1 power replaced by another valid point (consistency check)", async () => {
    await expectSrsError(loadPtau(bad.swapped, { size: 20 }), "invalid", /not consecutive powers/);
    const report = await checkPtau(bad.swapped);
    expect(report.valid).to.equal(false);
    expect(report.reasons.join()).to.match(/not consecutive powers/);
  });

  it("validates only the powers it loads, while srs check covers the whole file", async () => {
    expect((await loadPtau(bad.swappedLate, { size: 50 })).size).to.equal(50);
    await expectSrsError(loadPtau(bad.swappedLate, { size: 52 }), "invalid", /not consecutive powers/);
    expect((await checkPtau(bad.swappedLate)).valid).to.equal(false);
  });

  it("rejects a point off the curve and a coordinate that is not below p", async () => {
    await expectSrsError(loadPtau(bad.offCurve, { size: 10 }), "invalid", /\[τ\^3\]₁ is not on the curve/);
    await expectSrsError(loadPtau(bad.notReduced, { size: 10 }), "invalid", /\[τ\^4\]₁ has a coordinate that is not below p/);
    const report = await checkPtau(bad.offCurve);
    expect(report.valid).to.equal(false);
    expect(report.reasons).to.deep.equal(["[τ^3]₁ is not on the curve"]);
  });

  it("rejects a [τ]₂ that does not match [τ]₁", async () => {
    await expectSrsError(loadPtau(bad.tauG2, { size: 10 }), "invalid", /\[τ\]₂ does not match \[τ\]₁/);
    expect((await checkPtau(bad.tauG2)).valid).to.equal(false);
  });

  it("rejects a file with no contribution (τ = 1)", async () => {
    await expectSrsError(loadPtau(fx.uncontributed, { size: 10 }), "invalid", /τ = 1/);
  });

  it("rejects a truncated file, saying so", async () => {
    await expectSrsError(loadPtau(bad.truncated, { size: 10 }), "format", /truncated/);
    await expectSrsError(checkPtau(bad.truncated), "format", /truncated.*tauG1/);
  });

  it("rejects a BLS12-381 file as the wrong curve, and files that are not ptau", async () => {
    await expectSrsError(loadPtau(fx.bls, { size: 2 }), "format", /wrong curve.*BLS12-381/);
    await expectSrsError(checkPtau(fx.bls), "format", /wrong curve.*BLS12-381/);
    await expectSrsError(loadPtau(bad.notPtau, { size: 2 }), "format", /not a Powers-of-Tau file/);
    await expectSrsError(loadPtau(`${fx.dir}/missing.ptau`, { size: 2 }), "format", /cannot open/);
  });
});

describe("srs: development SRS", () => {
  after(releaseEngine);

  it("holds the powers of the given τ, matching noble, and is marked insecure", async () => {
    const tau = 0x1234567890abcdef1234567890abcdef1234567890abcdefn;
    const srs = await devSrs(300, { tau });
    expect(srs).to.deep.include({ size: 300, insecure: true, source: "dev" });
    for (const i of [0, 1, 2, 255, 256, 299]) {
      const expected = bn254.G1.Point.BASE.multiply(bn254.fields.Fr.pow(tau, BigInt(i)));
      expect((await nobleG1(srs, i)).equals(expected), `[τ^${i}]₁`).to.equal(true);
    }
    expect(nobleG2(srs.g2Tau).equals(bn254.G2.Point.BASE.multiply(tau))).to.equal(true);
    expect(nobleG2(srs.g2One).equals(bn254.G2.Point.BASE)).to.equal(true);
    await validateSrs(srs);
  });

  it("gives [L_i(τ)]₁ for the domains it covers, matching noble", async () => {
    const tau = 0xfeedfacecafebeefn;
    const srs = await devSrs(20, { tau });
    const domain = Domain.create(4);
    const basis = await srs.lagrangeBasis!(4);
    for (const i of [0, 1, 9, 15]) {
      const expected = bn254.G1.Point.BASE.multiply(domain.lagrange(i, tau));
      expect((await nobleG1({ ...srs, g1: basis! }, i)).equals(expected), `[L_${i}(τ)]₁`).to.equal(true);
    }
    expect(await srs.lagrangeBasis!(5)).to.equal(undefined); // 32 points need 32 powers
  });

  it("passes the same checks as a file with a random τ, and fails them when tampered", async () => {
    const srs = await devSrs(1000);
    await validateSrs(srs);
    const other = await devSrs(1000);
    expect(Buffer.from(other.g1.subarray(64, 128)).equals(Buffer.from(srs.g1.subarray(64, 128)))).to.equal(false);
    const g1 = srs.g1.slice();
    g1.copyWithin(64 * 500, 64 * 501, 64 * 502);
    await expectSrsError(validateSrs({ ...srs, g1 }), "invalid", /not consecutive powers/);
    await expectSrsError(validateSrs({ ...srs, g2TauEngine: other.g2TauEngine }), "invalid", /does not match/);
  });

  it("catches a bad power at every position across chunk boundaries", async () => {
    const c = await getEngine();
    const srs = await devSrs(40);
    const source = (g1: Uint8Array) => ({
      total: 40,
      read: async (first: number, count: number) => g1.subarray(64 * first, 64 * (first + count)),
      g2One: srs.g2OneEngine,
      g2Tau: srs.g2TauEngine,
    });
    const progress: [number, number][] = [];
    expect(await checkPowers(c, source(srs.g1), { chunk: 7, onProgress: (done, total) => progress.push([done, total]) })).to.deep.equal([]);
    // after each chunk, how many powers are checked (what setup and srs check show in percent)
    expect(progress).to.deep.equal([7, 14, 21, 28, 35, 40].map((done) => [done, 40]));
    // Positions at, before and after chunk edges, and the last power.
    for (const i of [1, 6, 7, 8, 13, 14, 39]) {
      const g1 = srs.g1.slice();
      g1.set(c.G1.toAffine(c.G1.add(g1.subarray(64 * i, 64 * (i + 1)), c.G1.g)), 64 * i);
      const reasons = await checkPowers(c, source(g1), { chunk: 7 });
      expect(reasons.join(), `power ${i}`).to.match(i === 1 ? /does not match/ : /not consecutive powers/);
    }
  });

  it("refuses τ outside 2 … r−1", async () => {
    await expectRejection(devSrs(4, { tau: 1n }), /τ in 2/);
    await expectRejection(devSrs(4, { tau: R }), /τ in 2/);
  });
});
