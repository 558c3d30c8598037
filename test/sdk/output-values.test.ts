// dequantizeOutputs: a record's output field elements as numbers, with the scales of a layout whose
// digest must be the registry's.
import { expect } from "chai";
import { bytesToHex } from "viem";
import { R } from "../../verifier/engine/constants.js";
import { publicInputLayoutDigest, type PublicInputLayout } from "../../verifier/plonkish/index.js";
import { dequantizeOutputs, InvalidArgumentError } from "../../sdk/index.js";

const layout = (visibility: "public" | "hashed", scales: { count: number; scale: number }[]): PublicInputLayout => ({
  count: visibility === "public" ? 5 : 4,
  ranges: [
    { role: "input", visibility: "public", offset: 0, count: 2, bits: 0, scales: [] },
    visibility === "public"
      ? { role: "output", visibility, offset: 2, count: 3, bits: 0, scales }
      : { role: "output", visibility, offset: 2, count: 1, bits: 8, scales: [] },
  ],
});
const digest = (l: PublicInputLayout) => bytesToHex(publicInputLayoutDigest(l));

describe("dequantizeOutputs", () => {
  it("reads outputs as signed integers over 2^scale, run by run", () => {
    const l = layout("public", [
      { count: 2, scale: 3 },
      { count: 1, scale: 0 },
    ]);
    expect(dequantizeOutputs({ layout: l, layoutDigest: digest(l), outputs: [R - 8n, 20n, R - 5n] })).to.deep.equal([-1, 2.5, -5]);
    const plain = layout("public", []);
    expect(dequantizeOutputs({ layout: plain, layoutDigest: digest(plain), outputs: [870n, 182n, R - 1n] })).to.deep.equal([870, 182, -1]);
  });

  it("refuses a layout whose digest is not the registry's (other scales), and a count that differs", () => {
    const honest = layout("public", [{ count: 3, scale: 2 }]);
    const other = layout("public", [{ count: 3, scale: 4 }]);
    expect(() => dequantizeOutputs({ layout: other, layoutDigest: digest(honest), outputs: [1n, 2n, 3n] })).to.throw(InvalidArgumentError, /is not the model's/);
    expect(() => dequantizeOutputs({ layout: honest, layoutDigest: digest(honest), outputs: [1n, 2n] })).to.throw(InvalidArgumentError, /declares 3 outputs/);
  });

  it("gives undefined for hashed outputs", () => {
    const l = layout("hashed", []);
    expect(dequantizeOutputs({ layout: l, layoutDigest: digest(l), outputs: [123n] })).to.equal(undefined);
  });
});
