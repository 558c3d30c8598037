import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { loadOnnx } from "../../../prover/onnx/loader.js";
import { buildGraph } from "../../../prover/ir/build.js";
import { evaluateGraph } from "../../../prover/ir/evaluate.js";
import type { DType } from "../../../prover/ir/tensor.js";
import { exampleModelsDir } from "../../../scripts/example-models.js";

// Every EZKL example model: the float reference interpreter against onnxruntime-node.
const FIXTURES = exampleModelsDir();
const TOLERANCE = 1e-5;

const ORT_TYPES: Partial<Record<DType, ort.Tensor.Type>> = { float32: "float32", float64: "float64", int64: "int64", int32: "int32", bool: "bool" };

function ortInput(dtype: DType, shape: number[], values: number[]): ort.Tensor {
  const type = ORT_TYPES[dtype];
  if (!type) throw new Error(`no onnxruntime input for ${dtype}`);
  const data =
    type === "int64" ? BigInt64Array.from(values, (v) => BigInt(v)) :
    type === "float64" ? Float64Array.from(values) :
    type === "int32" ? Int32Array.from(values) :
    type === "bool" ? Uint8Array.from(values) :
    Float32Array.from(values);
  return new ort.Tensor(type, data, shape);
}

describe("ir/evaluate on the EZKL example models, against onnxruntime-node", function () {
  this.timeout(60_000);
  const dirs = readdirSync(FIXTURES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

  it("finds the fixtures", () => expect(dirs.length).to.be.greaterThan(40));

  for (const dir of dirs) {
    it(dir, async () => {
      const path = join(FIXTURES, dir, "network.onnx");
      const model = loadOnnx(path);
      const graph = buildGraph(model);
      const json = JSON.parse(readFileSync(join(FIXTURES, dir, "input.json"), "utf8")) as { input_data: number[][] };
      expect(json.input_data.length).to.equal(model.inputs.length);
      const feeds: Record<string, ort.Tensor> = {};
      const inputs: Record<string, number[]> = {};
      model.inputs.forEach((input, i) => {
        feeds[input.name] = ortInput(input.dtype, input.shape, json.input_data[i]);
        inputs[input.name] = json.input_data[i];
      });
      const session = await ort.InferenceSession.create(path);
      const expected = await session.run(feeds);
      const values = evaluateGraph(graph, inputs);
      for (const name of graph.outputs) {
        const ours = values.get(name)!;
        const theirs = expected[name];
        expect(ours.shape, `${name} shape`).to.deep.equal([...theirs.dims]);
        const a = Array.from(ours.data as ArrayLike<number | bigint>, Number);
        const b = Array.from(theirs.data as ArrayLike<number | bigint>, Number);
        for (let i = 0; i < a.length; i++) {
          const err = Math.abs(a[i] - b[i]);
          expect(err <= TOLERANCE * Math.max(1, Math.abs(b[i])), `${name}[${i}]: ${a[i]} vs onnxruntime ${b[i]}`).to.equal(true);
        }
      }
    });
  }
});
