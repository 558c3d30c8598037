import { expect } from "chai";
import { network } from "hardhat";
import { BaseError, bytesToHex, ContractFunctionRevertedError, decodeEventLog, parseEventLogs, type Hex } from "viem";
import { matvec } from "../../prover/circuits/index.js";
import { compileVerifier, generateVerifier } from "../../prover/codegen/index.js";
import { releaseEngine } from "../../prover/engine/bn254.js";
import { setup, srsSizeFor, verificationKeyDigest } from "../../prover/plonkish/index.js";
import { devSrs } from "../../prover/srs/index.js";
import { computeRecordId, hashWords, inputHashOf, outputHashOf, type PublicInputLayout } from "../../sdk/records.js";
import { pairingTestKey, pairingTestProof } from "./pairing-test-prover.js";

const { viem } = await network.create();
const publicClient = await viem.getPublicClient();
const [owner, other] = await viem.getWalletClients();
const key = pairingTestKey(0x1234567n);
const ZERO = `0x${"00".repeat(32)}` as Hex;
const VK_DIGEST = `0x${"ab".repeat(32)}` as Hex;
// 3 inputs then 2 outputs.
const LAYOUT: PublicInputLayout = { count: 5, inputOffset: 0, inputCount: 3, outputOffset: 3, outputCount: 2, storeOutputs: true };

/** Awaits `promise` and asserts that it reverts with the registry's custom error `name`. */
async function expectCustomError(promise: Promise<unknown>, name: string): Promise<readonly unknown[]> {
  try {
    await promise;
  } catch (err) {
    const reverted = err instanceof BaseError ? err.walk((e) => e instanceof ContractFunctionRevertedError) : undefined;
    expect(reverted, `expected a revert with ${name}, got: ${(err as Error).message}`).to.be.instanceOf(ContractFunctionRevertedError);
    expect((reverted as ContractFunctionRevertedError).data?.errorName).to.equal(name);
    return (reverted as ContractFunctionRevertedError).data?.args ?? [];
  }
  expect.fail(`expected a revert with ${name}`);
}

/** A PairingTestVerifier of the test key that names the key `vkDigest` and takes `count` public inputs. */
const pairingVerifier = (vkDigest: Hex = VK_DIGEST, count = LAYOUT.count) => viem.deployContract("PairingTestVerifier", [[...key.tauG2], vkDigest, BigInt(count)]);

async function deploy() {
  const registry = await viem.deployContract("InferenceRegistry");
  const verifier = await pairingVerifier();
  return { registry, verifier };
}

type Deployed = Awaited<ReturnType<typeof deploy>>;

async function register({ registry, verifier }: Deployed, layout = LAYOUT, uri = "ipfs://model"): Promise<Hex> {
  const hash = await registry.write.registerModel([VK_DIGEST, verifier.address, layout, uri]);
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  const [event] = parseEventLogs({ abi: registry.abi, logs: receipt.logs, eventName: "ModelRegistered" });
  return event.args.modelId;
}

const inputs = (seed: bigint): bigint[] => [seed, seed + 1n, seed + 2n, seed * 7n, seed * 11n];

async function submit(d: Deployed, modelId: Hex, publicInputs: bigint[], nonce: bigint, ref: Hex = ZERO, wallet = owner) {
  const hash = await d.registry.write.submitInference([modelId, pairingTestProof(key, publicInputs), publicInputs, ref, nonce], { account: wallet.account });
  return publicClient.waitForTransactionReceipt({ hash });
}

