// Each record carries its position among its model's records (seq: the model's recordCount before
// it), in its InferenceRecorded event and bound by its stored entry hash (the record hash since issue 21). Before seq, records made
// in one block had no stored order (the same stored time), so a node could list them in any order,
// and an audit that found logs missing could say how many, not which. These tests have a node swap
// two records of one block (FAILS without the seq order check: same timestamps pass
// expectStoredOrder), drop records (the audit names their positions), hide one from a partial audit,
// and show a hidden record in a later poll of a watch.
import { expect } from "chai";
import { network } from "hardhat";
import { parseEventLogs, type Hex } from "viem";
import { releaseEngine } from "../../verifier/engine/bn254.js";
import { auditReportText, MissingRecordLogsError, RecordLogMismatchError, type InferenceRecord } from "../../sdk/index.js";
import { expectRejection } from "../helpers/assert.js";
import { deployRegisteredModel, lyingClient, lyingLogs, withoutRecords, sameWord as same, TEST_KEY as key, ZERO_REF, type LogFilter, type RpcLog } from "../helpers/registry-fixture.js";
import { pairingTestProof } from "../contracts/pairing-test-prover.js";

const connection = await network.create();
const { viem } = connection;
const publicClient = await viem.getPublicClient();
const [owner] = await viem.getWalletClients();

const inputsOf = (seed: bigint): bigint[] => [seed, seed + 1n, seed + 2n, seed + 3n];

