// A worker thread of key-read.ts: reads and hashes one proving key file (read-hashed.ts) and posts
// the bytes, in shared memory, and their digest, or the error. The main thread meanwhile builds the
// witness; it runs every check of decodeProvingKey on the bytes itself.
// SPDX-License-Identifier: GPL-3.0-or-later
import { parentPort, workerData } from "node:worker_threads";
import { toKeyReadReply, type KeyReadReply } from "./key-read.js";
import { readHashed, type HashedReadRequest } from "./read-hashed.js";

if (!parentPort) throw new Error("key-read-worker.ts runs as a worker thread of key-read.ts");
const port = parentPort;

readHashed(workerData as HashedReadRequest).then(
  (read) => port.postMessage(toKeyReadReply(read)),
  (err: NodeJS.ErrnoException) => port.postMessage({ error: { message: err.message, ...(err.code ? { code: err.code } : {}) } } satisfies KeyReadReply),
);
