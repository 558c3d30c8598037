import { expect } from "chai";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { registryLayout, type PublicInputLayout, type PublicInputRange } from "../../prover/plonkish/index.js";
import { loadModelArtifacts } from "../../sdk/hardhat/model-artifacts.js";
import { expectRejection } from "../helpers/assert.js";

const range = (role: "input" | "output", visibility: PublicInputRange["visibility"], offset: number, count: number): PublicInputRange => ({
  role,
  visibility,
  offset,
  count,
  bits: visibility === "hashed" ? 8 : 0,
  scales: [],
});

describe("sdk: model directories for deployment", () => {
  it("records the registry's projection of the bound layout: a hashed range is its commitment, a private or undeclared one is empty", () => {
    const layout = (count: number, ...ranges: PublicInputRange[]): PublicInputLayout => ({ count, ranges });
    expect(registryLayout(layout(6, range("input", "public", 0, 4), range("output", "public", 4, 2)))).to.deep.equal({
      count: 6,
      inputOffset: 0,
      inputCount: 4,
      outputOffset: 4,
      outputCount: 2,
    });
    expect(registryLayout(layout(11, range("input", "hashed", 0, 1), range("output", "public", 1, 10)))).to.deep.equal({ count: 11, inputOffset: 0, inputCount: 1, outputOffset: 1, outputCount: 10 });
    expect(registryLayout(layout(3, range("input", "private", 0, 0), range("output", "public", 0, 3))).inputCount).to.equal(0);
    expect(registryLayout(layout(5))).to.deep.equal({ count: 5, inputOffset: 0, inputCount: 0, outputOffset: 0, outputCount: 0 });
    expect(() => registryLayout(layout(4, range("input", "public", 0, 1), range("input", "public", 1, 1)))).to.throw(/2 input ranges, but a registry records one/);
  });

  it("says what is missing in a model directory", async () => {
    const dir = await mkdtemp(join(tmpdir(), "zkinfer-artifacts-"));
    try {
      await expectRejection(loadModelArtifacts(dir), /verification key .*vk.bin does not exist \(run `zkinfer setup`/);
      await writeFile(join(dir, "vk.bin"), "not a key");
      await expectRejection(loadModelArtifacts(dir), /vk.bin: /);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
