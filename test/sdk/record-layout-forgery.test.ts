// Adversarial review of the record layer (issue 18): the public-input layout. The attack: a model
// owner keeps the honest generated verifier, so that every version's pinned code matches `zkinfer
// audit --check`, but registers the model with a public-input layout that is not the one the key
// binds; the registry then derives the record's input hash and outputs from the wrong words, and
// findInference answers a claim no honest verifier accepted. And loadModelArtifacts took the layout
// from vk.json and model.json, which vk.bin's digest does not cover. Both attacks worked on a00f60f.
// Now the layout is bound: the registry reads it from the verifier (registerModel takes none), and
// the SDK takes it from vk.json's "publicInputLayout" only once it hashes to the key's layout
// digest. These tests show each way in refused: the honest verifier gives the bound layout whatever
// the caller wants, a verifier reporting another layout is other code (--check fails) or is refused
// (BadLayout, VerifierLayoutMismatch), and edited vk.json/model.json do not move the layout.
import { expect } from "chai";
import { cp, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { network } from "hardhat";
import { bytesToHex, encodeFunctionData, keccak256, parseAbi, parseEventLogs, type Address, type Hex } from "viem";
import { releaseEngine } from "../../verifier/engine/bn254.js";
import type { PublicInputLayout as BoundLayout } from "../../prover/plonkish/index.js";
import { createClient, hashWords, inferenceRegistryAbi, InvalidArgumentError, type ZkinferClient } from "../../sdk/index.js";
import { compileModelVerifier, loadModelArtifacts, type ModelArtifacts } from "../../sdk/hardhat/model-artifacts.js";
import { expectRejection } from "../helpers/assert.js";
import { acceptAllArgs, makeMatvecModel, type MatvecModel } from "./matvec-model.js";

const { viem } = await network.create();
const publicClient = await viem.getPublicClient();
const [wallet] = await viem.getWalletClients();
let model: MatvecModel;
let artifacts: ModelArtifacts;
// The honest verifier generated from the key: its deploy code and runtime code hash.
let honest: { bytecode: Hex; codeHash: Hex };
// The proof's public inputs: x0..x3 (the input) then y0, y1 (the outputs).
let x: bigint[];
let y: bigint[];

before(async () => {
  model = await makeMatvecModel([[1, 2, 3, 4]]);
  artifacts = await loadModelArtifacts(model.dir);
  honest = compileModelVerifier(artifacts);
  const publicInputs = model.proofs[0].publicInputs.map(BigInt);
  [x, y] = [publicInputs.slice(0, 4), publicInputs.slice(4)];
});

after(async () => {
  await releaseEngine();
  if (model) await rm(model.tmp, { recursive: true, force: true });
});

describe("record forgery through the public-input layout is refused", () => {
  let owner: ZkinferClient;

  before(async () => {
    const base = createClient({ publicClient, walletClient: wallet });
    owner = base.withRegistry((await base.deployRegistry()).address);
  });

  /** `registerModel` straight through the contract (so without the SDK's probe), as an attacker would; the new model's id. */
  async function registerDirect(verifier: Address): Promise<Hex> {
    const hash = await wallet.writeContract({ address: owner.registry!, abi: inferenceRegistryAbi, functionName: "registerModel", args: [artifacts.vkDigest, verifier, "ipfs://layout"] });
    const [event] = parseEventLogs({ abi: inferenceRegistryAbi, logs: (await publicClient.waitForTransactionReceipt({ hash })).logs, eventName: "ModelRegistered" });
    return event.args.modelId;
  }

  /** An AcceptAllVerifier that names the model's key and layout digest but reports `ranges` (input offset, count, output offset, count). */
  function acceptAllReporting(ranges: [number, number, number, number]) {
    const [vkDigest, count, layoutDigest] = acceptAllArgs(artifacts);
    return viem.deployContract("AcceptAllVerifier", [vkDigest, count, layoutDigest, ranges.map(BigInt) as [bigint, bigint, bigint, bigint]]);
  }

  it("the honest verifier registers the layout the key binds, whatever the caller wants: the layout-taking registerModel is gone and the swapped claim is never found", async () => {
    // matvec m=2, k=4: public inputs x0..x3 (the input) then y0, y1 (the outputs).
    expect(artifacts.layout).to.deep.equal({ count: 6, inputOffset: 0, inputCount: 4, outputOffset: 4, outputCount: 2 });
    const { address: verifier } = await owner.deployVerifier({ bytecode: honest.bytecode });
    // The attack's call, "the input is y, the outputs are x", through the old registerModel(vkDigest, verifier, layout, uri): no such function.
    const oldAbi = parseAbi(["function registerModel(bytes32, address, (uint32 count, uint32 inputOffset, uint32 inputCount, uint32 outputOffset, uint32 outputCount), string)"]);
    const swapped = { count: 6, inputOffset: 4, inputCount: 2, outputOffset: 0, outputCount: 4 };
    const data = encodeFunctionData({ abi: oldAbi, args: [artifacts.vkDigest, verifier, swapped, ""] });
    await expectRejection(wallet.sendTransaction({ to: owner.registry!, data, gas: 1_000_000n }), /revert/i);
    expect((await owner.listModels()).modelIds).to.deep.equal([]);
    // Registered without the SDK: the registry reads the layout from the honest verifier.
    const modelId = await registerDirect(verifier);
    const info = await owner.getModel({ modelId });
    expect([info.layout, info.layoutDigest]).to.deep.equal([artifacts.layout, bytesToHex(artifacts.vk.publicInputLayoutDigest)]);
    expect(info.layout).to.not.deep.equal(swapped);
    const { recordId } = await owner.submitInference({ modelId, proof: model.proofs[0] });
    const record = await owner.getRecord({ recordId });
    expect([record.inputHash, record.outputs]).to.deep.equal([hashWords(x), y]);
    // Pinned to the honest code: the true claim answers, the swapped one ("y maps to x") does not.
    expect((await owner.findInference({ modelId, codeHash: honest.codeHash, inputHash: hashWords(x), outputs: y }))?.id).to.equal(recordId);
    expect(await owner.findInference({ modelId, codeHash: honest.codeHash, inputHash: hashWords(y), outputs: x })).to.equal(undefined);
    expect((await owner.checkVerifierCode({ codeHash: honest.codeHash, vkDigest: artifacts.vkDigest, modelId })).ok).to.equal(true);
  });

  it("a verifier reporting the swapped layout under the key's digests is other code: the honest model cannot switch to it, its own model fails --check, and findInference pinned to the honest code never answers its claims", async () => {
    const { address: verifier } = await owner.deployVerifier({ bytecode: honest.bytecode });
    const honestModel = await registerDirect(verifier);
    const liar = await acceptAllReporting([4, 2, 0, 4]);
    // The honest model's owner cannot move it onto the other layout.
    await expectRejection(
      wallet.writeContract({ address: owner.registry!, abi: inferenceRegistryAbi, functionName: "setVerifier", args: [honestModel, liar.address] }),
      /VerifierLayoutMismatch/,
    );
    // A model of its own takes that layout (the registry cannot see that the ranges misstate the key's) ...
    const forgedModel = await registerDirect(liar.address);
    expect((await owner.getModel({ modelId: forgedModel })).layout).to.include({ inputOffset: 4, inputCount: 2, outputOffset: 0, outputCount: 4 });
    const { recordId } = await owner.submitInference({ modelId: forgedModel, proof: model.proofs[0] });
    expect((await owner.getRecord({ recordId })).outputs).to.deep.equal(x);
    // ... but its code is not the honest verifier's: a consumer pinned to the honest code never gets the claim,
    expect(await owner.findInference({ modelId: forgedModel, codeHash: honest.codeHash, inputHash: hashWords(y), outputs: x })).to.equal(undefined);
    const liarCode = keccak256((await publicClient.getCode({ address: liar.address }))!);
    expect((await owner.findInference({ modelId: forgedModel, codeHash: liarCode, inputHash: hashWords(y), outputs: x }))?.id, "only someone who asks for the accept-all code").to.equal(recordId);
    // and audit --check says MISMATCH for it and over the registry, while the honest model checks out.
    expect((await owner.checkVerifierCode({ codeHash: honest.codeHash, vkDigest: artifacts.vkDigest, modelId: honestModel })).ok).to.equal(true);
    const forged = await owner.checkVerifierCode({ codeHash: honest.codeHash, vkDigest: artifacts.vkDigest, modelId: forgedModel });
    expect(forged.ok, "audit --check says match for a model whose records misstate input and outputs").to.equal(false);
    const all = await owner.checkVerifierCode({ codeHash: honest.codeHash, vkDigest: artifacts.vkDigest });
    expect(all.ok, "audit --check over the registry says match").to.equal(false);
  });

  it("a verifier reporting overlapping input and output ranges, or ranges outside its public inputs, is refused (BadLayout)", async () => {
    const before = (await owner.listModels()).modelIds.length;
    // x2, x3 counted as both input and output; and an output range running past the 6 public inputs.
    for (const ranges of [
      [0, 4, 2, 4],
      [0, 4, 5, 2],
    ] as [number, number, number, number][]) {
      await expectRejection(registerDirect((await acceptAllReporting(ranges)).address), /BadLayout/);
    }
    expect((await owner.listModels()).modelIds.length).to.equal(before);
  });

  it("loadModelArtifacts refuses a vk.json whose outputs or layout disagree with what vk.bin binds, and takes no layout from model.json", async () => {
    const dir = join(model.tmp, "edited");
    await cp(model.dir, dir, { recursive: true });
    const vkJsonPath = join(dir, "vk.json");
    const original = await readFile(vkJsonPath, "utf8");
    const vkJson = JSON.parse(original) as { outputs: object; publicInputLayout: BoundLayout };
    const refused = async (pattern: RegExp) => expect(await expectRejection(loadModelArtifacts(dir), pattern)).to.be.instanceOf(InvalidArgumentError);
    // vk.json's "outputs" moved onto the input words (its digest still matches vk.bin).
    await writeFile(vkJsonPath, JSON.stringify({ ...vkJson, outputs: { ...vkJson.outputs, offset: 0, count: 4 } }));
    await refused(/"outputs" .* disagrees with the bound "publicInputLayout"/);
    // vk.json's "publicInputLayout" with the roles swapped, and "outputs" to match it.
    const ranges = vkJson.publicInputLayout.ranges.map((r) => ({ ...r, role: r.role === "input" ? "output" : "input" }));
    const out = ranges.find((r) => r.role === "output")!;
    const outputs = { ...vkJson.outputs, offset: out.offset, count: out.count, kind: out.visibility, bits: out.bits, scales: out.scales };
    await writeFile(vkJsonPath, JSON.stringify({ ...vkJson, publicInputLayout: { ...vkJson.publicInputLayout, ranges }, outputs }));
    await refused(/not the layout vk\.bin binds/);
    // A model.json naming another input range than the key's: not read for the layout.
    await writeFile(vkJsonPath, original);
    await writeFile(join(dir, "model.json"), JSON.stringify({ publicInputs: { input: { offset: 4, count: 2 } } }));
    expect((await loadModelArtifacts(dir)).layout, "a model.json moved the input").to.deep.equal(artifacts.layout);
  });
});
