// Adversarial review of one-word records (c47788c): findInference answers from the events and
// checked every candidate log of the claim against storage before returning the first, so each
// later copy of the claim (anyone may record a published proof again under a new nonce) cost every
// later findInference of that claim one more storage read: a later submitter raised the cost of
// an earlier one's query without bound. FAILS on 7d3de22 (one recordHash read per copy). The
// search now checks candidates in seq order and stops at the first one that answers.
import { expect } from "chai";
import { network } from "hardhat";
import { toFunctionSelector, type Hex } from "viem";
import { releaseEngine } from "../../verifier/engine/bn254.js";
import { hashWords } from "../../sdk/index.js";
import { lyingClient, deployRegisteredModel, TEST_KEY as key, ZERO_REF } from "../helpers/registry-fixture.js";
import { pairingTestProof } from "../contracts/pairing-test-prover.js";

const connection = await network.create();
const { viem } = connection;
const publicClient = await viem.getPublicClient();
const [, prover, copycat] = await viem.getWalletClients();
const RECORD_HASH = toFunctionSelector("recordHash(bytes32)");

after(releaseEngine);

describe("review: later copies of a claim do not make findInference read more", () => {
  it("findInference reads one stored record hash for a claim recorded once and copied five times", async () => {
    const { registry, modelId } = await deployRegisteredModel(connection);
    const codeHash = (await registry.read.getVersion([1])).codeHash;
    const pi = [3n, 4n, 5n, 6n];
    const proof = pairingTestProof(key, pi);
    const submit = async (wallet: typeof prover, nonce: bigint) => {
      const r = await viem.getContractAt("InferenceRegistry", registry.address, { client: { wallet } });
      await publicClient.waitForTransactionReceipt({ hash: await r.write.submitInference([modelId, proof, pi, ZERO_REF, nonce]) });
    };
    await submit(prover, 1n);
    for (let n = 1n; n <= 5n; n++) await submit(copycat, n);
    let reads = 0;
    const counting = lyingClient(connection, registry.address, (method, params, answer) => {
      const call = params?.[0] as { data?: Hex } | undefined;
      if (method === "eth_call" && call?.data?.startsWith(RECORD_HASH)) reads++;
      return answer;
    });
    const found = await counting.findInference({ modelId, codeHash, inputHash: hashWords(pi.slice(0, 2)), outputs: pi.slice(2) });
    expect([found?.submitter.toLowerCase(), found?.seq]).to.deep.equal([prover.account.address.toLowerCase(), 0n]);
    expect(reads, "recordHash reads").to.equal(1);
  });
});
