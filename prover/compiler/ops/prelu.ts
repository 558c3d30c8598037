// PRelu: y = relu(x) + slope·(x − relu(x)) with private slopes (broadcast): the ReLU table, one
// subtraction, one multiplication by the slope cell and one addition per element, then a rescale.
import { settle } from "../context.js";
import { zipBroadcast } from "./add.js";
import { needConst, type OpLowering } from "./types.js";

export const prelu: OpLowering = {
  ops: ["PRelu"],
  check: (node, graph) => needConst(node, graph, 1, "slope"),
  lower(ctx, node) {
    const { t: x, bits } = ctx.forLookup(ctx.input(0), node.inputs[0]);
    const slope = ctx.privateConstant(node.inputs[1]);
    const r = ctx.relu(x.cells, bits, `the input of PRelu (${node.inputs[0]})`, x.scale);
    const f = 1n << BigInt(slope.scale);
    const res = ctx.block("prelu", () => {
      const neg = { dims: x.dims, cells: x.cells.map((c, i) => ctx.linear(c, r[i], 1n, -1n)), scale: x.scale };
      const pos = { dims: x.dims, cells: r, scale: x.scale };
      const p = zipBroadcast(neg, slope, (a, s) => ctx.mul(a, s));
      return zipBroadcast(pos, { dims: p.dims, cells: p.cells, scale: 0 }, (a, m) => ctx.linear(a, m, f, 1n));
    });
    ctx.setOutput(0, settle(ctx, { ...res, scale: x.scale + slope.scale }, node.outputs[0]));
  },
};
