// Reading a proving key off the main thread: a worker thread (key-read-worker.ts) reads pk.bin into
// shared memory and hashes it as it reads, so that `zkinfer prove` builds the witness on the main
// thread meanwhile. The worker checks nothing: the caller decodes the bytes with every check
// (decodeProvingKey), given the digest so that it need not hash them a second time.
// SPDX-License-Identifier: GPL-3.0-or-later
import { Worker } from "node:worker_threads";

/** What the worker is asked to read (its workerData). */
export interface KeyReadRequest {
  path: string;
  /** Bytes per read: the worker hashes each while the next is read. */
  chunkBytes: number;
  /** Bytes at the end of the file that the digest leaves out (the stored checksum). */
  checksumBytes: number;
}

/**
 * The worker's answer: the file's bytes (in a SharedArrayBuffer) and the SHA-256 of all but their
 * last `checksumBytes` (missing when the file shrank while it was read, or is shorter than that),
 * or the error that reading it raised.
 */
export type KeyReadReply = { bytes: Uint8Array; bodySha256?: Uint8Array } | { error: { message: string; code?: string } };

/** A file read failure as the worker saw it, with its errno code (ENOENT, EISDIR, …). */
export class KeyReadError extends Error {
  override name = "KeyReadError";
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

// Sources run through tsx: the worker needs its loader too (see plonkish/gate-pool.ts).
const typescript = import.meta.url.endsWith(".ts");
const WORKER_URL = new URL(typescript ? "./key-read-worker.ts" : "./key-read-worker.js", import.meta.url);
const WORKER_EXEC_ARGV = typescript ? [...process.execArgv, "--import", import.meta.resolve("tsx/esm")] : undefined;

/** A read in progress: its outcome, and a way to stop it when the outcome is no longer wanted. */
export interface KeyRead {
  result: Promise<{ bytes: Uint8Array; bodySha256?: Uint8Array }>;
  /** Stops the worker (a read nobody will await must not hold the process open); the result then rejects. */
  cancel(): void;
}

/** Starts reading and hashing `path` on a worker thread. Errors reading it reject with KeyReadError. */
export function readKeyOffThread(request: KeyReadRequest): KeyRead {
  const worker = new Worker(WORKER_URL, { execArgv: WORKER_EXEC_ARGV, workerData: request });
  const result = new Promise<{ bytes: Uint8Array; bodySha256?: Uint8Array }>((resolve, reject) => {
    let settled = false;
    worker.once("message", (reply: KeyReadReply) => {
      settled = true;
      if ("error" in reply) reject(new KeyReadError(reply.error.message, reply.error.code));
      else resolve(reply);
    });
    worker.once("error", (err) => {
      settled = true;
      reject(err);
    });
    worker.once("exit", (code) => {
      if (!settled) reject(new Error(`the proving key's reader thread stopped (exit code ${code}) before it answered`));
    });
  });
  // Until the caller awaits it, a failed read must not be an unhandled rejection.
  result.catch(() => undefined);
  return { result, cancel: () => void worker.terminate() };
}
