// Writes examples/model/: the tiny model the README's quick start compiles, written with the
// project's own ONNX writer so that a fresh clone has a model to try without bringing one. A
// two-layer perceptron, 4 inputs → 8 hidden (ReLU) → 3 outputs, with fixed weights; calibration.json
// holds 16 samples (EZKL's layout, the samples one after another), input.json the one proved.
// `npx tsx scripts/gen-example-model.ts` rewrites the files; `--check` fails if they differ from
// what it would write (test/docs/quick-start.test.ts checks the same).
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeModel } from "../prover/onnx/writer.js";

export const EXAMPLE_MODEL_DIR = fileURLToPath(new URL("../examples/model/", import.meta.url));

const INPUTS = 4;
const HIDDEN = 8;
const OUTPUTS = 3;
const CALIBRATION_SAMPLES = 16;

/** A deterministic value in [-1, 1] with two decimals: weights and inputs that look unremarkable. */
function fixed(seed: number): number {
  return Math.round(Math.sin(seed * 12.9898) * 100) / 100;
}

function values(n: number, offset: number): number[] {
  return Array.from({ length: n }, (_, i) => fixed(offset + i + 1));
}

/** The files of examples/model/, by name. */
export function exampleModelFiles(): Record<string, Uint8Array | string> {
  const f32 = (name: string, shape: number[]) => ({ name, dtype: "float32" as const, shape });
  const tensor = (name: string, dims: number[], offset: number) => ({ name, dtype: "float32" as const, dims, data: Float32Array.from(values(dims.reduce((a, b) => a * b), offset)) });
  const onnx = writeModel({
    inputs: [f32("x", [1, INPUTS])],
    outputs: [f32("y", [1, OUTPUTS])],
    initializers: [tensor("W1", [HIDDEN, INPUTS], 0), tensor("b1", [HIDDEN], 100), tensor("W2", [OUTPUTS, HIDDEN], 200), tensor("b2", [OUTPUTS], 300)],
    nodes: [
      { op: "Gemm", inputs: ["x", "W1", "b1"], outputs: ["h"], name: "dense1", attrs: { transB: { int: 1 } } },
      { op: "Relu", inputs: ["h"], outputs: ["r"], name: "relu" },
      { op: "Gemm", inputs: ["r", "W2", "b2"], outputs: ["y"], name: "dense2", attrs: { transB: { int: 1 } } },
    ],
    graphName: "quick_start_mlp",
    producerName: "zkinfer scripts/gen-example-model.ts",
  });
  const json = (samples: number[]) => `${JSON.stringify({ input_data: [samples] })}\n`;
  return {
    "network.onnx": onnx,
    "calibration.json": json(values(CALIBRATION_SAMPLES * INPUTS, 400)),
    "input.json": json(values(INPUTS, 500)),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const check = process.argv.includes("--check");
  let stale = 0;
  for (const [name, content] of Object.entries(exampleModelFiles())) {
    const path = join(EXAMPLE_MODEL_DIR, name);
    if (!check) {
      await writeFile(path, content);
      continue;
    }
    const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
    const current = await readFile(path).catch(() => undefined);
    if (!current || !Buffer.from(bytes).equals(current)) {
      console.error(`${path} differs from what scripts/gen-example-model.ts writes: run \`npx tsx scripts/gen-example-model.ts\``);
      stale++;
    }
  }
  process.exit(stale === 0 ? 0 : 1);
}
