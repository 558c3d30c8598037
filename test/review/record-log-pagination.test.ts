// Adversarial review of records5 (issue 18, round 4): auditRecords refuses one record in two logs,
// but only after it has paged through every log. The page cursor is the last log's block and log
// index, which the node chooses (nothing binds a log's place), so a node that repeats one genuine
// log with ever larger log indices makes every page look new: the audit (and `zkinfer audit`) never
// ends, and holds every copy. FAILS on records5: the attack works (here the node gives up after
// MAX_CALLS log queries, so the audit ends in an RpcError instead of refusing the repeated log).
// Secure: a record already seen is refused as soon as its second log arrives.
import { expect } from "chai";
import { network } from "hardhat";
import { toHex } from "viem";
import { releaseEngine } from "../../verifier/engine/bn254.js";
import { RecordLogMismatchError } from "../../sdk/index.js";
import { deployRegisteredModel, lyingClient, TEST_KEY as key, ZERO_REF, type RpcLog } from "../helpers/registry-fixture.js";
import { pairingTestProof } from "../contracts/pairing-test-prover.js";

const connection = await network.create();
const publicClient = await connection.viem.getPublicClient();
const MAX_CALLS = 12;

describe("review: a node paging one log forever", () => {
  after(releaseEngine);

  it("auditRecords refuses a record repeated under new log indices at once, not after the node stops", async () => {
    const { registry, modelId } = await deployRegisteredModel(connection);
    const inputs = [1n, 2n, 3n, 4n];
    await publicClient.waitForTransactionReceipt({ hash: await registry.write.submitInference([modelId, pairingTestProof(key, inputs), inputs, ZERO_REF, 1n]) });

    let calls = 0;
    let nextIndex = 1;
    const client = lyingClient(connection, registry.address, (method, _params, answer) => {
      if (method !== "eth_getLogs" || (answer as RpcLog[]).length === 0) return answer;
      if (++calls > MAX_CALLS) throw new Error(`the lying node stops after ${MAX_CALLS} log queries`);
      // 101 copies of the genuine log, each at a log index the client has not seen yet.
      const [log] = answer as RpcLog[];
      return Array.from({ length: 101 }, () => ({ ...log, logIndex: toHex(nextIndex++) }));
    });

    let caught: unknown;
    try {
      await client.auditRecords({ modelId });
    } catch (err) {
      caught = err;
    }
    expect(calls, `the audit paged through ${calls} answers of one repeated log (${String(caught)})`).to.be.at.most(2);
    expect(caught).to.be.instanceOf(RecordLogMismatchError);
  });
});
