// Core throughput: MSM, FFT and KZG next to the raw ffjavascript figure for the same operation,
// so the overhead of zkinfer's layer is visible.
import type { Bn128 } from "ffjavascript";
import { R } from "../../verifier/engine/bn254.js";
import { msm } from "../../prover/engine/g1.js";
import { frVecFromBigints } from "../../verifier/engine/fr.js";
import { Domain, fft } from "../../prover/poly/index.js";
import { commit, open } from "../../prover/kzg/index.js";
import { devSrs } from "../../prover/srs/index.js";
import { timeAgainst, timeMedian, type BenchRow } from "./report.js";

function pseudoRandomScalars(n: number): Uint8Array {
  const xs: bigint[] = new Array(n);
  let x = 0x1234567890abcdefn;
  for (let i = 0; i < n; i++) {
    x = (x * 6364136223846793005n + 1442695040888963407n) % R;
    xs[i] = x;
  }
  return frVecFromBigints(xs);
}

/** The reference MSM every time is also reported in: 2^16 G1 points through ffjavascript. */
export const REFERENCE_MSM_LOG = 16;

/**
 * A timer of the reference MSM (random scalars, dev-SRS points, standard form, ffjavascript's own
 * multiExpAffine): each call times one after the first call's warm-up.
 */
export async function referenceMsm(curve: Bn128): Promise<() => Promise<number>> {
  const n = 1 << REFERENCE_MSM_LOG;
  const bases = (await devSrs(n)).g1.subarray(0, n * 64);
  const scalars = await curve.Fr.batchFromMontgomery(pseudoRandomScalars(n));
  await curve.G1.multiExpAffine(bases, scalars);
  return async () => {
    const t0 = performance.now();
    await curve.G1.multiExpAffine(bases, scalars);
    return performance.now() - t0;
  };
}

export async function benchCore(curve: Bn128, opts: { maxMsmLog: number; maxFftLog: number; log: (s: string) => void }): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const srs = await devSrs(1 << opts.maxMsmLog);

  for (let k = 12; k <= opts.maxMsmLog; k += 2) {
    const n = 1 << k;
    const scalars = pseudoRandomScalars(n);
    const standard = await curve.Fr.batchFromMontgomery(scalars);
    const bases = srs.g1.subarray(0, n * 64);
    const [ms, rawMs] = await timeAgainst(
      () => msm(curve, bases, scalars),
      () => curve.G1.multiExpAffine(bases, standard),
    );
    rows.push({ suite: "core", name: "G1 MSM", size: n, ms, rawMs, throughput: (n * 1000) / ms });
    opts.log(`MSM 2^${k}: ${ms.toFixed(1)} ms (raw ${rawMs.toFixed(1)} ms)`);
  }

  for (let k = 12; k <= opts.maxFftLog; k += 2) {
    const n = 1 << k;
    const coeffs = pseudoRandomScalars(n);
    const domain = await Domain.create(k);
    const [ms, rawMs] = await timeAgainst(
      () => fft(coeffs, domain),
      () => curve.Fr.fft(coeffs),
    );
    rows.push({ suite: "core", name: "Fr FFT", size: n, ms, rawMs, throughput: (n * 1000) / ms });
    opts.log(`FFT 2^${k}: ${ms.toFixed(1)} ms (raw ${rawMs.toFixed(1)} ms)`);
  }

  for (let k = 12; k <= opts.maxMsmLog; k += 2) {
    const n = 1 << k;
    const poly = pseudoRandomScalars(n);
    const commitMs = await timeMedian(() => commit(curve, srs, poly));
    const openMs = await timeMedian(() => open(curve, srs, poly, 0xabcdefn));
    rows.push({ suite: "core", name: "KZG commit", size: n, ms: commitMs, throughput: (n * 1000) / commitMs });
    rows.push({ suite: "core", name: "KZG open", size: n, ms: openMs, throughput: (n * 1000) / openMs });
    opts.log(`KZG 2^${k}: commit ${commitMs.toFixed(1)} ms, open ${openMs.toFixed(1)} ms`);
  }
  return rows;
}
