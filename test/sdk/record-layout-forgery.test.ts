// Adversarial review of the record layer (issue 18): the public-input layout. A model owner keeps
// the honest generated verifier, so that every version's pinned code matches `zkinfer audit
// --check`, but registers the model with a public-input layout that is not the one the key binds:
// the registry then derives the record's input hash and outputs from the wrong words, and
// findInference answers a claim no honest verifier accepted. And loadModelArtifacts takes the
// layout from vk.json and model.json, which vk.bin's digest does not cover. Both tests FAIL on
// a00f60f (the attacks work); they pass once the layout is bound (the registry reads it from the
// verifier, the SDK builds it from the digest-checked key).
import { expect } from "chai";
import { cp, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { network } from "hardhat";
import type { Hex } from "viem";
import { releaseEngine } from "../../prover/engine/bn254.js";
import { createClient, hashWords, InvalidArgumentError, type PublicInputLayout, type ZkinferClient } from "../../sdk/index.js";
import { compileModelVerifier, loadModelArtifacts, type ModelArtifacts } from "../../sdk/model-artifacts.js";
import { makeMatvecModel, type MatvecModel } from "./matvec-model.js";

const { viem } = await network.create();
let model: MatvecModel;
let artifacts: ModelArtifacts;
// The honest verifier generated from the key: its deploy code and runtime code hash.
let honest: { bytecode: Hex; codeHash: Hex };

before(async () => {
  model = await makeMatvecModel([[1, 2, 3, 4]]);
  artifacts = await loadModelArtifacts(model.dir);
  honest = compileModelVerifier(artifacts);
});

after(async () => {
  await releaseEngine();
  if (model) await rm(model.tmp, { recursive: true, force: true });
});

describe("record forgery through the public-input layout", () => {
  let owner: ZkinferClient;

  before(async () => {
    const publicClient = await viem.getPublicClient();
    const [w0] = await viem.getWalletClients();
    const base = createClient({ publicClient, walletClient: w0 });
    owner = base.withRegistry((await base.deployRegistry()).address);
  });

  it("a model whose layout swaps input and outputs is refused, or fails --check (today: neither)", async () => {
    // matvec m=2, k=4: public inputs x0..x3 (the input) then y0, y1 (the outputs).
    expect(artifacts.layout).to.deep.equal({ count: 6, inputOffset: 0, inputCount: 4, outputOffset: 4, outputCount: 2 });
    const { address: verifier } = await owner.deployVerifier({ bytecode: honest.bytecode });
    const { modelId: honestModel } = await owner.registerModel({ vkDigest: artifacts.vkDigest, verifier, layout: artifacts.layout });
    // The same honest verifier and key, but "the input is y, the outputs are x".
    const swapped: PublicInputLayout = { count: 6, inputOffset: 4, inputCount: 2, outputOffset: 0, outputCount: 4 };
    let forgedModel: Hex;
    try {
      ({ modelId: forgedModel } = await owner.registerModel({ vkDigest: artifacts.vkDigest, verifier, layout: swapped }));
    } catch {
      return; // refused at registration: the attack is closed on-chain
    }
    const publicInputs = model.proofs[0].publicInputs.map(BigInt);
    const [x, y] = [publicInputs.slice(0, 4), publicInputs.slice(4)];
    const { recordId } = await owner.submitInference({ modelId: forgedModel, proof: model.proofs[0] });
    // The registry now answers "the model maps input y to outputs x", which the verifier never accepted.
    expect(await owner.findInference({ modelId: forgedModel, codeHash: honest.codeHash, inputHash: hashWords(y), outputs: x })).to.equal(recordId);
    const record = await owner.getRecord({ recordId });
    expect([record.inputHash, record.outputs]).to.deep.equal([hashWords(y), x]);
    // The honest model alone checks out (the fix must not refuse it) ...
    expect((await owner.checkVerifierCode({ codeHash: honest.codeHash, vkDigest: artifacts.vkDigest, modelId: honestModel })).ok).to.equal(true);
    // ... but the auditor must be told the forged one is not the key's model.
    const forged = await owner.checkVerifierCode({ codeHash: honest.codeHash, vkDigest: artifacts.vkDigest, modelId: forgedModel });
    expect(forged.ok, "audit --check says match for a model whose records misstate input and outputs").to.equal(false);
    const all = await owner.checkVerifierCode({ codeHash: honest.codeHash, vkDigest: artifacts.vkDigest });
    expect(all.ok, "audit --check over the registry says match").to.equal(false);
  });


  it("loadModelArtifacts takes the layout from what vk.bin binds, not from an edited vk.json or model.json (today: from the edited files)", async () => {
    const dir = join(model.tmp, "edited");
    await cp(model.dir, dir, { recursive: true });
    const vkJsonPath = join(dir, "vk.json");
    const original = await readFile(vkJsonPath, "utf8");
    // vk.json's "outputs" moved onto the input words: the digest still matches vk.bin.
    const vkJson = JSON.parse(original) as Record<string, unknown>;
    await writeFile(vkJsonPath, JSON.stringify({ ...vkJson, outputs: { ...(vkJson.outputs as object), offset: 0, count: 4 } }));
    let edited: ModelArtifacts | undefined;
    try {
      edited = await loadModelArtifacts(dir);
    } catch (err) {
      expect(err).to.be.instanceOf(InvalidArgumentError);
    }
    if (edited) expect(edited.layout, "an edited vk.json moved the outputs").to.deep.equal(artifacts.layout);
    // A model.json naming another input range than the key's.
    await writeFile(vkJsonPath, original);
    await writeFile(join(dir, "model.json"), JSON.stringify({ publicInputs: { input: { offset: 4, count: 2 } } }));
    edited = undefined;
    try {
      edited = await loadModelArtifacts(dir);
    } catch (err) {
      expect(err).to.be.instanceOf(InvalidArgumentError);
    }
    if (edited) expect(edited.layout, "a model.json moved the input").to.deep.equal(artifacts.layout);
  });
});
