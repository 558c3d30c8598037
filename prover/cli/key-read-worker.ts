// A worker thread of key-read.ts: reads one proving key file into shared memory, a chunk at a
// time, and hashes every chunk read (all but the file's last `checksumBytes`, its stored checksum)
// while the next one is read. The main thread meanwhile builds the witness; it gets the bytes and
// their SHA-256 and runs every check of decodeProvingKey on them itself.
// SPDX-License-Identifier: GPL-3.0-or-later
import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import { parentPort, workerData } from "node:worker_threads";
import type { KeyReadReply, KeyReadRequest } from "./key-read.js";

if (!parentPort) throw new Error("key-read-worker.ts runs as a worker thread of key-read.ts");
const port = parentPort;

async function readHashed({ path, chunkBytes, checksumBytes }: KeyReadRequest): Promise<KeyReadReply> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    const bytes = new Uint8Array(new SharedArrayBuffer(size));
    const bodyEnd = size - checksumBytes;
    const hash = createHash("sha256");
    let o = 0;
    /** The range read last, not yet hashed. */
    let last: [number, number] | undefined;
    for (;;) {
      const next = o < size ? handle.read(bytes, o, Math.min(chunkBytes, size - o), o) : undefined;
      next?.catch(() => undefined);
      if (last && last[0] < bodyEnd) hash.update(bytes.subarray(last[0], Math.min(last[1], bodyEnd)));
      if (!next) break;
      const { bytesRead } = await next;
      // The file shrank while it was read: what was read, without a digest (decoding hashes it and refuses it).
      if (bytesRead === 0) return { bytes: bytes.subarray(0, o) };
      last = [o, o + bytesRead];
      o += bytesRead;
    }
    return bodyEnd >= 0 ? { bytes, bodySha256: new Uint8Array(hash.digest()) } : { bytes };
  } finally {
    await handle.close();
  }
}

readHashed(workerData as KeyReadRequest).then(
  (reply) => port.postMessage(reply),
  (err: NodeJS.ErrnoException) => port.postMessage({ error: { message: err.message, ...(err.code ? { code: err.code } : {}) } } satisfies KeyReadReply),
);
