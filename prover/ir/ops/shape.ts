// Shape and Size: with static shapes both are constants at load, so they never reach the graph.

import { IrError } from "../errors.js";
import { allocate, size } from "../tensor.js";
import type { OpDef } from "./types.js";
import { inputType, numberAttribute } from "./util.js";

function folded(op: string): never {
  throw new IrError(`${op} is folded to a constant at load and has no node form`);
}

export const shape: OpDef = {
  normalize(ctx) {
    const dims = inputType(ctx, 0).shape;
    const rank = dims.length;
    const clampAxis = (a: number) => Math.min(Math.max(a < 0 ? a + rank : a, 0), rank);
    const start = clampAxis(numberAttribute(ctx, "start", 0));
    const end = clampAxis(numberAttribute(ctx, "end", rank));
    const picked = dims.slice(start, Math.max(start, end));
    const out = allocate("int64", [picked.length]);
    picked.forEach((d, i) => (out.data[i] = BigInt(d)));
    return out;
  },
  inferShape: () => folded("Shape"),
  evaluate: () => folded("Shape"),
};

export const sizeOp: OpDef = {
  normalize(ctx) {
    const out = allocate("int64", []);
    out.data[0] = BigInt(size(inputType(ctx, 0).shape));
    return out;
  },
  inferShape: () => folded("Size"),
  evaluate: () => folded("Size"),
};
