// Reading a file into shared memory (a proving key's coset columns go to worker threads as they
// are) a chunk at a time, hashing each chunk read while the next one is read (libuv's threads read,
// the calling thread hashes): one pass over the bytes instead of a read and then a hash. Runs on
// the main thread for a small key and on a thread of its own for a large one (key-read.ts).
// SPDX-License-Identifier: GPL-3.0-or-later
import { createHash } from "node:crypto";
import { open } from "node:fs/promises";

export interface HashedReadRequest {
  path: string;
  /** Bytes per read: each is hashed while the next is read. */
  chunkBytes: number;
  /** Bytes at the end of the file that the digest leaves out (a stored checksum). */
  checksumBytes: number;
}

/**
 * The file's bytes (in a SharedArrayBuffer) and the SHA-256 of all but their last
 * `checksumBytes`; no digest when the file shrank while it was read, or is shorter than that.
 */
export interface HashedRead {
  bytes: Uint8Array;
  bodySha256?: Uint8Array;
}

/** Reads and hashes `path` (see {@link HashedReadRequest}); file system errors are thrown as they are. */
export async function readHashed({ path, chunkBytes, checksumBytes }: HashedReadRequest): Promise<HashedRead> {
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
