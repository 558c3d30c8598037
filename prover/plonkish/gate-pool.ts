// The prover's worker threads: the quotient's gate evaluation, batches of FFTs, and batches of
// polynomial evaluations.
//
// Every gate is elementwise on the coset except for rotation-1 queries, which read `rowStride`
// elements on (cyclically). So the coset splits into contiguous slices, one per thread: each
// thread evaluates the same combined expression (vector-eval.ts's combineVector, the one and only
// evaluator) on its slice, reading the rotated queries past the slice's end, and the main thread
// joins the slices. Field results are canonical, so the joined vector is bit-identical to the
// main-thread evaluation.
//
// A batch of transforms of one domain (the columns of a phase, the advice columns on the coset)
// is shared out whole: each thread computes its transforms alone, with the same WebAssembly
// kernel, so the results are those of the engine's threaded transforms.
//
// The main thread evaluates the first slice itself and the pool's workers the others. Inputs go
// to the workers in SharedArrayBuffers (copied there once; the per-key fixed columns stay there
// across proofs), so posting a job copies no vectors; each result comes back as a transferred
// buffer. Workers run a single-threaded engine (no ffjavascript pool of their own), are kept
// across proofs, hold the process open only while they have a job, and stop with releaseEngine().
import os from "node:os";
import { Worker } from "node:worker_threads";
import { ENGINE_WORKER_DATA, onEngineRelease } from "../../verifier/engine/bn254.js";
import { EXTENSION } from "../../verifier/plonkish/layout.js";
import { startKernelWorkers } from "../engine/wasm/index.js";
import { frGet, FR_BYTES, type FrVec } from "../../verifier/engine/fr.js";
import { COSET_GENERATOR, cosetFft, evaluate, ifft, onThisThread, threaded, type Domain, type Transform } from "../poly/index.js";
import { queries, type Expr } from "../../verifier/plonkish/expression.js";
import { combineVector, factorSlice, tableEnv, type Factor, type VectorTable } from "./vector-eval.js";
import { toShared } from "../engine/shared.js";

// Callers hand vectors to the workers through this module.
export { toShared };

/** One worker's share: combineVector(exprs, y) · factor on elements [start, end) of the table. */
export interface SliceJob {
  kind: "slice";
  id: number;
  exprs: readonly Expr[];
  y: bigint;
  table: VectorTable;
  factor?: Factor;
  start: number;
  end: number;
}

/** The transforms a batch can hold: values on H → coefficients, coefficients → a coset s·H. */
export type TransformOp = "ifft" | "coset-fft";

/** One transform of a batch, on a domain of 2^logSize elements. */
export interface TransformJob {
  kind: "transform";
  id: number;
  op: TransformOp;
  input: FrVec;
  logSize: number;
  /** The coset's shift s (coset-fft; default COSET_GENERATOR). */
  shift?: bigint;
  /** A background job's window (BackgroundWindow): skipped, with an empty result, if it has closed when the job's turn comes. */
  gate?: Int32Array;
}

/** Values of polynomials (coefficients) at points: `polys[i]` at `points[i]`. */
export interface EvaluateJob {
  kind: "evaluate";
  id: number;
  polys: FrVec[];
  points: bigint[];
}

/** The extended coset's points and L_0 there for a 2^logRows-row table (coset-constants.ts). */
export interface CosetConstantsJob {
  kind: "coset-constants";
  id: number;
  logRows: number;
  /** As TransformJob's. */
  gate?: Int32Array;
}

export type WorkerJob = SliceJob | TransformJob | EvaluateJob | CosetConstantsJob;

/** A worker's answer to a job, or (id −1) its announcement that it has loaded and built its engine. */
export type WorkerReply = { id: number; result: FrVec } | { id: number; error: string } | { id: -1; ready: true };

/** `op` of `input` on `domain`, computed by `transform` (the one definition main thread and workers share). */
export function applyTransform(op: TransformOp, input: FrVec, domain: Domain, transform: Transform, shift = COSET_GENERATOR): Promise<FrVec> {
  return op === "ifft" ? ifft(input, domain, transform) : cosetFft(input, domain, shift, transform);
}

