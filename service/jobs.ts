// What the API node and the workers agree on through Redis: one BullMQ queue per model (named by
// its verification-key digest, so a worker serves exactly the models whose keys it holds, on any
// machine), the job's data and result, and the public id of a job (the queue's short name, a dot,
// the BullMQ job id).
import type { ConnectionOptions } from "bullmq";
import type { ProofFile } from "../prover/plonkish/index.js";
import type { ProofJobState } from "../sdk/prover-client.js";
import { ServiceSetupError } from "./errors.js";

/** Redis key prefix of every queue of the service. */
export const QUEUE_PREFIX = "zkinfer";

/** The queue of a model: its VK digest without 0x. */
export function queueName(digest: string): string {
  return `proofs-${digest.replace(/^0x/, "").toLowerCase()}`;
}

/** The part of a public job id that names the model's queue: the digest's first 16 hex digits. */
export function queueTag(digest: string): string {
  return digest.replace(/^0x/, "").toLowerCase().slice(0, 16);
}

export function publicJobId(digest: string, jobId: string): string {
  return `${queueTag(digest)}.${jobId}`;
}

/** Splits a public job id; undefined when it is not one. */
export function parsePublicJobId(id: string): { tag: string; jobId: string } | undefined {
  const m = /^([0-9a-f]{16})\.([0-9a-zA-Z_-]{1,64})$/.exec(id);
  return m ? { tag: m[1], jobId: m[2] } : undefined;
}

export interface ProofJobData {
  /** The model's VK digest (0x hex): the worker checks it against the key it holds. */
  digest: string;
  /** EZKL's input_data, as the request gave it (checked by the API node, again by the worker). */
  inputData: unknown;
}

export interface ProofJobResult {
  proof: ProofFile;
  /** hostname/pid of the worker that proved it. */
  worker: string;
  timingsMs: { witness: number; prove: number };
}

/** The states a client sees (the SDK's prover client reads the same type). */
export type ProofState = ProofJobState;

/** BullMQ's job state → the API's. */
export function proofState(state: string): ProofState | undefined {
  switch (state) {
    case "waiting":
    case "delayed":
    case "prioritized":
    case "waiting-children":
    case "wait":
      return "queued";
    case "active":
      return "active";
    case "completed":
      return "completed";
    case "failed":
      return "failed";
    default:
      return undefined;
  }
}

/** ioredis options from a redis:// or rediss:// URL (user, password, database number). */
export function redisConnection(url: string): ConnectionOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ServiceSetupError(`--redis ${url} is not a URL (expected redis://[user:password@]host:port[/db])`);
  }
  if (u.protocol !== "redis:" && u.protocol !== "rediss:") throw new ServiceSetupError(`--redis ${url}: expected a redis:// or rediss:// URL`);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw new ServiceSetupError(`--redis ${url}: the database must be a number (redis://host:port/0)`);
  return {
    host: u.hostname.replace(/^\[|\]$/g, "") || "127.0.0.1",
    port: u.port ? Number(u.port) : 6379,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db,
    tls: u.protocol === "rediss:" ? {} : undefined,
    // BullMQ's workers block on Redis; a request must wait for a reconnect rather than fail.
    maxRetriesPerRequest: null,
  };
}

/** Waits for a BullMQ client to reach Redis, or fails with the URL after `timeoutMs`. */
export async function reachRedis(client: { waitUntilReady(): Promise<unknown> }, url: string, timeoutMs = 10_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ServiceSetupError(`cannot reach Redis at ${url} within ${timeoutMs / 1000} s; check that it runs and that this machine may connect`)), timeoutMs);
  });
  try {
    await Promise.race([client.waitUntilReady(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
