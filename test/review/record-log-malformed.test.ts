// Adversarial review of records5 (issue 18, round 4), low: a node's log that does not decode as an
// InferenceRecorded event (truncated data, or another event's signature at the registry's address)
// reaches the caller as viem's raw decoding error, not a typed ZkinferError, so `zkinfer audit` exits
// 3 (internal error) instead of naming the node's log. FAILS on records5: the attack works.
// Secure: a RecordLogError (the class of every node lie, on which `zkinfer audit` exits 1) naming the log.
import { expect } from "chai";
import { network } from "hardhat";
import type { Hex } from "viem";
import { releaseEngine } from "../../verifier/engine/bn254.js";
import { RecordLogError } from "../../sdk/index.js";
import { deployRegisteredModel, lyingClient, lyingLogs, TEST_KEY as key, ZERO_REF, type RpcLog } from "../helpers/registry-fixture.js";
import { pairingTestProof } from "../contracts/pairing-test-prover.js";

const connection = await network.create();
const { viem } = connection;
const publicClient = await viem.getPublicClient();

describe("review: a node returning a log that does not decode", () => {
  after(releaseEngine);

  it("auditRecords and getRecord throw a RecordLogError for truncated data or a foreign event signature", async () => {
    const { registry, modelId, registration } = await deployRegisteredModel(connection);
    const receipt = await publicClient.waitForTransactionReceipt({ hash: registration });
    const inputs = [1n, 2n, 3n, 4n];
    await publicClient.waitForTransactionReceipt({ hash: await registry.write.submitInference([modelId, pairingTestProof(key, inputs), inputs, ZERO_REF, 1n]) });
    const recordId = await registry.read.computeRecordId([modelId, inputs, (await viem.getWalletClients())[0].account.address, 1n]);
    const lies: [string, (l: RpcLog) => RpcLog][] = [
      ["truncated data", (l) => ({ ...l, data: l.data.slice(0, 66) as Hex })],
      ["another event's signature", (l) => ({ ...l, topics: [receipt.logs.at(-1)!.topics[0]!, ...l.topics.slice(1)] })],
    ];
    const wrong: string[] = [];
    for (const [what, lie] of lies) {
      const client = lyingClient(connection, registry.address, lyingLogs((logs) => logs.map(lie)));
      for (const [call, read] of [
        ["auditRecords", () => client.auditRecords({ modelId })],
        ["getRecord", () => client.getRecord({ recordId })],
      ] as const) {
        const err = await read().then(
          () => new Error("resolved"),
          (e: unknown) => e,
        );
        if (!(err instanceof RecordLogError)) wrong.push(`${call} with ${what}: ${(err as Error).name}: ${(err as Error).message.split("\n")[0]}`);
      }
    }
    expect(wrong, "raw (untyped) errors for a node's undecodable log").to.deep.equal([]);
  });
});
