// Adversarial review of records5 (issue 18, round 4): attacks on the two-slot records that fail, kept
// as regression tests. The SDK's entryHashOf is the registry's entryHash bit for bit (extreme words
// included); a record id names its submitter, so no one can take an honest submitter's id by
// front-running it with the same public inputs and nonce; a batch's records read back through the
// SDK's checks of every log word; a log emitted by another contract at another address, or naming a
// record the registry does not hold, is refused.
import { expect } from "chai";
import { network } from "hardhat";
import type { Hex } from "viem";
import { releaseEngine } from "../../verifier/engine/bn254.js";
import { entryHashOf, RecordLogMismatchError } from "../../sdk/index.js";
import { expectRejection } from "../helpers/assert.js";
import { deployRegisteredModel, lyingClient, lyingLogs, TEST_KEY as key, type RpcLog } from "../helpers/registry-fixture.js";
import { pairingTestProof } from "../contracts/pairing-test-prover.js";

const connection = await network.create();
const { viem } = connection;
const publicClient = await viem.getPublicClient();
const [owner, rival] = await viem.getWalletClients();

const fixture = () => deployRegisteredModel(connection);
const clientThrough = (registry: Hex, lie: (logs: RpcLog[]) => RpcLog[] = (logs) => logs) => lyingClient(connection, registry, lyingLogs(lie));

describe("review: attacks on two-slot records that fail", () => {
  after(releaseEngine);

  it("entryHashOf is the registry's entryHash, for zero, maximal and mixed words", async () => {
    const { registry } = await fixture();
    const max = `0x${"ff".repeat(32)}` as Hex;
    const zero = `0x${"00".repeat(32)}` as Hex;
    const cases: [Hex, Hex, Hex, Hex, bigint, bigint][] = [
      [zero, zero, zero, zero, 0n, 0n],
      [max, max, max, max, 2n ** 256n - 1n, 2n ** 64n - 1n],
      [`0x${"01".repeat(32)}`, zero, max, `0x${"80".padEnd(64, "0")}`, 1n, 7n],
    ];
    for (const [publicInputDigest, inputHash, outputHash, reference, nonce, seq] of cases) {
      expect(entryHashOf({ publicInputDigest, inputHash, outputHash, reference, nonce, seq })).to.equal(await registry.read.entryHash([publicInputDigest, inputHash, outputHash, reference, nonce, seq]));
    }
  });

  it("a rival who front-runs the same public inputs and nonce makes their own record; the honest submission still goes through", async () => {
    const { registry, modelId } = await fixture();
    const inputs = [5n, 6n, 7n, 8n];
    const proof = pairingTestProof(key, inputs);
    const asRival = await viem.getContractAt("InferenceRegistry", registry.address, { client: { wallet: rival } });
    await publicClient.waitForTransactionReceipt({ hash: await asRival.write.submitInference([modelId, proof, inputs, `0x${"00".repeat(32)}`, 1n]) });
    await publicClient.waitForTransactionReceipt({ hash: await registry.write.submitInference([modelId, proof, inputs, `0x${"00".repeat(32)}`, 1n]) });
    const ours = await registry.read.computeRecordId([modelId, inputs, owner.account.address, 1n]);
    expect((await registry.read.getRecord([ours])).submitter.toLowerCase()).to.equal(owner.account.address.toLowerCase());
    expect(await registry.read.recordCount([modelId])).to.equal(2n);
  });

  it("a batch's records read back through the SDK's log checks (entry hash, outputs, count)", async () => {
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
