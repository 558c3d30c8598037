// Clip: min/max were attributes before opset 11 and optional inputs since; here always attributes.

import { attrNumber } from "../graph.js";
import type { OpDef } from "./types.js";
import { expectFloat, expectInputs, mapFloat, paramInput } from "./util.js";

export const clip: OpDef = {
  normalize(ctx) {
    let min = -Infinity;
    let max = Infinity;
    if (ctx.opset < 11) {
      const a = ctx.node.attributes;
      const lo = a.get("min");
      const hi = a.get("max");
      if (lo?.kind === "float") min = lo.value;
      if (hi?.kind === "float") max = hi.value;
    } else {
      min = paramInput(ctx, 1, "min")?.[0] ?? min;
      max = paramInput(ctx, 2, "max")?.[0] ?? max;
    }
    return [{ name: ctx.node.name, op: "Clip", inputs: [ctx.node.inputs[0]], outputs: [ctx.node.outputs[0]], attrs: { min, max } }];
  },
  inferShape(node, inputs) {
    expectInputs(node, inputs, 1);
    expectFloat(node, inputs[0]);
    return [{ dtype: inputs[0].dtype, shape: [...inputs[0].shape] }];
  },
  evaluate(node, [x]) {
    const min = attrNumber(node, "min");
    const max = attrNumber(node, "max");
    return [mapFloat(x, (v) => (v < min ? min : v > max ? max : v))];
  },
};
