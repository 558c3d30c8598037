// Adversarial review of 5853392 (watchRecords counts). A watch of all models checks the count of a
// model only in the polls that show a record of it, and searches only the blocks after the last one
// polled. A node that hides every record of a model from one poll has that poll pass; the watch
// moves on, and the hidden records lie in blocks it will never search again. Once the node is
// honest, the next poll showing a record of the model finds the hidden positions missing and is
// refused, and so is every later one: one transient lie stops the watch for good (no record of any
// model is reported again). FAILS on 5853392. Fixed: a poll that finds positions of a model missing
// searches that model's logs in the blocks polled since its count was last checked, and reports
// the records found there (late, before the poll's own), refusing the poll only if a position is
// still missing.
import { expect } from "chai";
import { network } from "hardhat";
import type { Hex } from "viem";
import { MissingRecordLogsError, type InferenceRecord } from "../../sdk/index.js";
import { sleep, withRegisteredModel, type RecordMaker, type Registry } from "../helpers/record-maker.js";
import { lyingClient, sameWord as same, type RpcLog } from "../helpers/registry-fixture.js";

const connection = await network.create();

describe("review: a watch of all models after a node hid a model's records from one poll", () => {
  let registry: Registry;
  let modelId: Hex;
  let maker: RecordMaker;
  withRegisteredModel(connection, (fixture) => ({ registry, modelId, maker } = fixture));
  const submit = (seed: bigint) => maker.submit(modelId, seed);

  /** A node that leaves the logs of `hidden` out of the first answer that has them, then is honest; or hides them always. */
  function hidingOnce(hidden: Hex[], always = false) {
    let lied = false;
    return lyingClient(connection, registry.address, (method, _params, answer) => {
      if (method !== "eth_getLogs" || (lied && !always)) return answer;
      const logs = answer as RpcLog[];
      const kept = logs.filter((l) => !hidden.some((id) => same(l.topics[1], id)));
      if (kept.length < logs.length) lied = true;
      return kept;
    });
  }

  async function watchThrough(client: ReturnType<typeof hidingOnce>, made: () => Promise<Hex[]>, done: (got: InferenceRecord[], errors: Error[]) => boolean) {
    const got: InferenceRecord[] = [];
    const errors: Error[] = [];
    const stop = client.watchRecords({ pollingIntervalMs: 20, onRecords: (r) => got.push(...r), onError: (e) => errors.push(e) });
    try {
      await sleep(200);
      const ids = await made();
      for (let i = 0; i < 200 && !done(got, errors); i++) await sleep(20);
      await sleep(200);
      return { ids, got, errors };
    } finally {
      stop();
    }
  }

  it("reports the hidden record late, once the node is honest and shows a later record of the model, and goes on", async () => {
    const first = await registry.read.recordCount([modelId]);
    const hiddenId = await maker.nextId(modelId, 10n);
    const { ids, got, errors } = await watchThrough(
      hidingOnce([hiddenId]),
      async () => {
        const hidden = await submit(10n);
        // The poll of the hidden record's block has passed (nothing shown, nothing counted).
        await sleep(300);
        return [hidden, await submit(20n), await submit(30n)];
      },
      (got) => got.length >= 3,
    );
    expect(ids[0]).to.equal(hiddenId);
    expect(
      got.map((r) => r.id),
      `the watch stopped for good after one lie (${errors.length} errors: ${errors[0]?.message.split("\n")[0]})`,
    ).to.deep.equal(ids);
    expect(got.map((r) => r.seq)).to.deep.equal([first, first + 1n, first + 2n]);
  });

  it("still refuses the poll while the node hides the record", async () => {
    const hiddenId = await maker.nextId(modelId, 40n);
    const { got, errors } = await watchThrough(
      hidingOnce([hiddenId], true),
      async () => {
        await submit(40n);
        await sleep(300);
        return [await submit(50n)];
      },
      (_, errors) => errors.length > 0,
    );
    expect(got).to.deep.equal([]);
    expect(errors[0]).to.be.instanceOf(MissingRecordLogsError);
    expect(errors[0]).to.deep.include({ modelId, missingCount: 1n });
  });
});
