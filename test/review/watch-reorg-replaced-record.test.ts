// Adversarial review of 5853392 (watchRecords counts), with an honest node and a reorg. A watch
// keeps each model's next position (its recordCount at the last poll's block) and searches only the
// blocks after the last one polled. A reorg that replaces a reported record by another record of
// the model at the same position, in a block the watch already polled, leaves the count as it was:
// the watch reported a record the chain no longer holds, never reports the one that took its place,
// and says nothing (watching all models, not even once a later record of the model is shown).
// FAILS on 5853392 (no record, no error). Fixed: every poll reads, at its last block, the stored
// word of the last reported record of each model it checks (the watched model, and the models its
// records show); if it is gone or changed, the poll is refused (ReorgedRecordError), as a reorg
// that moves a reported record already stops the watch: start a new watch after the reorg.
import { expect } from "chai";
import { network } from "hardhat";
import type { Hex } from "viem";
import { ReorgedRecordError, type InferenceRecord } from "../../sdk/index.js";
import { sleep, withRegisteredModel, type RecordMaker, type Registry } from "../helpers/record-maker.js";
import { lyingClient } from "../helpers/registry-fixture.js";

const connection = await network.create();
const publicClient = await connection.viem.getPublicClient();
const rpc = (method: string, params: unknown[] = []) => connection.provider.request({ method, params });

describe("review: a watch through an honest node across a reorg that replaces a reported record", () => {
  let registry: Registry;
  let modelId: Hex;
  let maker: RecordMaker;
  withRegisteredModel(connection, (fixture) => ({ registry, modelId, maker } = fixture));
  const submit = (seed: bigint) => maker.submit(modelId, seed);

  for (const filter of [{ modelId: "model" }, {}] as const) {
    it(`${"modelId" in filter ? "by model" : "all models"}: reports the record that took a reported one's place, or refuses the poll`, async () => {
      const got: InferenceRecord[] = [];
      const errors: Error[] = [];
      const honest = lyingClient(connection, registry.address, (_method, _params, answer) => answer);
      const stop = honest.watchRecords({
        ...("modelId" in filter ? { modelId } : {}),
        fromBlock: (await publicClient.getBlockNumber()) + 1n,
        pollingIntervalMs: 20,
        onRecords: (r) => got.push(...r),
        onError: (e) => errors.push(e),
      });
      const until = async (done: () => boolean) => {
        for (let i = 0; i < 200 && !done(); i++) await sleep(20);
      };
      try {
        await submit(10n);
        await until(() => got.length >= 1);
        const snapshot = await rpc("evm_snapshot");
        await submit(20n);
        await until(() => got.length >= 2);
        const replaced = got[1];
        expect(replaced.seq).to.equal(got[0].seq + 1n);
        // The reorg: the block of the second record is replaced by one holding another record of
        // the model at the same position, and the chain grows past the block the watch polled.
        await rpc("evm_revert", [snapshot]);
        const replacement = await submit(30n);
        for (let i = 0; i < 3; i++) await rpc("evm_mine");
        // Watching all models, a model is checked in the polls that show a record of it.
        if (!("modelId" in filter)) await submit(40n);
        await until(() => got.length > 2 || errors.length > 0);
        await sleep(200);
        const stored = await registry.read.recordHash([replaced.id]);
        expect(stored, "the reorg removed the reported record").to.equal(`0x${"00".repeat(32)}`);
        const taken = got.slice(2);
        expect(
          taken.some((r) => r.id === replacement) || errors.length > 0,
          `the watch reported record ${replaced.id} (seq ${replaced.seq}), which the chain no longer holds, and neither reported the record now at its place nor said anything`,
        ).to.equal(true);
        if (errors.length > 0) {
          expect(errors[0]).to.be.instanceOf(ReorgedRecordError);
          expect(errors[0]).to.deep.include({ recordId: replaced.id, modelId, seq: replaced.seq });
          expect(errors[0].message).to.include("no longer stored as reported").and.include("start a new one");
          expect(taken, "nothing is reported once the watch has seen the reorg").to.deep.equal([]);
        }
      } finally {
        stop();
      }
    });
  }
});
