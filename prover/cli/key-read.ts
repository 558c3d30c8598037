// Reading a proving key, hashed as it is read (read-hashed.ts): a large one on a worker thread
// (key-read-worker.ts), so that `zkinfer prove` builds the witness on the main thread meanwhile; a
// small one on the main thread, where reading and hashing it takes less than starting a thread.
// Neither checks anything: the caller decodes the bytes with every check (decodeProvingKey), given
// the digest so that it need not hash them a second time.
// SPDX-License-Identifier: GPL-3.0-or-later
import { Worker } from "node:worker_threads";
import { readHashed, type HashedRead, type HashedReadRequest } from "./read-hashed.js";

/**
 * Smallest key (bytes) read on a thread of its own. On this project's 2-core machines, starting one
 * and reading a 2 KB file on it took 0.8–0.9 s at load ~10 (1.7–2.0 s with tsx's loader), and
 * hashing the small CNN's 80 MB key on the calling thread 0.12–0.14 s at load ~7.
 */
export const KEY_READ_OFF_THREAD_BYTES = 32 << 20;

/** The worker's answer: the bytes and their digest, or the error that reading them raised. */
export type KeyReadReply = HashedRead | { error: { message: string; code?: string } };

/** A file read failure, with its errno code (ENOENT, EISDIR, …). */
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
  result: Promise<HashedRead>;
  /** Stops a worker's read (one nobody will await must not hold the process open); its result then rejects. */
  cancel(): void;
}

function offThread(request: HashedReadRequest): KeyRead {
  const worker = new Worker(WORKER_URL, { execArgv: WORKER_EXEC_ARGV, workerData: request });
  const result = new Promise<HashedRead>((resolve, reject) => {
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
  return { result, cancel: () => void worker.terminate() };
}

function onThisThread(request: HashedReadRequest): KeyRead {
  const result = readHashed(request).catch((err: NodeJS.ErrnoException) => {
    throw new KeyReadError(err.message, err.code);
  });
  return { result, cancel: () => undefined };
}

/**
 * Starts reading and hashing `request.path`: on a worker thread when `offThreadFrom` (default
 * {@link KEY_READ_OFF_THREAD_BYTES}) bytes or more, otherwise on this one. Errors reading it reject
 * with KeyReadError.
 */
export function readKey(request: HashedReadRequest, size: number, offThreadFrom = KEY_READ_OFF_THREAD_BYTES): KeyRead {
  const read = size >= offThreadFrom ? offThread(request) : onThisThread(request);
  // Until the caller awaits it, a failed read must not be an unhandled rejection.
  read.result.catch(() => undefined);
  return read;
}
