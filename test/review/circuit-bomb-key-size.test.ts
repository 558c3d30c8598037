// Adversarial review of records5 (issue 18, round 4): the public circuit decoder stops inflating at
// the length the file's header declares, and refuses a table larger than vk.bin's. Both numbers come
// from the directory under check, so a malicious model directory whose vk.bin says k = 26 (a field
// nothing else binds before the SRS is loaded) makes `zkinfer check-circuit` (and `zkinfer audit
// --check <dir> --srs`, the Hardhat audit task) inflate up to 16·32·2^26 + 12·2^26 bytes ≈ 33 GiB
// before it finds out that the auditor's SRS (here 2^6) could never check such a key.
// FAILS on records5: the attack works (a 192 MiB bomb of a ~200 KB file is inflated in full).
// Secure: a file whose table the given SRS cannot cover is refused before it is decompressed.
import { expect } from "chai";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { zk } from "../helpers/cli.js";
import { releaseEngine } from "../../verifier/engine/bn254.js";
import { publicCircuitBomb } from "../prover/plonkish/gzip-bomb.js";
import { makePtauFixtures, type PtauFixtures } from "../prover/srs/fixtures.js";

/** Runs `body` while sampling the process's ArrayBuffer memory; returns its result and the peak growth. */
async function peakArrayBuffers<T>(body: () => Promise<T>): Promise<{ result: T; growth: number }> {
  global.gc?.();
  const base = process.memoryUsage().arrayBuffers;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers)), 1);
  try {
    const result = await body();
    peak = Math.max(peak, process.memoryUsage().arrayBuffers);
    return { result, growth: peak - base };
  } finally {
    clearInterval(timer);
  }
}

describe("review: a gzip bomb sized by a forged vk.bin", () => {
  let tmp: string;
  let fx: PtauFixtures;
  const params = ["--circuit", "matvec", "--param", "m=3", "--param", "k=2", "--param", "bits=2"];

  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), "zkinfer-review-bomb-"));
    await releaseEngine();
    fx = await makePtauFixtures();
    const run = await zk("setup", join(tmp, "model"), "--srs", fx.plain, ...params);
    expect(run.code, run.stderr).to.equal(0);
  });
  after(async () => {
    await fx?.remove();
    await rm(tmp, { recursive: true, force: true });
    await releaseEngine();
  });

  it("check-circuit refuses a table the SRS cannot cover before inflating it (vk.bin claims k = 26, the SRS is 2^6)", async () => {
    const dir = join(tmp, "model");
    const vk = await readFile(join(dir, "vk.bin"));
    // The first word after the 4 magic bytes is log2 of the row count; nothing else in vk.bin depends on it.
    vk.fill(0, 4, 36);
    vk[35] = 26;
    await writeFile(join(dir, "vk.bin"), vk);
    const bomb = publicCircuitBomb({ logRows: 26, mebibytes: 192 });
    expect(bomb.length).to.be.below(1 << 18);
    await writeFile(join(dir, "public-circuit.bin"), bomb);
    const { result: run, growth } = await peakArrayBuffers(() => zk("check-circuit", dir, "--srs", fx.plain));
    expect(run.code, run.stderr).to.equal(2);
    expect(run.stderr).to.include("2^26 rows").and.include("not decompressed");
    expect(growth, `check-circuit inflated ${(growth / 2 ** 20).toFixed(0)} MiB of a ${(bomb.length / 1024).toFixed(0)} KiB file for a key no SRS given could check (${run.stderr.trim()})`).to.be.below(32 * 2 ** 20);
  });
});