describe("InferenceRegistry", () => {
  after(releaseEngine);

  it("registers a model: id, stored fields, event, listing", async () => {
    const d = await deploy();
    const modelId = await register(d);
    const model = await d.registry.read.getModel([modelId]);
    expect(model.owner.toLowerCase()).to.equal(owner.account.address.toLowerCase());
    expect(model.verifier.toLowerCase()).to.equal(d.verifier.address.toLowerCase());
    expect(model.vkDigest).to.equal(VK_DIGEST);
    expect(model.metadataURI).to.equal("ipfs://model");
    expect(model.deprecated).to.equal(false);
    expect(model.publicInputLayout).to.deep.equal(LAYOUT);
    const registeredEvents = await d.registry.getEvents.ModelRegistered({}, { fromBlock: 0n });
    expect(registeredEvents.length).to.equal(1);
    const ev = registeredEvents[0].args;
    expect(ev.modelId).to.equal(modelId);
    expect(ev.owner?.toLowerCase()).to.equal(owner.account.address.toLowerCase());
    expect(ev.verifier?.toLowerCase()).to.equal(d.verifier.address.toLowerCase());
    expect(ev.vkDigest).to.equal(VK_DIGEST);
    expect(ev.publicInputLayout).to.deep.equal(LAYOUT);
    expect(ev.metadataURI).to.equal("ipfs://model");
    const second = await register(d);
    expect(second).to.not.equal(modelId);
    expect(await d.registry.read.modelCount()).to.equal(2n);
    expect(await d.registry.read.listModels([0n, 10n])).to.deep.equal([modelId, second]);
    expect(await d.registry.read.listModels([1n, 10n])).to.deep.equal([second]);
    await expectCustomError(d.registry.read.getModel([ZERO]), "UnknownModel");
  });

  it("refuses a layout outside the public inputs, too many stored outputs, and a verifier that is not a contract", async () => {
    const d = await deploy();
    await expectCustomError(d.registry.write.registerModel([VK_DIGEST, d.verifier.address, { ...LAYOUT, outputOffset: 4 }, ""]), "BadLayout");
    await expectCustomError(d.registry.write.registerModel([VK_DIGEST, d.verifier.address, { ...LAYOUT, inputCount: 6 }, ""]), "BadLayout");
    const wide = { count: 40, inputOffset: 0, inputCount: 0, outputOffset: 0, outputCount: 33, storeOutputs: true };
    const wideVerifier = await pairingVerifier(VK_DIGEST, 40);
    await expectCustomError(d.registry.write.registerModel([VK_DIGEST, wideVerifier.address, wide, ""]), "BadLayout");
    await register({ ...d, verifier: wideVerifier }, { ...wide, storeOutputs: false });
    await expectCustomError(d.registry.write.registerModel([VK_DIGEST, other.account.address, LAYOUT, ""]), "NotAContract");
  });

  it("refuses a verifier of another key, of another public-input count, or without the constants, and stores nothing", async () => {
    const d = await deploy();
    const otherDigest = `0x${"cd".repeat(32)}` as Hex;
    const [expected, actual] = await expectCustomError(d.registry.write.registerModel([otherDigest, d.verifier.address, LAYOUT, ""]), "VerifierKeyMismatch");
    expect([expected, actual]).to.deep.equal([otherDigest, VK_DIGEST]);
    const [layoutCount, verifierCount] = await expectCustomError(
      d.registry.write.registerModel([VK_DIGEST, d.verifier.address, { ...LAYOUT, count: 6 }, ""]),
      "VerifierPublicInputCountMismatch",
    );
    expect([layoutCount, verifierCount]).to.deep.equal([6n, 5n]);
    // an account without code, and a contract without VK_DIGEST() (the registry itself)
    await expectCustomError(d.registry.write.registerModel([VK_DIGEST, other.account.address, LAYOUT, ""]), "NotAContract");
    const [notVerifier] = await expectCustomError(d.registry.write.registerModel([VK_DIGEST, d.registry.address, LAYOUT, ""]), "NotAZkinferVerifier");
    expect((notVerifier as Hex).toLowerCase()).to.equal(d.registry.address.toLowerCase());
    // constants answered by a fallback: accepted when cheap and a full word, refused when the
    // answer is short or costs more than VERIFIER_QUERY_GAS (the transaction itself has plenty)
    const answers = async (work: bigint, bytes: bigint) => (await viem.deployContract("OddVerifier", [VK_DIGEST, 5n, work, bytes])).address;
    await expectCustomError(d.registry.write.registerModel([VK_DIGEST, await answers(0n, 31n), LAYOUT, ""]), "NotAZkinferVerifier");
    await expectCustomError(d.registry.write.registerModel([VK_DIGEST, await answers(1000n, 32n), LAYOUT, ""], { gas: 5_000_000n }), "NotAZkinferVerifier");
    expect(await d.registry.read.modelCount()).to.equal(0n);
    expect(await d.registry.getEvents.ModelRegistered({}, { fromBlock: 0n })).to.deep.equal([]);
    await d.registry.write.registerModel([VK_DIGEST, await answers(0n, 32n), LAYOUT, ""]);
    expect(await d.registry.read.modelCount()).to.equal(1n);
  });

  it("refuses to point a model at a verifier of another key or count, or at no verifier", async () => {
    const d = await deploy();
    const modelId = await register(d);
    const otherDigest = `0x${"cd".repeat(32)}` as Hex;
    const [expected, actual] = await expectCustomError(d.registry.write.setVerifier([modelId, (await pairingVerifier(otherDigest)).address]), "VerifierKeyMismatch");
    expect([expected, actual]).to.deep.equal([VK_DIGEST, otherDigest]);
    await expectCustomError(d.registry.write.setVerifier([modelId, (await pairingVerifier(VK_DIGEST, 4)).address]), "VerifierPublicInputCountMismatch");
    await expectCustomError(d.registry.write.setVerifier([modelId, other.account.address]), "NotAContract");
    await expectCustomError(d.registry.write.setVerifier([modelId, d.registry.address]), "NotAZkinferVerifier");
    expect((await d.registry.read.getModel([modelId])).verifier.toLowerCase()).to.equal(d.verifier.address.toLowerCase());
    expect(await d.registry.getEvents.ModelVerifierUpdated({ modelId }, { fromBlock: 0n })).to.deep.equal([]);
    // the model still takes proofs through its verifier
    await submit(d, modelId, inputs(1n), 1n);
  });

  it("registers a real generated verifier with its own digest and count, and refuses any other", async () => {
    const params = { m: 2, k: 3, P: 1, bits: 2, seed: "registry" };
    const built = matvec.build({ ...params });
    const pk = await setup(built.table, await devSrs(srsSizeFor(built.table.logRows)));
    const digest = bytesToHex(verificationKeyDigest(pk.vk));
    const generated = generateVerifier(pk.vk, { contractName: "RegistryTestVerifier" });
    const { abi, bytecode } = compileVerifier(generated.source, generated.contractName);
    const [wallet] = await viem.getWalletClients();
    const receipt = await publicClient.waitForTransactionReceipt({ hash: await wallet.deployContract({ abi, bytecode }) });
    const verifier = receipt.contractAddress!;
    const registry = await viem.deployContract("InferenceRegistry");
    const count = pk.vk.publicInputCount;
    const outputs = matvec.outputLayout({ ...params });
    const layout: PublicInputLayout = { count, inputOffset: 0, inputCount: outputs.offset, outputOffset: outputs.offset, outputCount: outputs.count, storeOutputs: true };
    await expectCustomError(registry.write.registerModel([VK_DIGEST, verifier, layout, ""]), "VerifierKeyMismatch");
    await expectCustomError(registry.write.registerModel([digest, verifier, { ...layout, count: count + 1 }, ""]), "VerifierPublicInputCountMismatch");
    await registry.write.registerModel([digest, verifier, layout, ""]);
    const [modelId] = await registry.read.listModels([0n, 1n]);
    expect((await registry.read.getModel([modelId])).vkDigest).to.equal(digest);
    // and a second copy of the same verifier is a valid update
    const copy = await publicClient.waitForTransactionReceipt({ hash: await wallet.deployContract({ abi, bytecode }) });
    await registry.write.setVerifier([modelId, copy.contractAddress!]);
    expect((await registry.read.getModel([modelId])).verifier.toLowerCase()).to.equal(copy.contractAddress!.toLowerCase());
  });

  it("lets only the owner update, transfer and deprecate", async () => {
    const d = await deploy();
    const modelId = await register(d);
    const asOther = { account: other.account };
    await expectCustomError(d.registry.write.setMetadataURI([modelId, "x"], asOther), "NotModelOwner");
    await expectCustomError(d.registry.write.setVerifier([modelId, d.verifier.address], asOther), "NotModelOwner");
    await expectCustomError(d.registry.write.transferModelOwnership([modelId, other.account.address], asOther), "NotModelOwner");
    await expectCustomError(d.registry.write.deprecateModel([modelId], asOther), "NotModelOwner");

    await d.registry.write.setMetadataURI([modelId, "ipfs://v2"]);
    expect((await d.registry.read.getModel([modelId])).metadataURI).to.equal("ipfs://v2");
    const verifier2 = await pairingVerifier();
    await d.registry.write.setVerifier([modelId, verifier2.address]);
    expect((await d.registry.read.getModel([modelId])).verifier.toLowerCase()).to.equal(verifier2.address.toLowerCase());

    await expectCustomError(d.registry.write.transferModelOwnership([modelId, "0x0000000000000000000000000000000000000000"]), "ZeroAddress");
    await d.registry.write.transferModelOwnership([modelId, other.account.address]);
    const [transfer] = await d.registry.getEvents.ModelOwnershipTransferred({ modelId });
    expect(transfer.args.previousOwner?.toLowerCase()).to.equal(owner.account.address.toLowerCase());
    expect(transfer.args.newOwner?.toLowerCase()).to.equal(other.account.address.toLowerCase());
    const [verifierUpdate] = await d.registry.getEvents.ModelVerifierUpdated({ modelId }, { fromBlock: 0n });
    expect(verifierUpdate.args.verifier?.toLowerCase()).to.equal(verifier2.address.toLowerCase());
    const [metadataUpdate] = await d.registry.getEvents.ModelMetadataUpdated({ modelId }, { fromBlock: 0n });
    expect(metadataUpdate.args.metadataURI).to.equal("ipfs://v2");
    await expectCustomError(d.registry.write.setMetadataURI([modelId, "old owner"]), "NotModelOwner");
    await d.registry.write.setMetadataURI([modelId, "new owner"], asOther);
    expect((await d.registry.read.getModel([modelId])).owner.toLowerCase()).to.equal(other.account.address.toLowerCase());
  });

  it("records a valid proof with the hashes taken from the public inputs, and emits InferenceRecorded", async () => {
    const d = await deploy();
    const modelId = await register(d);
    const pi = inputs(10n);
    const ref = `0x${"cd".repeat(32)}` as Hex;
    const receipt = await submit(d, modelId, pi, 42n, ref, other);
    const [event] = parseEventLogs({ abi: d.registry.abi, logs: receipt.logs, eventName: "InferenceRecorded" });
    const expectedId = computeRecordId({ modelId, publicInputs: pi, submitter: other.account.address, nonce: 42n });
    expect(event.args.recordId).to.equal(expectedId);
    expect(await d.registry.read.computeRecordId([modelId, pi, other.account.address, 42n])).to.equal(expectedId);
    expect(event.args.modelId).to.equal(modelId);
    expect(event.args.submitter.toLowerCase()).to.equal(other.account.address.toLowerCase());
    expect(event.args.inputHash).to.equal(inputHashOf(LAYOUT, pi));
    expect(event.args.outputHash).to.equal(outputHashOf(LAYOUT, pi));
    expect(event.args.ref).to.equal(ref);
    expect(event.args.nonce).to.equal(42n);
    expect(event.args.outputs).to.deep.equal([70n, 110n]);
    // indexed: the model and the submitter are topics, so indexers can filter on them
    const raw = receipt.logs.find((l) => l.address.toLowerCase() === d.registry.address.toLowerCase())!;
    expect(decodeEventLog({ abi: d.registry.abi, ...raw }).eventName).to.equal("InferenceRecorded");
    expect(raw.topics[2]).to.equal(modelId);

    const record = await d.registry.read.getRecord([expectedId]);
    expect(record.modelId).to.equal(modelId);
    expect(record.publicInputDigest).to.equal(hashWords(pi));
    expect(record.inputHash).to.equal(hashWords(pi.slice(0, 3)));
    expect(record.outputHash).to.equal(hashWords(pi.slice(3)));
    expect(record.ref).to.equal(ref);
    expect(BigInt(record.blockNumber)).to.equal(receipt.blockNumber);
    expect(record.timestamp).to.be.greaterThan(0);
    expect(record.outputs).to.deep.equal([70n, 110n]);
    expect(await d.registry.read.recordCount([modelId])).to.equal(1n);
    expect(await d.registry.read.latestRecordId([modelId, inputHashOf(LAYOUT, pi)])).to.equal(expectedId);
    await expectCustomError(d.registry.read.getRecord([ZERO]), "UnknownRecord");
  });

  it("keeps no outputs in records of a model that does not store them", async () => {
    const d = await deploy();
    const modelId = await register(d, { ...LAYOUT, storeOutputs: false });
    const receipt = await submit(d, modelId, inputs(3n), 1n);
    const [event] = parseEventLogs({ abi: d.registry.abi, logs: receipt.logs, eventName: "InferenceRecorded" });
    expect(event.args.outputs).to.deep.equal([21n, 33n]);
    expect((await d.registry.read.getRecord([event.args.recordId])).outputs).to.deep.equal([]);
  });

  it("refuses an invalid proof and stores nothing", async () => {
    const d = await deploy();
    const modelId = await register(d);
    const pi = inputs(5n);
    const proof = pairingTestProof(key, pi);
    const altered = [...pi];
    altered[4] += 1n;
    await expectCustomError(d.registry.write.submitInference([modelId, proof, altered, ZERO, 1n]), "InvalidProof");
    // a proof from another tau: a forger without the key
    await expectCustomError(d.registry.write.submitInference([modelId, pairingTestProof(pairingTestKey(99n), pi), pi, ZERO, 1n]), "InvalidProof");
    // the verifier reverts on malformed bytes; the registry passes its reason on
    await expectCustomError(d.registry.write.submitInference([modelId, "0x1234", pi, ZERO, 1n]), "ProofRejected");
    await expectCustomError(d.registry.write.submitInference([modelId, proof, pi.slice(0, 4), ZERO, 1n]), "PublicInputCountMismatch");
    await expectCustomError(d.registry.write.submitInference([ZERO, proof, pi, ZERO, 1n]), "UnknownModel");
    expect(await d.registry.read.recordCount([modelId])).to.equal(0n);
    expect(await d.registry.read.latestRecordId([modelId, inputHashOf(LAYOUT, pi)])).to.equal(ZERO);
    // the honest submission still goes through
    await submit(d, modelId, pi, 1n);
    expect(await d.registry.read.recordCount([modelId])).to.equal(1n);
  });

  it("refuses a duplicate record id; another nonce or submitter makes a new record", async () => {
    const d = await deploy();
    const modelId = await register(d);
    const pi = inputs(8n);
    await submit(d, modelId, pi, 7n);
    // a fresh proof of the same statement: proof bytes do not make a new record
    const id = computeRecordId({ modelId, publicInputs: pi, submitter: owner.account.address, nonce: 7n });
    const [errorId] = await expectCustomError(d.registry.write.submitInference([modelId, pairingTestProof(key, pi), pi, ZERO, 7n]), "RecordExists");
    expect(errorId).to.equal(id);
    await submit(d, modelId, pi, 8n);
    await submit(d, modelId, pi, 7n, ZERO, other);
    expect(await d.registry.read.recordCount([modelId])).to.equal(3n);
    const latest = computeRecordId({ modelId, publicInputs: pi, submitter: other.account.address, nonce: 7n });
    expect(await d.registry.read.latestRecordId([modelId, inputHashOf(LAYOUT, pi)])).to.equal(latest);
  });

  it("lists a model's records page by page, in submission order", async () => {
    const d = await deploy();
    const modelId = await register(d);
    const otherModel = await register(d);
    const ids: Hex[] = [];
    for (let i = 0n; i < 5n; i++) {
      await submit(d, modelId, inputs(100n + i), i);
      ids.push(computeRecordId({ modelId, publicInputs: inputs(100n + i), submitter: owner.account.address, nonce: i }));
    }
    await submit(d, otherModel, inputs(1n), 0n);
    expect(await d.registry.read.recordCount([modelId])).to.equal(5n);
    expect(await d.registry.read.listRecordIds([modelId, 0n, 2n])).to.deep.equal(ids.slice(0, 2));
    expect(await d.registry.read.listRecordIds([modelId, 2n, 2n])).to.deep.equal(ids.slice(2, 4));
    expect(await d.registry.read.listRecordIds([modelId, 4n, 2n])).to.deep.equal(ids.slice(4));
    expect(await d.registry.read.listRecordIds([modelId, 5n, 2n])).to.deep.equal([]);
    expect(await d.registry.read.listRecordIds([modelId, 0n, 100n])).to.deep.equal(ids);
    const [pageIds, records] = await d.registry.read.listRecords([modelId, 1n, 3n]);
    expect(pageIds).to.deep.equal(ids.slice(1, 4));
    expect(records.map((r) => r.inputHash)).to.deep.equal([101n, 102n, 103n].map((s) => inputHashOf(LAYOUT, inputs(s))));
    await expectCustomError(d.registry.read.listRecordIds([ZERO, 0n, 1n]), "UnknownModel");
  });

  it("takes no new records once deprecated, and keeps the old ones readable", async () => {
    const d = await deploy();
    const modelId = await register(d);
    await submit(d, modelId, inputs(1n), 1n);
    await d.registry.write.deprecateModel([modelId]);
    expect((await d.registry.read.getModel([modelId])).deprecated).to.equal(true);
    expect((await d.registry.getEvents.ModelDeprecated({ modelId })).length).to.equal(1);
    await expectCustomError(d.registry.write.submitInference([modelId, pairingTestProof(key, inputs(2n)), inputs(2n), ZERO, 2n]), "ModelIsDeprecated");
    const pi = [inputs(3n), inputs(4n)];
    await expectCustomError(d.registry.write.submitInferences([modelId, pi.map((p) => pairingTestProof(key, p)), pi, [ZERO, ZERO], [1n, 2n]]), "ModelIsDeprecated");
    await expectCustomError(d.registry.write.deprecateModel([modelId]), "ModelIsDeprecated");
    expect(await d.registry.read.recordCount([modelId])).to.equal(1n);
    expect((await d.registry.read.listRecordIds([modelId, 0n, 10n])).length).to.equal(1);
  });

  it("records a batch in one transaction with one verifyProofs call, all or nothing", async () => {
    const d = await deploy();
    const modelId = await register(d);
    const pis = [inputs(20n), inputs(21n), inputs(22n)];
    const proofs = pis.map((p) => pairingTestProof(key, p));
    const refs = [ZERO, `0x${"01".repeat(32)}` as Hex, ZERO];
    // one bad proof in the batch: nothing is stored
    const bad = [proofs[0], pairingTestProof(key, inputs(99n)), proofs[2]];
    await expectCustomError(d.registry.write.submitInferences([modelId, bad, pis, refs, [1n, 2n, 3n]]), "InvalidProof");
    expect(await d.registry.read.recordCount([modelId])).to.equal(0n);
    await expectCustomError(d.registry.write.submitInferences([modelId, proofs, pis, refs, [1n, 2n]]), "BatchLengthMismatch");
    await expectCustomError(d.registry.write.submitInferences([modelId, [], [], [], []]), "BatchSize");
    // a duplicate inside the batch is refused like any other
    await expectCustomError(d.registry.write.submitInferences([modelId, [proofs[0], proofs[0]], [pis[0], pis[0]], [ZERO, ZERO], [5n, 5n]]), "RecordExists");

    const hash = await d.registry.write.submitInferences([modelId, proofs, pis, refs, [1n, 2n, 3n]]);
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    const events = parseEventLogs({ abi: d.registry.abi, logs: receipt.logs, eventName: "InferenceRecorded" });
    expect(events.map((e) => e.args.recordId)).to.deep.equal(pis.map((p, i) => computeRecordId({ modelId, publicInputs: p, submitter: owner.account.address, nonce: BigInt(i + 1) })));
    expect(events[1].args.ref).to.equal(refs[1]);
    expect(await d.registry.read.listRecordIds([modelId, 0n, 10n])).to.deep.equal(events.map((e) => e.args.recordId));
  });
});
