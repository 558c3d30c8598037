// Shared check of the convolution-run tests: two compilations of one model (runs and im2col) give
// the same quantized outputs, at the same scales, on every sample, and the same accuracy report.
import { expect } from "chai";
import { planOf, runQuantized, type CompiledModel } from "../../../prover/compiler/compile.js";

export function expectSameQuantizedOutputs(a: CompiledModel, b: CompiledModel, samples: readonly number[][][]): void {
  for (const sample of samples) {
    const x = runQuantized(a.graph, planOf(a.manifest), sample).lowered.outputs;
    const y = runQuantized(b.graph, planOf(b.manifest), sample).lowered.outputs;
    expect(y.map((o) => o.scale)).to.deep.equal(x.map((o) => o.scale));
    expect(y.map((o) => o.values)).to.deep.equal(x.map((o) => o.values));
  }
  expect(b.manifest.accuracy.maxAbsError).to.equal(a.manifest.accuracy.maxAbsError);
}
