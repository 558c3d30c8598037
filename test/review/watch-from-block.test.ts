// Adversarial review of 5853392 (watchRecords counts): where a watch starts. From block 0 it counts
// every record of the model from position 0 (nothing is read at a block before 0); from a block not
// yet made it waits, then counts from the model's count at the block before it, so records made
// before it are neither reported nor expected (both held on 5853392). A fromBlock that is no block
// number (negative, or not a bigint) reached the node at every poll and failed there, through
// onError, for ever (FAILS on 5853392): it is now refused when the watch is made
// (InvalidArgumentError), as a malformed modelId is.
import { expect } from "chai";
import { network } from "hardhat";
import type { Hex } from "viem";
import { InvalidArgumentError, type InferenceRecord } from "../../sdk/index.js";
import { sleep, withRegisteredModel, type RecordMaker, type Registry } from "../helpers/record-maker.js";
import { lyingClient } from "../helpers/registry-fixture.js";

const connection = await network.create();
const publicClient = await connection.viem.getPublicClient();

describe("review: a watch's first block", () => {
  let registry: Registry;
  let modelId: Hex;
  let maker: RecordMaker;
  withRegisteredModel(connection, (fixture) => ({ registry, modelId, maker } = fixture));
  const submit = (seed: bigint) => maker.submit(modelId, seed);

  const honest = () => lyingClient(connection, registry.address, (_method, _params, answer) => answer);
  async function watch(filter: { modelId?: Hex; fromBlock?: bigint }, during: () => Promise<void>, want: number) {
    const got: InferenceRecord[] = [];
    const errors: Error[] = [];
    const stop = honest().watchRecords({ ...filter, pollingIntervalMs: 20, onRecords: (r) => got.push(...r), onError: (e) => errors.push(e) });
    try {
      await during();
      for (let i = 0; i < 200 && got.length < want; i++) await sleep(20);
      await sleep(100);
    } finally {
      stop();
    }
    return { seqs: got.map((r) => r.seq), errors };
  }

  it("from block 0, by model and of all models, reports every record from position 0", async () => {
    await submit(10n);
    await submit(20n);
    for (const filter of [{ modelId }, {}]) {
      const { seqs, errors } = await watch({ ...filter, fromBlock: 0n }, async () => undefined, 2);
      expect([seqs, errors], JSON.stringify(filter)).to.deep.equal([[0n, 1n], []]);
    }
  });

  it("from a block not yet made, reports the records from that block on only", async () => {
    for (const filter of [{ modelId }, {}]) {
      const start = (await publicClient.getBlockNumber()) + 3n;
      const count = await registry.read.recordCount([modelId]);
      const { seqs, errors } = await watch(
        { ...filter, fromBlock: start },
        async () => {
          // Two records before the first block (the second made in the block before it), one in it.
          await submit(30n);
          await submit(40n);
          expect(await publicClient.getBlockNumber()).to.equal(start - 1n);
          await submit(50n);
        },
        1,
      );
      expect([seqs, errors], JSON.stringify(filter)).to.deep.equal([[count + 2n], []]);
    }
  });

  it("refuses a fromBlock that is no block number when the watch is made", () => {
    // A watch that is made anyway is stopped, or it would poll (and fail) for ever.
    const made: (() => void)[] = [];
    try {
      for (const fromBlock of [-1n, 1.5, "7"]) {
        expect(() => made.push(honest().watchRecords({ modelId, fromBlock: fromBlock as bigint, onRecords: () => undefined })), String(fromBlock)).to.throw(InvalidArgumentError, /fromBlock/);
      }
    } finally {
      for (const stop of made) stop();
    }
  });
});
