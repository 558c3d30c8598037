// End to end through the CLI: compile → info → setup (dev SRS) → prove → verify on example models,
// with the failure modes: unsupported ops at compile, an input outside the calibrated range at
// prove, and a proof file whose outputs were altered at verify.
import { expect } from "chai";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { zk } from "../../helpers/cli.js";
import { releaseEngine } from "../../../verifier/engine/bn254.js";
import { writeModel } from "../../../prover/onnx/writer.js";
import { runFixture } from "../../../scripts/conformance.js";
import { exampleModelsDir } from "../../../scripts/example-models.js";

const FIXTURES = exampleModelsDir();

describe("compiler: zkinfer compile / info / setup / prove / verify", function () {
  this.timeout(600_000);
  let tmp: string;
  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), "zkinfer-compile-"));
  });
  after(async () => {
    await rm(tmp, { recursive: true, force: true });
    await releaseEngine();
  });

  it("proves 1l_relu (public input) and refuses altered outputs and out-of-range inputs", async () => {
    const dir = join(tmp, "relu");
    const model = join(FIXTURES, "1l_relu", "network.onnx");
    const input = join(FIXTURES, "1l_relu", "input.json");
    const c = await zk("compile", model, "--out", dir, "--input-visibility", "public");
    expect(c.code, c.stderr).to.equal(0);
    const info = JSON.parse((await zk("info", dir, "--json")).stdout).result;
    expect(info.blocks.relu).to.be.above(0);
    expect(info.publicInputs.input).to.deep.include({ offset: 0, kind: "public" });
    expect(info.estimatedProveMs).to.be.above(0);
    expect((await zk("setup", dir, "--dev-srs")).code).to.equal(0);
    const proofPath = join(tmp, "relu-proof.json");
    const p = await zk("prove", dir, "--input", input, "--out", proofPath, "--json");
    expect(p.code, p.stderr).to.equal(0);
    const proof = JSON.parse(await readFile(proofPath, "utf8"));
    const x: number[] = JSON.parse(await readFile(input, "utf8")).input_data[0];
    proof.outputs.forEach((v: number, i: number) => expect(v).to.be.closeTo(Math.max(0, x[i]), 0.01));
    expect((await zk("verify", dir, proofPath)).code).to.equal(0);
    // A proof file claiming another output is invalid (exit 1).
    const altered = { ...proof, outputs: proof.outputs.map((v: number, i: number) => (i === 0 ? v + 0.25 : v)) };
    await writeFile(join(tmp, "altered.json"), JSON.stringify(altered));
    const bad = await zk("verify", dir, join(tmp, "altered.json"));
    expect(bad.code).to.equal(1);
    // An input far outside the calibrated range is refused before proving, naming the input.
    await writeFile(join(tmp, "big.json"), JSON.stringify({ input_data: [x.map((v) => v * 1000)] }));
    const big = await zk("prove", dir, "--input", join(tmp, "big.json"), "--out", join(tmp, "big-proof.json"));
    expect(big.code).to.equal(2);
    expect(big.stderr).to.match(/input input.*outside the range/);
  });

  it("hashed outputs: verify recomputes the hash of the file's outputs", async () => {
    const dir = join(tmp, "relu-hashed");
    const src = join(FIXTURES, "1l_relu");
    expect((await zk("compile", join(src, "network.onnx"), "--out", dir, "--input-visibility", "private", "--output-visibility", "hashed")).code).to.equal(0);
    expect((await zk("setup", dir, "--dev-srs")).code).to.equal(0);
    const proofPath = join(tmp, "hashed-proof.json");
    expect((await zk("prove", dir, "--input", join(src, "input.json"), "--out", proofPath)).code).to.equal(0);
    const proof = JSON.parse(await readFile(proofPath, "utf8"));
    expect(proof.publicInputs).to.have.length(1);
    expect((await zk("verify", dir, proofPath)).code).to.equal(0);
    const altered = { ...proof, outputs: proof.outputs.map((v: number, i: number) => (i === 1 ? v + 2 ** -8 : v)) };
    await writeFile(join(tmp, "hashed-altered.json"), JSON.stringify(altered));
    const bad = await zk("verify", dir, join(tmp, "hashed-altered.json"));
    expect(bad.code).to.equal(1);
    expect(bad.stdout).to.match(/do not hash to the proven output hash/);
  });

  it("refuses a model with an unsupported operator at compile, naming the node and op (exit 2)", async () => {
    const bytes = writeModel({
      inputs: [{ name: "x", dtype: "float32", shape: [1, 4] }],
      outputs: [{ name: "y", dtype: "float32", shape: [1, 4] }],
      nodes: [
        { op: "Relu", inputs: ["x"], outputs: ["h"], name: "first" },
        { op: "Softsign", inputs: ["h"], outputs: ["y"], name: "the_softsign" },
      ],
    });
    await writeFile(join(tmp, "bad.onnx"), bytes);
    await writeFile(join(tmp, "input.json"), JSON.stringify({ input_data: [[1, 2, 3, 4]] }));
    const r = await zk("compile", join(tmp, "bad.onnx"), "--out", join(tmp, "bad"));
    expect(r.code).to.equal(2);
    expect(r.stderr).to.match(/the_softsign/);
    expect(r.stderr).to.match(/does not support \(Softsign\)/);
  });

  for (const model of ["1l_sigmoid", "1l_conv"]) {
    it(`conformance subset: ${model} (hashed input) proves within the reported tolerance`, async () => {
      const row = await runFixture(FIXTURES, model);
      expect(row.status, row.reason).to.equal("pass");
      expect(row.maxError!).to.be.at.most(row.tolerance!);
    });
  }
});
