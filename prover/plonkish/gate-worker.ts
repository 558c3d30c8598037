// A worker thread of gate-pool.ts: evaluates the combined gates on one slice of the coset.
import { parentPort } from "node:worker_threads";
import { getEngine, useSingleThreadedEngine } from "../engine/bn254.js";
import type { SliceJob, SliceReply } from "./gate-pool.js";
import { combineVector, cyclicSlice, tableEnv } from "./vector-eval.js";

if (!parentPort) throw new Error("gate-worker.ts runs as a worker thread of gate-pool.ts");
const port = parentPort;

// This thread is one of the pool's: an engine with its own threads would oversubscribe the cores.
useSingleThreadedEngine();
// Build it now, while the pool waits for its first job, and say when it is done.
void getEngine().then(() => port.postMessage({ id: -1, ready: true } satisfies SliceReply));

async function run(job: SliceJob): Promise<void> {
  try {
    const env = tableEnv(job.table, job.start, job.end);
    const result = await combineVector(job.exprs, job.y, env, job.factor && cyclicSlice(job.factor, job.start, job.end));
    // Send back a buffer of its own (transferred, not copied).
    const own = result.buffer instanceof ArrayBuffer && result.byteOffset === 0 && result.byteLength === result.buffer.byteLength ? result : result.slice();
    port.postMessage({ id: job.id, result: own } satisfies SliceReply, [own.buffer as ArrayBuffer]);
  } catch (e) {
    port.postMessage({ id: job.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies SliceReply);
  }
}

port.on("message", (job: SliceJob) => void run(job));
