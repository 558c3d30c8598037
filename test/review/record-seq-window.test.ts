// Adversarial review of recseq (seq in records). An audit from a block later than the model's
// registration expected the positions from the first record the node showed on: a node hiding the
// earliest records of the window (or every one, by showing none) passed, though storage says how
// many records the model had before the window (recordCount at the block before it). FAILS on
// d34f15b: the "earliest hidden" and "all hidden" cases pass. Also: a seq word with high bytes set
// reached entryHashOf (now recordHashOf) as a raw viem IntegerOutOfRangeError (zkinfer audit exit 3, not the node's
// lie, exit 1). FAILS on d34f15b. The second part pins what held already: seqs are consecutive per
// model when batches of two models and a refused batch share a block, and seq encodes alike in
// Solidity's abi.encode (uint64) and entryHashOf (now recordHashOf) up to 2^64 − 1.
import { expect } from "chai";
import { network } from "hardhat";
import { parseEventLogs, type Hex } from "viem";
import { releaseEngine } from "../../verifier/engine/bn254.js";
import { MissingRecordLogsError, recordHashOf, RecordLogError, RecordLogMismatchError, UndecodableRecordLogError } from "../../sdk/index.js";
import { expectRejection } from "../helpers/assert.js";
import { allLogs, deployRegisteredModel, lyingClient, lyingLogs, withoutRecords, registeredModelId, VK_DIGEST, sameWord as same, TEST_KEY as key, ZERO_REF, type RpcLog } from "../helpers/registry-fixture.js";
import { pairingTestProof } from "../contracts/pairing-test-prover.js";

const connection = await network.create();
const { viem } = connection;
const publicClient = await viem.getPublicClient();

const inputsOf = (seed: bigint): bigint[] => [seed, seed + 1n, seed + 2n, seed + 3n];