describe("review: a record's position (seq) fixes the order of a model's records, in one block as across blocks", () => {
  let registry: Awaited<ReturnType<typeof deployRegisteredModel>>["registry"];
  let modelId: Hex;
  /** Four records of the model made in one block (one batch), in the order the registry made them. */
  let ids: Hex[];
  let block: bigint;

  before(async () => {
    ({ registry, modelId } = await deployRegisteredModel(connection));
    const batch = [10n, 20n, 30n, 40n].map(inputsOf);
    const hash = await registry.write.submitInferences([modelId, batch.map((p) => pairingTestProof(key, p)), batch, batch.map(() => ZERO_REF), [1n, 2n, 3n, 4n]]);
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    const events = parseEventLogs({ abi: registry.abi, logs: receipt.logs, eventName: "InferenceRecorded" });
    expect(events.map((e) => e.args.seq)).to.deep.equal([0n, 1n, 2n, 3n]);
    ids = events.map((e) => e.args.recordId);
    block = receipt.blockNumber;
  });
  after(releaseEngine);

  const honest = () => lyingClient(connection, registry.address, lyingLogs((logs: RpcLog[]) => logs));
  const hiding = (...hidden: number[]) => lyingClient(connection, registry.address, lyingLogs(withoutRecords(...hidden.map((i) => ids[i]))));

  it("an honest node lists the records with positions 0 … 3, and the audit shows them", async () => {
    const audited = (await honest().auditRecords({ modelId })).models[0];
    expect(audited.records.map((r) => [r.id, r.seq])).to.deep.equal(ids.map((id, i) => [id, BigInt(i)]));
    expect(auditReportText(registry.address, { models: [audited] })).to.include(`record ${ids[2]} (position 2 of the model)`);
  });

  it("a node swapping two records of one block (their log indices) is refused by auditRecords and listRecords, naming both positions", async () => {
    // Every word of both logs is genuine and the block is the same: only the log indices change.
    const swapIndices = (logs: RpcLog[]): RpcLog[] => {
      const [a, b] = [0, 1].map((i) => logs.findIndex((l) => same(l.topics[1], ids[i])));
      if (a < 0 || b < 0) return logs;
      const out = [...logs];
      out[a] = { ...logs[a], logIndex: logs[b].logIndex };
      out[b] = { ...logs[b], logIndex: logs[a].logIndex };
      return out;
    };
    const swapping = lyingClient(connection, registry.address, lyingLogs(swapIndices));
    for (const [what, read] of [
      ["auditRecords", () => swapping.auditRecords({ modelId })],
      ["listRecords by model", () => swapping.listRecords({ modelId })],
      ["listRecords by submitter", () => swapping.listRecords({ submitter: owner.account.address, fromBlock: 0n })],
    ] as const) {
      const err = await expectRejection(read(), /place among the logs/);
      expect(err, what).to.be.instanceOf(RecordLogMismatchError);
      expect((err as RecordLogMismatchError).recordId, what).to.equal(ids[0]);
      expect(err.message, what).to.include(`after record ${ids[1]} (record 1 of model ${modelId})`).and.include("record 0 of the model, which comes earlier");
    }
    // One record read alone has no neighbour to be out of order with.
    expect((await swapping.getRecord({ recordId: ids[0], fromBlock: 0n })).seq).to.equal(0n);
  });

  it("an audit through a node that drops records names the positions without a log", async () => {
    const one = await expectRejection(hiding(1).auditRecords({ modelId }), /has no log/);
    expect(one).to.be.instanceOf(MissingRecordLogsError);
    expect(one).to.deep.include({ modelId, found: 3, stored: 4, missing: [1n], missingCount: 1n, partial: false });
    expect(one.message).to.include(`model ${modelId}: record 1 (of 0…3) has no log`);
    const two = await expectRejection(hiding(0, 3).auditRecords({ modelId }), /have no log/);
    expect(two).to.deep.include({ found: 2, missing: [0n, 3n], missingCount: 2n });
    expect(two.message).to.include("records 0 and 3 (of 0…3) have no log");
  });

  it("an audit from after the registration still requires every record made from its first block on", async () => {
    const fromBlock = block;
    expect(fromBlock > (await honest().getModel({ modelId })).registeredAtBlock).to.equal(true);
    // Record 2 was made after record 1, which the node shows: its log is missing.
    const err = await expectRejection(hiding(2).auditRecords({ modelId, fromBlock }), /has no log/);
    expect(err).to.deep.include({ missing: [2n], missingCount: 1n, partial: true });
    // Record 0 was made in the search's first block too (the model counted no record before it).
    const first = await expectRejection(hiding(0).auditRecords({ modelId, fromBlock }), /has no log/);
    expect(first).to.deep.include({ missing: [0n], missingCount: 1n, partial: true });
    // From the next block on, the batch's records are before the search: none is expected.
    const partial = (await hiding(0).auditRecords({ modelId, fromBlock: fromBlock + 1n })).models[0];
    expect([partial.countChecked, partial.records]).to.deep.equal([false, []]);
  });

  /** Runs a watch through `client` until `done` holds (or about 4 s), mining one block half-way. */
  async function watch(client: ReturnType<typeof honest>, filter: { modelId?: Hex; submitter?: Hex }, done: (got: InferenceRecord[], errors: Error[]) => boolean) {
    const got: InferenceRecord[] = [];
    const errors: Error[] = [];
    const stop = client.watchRecords({ ...filter, fromBlock: block, pollingIntervalMs: 20, onRecords: (r) => got.push(...r), onError: (e) => errors.push(e) });
    try {
      for (let i = 0; i < 100 && !done(got, errors); i++) await new Promise((r) => setTimeout(r, 20));
      await connection.provider.request({ method: "evm_mine", params: [] });
      for (let i = 0; i < 100 && !done(got, errors); i++) await new Promise((r) => setTimeout(r, 20));
    } finally {
      stop();
    }
    return { got, errors };
  }

  /** A node that hides record 0 from the poll of its block and shows its genuine log in later polls. */
  function showingLate() {
    let hidden: RpcLog | undefined;
    return lyingClient(connection, registry.address, (method, params, answer) => {
      if (method !== "eth_getLogs") return answer;
      const logs = answer as RpcLog[];
      const zero = logs.find((l) => same(l.topics[1], ids[0]));
      if (zero) {
        hidden = zero;
        return logs.filter((l) => l !== zero);
      }
      return hidden ? [...logs, { ...hidden, blockNumber: (params[0] as LogFilter).fromBlock ?? hidden.blockNumber }] : logs;
    });
  }

  it("an honest node's watch of the model reports positions 0 … 3 and nothing else", async () => {
    const { got, errors } = await watch(honest(), { modelId }, (got) => got.length >= 4);
    expect(got.map((r) => r.seq)).to.deep.equal([0n, 1n, 2n, 3n]);
    expect(errors).to.deep.equal([]);
  });

  it("watchRecords of a model or of all models refuses a poll whose records leave a position out (first, middle or newest), and reports none of it", async () => {
    for (const [filter, hidden, missing] of [
      [{ modelId }, [0], [0n]],
      [{ modelId }, [1, 2], [1n, 2n]],
      [{ modelId }, [3], [3n]],
      [{}, [0], [0n]],
      [{}, [2], [2n]],
      [{}, [3], [3n]],
    ] as const) {
      const { got, errors } = await watch(hiding(...hidden), filter, (_, errors) => errors.length >= 2);
      const what = `${filter.modelId ? "by model" : "all models"}, hiding ${hidden.join(", ")}`;
      expect(got, what).to.deep.equal([]);
      expect(errors.length, what).to.be.at.least(1);
      expect(errors[0], what).to.be.instanceOf(MissingRecordLogsError);
      expect(errors[0], what).to.deep.include({ modelId, stored: 4, missing: [...missing], missingCount: BigInt(missing.length), partial: true, reading: "watch" });
      expect(errors[0].message, what).to.include("the watch is incomplete");
    }
  });

  it("a model whose every record the node hides is caught by a watch of that model, not by a watch of all models (documented)", async () => {
    const byModel = await watch(hiding(0, 1, 2, 3), { modelId }, (_, errors) => errors.length > 0);
    expect(byModel.errors[0]).to.deep.include({ missing: [0n, 1n, 2n, 3n], found: 0 });
    // Watching all models, a count is read only for a model a poll shows.
    const all = await watch(hiding(0, 1, 2, 3), {}, () => false);
    expect([all.got, all.errors]).to.deep.equal([[], []]);
  });

  it("watchRecords refuses the record hidden from its block's poll when it is shown later, by model (missing) or by submitter (out of order)", async () => {
    const byModel = await watch(showingLate(), { modelId }, (_, errors) => errors.length >= 2);
    expect(byModel.got).to.deep.equal([]);
    expect(byModel.errors[0]).to.be.instanceOf(MissingRecordLogsError);
    expect(byModel.errors[0]).to.deep.include({ missing: [0n] });
    // A submitter's records have gaps of other submitters' records, so that watch cannot count
    // them; it still refuses the late record by its place.
    const bySubmitter = await watch(showingLate(), { submitter: owner.account.address }, (_, errors) => errors.length > 0);
    expect(bySubmitter.got.map((r) => r.seq)).to.deep.equal([1n, 2n, 3n]);
    expect(bySubmitter.errors.length, "the watch took record 0 after record 3").to.be.above(0);
    expect(bySubmitter.errors[0]).to.be.instanceOf(RecordLogMismatchError);
    expect(bySubmitter.errors[0].message).to.include(`after record ${ids[3]} (record 3 of model ${modelId})`).and.include("record 0 of the model, which comes earlier");
  });
});
