// `zkinfer serve`: the API node, with its own Redis unless given one, and optionally in-process
// proving workers. Everything it starts, it stops in close(): HTTP first (no new jobs), then the
// workers (their current jobs finish), the queues, and last the private redis-server.
import { Queue, QueueEvents } from "bullmq";
import { buildApi } from "./api.js";
import { QUEUE_PREFIX, queueName, reachRedis, redisConnection, type ProofJobData, type ProofJobResult } from "./jobs.js";
import { ServiceMetrics } from "./metrics.js";
import { loadResidentModel, ModelCatalog } from "./models.js";
import { startPrivateRedis, type PrivateRedis } from "./redis-server.js";
import { startProvingWorkers, type ProvingWorkers } from "./worker.js";

export interface ServeOptions {
  artifacts: readonly string[];
  host?: string;
  port?: number;
  /** A Redis URL; without one, a private redis-server is started on loopback. */
  redisUrl?: string;
  /** In-process workers (jobs proved at once); 0 for an API-only node. */
  workers?: number;
  apiKeyHashes?: ReadonlySet<string>;
  lockMs?: number;
  retentionSeconds?: number;
  log?: (message: string) => void;
}

export interface RunningService {
  url: string;
  redisUrl: string;
  /** Whether this service started its own redis-server. */
  privateRedis: boolean;
  close(): Promise<void>;
}

export async function startService(options: ServeOptions): Promise<RunningService> {
  const log = options.log ?? (() => undefined);
  const catalog = await ModelCatalog.load(options.artifacts);
  const cleanups: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const step of cleanups.splice(0).reverse()) await step().catch((err: Error) => log(`while stopping: ${err.message}`));
  };
  try {
    let redis: PrivateRedis | undefined;
    if (options.redisUrl === undefined) {
      redis = await startPrivateRedis();
      cleanups.push(() => redis!.stop());
      log(`started a private redis-server at ${redis.url} (stopped with the service)`);
    }
    const redisUrl = options.redisUrl ?? redis!.url;
    const connection = redisConnection(redisUrl);
    const metrics = new ServiceMetrics();
    const queues = new Map<string, Queue<ProofJobData, ProofJobResult>>();
    for (const model of catalog.models) {
      const queue = new Queue<ProofJobData, ProofJobResult>(queueName(model.digest), { connection, prefix: QUEUE_PREFIX });
      cleanups.push(() => queue.close());
      queues.set(model.digest, queue);
      const events = new QueueEvents(queueName(model.digest), { connection, prefix: QUEUE_PREFIX });
      cleanups.push(() => events.close());
      events.on("completed", ({ returnvalue }) => metrics.completedJob(model.id, parseResult(returnvalue)));
      events.on("failed", () => metrics.failedJob(model.id));
      await reachRedis(queue, redisUrl);
      await reachRedis(events, redisUrl);
    }

    const workerCount = options.workers ?? 1;
    if (workerCount > 0) {
      const models = await Promise.all(catalog.models.map((m) => loadResidentModel(m.dir)));
      const workers: ProvingWorkers = await startProvingWorkers({ redisUrl, models, concurrency: workerCount, lockMs: options.lockMs, retentionSeconds: options.retentionSeconds, log });
      cleanups.push(() => workers.close());
      log(`${workerCount} in-process worker(s) ${workers.id} with ${models.length} resident proving key(s)`);
    }

    const app = buildApi({ catalog, queues, metrics, apiKeyHashes: options.apiKeyHashes, log });
    cleanups.push(() => app.close());
    const url = await app.listen({ host: options.host ?? "127.0.0.1", port: options.port ?? 8080 });
    return { url, redisUrl, privateRedis: redis !== undefined, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** A completed event's return value (a JSON string in some BullMQ versions, an object in others). */
function parseResult(value: unknown): ProofJobResult | undefined {
  try {
    const v = typeof value === "string" ? JSON.parse(value) : value;
    return v && typeof v === "object" && "timingsMs" in v ? (v as ProofJobResult) : undefined;
  } catch {
    return undefined;
  }
}
