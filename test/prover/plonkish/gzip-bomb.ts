// A real gzip bomb for the public circuit decoder: a valid header (a small table), then `mebibytes`
// MiB of zeros, as concatenated gzip members of one MiB each (gunzip reads them as one stream), so
// a file of about a kilobyte per MiB inflates far past the length its header declares.
import { gzipSync } from "node:zlib";
import { PUBLIC_CIRCUIT_MAGIC, PUBLIC_CIRCUIT_VERSION } from "../../../prover/plonkish/public-circuit.js";

export function publicCircuitBomb(opts: { logRows: number; mebibytes: number }): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify({ count: 0, ranges: [] }));
  // Header: magic, version, k, ℓ = 0, the layout's length, no runs.
  const head = new Uint8Array(24 + json.length);
  const view = new DataView(head.buffer);
  head.set(PUBLIC_CIRCUIT_MAGIC, 0);
  [PUBLIC_CIRCUIT_VERSION, opts.logRows, 0, json.length, 0].forEach((v, i) => view.setUint32(4 + 4 * i, v));
  head.set(json, 24);
  const zeros = gzipSync(new Uint8Array(1 << 20), { level: 9 });
  return Buffer.concat([gzipSync(head), ...Array.from({ length: opts.mebibytes }, () => zeros)]);
}
