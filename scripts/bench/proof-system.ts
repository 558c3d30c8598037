// The proof system on the built-in matvec circuit, sized to fill 2^k rows: setup, prove and
// verify time, proof bytes, and the share of prove time spent in MSM, FFT and gate evaluation.
import { matvec, sizedMatvec } from "../../prover/circuits/index.js";
import { prove, setup, srsSizeFor, verify } from "../../prover/plonkish/index.js";
import { devSrs } from "../../prover/srs/index.js";
import type { BenchRow } from "./report.js";

export async function benchProofSystem(opts: { logSizes: readonly number[]; log: (s: string) => void }): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const largest = Math.max(...opts.logSizes);
  const srs = await devSrs(srsSizeFor(largest));
  for (const logRows of opts.logSizes) {
    const params = sizedMatvec(logRows);
    const input = Array.from({ length: params.k * params.P }, (_, i) => BigInt((i % 201) - 100));
    const { table, witness } = matvec.build({ ...params }, input);
    let t0 = performance.now();
    const pk = await setup(table, srs);
    const setupMs = performance.now() - t0;
    // Setup computed the key's coset columns (pk.bin stores them), so this is a CLI run's prove.
    const { proof, publicInputs, timings } = await prove(pk, witness);
    // The same proof committing every column from coefficients, as with a .ptau that has no Lagrange basis.
    const withoutLagrange = (await prove({ ...pk, lagrangeKey: undefined }, witness)).timings;
    t0 = performance.now();
    const ok = await verify(pk.vk, proof, publicInputs);
    const verifyMs = performance.now() - t0;
    if (!ok) throw new Error(`benchmark proof at 2^${logRows} rows does not verify`);
    const share = (x: number): string => `${((100 * x) / timings.total).toFixed(0)}%`;
    rows.push({
      suite: "proof-system",
      name: `prove matvec ${params.m}×${params.k}`,
      size: 2 ** logRows,
      ms: timings.total,
      extra: {
        setupMs: Math.round(setupMs),
        proveWithoutLagrangeMs: Math.round(withoutLagrange.total),
        verifyMs: Math.round(verifyMs),
        proofBytes: proof.length,
        msm: share(timings.msm),
        fft: share(timings.fft),
        gates: share(timings.gates),
        derive: share(timings.derive),
        openings: share(timings.openings),
        other: share(timings.other),
      },
    });
    opts.log(
      `proof system 2^${logRows} (matvec ${params.m}×${params.k}): setup ${setupMs.toFixed(0)} ms, prove ${timings.total.toFixed(0)} ms ` +
        `(MSM ${share(timings.msm)}, FFT ${share(timings.fft)}, gates ${share(timings.gates)}, derive ${share(timings.derive)}, ` +
        `openings ${share(timings.openings)}, other ${share(timings.other)}; ${withoutLagrange.total.toFixed(0)} ms committing from coefficients), verify ${verifyMs.toFixed(0)} ms, ${proof.length} bytes`,
    );
  }
  return rows;
}
