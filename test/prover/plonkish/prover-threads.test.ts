import { expect } from "chai";
import { releaseEngine } from "../../../verifier/engine/bn254.js";
import { frVecEquals, frVecFromBigints } from "../../../verifier/engine/fr.js";
import { BackgroundWindow, backgroundTransformCount, cosetConstantsInBackground, cosetFftInBackground, gateWorkerCount, stopGateWorkers, transformMany } from "../../../prover/plonkish/gate-pool.js";
import { cosetPointsAndL0 } from "../../../prover/plonkish/coset-constants.js";
import { R } from "../../../verifier/engine/bn254.js";
import { frExp } from "../../../verifier/engine/scalar.js";
import { frGet } from "../../../verifier/engine/fr.js";
import { COSET_GENERATOR } from "../../../prover/poly/index.js";
import { prove, setup, srsSizeFor, verify } from "../../../prover/plonkish/index.js";
import { cosetFft, Domain } from "../../../prover/poly/index.js";
import { matvec, sizedMatvec } from "../../../prover/circuits/matvec.js";
import { devSrs } from "../../../prover/srs/index.js";
import { fieldRng } from "./circuits.js";

/** Starts a gate worker and waits until it has done a job (so it counts as ready). */
async function readyGateWorker(): Promise<void> {
  const v = frVecFromBigints([1n, 2n, 3n, 4n]);
  await transformMany("ifft", [v, v], Domain.create(2), { threads: 2 });
  expect(gateWorkerCount()).to.be.at.least(1);
}

describe("prover: coset transforms on a gate worker while the prover derives columns", function () {
  after(releaseEngine);

  it("cosetFftInBackground gives the coset values the main thread would while its window is open, and skips them once it has closed", async function () {
    this.timeout(120_000);
    const extended = Domain.create(14);
    const next = fieldRng(41n);
    const polys = [0, 1].map(() => frVecFromBigints(Array.from({ length: 1 << 12 }, next)));
    await stopGateWorkers();
    expect(await cosetFftInBackground(polys, extended, new BackgroundWindow())).to.deep.equal([]);
    await readyGateWorker();
    // Below the size where a transform is worth posting, the caller keeps it.
    expect(await cosetFftInBackground(polys, Domain.create(13), new BackgroundWindow())).to.deep.equal([]);
    const before = backgroundTransformCount();
    const background = await cosetFftInBackground(polys, extended, new BackgroundWindow());
    expect(background).to.have.length(2);
    for (const [i, values] of background.entries()) expect(frVecEquals((await values)!, await cosetFft(polys[i], extended))).to.equal(true);
    expect(backgroundTransformCount() - before).to.equal(2);
    const closed = new BackgroundWindow();
    closed.close();
    const skipped = await cosetFftInBackground(polys, extended, closed);
    expect(await Promise.all(skipped)).to.deep.equal([undefined, undefined]);
    expect(backgroundTransformCount() - before).to.equal(2);
    await stopGateWorkers();
  });

  it("the extended coset's points and L_0 there, from our kernels on this thread and on a gate worker", async function () {
    this.timeout(120_000);
    for (const logRows of [2, 5, 11]) {
      const n = 2 ** logRows;
      const extended = Domain.create(logRows + 2);
      const { x, l0, joint } = cosetPointsAndL0(logRows);
      for (let i = 0; i < 4 * n; i += i < 40 ? 1 : 97) {
        const xi = (COSET_GENERATOR * frExp(extended.omega, BigInt(i))) % R;
        expect(frGet(x, i), `x_${i} at 2^${logRows}`).to.equal(xi);
        // L_0(x) = (xⁿ − 1)/(n·(x − 1)), checked as L_0(x)·n·(x − 1) = xⁿ − 1.
        expect((((frGet(l0, i) * BigInt(n)) % R) * ((xi - 1n + R) % R)) % R, `L_0 at x_${i}`).to.equal((frExp(xi, BigInt(n)) - 1n + R) % R);
      }
      await readyGateWorker();
      const made = await cosetConstantsInBackground(logRows, new BackgroundWindow());
      expect(made).to.not.equal(undefined);
      expect(frVecEquals((await made!.joint)!, joint)).to.equal(true);
    }
    await stopGateWorkers();
    expect(await cosetConstantsInBackground(4, new BackgroundWindow())).to.equal(undefined);
  });

  it("a proof with some coset values from a gate worker is byte for byte the one made without", async function () {
    this.timeout(600_000);
    // 2^12 rows: the quotient's coset (2^14 points) is large enough for the background transforms.
    const built = matvec.build(matvec.normalizeParams({ ...sizedMatvec(12) }));
    const pk = await setup(built.table, await devSrs(srsSizeFor(built.table.logRows)));
    await stopGateWorkers();
    const before = backgroundTransformCount();
    const alone = await prove(pk, built.witness, { random: fieldRng(7n) });
    expect(backgroundTransformCount() - before).to.equal(0);
    await readyGateWorker();
    // However many of its transforms the worker reached before the windows closed.
    const withWorker = await prove(pk, built.witness, { random: fieldRng(7n) });
    expect(Buffer.from(withWorker.proof).equals(Buffer.from(alone.proof))).to.equal(true);
    expect(await verify(pk.vk, withWorker.proof, withWorker.publicInputs)).to.equal(true);
    await stopGateWorkers();
  });
});
