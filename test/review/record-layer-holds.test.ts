// Adversarial review of records5 (issue 18, round 4): attacks on the records that fail, kept as
// regression tests (written for two-slot records; records store one word since issue 21). The SDK's
// recordHashOf is the registry's hashRecord bit for bit (extreme words included); a record id names its submitter, so no one can take an honest submitter's id by
// front-running it with the same public inputs and nonce; a batch's records read back through the
// SDK's checks of every log word; a log emitted by another contract at another address, or naming a
// record the registry does not hold, is refused.
import { expect } from "chai";
import { network } from "hardhat";
import type { Hex } from "viem";
import { releaseEngine } from "../../verifier/engine/bn254.js";
import { computeRecordId, recordHashOf, recordIdOfDigest, RecordLogMismatchError } from "../../sdk/index.js";
import { expectRejection } from "../helpers/assert.js";
import { deployRegisteredModel, lyingClient, lyingLogs, TEST_KEY as key, type RpcLog } from "../helpers/registry-fixture.js";
import { pairingTestProof } from "../contracts/pairing-test-prover.js";

const connection = await network.create();
const { viem } = connection;
const publicClient = await viem.getPublicClient();
const [owner, rival] = await viem.getWalletClients();

const fixture = () => deployRegisteredModel(connection);
const clientThrough = (registry: Hex, lie: (logs: RpcLog[]) => RpcLog[] = (logs) => logs) => lyingClient(connection, registry, lyingLogs(lie));

describe("review: attacks on records that fail", () => {
  after(releaseEngine);

  it("recordHashOf and computeRecordId are the registry's hashRecord, for zero, maximal and mixed words", async () => {
    const { registry } = await fixture();
    const max = `0x${"ff".repeat(32)}` as Hex;
    const zero = `0x${"00".repeat(32)}` as Hex;
    const account = (h: Hex) => `0x${h.slice(2, 42)}` as Hex;
    const cases: [Hex, bigint, number, Hex, number, bigint][] = [
      [zero, 0n, 0, zero, 0, 0n],
      [max, 2n ** 256n - 1n, 2 ** 32 - 1, max, 2 ** 48 - 1, 2n ** 64n - 1n],
      [`0x${"01".repeat(32)}`, 1n, 7, `0x${"80".padEnd(64, "0")}`, 1_700_000_000, 7n],
    ];
    for (const [word, nonce, version, other, timestamp, seq] of cases) {
      const words = { modelId: word, publicInputDigest: other, submitter: account(word), nonce, version, codeHash: other, timestamp, seq, inputHash: word, outputHash: other, ref: word };
      const [recordId, hash] = await registry.read.hashRecord([words]);
      expect(recordId).to.equal(recordIdOfDigest({ modelId: word, publicInputDigest: other, submitter: account(word), nonce }));
      expect(hash).to.equal(recordHashOf({ ...words, recordId, timestamp: BigInt(timestamp), reference: word }));
    }
    // and the id over public inputs, as submissions compute it
    const submitter = owner.account.address;
    expect(await registry.read.computeRecordId([zero, [1n, 2n ** 256n - 1n], submitter, 3n])).to.equal(computeRecordId({ modelId: zero, publicInputs: [1n, 2n ** 256n - 1n], submitter, nonce: 3n }));
  });

  it("a rival who front-runs the same public inputs and nonce makes their own record; the honest submission still goes through", async () => {
    const { registry, modelId } = await fixture();
    const inputs = [5n, 6n, 7n, 8n];
    const proof = pairingTestProof(key, inputs);
    const asRival = await viem.getContractAt("InferenceRegistry", registry.address, { client: { wallet: rival } });
    await publicClient.waitForTransactionReceipt({ hash: await asRival.write.submitInference([modelId, proof, inputs, `0x${"00".repeat(32)}`, 1n]) });
    await publicClient.waitForTransactionReceipt({ hash: await registry.write.submitInference([modelId, proof, inputs, `0x${"00".repeat(32)}`, 1n]) });
    const ours = await registry.read.computeRecordId([modelId, inputs, owner.account.address, 1n]);
    const theirs = await registry.read.computeRecordId([modelId, inputs, rival.account.address, 1n]);
    expect(ours).to.not.equal(theirs);
    const zero = `0x${"00".repeat(32)}` as Hex;
    expect([await registry.read.recordHash([ours]), await registry.read.recordHash([theirs])].map((h) => h !== zero)).to.deep.equal([true, true]);
    const client = clientThrough(registry.address);
    expect((await client.getRecord({ recordId: ours })).submitter.toLowerCase()).to.equal(owner.account.address.toLowerCase());
    expect(await registry.read.recordCount([modelId])).to.equal(2n);
  });

  it("a batch's records read back through the SDK's log checks (record hash, outputs, count)", async () => {
    const { registry, modelId } = await fixture();
    const inputs = [[1n, 2n, 3n, 4n], [9n, 8n, 7n, 6n]];
    const refs: [Hex, Hex] = [`0x${"4e".repeat(32)}`, `0x${"00".repeat(31)}01`];
    await publicClient.waitForTransactionReceipt({
      hash: await registry.write.submitInferences([modelId, inputs.map((i) => pairingTestProof(key, i)), inputs, refs, [10n, 11n]]),
    });
    const report = await clientThrough(registry.address).auditRecords({ modelId });
    const records = report.models[0].records;
    expect(records.map((r) => [r.outputs, r.reference, r.nonce])).to.deep.equal([
      [[3n, 4n], refs[0], 10n],
      [[7n, 6n], refs[1], 11n],
    ]);
  });

  it("a log of another contract, or of a record the registry does not hold, is refused", async () => {
    const { registry, modelId } = await fixture();
    const inputs = [1n, 2n, 3n, 4n];
    await publicClient.waitForTransactionReceipt({ hash: await registry.write.submitInference([modelId, pairingTestProof(key, inputs), inputs, `0x${"00".repeat(32)}`, 1n]) });
    const other = `0x${"12".repeat(20)}` as Hex;
    const moved = clientThrough(registry.address, (logs) => logs.map((l) => ({ ...l, address: other })));
    expect(await expectRejection(moved.auditRecords({ modelId }), /not the registry's record/)).to.be.instanceOf(RecordLogMismatchError);
    const invented = clientThrough(registry.address, (logs) => logs.map((l) => ({ ...l, topics: [l.topics[0], `0x${"99".repeat(32)}` as Hex, ...l.topics.slice(2)] })));
    expect(await expectRejection(invented.auditRecords({ modelId }), /no such record|not the registry's record/)).to.be.instanceOf(RecordLogMismatchError);
  });
});
