// A worker thread of pool.ts: computes window sums of MSMs, parts of fixed-base MSMs and of their
// tables, and the odd-indexed outputs of split NTTs on its own kernel instances.
import { parentPort } from "node:worker_threads";
import { buildTableSlice, fixedSums } from "./fixed-base.js";
import { kernel, trimKernel, windowSums } from "./msm.js";
import { claimOddHalf, oddHalfInBuffer } from "./ntt.js";
import type { KernelJob, KernelReply } from "./pool.js";

if (!parentPort) throw new Error("engine/wasm/worker.ts runs as a worker thread of pool.ts");
const port = parentPort;

// Compile and instantiate now, while the pool waits for the first job.
kernel();
port.postMessage({ id: -1, ready: true } satisfies KernelReply);

port.on("message", (job: KernelJob) => {
  try {
    let result: Uint8Array;
    if (job.kind === "ntt") {
      // Unless the caller, tired of waiting, has computed them itself.
      if (claimOddHalf(job.buffer, "worker")) oddHalfInBuffer(job.buffer, job.n, job.inverse);
      result = new Uint8Array(0);
    } else {
      if (job.kind === "msm") result = windowSums(kernel(), job);
      else if (job.kind === "fixed") result = fixedSums(kernel(), job);
      else {
        buildTableSlice(kernel(), job);
        result = new Uint8Array(0);
      }
      trimKernel();
    }
    port.postMessage({ id: job.id, result } satisfies KernelReply, [result.buffer as ArrayBuffer]);
  } catch (e) {
    port.postMessage({ id: job.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies KernelReply);
  }
});
