// Adversarial review of the record layer (issue 18): attacks that the registry and the SDK hold
// against. A verifier swap sent as separate transactions of one block, forged claims of an
// accept-all version answering findInference, InferenceRecorded logs forged by another contract, and
// a node that returns such logs or alters the registry's own.
import { expect } from "chai";
import { network } from "hardhat";
import { createPublicClient, custom, keccak256, parseEventLogs, type Hex } from "viem";
import { releaseEngine } from "../../verifier/engine/bn254.js";
import { createClient, hashWords, RecordLogMismatchError } from "../../sdk/index.js";
import { expectRejection } from "../helpers/assert.js";
import { pairingTestKey, pairingTestProof } from "./pairing-test-prover.js";

const connection = await network.create();
const { viem } = connection;
const publicClient = await viem.getPublicClient();
const [owner] = await viem.getWalletClients();
const key = pairingTestKey(0x5eedn);
const ZERO = `0x${"00".repeat(32)}` as Hex;
const VK_DIGEST = `0x${"cd".repeat(32)}` as Hex;
// 2 inputs then 2 outputs, as the test verifiers report it (with a layout digest the tests pick).
const COUNT = 4n;
const LAYOUT_DIGEST = `0x${"1b".repeat(32)}` as Hex;
const RANGES: [bigint, bigint, bigint, bigint] = [0n, 2n, 2n, 2n];
const rpc = (method: string, params: unknown[] = []) => connection.provider.request({ method, params });

/** An accept-all verifier that names the model's key and reports its layout, so setVerifier takes it. */
const acceptAllVerifier = () => viem.deployContract("AcceptAllVerifier", [VK_DIGEST, COUNT, LAYOUT_DIGEST, RANGES]);

async function registered() {
  const registry = await viem.deployContract("InferenceRegistry");
  const verifier = await viem.deployContract("PairingTestVerifier", [[...key.tauG2], VK_DIGEST, COUNT, false, LAYOUT_DIGEST, RANGES]);
  const receipt = await publicClient.waitForTransactionReceipt({ hash: await registry.write.registerModel([VK_DIGEST, verifier.address, ""]) });
  const [event] = parseEventLogs({ abi: registry.abi, logs: receipt.logs, eventName: "ModelRegistered" });
  return { registry, verifier, modelId: event.args.modelId };
}

