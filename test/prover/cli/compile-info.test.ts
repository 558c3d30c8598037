// zkinfer compile and zkinfer info: the happy path and the main error paths (missing files, a file
// that is not ONNX, bad calibration data, usage errors, a directory that is not a compiled model).
import { expect } from "chai";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { zk } from "../../helpers/cli.js";
import { releaseEngine } from "../../../verifier/engine/bn254.js";
import { exampleModelsDir } from "../../../scripts/example-models.js";
import { checkPublicCircuit, decodePublicCircuit, decodeVerificationKey, srsSizeFor } from "../../../prover/plonkish/index.js";
import { devSrs } from "../../../prover/srs/index.js";
import { encodeGraph, loadGraph } from "../../../prover/ir/index.js";

describe("cli: zkinfer compile / info", function () {
  this.timeout(120_000);
  const model = join(exampleModelsDir(), "1l_relu", "network.onnx");
  const input = join(exampleModelsDir(), "1l_relu", "input.json");
  let tmp: string;

  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), "zkinfer-compile-cli-"));
  });
  after(async () => {
    await rm(tmp, { recursive: true, force: true });
    await releaseEngine();
  });

  it("compiles a model and info describes it (text and --json)", async () => {
    const dir = join(tmp, "relu");
    const c = await zk("compile", model, "--out", dir, "--calibration", input, "--json");
    expect(c.code, c.stderr).to.equal(0);
    const compiled = JSON.parse(c.stdout) as { command: string; exitCode: number };
    expect(compiled).to.deep.include({ command: "compile", exitCode: 0 });
    const text = await zk("info", dir);
    expect(text.code, text.stderr).to.equal(0);
    expect(text.stdout).to.match(/Relu/).and.match(/rows/).and.match(/public inputs/);
    const json = JSON.parse((await zk("info", dir, "--json")).stdout) as { result: Record<string, unknown> };
    expect(json.result).to.be.an("object");
    // calibrated on its one input.json sample: compile says so and how to pass a data set
    expect(c.stderr).to.match(/calibrated on 1 sample .*Pass a data set: --calibration <data\.json>/);
    // setup names the file the circuit came from: model.json, not a circuit.json that is not there
    const set = await zk("setup", dir, "--dev-srs");
    expect(set.code, set.stderr).to.equal(0);
    expect(set.stdout).to.include(`used ${join(dir, "model.json")}: onnx`);
  });

  it("prove reads the graph compile wrote (graph.bin); a directory from before it proves from model.onnx with the same outputs; a changed graph.bin is refused", async () => {
    const dir = join(tmp, "relu"); // compiled and set up by the first test
    const manifest = JSON.parse(await readFile(join(dir, "model.json"), "utf8")) as { graph?: { file: string; sha256: string } };
    expect(manifest.graph?.file).to.equal("graph.bin");
    // What compile wrote is the graph of the ONNX file as the IR builds it afresh, byte for byte.
    expect(Buffer.from(await readFile(join(dir, "graph.bin"))).equals(Buffer.from(encodeGraph(loadGraph(new Uint8Array(await readFile(model))))))).to.equal(true);
    const prove = async (at: string, out: string) => {
      const r = await zk("prove", at, "--input", input, "--out", join(tmp, out), "--json");
      expect(r.code, r.stderr).to.equal(0);
      const verified = await zk("verify", at, join(tmp, out));
      expect(verified.code, verified.stderr).to.equal(0);
      return (JSON.parse(r.stdout) as { result: { outputs: number[] } }).result.outputs;
    };
    const outputs = await prove(dir, "from-graph.json");
    // The same directory as compiled before graph.bin: its manifest names no graph, and graph.bin is gone.
    const older = join(tmp, "relu-older");
    await mkdir(older);
    for (const f of ["model.onnx", "pk.bin", "vk.bin", "vk.json", "public-circuit.bin"]) await copyFile(join(dir, f), join(older, f));
    await writeFile(join(older, "model.json"), JSON.stringify({ ...manifest, graph: undefined }));
    expect(await prove(older, "from-onnx.json")).to.deep.equal(outputs);
    // A graph.bin that is not the one compile wrote: exit 2, compile again.
    const changed = join(tmp, "relu-changed");
    await mkdir(changed);
    for (const f of ["model.json", "model.onnx", "graph.bin", "pk.bin", "vk.bin"]) await copyFile(join(dir, f), join(changed, f));
    const bytes = await readFile(join(changed, "graph.bin"));
    bytes[bytes.length - 1] ^= 1;
    await writeFile(join(changed, "graph.bin"), bytes);
    const r = await zk("prove", changed, "--input", input, "--out", join(tmp, "changed.json"));
    expect(r.code, r.stderr).to.equal(2);
    expect(r.stderr).to.match(/graph\.bin is not the graph .*model\.json was compiled to \(sha256 differs\); compile again/);
  });

  it("convolution runs by default, --im2col for the old layout: model.json records which, info names it, and the run has fewer rows", async () => {
    const conv = join(exampleModelsDir(), "1l_conv");
    const rows: number[] = [];
    for (const flags of [["--im2col"], []]) {
      const dir = join(tmp, `conv${1 - flags.length}`);
      const c = await zk("compile", join(conv, "network.onnx"), "--out", dir, "--calibration", join(conv, "input.json"), ...flags);
      expect(c.code, c.stderr).to.equal(0);
      const manifest = JSON.parse(await readFile(join(dir, "model.json"), "utf8")) as { convRuns?: boolean; circuit: { rows: number; blockRows: Record<string, number> } };
      expect(manifest.convRuns).to.equal(flags.length === 0);
      if (flags.length === 0) expect(manifest.circuit.blockRows.conv, "conv block rows").to.be.above(0);
      else expect(manifest.circuit.blockRows.conv, "conv block rows").to.equal(undefined);
      rows.push(manifest.circuit.rows);
      const info = await zk("info", dir);
      expect(info.stdout).to.include(flags.length === 0 ? "convolutions as runs" : "convolutions as im2col");
    }
    expect(rows[1]).to.be.below(rows[0]);
    // Its keys carry the run: check-key's full check recomputes it from pk.bin, and the published
    // circuit declares it and passes the structural checks, the run recomputed from its geometry.
    const dir = join(tmp, "conv1");
    const set = await zk("setup", dir, "--dev-srs");
    expect(set.code, set.stderr).to.equal(0);
    const checked = await zk("check-key", dir);
    expect(checked.code, checked.stdout + checked.stderr).to.equal(0);
    const circuit = await decodePublicCircuit(await readFile(join(dir, "public-circuit.bin")));
    expect(circuit.table.runs?.length).to.equal(1);
    const vk = decodeVerificationKey(await readFile(join(dir, "vk.bin"))).vk;
    const check = await checkPublicCircuit(circuit, vk, await devSrs(srsSizeFor(vk.logRows)));
    expect(check.checks.find((c) => c.name === "structure")!.ok).to.equal(true);
    expect(check.checks.find((c) => c.name === "convolution runs")).to.deep.include({ ok: true });
    expect(check.checks.find((c) => c.name === "convolution runs")!.detail).to.match(/^1 declared, each recomputed from its geometry .*: run 0 \d+→\d+ channels, \d+×\d+ kernel on \d+×\d+/);
  });

  it("bad input exits 2 with a message that names the problem", async () => {
    const garbage = join(tmp, "garbage.onnx");
    await writeFile(garbage, Uint8Array.from([0x0f, 0xff, 0x13, 0x37, 0x00, 0x42, 0x9e, 0xee]));
    const cases: [string[], RegExp][] = [
      [["compile", join(tmp, "missing.onnx"), "--out", join(tmp, "o1"), "--calibration", input], /model .*missing\.onnx does not exist/],
      [["compile", join(tmp, "missing.onnx"), "--out", join(tmp, "o1")], /model .*missing\.onnx does not exist/],
      [["compile", garbage, "--out", join(tmp, "o2"), "--calibration", input], /not an ONNX model/],
      [["compile", model, "--calibration", input], /compile needs --out <dir>/],
      [["compile", model, "--out", join(tmp, "o3"), "--calibration", garbage], /calibration data .* is not valid JSON/],
      [["compile", model, "--out", join(tmp, "o4"), "--calibration", input, "--target", "fast"], /--target must be accuracy or resources/],
      [["info", join(tmp, "no-such-dir")], /does not exist/],
    ];
    const notCompiled = join(tmp, "empty");
    await mkdir(notCompiled);
    cases.push([["info", notCompiled], /model\.json does not exist .*zkinfer compile/]);
    // a directory compiled by another version (its manifest's format differs): compile again
    const stale = join(tmp, "stale");
    await mkdir(stale);
    const compiled = join(tmp, "relu"); // the first test's
    const manifest = JSON.parse(await readFile(join(compiled, "model.json"), "utf8")) as Record<string, unknown>;
    await writeFile(join(stale, "model.json"), JSON.stringify({ ...manifest, format: "zkinfer-model-v0" }));
    await copyFile(join(compiled, "model.onnx"), join(stale, "model.onnx"));
    for (const command of [["info", stale], ["setup", stale, "--dev-srs"]]) {
      cases.push([command, /compiled by another version of zkinfer \(format "zkinfer-model-v0"; this version reads "zkinfer-model-v1"\): compile the model again/]);
    }
    for (const [args, message] of cases) {
      const r = await zk(...args);
      expect(r.code, `${args.join(" ")}: ${r.stderr}`).to.equal(2);
      expect(r.stderr, args.join(" ")).to.match(message);
    }
  });
});