// When the split pays, measured on this project's 2-core machine (median wall time of the gates
// of protocol v1, main thread alone → main thread + 1 warm worker, coset of N elements):
//   N = 2^12: 69 → 35 ms,  2^14: 225 → 165 ms,  2^16: 1068 → 628 ms,  2^18: 3946 → 2574 ms.
// A split costs ~5 ms of CPU per call, so a running worker pays from 2^12 on. Starting one used to
// cost 0.7–1.2 s of CPU (tsx, and ffjavascript's engine, which our kernels do not need); the
// bundled worker of the built package loads in 0.1–0.3 s on the other core, while the main
// thread builds the witness, so it pays for itself from 2^15 (n = 2^13 rows) on.

/** Smallest vector (elements) that running workers take a share of. */
export const MIN_SPLIT_SIZE = 1 << 12;
/** Smallest vector (elements) worth starting workers for. */
export const MIN_START_SIZE = 1 << 15;
/** Upper bound on threads (main included): each worker is a whole isolate and engine. */
const MAX_THREADS = 8;

/** Workers that the coset splits over at most: one per core but the main thread's. */
function helperCount(): number {
  return Math.max(0, Math.min(MAX_THREADS, os.availableParallelism()) - 1);
}

/**
 * Σ_g y^g·G_g, times `factor` (elementwise, or one scalar), on every element of the table: {@link combineVector}
 * over the whole table, split over `threads` threads (main thread included). By default, tables
 * of {@link MIN_SPLIT_SIZE} elements or more are split with the workers that have finished
 * starting, and tables of {@link MIN_START_SIZE} or more start the missing ones (for next time:
 * a worker's start-up takes longer than its share of the work).
 */
export async function combineOnCoset(exprs: readonly Expr[], y: bigint, table: VectorTable, factor?: Factor, options: { threads?: number } = {}): Promise<FrVec> {
  const size = table.size;
  let helpers: GateWorker[];
  if (options.threads !== undefined) {
    helpers = workers(Math.min(options.threads, size) - 1);
  } else {
    startGateWorkers(size);
    helpers = size >= MIN_SPLIT_SIZE ? await readyWorkers() : [];
  }
  if (helpers.length === 0) return combineVector(exprs, y, tableEnv(table), factor);
  const threads = helpers.length + 1;
  const shared = shareTable(exprs, table);
  const sharedFactor = typeof factor === "object" ? toShared(factor) : factor;
  const bounds = Array.from({ length: threads + 1 }, (_, i) => Math.floor((i * size) / threads));
  const remote = helpers.map((w, i) => w.run({ kind: "slice", exprs, y, table: shared, factor: sharedFactor, start: bounds[i + 1], end: bounds[i + 2] }));
  // Until every worker's promise has a handler, a failing one would be an unhandled rejection.
  remote.forEach((p) => p.catch(() => undefined));
  const local = await combineVector(exprs, y, tableEnv(shared, 0, bounds[1]), factorSlice(sharedFactor, 0, bounds[1]));
  const out = new Uint8Array(size * FR_BYTES);
  out.set(local, 0);
  (await Promise.all(remote)).forEach((part, i) => out.set(part, bounds[i + 1] * FR_BYTES));
  return out;
}

// Two transforms of 2^18 side by side, each on one thread, took 889 ms; the engine's threaded
// transform, twice in a row, 1233 ms (2 cores). Below 2^14 elements a transform takes a few ms
// and posting it is not worth it.
/** Smallest domain (elements) whose transforms a batch shares out. */
export const MIN_TRANSFORM_SPLIT_SIZE = 1 << 14;

/** Transform jobs a worker holds at once in {@link transformMany}: one running, one waiting. */
const WORKER_QUEUE = 2;

