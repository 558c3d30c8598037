// The table and witness a model lowers to, byte for byte: SHA-256 digests of every fixed column,
// weight slot and wire, and of the public inputs, recorded from main at d15a7bb (before the
// builder wrote its columns straight to Montgomery bytes). A change to how prove reads a model or
// builds its witness must leave these unchanged: proofs for existing keys depend on it. Each model
// is lowered twice: from its ONNX file, and from its graph as compile writes it to graph.bin.
import { expect } from "chai";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { planOf } from "../../../prover/compiler/compile.js";
import { loadModelGraph, modelGraphOf } from "../../../prover/compiler/from-ir.js";
import { decodeGraph, encodeGraph } from "../../../prover/ir/index.js";
import { lowerModel, quantizeInputs } from "../../../prover/compiler/lower.js";
import type { Visibility } from "../../../prover/compiler/lower.js";
import { calibrate, parseInputData } from "../../../prover/quantize/calibration.js";
import { exampleModelsDir } from "../../../scripts/example-models.js";

interface Case {
  name: string;
  model: () => string;
  visibility: { input: Visibility; output: Visibility };
  digest: string;
}

const example = (name: string) => () => join(exampleModelsDir(), name);
const CASES: Case[] = [
  { name: "examples/model (MLP), private input", model: () => "examples/model", visibility: { input: "private", output: "public" }, digest: "0a3f9dd6a4f25f16a83e6ecb3f3d52871befce42a60844f4bc1b4e4582983156" },
  { name: "3l_relu_conv_fc, private input", model: example("3l_relu_conv_fc"), visibility: { input: "private", output: "public" }, digest: "9ce03d29d327d89cf0af5a36fbf421320a1119ae1835ad3f1765241481ed1604" },
  { name: "2l_relu_sigmoid_conv, hashed input and output (Poseidon: wide values)", model: example("2l_relu_sigmoid_conv"), visibility: { input: "hashed", output: "hashed" }, digest: "2856a49eb068d3645477763db3dd76a3cb718832cca286769c9d020465fa625b" },
  { name: "1l_conv_transpose, public input", model: example("1l_conv_transpose"), visibility: { input: "public", output: "public" }, digest: "74cc2eba54ac920ed8ed56f63fa0579ebc8cd9d1b0b45cffdb95973176f90c76" },
  { name: "layernorm, private input", model: example("layernorm"), visibility: { input: "private", output: "public" }, digest: "740a49f60bb185409b57577f1900086e19d899926aa2bc971e5107a906ba984c" },
];

/** Lowers the model at its input (calibrated on that input alone) and digests the built table and witness. */
function builtDigest({ model, visibility }: Case, viaGraphFile: boolean): string {
  const dir = model();
  const fromOnnx = loadModelGraph(new Uint8Array(readFileSync(join(dir, "network.onnx"))));
  const graph = viaGraphFile ? modelGraphOf(decodeGraph(encodeGraph(fromOnnx.ir))) : fromOnnx;
  const inputs = graph.graph.inputs.map((v) => ({ name: v.name, dims: v.dims }));
  const samples = parseInputData(JSON.parse(readFileSync(join(dir, "input.json"), "utf8")), inputs, "input", { single: true });
  const ranges = calibrate(samples, (s) => graph.evaluate(s));
  const plan = planOf({ target: "accuracy", ranges, visibility, convRuns: true, convTransposeRuns: true });
  const { table, witness } = lowerModel(graph.graph, plan, quantizeInputs(graph.graph, plan, samples[0])).builder.build();
  const hash = createHash("sha256");
  hash.update(`${table.logRows} ${table.publicInputCount} ${JSON.stringify(table.runs ?? null, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v))}`);
  for (const col of [...table.fixed, ...table.weights, witness.a, witness.b, witness.c]) hash.update(col);
  hash.update(witness.publicInputs.join(","));
  return hash.digest("hex");
}

describe("compiler: the built table and witness are unchanged (digests from main)", function () {
  this.timeout(120_000);
  for (const c of CASES) {
    it(c.name, () => {
      expect(builtDigest(c, false), "from the ONNX file").to.equal(c.digest);
      expect(builtDigest(c, true), "from the graph file").to.equal(c.digest);
    });
  }
});
