// Transpose: output axis i is input axis perm[i] (perm defaults to reversing the axes).

import { IrError } from "../errors.js";
import { attrNumbers } from "../graph.js";
import { gatherFlat, size, strides } from "../tensor.js";
import type { OpDef } from "./types.js";
import { expectInputs, inputType, intsAttribute, presentInputs } from "./util.js";

export const transpose: OpDef = {
  normalize(ctx) {
    const rank = inputType(ctx, 0).shape.length;
    const perm = intsAttribute(ctx, "perm") ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
    const sorted = [...perm].sort((a, b) => a - b);
    if (perm.length !== rank || sorted.some((p, i) => p !== i)) throw new IrError(`node "${ctx.node.name}" (Transpose): perm [${perm}] is not a permutation of ${rank} axes`);
    return [{ name: ctx.node.name, op: "Transpose", inputs: presentInputs(ctx), outputs: [ctx.node.outputs[0]], attrs: { perm } }];
  },
  inferShape(node, inputs) {
    expectInputs(node, inputs, 1);
    return [{ dtype: inputs[0].dtype, shape: attrNumbers(node, "perm").map((p) => inputs[0].shape[p]) }];
  },
  evaluate(node, [x]) {
    const perm = attrNumbers(node, "perm");
    const outShape = perm.map((p) => x.shape[p]);
    const inStrides = strides(x.shape);
    const outStrides = strides(outShape);
    const n = size(outShape);
    const index = new Int32Array(n);
    for (let o = 0; o < n; o++) {
      let flat = 0;
      for (let a = 0; a < perm.length; a++) flat += (Math.floor(o / outStrides[a]) % outShape[a]) * inStrides[perm[a]];
      index[o] = flat;
    }
    return [gatherFlat(x, index, outShape)];
  },
};
