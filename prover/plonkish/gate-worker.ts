// A worker thread of gate-pool.ts: evaluates the combined gates on one slice of the coset, computes
// one transform of a batch, evaluates its share of a batch of polynomials, or makes the extended
// coset's points and L_0 there.
import { parentPort } from "node:worker_threads";
import { getEngine, ownKernels, useEngineBuilder, useSingleThreadedEngine } from "../../verifier/engine/bn254.js";
import { buildPrebuiltBn128 } from "../engine/prebuilt-bn128.js";
import { frVecFromBigints } from "../../verifier/engine/fr.js";
import { Domain, evaluate, onThisThread } from "../poly/index.js";
import { applyTransform, toShared, windowClosed, type WorkerJob, type WorkerReply } from "./gate-pool.js";
import { combineVector, factorSlice, tableEnv } from "./vector-eval.js";
import { cosetPointsAndL0 } from "./coset-constants.js";

if (!parentPort) throw new Error("gate-worker.ts runs as a worker thread of gate-pool.ts");
const port = parentPort;

// This thread is one of the pool's: an engine with its own threads would oversubscribe the cores.
useSingleThreadedEngine();
useEngineBuilder(buildPrebuiltBn128);
// Our kernels' vector operations and transforms need no ffjavascript engine: the worker is ready
// once loaded. With ZKINFER_ENGINE=ffjavascript it builds that engine now, while the pool waits
// for its first job, and says when it is done.
void (ownKernels() ? Promise.resolve() : getEngine()).then(() => port.postMessage({ id: -1, ready: true } satisfies WorkerReply));

async function compute(job: WorkerJob): Promise<Uint8Array> {
  // A background job whose window has closed: the main thread does it itself.
  if ((job.kind === "transform" || job.kind === "coset-constants") && windowClosed(job.gate)) return new Uint8Array(0);
  if (job.kind === "evaluate") {
    const values: bigint[] = [];
    for (const [i, poly] of job.polys.entries()) values.push(await evaluate(poly, job.points[i]));
    return frVecFromBigints(values);
  }
  if (job.kind === "transform") return applyTransform(job.op, job.input, Domain.create(job.logSize), onThisThread, job.shift);
  if (job.kind === "coset-constants") return cosetPointsAndL0(job.logRows).joint;
  const env = tableEnv(job.table, job.start, job.end);
  return combineVector(job.exprs, job.y, env, factorSlice(job.factor, job.start, job.end));
}

async function run(job: WorkerJob): Promise<void> {
  try {
    const result = await compute(job);
    // Values on the coset go on to the gate evaluation, which reads them from shared memory: put
    // there by this thread, the main thread need not copy them.
    if ((job.kind === "transform" && job.op === "coset-fft") || job.kind === "coset-constants") {
      port.postMessage({ id: job.id, result: toShared(result) } satisfies WorkerReply);
      return;
    }
    // Send back a buffer of its own (transferred, not copied).
    const own = result.buffer instanceof ArrayBuffer && result.byteOffset === 0 && result.byteLength === result.buffer.byteLength ? result : result.slice();
    port.postMessage({ id: job.id, result: own } satisfies WorkerReply, [own.buffer as ArrayBuffer]);
  } catch (e) {
    port.postMessage({ id: job.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies WorkerReply);
  }
}

port.on("message", (job: WorkerJob) => void run(job));
