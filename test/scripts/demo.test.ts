// scripts/demo.ts end to end on a tiny model written here (Gemm 6→3, Relu): compile → setup (dev
// SRS) → prove → verify → in-process chain → registry and verifier → submitInference → the record
// read back. The full MNIST demo is `npm run demo`, too slow for the suite.
import { expect } from "chai";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeModel } from "../../prover/onnx/writer.js";
import { releaseEngine } from "../../verifier/engine/bn254.js";
import { captured } from "../helpers/cli.js";
import { DEMO_EXIT, formatSummary, runDemo, type DemoSummary } from "../../scripts/demo.js";

const demo = (...argv: string[]) => captured((io) => runDemo(argv, io));

describe("scripts/demo.ts (npm run demo)", function () {
  this.timeout(900_000);
  let tmp: string;
  let modelPath: string;
  let inputPath: string;

  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), "zkinfer-demo-test-"));
    modelPath = join(tmp, "tiny.onnx");
    inputPath = join(tmp, "input.json");
    const weights = new Float32Array([0.5, -0.25, 0.75, 0.1, -0.6, 0.3, -0.4, 0.2, 0.9, -0.7, 0.05, 0.45, 0.35, 0.15, -0.3, 0.6, -0.2, 0.8]);
    await writeFile(
      modelPath,
      writeModel({
        inputs: [{ name: "x", dtype: "float32", shape: [1, 6] }],
        outputs: [{ name: "y", dtype: "float32", shape: [1, 3] }],
        initializers: [
          { name: "W", dtype: "float32", dims: [3, 6], data: weights },
          { name: "b", dtype: "float32", dims: [3], data: new Float32Array([0.1, -0.05, 0.2]) },
        ],
        nodes: [
          { op: "Gemm", inputs: ["x", "W", "b"], outputs: ["h"], attrs: { transB: { int: 1 } } },
          { op: "Relu", inputs: ["h"], outputs: ["y"] },
        ],
      }),
    );
    await writeFile(inputPath, JSON.stringify({ input_data: [[0.9, -0.3, 0.4, 0.8, -0.6, 0.2]] }));
  });

  after(async () => {
    await rm(tmp, { recursive: true, force: true });
    await releaseEngine();
  });

  it("runs the whole flow on a tiny model, exits 0 and reads the record back from the chain", async () => {
    const out = join(tmp, "run");
    const r = await demo("--model", modelPath, "--input", inputPath, "--out", out, "--json");
    expect(r.code, r.stderr).to.equal(DEMO_EXIT.ok);
    const { summary } = JSON.parse(r.stdout) as { summary: DemoSummary };

    // Stage lines and the loud dev-SRS warning went to stderr.
    expect(r.stderr).to.match(/\[1\/9\] compile/);
    expect(r.stderr).to.match(/\[9\/9\] read the audit record back/);
    expect(r.stderr).to.match(/INSECURE SETUP/);
    expect(r.stderr).to.match(/--srs powersOfTau28_hez_final_\d\d\.ptau/);

    expect(summary.insecureSetup).to.equal(true);
    expect(summary.model.ops).to.deep.equal(["Gemm", "Relu"]);
    expect(summary.outputs).to.have.length(3);
    expect(summary.predicted).to.equal(summary.outputs.indexOf(Math.max(...summary.outputs)));
    expect(summary.proofBytes).to.be.above(0);
    expect(summary.timingsMs.prove).to.be.above(0);
    expect(Number(summary.gas.verifier)).to.be.above(0);
    expect(Number(summary.gas.submitInference)).to.be.above(0);
    expect(Number(summary.gas.verifyProof)).to.be.above(0);
    expect(summary.record.id).to.match(/^0x[0-9a-f]{64}$/);
    expect(summary.record.submitter).to.match(/^0x[0-9a-fA-F]{40}$/);

    // --out keeps the proof and the summary; the proof's dequantized outputs are the summary's.
    const proof = JSON.parse(await readFile(join(out, "proof.json"), "utf8")) as { outputs: number[]; proof: string };
    expect(proof.outputs).to.deep.equal(summary.outputs);
    expect((proof.proof.length - 2) / 2).to.equal(summary.proofBytes);
    const saved = JSON.parse(await readFile(join(out, "summary.json"), "utf8")) as DemoSummary;
    expect(saved.record.id).to.equal(summary.record.id);

    // The text summary prints the same measured values.
    const text = formatSummary(summary);
    expect(text).to.include(summary.record.id);
    expect(text).to.include(`${summary.proofBytes} bytes`);
    expect(text).to.include(`submitInference ${summary.gas.submitInference}`);
    expect(text).to.match(/INSECURE development SRS/);
    const help = await demo("--help");
    expect(help.code).to.equal(DEMO_EXIT.ok);
    expect(help.stdout).to.match(/--model <cnn\|mlp\|file.onnx>/);
  });

  it("refuses bad options with exit 2 and a message that says what to do", async () => {
    const cases: [string[], RegExp][] = [
      [["--model", "nope"], /--model must be cnn or mlp or a path to an \.onnx file/],
      [["--model", modelPath], /needs --input/],
      [["--digit", "x"], /--digit must be a test digit's index/],
      [["--digit", "99"], /--digit must be below 20/],
      [["--frobnicate"], /unknown option --frobnicate.*--help/],
      [["--jsn"], /unknown option --jsn \(did you mean --json\?\)/],
      [["--model", join(tmp, "missing.onnx"), "--input", inputPath], /--model: no such file .*missing\.onnx/],
      [["--model", modelPath, "--input", join(tmp, "missing.json")], /--input: no such file/],
      [["--model", modelPath, "--input", modelPath, "--out", join(tmp, "bad-input")], /prove failed \(zkinfer prove exited 2\)|compile failed \(zkinfer compile exited 2\)/],
    ];
    for (const [argv, message] of cases) {
      const r = await demo(...argv);
      expect(r.code, `${argv.join(" ")}: ${r.stderr}`).to.equal(DEMO_EXIT.badInput);
      expect(r.stderr, argv.join(" ")).to.match(message);
    }
  });
});
