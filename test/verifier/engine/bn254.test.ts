import { expect } from "chai";
import { bn254 } from "@noble/curves/bn254.js";
import { getEngine, releaseEngine, withEngine, P, R } from "../../../verifier/engine/bn254.js";

describe("engine/bn254", () => {
  after(releaseEngine);

  it("has the moduli of @noble/curves", () => {
    expect(R).to.equal(bn254.fields.Fr.ORDER);
    expect(P).to.equal(bn254.fields.Fp.ORDER);
  });

  it("multiplies G1 points like @noble/curves", async () => {
    const curve = await getEngine();
    const bytes = new Uint8Array(64);
    for (const k of [1n, 2n, 12345678901234567890n, R - 1n]) {
      const ours = curve.G1.toAffine(curve.G1.timesScalar(curve.G1.g, k));
      curve.G1.toRprUncompressed(bytes, 0, ours);
      const ref = bn254.G1.Point.BASE.multiply(k).toAffine();
      expect(BigInt("0x" + Buffer.from(bytes.subarray(0, 32)).toString("hex"))).to.equal(ref.x);
      expect(BigInt("0x" + Buffer.from(bytes.subarray(32)).toString("hex"))).to.equal(ref.y);
    }
  });

  it("withEngine releases the engine it started when its last call ends, and leaves one built before", async () => {
    await releaseEngine();
    let bDone!: () => void;
    const bFinished = new Promise<void>((resolve) => (bDone = resolve));
    let during: unknown;
    const a = withEngine(async () => {
      const engine = getEngine();
      await engine;
      await bFinished;
      during = getEngine() === engine; // b ended first and did not release it under a
      return { engine }; // (the promise itself, not what it resolves to)
    });
    // b starts while a holds the engine, and ends first.
    const b = withEngine(async () => void (await getEngine())).then(bDone);
    const [{ engine }] = await Promise.all([a, b]);
    expect(during).to.equal(true);
    const after = getEngine();
    expect(after, "released once both ended").not.to.equal(engine);
    await withEngine(async () => void (await getEngine()));
    expect(getEngine(), "an engine built outside withEngine stays").to.equal(after);
  });
});
