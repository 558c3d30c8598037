// Adversarial review of records5 (issue 18, round 4): auditRecords refuses one record in two logs,
// but only after it has paged through every log. The page cursor is the last log's block and log
// index, which the node chooses (nothing binds a log's place), so a node that repeats one genuine
// log with ever larger log indices makes every page look new: the audit (and `zkinfer audit`) never
// ends, and holds every copy. FAILS on records5: the attack works (here the node gives up after
// MAX_CALLS log queries, so the audit ends in an RpcError instead of refusing the repeated log).
// Secure: a record already seen is refused as soon as its second log arrives.
import { expect } from "chai";
import { network } from "hardhat";
import { createPublicClient, custom, parseEventLogs, toHex, type Hex } from "viem";
import { releaseEngine } from "../../verifier/engine/bn254.js";
import { createClient, inferenceRegistryAbi, RecordLogMismatchError } from "../../sdk/index.js";
import { pairingTestKey, pairingTestProof } from "../contracts/pairing-test-prover.js";

const connection = await network.create();
const { viem } = connection;
const publicClient = await viem.getPublicClient();
const key = pairingTestKey(0x5eedn);
const VK_DIGEST = `0x${"cd".repeat(32)}` as Hex;
const LAYOUT_DIGEST = `0x${"1b".repeat(32)}` as Hex;
const RANGES: [bigint, bigint, bigint, bigint] = [0n, 2n, 2n, 2n];
const MAX_CALLS = 12;
type RpcLog = { address: Hex; data: Hex; topics: Hex[]; logIndex: Hex };

describe("review: a node paging one log forever", () => {
  after(releaseEngine);

  it("auditRecords refuses a record repeated under new log indices at once, not after the node stops", async () => {
    const registry = await viem.deployContract("InferenceRegistry");
    const verifier = await viem.deployContract("PairingTestVerifier", [[...key.tauG2], VK_DIGEST, 4n, false, LAYOUT_DIGEST, RANGES]);
    const receipt = await publicClient.waitForTransactionReceipt({ hash: await registry.write.registerModel([VK_DIGEST, verifier.address, ""]) });
    const [event] = parseEventLogs({ abi: inferenceRegistryAbi, logs: receipt.logs, eventName: "ModelRegistered" });
    const modelId = event.args.modelId;
    const inputs = [1n, 2n, 3n, 4n];
    await publicClient.waitForTransactionReceipt({ hash: await registry.write.submitInference([modelId, pairingTestProof(key, inputs), inputs, `0x${"00".repeat(32)}`, 1n]) });

    let calls = 0;
    let nextIndex = 1;
    const client = createClient({
      publicClient: createPublicClient({
        transport: custom({
          request: async ({ method, params }: { method: string; params: unknown[] }) => {
            const answer = await connection.provider.request({ method, params });
            if (method !== "eth_getLogs" || (answer as RpcLog[]).length === 0) return answer;
            if (++calls > MAX_CALLS) throw new Error(`the lying node stops after ${MAX_CALLS} log queries`);
            // 101 copies of the genuine log, each at a log index the client has not seen yet.
            const [log] = answer as RpcLog[];
            return Array.from({ length: 101 }, () => ({ ...log, logIndex: toHex(nextIndex++) }));
          },
        }),
      }),
    }).withRegistry(registry.address);

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
