// Adversarial review of issue 21's record count (aca7397): recordCount is packed into a model's
// storage (a uint64 beside the owner's address then; since records store one word, a uint56 in the
// model's first slot, beside the layout, latest version and deprecated flag that every submission
// reads), and the registry keeps no list of record ids.
// auditRecords' hidden-log check rests on recordCount being exactly the number of records of the
// model, so no write path may reset or move it, nor touch the owner's bits; these tests read the
// raw slot after every write path and count the model's logs against it, push the count to the
// top of its range, and hide a log recorded before an ownership transfer. Without a stored list,
// nothing in storage orders a model's records but their stored times: a node that swaps two records'
// places in the chain must be refused (it was not: FAILS before the stored-order check, now part of
// expectRecordOrder, which since seq also orders the records of one block).
import { expect } from "chai";
import { network } from "hardhat";
import { encodeAbiParameters, getAddress, hexToBigInt, keccak256, numberToHex, parseEventLogs, type Hex } from "viem";
import { releaseEngine } from "../../verifier/engine/bn254.js";
import { MissingRecordLogsError, RecordLogMismatchError } from "../../sdk/index.js";
import { expectRejection } from "../helpers/assert.js";
import { deployRegisteredModel, lyingClient, lyingLogs, registeredModelId, TEST_KEY as key, VK_DIGEST, ZERO_REF, type RpcLog } from "../helpers/registry-fixture.js";
import { pairingTestProof } from "../contracts/pairing-test-prover.js";

const connection = await network.create();
const { viem } = connection;
const publicClient = await viem.getPublicClient();
const [owner, heir, stranger] = await viem.getWalletClients();
const rpc = (method: string, params: unknown[] = []) => connection.provider.request({ method, params });

const OWNER_BITS = (1n << 160n) - 1n;
/** recordCount's bits in the model's first slot: 200..255. */
const COUNT_SHIFT = 200n;
const COUNT_MAX = (1n << 56n) - 1n;

/** The model's first storage slot (layout, latest version, deprecated, recordCount): _models is slot 0. */
const modelSlot = (modelId: Hex): bigint => hexToBigInt(keccak256(encodeAbiParameters([{ type: "bytes32" }, { type: "uint256" }], [modelId, 0n])));
/** The slot of Model.owner and registeredAtBlock, the struct's word 1. */
const ownerSlot = (modelId: Hex): bigint => modelSlot(modelId) + 1n;
const readSlot = async (registry: Hex, slot: bigint): Promise<bigint> => hexToBigInt((await rpc("eth_getStorageAt", [registry, numberToHex(slot), "latest"])) as Hex);

type Registry = Awaited<ReturnType<typeof deployRegisteredModel>>["registry"];

/**
 * The model's first slot holds exactly its layout, latest version and deprecated flag in bits
 * 0..199 and the count in bits 200..255; its second exactly the owner in bits 0..159 and the
 * registration block in bits 160..207; getModel and recordCount read them back, and the count is
 * the number of the model's InferenceRecorded logs.
 */
async function expectIntact(registry: Registry, modelId: Hex, ownerAddress: Hex, records: bigint, step: string): Promise<void> {
  const model = await registry.read.getModel([modelId]);
  const l = model.publicInputLayout;
  const fields = [l.count, l.inputOffset, l.inputCount, l.outputOffset, l.outputCount, model.versions[model.versions.length - 1]].reduce((w, f, i) => w | (BigInt(f) << BigInt(32 * i)), 0n) | ((model.deprecated ? 1n : 0n) << 192n);
  const first = await readSlot(registry.address, modelSlot(modelId));
  expect(first & ((1n << COUNT_SHIFT) - 1n), `${step}: layout, latest version and deprecated bits`).to.equal(fields);
  expect(first >> COUNT_SHIFT, `${step}: count bits`).to.equal(records);
  const word = await readSlot(registry.address, ownerSlot(modelId));
  expect(getAddress(numberToHex(word & OWNER_BITS, { size: 20 })), `${step}: owner bits`).to.equal(getAddress(ownerAddress));
  expect(word >> 160n, `${step}: registration block (and nothing above it)`).to.equal(BigInt(model.registeredAtBlock));
  expect(getAddress(model.owner), `${step}: getModel().owner`).to.equal(getAddress(ownerAddress));
  expect(await registry.read.recordCount([modelId]), `${step}: recordCount`).to.equal(records);
  const logs = await registry.getEvents.InferenceRecorded({ modelId }, { fromBlock: 0n });
  expect(BigInt(logs.length), `${step}: InferenceRecorded logs`).to.equal(records);
}

