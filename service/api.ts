// The HTTP API of `zkinfer serve` (Fastify; requests are checked against the JSON schemas below,
// which /v1/openapi.json also publishes). A request is checked in full (model, input shape and
// range, as `zkinfer prove` checks input.json) before any job is made: a bad one gets 400 and
// leaves nothing in Redis.
import { createHash, randomUUID } from "node:crypto";
import Fastify, { type FastifyError, type FastifyInstance } from "fastify";
import type { Queue } from "bullmq";
import { CircuitInputError } from "../prover/circuits/index.js";
import { authorized, hashApiKey } from "./api-keys.js";
import { parsePublicJobId, proofState, publicJobId, queueTag, type ProofJobData, type ProofJobResult } from "./jobs.js";
import type { ServiceMetrics } from "./metrics.js";
import { modelInfo, parseModelInput, type ModelCatalog } from "./models.js";
import { openApiDocument, schemas } from "./openapi.js";

export interface ApiOptions {
  catalog: ModelCatalog;
  /** The queue of each model, by VK digest. */
  queues: ReadonlyMap<string, Queue<ProofJobData, ProofJobResult>>;
  metrics: ServiceMetrics;
  /** SHA-256 hex of the accepted API keys; undefined: the /v1 routes are open. */
  apiKeyHashes?: ReadonlySet<string>;
  /** Request bodies larger than this are refused with 413 (default 8 MiB). */
  bodyLimit?: number;
  log?: (message: string) => void;
}

interface ProofRequestBody {
  model: string;
  input: { input_data: unknown[] };
  idempotencyKey?: string;
}

export function buildApi(options: ApiOptions): FastifyInstance {
  const { catalog, queues, metrics, apiKeyHashes } = options;
  const log = options.log ?? (() => undefined);
  // No coercion and no silent removal of unknown fields: what the schema does not allow is a 400.
  const app = Fastify({ logger: false, bodyLimit: options.bodyLimit ?? 8 * 1024 * 1024, ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } } });
  const byTag = new Map([...queues].map(([digest, queue]) => [queueTag(digest), { queue, model: catalog.find(digest)! }]));

  app.setErrorHandler((err: FastifyError, _req, reply) => {
    if (err.validation) return reply.code(400).send({ error: `invalid request: ${err.message}` });
    const status = err.statusCode ?? 500;
    if (status < 500) return reply.code(status).send({ error: err.message });
    log(`internal error: ${err.stack ?? err.message}`);
    return reply.code(500).send({ error: "internal error" });
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: `no route ${req.method} ${req.url.split("?")[0]}` }));

  if (apiKeyHashes) {
    app.addHook("onRequest", async (req, reply) => {
      const path = req.url.split("?")[0];
      if ((path === "/v1" || path.startsWith("/v1/")) && !authorized(req.headers.authorization, apiKeyHashes)) {
        return reply.code(401).header("www-authenticate", "Bearer").send({ error: "missing or unknown API key: send Authorization: Bearer <key>" });
      }
    });
  }

  app.post<{ Body: ProofRequestBody }>("/v1/proofs", { schema: { body: schemas.proofRequest } }, async (req, reply) => {
    const { model: name, input, idempotencyKey } = req.body;
    const model = catalog.find(name);
    if (!model) return reply.code(400).send({ error: `unknown model "${name}"; GET /v1/models lists the models (by id or verification-key digest)` });
    try {
      parseModelInput(model, input.input_data);
    } catch (err) {
      if (err instanceof CircuitInputError) return reply.code(400).send({ error: `bad input for model ${model.id}: ${err.message}` });
      throw err;
    }
    const queue = queues.get(model.digest)!;
    const data: ProofJobData = { digest: model.digest, inputData: input.input_data };
    if (idempotencyKey === undefined) {
      const job = await queue.add("prove", data, { jobId: randomUUID() });
      return reply.code(202).send({ id: publicJobId(model.digest, job.id!) });
    }
    // The same key (per API key) names the same job; BullMQ adds nothing when the id exists.
    const caller = apiKeyHashes ? hashApiKey(bearer(req.headers.authorization)) : "";
    const jobId = `i${createHash("sha256").update(`${caller}\n${idempotencyKey}`).digest("hex").slice(0, 40)}`;
    await queue.add("prove", data, { jobId });
    const job = await queue.getJob(jobId);
    if (job && JSON.stringify(job.data) !== JSON.stringify(data)) {
      return reply.code(409).send({ error: `idempotencyKey "${idempotencyKey}" was already used for a different request (job ${publicJobId(model.digest, jobId)})` });
    }
    return reply.code(202).send({ id: publicJobId(model.digest, jobId) });
  });

  app.get<{ Params: { id: string } }>("/v1/proofs/:id", { schema: { params: schemas.proofParams } }, async (req, reply) => {
    const parsed = parsePublicJobId(req.params.id);
    const target = parsed && byTag.get(parsed.tag);
    const job = target && parsed ? await target.queue.getJob(parsed.jobId) : undefined;
    if (!target || !job) return reply.code(404).send({ error: `no proof job ${req.params.id} (unknown, or its result outlived the retention)` });
    const state = proofState(await job.getState());
    if (!state) return reply.code(404).send({ error: `no proof job ${req.params.id}` });
    const progress = state === "completed" ? 100 : typeof job.progress === "number" ? job.progress : 0;
    return {
      id: req.params.id,
      model: target.model.id,
      state,
      progress,
      ...(state === "completed" && job.returnvalue ? { proof: job.returnvalue.proof } : {}),
      ...(state === "failed" ? { error: job.failedReason } : {}),
    };
  });

  app.get("/v1/models", async () => ({ models: catalog.models.map(modelInfo) }));

  app.get("/v1/openapi.json", async () => openApiDocument());

  app.get("/healthz", async (_req, reply) => {
    try {
      const queue = queues.values().next().value!;
      // A round trip to Redis; BullMQ's clients wait for a reconnect, so a lost Redis would hang it.
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("no answer within 2 s")), 2000)));
      await Promise.race([queue.getJobCounts("waiting"), timeout]).finally(() => clearTimeout(timer));
      return { status: "ok", models: catalog.models.length };
    } catch (err) {
      return reply.code(503).send({ status: "unavailable", error: `Redis: ${(err as Error).message}` });
    }
  });

  app.get("/metrics", async (_req, reply) => {
    const depths = await Promise.all(
      catalog.models.map(async (m) => ({ model: m.id, counts: await queues.get(m.digest)!.getJobCounts("waiting", "prioritized", "delayed", "active", "completed", "failed") })),
    );
    return reply.type("text/plain; version=0.0.4; charset=utf-8").send(metrics.render(depths));
  });

  return app;
}

function bearer(header: string | undefined): string {
  return /^Bearer\s+(\S+)/i.exec(header ?? "")?.[1] ?? "";
}