describe("review: an audit from a later block expects every record made from that block on", () => {
  let registry: Awaited<ReturnType<typeof deployRegisteredModel>>["registry"];
  let modelId: Hex;
  /** Records 0 … 3: record 0 in one block, 1 and 2 in the next (a batch), 3 in a later one. */
  let ids: Hex[] = [];
  /** The block of records 1 and 2: the window from it on holds records 1, 2 and 3. */
  let windowStart: bigint;

  before(async () => {
    ({ registry, modelId } = await deployRegisteredModel(connection));
    const submit = async (seeds: bigint[], nonces: bigint[]) => {
      const batch = seeds.map(inputsOf);
      const hash = await registry.write.submitInferences([modelId, batch.map((p) => pairingTestProof(key, p)), batch, batch.map(() => ZERO_REF), nonces]);
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      ids.push(...parseEventLogs({ abi: registry.abi, logs: receipt.logs, eventName: "InferenceRecorded" }).map((e) => e.args.recordId));
      return receipt.blockNumber;
    };
    ids = [];
    await submit([10n], [1n]);
    await connection.provider.request({ method: "evm_mine", params: [] });
    windowStart = await submit([20n, 30n], [2n, 3n]);
    await connection.provider.request({ method: "evm_mine", params: [] });
    await submit([40n], [4n]);
  });
  after(releaseEngine);

  const hiding = (...hidden: number[]) => lyingClient(connection, registry.address, lyingLogs(withoutRecords(...hidden.map((i) => ids[i]))));

  it("an honest node's window holds records 1 … 3, and records made before it are not expected", async () => {
    const audited = (await hiding().auditRecords({ modelId, fromBlock: windowStart })).models[0];
    expect([audited.countChecked, audited.records.map((r) => r.seq)]).to.deep.equal([false, [1n, 2n, 3n]]);
    // Record 0, made before the window, hidden: nothing is missing from the window.
    expect((await hiding(0).auditRecords({ modelId, fromBlock: windowStart })).models[0].records.map((r) => r.seq)).to.deep.equal([1n, 2n, 3n]);
  });

  it("a node hiding the window's first record (so that the first it shows is a later one) fails the audit", async () => {
    const err = await expectRejection(hiding(1).auditRecords({ modelId, fromBlock: windowStart }), /has no log/);
    expect(err).to.be.instanceOf(MissingRecordLogsError);
    expect(err).to.deep.include({ missing: [1n], missingCount: 1n, partial: true });
  });

  it("a node showing none of the window's records fails the audit", async () => {
    const err = await expectRejection(hiding(1, 2, 3).auditRecords({ modelId, fromBlock: windowStart }), /have no log/);
    expect(err).to.deep.include({ found: 0, missing: [1n, 2n, 3n], missingCount: 3n, partial: true });
  });

  it("a node showing a record made before the window inside it is refused", async () => {
    // The node answers a window search with record 0's genuine log placed in the window's first block.
    const record0 = (await allLogs(connection, registry.address)).find((l) => same(l.topics[1], ids[0]));
    expect(record0, "record 0's log").to.not.equal(undefined);
    const moved: RpcLog = { ...record0!, blockNumber: `0x${windowStart.toString(16)}`, logIndex: "0x0" };
    const lying = lyingClient(
      connection,
      registry.address,
      lyingLogs((logs: RpcLog[]) => (logs.some((l) => same(l.topics[1], ids[0])) ? logs : [moved, ...logs])),
    );
    const err = await expectRejection(lying.auditRecords({ modelId, fromBlock: windowStart }), /before the search's first block/);
    expect(err).to.be.instanceOf(RecordLogMismatchError);
    expect(err).to.deep.include({ recordId: ids[0], field: "seq" });
  });

  it("a window starting after the last block expects nothing", async () => {
    const head = await publicClient.getBlockNumber();
    const audited = (await hiding().auditRecords({ modelId, fromBlock: head + 10n })).models[0];
    expect(audited.records).to.deep.equal([]);
  });

  it("a seq word with high bytes set is the node's lie (a RecordLogError), not a raw encoding error", async () => {
    // seq is the first data word; set its top byte.
    const widen = (l: RpcLog): RpcLog => ({ ...l, data: `0x01${l.data.slice(4)}` as Hex });
    const lying = lyingClient(connection, registry.address, lyingLogs((logs: RpcLog[]) => logs.map(widen)));
    for (const read of [() => lying.auditRecords({ modelId }), () => lying.getRecord({ recordId: ids[2], fromBlock: 0n })]) {
      const err = await read().then(
        () => new Error("resolved"),
        (e: unknown) => e as Error,
      );
      expect(err, `${err.name}: ${err.message.split("\n")[0]}`).to.be.instanceOf(RecordLogError);
      expect(err).to.be.instanceOf(UndecodableRecordLogError);
      expect(err.message).to.include("does not fit in a uint64");
    }
  });
});

describe("review: seq across batches, models and refused submissions in one block", () => {
  after(releaseEngine);

  it("each model's records in one block are its positions in execution order; a refused batch takes none; the audit checks them", async () => {
    const { registry, verifier, modelId: a } = await deployRegisteredModel(connection);
    const b = await registeredModelId(connection, await registry.write.registerModel([VK_DIGEST, verifier.address, ""]));
    const [wallet] = await viem.getWalletClients();
    const batch = (seeds: bigint[]) => seeds.map(inputsOf);
    const send = (model: Hex, seeds: bigint[], nonces: bigint[]) =>
      registry.write.submitInferences([model, batch(seeds).map((p) => pairingTestProof(key, p)), batch(seeds), seeds.map(() => ZERO_REF), nonces], { gas: 5_000_000n });
    await publicClient.waitForTransactionReceipt({ hash: await send(a, [1n], [1n]) });
    await connection.provider.request({ method: "evm_setAutomine", params: [false] });
    const hashes: Hex[] = [];
    try {
      hashes.push(await send(b, [2n, 3n], [1n, 2n]));
      hashes.push(await send(a, [4n, 5n], [2n, 3n]));
      // A batch repeating model a's record of nonce 1 (RecordExists): all or nothing.
      hashes.push(await send(a, [6n, 1n], [4n, 1n]));
      hashes.push(await send(b, [7n], [3n]));
      hashes.push(await send(a, [8n], [5n]));
      await connection.provider.request({ method: "evm_mine", params: [] });
    } finally {
      await connection.provider.request({ method: "evm_setAutomine", params: [true] });
    }
    const receipts = await Promise.all(hashes.map((hash) => publicClient.waitForTransactionReceipt({ hash })));
    expect(receipts.map((r) => r.status)).to.deep.equal(["success", "success", "reverted", "success", "success"]);
    expect(new Set(receipts.map((r) => r.blockNumber)).size).to.equal(1);
    const events = receipts.flatMap((r) => parseEventLogs({ abi: registry.abi, logs: r.logs, eventName: "InferenceRecorded" }));
    const seqs = (m: Hex) => events.filter((e) => same(e.args.modelId, m)).map((e) => e.args.seq);
    expect([seqs(a), seqs(b)]).to.deep.equal([
      [1n, 2n, 3n],
      [0n, 1n, 2n],
    ]);
    expect([await registry.read.recordCount([a]), await registry.read.recordCount([b])]).to.deep.equal([4n, 3n]);
    const client = lyingClient(connection, registry.address, lyingLogs((logs: RpcLog[]) => logs));
    for (const m of [a, b]) expect((await client.auditRecords({ modelId: m })).models[0].records.map((r) => r.seq)).to.deep.equal(m === a ? [0n, 1n, 2n, 3n] : [0n, 1n, 2n]);
    // By submitter, the two models' records interleave in the block: each model's stay in seq order.
    const mine = await client.listRecords({ submitter: wallet.account.address, fromBlock: receipts[0].blockNumber });
    expect(mine.records.map((r) => [same(r.modelId, a) ? "a" : "b", r.seq])).to.deep.equal([
      ["b", 0n],
      ["b", 1n],
      ["a", 1n],
      ["a", 2n],
      ["b", 2n],
      ["a", 3n],
    ]);
  });

  it("the registry's hashRecord and the SDK's recordHashOf agree on seq's encoding up to the uint64 limit", async () => {
    const { registry } = await deployRegisteredModel(connection);
    const words = {
      modelId: `0x${"11".repeat(32)}`,
      publicInputDigest: `0x${"22".repeat(32)}`,
      submitter: `0x${"55".repeat(20)}`,
      nonce: 2n ** 256n - 1n,
      version: 3,
      codeHash: `0x${"66".repeat(32)}`,
      timestamp: 1_700_000_000,
      inputHash: `0x${"33".repeat(32)}`,
      outputHash: `0x${"44".repeat(32)}`,
      ref: `0x${"77".repeat(32)}`,
    } as const;
    for (const seq of [0n, 1n, 2n ** 32n, 2n ** 56n, 2n ** 64n - 1n]) {
      const [recordId, onChain] = await registry.read.hashRecord([{ ...words, seq }]);
      expect(onChain, `seq ${seq}`).to.equal(recordHashOf({ ...words, recordId, seq, timestamp: BigInt(words.timestamp), reference: words.ref }));
    }
  });
});