const inputsOf = (seed: bigint): bigint[] => [seed, seed + 1n, seed + 2n, seed + 3n];
const mined = async (hash: Promise<Hex>) => publicClient.waitForTransactionReceipt({ hash: await hash });

describe("review: the record count packed in the model's first slot (issue 21)", () => {
  after(releaseEngine);

  it("no write path resets the count or touches the owner's bits, and the count is always the model's number of logs", async () => {
    const { registry, modelId } = await deployRegisteredModel(connection);
    const as = async (wallet: typeof heir) => viem.getContractAt("InferenceRegistry", registry.address, { client: { wallet } });
    const heirs = await as(heir);
    const strangers = await as(stranger);
    // A second model, of another owner, whose records must never move the first's count.
    const other = await registeredModelId(connection, await strangers.write.registerModel([VK_DIGEST, (await registry.read.getVersion([1])).verifier, "other"]));
    await expectIntact(registry, modelId, owner.account.address, 0n, "registered");

    await mined(registry.write.submitInference([modelId, pairingTestProof(key, inputsOf(10n)), inputsOf(10n), ZERO_REF, 1n]));
    await expectIntact(registry, modelId, owner.account.address, 1n, "one record");
    // Anyone may submit: a stranger's record counts for the model, and the owner stays.
    await mined(strangers.write.submitInference([modelId, pairingTestProof(key, inputsOf(20n)), inputsOf(20n), ZERO_REF, 1n]));
    await expectIntact(registry, modelId, owner.account.address, 2n, "a stranger's record");
    await mined(strangers.write.submitInference([other, pairingTestProof(key, inputsOf(30n)), inputsOf(30n), ZERO_REF, 1n]));
    await expectIntact(registry, modelId, owner.account.address, 2n, "a record of another model");
    await expectIntact(registry, other, stranger.account.address, 1n, "the other model");

    // Refused submissions change nothing: the same id again, a wrong proof, a wrong count, a batch with one bad proof.
    await expectRejection(registry.write.submitInference([modelId, pairingTestProof(key, inputsOf(10n)), inputsOf(10n), ZERO_REF, 1n]), /RecordExists/);
    await expectRejection(registry.write.submitInference([modelId, pairingTestProof(key, inputsOf(40n)), inputsOf(41n), ZERO_REF, 2n]), /InvalidProof|ProofRejected/);
    await expectRejection(registry.write.submitInference([modelId, pairingTestProof(key, inputsOf(40n)), [1n, 2n, 3n], ZERO_REF, 2n]), /PublicInputCountMismatch/);
    const batch = [inputsOf(50n), inputsOf(60n), inputsOf(70n)];
    const bad = batch.map((p, i) => pairingTestProof(key, i === 2 ? inputsOf(71n) : p));
    await expectRejection(registry.write.submitInferences([modelId, bad, batch, [ZERO_REF, ZERO_REF, ZERO_REF], [5n, 6n, 7n]]), /InvalidProof|ProofRejected/);
    await expectIntact(registry, modelId, owner.account.address, 2n, "refused submissions");

    await mined(registry.write.submitInferences([modelId, batch.map((p) => pairingTestProof(key, p)), batch, [ZERO_REF, ZERO_REF, ZERO_REF], [5n, 6n, 7n]]));
    await expectIntact(registry, modelId, owner.account.address, 5n, "a batch of three");

    // Every owner-only write and the ownership handover, with records in between.
    await mined(registry.write.setMetadataURI([modelId, `ipfs://${"m".repeat(200)}`]));
    await expectIntact(registry, modelId, owner.account.address, 5n, "setMetadataURI");
    const second = await viem.deployContract("PairingTestVerifier", [[...key.tauG2], VK_DIGEST, 4n, false, (await registry.read.getModel([modelId])).layoutDigest, [0n, 2n, 2n, 2n]]);
    await mined(registry.write.setVerifier([modelId, second.address]));
    await expectIntact(registry, modelId, owner.account.address, 5n, "setVerifier");
    await mined(registry.write.transferModelOwnership([modelId, heir.account.address]));
    await expectIntact(registry, modelId, owner.account.address, 5n, "transferModelOwnership");
    await mined(registry.write.transferModelOwnership([modelId, "0x0000000000000000000000000000000000000000"]));
    await expectIntact(registry, modelId, owner.account.address, 5n, "a cancelled transfer");
    await expectRejection(heirs.write.acceptModelOwnership([modelId]), /NotPendingOwner/);
    await mined(registry.write.transferModelOwnership([modelId, heir.account.address]));
    await mined(registry.write.submitInference([modelId, pairingTestProof(key, inputsOf(80n)), inputsOf(80n), ZERO_REF, 8n]));
    await expectIntact(registry, modelId, owner.account.address, 6n, "a record while a transfer is pending");
    await mined(heirs.write.acceptModelOwnership([modelId]));
    await expectIntact(registry, modelId, heir.account.address, 6n, "acceptModelOwnership");
    await expectRejection(registry.write.setMetadataURI([modelId, "x"]), /NotModelOwner/);
    await mined(heirs.write.submitInference([modelId, pairingTestProof(key, inputsOf(90n)), inputsOf(90n), ZERO_REF, 9n]));
    await expectIntact(registry, modelId, heir.account.address, 7n, "a record by the new owner");
    await mined(heirs.write.deprecateModel([modelId]));
    await expectIntact(registry, modelId, heir.account.address, 7n, "deprecateModel");
    await expectRejection(registry.write.submitInference([modelId, pairingTestProof(key, inputsOf(95n)), inputsOf(95n), ZERO_REF, 10n]), /ModelIsDeprecated/);
    await expectIntact(registry, modelId, heir.account.address, 7n, "a refused record of a deprecated model");
    await expectIntact(registry, other, stranger.account.address, 1n, "the other model at the end");
  });

  it("the count stops at 2^56 − 1 with a revert instead of wrapping to zero (which would hide every record)", async () => {
    const { registry, modelId } = await deployRegisteredModel(connection);
    const slot = modelSlot(modelId);
    const word = await readSlot(registry.address, slot);
    expect(word >> COUNT_SHIFT).to.equal(0n);
    // No chain reaches 2^56 records; put the count just below it to see what the checked increment does.
    await rpc("hardhat_setStorageAt", [registry.address, numberToHex(slot), numberToHex(((COUNT_MAX - 1n) << COUNT_SHIFT) | word, { size: 32 })]);
    const receipt = await mined(registry.write.submitInference([modelId, pairingTestProof(key, inputsOf(1n)), inputsOf(1n), ZERO_REF, 1n]));
    expect(parseEventLogs({ abi: registry.abi, logs: receipt.logs, eventName: "InferenceRecorded" })[0].args.seq).to.equal(COUNT_MAX - 1n);
    expect(await readSlot(registry.address, slot)).to.equal((COUNT_MAX << COUNT_SHIFT) | word);
    await expectRejection(registry.write.submitInference([modelId, pairingTestProof(key, inputsOf(2n)), inputsOf(2n), ZERO_REF, 2n]), /overflow|0x11/i);
    expect(await readSlot(registry.address, slot)).to.equal((COUNT_MAX << COUNT_SHIFT) | word);
    expect(await registry.read.recordCount([modelId])).to.equal(COUNT_MAX);
    expect(getAddress((await registry.read.getModel([modelId])).owner)).to.equal(getAddress(owner.account.address));
  });

  it("a node that swaps the blocks of two records (so that the later one is listed first) is refused by auditRecords and listRecords", async () => {
    const { registry, modelId } = await deployRegisteredModel(connection);
    const ids: Hex[] = [];
    const times: number[] = [];
    for (const n of [1n, 2n]) {
      await rpc("evm_increaseTime", [60]);
      const receipt = await mined(registry.write.submitInference([modelId, pairingTestProof(key, inputsOf(n * 10n)), inputsOf(n * 10n), ZERO_REF, n]));
      const [event] = parseEventLogs({ abi: registry.abi, logs: receipt.logs, eventName: "InferenceRecorded" });
      ids.push(event.args.recordId);
      times.push(event.args.timestamp);
    }
    expect(times[1] > times[0]).to.equal(true);
    // Every word of both logs is genuine; only where the node says each one is changes.
    const swapPlaces = (logs: RpcLog[]): RpcLog[] => {
      const at = (id: Hex) => logs.findIndex((l) => l.topics[1]?.toLowerCase() === id.toLowerCase());
      const [a, b] = [at(ids[0]), at(ids[1])];
      if (a < 0 || b < 0) return logs;
      const place = (l: RpcLog) => ({ blockNumber: l.blockNumber, transactionHash: l.transactionHash, logIndex: l.logIndex });
      const out = [...logs];
      out[a] = { ...logs[a], ...place(logs[b]) };
      out[b] = { ...logs[b], ...place(logs[a]) };
      return out;
    };
    const swapping = lyingClient(connection, registry.address, lyingLogs(swapPlaces));
    const honest = lyingClient(connection, registry.address, lyingLogs((logs: RpcLog[]) => logs));
    expect((await honest.auditRecords({ modelId })).models[0].records.map((r) => r.id)).to.deep.equal(ids);
    for (const [what, read] of [
      ["auditRecords", () => swapping.auditRecords({ modelId })],
      ["listRecords", () => swapping.listRecords({ modelId })],
    ] as const) {
      const err = await expectRejection(read(), /place among the logs/).catch((e: Error) => e);
      expect(err, what).to.be.instanceOf(RecordLogMismatchError);
    }
  });

  it("an audit still finds a log hidden from before an ownership transfer: accepting ownership does not reset the count", async () => {
    const { registry, modelId } = await deployRegisteredModel(connection);
    const ids: Hex[] = [];
    for (const n of [1n, 2n]) {
      const receipt = await mined(registry.write.submitInference([modelId, pairingTestProof(key, inputsOf(n * 10n)), inputsOf(n * 10n), ZERO_REF, n]));
      ids.push(parseEventLogs({ abi: registry.abi, logs: receipt.logs, eventName: "InferenceRecorded" })[0].args.recordId);
    }
    await mined(registry.write.transferModelOwnership([modelId, heir.account.address]));
    const heirs = await viem.getContractAt("InferenceRegistry", registry.address, { client: { wallet: heir } });
    await mined(heirs.write.acceptModelOwnership([modelId]));
    await mined(heirs.write.submitInference([modelId, pairingTestProof(key, inputsOf(30n)), inputsOf(30n), ZERO_REF, 3n]));
    // The new owner's node leaves out a record made under the previous owner.
    const hiding = lyingClient(connection, registry.address, lyingLogs((logs: RpcLog[]) => logs.filter((l) => l.topics[1]?.toLowerCase() !== ids[0].toLowerCase())));
    const err = await expectRejection(hiding.auditRecords({ modelId }), /recordCount/);
    expect(err).to.be.instanceOf(MissingRecordLogsError);
    expect(err.message).to.include("2 InferenceRecorded logs").and.include("recordCount says 3 records");
  });
});
