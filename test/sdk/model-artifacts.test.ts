import { expect } from "chai";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InvalidArgumentError, layoutFromVkJson, loadModelArtifacts } from "../../sdk/index.js";
import { expectRejection } from "../helpers/assert.js";

describe("sdk: model directories for deployment", () => {
  it("takes the outputs from vk.json and the input from a compiled model's range, else everything before the outputs", () => {
    expect(layoutFromVkJson({ outputs: { offset: 4, count: 2 } }, 6, "vk.json")).to.deep.equal({
      count: 6,
      inputOffset: 0,
      inputCount: 4,
      outputOffset: 4,
      outputCount: 2,
    });
    // hashed input: one Poseidon commitment, then 10 public outputs
    const hashed = layoutFromVkJson({ outputs: { offset: 1, count: 10, kind: "public" } }, 11, "vk.json", { value: { offset: 0, count: 1, kind: "hashed" }, source: "model.json" });
    expect(hashed).to.deep.equal({ count: 11, inputOffset: 0, inputCount: 1, outputOffset: 1, outputCount: 10 });
    // private input
    expect(layoutFromVkJson({ outputs: { offset: 0, count: 3 } }, 3, "vk.json", { value: { offset: 0, count: 0 }, source: "model.json" }).inputCount).to.equal(0);
    // no outputs recorded: every public input is input
    expect(layoutFromVkJson({}, 5, "vk.json")).to.include({ inputCount: 5, outputOffset: 5, outputCount: 0 });
  });

  it("refuses ranges outside the public inputs, naming the file", () => {
    expect(() => layoutFromVkJson({ outputs: { offset: 4, count: 3 } }, 6, "m/vk.json")).to.throw(InvalidArgumentError, /m\/vk.json: "outputs" must be \{offset, count\} within the 6 public inputs/);
    expect(() => layoutFromVkJson({ outputs: { offset: 1, count: 1 } }, 2, "vk.json", { value: { offset: -1, count: 1 }, source: "m/model.json" })).to.throw(/m\/model.json/);
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
