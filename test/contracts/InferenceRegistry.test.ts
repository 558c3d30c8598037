import { expect } from "chai";
import { network } from "hardhat";
import { BaseError, bytesToHex, ContractFunctionRevertedError, decodeEventLog, keccak256, parseEventLogs, type Address, type Hex } from "viem";
import { matvec } from "../../prover/circuits/index.js";
import { compileVerifier, generateVerifier } from "../../prover/codegen/index.js";
import { releaseEngine } from "../../verifier/engine/bn254.js";
import { setup, srsSizeFor, verificationKeyDigest } from "../../prover/plonkish/index.js";
import { devSrs } from "../../prover/srs/index.js";
import { computeRecordId, hashWords, inputHashOf, outputHashOf, recordHashOf, type PublicInputLayout } from "../../sdk/records.js";
import { pairingTestKey, pairingTestProof } from "./pairing-test-prover.js";

const connection = await network.create();
const { viem } = connection;
const publicClient = await viem.getPublicClient();
const [owner, other] = await viem.getWalletClients();
const key = pairingTestKey(0x1234567n);
const ZERO = `0x${"00".repeat(32)}` as Hex;
const VK_DIGEST = `0x${"ab".repeat(32)}` as Hex;
// 3 inputs then 2 outputs, as the test verifiers report it (with a digest the tests pick).
const LAYOUT: PublicInputLayout = { count: 5, inputOffset: 0, inputCount: 3, outputOffset: 3, outputCount: 2 };
const LAYOUT_DIGEST = `0x${"1a".repeat(32)}` as Hex;
const ranges = (l: PublicInputLayout): [bigint, bigint, bigint, bigint] => [BigInt(l.inputOffset), BigInt(l.inputCount), BigInt(l.outputOffset), BigInt(l.outputCount)];

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

/**
 * A PairingTestVerifier of the test key that names the key `vkDigest`, takes `count` public inputs,
 * says `insecure` and reports `layout` (its ranges; count is `count`) with `layoutDigest`.
 */
const pairingVerifier = (vkDigest: Hex = VK_DIGEST, count = LAYOUT.count, insecure = false, layout = LAYOUT, layoutDigest = LAYOUT_DIGEST) =>
  viem.deployContract("PairingTestVerifier", [[...key.tauG2], vkDigest, BigInt(count), insecure, layoutDigest, ranges(layout)]);
const acceptAllVerifier = () => viem.deployContract("AcceptAllVerifier", [VK_DIGEST, BigInt(LAYOUT.count), LAYOUT_DIGEST, ranges(LAYOUT)]);

const codeHash = async (address: Address): Promise<Hex> => keccak256((await publicClient.getCode({ address }))!);
const setCode = (address: Address, code: Hex) => connection.provider.request({ method: "hardhat_setCode", params: [address, code] });

async function deploy() {
  const registry = await viem.deployContract("InferenceRegistry");
  const verifier = await pairingVerifier();
  return { registry, verifier };
}

type Deployed = Awaited<ReturnType<typeof deploy>>;

async function register({ registry, verifier }: Deployed, uri = "ipfs://model", verifierAddress: Address = verifier.address): Promise<Hex> {
  const hash = await registry.write.registerModel([VK_DIGEST, verifierAddress, uri]);
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  const [event] = parseEventLogs({ abi: registry.abi, logs: receipt.logs, eventName: "ModelRegistered" });
  return event.args.modelId;
}

const inputs = (seed: bigint): bigint[] => [seed, seed + 1n, seed + 2n, seed * 7n, seed * 11n];

async function submit(d: Deployed, modelId: Hex, publicInputs: bigint[], nonce: bigint, ref: Hex = ZERO, wallet = owner) {
  const hash = await d.registry.write.submitInference([modelId, pairingTestProof(key, publicInputs), publicInputs, ref, nonce], { account: wallet.account });
  return publicClient.waitForTransactionReceipt({ hash });
}

interface RecordedArgs {
  modelId?: Hex;
  publicInputDigest?: Hex;
  submitter?: Address;
  nonce?: bigint;
  version?: number;
  timestamp?: number;
  seq?: bigint;
  inputHash?: Hex;
  outputs?: readonly bigint[];
  ref?: Hex;
}

/** A record's words (the registry's Record) from its InferenceRecorded event and its version's code hash. */
const wordsOf = (e: RecordedArgs, codeHash: Hex) => ({
  modelId: e.modelId!,
  publicInputDigest: e.publicInputDigest!,
  submitter: e.submitter!,
  nonce: e.nonce!,
  version: e.version!,
  codeHash,
  timestamp: e.timestamp!,
  seq: e.seq!,
  inputHash: e.inputHash!,
  outputHash: hashWords(e.outputs!),
  ref: e.ref!,
});

