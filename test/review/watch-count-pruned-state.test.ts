// Adversarial review of 5853392 (watchRecords counts), with an honest node that keeps the state of
// recent blocks only (a geth full node keeps 128). A watch of all models reads a model's
// recordCount at the block before its first block when a poll first shows a record of the model,
// which may be long after the watch began: by then a node without archive no longer serves that
// state, the read fails, and so does every later poll (the watch never moves again). FAILS on
// 5853392. Fixed: the watch reads the count of every model before its first block once, at its
// first poll (the block before it is then the latest one for a watch from the next block); a model
// the list left out must have been registered since, or the poll is refused; hidden records are
// still refused.
import { expect } from "chai";
import { network } from "hardhat";
import { toFunctionSelector, type Hex } from "viem";
import { releaseEngine } from "../../verifier/engine/bn254.js";
import { MissingRecordLogsError, type InferenceRecord } from "../../sdk/index.js";
import { recordMaker, sleep } from "../helpers/record-maker.js";
import { deployRegisteredModel, lyingClient, registeredModelId, VK_DIGEST, withoutRecords, type RpcLog } from "../helpers/registry-fixture.js";

const connection = await network.create();

const rpc = (method: string, params: unknown[] = []) => connection.provider.request({ method, params });
/** Blocks of state the node keeps below its head. */
const KEPT = 8n;

describe("review: a watch of all models through a node without archive state", () => {
  let registry: Awaited<ReturnType<typeof deployRegisteredModel>>["registry"];
  let verifier: Awaited<ReturnType<typeof deployRegisteredModel>>["verifier"];
  let modelA: Hex;
  let maker: ReturnType<typeof recordMaker>;
  const submit = (model: Hex, seed: bigint) => maker.submit(model, seed);

  before(async () => {
    ({ registry, verifier, modelId: modelA } = await deployRegisteredModel(connection));
    maker = recordMaker(connection, registry);
  });
  after(releaseEngine);

  /** An honest node but for the state of blocks more than KEPT below its head, and `hidden` logs. */
  const prunedNode = (hidden: Hex[] = []) =>
    lyingClient(connection, registry.address, async (method, params, answer) => {
      if (method === "eth_getLogs") return withoutRecords(...hidden)(answer as RpcLog[]);
      const block = method === "eth_call" ? params[1] : undefined;
      if (typeof block === "string" && block.startsWith("0x") && BigInt(block) < BigInt((await rpc("eth_blockNumber")) as Hex) - KEPT) {
        throw new Error(`missing trie node: the state of block ${BigInt(block)} is not kept`);
      }
      return answer;
    });

  /** A watch of all models from the block after the head, through prunedNode(hidden), once its first poll has run. */
  async function watch(hidden: Hex[] = []) {
    const got: InferenceRecord[] = [];
    const errors: Error[] = [];
    const stop = prunedNode(hidden).watchRecords({ pollingIntervalMs: 20, onRecords: (r) => got.push(...r), onError: (e) => errors.push(e) });
    await sleep(200);
    return { got, errors, stop };
  }
  const until = async (done: () => boolean) => {
    for (let i = 0; i < 200 && !done(); i++) await sleep(20);
  };
  const mineOld = () => rpc("hardhat_mine", [`0x${(KEPT * 3n).toString(16)}`]);

  it("reports a record of a model first shown long after the watch began, registered before or after it", async () => {
    await submit(modelA, 5n);
    const w = await watch();
    try {
      const modelB = await registeredModelId(connection, await registry.write.registerModel([VK_DIGEST, verifier.address, ""]));
      await mineOld();
      const a = await submit(modelA, 10n);
      const b = await submit(modelB, 20n);
      await until(() => w.got.length >= 2);
      expect(
        w.got.map((r) => r.id),
        `the watch stopped (${w.errors.map((e) => e.message.split("\n")[0]).join("; ")})`,
      ).to.deep.equal([a, b]);
      expect(w.errors).to.deep.equal([]);
    } finally {
      w.stop();
    }
  });

  it("still refuses a poll that leaves out a model's record made in an earlier poll's blocks", async () => {
    // The model's first record in the watch, hidden from every poll.
    const hidden = await maker.nextId(modelA, 40n);
    const w = await watch([hidden]);
    try {
      expect(await submit(modelA, 40n)).to.equal(hidden);
      await mineOld();
      await submit(modelA, 50n);
      await until(() => w.errors.length > 0);
      expect(w.got).to.deep.equal([]);
      expect(w.errors[0], w.errors[0]?.message).to.be.instanceOf(MissingRecordLogsError);
      expect(w.errors[0]).to.deep.include({ modelId: modelA, missingCount: 1n });
    } finally {
      w.stop();
    }
  });

  it("refuses a model registered before the watch that the node's model list left out (its old records would count as new)", async () => {
    const modelCount = toFunctionSelector("modelCount()");
    const got: InferenceRecord[] = [];
    const errors: Error[] = [];
    const lying = lyingClient(connection, registry.address, (method, params, answer) =>
      method === "eth_call" && (params[0] as { data?: Hex; input?: Hex }).data?.startsWith(modelCount) ? `0x${"00".repeat(32)}` : answer,
    );
    const stop = lying.watchRecords({ pollingIntervalMs: 20, onRecords: (r) => got.push(...r), onError: (e) => errors.push(e) });
    try {
      await sleep(200);
      await submit(modelA, 60n);
      await until(() => errors.length > 0);
      expect(got).to.deep.equal([]);
      expect(errors[0].message).to.include(`model ${modelA} was registered at block`).and.include("did not have it");
    } finally {
      stop();
    }
  });
});
