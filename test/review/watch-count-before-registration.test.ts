// Adversarial review of 5853392 (watchRecords counts). A watch without a submitter filter reads a
// model's recordCount at the block before its first block to know where its positions start. For a
// model registered at or after that block, recordCount reverts (UnknownModel: the model did not
// exist then), and the poll fails; the watch never moves past it, so with an honest node:
//  - a watch of all models stops for good at the first record of a model registered after it began
//    (nothing of any model is reported again);
//  - a watch of one model from its registration block (or earlier) never reports anything.
// FAILS on 5853392. Fixed: a model registered at or after the watch's first block had no record
// before it, so its positions start at 0 (as auditRecords counts from 0 from the registration on).
import { expect } from "chai";
import { network } from "hardhat";
import type { Hex } from "viem";
import { releaseEngine } from "../../verifier/engine/bn254.js";
import { MissingRecordLogsError, type InferenceRecord } from "../../sdk/index.js";
import { recordMaker } from "../helpers/record-maker.js";
import { deployRegisteredModel, lyingClient, lyingLogs, withoutRecords, registeredModelId, VK_DIGEST } from "../helpers/registry-fixture.js";

const connection = await network.create();
const { viem } = connection;
const publicClient = await viem.getPublicClient();

type Lie = Parameters<typeof lyingClient>[2];

describe("review: a watch counts from 0 the records of a model registered after the watch's first block", () => {
  let registry: Awaited<ReturnType<typeof deployRegisteredModel>>["registry"];
  let verifier: Awaited<ReturnType<typeof deployRegisteredModel>>["verifier"];
  let modelA: Hex;
  let submit: ReturnType<typeof recordMaker>["submit"];

  before(async () => {
    ({ registry, verifier, modelId: modelA } = await deployRegisteredModel(connection));
    ({ submit } = recordMaker(connection, registry));
  });
  after(releaseEngine);

  const registerModel = async (): Promise<{ id: Hex; block: bigint }> => {
    const hash = await registry.write.registerModel([VK_DIGEST, verifier.address, ""]);
    const { blockNumber } = await publicClient.waitForTransactionReceipt({ hash });
    return { id: await registeredModelId(connection, hash), block: blockNumber };
  };

  /** Starts a watch through a node (default honest); `wait` polls until `want` records came (or about 4 s). */
  function watch(filter: { modelId?: Hex; fromBlock?: bigint }, lie: Lie = (_method, _params, answer) => answer) {
    const got: InferenceRecord[] = [];
    const errors: Error[] = [];
    const stop = lyingClient(connection, registry.address, lie).watchRecords({ ...filter, pollingIntervalMs: 20, onRecords: (r) => got.push(...r), onError: (e) => errors.push(e) });
    const wait = async (want: number) => {
      for (let i = 0; i < 200 && got.length < want; i++) await new Promise((r) => setTimeout(r, 20));
    };
    return { got, errors, stop, wait };
  }
  const describeErrors = (errors: Error[]) => errors.map((e) => `${e.name}: ${e.message.split("\n")[0]}`).join("; ");

  it("a watch of all models goes on past the first record of a model registered after it began", async () => {
    const w = watch({ fromBlock: (await publicClient.getBlockNumber()) + 1n });
    try {
      await submit(modelA, 10n);
      await w.wait(1);
      const b = await registerModel();
      await submit(b.id, 20n);
      await submit(modelA, 30n);
      await w.wait(3);
      expect(
        w.got.map((r) => [r.modelId, r.seq]),
        `the watch stopped at model ${b.id}'s first record (${describeErrors(w.errors)})`,
      ).to.deep.equal([
        [modelA, 0n],
        [b.id, 0n],
        [modelA, 1n],
      ]);
      expect(w.errors).to.deep.equal([]);
    } finally {
      w.stop();
    }
  });

  it("a watch of one model from its registration block reports its records", async () => {
    const c = await registerModel();
    const w = watch({ modelId: c.id, fromBlock: c.block });
    try {
      await submit(c.id, 40n);
      await submit(c.id, 50n);
      await w.wait(2);
      expect(w.got.map((r) => r.seq), `nothing reported (${describeErrors(w.errors)})`).to.deep.equal([0n, 1n]);
      expect(w.errors).to.deep.equal([]);
    } finally {
      w.stop();
    }
    // Counting from 0 still catches a node hiding the model's first record, by model and of all models.
    for (const filter of [{ modelId: c.id }, {}]) {
      const hiding = watch({ ...filter, fromBlock: c.block }, lyingLogs(withoutRecords(w.got[0].id)));
      try {
        for (let i = 0; i < 200 && hiding.errors.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
        expect(hiding.got, JSON.stringify(filter)).to.deep.equal([]);
        expect(hiding.errors[0], JSON.stringify(filter)).to.be.instanceOf(MissingRecordLogsError);
        expect(hiding.errors[0], JSON.stringify(filter)).to.deep.include({ modelId: c.id, missing: [0n], stored: 2 });
      } finally {
        hiding.stop();
      }
    }
  });
});
