import { expect } from "chai";
import { readFileSync } from "node:fs";
import { buildBn128, type Bn128 } from "ffjavascript";
import { bn254 } from "@noble/curves/bn254.js";
import { R } from "../../../verifier/engine/bn254.js";
import { g1ToLEM, g2FromNoble, g2ToLEM } from "../../../verifier/engine/encoding.js";
import { BN128_LAYOUT, BN128_SOURCE, BN128_WASM_URL, buildPrebuiltBn128 } from "../../../prover/engine/prebuilt-bn128.js";
import { generateBn128Module, installedBn128Sources } from "../../../scripts/gen-bn128-wasm.js";

/**
 * What an engine holds apart from its thread manager and memory pointers: every constant and the
 * name of every method, down through its fields and groups (each object once), to compare two engines.
 */
function shape(value: unknown, seen = new Set<unknown>()): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString("hex");
  if (typeof value === "function") return "function";
  if (typeof value !== "object" || value === null) return typeof value === "bigint" ? `${value}n` : value;
  if (seen.has(value)) return "(seen)";
  seen.add(value);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    if (key === "tm" || /^p[A-Z]/.test(key)) continue;
    out[key] = shape((value as Record<string, unknown>)[key], seen);
  }
  return out;
}

describe("prebuilt BN254 engine module (prover/engine/bn128.wasm)", () => {
  it("comes from the exact versions that are installed, pinned and named in its licence file", () => {
    const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { dependencies: Record<string, string> };
    // An exact pin: prebuilt-bn128.ts loads ffjavascript's src/engine.js, which is not part of its API.
    expect(pkg.dependencies.ffjavascript).to.equal(BN128_SOURCE.ffjavascript);
    expect(installedBn128Sources()).to.deep.equal(BN128_SOURCE);
    const licence = readFileSync(new URL("bn128.wasm.license", BN128_WASM_URL), "utf8");
    expect(licence).to.match(/^SPDX-License-Identifier: GPL-3\.0/m);
    for (const [name, version] of Object.entries(BN128_SOURCE)) expect(licence).to.include(`${name} ${version}`);
  });

  it("is the module ffjavascript's generators produce, with the same layout (else run scripts/gen-bn128-wasm.ts)", async () => {
    const { code, layout } = await generateBn128Module();
    expect(Buffer.compare(readFileSync(BN128_WASM_URL), code)).to.equal(0);
    expect(layout).to.deep.equal(BN128_LAYOUT);
  });

  describe("an engine built from it computes as ffjavascript's buildBn128", () => {
    let prebuilt: Bn128;
    let generated: Bn128;
    before(async () => {
      prebuilt = await buildPrebuiltBn128(true);
      generated = await buildBn128(true);
    });
    after(async () => {
      await prebuilt.terminate();
      await generated.terminate();
    });

    it("has the same constants, fields and methods (so it was built with the parameters buildBn128 passes)", () => {
      expect(shape(prebuilt)).to.deep.equal(shape(generated));
      expect(prebuilt.G1.g).to.have.length(96);
    });

    it("field and curve arithmetic", () => {
      for (const [a, b] of [
        [3n, 5n],
        [R - 1n, R - 2n],
        [0x1234567890abcdefn ** 3n % R, 7n],
      ]) {
        for (const c of [prebuilt, generated]) expect(c.Fr.toObject(c.Fr.mul(c.Fr.e(a), c.Fr.e(b)))).to.equal((a * b) % R);
        const mul = (c: Bn128) => c.G1.toAffine(c.G1.timesScalar(c.G1.g, c.Fr.toObject(c.Fr.e(a))));
        expect(Buffer.compare(mul(prebuilt), mul(generated))).to.equal(0);
      }
    });

    it("pairing checks accept e(a·G1, G2) = e(G1, a·G2) and reject a wrong one", async () => {
      const a = 123456789n;
      const g1 = (k: bigint) => g1ToLEM(bn254.G1.Point.BASE.multiply(k).toAffine());
      const g2 = (k: bigint) => g2ToLEM(g2FromNoble(bn254.G2.Point.BASE.multiply(k)));
      for (const c of [prebuilt, generated]) {
        const lhs = c.G1.fromRprLEM(g1(a));
        const rhs = c.G1.neg(c.G1.fromRprLEM(g1(1n)));
        expect(await c.pairingEq(lhs, c.G2.fromRprLEM(g2(1n)), rhs, c.G2.fromRprLEM(g2(a)))).to.equal(true);
        expect(await c.pairingEq(lhs, c.G2.fromRprLEM(g2(1n)), rhs, c.G2.fromRprLEM(g2(a + 1n)))).to.equal(false);
      }
    });
  });
});