/**
 * `op` of each input on `domain` (a coset-fft on the coset shift·H, default COSET_GENERATOR·H),
 * the batch shared out between the main thread and the workers that are ready, each transform
 * computed on one thread. Each thread takes the next input when it is ready for one (a worker
 * holds up to {@link WORKER_QUEUE} jobs, so that it never waits for the main thread to post),
 * so only the inputs in flight are copied to shared memory, not a share of the batch at once.
 * Without a ready worker, or on a small domain, the engine's threaded transforms one after the
 * other. The results are the same either way. `threads` (tests) forces that many threads, main
 * included, starting workers if need be.
 */
export async function transformMany(
  op: TransformOp,
  inputs: readonly FrVec[],
  domain: Domain,
  options: { threads?: number; shift?: bigint } = {},
): Promise<FrVec[]> {
  const shift = options.shift ?? COSET_GENERATOR;
  let helpers: GateWorker[];
  if (options.threads !== undefined) helpers = workers(options.threads - 1);
  else helpers = domain.size >= MIN_TRANSFORM_SPLIT_SIZE && inputs.length > 1 ? await readyWorkers() : [];
  if (helpers.length === 0) {
    const out: FrVec[] = [];
    for (const input of inputs) out.push(await applyTransform(op, input, domain, threaded, shift));
    return out;
  }
  // Values on the coset go to the gate workers next (combineOnCoset shares them): moved into
  // shared memory as each is made, there is one extra copy at a time rather than one per column
  // (the workers' come back there already).
  const keep = (v: FrVec): FrVec => (op === "coset-fft" ? toShared(v) : v);
  const out: FrVec[] = new Array(inputs.length);
  let next = 0;
  const onWorker = async (w: GateWorker): Promise<void> => {
    for (let i = next++; i < inputs.length; i = next++) out[i] = keep(await w.run({ kind: "transform", op, input: toShared(inputs[i]), logSize: domain.logSize, shift }));
  };
  const onMain = async (): Promise<void> => {
    for (let i = next++; i < inputs.length; i = next++) {
      out[i] = keep(await applyTransform(op, inputs[i], domain, onThisThread, shift));
      // Let the workers' answers in, so that they get their next inputs.
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  // The workers' first jobs are posted before this thread starts on its own.
  const lanes = helpers.flatMap((w) => Array.from({ length: WORKER_QUEUE }, () => onWorker(w)));
  await Promise.all([...lanes, onMain()]);
  return out;
}

/**
 * A stretch of the main thread's own work (the derived columns: no other thread can share it)
 * during which a gate worker may start background jobs. The worker checks, as each job's turn
 * comes, that the window is still open: a job whose turn comes after close() is skipped (its
 * result is undefined, and the caller does the work itself later). So the background work spills
 * over into the next stage, where both cores are busy, by at most the one job that had started.
 */
export class BackgroundWindow {
  readonly gate = new Int32Array(new SharedArrayBuffer(4));

  constructor() {
    Atomics.store(this.gate, 0, 1);
  }

  close(): void {
    Atomics.store(this.gate, 0, 0);
  }
}

/** Whether a background job's window has closed (gate-worker.ts: the job is then skipped). */
export function windowClosed(gate: Int32Array | undefined): boolean {
  return gate !== undefined && Atomics.load(gate, 0) === 0;
}

let backgroundTransforms = 0;

/** How many transforms {@link cosetFftInBackground} has had done in the background in this process (tests, the bench). */
export function backgroundTransformCount(): number {
  return backgroundTransforms;
}

/**
 * The coset transform of each input on `domain`'s coset, on a gate worker that is ready, while
 * this thread goes on with its own work in `window`; each resolves to undefined when its turn came
 * after the window closed. [] when no worker is ready or the domain is small (the caller transforms
 * later).
 */
export async function cosetFftInBackground(inputs: readonly FrVec[], domain: Domain, window: BackgroundWindow): Promise<Promise<FrVec | undefined>[]> {
  if (domain.size < MIN_TRANSFORM_SPLIT_SIZE) return [];
  const [worker] = await readyWorkers();
  if (!worker) return [];
  return inputs.map((input) =>
    inWindow(worker, { kind: "transform", op: "coset-fft", input: toShared(input), logSize: domain.logSize, shift: COSET_GENERATOR, gate: window.gate }).then((values) => {
      if (values) backgroundTransforms++;
      return values;
    }),
  );
}

/**
 * The extended coset's points and L_0 there (coset-constants.ts, x then L_0 in one shared
 * buffer), made by a gate worker that is ready while this thread works in `window`; undefined
 * without a ready worker, and the joint vector undefined when the job's turn came too late.
 */
export async function cosetConstantsInBackground(logRows: number, window: BackgroundWindow): Promise<{ joint: Promise<FrVec | undefined> } | undefined> {
  const [worker] = await readyWorkers();
  if (!worker) return undefined;
  return { joint: inWindow(worker, { kind: "coset-constants", logRows, gate: window.gate }) };
}

/** A background job's result, undefined when the worker skipped it (its window had closed: an empty result). */
function inWindow(worker: GateWorker, job: Omit<TransformJob, "id"> | Omit<CosetConstantsJob, "id">): Promise<FrVec | undefined> {
  const result = worker.run(job).then((values) => (values.length === 0 ? undefined : values));
  // Until the caller awaits it, a failure must not be an unhandled rejection.
  result.catch(() => undefined);
  return result;
}

// Each evaluation is a Horner chain of n steps (one multiplication each): 39 of them for a proof
// (the columns at ζ and ωζ, and the linearisation), 40–120 ms at n = 2^13 on one thread.
/** Smallest polynomial (coefficients) whose evaluations a batch shares out. */
export const MIN_EVALUATE_SPLIT_SIZE = 1 << 12;

/**
 * `polys[i]` at `points[i]` for every i: the polynomials dealt out in turn to the main thread and
 * the workers that are ready (each evaluation on one thread, by the same kernel, so the values
 * are those of {@link evaluate}). Without a ready worker, or for short polynomials, all on this
 * thread. `threads` (tests) forces that many threads, main included.
 */
export async function evaluateMany(polys: readonly FrVec[], points: readonly bigint[], options: { threads?: number } = {}): Promise<bigint[]> {
  if (polys.length !== points.length) throw new RangeError(`evaluateMany: ${polys.length} polynomials but ${points.length} points`);
  const longest = Math.max(0, ...polys.map((p) => p.length / FR_BYTES));
  let helpers: GateWorker[];
  if (options.threads !== undefined) helpers = workers(options.threads - 1);
  else helpers = longest >= MIN_EVALUATE_SPLIT_SIZE && polys.length > 1 ? await readyWorkers() : [];
  const threads = helpers.length + 1;
  // Polynomial i goes to thread i mod threads; thread 0 is this one.
  const share = (t: number): number[] => polys.map((_, i) => i).filter((i) => i % threads === t);
  const remote = helpers.map((w, k) => {
    const mine = share(k + 1);
    return w.run({ kind: "evaluate", polys: mine.map((i) => toShared(polys[i])), points: mine.map((i) => points[i]) });
  });
  remote.forEach((p) => p.catch(() => undefined));
  const out: bigint[] = new Array(polys.length);
  for (const i of share(0)) out[i] = await evaluate(polys[i], points[i]);
  (await Promise.all(remote)).forEach((values, k) => share(k + 1).forEach((i, j) => (out[i] = frGet(values, j))));
  return out;
}

/** The table with every vector the expressions can read in shared memory (unqueried columns dropped). */
function shareTable(exprs: readonly Expr[], table: VectorTable): VectorTable {
  const used = new Set(exprs.flatMap((e) => queries(e)).map((q) => q.col));
  const share = (v: FrVec | undefined): FrVec | undefined => v && toShared(v);
  return {
    size: table.size,
    rowStride: table.rowStride,
    columns: table.columns.map((v, col) => (used.has(col) ? share(v) : undefined)),
    ...(table.next ? { next: table.next.map(share) } : {}),
    challenges: table.challenges,
    x: share(table.x),
    l0: share(table.l0),
    pi: share(table.pi),
    weightCommitment: share(table.weightCommitment),
  };
}

// ---------------------------------------------------------------------------------------------
// The pool

// Sources run through tsx: a worker needs its loader too (module.register hooks of this thread do
// not carry over), so it gets tsx's ESM hooks on top of this process's flags.
const typescript = import.meta.url.endsWith(".ts");
const WORKER_URL = new URL(typescript ? "./gate-worker.ts" : "./gate-worker.js", import.meta.url);
const WORKER_EXEC_ARGV = typescript ? [...process.execArgv, "--import", import.meta.resolve("tsx/esm")] : undefined;

let nextId = 0;

class GateWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (v: FrVec) => void; reject: (e: Error) => void }>();
  private failure: Error | undefined;
  /** Set once the worker has loaded its modules and built its engine. */
  ready = false;

  constructor(onExit: (w: GateWorker) => void) {
    this.worker = new Worker(WORKER_URL, { execArgv: WORKER_EXEC_ARGV, workerData: ENGINE_WORKER_DATA });
    this.worker.unref();
    this.worker.on("message", (reply: WorkerReply) => {
      if ("ready" in reply) {
        this.ready = true;
        return;
      }
      const job = this.pending.get(reply.id);
      if (!job) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) this.worker.unref();
      if ("error" in reply) job.reject(new Error(`gate worker: ${reply.error}`));
      else job.resolve(reply.result);
    });
    this.worker.on("error", (e) => (this.failure = e));
    this.worker.on("exit", (code) => {
      onExit(this);
      const why = this.failure ?? new Error(`gate worker stopped (exit code ${code})`);
      for (const job of this.pending.values()) job.reject(why);
      this.pending.clear();
    });
  }

  run(job: Omit<SliceJob, "id"> | Omit<TransformJob, "id"> | Omit<EvaluateJob, "id"> | Omit<CosetConstantsJob, "id">): Promise<FrVec> {
    const id = nextId++;
    return new Promise<FrVec>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ ...job, id } satisfies WorkerJob);
    });
  }

  async terminate(): Promise<void> {
    await this.worker.terminate();
  }
}

