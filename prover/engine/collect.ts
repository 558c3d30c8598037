// Full garbage collections on demand, on the thread that calls. A worker thread's references to
// the SharedArrayBuffers of a job it has finished keep those buffers alive until that thread's
// collector runs, and a worker allocates too little of its own to run it soon: a key build at 2^18
// rows held 154 MiB of MSM inputs that way, and at 2^22 each large job leaves hundreds of MiB. So
// a worker collects after a large job (collectAfterLargeJob); the compiler's heap check uses it too.
import v8 from "node:v8";
import { runInNewContext } from "node:vm";

let gc: (() => void) | undefined;

/** A full garbage collection (Node exposes gc() to contexts made after the flag is set). */
export function collectGarbage(): void {
  if (!gc) {
    v8.setFlagsFromString("--expose-gc");
    gc = runInNewContext("gc") as () => void;
  }
  gc();
}

/**
 * Shared bytes from which a worker collects after the job: a collection of a worker's small heap
 * takes a few milliseconds, the jobs this large take tens or hundreds (an MSM of 2^18 points, an
 * NTT of 2^19 elements).
 */
export const COLLECT_AFTER_SHARED_BYTES = 16 << 20;

let pending = false;

/**
 * Collects once the current job's handler has returned (so its references are gone), when the job
 * handed this thread at least COLLECT_AFTER_SHARED_BYTES of shared memory.
 */
export function collectAfterLargeJob(sharedBytes: number): void {
  if (sharedBytes < COLLECT_AFTER_SHARED_BYTES || pending) return;
  pending = true;
  setImmediate(() => {
    pending = false;
    collectGarbage();
  });
}
