// Adversarial review of recseq (seq in records). An audit from a block later than the model's
// registration expected the positions from the first record the node showed on: a node hiding the
// earliest records of the window (or every one, by showing none) passed, though storage says how
// many records the model had before the window (recordCount at the block before it). FAILS on
// d34f15b: the "earliest hidden" and "all hidden" cases pass. Also: a seq word with high bytes set
// reached entryHashOf as a raw viem IntegerOutOfRangeError (zkinfer audit exit 3, not the node's
// lie, exit 1). FAILS on d34f15b.
import { expect } from "chai";
import { network } from "hardhat";
import { parseEventLogs, type Hex } from "viem";
import { releaseEngine } from "../../verifier/engine/bn254.js";
import { MissingRecordLogsError, RecordLogError, RecordLogMismatchError, UndecodableRecordLogError } from "../../sdk/index.js";
import { expectRejection } from "../helpers/assert.js";
import { allLogs, deployRegisteredModel, lyingClient, lyingLogs, sameWord as same, TEST_KEY as key, ZERO_REF, type RpcLog } from "../helpers/registry-fixture.js";
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

  const hiding = (...hidden: number[]) =>
    lyingClient(
      connection,
      registry.address,
      lyingLogs((logs: RpcLog[]) => logs.filter((l) => !hidden.some((i) => same(l.topics[1], ids[i])))),
    );

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