let pool: GateWorker[] = [];

/**
 * The pool's workers that have finished starting. A worker's "ready" is a message, delivered only
 * when this thread returns to the event loop; a prover that runs from one await to the next
 * without I/O never does (its workers would never be used), so while one is starting this lets
 * the messages through first.
 */
async function readyWorkers(): Promise<GateWorker[]> {
  const started = pool.slice(0, helperCount());
  if (started.some((w) => !w.ready)) await new Promise((resolve) => setImmediate(resolve));
  return started.filter((w) => w.ready);
}

/** The first `count` workers of the pool, starting any that are missing. */
function workers(count: number): GateWorker[] {
  if (pool.length === 0 && count > 0) onEngineRelease(stopGateWorkers);
  while (pool.length < count) pool.push(new GateWorker((w) => (pool = pool.filter((p) => p !== w))));
  return pool.slice(0, count);
}

/**
 * Starts the workers that {@link combineOnCoset} will use on vectors of `size` elements, if it
 * starts any: they load and build their engine in the background, so calling this ahead of the
 * evaluation hides the start-up.
 */
export function startGateWorkers(size: number): void {
  if (size >= MIN_START_SIZE) workers(helperCount());
}

/**
 * Starts every worker thread that a proof on 2^logRows rows will use: the kernels' (MSMs, NTTs)
 * and, when they pay, the gate workers. A caller that starts them before its own work (reading
 * the key, the witness) lets them load and build their engines meanwhile on the other cores.
 */
export function startProverThreads(logRows: number): void {
  startKernelWorkers();
  startGateWorkers(2 ** logRows * EXTENSION);
}

/** Number of workers in the pool (started, whether or not ready). */
export function gateWorkerCount(): number {
  return pool.length;
}

/** Stops the pool's workers (releaseEngine() calls this); jobs in flight fail. */
export async function stopGateWorkers(): Promise<void> {
  const stopping = pool;
  pool = [];
  await Promise.all(stopping.map((w) => w.terminate()));
}
