// Adversarial review of one-word records (c47788c): the bounties example lost "the first record".
// Before, settle paid the submitter of the registry's first record of the claim (_first), whoever
// called it. With isRecorded, settle paid the submitter of whichever genuine record its caller
// passed, so a copycat who read an honest prover's published proof, recorded it again under his
// own address after the prover's record was mined (no race in the mempool: the registry accepts a
// published proof from anyone under a new nonce) and called settle first took the bounty. FAILS on
// 7d3de22 (the copycat is paid and the first prover's settle reverts AlreadySettled). The example
// now pays the record with the lowest seq presented within a claim window (seq is bound by the
// record hash, so no one can present a later record as an earlier one).
import { expect } from "chai";
import { network } from "hardhat";
import { parseEventLogs, type Hex } from "viem";
import { releaseEngine } from "../../verifier/engine/bn254.js";
import { hashWords } from "../../sdk/index.js";
import { expectRejection } from "../helpers/assert.js";
import { deployRegisteredModel, TEST_KEY as key, ZERO_REF } from "../helpers/registry-fixture.js";
import { pairingTestProof } from "../contracts/pairing-test-prover.js";

const connection = await network.create();
const { viem } = connection;
const publicClient = await viem.getPublicClient();
const [, prover, sponsor, copycat] = await viem.getWalletClients();
const rpc = (method: string, params: unknown[] = []) => connection.provider.request({ method, params });
const mined = async (hash: Promise<Hex>) => publicClient.waitForTransactionReceipt({ hash: await hash });

after(releaseEngine);

describe("review: the bounties example pays the claim's first record, not a copy recorded later", () => {
  it("a copycat who records the prover's published proof again and settles first is not paid", async () => {
    const { registry, modelId } = await deployRegisteredModel(connection);
    const codeHash = (await registry.read.getVersion([1])).codeHash;
    const bounties = await viem.deployContract("InferenceBounties", [registry.address, modelId, codeHash]);
    const as = (wallet: typeof prover) => ({ client: { wallet } }) as const;
    const inputs = [7n, 8n, 9n, 10n];
    const inputHash = hashWords(inputs.slice(0, 2));
    const outputs = inputs.slice(2);
    const amount = 10n ** 18n;
    await mined((await viem.getContractAt("InferenceBounties", bounties.address, as(sponsor))).write.post([inputHash], { value: amount }));

    // The prover records first; the proof is now public (calldata of a mined transaction).
    const proof = pairingTestProof(key, inputs);
    const recordOf = async (wallet: typeof prover, nonce: bigint) => {
      const r = await viem.getContractAt("InferenceRegistry", registry.address, as(wallet));
      const receipt = await mined(r.write.submitInference([modelId, proof, inputs, ZERO_REF, nonce]));
      const [event] = parseEventLogs({ abi: registry.abi, logs: receipt.logs, eventName: "InferenceRecorded" });
      const a = event.args;
      return { modelId, publicInputDigest: a.publicInputDigest, submitter: a.submitter, nonce: a.nonce, version: a.version, codeHash, timestamp: a.timestamp, seq: a.seq, inputHash: a.inputHash, outputHash: hashWords(a.outputs), ref: a.ref };
    };
    const first = await recordOf(prover, 1n);
    // The copycat records the same proof in a later block and settles before the prover does.
    const copy = await recordOf(copycat, 1n);
    expect(copy.seq > first.seq, "the copy comes later").to.equal(true);
    const balance = (w: typeof prover) => publicClient.getBalance({ address: w.account.address });
    const copycatBefore = await balance(copycat);
    await mined((await viem.getContractAt("InferenceBounties", bounties.address, as(copycat))).write.settle([copy, outputs]));
    // The prover's earlier record takes the claim over; the copy cannot take it back.
    await mined((await viem.getContractAt("InferenceBounties", bounties.address, as(prover))).write.settle([first, outputs]));
    await expectRejection(bounties.write.settle([copy, outputs]), /NotFirst/);
    await expectRejection(bounties.write.pay([inputHash]), /ClaimOpen/);

    await rpc("evm_increaseTime", [Number(await bounties.read.CLAIM_WINDOW()) + 1]);
    const proverBefore = await balance(prover);
    await mined(bounties.write.pay([inputHash]));
    expect((await balance(prover)) - proverBefore, "the first record's submitter is paid").to.equal(amount);
    expect((await balance(copycat)) < copycatBefore, "the copycat gains nothing (it paid gas)").to.equal(true);
    await expectRejection(bounties.write.pay([inputHash]), /AlreadySettled/);
    await expectRejection(bounties.write.settle([first, outputs]), /AlreadySettled/);
  });
});
