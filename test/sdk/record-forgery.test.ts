// Adversarial review of the record layer (issue 18): an audit whose check leaves out models whose
// records it prints (FAILS on a00f60f: the attack works; passes once the check names every model it
// skips), and what the fix must hold to: no unchecked record shown under a passing check, and a
// stranger's accept-all model of the honest key shows MISMATCH without spoiling the verdict of the
// honest owner's models. (The layout attacks of the same review are in record-layout-forgery.test.ts.)
import { expect } from "chai";
import { rm } from "node:fs/promises";
import { network } from "hardhat";
import { getAddress, type Address, type Hex, type WalletClient } from "viem";
import { releaseEngine } from "../../verifier/engine/bn254.js";
import { PROOF_BYTES } from "../../prover/plonkish/index.js";
import { auditReportJson, auditReportText, createClient, inferenceRegistryAbi, type ZkinferClient } from "../../sdk/index.js";
import { compileModelVerifier, loadModelArtifacts, type ModelArtifacts } from "../../sdk/hardhat/model-artifacts.js";
import { acceptAllArgs, makeMatvecModel, type MatvecModel } from "./matvec-model.js";

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

/** An AcceptAllVerifier that names `key` and reports the model's layout (digest and ranges), as a forger would. */
function deployAcceptAll(key: Hex) {
  const [, count, layoutDigest, ranges] = acceptAllArgs(artifacts);
  return viem.deployContract("AcceptAllVerifier", [key, count, layoutDigest, ranges]);
}

/**
 * Registers, from `wallet` and straight through the contract (so without the SDK's probe), a model
 * under `key` checked by an accept-all verifier, and records a proof nobody made.
 */
async function acceptAllModel(client: ZkinferClient, wallet: WalletClient, key: Hex): Promise<{ modelId: Hex; recordId: Hex }> {
  const publicClient = await viem.getPublicClient();
  const acceptAll = await deployAcceptAll(key);
  const before = new Set((await client.listModels()).modelIds);
  const hash = await wallet.writeContract({
    address: client.registry!,
    abi: inferenceRegistryAbi,
    functionName: "registerModel",
    args: [key, acceptAll.address, "ipfs://same-model"],
    account: wallet.account!,
    chain: wallet.chain,
  });
  await publicClient.waitForTransactionReceipt({ hash });
  const modelId = (await client.listModels()).modelIds.find((id) => !before.has(id))!;
  const attacker = createClient({ publicClient, walletClient: wallet, registry: client.registry });
  const { recordId } = await attacker.submitInference({ modelId, proof: { proof: `0x${"00".repeat(PROOF_BYTES)}`, publicInputs: model.proofs[0].publicInputs } });
  return { modelId, recordId };
}

/** A fresh registry with the honest verifier of the key registered by the first account. */
async function honestRegistry(): Promise<{ client: ZkinferClient; modelId: Hex; owner: Address }> {
  const publicClient = await viem.getPublicClient();
  const [w0] = await viem.getWalletClients();
  const base = createClient({ publicClient, walletClient: w0 });
  const client = base.withRegistry((await base.deployRegistry()).address);
  const { address: verifier } = await client.deployVerifier({ bytecode: honest.bytecode });
  const { modelId } = await client.registerModel({ vkDigest: artifacts.vkDigest, verifier });
  await client.submitInference({ modelId, proof: model.proofs[0] });
  return { client, modelId, owner: w0.account.address };
}

