// Adversarial review 5 of the record-log fixes (812a5ed, 8f87b6f): recordsOfLogs refuses a repeat
// within one batch of logs, and auditRecords across its pages, and the count check compares distinct
// records of the model with recordCount. Two gaps remain (FAILS: the attack works):
//  - watchRecords keeps no memory across polls: a node that hands back the same genuine log in every
//    poll (placed in the newly polled blocks) makes onRecords report one record again and again, so
//    a consumer counting or paying per reported record is fooled.
//  - auditRecords accepts more records than the count it read ("added after it was read") and reads
//    storage at the latest block, so a node can hide a record and fill its place with one made after
//    the count was read (anyone can make one: resubmit a published proof under a new nonce). The
//    audit then passes its count check (countChecked true) without the hidden record.
// Fixed: watchRecords refuses a record it already reported (RecordLogMismatchError via onError);
// auditRecords reads recordCount and every listed record at its toBlock, so a record made later is
// refused ("no such record") instead of counted.
// Secure: a record is reported once per watch; an audit whose count is checked lists every record
// counted (or refuses with a ZkinferError).
import { expect } from "chai";
import { network } from "hardhat";
import type { Hex } from "viem";
import { releaseEngine } from "../../verifier/engine/bn254.js";
import { RecordLogError, ZkinferError, type InferenceRecord } from "../../sdk/index.js";
import { recordedBefore } from "../../sdk/internal/submissions.js";
import {
  allLogs,
  deployRegisteredModel,
  lyingClient as lyingClientOf,
  sameWord as same,
  settle,
  TEST_KEY as key,
  ZERO_REF,
  type LogFilter,
  type RpcLog,
} from "../helpers/registry-fixture.js";
import { pairingTestProof } from "../contracts/pairing-test-prover.js";

const connection = await network.create();
const { viem } = connection;
const publicClient = await viem.getPublicClient();
const [owner] = await viem.getWalletClients();

describe("review: a node repeating a log across polls, or filling a hidden record's place with a later one", () => {
  let registry: Awaited<ReturnType<typeof deployRegisteredModel>>["registry"];
  let modelA: Hex;
  let registration: Hex;
  const records: Hex[] = [];
  let nonce = 0n;

  async function submit(publicInputs: bigint[]): Promise<Hex> {
    nonce += 1n;
    const id = await registry.read.computeRecordId([modelA, publicInputs, owner.account.address, nonce]);
    await publicClient.waitForTransactionReceipt({ hash: await registry.write.submitInference([modelA, pairingTestProof(key, publicInputs), publicInputs, ZERO_REF, nonce]) });
    return id;
  }
  const logsOfRegistry = () => allLogs(connection, registry.address);
  const lyingClient = (lie: (method: string, params: unknown[], answer: unknown) => unknown) => lyingClientOf(connection, registry.address, lie);

  before(async () => {
    ({ registry, registration, modelId: modelA } = await deployRegisteredModel(connection));
    records.push(await submit([5n, 6n, 7n, 8n]), await submit([1n, 2n, 3n, 4n]));
  });
  after(releaseEngine);

  it("watchRecords reports a record once, though the node hands its log back in every poll", async () => {
    const first = (await logsOfRegistry()).find((l) => same(l.topics[1], records[0]))!;
    const lying = lyingClient((method, params, answer) => {
      if (method !== "eth_getLogs") return answer;
      const topics = (params[0] as LogFilter).topics;
      if (!(same(topics?.[2], modelA) || topics?.[3])) return answer;
      // The same genuine log, placed in the first block this poll asked for.
      return [{ ...first, blockNumber: (params[0] as LogFilter).fromBlock ?? first.blockNumber }];
    });
    const watch = async (filter: { modelId?: Hex; submitter?: Hex }) => {
      const got: InferenceRecord[] = [];
      const errors: Error[] = [];
      const head = await publicClient.getBlockNumber();
      const stop = lying.watchRecords({ ...filter, fromBlock: head + 1n, pollingIntervalMs: 20, onRecords: (r) => got.push(...r), onError: (e) => errors.push(e) });
      try {
        for (let poll = 0; poll < 3; poll++) {
          const before = got.length + errors.length;
          await connection.provider.request({ method: "evm_mine", params: [] });
          for (let i = 0; i < 200 && got.length + errors.length === before; i++) await new Promise((r) => setTimeout(r, 20));
        }
      } finally {
        stop();
      }
      return { ids: got.map((r) => r.id), errors };
    };
    // Watching a submitter (no count to check): reported once, refused after.
    const bySubmitter = await watch({ submitter: owner.account.address });
    expect(bySubmitter.ids.length, `the watch reported nothing at all (${bySubmitter.errors.map((e) => e.message).join("; ")})`).to.be.above(0);
    expect(bySubmitter.ids, `record ${records[0]} reported ${bySubmitter.ids.length} times by one watch`).to.deep.equal([...new Set(bySubmitter.ids)]);
    // Watching the model: a record made before the watch's first block is never reported.
    const byModel = await watch({ modelId: modelA });
    expect(byModel.ids).to.deep.equal([]);
    expect(byModel.errors.length).to.be.above(0);
    expect(byModel.errors[0]).to.be.instanceOf(RecordLogError);
    expect(byModel.errors[0].message).to.include("whose seq is 0").and.include("made before the watch's first block");
  });

  it("auditRecords with its count checked lists the record the node hid, though a later record fills its place", async () => {
    let filled = false;
    const lying = lyingClient(async (method, params, answer) => {
      if (method !== "eth_getLogs" || !same((params[0] as LogFilter).topics?.[2], modelA)) return answer;
      // recordCount (2) and the latest block are read; now a new record of the model is made
      // (anyone can resubmit a published proof under a new nonce) and shown in the hidden one's place.
      if (!filled) {
        filled = true;
        records.push(await submit([5n, 6n, 7n, 8n]));
      }
      const late = (await logsOfRegistry()).find((l) => same(l.topics[1], records[records.length - 1]))!;
      const toBlock = (params[0] as { toBlock: Hex }).toBlock;
      return [...(answer as RpcLog[]).filter((l) => !same(l.topics[1], records[1])), { ...late, blockNumber: toBlock }];
    });
    const { value, error } = await settle(lying.auditRecords({ modelId: modelA }));
    if (error !== undefined) return void expect(error).to.be.instanceOf(ZkinferError);
    const audited = value!.models[0];
    expect(audited.countChecked).to.equal(true);
    expect(
      audited.records.map((r) => r.id),
      `the audit passed its count check (${audited.storedRecordCount}) with record ${records[1]} hidden and a later record in its place`,
    ).to.include(records[1]);
  });

  // Added with the fix: a resend's look-up (recordedBefore) returned the receipt of whatever
  // transaction the node's log named, here the model's registration.
  it("a resend of a recorded submission refuses a log naming another transaction than the one that made it", async () => {
    const lying = lyingClient(
      (method, params, answer) =>
        method === "eth_getLogs" && same((params[0] as LogFilter).topics?.[1], records[0])
          ? (answer as RpcLog[]).map((l) => ({ ...l, transactionHash: registration }))
          : answer,
    );
    // What submitInference and submitInferences ask before sending (their proofs must be real ones).
    const { value, error } = await settle(recordedBefore(lying, records[0], ZERO_REF));
    expect(value?.hash, "the look-up returned the registration's receipt as the one that made the record").to.equal(undefined);
    expect(error).to.be.instanceOf(RecordLogError);
  });
});
