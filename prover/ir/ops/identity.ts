// Identity, and Dropout, which is the identity at inference.

import { IrError } from "../errors.js";
import type { OpDef } from "./types.js";
import { expectInputs, numberAttribute, presentInputs } from "./util.js";

export const identity: OpDef = {
  normalize(ctx) {
    if (ctx.node.op === "Dropout") {
      // Inference mode unless training_mode (input 2) is a true constant; the mask output is not supported.
      const training = ctx.constant(2);
      if ((training && training.data[0]) || ctx.node.outputs.filter(Boolean).length > 1 || numberAttribute(ctx, "is_test", 1) === 0) {
        throw new IrError(`node "${ctx.node.name}" (Dropout): only inference-mode Dropout without a mask output is supported`);
      }
    }
    return [{ name: ctx.node.name, op: "Identity", inputs: presentInputs(ctx).slice(0, 1), outputs: [ctx.node.outputs[0]], attrs: {} }];
  },
  inferShape(node, inputs) {
    expectInputs(node, inputs, 1);
    return [{ dtype: inputs[0].dtype, shape: [...inputs[0].shape] }];
  },
  evaluate: (_node, [x]) => [x],
};