describe("record forgery that audit --check must catch", () => {
  it("audit --check over a registry names every model it did not check (the review found a model of another key left out while the result said match)", async () => {
    const publicClient = await viem.getPublicClient();
    const [w0] = await viem.getWalletClients();
    const base = createClient({ publicClient, walletClient: w0 });
    const audited = base.withRegistry((await base.deployRegistry()).address);
    const { address: verifier } = await audited.deployVerifier({ bytecode: honest.bytecode });
    const { modelId: honestModel } = await audited.registerModel({ vkDigest: artifacts.vkDigest, verifier });
    // Another model of the same registry, under another key, checked by an accept-all verifier
    // registered without the SDK (so without its probe), with a record of a proof nobody made.
    const otherKey = `0x${"3c".repeat(32)}` as Hex;
    const acceptAll = await deployAcceptAll(otherKey);
    const registry = audited.registry!;
    const hash = await w0.writeContract({ address: registry, abi: inferenceRegistryAbi, functionName: "registerModel", args: [otherKey, acceptAll.address, "ipfs://same-model"] });
    await publicClient.waitForTransactionReceipt({ hash });
    const forgedModel = (await audited.listModels()).modelIds.find((id) => id !== honestModel)!;
    await audited.submitInference({ modelId: forgedModel, proof: { proof: `0x${"00".repeat(PROOF_BYTES)}`, publicInputs: model.proofs[0].publicInputs } });
    const report = await audited.auditRecords();
    const check = await audited.checkVerifierCode({ codeHash: honest.codeHash, vkDigest: artifacts.vkDigest, report });
    const text = auditReportText(registry, report, check);
    // The report lists the forged model's record next to the honest one's ...
    expect(report.models.map((m) => [m.model.id, m.records.length])).to.deep.equal([
      [honestModel, 0],
      [forgedModel, 1],
    ]);
    // ... so its check section must say that this model was not checked.
    const checkSection = text.slice(text.indexOf("verifier code check"));
    expect(checkSection, "the check section does not mention the unchecked model whose record the report shows").to.include(forgedModel);
  });

  it("with a check, the records of a model it left out are not shown, the model is named with why, and the result says so", async () => {
    const { client, modelId: honestModel } = await honestRegistry();
    const [w0] = await viem.getWalletClients();
    const otherKey = `0x${"3c".repeat(32)}` as Hex;
    const forged = await acceptAllModel(client, w0, otherKey);
    const report = await client.auditRecords();
    const check = await client.checkVerifierCode({ codeHash: honest.codeHash, vkDigest: artifacts.vkDigest, report });
    expect(check.ok).to.equal(true);
    expect(check.models.map((m) => [m.modelId, m.ok])).to.deep.equal([[honestModel, true]]);
    expect(check.notChecked.map((m) => [m.modelId, m.reason, m.vkDigest, m.recordCount])).to.deep.equal([[forged.modelId, "key", otherKey, 1]]);
    const text = auditReportText(client.registry!, report, check);
    expect(text, "a record of a model the check left out is shown under a passing check").to.not.include(forged.recordId);
    expect(text).to.include(`model ${forged.modelId}: not checked: key ${otherKey} differs`);
    expect(text).to.match(/^result: every version of the 1 checked model matches; 1 model not checked$/m);
    const json = auditReportJson(client.registry!, report, check) as { models: { id: Hex }[]; check: { notChecked: { modelId: Hex }[] } };
    expect(json.models.map((m) => m.id)).to.deep.equal([honestModel]);
    expect(json.check.notChecked.map((m) => m.modelId)).to.deep.equal([forged.modelId]);
    // Without a check the report shows every model's records, as before.
    expect(auditReportText(client.registry!, report)).to.include(forged.recordId);
  });

  it("a stranger's accept-all model under the honest key shows MISMATCH without spoiling the honest owner's verdict; --owner narrows the check to that owner", async () => {
    const { client, modelId: honestModel, owner } = await honestRegistry();
    const [, stranger] = await viem.getWalletClients();
    const forged = await acceptAllModel(client, stranger, artifacts.vkDigest);
    // Key-wide: the stranger's model is a MISMATCH and fails the check; the honest model keeps its own verdict.
    const all = await client.checkVerifierCode({ codeHash: honest.codeHash, vkDigest: artifacts.vkDigest });
    expect(all.ok).to.equal(false);
    expect(all.models.map((m) => [m.modelId, m.ok])).to.deep.equal([
      [honestModel, true],
      [forged.modelId, false],
    ]);
    const text = auditReportText(client.registry!, await client.auditRecords(), all);
    expect(text).to.match(new RegExp(`model ${honestModel} \\(owner ${owner}\\): every version matches`, "i"));
    expect(text).to.match(new RegExp(`model ${forged.modelId} \\(owner ${stranger.account.address}\\): MISMATCH`, "i"));
    expect(text).to.include(`result: MISMATCH in 1 model (${forged.modelId})`);
    // Narrowed to the honest owner: their models pass, whatever strangers register under the key.
    const mine = await client.checkVerifierCode({ codeHash: honest.codeHash, vkDigest: artifacts.vkDigest, owner });
    expect([mine.ok, mine.owner, mine.models.map((m) => m.modelId), mine.notChecked]).to.deep.equal([true, getAddress(owner), [honestModel], []]);
    // A report read unscoped names the stranger's model as not checked (owner differs) and hides its record.
    const unscoped = await client.auditRecords();
    const mineOfAll = await client.checkVerifierCode({ codeHash: honest.codeHash, vkDigest: artifacts.vkDigest, owner, report: unscoped });
    expect([mineOfAll.ok, mineOfAll.notChecked.map((m) => [m.modelId, m.reason])]).to.deep.equal([true, [[forged.modelId, "owner"]]]);
    const scopedText = auditReportText(client.registry!, unscoped, mineOfAll);
    expect(scopedText).to.not.include(forged.recordId);
    expect(scopedText).to.match(new RegExp(`model ${forged.modelId}: not checked: owner ${stranger.account.address} differs`, "i"));
    // Narrowed to the stranger: their model fails.
    const theirs = await client.checkVerifierCode({ codeHash: honest.codeHash, vkDigest: artifacts.vkDigest, owner: stranger.account.address });
    expect([theirs.ok, theirs.models.map((m) => m.modelId)]).to.deep.equal([false, [forged.modelId]]);
  });
});
