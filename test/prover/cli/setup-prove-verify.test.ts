import { expect } from "chai";
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { zk, type Run } from "../../helpers/cli.js";
import { releaseEngine } from "../../../verifier/engine/bn254.js";
import { matvecWeights, type MatvecParams } from "../../../prover/circuits/index.js";
import { PK_CHECKSUM_BYTES, PROOF_BYTES, PROOF_VERSION, srsSizeFor } from "../../../prover/plonkish/index.js";
import { loadProvingKey } from "../../../prover/cli/model-dir.js";
import { expectRejection } from "../../helpers/assert.js";
import { makePtauFixtures, type PtauFixtures } from "../srs/fixtures.js";

/** Runs with --json and returns the parsed output too. */
async function zkJson(...args: string[]): Promise<Run & { out: { command: string | null; exitCode: number; result?: Record<string, unknown>; error?: { type: string; message: string } } }> {
  const run = await zk(...args, "--json");
  return { ...run, out: JSON.parse(run.stdout) };
}

const BIN = fileURLToPath(new URL("../../../bin/zkinfer.js", import.meta.url));

function subprocess(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

describe("cli: zkinfer setup / prove / verify", () => {
  let tmp: string;
  let model: string;
  let input: string;
  let proofPath: string;
  const x = [1, -2, 7, -8];

  const file = (name: string) => join(tmp, name);
  const writeJson = async (name: string, value: unknown) => {
    await writeFile(file(name), typeof value === "string" ? value : JSON.stringify(value));
    return file(name);
  };

  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), "zkinfer-cli-"));
    model = file("model");
    input = await writeJson("input.json", { input_data: [x] });
    proofPath = file("proof.json");
  });

  after(async () => {
    await rm(tmp, { recursive: true, force: true });
    await releaseEngine();
  });

  it("setup --dev-srs --circuit matvec creates the manifest and the keys, with a loud warning", async () => {
    const run = await zkJson("setup", model, "--dev-srs", "--circuit", "matvec", "--param", "m=3", "--param", "k=4", "--param", "bits=4");
    expect(run.code, run.stderr).to.equal(0);
    expect(run.out).to.deep.include({ command: "setup", exitCode: 0 });
    const r = run.out.result!;
    expect(r).to.deep.include({ circuit: "matvec", createdManifest: true, logRows: 6, publicInputCount: 7, insecure: true });
    expect(r.params).to.deep.equal({ m: 3, k: 4, P: 1, bits: 4 }); // no seed in the output
    expect(r.outputs).to.deep.equal({ offset: 4, count: 3 });
    expect(r.digest).to.match(/^0x[0-9a-f]{64}$/);
    expect(run.stderr).to.match(/INSECURE SETUP \(--dev-srs\)/).and.match(/powersOfTau28_hez_final_08\.ptau/).and.match(/--srs <file\.ptau>/);

    expect((await readdir(model)).sort()).to.deep.equal(["circuit.json", "pk.bin", "public-circuit.bin", "vk.bin", "vk.json"]);
    const manifest = JSON.parse(await readFile(join(model, "circuit.json"), "utf8"));
    expect(manifest).to.deep.include({ builtin: "matvec" });
    expect(manifest.params).to.include({ m: 3, k: 4, P: 1, bits: 4 });
    expect(manifest.params.seed).to.match(/^[0-9a-f]{32}$/);
    const vkJson = JSON.parse(await readFile(join(model, "vk.json"), "utf8"));
    expect(vkJson).to.deep.include({ logRows: 6, publicInputCount: 7, insecure: true, digest: r.digest, circuit: "matvec", outputs: { offset: 4, count: 3 } });
  });

  it("setup again reuses circuit.json (the warning comes every time) and keeps the manifest", async () => {
    const before = await readFile(join(model, "circuit.json"), "utf8");
    const run = await zk("setup", model, "--dev-srs");
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stderr).to.match(/INSECURE SETUP/);
    expect(run.stdout).to.match(/^used .*circuit\.json: matvec m=3 k=4 P=1 bits=4/);
    expect(await readFile(join(model, "circuit.json"), "utf8")).to.equal(before);
    expect((await readdir(model)).filter((f) => f.endsWith(".tmp"))).to.deep.equal([]);
  });

  it("prove writes a proof file with the outputs, progress on stderr", async () => {
    const run = await zkJson("prove", model, "--input", input, "--out", proofPath);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.out).to.deep.include({ command: "prove", exitCode: 0 });
    const manifest = JSON.parse(await readFile(join(model, "circuit.json"), "utf8"));
    const w = matvecWeights(manifest.params as MatvecParams);
    const expected = w.map((row) => row.reduce((s, v, j) => s + v * x[j], 0)).map((y) => y * y + y);
    expect(run.out.result).to.deep.include({ proofBytes: PROOF_BYTES, publicInputCount: 7, outputs: expected, insecure: true });
    expect(run.stderr.match(/INSECURE/g), run.stderr).to.have.length(1); // the dev-SRS warning, once
    expect(run.stderr).to.match(/✓ load proving key/).and.match(/✓ witness/).and.match(/✓ prove \(2\^\d+ rows\) \(2244-byte proof\)/);
    const proof = JSON.parse(await readFile(proofPath, "utf8"));
    expect(Object.keys(proof).sort()).to.deep.equal(["outputs", "proof", "publicInputs", "version"]);
    expect(proof.version).to.equal(PROOF_VERSION);
    expect(PROOF_VERSION).to.equal(4);
    expect(proof.outputs).to.deep.equal(expected);
    expect(proof.publicInputs).to.have.length(7);
    expect(proof.publicInputs.slice(4)).to.deep.equal(expected.map(String));
    expect(proof.proof).to.have.length(2 + 2 * PROOF_BYTES);
  });

  it("verify accepts the proof: exit 0, prints valid", async () => {
    const run = await zk("verify", model, proofPath);
    expect(run.code, run.stderr).to.equal(0);
    // stdout is the verdict alone; the dev-SRS warning goes to stderr once, and stays with --quiet
    expect(run.stdout).to.equal("valid\n");
    expect(run.stderr.match(/INSECURE/g)).to.have.length(1);
    const quiet = await zk("verify", model, proofPath, "--quiet");
    expect(quiet.stdout).to.equal("valid\n");
    expect(quiet.stderr).to.match(/^warning: .*--dev-srs: INSECURE/).and.not.match(/\n./);
    const json = await zkJson("verify", model, proofPath);
    expect(json.code).to.equal(0);
    expect(json.out).to.deep.include({ command: "verify", exitCode: 0 });
    expect(json.out.result).to.deep.include({ valid: true, reasons: [], outputsChecked: true, insecure: true });
  });

  describe("verify: invalid proofs exit 1", () => {
    let good: { version: number; proof: string; publicInputs: string[]; outputs: number[] };
    before(async () => {
      good = JSON.parse(await readFile(proofPath, "utf8"));
    });

    const flipped = (byte: number) => {
      const bytes = Buffer.from(good.proof.slice(2), "hex");
      bytes[byte] ^= 0x01;
      return { ...good, proof: `0x${bytes.toString("hex")}` };
    };

    for (const [what, byte] of [
      ["magic", 2],
      ["a commitment's x", 4 + 10],
      ["an evaluation", 4 + 13 * 64 + 5 * 32 + 31],
      ["the last opening witness", PROOF_BYTES - 1],
    ] as const) {
      it(`one byte flipped in ${what}`, async () => {
        const path = await writeJson(`flip-${byte}.json`, flipped(byte));
        const run = await zkJson("verify", model, path);
        expect(run.code, run.stderr).to.equal(1);
        expect(run.out.exitCode).to.equal(1);
        expect(run.out.result).to.deep.include({ valid: false });
        expect((run.out.result!.reasons as string[])[0]).to.match(/does not (decode|verify)/);
        const text = await zk("verify", model, path);
        expect(text.code).to.equal(1);
        expect(text.stdout).to.match(/^invalid$/m);
      });
    }

    it("a changed public input or claimed output", async () => {
      const pis = [...good.publicInputs];
      pis[0] = "2";
      const run = await zkJson("verify", model, await writeJson("pi.json", { ...good, publicInputs: pis }));
      expect(run.code).to.equal(1);
      const outputs = [...good.outputs];
      outputs[1] += 1;
      const out = await zkJson("verify", model, await writeJson("outputs.json", { ...good, outputs }));
      expect(out.code).to.equal(1);
      expect((out.out.result!.reasons as string[]).join()).to.match(/are not the proven public outputs/);
    });

    it("a proof for another model (other weights, or another shape)", async () => {
      const other = file("other");
      expect((await zk("setup", other, "--dev-srs", "--circuit", "matvec", "--param", "m=3", "--param", "k=4", "--param", "bits=4")).code).to.equal(0);
      const run = await zkJson("verify", other, proofPath);
      expect(run.code).to.equal(1);
      expect((run.out.result!.reasons as string[])[0]).to.match(/made for another model or altered/);
      const shape = file("shape");
      expect((await zk("setup", shape, "--dev-srs", "--circuit", "matvec", "--param", "m=2", "--param", "k=4", "--param", "bits=4")).code).to.equal(0);
      const wrong = await zkJson("verify", shape, proofPath);
      expect(wrong.code).to.equal(1);
      expect((wrong.out.result!.reasons as string[])[0]).to.match(/has 7 public inputs but this model's verification key takes 6/);
    });
  });

  describe("bad input exits 2", () => {
    it("verify: malformed proof files, missing files and directories", async () => {
      const good = JSON.parse(await readFile(proofPath, "utf8"));
      const badJson = await zkJson("verify", model, await writeJson("bad.json", "{ not json"));
      expect(badJson.code).to.equal(2);
      expect(badJson.out).to.deep.include({ command: "verify", exitCode: 2 });
      expect(badJson.out.error).to.deep.include({ type: "InputError" });
      expect(badJson.out.error!.message).to.match(/is not valid JSON/);
      expect((await zk("verify", model, await writeJson("extra.json", { ...good, extra: 1 }))).stderr).to.match(/unknown field "extra"/);
      const short = await zk("verify", model, await writeJson("short.json", { ...good, proof: good.proof.slice(0, -2) }));
      expect(short.code).to.equal(2);
      expect(short.stderr).to.match(/"proof" has 2243 bytes; version 4 proofs have exactly 2244/);
      expect((await zk("verify", model, await writeJson("ver.json", { ...good, version: 3 }))).code).to.equal(2);
      expect((await zk("verify", model, await writeJson("pis.json", { ...good, publicInputs: [1, 2] }))).code).to.equal(2);
      const missing = await zkJson("verify", model, file("nope.json"));
      expect(missing.code).to.equal(2);
      expect(missing.out.error!.message).to.match(/proof file .*nope\.json does not exist/);
      const noDir = await zk("verify", file("no-such-model"), proofPath);
      expect(noDir.code).to.equal(2);
      expect(noDir.stderr).to.match(/model directory .*no-such-model does not exist/);
      const empty = file("empty");
      await rm(empty, { recursive: true, force: true });
      await import("node:fs/promises").then((fs) => fs.mkdir(empty));
      const noVk = await zk("verify", empty, proofPath);
      expect(noVk.code).to.equal(2);
      expect(noVk.stderr).to.match(/verification key .*vk\.bin does not exist \(run `zkinfer setup` first\)/);
    });

    it("verify: a vk.json whose public-input layout or outputs are not the ones vk.bin binds", async () => {
      const path = join(model, "vk.json");
      const original = await readFile(path, "utf8");
      const vkJson = JSON.parse(original);
      const range = (role: string, offset: number, count: number) => ({ role, visibility: "public", offset, count, bits: 0, scales: [] });
      expect(vkJson.publicInputLayout).to.deep.equal({ count: 7, ranges: [range("input", 0, 4), range("output", 4, 3)] });
      try {
        // The outputs read at another scale (the layout's digest no longer matches vk.bin's).
        const scaled = structuredClone(vkJson);
        scaled.publicInputLayout.ranges[1].scales = [{ count: 3, scale: 4 }];
        await writeFile(path, JSON.stringify(scaled));
        const run = await zk("verify", model, proofPath);
        expect(run.code).to.equal(2);
        expect(run.stderr).to.match(/"publicInputLayout" is not the layout .*vk\.bin binds/);
        // "outputs" moved while the bound layout stays.
        await writeFile(path, JSON.stringify({ ...vkJson, outputs: { offset: 3, count: 3 } }));
        expect((await zk("verify", model, proofPath)).stderr).to.match(/"outputs" .* disagrees with the bound "publicInputLayout"/);
        const { publicInputLayout: _gone, ...without } = vkJson;
        await writeFile(path, JSON.stringify(without));
        expect((await zk("verify", model, proofPath)).stderr).to.match(/"publicInputLayout" is missing; run `zkinfer setup` again/);
      } finally {
        await writeFile(path, original);
      }
      expect((await zk("verify", model, proofPath)).code).to.equal(0);
    });

    it("setup: no SRS, both SRS options, no circuit, unknown circuit or parameter, a .ptau too small", async () => {
      const none = await zkJson("setup", file("m1"), "--circuit", "matvec", "--param", "m=2", "--param", "k=2");
      expect(none.code).to.equal(2);
      expect(none.out.error).to.deep.include({ type: "UsageError" });
      expect(none.out.error!.message).to.match(/needs an SRS: --srs <file.ptau>.*--dev-srs/);
      expect((await zk("setup", file("m1"), "--dev-srs", "--srs", "x.ptau", "--circuit", "matvec")).stderr).to.match(/either --srs <file.ptau> or --dev-srs, not both/);
      const noCircuit = await zk("setup", file("m1"), "--dev-srs");
      expect(noCircuit.code).to.equal(2);
      // most often a compiled model's directory mistyped or not compiled yet: compile comes first
      expect(noCircuit.stderr).to.match(/m1 does not exist: compile a model into it first \(`zkinfer compile <model\.onnx> --out .*m1`\), or pass --circuit <name>.*matvec/);
      expect((await zk("setup", file("m1"), "--dev-srs", "--circuit", "resnet")).stderr).to.match(/unknown built-in circuit "resnet"/);
      expect((await zk("setup", file("m1"), "--dev-srs", "--circuit", "matvec", "--param", "m=2")).stderr).to.match(/m and k are required/);
      expect((await zk("setup", file("m1"), "--dev-srs", "--circuit", "matvec", "--param", "m=2", "--param", "k=2", "--param", "q=1")).stderr).to.match(/unknown parameter "q"/);
      expect((await zk("setup", file("m1"), "--dev-srs", "--circuit", "matvec", "--param", "m2")).stderr).to.match(/--param wants key=value/);
      expect((await readdir(tmp)).includes("m1")).to.equal(false);
      const conflict = await zk("setup", model, "--dev-srs", "--circuit", "matvec", "--param", "m=5");
      expect(conflict.code).to.equal(2);
      expect(conflict.stderr).to.match(/already fixes the parameters/);
      expect((await zk("setup", file("m1"), "--srs", file("missing.ptau"), "--circuit", "matvec", "--param", "m=2", "--param", "k=2")).code).to.equal(2);
    });

    it("prove: wrong input length, out of range, not EZKL layout, missing options or keys", async () => {
      const short = await zkJson("prove", model, "--input", await writeJson("short-in.json", { input_data: [[1, 2, 3]] }), "--out", file("p.json"));
      expect(short.code).to.equal(2);
      expect(short.out.error!.message).to.match(/input_data\[0\] has 3 values; matvec \(k=4, P=1\) takes 4 integers in \[-8, 7\]/);
      const range = await zk("prove", model, "--input", await writeJson("range-in.json", { input_data: [[1, 2, 3, 99]] }), "--out", file("p.json"));
      expect(range.code).to.equal(2);
      expect(range.stderr).to.match(/input_data\[0\]\[3\] = 99 is outside the input range \[-8, 7\]/);
      const layout = await zk("prove", model, "--input", await writeJson("layout-in.json", { data: [[1, 2, 3, 4]] }), "--out", file("p.json"));
      expect(layout.stderr).to.match(/must be an object with "input_data"/);
      expect((await zk("prove", model, "--input", await writeJson("broken-in.json", "[[1,"), "--out", file("p.json"))).code).to.equal(2);
      expect((await zk("prove", model, "--out", file("p.json"))).stderr).to.match(/needs --input <input.json>/);
      expect((await zk("prove", model, "--input", input)).stderr).to.match(/needs --out <proof.json>/);
      expect((await zk("prove", file("no-such-model"), "--input", input, "--out", file("p.json"))).code).to.equal(2);
      // an --out that cannot be written is refused before proving, not after
      const noOutDir = await zk("prove", model, "--input", input, "--out", file("no-such-dir/p.json"));
      expect(noOutDir.code).to.equal(2);
      expect(noOutDir.stderr).to.match(/--out .*no-such-dir\/p\.json: its directory .*no-such-dir does not exist/).and.not.match(/✓ prove/);
      const outIsDir = await zk("prove", model, "--input", input, "--out", tmp);
      expect(outIsDir.code).to.equal(2);
      expect(outIsDir.stderr).to.match(/--out .*: is a directory; give a file name/).and.not.match(/witness/);
      expect((await readdir(tmp)).includes("p.json")).to.equal(false);
    });

    it("prove: a truncated or corrupted pk.bin, keys from different setups, an edited manifest", async () => {
      const copy = file("copy");
      expect((await zk("setup", copy, "--dev-srs", "--circuit", "matvec", "--param", "m=3", "--param", "k=4", "--param", "bits=4", "--param", "seed=abc")).code).to.equal(0);
      const pkPath = join(copy, "pk.bin");
      const pk = await readFile(pkPath);
      await writeFile(pkPath, pk.subarray(0, pk.length - 1000));
      const truncated = await zkJson("prove", copy, "--input", input, "--out", file("p.json"));
      expect(truncated.code).to.equal(2);
      expect(truncated.out.error!.message).to.match(/pk\.bin: proving key file has \d+ bytes but its header describes \d+ \(truncated\)/);
      const flipped = Buffer.from(pk);
      flipped[5000] ^= 4;
      await writeFile(pkPath, flipped);
      expect((await zk("prove", copy, "--input", input, "--out", file("p.json"))).stderr).to.match(/corrupted \(its SHA-256 checksum does not match\)/);
      // prove hashes the key chunk by chunk as it reads it, a large key on a thread of its own (offThreadFrom: 0
      // forces that for this small one): a flip in any chunk, or in the checksum, is caught either way.
      for (const at of [100, pk.length - PK_CHECKSUM_BYTES - 1, pk.length - 1]) {
        const b = Buffer.from(pk);
        b[at] ^= 1;
        await writeFile(pkPath, b);
        for (const offThreadFrom of [undefined, 0]) {
          await expectRejection(loadProvingKey(copy, { chunkBytes: 997, offThreadFrom }), /corrupted \(its SHA-256 checksum does not match\)/);
        }
      }
      await writeFile(pkPath, pk);
      const digest = (await loadProvingKey(copy)).vkDigest;
      for (const offThreadFrom of [undefined, 0]) {
        expect(Buffer.compare((await loadProvingKey(copy, { chunkBytes: 997, offThreadFrom })).vkDigest, digest)).to.equal(0);
      }
      // What goes wrong reading it is named, on either thread, and prove exits 2.
      await rm(pkPath);
      const missing = await zkJson("prove", copy, "--input", input, "--out", file("p.json"));
      expect(missing.code).to.equal(2);
      expect(missing.out.error!.message).to.match(/proving key .*pk\.bin does not exist \(run `zkinfer setup` first\)/);
      await expectRejection(loadProvingKey(copy, { offThreadFrom: 0 }), /proving key .*pk\.bin does not exist \(run `zkinfer setup` first\)/);
      await mkdir(pkPath);
      const directory = await zkJson("prove", copy, "--input", input, "--out", file("p.json"));
      expect(directory.code).to.equal(2);
      expect(directory.out.error!.message).to.match(/proving key .*pk\.bin is a directory/);
      await expectRejection(loadProvingKey(copy, { offThreadFrom: 0 }), /proving key .*pk\.bin is a directory/);
      await rm(pkPath, { recursive: true });
      await writeFile(pkPath, pk);

      const vk = await readFile(join(copy, "vk.bin"));
      await writeFile(join(copy, "vk.bin"), await readFile(join(model, "vk.bin")));
      expect((await zk("prove", copy, "--input", input, "--out", file("p.json"))).stderr).to.match(/come from different setups/);
      await writeFile(join(copy, "vk.bin"), vk.subarray(0, 100));
      const vkShort = await zk("verify", copy, proofPath);
      expect(vkShort.code).to.equal(2);
      expect(vkShort.stderr).to.match(/vk\.bin: verification key has 100 bytes; expected exactly \d+ \(truncated\?\)/);
      await writeFile(join(copy, "vk.bin"), vk);

      const manifest = JSON.parse(await readFile(join(copy, "circuit.json"), "utf8"));
      await writeFile(join(copy, "circuit.json"), JSON.stringify({ ...manifest, params: { ...manifest.params, seed: "xyz" } }));
      expect((await zk("prove", copy, "--input", input, "--out", file("p.json"))).stderr).to.match(/does not lay out the circuit .*pk\.bin was made for/);
      await writeFile(join(copy, "circuit.json"), "{");
      expect((await zk("prove", copy, "--input", input, "--out", file("p.json"))).stderr).to.match(/circuit manifest .*circuit\.json is not valid JSON/);
      expect((await readdir(tmp)).includes("p.json")).to.equal(false);
    });
  });

  describe("with a real .ptau", () => {
    let fx: PtauFixtures;
    before(async () => {
      // snarkjs and the engine share ffjavascript's process-wide bn128 curve (globalThis.curve_bn128):
      // making the fixtures while the engine runs would terminate the engine's worker threads.
      await releaseEngine();
      fx = await makePtauFixtures();
    });
    after(async () => fx?.remove());

    it("sets up on it without a warning, and asks for the power a too-small file lacks", async () => {
      const dir = file("ptau-model");
      const ok = await zkJson("setup", dir, "--srs", fx.plain, "--circuit", "matvec", "--param", "m=3", "--param", "k=2", "--param", "bits=2");
      expect(ok.code, ok.stderr).to.equal(0);
      expect(ok.stderr).to.not.match(/INSECURE/);
      expect(ok.out.result).to.deep.include({ logRows: 6, insecure: false });
      expect(JSON.parse(await readFile(join(dir, "vk.json"), "utf8")).insecure).to.equal(false);
      const inputPath = await writeJson("ptau-in.json", { input_data: [[1, -2]] });
      expect((await zk("prove", dir, "--input", inputPath, "--out", file("ptau-proof.json"))).code).to.equal(0);
      const verified = await zk("verify", dir, file("ptau-proof.json"));
      expect(verified.code).to.equal(0);
      expect(verified.stdout.trim()).to.equal("valid");

      // 112 rows: a 2^7 table (P = 2; with P = 1 slot packing fits it in 2^6).
      const big = await zkJson("setup", file("too-big"), "--srs", fx.plain, "--circuit", "matvec", "--param", "m=3", "--param", "k=4", "--param", "bits=4", "--param", "P=2");
      expect(big.code).to.equal(2);
      expect(big.out.error).to.deep.include({ type: "InputError" });
      expect(big.out.error!.message).to.match(new RegExp(`fewer than the ${srsSizeFor(7)} requested; use a Powers-of-Tau file of power 7 or more`));
    });
  });

  describe("as a program", () => {
    it("exits 0 and 1 from bin/zkinfer.js", async () => {
      const ok = await subprocess("verify", model, proofPath);
      expect(ok.code, ok.stderr).to.equal(0);
      expect(ok.stdout.trim().split("\n").pop()).to.equal("valid");
      const bad = await subprocess("verify", model, file(`flip-${PROOF_BYTES - 1}.json`), "--json");
      expect(bad.code).to.equal(1);
      expect(JSON.parse(bad.stdout)).to.deep.include({ command: "verify", exitCode: 1 });
      // The key's reader thread is stopped when the input fails first (the process exits, with 2).
      const badInput = await subprocess("prove", model, "--input", await writeJson("range-sub.json", { input_data: [[1, 2, 3, 99]] }), "--out", file("p-sub.json"));
      expect(badInput.code, badInput.stderr).to.equal(2);
      expect(badInput.stderr).to.match(/outside the input range/);
      const help = await subprocess("--help");
      expect(help.stdout).to.match(/zkinfer setup <dir>/).and.match(/zkinfer prove <dir>/).and.match(/zkinfer verify <dir> <proof.json>/);
    });
  });
});
