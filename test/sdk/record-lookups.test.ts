// The SDK's lookups without a stored index (records store one word since issue 21): getLatestRecord
// and findInference answer from the model's events, each candidate checked against the stored
// record hash. Other submitters' records and records of other code never answer; a log a node
// rewrites to look like an answer is refused, not taken.
import { expect } from "chai";
import { network } from "hardhat";
import { keccak256, type Hex } from "viem";
import { releaseEngine } from "../../verifier/engine/bn254.js";
import { hashWords, RecordLogMismatchError } from "../../sdk/index.js";
import { expectRejection } from "../helpers/assert.js";
import { deployRegisteredModel, lyingClient, lyingLogs, TEST_KEY as key, ZERO_REF, type RpcLog } from "../helpers/registry-fixture.js";
import { pairingTestProof } from "../contracts/pairing-test-prover.js";

const connection = await network.create();
const { viem } = connection;
const publicClient = await viem.getPublicClient();
const [owner, rival] = await viem.getWalletClients();

// The fixture's layout: public inputs 0, 1 are the input, 2, 3 the outputs.
const inputs = (x: bigint, y: bigint): bigint[] => [x, x + 1n, y, y + 1n];
const honestClient = (registry: Hex) => lyingClient(connection, registry, lyingLogs((logs: RpcLog[]) => logs));

describe("sdk lookups from the events: getLatestRecord and findInference", () => {
  after(releaseEngine);

  it("getLatestRecord is the submitter's record of the input with the highest seq; another submitter's later record of it changes nothing", async () => {
    const { registry, modelId } = await deployRegisteredModel(connection);
    const asRival = await viem.getContractAt("InferenceRegistry", registry.address, { client: { wallet: rival } });
    const submit = async (contract: typeof registry, pi: bigint[], nonce: bigint) =>
      publicClient.waitForTransactionReceipt({ hash: await contract.write.submitInference([modelId, pairingTestProof(key, pi), pi, ZERO_REF, nonce]) });
    const pi = inputs(10n, 20n);
    await submit(registry, pi, 1n);
    await submit(registry, inputs(30n, 40n), 2n);
    await submit(registry, pi, 3n);
    await submit(asRival, pi, 4n);
    const client = honestClient(registry.address);
    const inputHash = hashWords(pi.slice(0, 2));
    const latest = await client.getLatestRecord({ modelId, submitter: owner.account.address, inputHash });
    expect([latest?.nonce, latest?.seq]).to.deep.equal([3n, 2n]);
    expect((await client.getLatestRecord({ modelId, submitter: rival.account.address, inputHash }))?.nonce).to.equal(4n);
    expect(await client.getLatestRecord({ modelId, submitter: owner.account.address, inputHash: hashWords([1n, 2n]) })).to.equal(undefined);
  });

  it("findInference is the model's first record of the claim under the code hash asked for; a node rewriting another log into the claim is refused", async () => {
    const { registry, modelId } = await deployRegisteredModel(connection);
    const codeHash = (await registry.read.getVersion([1])).codeHash;
    const claimed = inputs(50n, 60n);
    const other = inputs(70n, 80n);
    for (const [pi, nonce] of [[other, 1n], [claimed, 2n], [claimed, 3n]] as const) {
      await publicClient.waitForTransactionReceipt({ hash: await registry.write.submitInference([modelId, pairingTestProof(key, pi), pi, ZERO_REF, nonce]) });
    }
    const claim = { modelId, codeHash, inputHash: hashWords(claimed.slice(0, 2)), outputs: claimed.slice(2) };
    const found = await honestClient(registry.address).findInference(claim);
    expect([found?.nonce, found?.seq]).to.deep.equal([2n, 1n]);
    expect(await honestClient(registry.address).findInference({ ...claim, codeHash: keccak256("0x") })).to.equal(undefined);
    expect(await honestClient(registry.address).findInference({ ...claim, outputs: [claimed[2], claimed[3] + 1n] })).to.equal(undefined);
    // The node rewrites the first record's log (another input) to show the claim's input and outputs.
    const otherId = await registry.read.computeRecordId([modelId, other, owner.account.address, 1n]);
    const word = (x: bigint) => x.toString(16).padStart(64, "0");
    const forge = (logs: RpcLog[]) =>
      logs.map((l) => {
        if (l.topics[1]?.toLowerCase() !== otherId.toLowerCase()) return l;
        const words = l.data.slice(2).match(/.{64}/g)!;
        // seq, version, timestamp, publicInputDigest, inputHash, ref, nonce, offset, length, outputs
        words[4] = claim.inputHash.slice(2);
        words[9] = word(claimed[2]);
        words[10] = word(claimed[3]);
        return { ...l, data: `0x${words.join("")}` as Hex };
      });
    const err = await expectRejection(lyingClient(connection, registry.address, lyingLogs(forge)).findInference(claim), /not the registry's record/);
    expect(err).to.be.instanceOf(RecordLogMismatchError);
    expect((err as RecordLogMismatchError).recordId).to.equal(otherId);
  });
});
