// Views handed to worker threads (engine/shared.ts): a view that ends beyond 4 GiB of its buffer
// would reach the other thread pointing at other bytes (offset and length mod 2^32), so it goes as
// a copy; any other shared view goes as it is. Shared memory never written takes no pages, so the
// 4 GiB buffers here cost nothing.
import { expect } from "chai";
import { MessageChannel } from "node:worker_threads";
import { toShared } from "../../../prover/engine/shared.js";

/** `v` as a thread that receives it in a message sees it. */
function crossed(v: Uint8Array): Promise<Uint8Array> {
  const { port1, port2 } = new MessageChannel();
  const received = new Promise<Uint8Array>((resolve) => port2.once("message", (m: { v: Uint8Array }) => resolve(m.v)));
  port1.postMessage({ v });
  return received.finally(() => {
    port1.close();
    port2.close();
  });
}

describe("engine: shared views for worker threads", () => {
  const big = new SharedArrayBuffer(2 ** 32 + 4096);
  const bytes = new Uint8Array(big);
  bytes[100] = 7;
  bytes[2 ** 32 + 100] = 42;

  it("a view beyond 4 GiB arrives elsewhere as other bytes; toShared hands over a copy that arrives right", async () => {
    const view = new Uint8Array(big, 2 ** 32 + 100, 16);
    // the hazard itself: offset 2^32 + 100 arrives as 100
    expect((await crossed(view))[0]).to.equal(7);
    const handed = toShared(view);
    expect(handed).to.not.equal(view);
    expect(handed.buffer).to.be.instanceOf(SharedArrayBuffer);
    const arrived = await crossed(handed);
    expect([arrived.length, arrived[0]]).to.deep.equal([16, 42]);
  });

  it("a shared view that ends within 4 GiB is handed over as it is, a plain one as a shared copy", async () => {
    const view = new Uint8Array(big, 96, 8);
    expect(toShared(view)).to.equal(view);
    expect((await crossed(view))[4]).to.equal(7);
    const plain = Uint8Array.of(1, 2, 3);
    const copy = toShared(plain);
    expect(copy.buffer).to.be.instanceOf(SharedArrayBuffer);
    expect(Array.from(copy)).to.deep.equal([1, 2, 3]);
  });
});
