// Vectors handed to worker threads live in shared memory. A typed array reaches another thread with
// its offset and length taken mod 2^32 (Node 22's serializer), so a view into a buffer of more than
// 4 GiB (a 2^22-row proving key is read into one of 8.6 GB) would arrive pointing at other bytes:
// such a view is handed over as a copy of its own.

/** Largest end (offset + length) of a view that reaches another thread as it is. */
export const MAX_SHARED_VIEW_END = 2 ** 32;

/** `v` itself if it lives in a SharedArrayBuffer and ends below 4 GiB, otherwise a copy that does. */
export function toShared(v: Uint8Array): Uint8Array {
  if (v.buffer instanceof SharedArrayBuffer && v.byteOffset + v.byteLength <= MAX_SHARED_VIEW_END) return v;
  const out = new Uint8Array(new SharedArrayBuffer(v.byteLength));
  out.set(v);
  return out;
}