describe("InferenceRegistry under attack: what holds", () => {
  after(releaseEngine);

  it("a swap to an accept-all verifier and a forgery sent as two transactions of one block record nothing; in the next block the forgery names the accept-all version", async () => {
    const { registry, modelId } = await registered();
    const acceptAll = await acceptAllVerifier();
    const forged = [1n, 2n, 3n, 4n];
    const bogus = `0x${"00".repeat(128)}` as Hex;
    await rpc("evm_setAutomine", [false]);
    let swap: Hex, forgery: Hex;
    try {
      swap = await registry.write.setVerifier([modelId, acceptAll.address], { gas: 1_000_000n });
      forgery = await registry.write.submitInference([modelId, bogus, forged, ZERO, 1n], { gas: 1_000_000n });
      await rpc("evm_mine");
    } finally {
      await rpc("evm_setAutomine", [true]);
    }
    const [swapped, refused] = [await publicClient.waitForTransactionReceipt({ hash: swap }), await publicClient.waitForTransactionReceipt({ hash: forgery })];
    expect([swapped.blockNumber, swapped.status, refused.status]).to.deep.equal([refused.blockNumber, "success", "reverted"]);
    expect(await registry.read.recordCount([modelId])).to.equal(0n);
    // One block later the accept-all version is current: the forgery goes through, but its record
    // names version 2, whose pinned code is the accept-all contract's, for every auditor to see.
    const later = await publicClient.waitForTransactionReceipt({ hash: await registry.write.submitInference([modelId, bogus, forged, ZERO, 2n]) });
    const [recorded] = parseEventLogs({ abi: registry.abi, logs: later.logs, eventName: "InferenceRecorded" });
    expect([recorded.args.version, recorded.args.codeHash]).to.deep.equal([2, keccak256((await publicClient.getCode({ address: acceptAll.address }))!)]);
    expect((await registry.read.getVersion([2])).codeHash).to.equal(recorded.args.codeHash);
  });

  it("findInference pinned to the honest code never answers a claim an accept-all version recorded, and does not let such a record block the honest one", async () => {
    const { registry, verifier, modelId } = await registered();
    const honestCode = keccak256((await publicClient.getCode({ address: verifier.address }))!);
    const acceptAll = await acceptAllVerifier();
    const acceptAllCode = keccak256((await publicClient.getCode({ address: acceptAll.address }))!);
    const bogus = `0x${"00".repeat(128)}` as Hex;
    const recordIdOf = async (hash: Hex) => {
      const [event] = parseEventLogs({ abi: registry.abi, logs: (await publicClient.waitForTransactionReceipt({ hash })).logs, eventName: "InferenceRecorded" });
      return event.args.recordId;
    };
    // The owner points the model at accept-all (version 2, from the next block) and records a claim
    // no one proved, and, first, a claim that is true but was not proven either.
    await registry.write.setVerifier([modelId, acceptAll.address]);
    const forged = [1n, 2n, 3n, 4n];
    const honest = [5n, 6n, 7n, 8n];
    const forgedId = await recordIdOf(await registry.write.submitInference([modelId, bogus, forged, ZERO, 1n]));
    const earlyId = await recordIdOf(await registry.write.submitInference([modelId, bogus, honest, ZERO, 2n]));
    // Back to the honest verifier (version 3), which checks a real proof of the true claim.
    await registry.write.setVerifier([modelId, verifier.address]);
    const honestId = await recordIdOf(await registry.write.submitInference([modelId, pairingTestProof(key, honest), honest, ZERO, 3n]));
    expect((await registry.read.getRecord([honestId])).version).to.equal(3);
    // A consumer pinned to the honest code: the forgery never answers, the true claim answers with the honest record.
    expect(await registry.read.findInference([modelId, honestCode, hashWords(forged.slice(0, 2)), forged.slice(2)])).to.equal(ZERO);
    expect(await registry.read.findInference([modelId, honestCode, hashWords(honest.slice(0, 2)), honest.slice(2)])).to.equal(honestId);
    // Under the accept-all code the records are there for anyone who asks for that code.
    expect(await registry.read.findInference([modelId, acceptAllCode, hashWords(forged.slice(0, 2)), forged.slice(2)])).to.equal(forgedId);
    expect(await registry.read.findInference([modelId, acceptAllCode, hashWords(honest.slice(0, 2)), honest.slice(2)])).to.equal(earlyId);
  });

  it("the SDK reads records only from the registry's logs: an InferenceRecorded log of another contract with a record's id and other outputs is ignored", async () => {
    const { registry, modelId } = await registered();
    const publicInputs = [5n, 6n, 7n, 8n];
    const recordId = await registry.read.computeRecordId([modelId, publicInputs, owner.account.address, 1n]);
    const forger = await viem.deployContract("EventForger");
    const forge = () => forger.write.forge([recordId, modelId, owner.account.address, 1, hashWords([5n, 6n]), [666n, 777n]]);
    // before and after the real record's log, so neither "first" nor "last" picks the registry's
    await forge();
    await registry.write.submitInference([modelId, pairingTestProof(key, publicInputs), publicInputs, ZERO, 1n]);
    await forge();
    const client = createClient({ publicClient }).withRegistry(registry.address);
    const record = await client.getRecord({ recordId, fromBlock: 0n });
    expect(record.outputs).to.deep.equal([7n, 8n]);
    const listed = await client.listRecords({ modelId, fromBlock: 0n });
    expect(listed.records.map((r) => [r.id, r.outputs])).to.deep.equal([[recordId, [7n, 8n]]]);
    const audited = await client.auditRecords({ modelId, fromBlock: 0n });
    expect(audited.models[0].records.map((r) => r.outputs)).to.deep.equal([[7n, 8n]]);
  });

  it("the SDK refuses logs that a node returns from another address or that disagree with the stored record (RecordLogMismatchError), and uses none of them", async () => {
    const { registry, modelId } = await registered();
    const publicInputs = [5n, 6n, 7n, 8n];
    const recordId = await registry.read.computeRecordId([modelId, publicInputs, owner.account.address, 1n]);
    const forger = await viem.deployContract("EventForger");
    await forger.write.forge([recordId, modelId, owner.account.address, 1, hashWords([5n, 6n]), [666n, 777n]]);
    await registry.write.submitInference([modelId, pairingTestProof(key, publicInputs), publicInputs, ZERO, 1n]);
    type RpcLog = { address: Hex; data: Hex };
    // A node that answers eth_getLogs through `lie` and everything else honestly.
    const through = (lie: (filter: Record<string, unknown>) => Promise<RpcLog[]>) =>
      createClient({
        publicClient: createPublicClient({
          transport: custom({
            request: ({ method, params }: { method: string; params: unknown[] }) =>
              method === "eth_getLogs" ? lie(params[0] as Record<string, unknown>) : connection.provider.request({ method, params }),
          }),
        }),
      }).withRegistry(registry.address);
    const getLogs = (filter: Record<string, unknown>) => connection.provider.request({ method: "eth_getLogs", params: [filter] }) as Promise<RpcLog[]>;
    /** Replaces the 32-byte word `index` of each log's data (counted from the end when negative). */
    const rewrite = (logs: RpcLog[], index: number, word: bigint) =>
      logs.map((l) => {
        const words = l.data.slice(2).match(/.{64}/g)!;
        words[index < 0 ? words.length + index : index] = word.toString(16).padStart(64, "0");
        return { ...l, data: `0x${words.join("")}` as Hex };
      });
    const refused = async (client: ReturnType<typeof through>, field: string) => {
      const reads = [() => client.getRecord({ recordId, fromBlock: 0n }), () => client.listRecords({ modelId, fromBlock: 0n }), () => client.auditRecords({ modelId, fromBlock: 0n })];
      for (const read of reads) {
        const err = await expectRejection(read(), /not the registry's record/);
        expect(err).to.be.instanceOf(RecordLogMismatchError);
        expect([(err as RecordLogMismatchError).recordId, (err as RecordLogMismatchError).field]).to.deep.equal([recordId, field]);
      }
    };
    // The node ignores the address filter: the forger's log, with the record's id and other outputs, comes first.
    await refused(
      through(({ address: _, ...rest }) => getLogs(rest)),
      "address",
    );
    // The node alters the registry's own log: the last output, the version (the second data word), the
    // nonce (the ninth, which the record id binds), the seq, the input hash and the reference (the
    // first, sixth and eighth, which the stored entry hash binds).
    const entry = "entry hash (publicInputDigest, inputHash, outputHash, ref, nonce, seq)";
    for (const [word, value, field] of [[-1, 9n, "outputs"], [1, 2n, "version"], [8, 2n, "publicInputDigest or nonce"], [0, 5n, entry], [5, 1n, entry], [7, 1n, entry]] as const) {
      await refused(
        through(async (filter) => rewrite(await getLogs(filter), word, value)),
        field,
      );
    }
    // An honest node: the record reads back.
    expect((await through(getLogs).getRecord({ recordId, fromBlock: 0n })).outputs).to.deep.equal([7n, 8n]);
  });
});
