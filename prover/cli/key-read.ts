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

/** The worker's answer: the bytes (as {@link toKeyReadReply} sends them) and their digest, or the error that reading them raised. */
export type KeyReadReply = { buffer: SharedArrayBuffer; offset: number; length: number; bodySha256?: Uint8Array } | { error: { message: string; code?: string } };

// A typed array over more than 4 GiB of shared memory reaches another thread with its length taken
// mod 2^32 (Node 22's serializer; a 2^22-row key is 8 GiB), while the buffer itself arrives whole:
// so the worker sends the buffer and the length, and the view is made again here.
/** The reply that carries `read` to another thread. */
export function toKeyReadReply(read: HashedRead): KeyReadReply {
  return { buffer: read.bytes.buffer as SharedArrayBuffer, offset: read.bytes.byteOffset, length: read.bytes.length, ...(read.bodySha256 ? { bodySha256: read.bodySha256 } : {}) };
}

/** The read a reply of {@link toKeyReadReply} carries. */
export function fromKeyReadReply(reply: Exclude<KeyReadReply, { error: unknown }>): HashedRead {
  return { bytes: new Uint8Array(reply.buffer, reply.offset, reply.length), ...(reply.bodySha256 ? { bodySha256: reply.bodySha256 } : {}) };
}

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
      else resolve(fromKeyReadReply(reply));
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
