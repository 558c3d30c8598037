// A KZG proof made on a snarkjs-produced Powers of Tau file verifies; the file with one
// G1 power swapped for another valid point is refused before any proof is made on it.
import { expect } from "chai";
import { getEngine, releaseEngine, R } from "../../../verifier/engine/bn254.js";
import { frVecFromBigints } from "../../../verifier/engine/fr.js";
import { loadPtau } from "../../../prover/srs/index.js";
import { commitAndOpen, verifyClaim } from "../../../prover/kzg/index.js";
import { makePtauFixtures, sectionOffset, tamper, TAU_G1, FIXTURE_G1_POWERS, type PtauFixtures } from "../srs/fixtures.js";
import { expectRejection } from "../../helpers/assert.js";

describe("kzg on a snarkjs .ptau", () => {
  let fx: PtauFixtures;
  before(async () => {
    fx = await makePtauFixtures();
  });
  after(async () => {
    await fx.remove();
    await releaseEngine();
  });

  it("a proof made with the file's powers verifies, and a wrong value does not", async () => {
    const curve = await getEngine();
    const srs = await loadPtau(fx.plain, { size: FIXTURE_G1_POWERS });
    const coeffs = Array.from({ length: FIXTURE_G1_POWERS }, (_, i) => (BigInt(i) * 0x9e3779b97f4a7c15n + 1n) % R);
    const claim = await commitAndOpen(curve, srs, frVecFromBigints(coeffs), 0x1234n);
    const vk = { g2One: srs.g2OneEngine, g2Tau: srs.g2TauEngine };
    expect(await verifyClaim(curve, vk, claim)).to.equal(true);
    expect(await verifyClaim(curve, vk, { ...claim, value: (claim.value + 1n) % R })).to.equal(false);
  });

  it("the same file with one G1 power replaced by another curve point is rejected", async () => {
    // Swap [τ^3]₁ and [τ^4]₁: both stay valid points, only their consistency breaks.
    const bad = await tamper(fx.plain, fx.dir, "swapped.ptau", (bytes) => {
      const at = sectionOffset(bytes, TAU_G1);
      const p3 = bytes.slice(at + 3 * 64, at + 4 * 64);
      bytes.copyWithin(at + 3 * 64, at + 4 * 64, at + 5 * 64);
      bytes.set(p3, at + 4 * 64);
    });
    await expectRejection(loadPtau(bad, { size: 16 }), /not consecutive powers of the τ/);
  });
});
