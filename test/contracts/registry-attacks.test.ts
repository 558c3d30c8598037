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
    expect(recorded.args.version).to.equal(2);
    expect((await registry.read.getVersion([2])).codeHash).to.equal(keccak256((await publicClient.getCode({ address: acceptAll.address }))!));
  });

  it("a consumer that checks records with isRecorded and pins the honest code never takes a claim an accept-all version recorded, and such a record does not block the honest one", async () => {
    const { registry, verifier, modelId } = await registered();
    const honestCode = keccak256((await publicClient.getCode({ address: verifier.address }))!);
    const acceptAll = await acceptAllVerifier();
    const acceptAllCode = keccak256((await publicClient.getCode({ address: acceptAll.address }))!);
    const bogus = `0x${"00".repeat(128)}` as Hex;
    // A record's words (the registry's Record) from its event, with the code hash a consumer is handed.
    const wordsOf = async (hash: Hex, codeHash: Hex) => {
      const [event] = parseEventLogs({ abi: registry.abi, logs: (await publicClient.waitForTransactionReceipt({ hash })).logs, eventName: "InferenceRecorded" });
      const e = event.args;
      return { modelId: e.modelId, publicInputDigest: e.publicInputDigest, submitter: e.submitter, nonce: e.nonce, version: e.version, codeHash, timestamp: e.timestamp, seq: e.seq, inputHash: e.inputHash, outputHash: hashWords(e.outputs), ref: e.ref };
    };
    // The owner points the model at accept-all (version 2, from the next block) and records a claim
    // no one proved, and, first, a claim that is true but was not proven either.
    await registry.write.setVerifier([modelId, acceptAll.address]);
    const forged = [1n, 2n, 3n, 4n];
    const honest = [5n, 6n, 7n, 8n];
    const forgedTx = await registry.write.submitInference([modelId, bogus, forged, ZERO, 1n]);
    const earlyTx = await registry.write.submitInference([modelId, bogus, honest, ZERO, 2n]);
    // Back to the honest verifier (version 3), which checks a real proof of the true claim.
    await registry.write.setVerifier([modelId, verifier.address]);
    const honestTx = await registry.write.submitInference([modelId, pairingTestProof(key, honest), honest, ZERO, 3n]);
    // The accept-all records exist, but only under the accept-all code: handed to a consumer as
    // checked by the honest code, they are not the registry's.
    for (const tx of [forgedTx, earlyTx]) {
      expect(await registry.read.isRecorded([await wordsOf(tx, acceptAllCode)])).to.equal(true);
      expect(await registry.read.isRecorded([await wordsOf(tx, honestCode)])).to.equal(false);
    }
    // The honest record of the true claim checks under the honest code, the early forged record of it notwithstanding.
    const honestWords = await wordsOf(honestTx, honestCode);
    expect(honestWords.version).to.equal(3);
    expect(await registry.read.isRecorded([honestWords])).to.equal(true);
    // Nor can the honest record be passed off as proving the forged outputs.
    expect(await registry.read.isRecorded([{ ...honestWords, outputHash: hashWords(forged.slice(2)) }])).to.equal(false);
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
    // The node alters the registry's own log. Its data words: seq, version, timestamp, publicInputDigest,
    // inputHash, ref, nonce, then the outputs. A version the registry lacks is refused as such; digest
    // and nonce are bound by the record id; seq, timestamp, input hash, reference, the outputs (and
    // a version that exists, below) by the stored record hash.
    const id = "modelId, publicInputDigest, submitter or nonce";
    const hash = "record hash (version, timestamp, seq, inputHash, outputs, ref)";
    const altered = [[-1, 9n, hash], [1, 2n, "version"], [3, 1n, id], [6, 2n, id], [0, 5n, hash], [2, 1n, hash], [4, 1n, hash], [5, 1n, hash]] as const;
    for (const [word, value, field] of altered) {
      await refused(
        through(async (filter) => rewrite(await getLogs(filter), word, value)),
        field,
      );
    }
    // A version that exists but belongs to another model (the node names it in the log): the record
    // hash binds the version, so it is refused there.
    await registry.write.registerModel([VK_DIGEST, (await registry.read.getVersion([1])).verifier, "another"]);
    await refused(
      through(async (filter) => rewrite(await getLogs(filter), 1, 2n)),
      hash,
    );
    // An honest node: the record reads back.
    expect((await through(getLogs).getRecord({ recordId, fromBlock: 0n })).outputs).to.deep.equal([7n, 8n]);
  });
});
