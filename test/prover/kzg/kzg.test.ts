import { expect } from "chai";
import type { Bn128 } from "ffjavascript";
import { getEngine, releaseEngine, R } from "../../../verifier/engine/bn254.js";
import { frGet, frSet, frVecFromBigints, frVecToBigints } from "../../../verifier/engine/fr.js";
import { g1Add, g1Generator } from "../../../prover/engine/g1.js";
import { frInv } from "../../../verifier/engine/scalar.js";
import { devSrs, type Srs } from "../../../prover/srs/index.js";
import {
  accumulateClaims,
  accumulateMultiOpening,
  commit,
  commitAndOpen,
  commitLagrange,
  commitSteps,
  isLagrangeBasis,
  decide,
  foldAccumulators,
  open,
  proveMultiOpening,
  pointWeights,
  verifyClaim,
  type KzgVerifierKey,
  type OpeningClaim,
  type OpeningTranscript,
} from "../../../prover/kzg/index.js";
import { Transcript } from "../../../verifier/transcript/index.js";
import { Domain, evaluate, ifft } from "../../../prover/poly/index.js";
import { pseudoRandom } from "../poly/naive.js";

describe("kzg", () => {
  let curve: Bn128;
  let srs: Srs;
  let vk: KzgVerifierKey;
  const size = 256;

  before(async () => {
    curve = await getEngine();
    srs = await devSrs(size);
    vk = { g2One: srs.g2OneEngine, g2Tau: srs.g2TauEngine };
  });
  after(releaseEngine);

  it("commits, opens and verifies at a point, for several degrees", async () => {
    for (const n of [1, 2, 17, size]) {
      const coeffs = pseudoRandom(n, BigInt(n) + 3n);
      const poly = frVecFromBigints(coeffs);
      const z = 123456789n;
      const claim = await commitAndOpen(curve, srs, poly, z);
      expect(claim.value).to.equal(await evaluate(poly, z));
      expect(await verifyClaim(curve, vk, claim)).to.equal(true);
    }
  });

  it("rejects a wrong value, a wrong point, a wrong witness and swapped commitments", async () => {
    const p = frVecFromBigints(pseudoRandom(40, 5n));
    const q = frVecFromBigints(pseudoRandom(40, 6n));
    const z = 99n;
    const cp = await commitAndOpen(curve, srs, p, z);
    const cq = await commitAndOpen(curve, srs, q, z);
    expect(await verifyClaim(curve, vk, { ...cp, value: (cp.value + 1n) % R })).to.equal(false);
    expect(await verifyClaim(curve, vk, { ...cp, point: z + 1n })).to.equal(false);
    expect(await verifyClaim(curve, vk, { ...cp, proof: g1Add(curve, cp.proof, g1Generator(curve)) })).to.equal(false);
    expect(await verifyClaim(curve, vk, { ...cp, commitment: cq.commitment })).to.equal(false);
    expect(await verifyClaim(curve, vk, { ...cq, commitment: cp.commitment })).to.equal(false);
  });

  it("commits from values over a Lagrange basis exactly as from coefficients (signed small, full-width and sparse values)", async () => {
    const domain = Domain.create(6);
    const basis = (await srs.lagrangeBasis!(6))!;
    const full = pseudoRandom(64, 99n);
    const cases: bigint[][] = [
      Array.from({ length: 64 }, (_, i) => (BigInt((i * 37) % 101) - 50n + R) % R),
      full,
      full.map((x, i) => (i % 9 === 0 ? x : 0n)),
      Array.from({ length: 64 }, () => 0n),
      // Only negative values (the "as v" MSM is empty), and one positive value among zeros.
      Array.from({ length: 64 }, (_, i) => R - BigInt(i + 1)),
      Array.from({ length: 64 }, (_, i) => (i === 17 ? 1n << 200n : 0n)),
    ];
    for (const values of cases) {
      const v = frVecFromBigints(values);
      const fromValues = await commitLagrange(curve, basis, v);
      const fromCoeffs = await commit(curve, srs, await ifft(v, domain));
      expect(curve.G1.eq(fromValues, fromCoeffs)).to.equal(true);
    }
    let seed = 3n;
    const random = () => (seed = (seed * 0x9e3779b97f4a7c15n + 11n) % R);
    expect(await isLagrangeBasis(curve, srs, basis, domain, random)).to.equal(true);
    const swapped = basis.slice();
    swapped.copyWithin(5 * 64, 6 * 64, 7 * 64);
    expect(await isLagrangeBasis(curve, srs, swapped, domain, random)).to.equal(false);
    expect(await isLagrangeBasis(curve, srs, basis.subarray(64), domain, random)).to.equal(false);
  });

  it("commits from steps exactly as from coefficients: running sums and products that change on few rows, any first value", async () => {
    const domain = Domain.create(6);
    const basis = (await srs.lagrangeBasis!(6))!;
    const full = pseudoRandom(64, 77n);
    const running = (first: bigint, change: (i: number) => bigint): bigint[] => {
      const out = [first];
      for (let i = 1; i < 64; i++) out.push((out[i - 1] + change(i)) % R);
      return out;
    };
    const cases: bigint[][] = [
      running(0n, (i) => (i % 11 === 0 ? full[i] : 0n)),
      running(1n, (i) => (i === 63 ? R - 5n : 0n)),
      running(full[0], (i) => full[i]),
      Array.from({ length: 64 }, () => 0n),
      Array.from({ length: 64 }, () => 9n),
    ];
    for (const values of cases) {
      const v = frVecFromBigints(values);
      const expected = await commit(curve, srs, await ifft(v, domain));
      // Twice: the second call uses the suffix sums computed by the first.
      expect(curve.G1.eq(await commitSteps(curve, srs, basis, v), expected)).to.equal(true);
      expect(curve.G1.eq(await commitSteps(curve, srs, basis, v), expected)).to.equal(true);
    }
    // A shorter column over the same basis buffer (the suffix sums of its first 16 points).
    const short = frVecFromBigints(running(3n, (i) => (i % 3 === 0 ? full[i] : 0n)).slice(0, 16));
    const basis16 = (await srs.lagrangeBasis!(4))!;
    const fromCoeffs = await commit(curve, srs, await ifft(short, Domain.create(4)));
    expect(curve.G1.eq(await commitSteps(curve, srs, basis16, short), fromCoeffs)).to.equal(true);
  });

  it("adds extra terms to a commitment from values or steps, in its MSM or beside it: a blinded column f + R·Z_H as from coefficients", async () => {
    const n = 64;
    const domain = Domain.create(6);
    const basis = (await srs.lagrangeBasis!(6))!;
    const full = pseudoRandom(n, 55n);
    const r = pseudoRandom(3, 8n);
    // R·Z_H = Σ_j r_j·X^(n+j) − r_j·X^j: the extra terms over [τ^j]₁ and [τ^(n+j)]₁.
    const blinding = {
      bases: Buffer.concat([srs.g1.subarray(0, 3 * 64), srs.g1.subarray(n * 64, (n + 3) * 64)]),
      scalars: frVecFromBigints([...r.map((x) => (R - x) % R), ...r]),
    };
    const blinded = async (values: bigint[]) => {
      const c = frVecFromBigints([...frVecToBigints(await ifft(frVecFromBigints(values), domain)), ...r]);
      for (let j = 0; j < 3; j++) frSet(c, j, (frGet(c, j) - r[j] + R) % R);
      return commit(curve, srs, c);
    };
    const cases: bigint[][] = [
      // Small signed values: the full-width extras get an MSM of their own.
      Array.from({ length: n }, (_, i) => (BigInt((i * 37) % 101) - 50n + R) % R),
      // Full-width values: the extras join the values' MSM.
      full,
      full.map((x, i) => (i % 9 === 0 ? x : 0n)),
      Array.from({ length: n }, () => 0n),
    ];
    for (const values of cases) {
      const expected = await blinded(values);
      expect(curve.G1.eq(await commitLagrange(curve, basis, frVecFromBigints(values), blinding), expected)).to.equal(true);
      // The same column by its steps (its first value is one more extra term).
      expect(curve.G1.eq(await commitSteps(curve, srs, basis, frVecFromBigints(values), blinding), expected)).to.equal(true);
    }
  });

  it("refuses polynomials longer than the SRS", async () => {
    const tooLong = frVecFromBigints(pseudoRandom(size + 1, 1n));
    let message = "";
    await commit(curve, srs, tooLong).catch((e: Error) => (message = e.message));
    expect(message).to.match(/SRS holds only 256/);
  });

  describe("accumulator", () => {
    async function claims(k: number): Promise<OpeningClaim[]> {
      const out: OpeningClaim[] = [];
      for (let i = 0; i < k; i++) {
        const poly = frVecFromBigints(pseudoRandom(30 + i, 11n + BigInt(i)));
        out.push(await commitAndOpen(curve, srs, poly, 1000n + BigInt(i)));
      }
      return out;
    }

    it("folds valid claims into an accumulator that the decider accepts", async () => {
      const cs = await claims(5);
      expect(await decide(curve, vk, await accumulateClaims(curve, cs, 31337n))).to.equal(true);
    });

    it("fails the decider when any one claim is wrong", async () => {
      const cs = await claims(5);
      for (let i = 0; i < cs.length; i++) {
        const bad = cs.map((c, j) => (j === i ? { ...c, value: (c.value + 1n) % R } : c));
        expect(await decide(curve, vk, await accumulateClaims(curve, bad, 31337n))).to.equal(false);
      }
    });

    it("fails when an error in one claim is cancelled in another with a constant batching factor", async () => {
      // With ρ fixed in advance a cheater can shift claim 0's value by δ and claim 1's by −δ/ρ;
      // the fold with that ρ then passes, which is why ρ must be a fresh challenge. Any other ρ fails.
      const cs = await claims(2);
      const rho = 5n;
      const delta = 77n;
      const rhoInv = frInv(rho);
      const bad = [
        { ...cs[0], value: (cs[0].value + delta) % R },
        { ...cs[1], value: (cs[1].value - ((delta * rhoInv) % R) + R) % R },
      ];
      expect(await decide(curve, vk, await accumulateClaims(curve, bad, rho))).to.equal(true);
      expect(await decide(curve, vk, await accumulateClaims(curve, bad, rho + 1n))).to.equal(false);
    });

    it("folds accumulators into one, and one bad accumulator spoils the fold", async () => {
      const accs = [];
      for (let i = 0; i < 4; i++) accs.push(await accumulateClaims(curve, await claims(2), 17n + BigInt(i)));
      expect(await decide(curve, vk, await foldAccumulators(curve, accs, 4242n))).to.equal(true);
      const bad = [...accs];
      bad[2] = { a: g1Add(curve, accs[2].a, g1Generator(curve)), b: accs[2].b };
      expect(await decide(curve, vk, await foldAccumulators(curve, bad, 4242n))).to.equal(false);
    });
  });

  describe("multi-opening", () => {
    const transcriptFor = (label: string): OpeningTranscript => new Transcript(label);
    // z is one of the points with probability 2/r only: these tests never meet null.
    const accumulate = async (...args: Parameters<typeof accumulateMultiOpening>) => (await accumulateMultiOpening(...args))!;

    it("opens several polynomials at several points with two witnesses in all (SHPLONK)", async () => {
      const polys = [0, 1, 2].map((i) => frVecFromBigints(pseudoRandom(50, 40n + BigInt(i))));
      const commitments = await Promise.all(polys.map((p) => commit(curve, srs, p)));
      const points = [7n, 8n];
      const values = await Promise.all(points.map((z) => Promise.all(polys.map((p) => evaluate(p, z)))));
      const witnesses = await proveMultiOpening(
        curve,
        srs,
        points.map((point, j) => ({ point, polys, values: values[j] })),
        transcriptFor("test"),
      );
      expect(Object.keys(witnesses).sort()).to.deep.equal(["w", "w2"]);
      const queries = points.map((point, j) => ({ point, commitments, values: values[j] }));
      const acc = await accumulate(curve, queries, witnesses, transcriptFor("test"));
      expect(await decide(curve, vk, acc)).to.equal(true);

      // One wrong value anywhere fails the decider.
      const wrong = queries.map((q, j) => (j === 1 ? { ...q, values: q.values.map((v, k) => (k === 2 ? (v + 1n) % R : v)) } : q));
      expect(await decide(curve, vk, await accumulate(curve, wrong, witnesses, transcriptFor("test")))).to.equal(false);
      // Swapping two commitments fails it too.
      const swapped = queries.map((q) => ({ ...q, commitments: [q.commitments[1], q.commitments[0], q.commitments[2]] }));
      expect(await decide(curve, vk, await accumulate(curve, swapped, witnesses, transcriptFor("test")))).to.equal(false);
      // A wrong W or W′ fails it: W moves z, W′ moves A by z·δ and B by δ.
      const shifted = g1Add(curve, witnesses.w, g1Generator(curve));
      expect(await decide(curve, vk, await accumulate(curve, queries, { ...witnesses, w: shifted }, transcriptFor("test")))).to.equal(false);
      const shifted2 = g1Add(curve, witnesses.w2, g1Generator(curve));
      expect(await decide(curve, vk, await accumulate(curve, queries, { ...witnesses, w2: shifted2 }, transcriptFor("test")))).to.equal(false);
      // The witnesses are bound to the transcript: under another label's challenges they fail.
      expect(await decide(curve, vk, await accumulate(curve, queries, witnesses, transcriptFor("other")))).to.equal(false);
    });

    it("a wrong value at one point fails even when the other point's claims are right, and points must be distinct", async () => {
      const p = frVecFromBigints(pseudoRandom(30, 77n));
      const c = await commit(curve, srs, p);
      const values = [await evaluate(p, 11n), await evaluate(p, 12n)];
      const good = await proveMultiOpening(curve, srs, [{ point: 11n, polys: [p], values: [values[0]] }, { point: 12n, polys: [p], values: [values[1]] }], transcriptFor("d"));
      const accept = (v0: bigint, v1: bigint) =>
        accumulate(curve, [{ point: 11n, commitments: [c], values: [v0] }, { point: 12n, commitments: [c], values: [v1] }], good, transcriptFor("d")).then((acc) => decide(curve, vk, acc));
      expect(await accept(values[0], values[1])).to.equal(true);
      expect(await accept((values[0] + 1n) % R, values[1])).to.equal(false);
      expect(await accept(values[0], (values[1] + 1n) % R)).to.equal(false);
      let message = "";
      await proveMultiOpening(curve, srs, [{ point: 11n, polys: [p], values: [values[0]] }, { point: 11n, polys: [p], values: [values[0]] }], transcriptFor("d")).catch((e: Error) => (message = e.message));
      expect(message).to.match(/share a point/);
      // z at an opening point has no weights (the verifiers reject such a proof); elsewhere c_0 = 1, Z = z − z_0.
      expect(pointWeights([11n, 12n], 5n, 12n)).to.equal(null);
      expect(pointWeights([11n, 12n], 5n, 11n)).to.equal(null);
      const w = pointWeights([11n, 12n], 5n, 20n)!;
      expect(w.weights[0]).to.equal(1n);
      expect(w.vanishing).to.equal(9n);
      expect((w.weights[1] * 8n) % R).to.equal((5n * 9n) % R);
    });

    it("the prover refuses a claimed value that is not the polynomial's value", async () => {
      const p = frVecFromBigints(pseudoRandom(10, 3n));
      const v = await evaluate(p, 5n);
      let message = "";
      await proveMultiOpening(curve, srs, [{ point: 5n, polys: [p], values: [v + 1n] }], transcriptFor("t")).catch(
        (e: Error) => (message = e.message),
      );
      expect(message).to.match(/not the polynomial's value/);
    });
  });

  it("an opening of p at z is the same whether made alone or via commitAndOpen", async () => {
    const p = frVecFromBigints(pseudoRandom(12, 9n));
    const a = await open(curve, srs, p, 3n);
    const b = await commitAndOpen(curve, srs, p, 3n);
    expect(curve.G1.eq(a.proof, b.proof)).to.equal(true);
  });
});

