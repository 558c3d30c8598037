import { expect } from "chai";
import { network } from "hardhat";
import { bn254 } from "@noble/curves/bn254.js";
import { expectRejection } from "../helpers/assert.js";

const { viem } = await network.create();

type G1 = InstanceType<typeof bn254.G1.Point>;
type G2 = InstanceType<typeof bn254.G2.Point>;

const g1 = (p: G1): readonly [bigint, bigint] => {
  const a = p.toAffine();
  return [a.x, a.y];
};
// The pairing precompile orders each Fp2 coordinate as (imaginary, real).
const g2 = (p: G2): readonly [bigint, bigint, bigint, bigint] => {
  const a = p.toAffine();
  return [a.x.c1, a.x.c0, a.y.c1, a.y.c0];
};

describe("AccumulatorDecider", () => {
  const tau = 987654321987654321n;
  const tauG2 = bn254.G2.Point.BASE.multiply(tau);

  it("accepts (A, B) with A = tau * B and rejects anything else", async () => {
    const decider = await viem.deployContract("AccumulatorDecider", [g2(tauG2)]);
    const b = bn254.G1.Point.BASE.multiply(4242n);
    const a = b.multiply(tau);
    expect(await decider.read.decide([g1(a), g1(b)])).to.equal(true);
    expect(await decider.read.decide([g1(a.add(bn254.G1.Point.BASE)), g1(b)])).to.equal(false);
    expect(await decider.read.decide([g1(b), g1(a)])).to.equal(false);
  });

  it("reverts on a point off the curve", async () => {
    const decider = await viem.deployContract("AccumulatorDecider", [g2(tauG2)]);
    const b = bn254.G1.Point.BASE.multiply(7n);
    const [x, y] = g1(b.multiply(tau));
    await expectRejection(decider.read.decide([[x, y + 1n], g1(b)]), /PairingPrecompileFailed/);
  });
});
