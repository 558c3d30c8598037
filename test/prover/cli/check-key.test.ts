import { expect } from "chai";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { zk } from "../../helpers/cli.js";
import { releaseEngine } from "../../../verifier/engine/bn254.js";
import { layout, VK_BYTES } from "../../../prover/plonkish/index.js";

/** Recomputes pk.bin's SHA-256 trailer after an edit, as someone who meant the edit would. */
function reseal(bytes: Uint8Array): Uint8Array {
  const end = bytes.length - 32;
  bytes.set(createHash("sha256").update(bytes.subarray(0, end)).digest(), end);
  return bytes;
}

describe("cli: zkinfer check-key", () => {
  let tmp: string;
  let model: string;
  let other: string;
  const setup = (dir: string, seed: string) =>
    zk("setup", dir, "--dev-srs", "--circuit", "matvec", "--param", "m=3", "--param", "k=4", "--param", "bits=4", "--param", `seed=${seed}`);

  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), "zkinfer-check-key-"));
    model = join(tmp, "model");
    other = join(tmp, "other");
    expect((await setup(model, "one")).code).to.equal(0);
    expect((await setup(other, "two")).code).to.equal(0);
  });

  after(async () => {
    await rm(tmp, { recursive: true, force: true });
    await releaseEngine();
  });

  it("passes a key as setup wrote it: exit 0", async () => {
    const run = await zk("check-key", model, "--json");
    expect(run.code, run.stderr).to.equal(0);
    const result = JSON.parse(run.stdout).result;
    expect(result).to.deep.include({ valid: true, reasons: [], logRows: 6, insecure: true });
    expect((await zk("check-key", model)).stdout).to.match(/pk\.bin: valid \(2\^6 rows, verification key digest 0x[0-9a-f]{64}\); made with --dev-srs: INSECURE/);
  });

  it("fails a resealed edit that prove's digest check lets through (exit 1), and a corrupted file as bad input (exit 2)", async () => {
    const pkPath = join(model, "pk.bin");
    const good = await readFile(pkPath);
    try {
      const n = 2 ** 6;
      const commitKey = 40 + VK_BYTES + 2 * layout.NUM_FIXED * n * 32 + layout.WEIGHT_SLOTS * (n * 32 + (n + 1) * 32);
      const edited = Uint8Array.from(good);
      // Commit-key powers 0 and 1 swapped: both valid points, the commitments no longer match.
      const p0 = edited.slice(commitKey, commitKey + 64);
      edited.copyWithin(commitKey, commitKey + 64, commitKey + 128);
      edited.set(p0, commitKey + 64);
      await writeFile(pkPath, reseal(edited));
      const run = await zk("check-key", model);
      expect(run.code).to.equal(1);
      expect(run.stdout).to.match(/^INVALID:\n {2}- .*pk\.bin: proving key: its commit key, fixed columns and weights and Lagrange key do not give the commitments/);

      edited[1000] ^= 1;
      await writeFile(pkPath, edited);
      const corrupted = await zk("check-key", model);
      expect(corrupted.code).to.equal(2);
      expect(corrupted.stderr).to.match(/corrupted \(its SHA-256 checksum does not match\)/);
    } finally {
      await writeFile(pkPath, good);
    }
  });

  it("fails a vk.bin from another setup and a manifest that lays out another circuit (exit 1)", async () => {
    const vkPath = join(model, "vk.bin");
    const vk = await readFile(vkPath);
    const manifestPath = join(model, "circuit.json");
    const manifest = await readFile(manifestPath, "utf8");
    try {
      await writeFile(vkPath, await readFile(join(other, "vk.bin")));
      const mixed = await zk("check-key", model, "--json");
      expect(mixed.code).to.equal(1);
      expect(JSON.parse(mixed.stdout).result.reasons.join("\n")).to.match(/come from different setups/);
      await writeFile(vkPath, vk);
      await writeFile(manifestPath, await readFile(join(other, "circuit.json")));
      const relaid = await zk("check-key", model);
      expect(relaid.code).to.equal(1);
      expect(relaid.stdout).to.match(/circuit\.json does not lay out the circuit .*pk\.bin was made for/);
    } finally {
      await writeFile(vkPath, vk);
      await writeFile(manifestPath, manifest);
    }
  });

  it("needs a model directory with a key (exit 2)", async () => {
    expect((await zk("check-key", join(tmp, "nothing"))).code).to.equal(2);
    const run = await zk("check-key", model, "extra");
    expect(run.code).to.equal(2);
  });
});
