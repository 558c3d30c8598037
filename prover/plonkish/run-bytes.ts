// Declared convolution runs (conv-run.ts's ConvRun) as bytes, for the public circuit file and
// pk.bin: whoever checks a table from either file re-runs checkRuns on exactly the runs setup saw
// (docs/protocol.md §3.8 rule 6, §3.12, §3.13).
//
// Each run is RUN_BYTES bytes, integers big-endian:
//   0    13·4   u32: C_in, C_out, groups, height, width, kernel height, kernel width,
//               pads top, left, bottom, right, bias (0 or 1), row stride L
//   52   3·32   its first output index i, inner index j and column index p, each below r
// The decoder refuses a bias other than 0 or 1 and an index ≥ r; the geometry itself is checked by
// checkRuns (positive sizes, groups dividing the channels, alias-free stride, rows that fit the table).
import { R } from "../../verifier/engine/bn254.js";
import { CircuitError } from "../../verifier/plonkish/errors.js";
import type { ConvRun } from "./conv-run.js";

const GEOMETRY_WORDS = 13;
const INDEX_BYTES = 32;
/** Bytes of one run. */
export const RUN_BYTES = GEOMETRY_WORDS * 4 + 3 * INDEX_BYTES;

function geometryWords(run: ConvRun): number[] {
  const g = run.geometry;
  return [g.inChannels, g.outChannels, g.groups, g.height, g.width, ...g.kernel, ...g.pads, g.bias ? 1 : 0, g.rowStride];
}

/** The runs' bytes; throws CircuitError for a value that has no encoding (not a u32, an index outside [0, r)). */
export function encodeRuns(runs: readonly ConvRun[]): Uint8Array {
  const out = new Uint8Array(runs.length * RUN_BYTES);
  const view = new DataView(out.buffer);
  runs.forEach((run, r) => {
    const o = r * RUN_BYTES;
    geometryWords(run).forEach((v, k) => {
      if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new CircuitError(`convolution run ${r}: geometry value ${v} is not a 32-bit unsigned integer`);
      view.setUint32(o + 4 * k, v);
    });
    [run.i, run.j, run.p].forEach((index, k) => {
      if (index < 0n || index >= R) throw new CircuitError(`convolution run ${r}: index ${index} is not a field element below r`);
      let v = index;
      for (let b = INDEX_BYTES - 1; b >= 0; b--, v >>= 8n) out[o + GEOMETRY_WORDS * 4 + k * INDEX_BYTES + b] = Number(v & 0xffn);
    });
  });
  return out;
}

/** `count` runs from `bytes` (exactly count·RUN_BYTES of them); `fail` throws the caller's error with a reason. */
export function decodeRuns(bytes: Uint8Array, count: number, fail: (why: string) => never): ConvRun[] {
  if (bytes.length !== count * RUN_BYTES) fail(`its ${count} convolution runs need ${count * RUN_BYTES} bytes, it has ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const runs: ConvRun[] = [];
  for (let r = 0; r < count; r++) {
    const o = r * RUN_BYTES;
    const w = Array.from({ length: GEOMETRY_WORDS }, (_, k) => view.getUint32(o + 4 * k));
    if (w[11] > 1) fail(`convolution run ${r}: its bias flag is ${w[11]}, not 0 or 1`);
    const [i, j, p] = [0, 1, 2].map((k) => {
      let v = 0n;
      for (let b = 0; b < INDEX_BYTES; b++) v = (v << 8n) | BigInt(bytes[o + GEOMETRY_WORDS * 4 + k * INDEX_BYTES + b]);
      if (v >= R) fail(`convolution run ${r}: its ${"ijp"[k]} index is not below r`);
      return v;
    });
    runs.push({
      geometry: {
        inChannels: w[0],
        outChannels: w[1],
        groups: w[2],
        height: w[3],
        width: w[4],
        kernel: [w[5], w[6]],
        pads: [w[7], w[8], w[9], w[10]],
        bias: w[11] === 1,
        rowStride: w[12],
      },
      i,
      j,
      p,
    });
  }
  return runs;
}

/** Whether two lists declare the same runs in the same order (their bytes are equal). */
export function sameRuns(a: readonly ConvRun[] | undefined, b: readonly ConvRun[] | undefined): boolean {
  return Buffer.from(encodeRuns(a ?? [])).equals(Buffer.from(encodeRuns(b ?? [])));
}
