// The kernels' worker threads: one per core but the main thread's, each with its own instances of
// the generated module, kept across calls, holding the process open only while it has a job, and
// stopped by releaseEngine(). They load nothing but this folder (no ffjavascript), so they start
// in a fraction of a second; until they have, callers run on the main thread alone.
import os from "node:os";
import { Worker } from "node:worker_threads";
import { onEngineRelease } from "../../../verifier/engine/bn254.js";
import type { FixedJob, TableJob } from "./fixed-base.js";
import type { WindowJob } from "./msm.js";

/**
 * Work for a worker: window sums of an MSM, its part of a fixed-base MSM or of building a table,
 * or the odd-indexed outputs of a transform split in two (into its shared buffer, see ntt.ts).
 */
export type KernelTask =
  | ({ kind: "msm" } & WindowJob)
  | ({ kind: "fixed" } & FixedJob)
  | ({ kind: "table" } & TableJob)
  | { kind: "ntt"; buffer: SharedArrayBuffer; n: number; inverse: boolean };
/** A task with its id. */
export type KernelJob = KernelTask & { id: number };
/** A worker's answer, or (id −1) its announcement that its kernel is instantiated. */
export type KernelReply = { id: number; result: Uint8Array } | { id: number; error: string } | { id: -1; ready: true };

/** Upper bound on threads (main included). */
const MAX_THREADS = 8;

/** Threads the kernels use at most: every core, the main thread included. */
export function maxThreads(): number {
  return Math.max(1, Math.min(MAX_THREADS, os.availableParallelism()));
}

// Sources run through tsx: a worker needs its loader too (see plonkish/gate-pool.ts).
const typescript = import.meta.url.endsWith(".ts");
const WORKER_URL = new URL(typescript ? "./worker.ts" : "./worker.js", import.meta.url);
const WORKER_EXEC_ARGV = typescript ? [...process.execArgv, "--import", import.meta.resolve("tsx/esm")] : undefined;

let nextId = 0;

class KernelWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (v: Uint8Array) => void; reject: (e: Error) => void }>();
  private failure: Error | undefined;
  ready = false;
  readonly started: Promise<void>;

  constructor(onExit: (w: KernelWorker) => void) {
    this.worker = new Worker(WORKER_URL, { execArgv: WORKER_EXEC_ARGV });
    this.worker.unref();
    let started!: () => void;
    this.started = new Promise((resolve) => (started = resolve));
    this.worker.on("message", (reply: KernelReply) => {
      if ("ready" in reply) {
        this.ready = true;
        started();
        return;
      }
      const job = this.pending.get(reply.id);
      if (!job) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) this.worker.unref();
      if ("error" in reply) job.reject(new Error(`kernel worker: ${reply.error}`));
      else job.resolve(reply.result);
    });
    this.worker.on("error", (e) => (this.failure = e));
    this.worker.on("exit", (code) => {
      onExit(this);
      started();
      const why = this.failure ?? new Error(`kernel worker stopped (exit code ${code})`);
      for (const job of this.pending.values()) job.reject(why);
      this.pending.clear();
    });
  }

  run(job: KernelTask): Promise<Uint8Array> {
    const id = nextId++;
    return new Promise<Uint8Array>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ ...job, id } satisfies KernelJob);
    });
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}

let pool: KernelWorker[] = [];

function startWorkers(count: number): KernelWorker[] {
  if (pool.length === 0 && count > 0) onEngineRelease(stopKernelWorkers);
  while (pool.length < count) pool.push(new KernelWorker((w) => (pool = pool.filter((p) => p !== w))));
  return pool.slice(0, count);
}

/** Starts the pool's workers in the background (they are used once ready). */
export function startKernelWorkers(): void {
  startWorkers(maxThreads() - 1);
}

/**
 * Workers for a job: with `threads` given (main included), that many, started and awaited if need
 * be; otherwise the ready ones, starting the pool if it is not.
 */
export async function kernelWorkers(threads?: number): Promise<{ run(job: KernelTask): Promise<Uint8Array> }[]> {
  if (threads !== undefined) {
    const ws = startWorkers(Math.max(0, threads - 1));
    await Promise.all(ws.map((w) => w.started));
    return ws;
  }
  startKernelWorkers();
  // A worker's "ready" is a message, delivered only when this thread returns to the event loop; a
  // prover that runs from one await to the next without I/O never does, so it must let it through.
  if (pool.some((w) => !w.ready)) await new Promise((resolve) => setImmediate(resolve));
  return pool.filter((w) => w.ready);
}

/** Stops the workers (releaseEngine() calls this); jobs in flight fail. */
export async function stopKernelWorkers(): Promise<void> {
  const stopping = pool;
  pool = [];
  await Promise.all(stopping.map((w) => w.terminate()));
}