describe("InferenceRegistry", () => {
  after(releaseEngine);

  it("registers a model: id, stored fields, version 1 with the pinned code hash, events, listing", async () => {
    const d = await deploy();
    const modelId = await register(d);
    const model = await d.registry.read.getModel([modelId]);
    expect(model.owner.toLowerCase()).to.equal(owner.account.address.toLowerCase());
    expect(model.pendingOwner).to.equal("0x0000000000000000000000000000000000000000");
    expect(model.vkDigest).to.equal(VK_DIGEST);
    expect(model.metadataURI).to.equal("ipfs://model");
    expect(model.deprecated).to.equal(false);
    expect(model.publicInputLayout).to.deep.equal(LAYOUT);
    expect(model.layoutDigest).to.equal(LAYOUT_DIGEST);
    expect(model.currentVersion).to.equal(1);
    expect(model.versions).to.deep.equal([1]);
    const version = await d.registry.read.getVersion([1]);
    expect(version.modelId).to.equal(modelId);
    expect(version.verifier.toLowerCase()).to.equal(d.verifier.address.toLowerCase());
    expect(version.codeHash).to.equal(await codeHash(d.verifier.address));
    expect(version.vkDigest).to.equal(VK_DIGEST);
    expect(version.insecureDevSrs).to.equal(false);
    expect(version.previous).to.equal(0);
    expect(BigInt(version.firstBlock)).to.equal(BigInt(model.registeredAtBlock));
    const [registered] = await d.registry.getEvents.ModelRegistered({}, { fromBlock: 0n });
    expect(registered.args).to.deep.include({ modelId, vkDigest: VK_DIGEST, metadataURI: "ipfs://model" });
    expect(registered.args.publicInputLayout).to.deep.equal(LAYOUT);
    const [added] = await d.registry.getEvents.ModelVersionAdded({ modelId }, { fromBlock: 0n });
    expect(added.args).to.deep.include({ version: 1, codeHash: version.codeHash, vkDigest: VK_DIGEST, insecureDevSrs: false, previous: 0 });
    expect(added.args.verifier?.toLowerCase()).to.equal(d.verifier.address.toLowerCase());
    const second = await register(d);
    expect(second).to.not.equal(modelId);
    expect(await d.registry.read.modelCount()).to.equal(2n);
    expect(await d.registry.read.versionCount()).to.equal(2n);
    expect(await d.registry.read.listModels([0n, 10n])).to.deep.equal([modelId, second]);
    expect(await d.registry.read.listModels([1n, 10n])).to.deep.equal([second]);
    await expectCustomError(d.registry.read.getModel([ZERO]), "UnknownModel");
    await expectCustomError(d.registry.read.getVersion([0]), "UnknownVersion");
    await expectCustomError(d.registry.read.getVersion([3]), "UnknownVersion");
  });

  it("takes the layout from the verifier, never the caller: refuses one outside the public inputs or with overlapping input and output, and a verifier that is not a contract", async () => {
    const d = await deploy();
    const refused = async (layout: PublicInputLayout) =>
      expectCustomError(d.registry.write.registerModel([VK_DIGEST, (await pairingVerifier(VK_DIGEST, LAYOUT.count, false, layout)).address, ""]), "BadLayout");
    await refused({ ...LAYOUT, outputOffset: 4 });
    await refused({ ...LAYOUT, inputCount: 6 });
    await refused({ ...LAYOUT, inputOffset: 2 ** 255 } as never);
    // the input [0, 3) and the outputs [2, 4): x_2 would be input and output at once
    await refused({ ...LAYOUT, outputOffset: 2 });
    await refused({ ...LAYOUT, inputOffset: 3, inputCount: 2, outputOffset: 4, outputCount: 1 });
    // empty ranges overlap nothing
    await register(d, "", (await pairingVerifier(VK_DIGEST, LAYOUT.count, false, { ...LAYOUT, inputOffset: 1, inputCount: 0, outputOffset: 0, outputCount: 5 })).address);
    await expectCustomError(d.registry.write.registerModel([VK_DIGEST, other.account.address, ""]), "NotAContract");
    await expectCustomError(d.registry.write.registerModel([VK_DIGEST, "0x0000000000000000000000000000000000000000", ""]), "ZeroAddress");
  });

  it("refuses a new verifier whose layout is not the model's (digest or ranges), and stores nothing", async () => {
    const d = await deploy();
    const modelId = await register(d);
    const otherLayoutDigest = `0x${"2b".repeat(32)}` as Hex;
    const [expected, actual] = await expectCustomError(
      d.registry.write.setVerifier([modelId, (await pairingVerifier(VK_DIGEST, LAYOUT.count, false, LAYOUT, otherLayoutDigest)).address]),
      "VerifierLayoutMismatch",
    );
    expect([expected, actual]).to.deep.equal([LAYOUT_DIGEST, otherLayoutDigest]);
    // the same digest with the outputs moved onto the input
    const moved = await pairingVerifier(VK_DIGEST, LAYOUT.count, false, { ...LAYOUT, inputCount: 1, outputOffset: 1, outputCount: 2 });
    await expectCustomError(d.registry.write.setVerifier([modelId, moved.address]), "VerifierLayoutMismatch");
    expect((await d.registry.read.getModel([modelId])).versions).to.deep.equal([1]);
    await d.registry.write.setVerifier([modelId, (await pairingVerifier()).address]);
    expect((await d.registry.read.getModel([modelId])).versions).to.deep.equal([1, 2]);
  });

  it("refuses a verifier of another key, of another public-input count, or without the constants, and stores nothing", async () => {
    const d = await deploy();
    const otherDigest = `0x${"cd".repeat(32)}` as Hex;
    const [expected, actual] = await expectCustomError(d.registry.write.registerModel([otherDigest, d.verifier.address, ""]), "VerifierKeyMismatch");
    expect([expected, actual]).to.deep.equal([otherDigest, VK_DIGEST]);
    // an account without code, and a contract without VK_DIGEST() (the registry itself)
    await expectCustomError(d.registry.write.registerModel([VK_DIGEST, other.account.address, ""]), "NotAContract");
    const [notVerifier] = await expectCustomError(d.registry.write.registerModel([VK_DIGEST, d.registry.address, ""]), "NotAZkinferVerifier");
    expect((notVerifier as Hex).toLowerCase()).to.equal(d.registry.address.toLowerCase());
    // constants answered by a fallback: accepted when cheap and a full word (and the flag a
    // bool), refused when the answer is short, costs more than VERIFIER_QUERY_GAS (the
    // transaction itself has plenty) or the dev-SRS flag is not a bool
    const answers = async (work: bigint, bytes: bigint, flag = 0n) => (await viem.deployContract("OddVerifier", [VK_DIGEST, 5n, work, bytes, flag])).address;
    await expectCustomError(d.registry.write.registerModel([VK_DIGEST, await answers(0n, 31n), ""]), "NotAZkinferVerifier");
    await expectCustomError(d.registry.write.registerModel([VK_DIGEST, await answers(1000n, 32n), ""], { gas: 5_000_000n }), "NotAZkinferVerifier");
    await expectCustomError(d.registry.write.registerModel([VK_DIGEST, await answers(0n, 32n, 2n), ""]), "NotAZkinferVerifier");
    expect(await d.registry.read.modelCount()).to.equal(0n);
    expect(await d.registry.read.versionCount()).to.equal(0n);
    expect(await d.registry.getEvents.ModelRegistered({}, { fromBlock: 0n })).to.deep.equal([]);
    await d.registry.write.registerModel([VK_DIGEST, await answers(0n, 32n, 1n), ""]);
    expect(await d.registry.read.modelCount()).to.equal(1n);
    expect((await d.registry.read.getVersion([1])).insecureDevSrs).to.equal(true);
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
    expect((await d.registry.read.getModel([modelId])).versions).to.deep.equal([1]);
    expect((await d.registry.getEvents.ModelVersionAdded({ modelId }, { fromBlock: 0n })).length).to.equal(1);
    // the model still takes proofs through its verifier
    await submit(d, modelId, inputs(1n), 1n);
  });

  it("registers a real generated verifier with its own digest, count and dev-SRS flag, and refuses any other", async () => {
    const params = { m: 2, k: 3, P: 1, bits: 2, seed: "registry" };
    const built = matvec.build({ ...params });
    const publicInputLayout = matvec.publicInputLayout({ ...params });
    const pk = await setup(built.table, await devSrs(srsSizeFor(built.table.logRows)), { publicInputLayout });
    const digest = bytesToHex(verificationKeyDigest(pk.vk));
    // the verifier carries the layout the key binds, and no other
    expect(() => generateVerifier(pk.vk)).to.throw(/not the one the verification key binds/);
    const generated = generateVerifier(pk.vk, { contractName: "RegistryTestVerifier", publicInputLayout });
    const { abi, bytecode, deployedBytecode } = compileVerifier(generated.source, generated.contractName);
    const [wallet] = await viem.getWalletClients();
    const receipt = await publicClient.waitForTransactionReceipt({ hash: await wallet.deployContract({ abi, bytecode }) });
    const verifier = receipt.contractAddress!;
    const registry = await viem.deployContract("InferenceRegistry");
    await expectCustomError(registry.write.registerModel([VK_DIGEST, verifier, ""]), "VerifierKeyMismatch");
    await registry.write.registerModel([digest, verifier, ""]);
    const [modelId] = await registry.read.listModels([0n, 1n]);
    const model = await registry.read.getModel([modelId]);
    expect(model.vkDigest).to.equal(digest);
    expect(model.layoutDigest).to.equal(bytesToHex(pk.vk.publicInputLayoutDigest));
    expect(model.publicInputLayout).to.deep.equal({ count: 5, inputOffset: 0, inputCount: 3, outputOffset: 3, outputCount: 2 });
    const v1 = await registry.read.getVersion([1]);
    expect(v1.insecureDevSrs).to.equal(true);
    // The pin is the hash of the compiler's runtime bytecode, byte for byte: the generated
    // verifier has no immutables, so what `zkinfer audit --check` compiles is what is deployed.
    expect(v1.codeHash).to.equal(keccak256(deployedBytecode));
    // and a second copy of the same verifier is a valid new version, with the same pinned hash
    const copy = await publicClient.waitForTransactionReceipt({ hash: await wallet.deployContract({ abi, bytecode }) });
    await registry.write.setVerifier([modelId, copy.contractAddress!]);
    const v2 = await registry.read.getVersion([2]);
    expect(v2.verifier.toLowerCase()).to.equal(copy.contractAddress!.toLowerCase());
    expect(v2.codeHash).to.equal(v1.codeHash);
  });

  it("moves ownership in two steps: propose, then accept by the new owner", async () => {
    const d = await deploy();
    const modelId = await register(d);
    const asOther = { account: other.account };
    await expectCustomError(d.registry.write.setMetadataURI([modelId, "x"], asOther), "NotModelOwner");
    await expectCustomError(d.registry.write.setVerifier([modelId, d.verifier.address], asOther), "NotModelOwner");
    await expectCustomError(d.registry.write.transferModelOwnership([modelId, other.account.address], asOther), "NotModelOwner");
    await expectCustomError(d.registry.write.deprecateModel([modelId], asOther), "NotModelOwner");
    await expectCustomError(d.registry.write.acceptModelOwnership([modelId], asOther), "NotPendingOwner");

    // the record count shares the owner's slot: a transfer keeps it, and counting keeps the owner
    await submit(d, modelId, inputs(50n), 1n);
    await d.registry.write.transferModelOwnership([modelId, other.account.address]);
    // proposed, not transferred: the owner still owns it and the proposed owner cannot act yet
    let model = await d.registry.read.getModel([modelId]);
    expect(model.owner.toLowerCase()).to.equal(owner.account.address.toLowerCase());
    expect(model.pendingOwner.toLowerCase()).to.equal(other.account.address.toLowerCase());
    await expectCustomError(d.registry.write.setMetadataURI([modelId, "too early"], asOther), "NotModelOwner");
    const [started] = await d.registry.getEvents.ModelOwnershipTransferStarted({ modelId }, { fromBlock: 0n });
    expect(started.args.pendingOwner?.toLowerCase()).to.equal(other.account.address.toLowerCase());
    // only the proposed account accepts
    await expectCustomError(d.registry.write.acceptModelOwnership([modelId]), "NotPendingOwner");
    await d.registry.write.acceptModelOwnership([modelId], asOther);
    model = await d.registry.read.getModel([modelId]);
    expect(model.owner.toLowerCase()).to.equal(other.account.address.toLowerCase());
    expect(model.pendingOwner).to.equal("0x0000000000000000000000000000000000000000");
    expect(await d.registry.read.recordCount([modelId])).to.equal(1n);
    await submit(d, modelId, inputs(51n), 2n);
    expect(await d.registry.read.recordCount([modelId])).to.equal(2n);
    expect((await d.registry.read.getModel([modelId])).owner.toLowerCase()).to.equal(other.account.address.toLowerCase());
    const [transfer] = await d.registry.getEvents.ModelOwnershipTransferred({ modelId }, { fromBlock: 0n });
    expect(transfer.args.previousOwner?.toLowerCase()).to.equal(owner.account.address.toLowerCase());
    expect(transfer.args.newOwner?.toLowerCase()).to.equal(other.account.address.toLowerCase());
    await expectCustomError(d.registry.write.setMetadataURI([modelId, "old owner"]), "NotModelOwner");
    await d.registry.write.setMetadataURI([modelId, "new owner"], asOther);
    expect((await d.registry.read.getModel([modelId])).metadataURI).to.equal("new owner");
    // a proposal to a mistyped address is cancelled by proposing zero
    await d.registry.write.transferModelOwnership([modelId, owner.account.address], asOther);
    await d.registry.write.transferModelOwnership([modelId, "0x0000000000000000000000000000000000000000"], asOther);
    await expectCustomError(d.registry.write.acceptModelOwnership([modelId]), "NotPendingOwner");
  });

  it("adds a version per verifier change, effective from the next block; old records keep naming theirs", async () => {
    const d = await deploy();
    const modelId = await register(d);
    const first = await submit(d, modelId, inputs(1n), 1n);
    const [firstEvent] = parseEventLogs({ abi: d.registry.abi, logs: first.logs, eventName: "InferenceRecorded" });
    const verifier2 = await pairingVerifier();
    const changed = await publicClient.waitForTransactionReceipt({ hash: await d.registry.write.setVerifier([modelId, verifier2.address]) });
    const [added] = parseEventLogs({ abi: d.registry.abi, logs: changed.logs, eventName: "ModelVersionAdded" });
    expect(added.args).to.deep.include({ modelId, version: 2, previous: 1, firstBlock: Number(changed.blockNumber + 1n) });
    const second = await submit(d, modelId, inputs(2n), 2n);
    const [secondEvent] = parseEventLogs({ abi: d.registry.abi, logs: second.logs, eventName: "InferenceRecorded" });
    expect([firstEvent.args.version, secondEvent.args.version]).to.deep.equal([1, 2]);
    // each record's stored hash binds its version and that version's pinned code hash
    expect(await d.registry.read.isRecorded([wordsOf(firstEvent.args, await codeHash(d.verifier.address))])).to.equal(true);
    expect(await d.registry.read.isRecorded([wordsOf(secondEvent.args, await codeHash(verifier2.address))])).to.equal(true);
    expect(await d.registry.read.isRecorded([{ ...wordsOf(secondEvent.args, await codeHash(verifier2.address)), version: 1 }])).to.equal(false);
    const v1 = await d.registry.read.getVersion([1]);
    expect(v1.verifier.toLowerCase()).to.equal(d.verifier.address.toLowerCase());
    const model = await d.registry.read.getModel([modelId]);
    expect([model.currentVersion, model.versions]).to.deep.equal([2, [1, 2]]);
  });

  it("an owner contract that swaps in an accept-all verifier, submits and swaps back in one transaction records nothing", async () => {
    const d = await deploy();
    const attacker = await viem.deployContract("VerifierSwapAttacker", [d.registry.address]);
    await attacker.write.register([VK_DIGEST, d.verifier.address]);
    const modelId = await attacker.read.modelId();
    const acceptAll = await acceptAllVerifier();
    const bogus = `0x${"00".repeat(128)}` as Hex;
    await attacker.write.attack([acceptAll.address, d.verifier.address, bogus, inputs(6n)]);
    expect(await attacker.read.recorded()).to.equal(false);
    expect(await d.registry.read.recordCount([modelId])).to.equal(0n);
    expect(await d.registry.getEvents.InferenceRecorded({ modelId }, { fromBlock: 0n })).to.deep.equal([]);
    // the swaps stay in the history: version 2 (accept-all) never checked anything; in the
    // attack's block version 1 still does, and version 3 from the next block on
    const model = await d.registry.read.getModel([modelId]);
    expect([model.currentVersion, model.versions]).to.deep.equal([1, [1, 2, 3]]);
    expect((await d.registry.read.getVersion([2])).previous).to.equal(1);
    expect((await d.registry.read.getVersion([3])).previous).to.equal(1);
    await connection.provider.request({ method: "evm_mine", params: [] });
    expect((await d.registry.read.getModel([modelId])).currentVersion).to.equal(3);
  });

  it("refuses submissions once the verifier's code changes under its address, until it is back", async () => {
    const d = await deploy();
    const modelId = await register(d);
    const honest = (await publicClient.getCode({ address: d.verifier.address }))!;
    const acceptAll = await acceptAllVerifier();
    await setCode(d.verifier.address, (await publicClient.getCode({ address: acceptAll.address }))!);
    const pi = inputs(9n);
    const bogus = `0x${"00".repeat(128)}` as Hex;
    const [id, version, verifier, pinned, actual] = await expectCustomError(d.registry.write.submitInference([modelId, bogus, pi, ZERO, 1n]), "VerifierCodeChanged");
    expect([id, version, (verifier as Hex).toLowerCase(), pinned, actual]).to.deep.equal([
      modelId,
      1,
      d.verifier.address.toLowerCase(),
      keccak256(honest),
      await codeHash(acceptAll.address),
    ]);
    await expectCustomError(d.registry.write.submitInferences([modelId, [bogus], [pi], [ZERO], [1n]]), "VerifierCodeChanged");
    // gone altogether (a self-destructed verifier)
    await setCode(d.verifier.address, "0x");
    await expectCustomError(d.registry.write.submitInference([modelId, bogus, pi, ZERO, 1n]), "VerifierCodeChanged");
    expect(await d.registry.read.recordCount([modelId])).to.equal(0n);
    await setCode(d.verifier.address, honest);
    await submit(d, modelId, pi, 1n);
    expect(await d.registry.read.recordCount([modelId])).to.equal(1n);
  });

  it("records a valid proof: one stored word, the event's words, and the cheap check", async () => {
    const d = await deploy();
    const modelId = await register(d);
    const pi = inputs(10n);
    const ref = `0x${"cd".repeat(32)}` as Hex;
    const receipt = await submit(d, modelId, pi, 42n, ref, other);
    const [event] = parseEventLogs({ abi: d.registry.abi, logs: receipt.logs, eventName: "InferenceRecorded" });
    const expectedId = computeRecordId({ modelId, publicInputs: pi, submitter: other.account.address, nonce: 42n });
    const block = await publicClient.getBlock({ blockNumber: receipt.blockNumber });
    expect(event.args.recordId).to.equal(expectedId);
    expect(await d.registry.read.computeRecordId([modelId, pi, other.account.address, 42n])).to.equal(expectedId);
    expect(event.args.modelId).to.equal(modelId);
    expect(event.args.submitter.toLowerCase()).to.equal(other.account.address.toLowerCase());
    expect(event.args.version).to.equal(1);
    expect(event.args.timestamp).to.equal(Number(block.timestamp));
    expect(event.args.publicInputDigest).to.equal(hashWords(pi));
    expect(event.args.inputHash).to.equal(inputHashOf(LAYOUT, pi));
    expect(event.args.ref).to.equal(ref);
    expect(event.args.nonce).to.equal(42n);
    expect(event.args.outputs).to.deep.equal([70n, 110n]);
    expect(event.args.seq).to.equal(0n);
    // indexed: the model and the submitter are topics, so indexers can filter on them
    const raw = receipt.logs.find((l) => l.address.toLowerCase() === d.registry.address.toLowerCase())!;
    expect(decodeEventLog({ abi: d.registry.abi, ...raw }).eventName).to.equal("InferenceRecorded");
    expect(raw.topics[2]).to.equal(modelId);

    // the one stored word: the record hash of the id, version, code hash, time, seq, hashes and ref
    const pinned = await codeHash(d.verifier.address);
    const stored = recordHashOf({
      recordId: expectedId,
      version: 1,
      codeHash: pinned,
      timestamp: block.timestamp,
      seq: 0n,
      inputHash: inputHashOf(LAYOUT, pi),
      outputHash: outputHashOf(LAYOUT, pi),
      reference: ref,
    });
    expect(await d.registry.read.recordHash([expectedId])).to.equal(stored);
    const words = wordsOf(event.args, pinned);
    expect(await d.registry.read.hashRecord([words])).to.deep.equal([expectedId, stored]);
    expect(await d.registry.read.isRecorded([words])).to.equal(true);
    expect(await d.registry.read.recordCount([modelId])).to.equal(1n);
    // no such record: the zero word, and isRecorded false
    expect(await d.registry.read.recordHash([ZERO])).to.equal(ZERO);
  });

  it("isRecorded refuses every word of a record changed: another model, digest, submitter, nonce, version, code hash, time, seq, input, outputs or reference", async () => {
    const d = await deploy();
    const modelId = await register(d);
    const otherModel = await register(d);
    const pi = inputs(12n);
    const receipt = await submit(d, modelId, pi, 5n, `0x${"ab".repeat(32)}` as Hex);
    const [event] = parseEventLogs({ abi: d.registry.abi, logs: receipt.logs, eventName: "InferenceRecorded" });
    const words = wordsOf(event.args, await codeHash(d.verifier.address));
    expect(await d.registry.read.isRecorded([words])).to.equal(true);
    const one = `0x${"00".repeat(31)}01` as Hex;
    const changed = [
      { modelId: otherModel },
      { publicInputDigest: hashWords(inputs(13n)) },
      { submitter: other.account.address },
      { nonce: 6n },
      { version: 2 },
      { codeHash: keccak256("0x") },
      { timestamp: words.timestamp + 1 },
      { seq: 1n },
      { inputHash: inputHashOf(LAYOUT, inputs(13n)) },
      { inputHash: ZERO },
      { outputHash: hashWords([70n, 111n]) },
      { ref: ZERO },
      { ref: one },
    ];
    for (const change of changed) expect(await d.registry.read.isRecorded([{ ...words, ...change }]), JSON.stringify(change, (_, v) => (typeof v === "bigint" ? String(v) : v))).to.equal(false);
  });

  it("marks a private input with a zero input hash, not the hash of nothing", async () => {
    const d = await deploy();
    // no input among the public inputs: 5 outputs
    const privateInput: PublicInputLayout = { count: 5, inputOffset: 0, inputCount: 0, outputOffset: 0, outputCount: 5 };
    const modelId = await register(d, "", (await pairingVerifier(VK_DIGEST, 5, false, privateInput)).address);
    const receipt = await submit(d, modelId, inputs(3n), 1n);
    const [event] = parseEventLogs({ abi: d.registry.abi, logs: receipt.logs, eventName: "InferenceRecorded" });
    expect(event.args.inputHash).to.equal(ZERO);
    expect(event.args.inputHash).to.not.equal(keccak256("0x"));
    const version = await d.registry.read.getVersion([event.args.version]);
    expect(await d.registry.read.isRecorded([wordsOf(event.args, version.codeHash)])).to.equal(true);
    expect(await d.registry.read.isRecorded([{ ...wordsOf(event.args, version.codeHash), inputHash: keccak256("0x") }])).to.equal(false);
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
    expect(await d.registry.read.recordHash([computeRecordId({ modelId, publicInputs: pi, submitter: owner.account.address, nonce: 1n })])).to.equal(ZERO);
    expect(await d.registry.getEvents.InferenceRecorded({ modelId }, { fromBlock: 0n })).to.deep.equal([]);
    // the honest submission still goes through
    await submit(d, modelId, pi, 1n);
    expect(await d.registry.read.recordCount([modelId])).to.equal(1n);
  });

  it("refuses a duplicate record id; a second submission of the same inference is a second record that changes no one else's", async () => {
    const d = await deploy();
    const modelId = await register(d);
    const pi = inputs(8n);
    const first = await submit(d, modelId, pi, 7n);
    const [firstEvent] = parseEventLogs({ abi: d.registry.abi, logs: first.logs, eventName: "InferenceRecorded" });
    const pinned = await codeHash(d.verifier.address);
    const mine = computeRecordId({ modelId, publicInputs: pi, submitter: owner.account.address, nonce: 7n });
    const storedBefore = await d.registry.read.recordHash([mine]);
    // a fresh proof of the same statement, with another reference: proof bytes and references do
    // not make a new record, and the stored one stays as it was
    const [errorId] = await expectCustomError(d.registry.write.submitInference([modelId, pairingTestProof(key, pi), pi, `0x${"01".repeat(32)}`, 7n]), "RecordExists");
    expect(errorId).to.equal(mine);
    // the same id in a batch is refused too, and the batch records nothing
    await expectCustomError(d.registry.write.submitInferences([modelId, [pairingTestProof(key, inputs(9n)), pairingTestProof(key, pi)], [inputs(9n), pi], [ZERO, ZERO], [1n, 7n]]), "RecordExists");
    expect(await d.registry.read.recordCount([modelId])).to.equal(1n);
    // someone else records the same inference: a new record beside the first, which stays
    await submit(d, modelId, pi, 7n, ZERO, other);
    const theirs = computeRecordId({ modelId, publicInputs: pi, submitter: other.account.address, nonce: 7n });
    await submit(d, modelId, pi, 8n);
    const mine2 = computeRecordId({ modelId, publicInputs: pi, submitter: owner.account.address, nonce: 8n });
    expect(await d.registry.read.recordHash([mine])).to.equal(storedBefore);
    expect(await d.registry.read.isRecorded([wordsOf(firstEvent.args, pinned)])).to.equal(true);
    expect((await d.registry.getEvents.InferenceRecorded({ modelId }, { fromBlock: 0n })).map((e) => e.args.recordId)).to.deep.equal([mine, theirs, mine2]);
    expect(await d.registry.read.recordCount([modelId])).to.equal(3n);
  });

  it("counts a model's records in storage; its events list them in submission order, each with its position (seq) and matching its stored record", async () => {
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
    expect(await d.registry.read.recordCount([otherModel])).to.equal(1n);
    const events = await d.registry.getEvents.InferenceRecorded({ modelId }, { fromBlock: 0n });
    expect(events.map((e) => e.args.recordId)).to.deep.equal(ids);
    const stored = await Promise.all(ids.map((id) => d.registry.read.recordHash([id])));
    // positions count per model: nonce i is the model's record i; the other model's first record is its record 0
    expect(events.map((e) => e.args.seq)).to.deep.equal([0n, 1n, 2n, 3n, 4n]);
    expect((await d.registry.getEvents.InferenceRecorded({ modelId: otherModel }, { fromBlock: 0n })).map((e) => e.args.seq)).to.deep.equal([0n]);
    // each event's words hash to the record hash stored under its record id, seq included
    const pinned = await codeHash(d.verifier.address);
    expect(events.map((e) => recordHashOf({ ...wordsOf(e.args, pinned), recordId: e.args.recordId!, timestamp: BigInt(e.args.timestamp!), reference: e.args.ref! }))).to.deep.equal(stored);
    expect(await Promise.all(events.map((e) => d.registry.read.isRecorded([{ ...wordsOf(e.args, pinned), seq: e.args.seq! + 1n }])))).to.deep.equal(events.map(() => false));
    await expectCustomError(d.registry.read.recordCount([ZERO]), "UnknownModel");
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
    expect((await d.registry.getEvents.InferenceRecorded({ modelId }, { fromBlock: 0n })).length).to.equal(1);
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
    // not even the batch's valid proofs leave a word behind
    const ids = pis.map((p, i) => computeRecordId({ modelId, publicInputs: p, submitter: owner.account.address, nonce: BigInt(i + 1) }));
    expect(await Promise.all(ids.map((id) => d.registry.read.recordHash([id])))).to.deep.equal([ZERO, ZERO, ZERO]);
    await expectCustomError(d.registry.write.submitInferences([modelId, proofs, pis, refs, [1n, 2n]]), "BatchLengthMismatch");
    await expectCustomError(d.registry.write.submitInferences([modelId, [], [], [], []]), "BatchSize");
    const max = Number(await d.registry.read.MAX_BATCH());
    const over = Array.from({ length: max + 1 }, (_, i) => i);
    await expectCustomError(
      d.registry.write.submitInferences([modelId, over.map(() => proofs[0]), over.map(() => pis[0]), over.map(() => ZERO), over.map((i) => BigInt(i))]),
      "BatchSize",
    );
    // a duplicate inside the batch is refused like any other
    await expectCustomError(d.registry.write.submitInferences([modelId, [proofs[0], proofs[0]], [pis[0], pis[0]], [ZERO, ZERO], [5n, 5n]]), "RecordExists");

    const hash = await d.registry.write.submitInferences([modelId, proofs, pis, refs, [1n, 2n, 3n]]);
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    const events = parseEventLogs({ abi: d.registry.abi, logs: receipt.logs, eventName: "InferenceRecorded" });
    expect(events.map((e) => e.args.recordId)).to.deep.equal(pis.map((p, i) => computeRecordId({ modelId, publicInputs: p, submitter: owner.account.address, nonce: BigInt(i + 1) })));
    expect(events.map((e) => e.args.version)).to.deep.equal([1, 1, 1]);
    expect(events[1].args.ref).to.equal(refs[1]);
    expect(await d.registry.read.recordCount([modelId])).to.equal(3n);
    expect(events.map((e) => e.args.seq)).to.deep.equal([0n, 1n, 2n]);
    // the batch path stores the same word as a single submission: each record checks
    const pinned = await codeHash(d.verifier.address);
    for (const e of events) expect(await d.registry.read.isRecorded([wordsOf(e.args, pinned)])).to.equal(true);
    // a batch record's words changed one at a time (outputs, reference, submitter, seq, time) are not the registry's
    const words = wordsOf(events[1].args, pinned);
    for (const change of [{ outputHash: hashWords([1n, 2n]) }, { ref: ZERO }, { submitter: other.account.address }, { seq: 0n }, { timestamp: words.timestamp - 1 }]) {
      expect(await d.registry.read.isRecorded([{ ...words, ...change }])).to.equal(false);
    }
    // and replaying the batch, or one of its records, is refused
    await expectCustomError(d.registry.write.submitInferences([modelId, proofs, pis, refs, [1n, 2n, 3n]]), "RecordExists");
    await expectCustomError(d.registry.write.submitInference([modelId, proofs[2], pis[2], ZERO, 3n]), "RecordExists");
    expect(await d.registry.read.recordCount([modelId])).to.equal(3n);
  });
});
