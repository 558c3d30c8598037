// Review of issue 18 finding 5: the verification key binds the public-input layout (its digest is
// a field of vk.bin), and `zkinfer verify` refuses a vk.json whose layout or "outputs" disagree with
// it. Deployment (loadModelArtifacts → deployModel/registerModel, the deploy-verifier task) takes
// the registry's layout — which public inputs a record calls its input and its outputs — from
// vk.json's "outputs", which no digest covers, and never compares it with the bound layout.
import { expect } from "chai";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { zk } from "../helpers/cli.js";
import { releaseEngine } from "../../verifier/engine/bn254.js";
import { loadModelArtifacts } from "../../sdk/hardhat/model-artifacts.js";
import { expectRejection } from "../helpers/assert.js";

describe("review: deployment reads the layout the key binds", () => {
  let tmp: string;
  let model: string;

  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), "zkinfer-layout-"));
    model = join(tmp, "model");
    const run = await zk("setup", model, "--dev-srs", "--circuit", "matvec", "--param", "m=3", "--param", "k=4", "--param", "bits=4");
    expect(run.code, run.stderr).to.equal(0);
  });

  after(async () => {
    await rm(tmp, { recursive: true, force: true });
    await releaseEngine();
  });

  it("refuses a vk.json whose \"outputs\" are not the outputs of the bound public-input layout", async () => {
    const path = join(model, "vk.json");
    const vkJson = JSON.parse(await readFile(path, "utf8"));
    // Bound: inputs [0, 4), outputs [4, 7). Honest deployment registers exactly that.
    expect((await loadModelArtifacts(model)).layout).to.include({ inputOffset: 0, inputCount: 4, outputOffset: 4, outputCount: 3 });
    // Move "outputs" onto the input (digest field unchanged): records would call x_1 … x_3 the outputs.
    await writeFile(path, JSON.stringify({ ...vkJson, outputs: { offset: 1, count: 3 } }));
    await expectRejection(loadModelArtifacts(model), /publicInputLayout|bound|binds/);
  });
});
