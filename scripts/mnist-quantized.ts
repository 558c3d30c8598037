// `tsx scripts/mnist-quantized.ts [--count N] [--calibration K] [--target accuracy|resources]`:
// float (onnxruntime-node) against quantized (the compiled circuit's witness, dequantized) test
// accuracy of the MNIST models in scripts/mnist/models/, calibrated on K training digits. Writes
// docs/mnist-quantized.md. Proving one digit is `zkinfer compile … && zkinfer setup … && zkinfer prove …`.
import { readFile, rename, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { compileModel, planOf, runQuantized } from "../prover/compiler/compile.js";
import { FloatReference } from "../prover/quantize/reference.js";
import type { TargetName } from "../prover/quantize/targets.js";
import { loadMnistSplit, PIXELS } from "./mnist/data.js";

function argmax(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
  return best;
}

async function run(): Promise<void> {
  const { values } = parseArgs({ options: { count: { type: "string" }, calibration: { type: "string" }, target: { type: "string" } } });
  const count = Number(values.count ?? 200);
  const calib = Number(values.calibration ?? 32);
  const target = (values.target ?? "accuracy") as TargetName;
  const { train, test } = loadMnistSplit();
  const image = (set: typeof train, i: number) => Array.from(set.images.subarray(i * PIXELS, (i + 1) * PIXELS));
  const lines: string[] = [
    "# MNIST: float against quantized accuracy",
    "",
    `Models from \`scripts/mnist/models/\`, compiled with target ${target}, calibrated on the first ${calib} training digits; accuracy on the first ${count} test digits of the seeded split (\`loadMnistSplit()\`). Float: onnxruntime-node. Quantized: the circuit's witness (the values a proof carries), dequantized. Regenerate with \`npx tsx scripts/mnist-quantized.ts --count ${count}\`.`,
    "",
    "| model | rows | logRows | float accuracy | quantized accuracy | same prediction | max abs logit error | compile tolerance |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const name of ["mnist-mlp", "mnist-cnn"]) {
    const bytes = new Uint8Array(await readFile(`scripts/mnist/models/${name}.onnx`));
    const samples = Array.from({ length: calib }, (_, i) => [image(train, i)]);
    const compiled = await compileModel(bytes, { samples, target, maxAccuracySamples: 4, source: name });
    const plan = planOf(compiled.manifest);
    const reference = await FloatReference.load(bytes);
    const v = compiled.graph.graph.inputs[0];
    let floatOk = 0;
    let quantOk = 0;
    let same = 0;
    let maxErr = 0;
    try {
      for (let i = 0; i < count; i++) {
        const x = image(test, i);
        const [f] = await reference.run([{ name: v.name, dtype: compiled.graph.inputTypes[0], dims: v.dims, values: x }], [compiled.graph.graph.outputs[0].name]);
        const { outputs } = runQuantized(compiled.graph, plan, [x]);
        const q = outputs[0];
        for (let k = 0; k < f.length; k++) maxErr = Math.max(maxErr, Math.abs(f[k] - q[k]));
        if (argmax(f) === test.labels[i]) floatOk++;
        if (argmax(q) === test.labels[i]) quantOk++;
        if (argmax(f) === argmax(q)) same++;
      }
    } finally {
      await reference.release();
    }
    const c = compiled.manifest.circuit;
    const pct = (n: number) => `${((100 * n) / count).toFixed(2)} %`;
    lines.push(`| ${name} | ${c.rows} | ${c.logRows} | ${pct(floatOk)} | ${pct(quantOk)} | ${same}/${count} | ${maxErr.toPrecision(3)} | ${compiled.manifest.accuracy.tolerance.toPrecision(3)} |`);
    console.log(lines[lines.length - 1]);
  }
  lines.push("");
  await writeFile("docs/mnist-quantized.md.tmp", lines.join("\n"));
  await rename("docs/mnist-quantized.md.tmp", "docs/mnist-quantized.md");
}

await run();
