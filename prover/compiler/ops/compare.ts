// Less, Greater (and their OrEqual forms), Equal → d = a − b at a common scale and a lookup of
// (d, [d < 0]) (or [d = 0], …) over d's range (bool output, scale 0): the table is a function of d,
// so the output is exactly the predicate of the quantized operands (Equal on floats compares the
// values rounded to the common scale). Where(c, x, y) → y + c·(x − y): a
// subtraction, a multiplication by the 0/1 condition and an addition per element (a condition not
// already constrained to 0/1, e.g. a bool model input, is asserted boolean first).
import { settle } from "../context.js";
import { alignedOperands, zipBroadcast } from "./add.js";
import { booleanInput } from "./logic.js";
import type { OpLowering } from "./types.js";

const PREDICATE: Record<string, (d: bigint) => boolean> = {
  Less: (d) => d < 0n,
  LessOrEqual: (d) => d <= 0n,
  Greater: (d) => d > 0n,
  GreaterOrEqual: (d) => d >= 0n,
  Equal: (d) => d === 0n,
};

export const compare: OpLowering = {
  ops: [...Object.keys(PREDICATE), "Where"],
  lower(ctx, node) {
    if (node.op === "Where") {
      // The select is only a choice for a 0/1 condition: one not constrained so already is asserted boolean.
      const cond = booleanInput(ctx, 0);
      const [x, y] = alignedOperands(ctx, { ...node, inputs: node.inputs.slice(1) });
      const res = ctx.block("select", () => {
        const d = zipBroadcast(x, y, (a, b) => ctx.linear(a, b, 1n, -1n));
        const m = zipBroadcast(cond, { ...d, scale: 0 }, (c, v) => ctx.mul(c, v));
        return zipBroadcast(y, { ...m, scale: 0 }, (b, v) => ctx.linear(b, v, 1n, 1n));
      });
      ctx.setOutput(0, settle(ctx, { ...res, scale: x.scale }, node.outputs[0]));
      return;
    }
    const [a, b] = alignedOperands(ctx, node);
    const bits = 1 + Math.max(...node.inputs.map((n) => ctx.bitsFor(n, a.scale)));
    const d = ctx.block("add", () => zipBroadcast(a, b, (x, y) => ctx.linear(x, y, 1n, -1n)));
    const p = PREDICATE[node.op];
    const cells = ctx.lookup(node.op, node.op, d.cells, bits, (q) => (p(q) ? 1n : 0n), `${node.op} operands' difference`, a.scale);
    ctx.setOutput(0, { dims: d.dims, cells, scale: 0 });
  },
};
