// A proving worker: for each model it holds (proving key loaded once, kept resident, so the
// engine's fixed-base tables build themselves after a few proofs), a BullMQ worker on the model's
// queue. It proves one job at a time per model, reports progress, and stores the proof file as the
// job's result, kept for the retention. A worker that dies mid-proof stops renewing its job's lock;
// after the lock runs out, a live worker's stalled-job check puts the job back in the queue.
import { hostname } from "node:os";
import { UnrecoverableError, Worker, type Job } from "bullmq";
import { CircuitInputError } from "../prover/circuits/index.js";
import { prove, toProofFile } from "../prover/plonkish/index.js";
import { publicJobId, QUEUE_PREFIX, queueName, reachRedis, redisConnection, type ProofJobData, type ProofJobResult } from "./jobs.js";
import { parseModelInput, type ResidentModel } from "./models.js";

export interface ProvingWorkerOptions {
  redisUrl: string;
  models: readonly ResidentModel[];
  /** Jobs proved at once per model (default 1: a proof already uses every core). */
  concurrency?: number;
  /** How long a job's lock lasts without renewal: how soon a dead worker's job is handed on (default 30 s). */
  lockMs?: number;
  /** How long finished jobs (results and failures) stay in Redis (default one day). */
  retentionSeconds?: number;
  log?: (message: string) => void;
}

export interface ProvingWorkers {
  /** hostname/pid, as it appears in job results. */
  id: string;
  /** Stops taking jobs; waits for the current ones to finish unless `force` (they then go back to the queue once their lock expires). */
  close(force?: boolean): Promise<void>;
}

export const DEFAULT_LOCK_MS = 30_000;
export const DEFAULT_RETENTION_SECONDS = 24 * 3600;

export async function startProvingWorkers(options: ProvingWorkerOptions): Promise<ProvingWorkers> {
  const id = `${hostname()}/${process.pid}`;
  const log = options.log ?? (() => undefined);
  const lockDuration = options.lockMs ?? DEFAULT_LOCK_MS;
  const age = options.retentionSeconds ?? DEFAULT_RETENTION_SECONDS;
  const connection = redisConnection(options.redisUrl);
  const workers = options.models.map((model) => {
    const worker = new Worker<ProofJobData, ProofJobResult>(queueName(model.digest), (job) => proveJob(model, job, id, log), {
      connection,
      prefix: QUEUE_PREFIX,
      concurrency: options.concurrency ?? 1,
      lockDuration,
      stalledInterval: Math.max(500, Math.floor(lockDuration / 2)),
      // A job may outlive one dead worker, and another; a third death marks it failed (a job that kills its prover).
      maxStalledCount: 2,
      removeOnComplete: { age },
      removeOnFail: { age },
      autorun: false,
    });
    worker.on("failed", (job, err) => job && log(`job ${publicJobId(model.digest, job.id!)} failed: ${err.message}`));
    worker.on("error", (err) => log(`worker error (${model.id}): ${err.message}`));
    return worker;
  });
  try {
    await Promise.all(workers.map((w) => reachRedis(w, options.redisUrl)));
  } catch (err) {
    await Promise.all(workers.map((w) => w.close(true)));
    throw err;
  }
  for (const w of workers) void w.run();
  return { id, close: async (force = false) => void (await Promise.all(workers.map((w) => w.close(force)))) };
}

async function proveJob(model: ResidentModel, job: Job<ProofJobData, ProofJobResult>, worker: string, log: (message: string) => void): Promise<ProofJobResult> {
  const name = publicJobId(model.digest, job.id!);
  log(`job ${name} started (${model.id})`);
  if (job.data.digest !== model.digest) throw new UnrecoverableError(`job for model ${job.data.digest} reached the queue of ${model.digest}`);
  let t = performance.now();
  let built;
  try {
    const input = parseModelInput(model, job.data.inputData);
    built = model.circuit.build(model.params, input);
  } catch (err) {
    if (err instanceof CircuitInputError) throw new UnrecoverableError(`bad input: ${err.message}`);
    throw err;
  }
  const witness = Math.round(performance.now() - t);
  await job.updateProgress(10);
  t = performance.now();
  let reported = 10;
  const result = await prove(model.pk, built.witness, {
    onProgress: (_stage, index, total) => {
      const pct = 10 + Math.floor((90 * index) / total);
      if (pct > reported) {
        reported = pct;
        void job.updateProgress(pct).catch(() => undefined);
      }
    },
  });
  const proveMs = Math.round(performance.now() - t);
  log(`job ${name} completed: witness ${witness} ms, prove ${proveMs} ms`);
  return { proof: toProofFile(result.proof, result.publicInputs, built.outputs), worker, timingsMs: { witness, prove: proveMs } };
}
