// BatchNormalization (inference): y = x·a_c + b_c with a = γ/√(σ² + ε), b = β − μ·a per channel,
// both private (weights, via the weight column); one multiplication and one addition row per
// element, then a rescale.
import { quantizeValue } from "../../quantize/fixed-point.js";
import { weightScaleFor } from "../../quantize/targets.js";
import { settle } from "../context.js";
import { floatAttr, needConst, type OpLowering } from "./types.js";

export const batchNorm: OpLowering = {
  ops: ["BatchNormalization"],
  check(node, graph) {
    for (let i = 1; i <= 4; i++) {
      const why = needConst(node, graph, i, ["", "scale", "bias", "mean", "variance"][i]);
      if (why) return why;
    }
    return node.outputs.length > 1 ? "training-mode outputs are not supported" : undefined;
  },
  lower(ctx, node) {
    const x = ctx.input(0);
    const [g, beta, mu, v] = [1, 2, 3, 4].map((i) => ctx.constant(node.inputs[i]).data);
    const eps = floatAttr(node, "epsilon", 1e-5);
    const C = x.dims[1];
    const a = Array.from({ length: C }, (_, c) => g[c] / Math.sqrt(v[c] + eps));
    const bias = Array.from({ length: C }, (_, c) => beta[c] - mu[c] * a[c]);
    const sw = weightScaleFor(Math.max(...a.map(Math.abs)), ctx.target);
    const aCells = ctx.privateValues(a.map((w) => quantizeValue(w, sw)));
    const bCells = ctx.privateValues(bias.map((w) => quantizeValue(w, sw + x.scale)));
    const inner = x.cells.length / (x.dims[0] * C);
    const cells = ctx.block("affine", () =>
      x.cells.map((cell, i) => {
        const c = Math.floor(i / inner) % C;
        return ctx.linear(ctx.mul(cell, aCells[c]), bCells[c], 1n, 1n);
      }),
    );
    ctx.setOutput(0, settle(ctx, { dims: x.dims, cells, scale: sw + x.scale }, node.outputs[0]));
  },
};
