// Setup streams pk.bin and public-circuit.bin to disk (at 2^22 rows pk.bin is ~8 GiB, too much to
// hold whole next to the key): the files must be the very bytes of the whole-buffer encoders, and a
// failure part-way must leave neither a half-written file nor a temporary one behind.
import { expect } from "chai";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { releaseEngine } from "../../../verifier/engine/bn254.js";
import { matvec } from "../../../prover/circuits/index.js";
import { devSrs } from "../../../prover/srs/index.js";
import {
  decodeProvingKey,
  decodePublicCircuit,
  encodeProvingKey,
  encodePublicCircuit,
  provingKeyChunks,
  publicCircuitFileChunks,
  setup,
  srsSizeFor,
  type ProvingKey,
} from "../../../prover/plonkish/index.js";
import { writeChunksAtomic } from "../../../prover/cli/model-dir.js";
import { InputError } from "../../../prover/cli/errors.js";
import { expectRejection } from "../../helpers/assert.js";

describe("cli: streamed key files", () => {
  let pk: ProvingKey;
  let dir: string;
  const params = matvec.normalizeParams({ m: 3, k: 4, bits: 4, seed: "stream" });
  const layout = matvec.publicInputLayout(params);

  before(async () => {
    const built = matvec.build(params, matvec.parseInput(params, [[3, -1, 4, -5]]));
    pk = await setup(built.table, await devSrs(srsSizeFor(built.table.logRows)), { publicInputLayout: layout });
    dir = await mkdtemp(join(tmpdir(), "zkinfer-stream-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
    await releaseEngine();
  });

  it("writes pk.bin chunk by chunk as the same bytes as the whole encoding, which loads", async () => {
    const path = join(dir, "pk.bin");
    const { total, chunks } = provingKeyChunks(pk);
    const count = [...chunks].length;
    // header, vk, 22 + 22 + 8 + 8 columns, commit key, Lagrange key, 30 coset columns, runs, checksum
    expect(count).to.be.greaterThan(60);
    expect(await writeChunksAtomic(path, chunks)).to.equal(total);
    const file = new Uint8Array(await readFile(path));
    expect(Buffer.from(file).equals(Buffer.from(encodeProvingKey(pk)))).to.equal(true);
    const loaded = await decodeProvingKey(file);
    expect(Buffer.from(loaded.vkDigest).equals(Buffer.from(pk.vkDigest))).to.equal(true);
  });

  it("writes public-circuit.bin compressed as it goes, as the same bytes as the whole encoding", async () => {
    const path = join(dir, "public-circuit.bin");
    const written = await writeChunksAtomic(path, publicCircuitFileChunks(pk.table, layout));
    const file = new Uint8Array(await readFile(path));
    expect(written).to.equal(file.length);
    const whole = await encodePublicCircuit(pk.table, layout);
    expect(Buffer.from(gunzipSync(file)).equals(gunzipSync(whole))).to.equal(true);
    // zlib's output does not depend on how its input was split (no flushes in between)
    expect(Buffer.from(file).equals(Buffer.from(whole))).to.equal(true);
    const decoded = await decodePublicCircuit(file);
    expect(decoded.layout).to.deep.equal(layout);
  });

  it("leaves the old file and no temporary file when a chunk fails part-way", async () => {
    const path = join(dir, "failing.bin");
    await writeFile(path, "the previous file");
    function* failing(): Generator<Uint8Array> {
      yield new Uint8Array(1 << 16).fill(7);
      throw new Error("disk full (simulated)");
    }
    const err = await expectRejection(writeChunksAtomic(path, failing()), /cannot write .*failing\.bin: disk full \(simulated\)/);
    expect(err).to.be.instanceOf(InputError);
    expect(await readFile(path, "utf8")).to.equal("the previous file");
    expect((await readdir(dir)).filter((f) => f.endsWith(".tmp"))).to.deep.equal([]);
  });

  it("leaves no file when the public circuit's chunks fail (a table setup must not publish)", async () => {
    const path = join(dir, "bad-circuit.bin");
    const bad = { ...pk.table, fixed: pk.table.fixed.map((c, i) => (i === 0 ? c.subarray(32) : c)) };
    await expectRejection(writeChunksAtomic(path, publicCircuitFileChunks(bad, layout)), /./);
    expect((await readdir(dir)).filter((f) => f.startsWith("bad-circuit") || f.includes("bad-circuit"))).to.deep.equal([]);
  });
});
