import os from "node:os";
import { expect } from "chai";
import { releaseEngine } from "../../../verifier/engine/bn254.js";
import { stopKernelWorkers } from "../../../prover/engine/wasm/index.js";
import { kernelWorkers } from "../../../prover/engine/wasm/pool.js";

describe("engine/wasm: the kernels' worker pool", () => {
  after(releaseEngine);

  it("lets the event loop turn while a worker starts, so a caller that never waits on I/O still hears it is ready", async function () {
    // A worker's "ready" is a message: were the pool to look only at what has arrived, a caller
    // running from one await to the next on resolved promises alone (as the prover does) would
    // never see a worker ready, and every MSM and NTT would run on one thread.
    this.timeout(60_000);
    if (os.availableParallelism() < 2) this.skip();
    await stopKernelWorkers();
    let turned = false;
    setImmediate(() => (turned = true));
    await kernelWorkers();
    expect(turned).to.equal(true);
    // Once one is ready, a caller that keeps asking sees it without ever waiting otherwise.
    const until = Date.now() + 30_000;
    let ready = 0;
    while (ready === 0 && Date.now() < until) ready = (await kernelWorkers()).length;
    expect(ready).to.be.greaterThan(0);
    await stopKernelWorkers();
  });
});
