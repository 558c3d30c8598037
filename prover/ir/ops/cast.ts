// Cast: converts between element types (float → int truncates toward zero; → float32 rounds to float32).

import { elementTypeOf } from "../../onnx/tensor.js";
import { IrError } from "../errors.js";
import { attrString } from "../graph.js";
import { allocate, kindOf, type DType } from "../tensor.js";
import type { OpDef } from "./types.js";
import { expectInputs, numberAttribute, presentInputs } from "./util.js";

const INT_BITS: Partial<Record<DType, [bits: number, signed: boolean]>> = {
  int8: [8, true],
  uint8: [8, false],
  int16: [16, true],
  uint16: [16, false],
  int32: [32, true],
  uint32: [32, false],
  int64: [64, true],
  uint64: [64, false],
};

function wrapInt(v: bigint, dtype: DType): bigint {
  const [bits, signed] = INT_BITS[dtype]!;
  return signed ? BigInt.asIntN(bits, v) : BigInt.asUintN(bits, v);
}

export const cast: OpDef = {
  normalize(ctx) {
    const to = elementTypeOf(numberAttribute(ctx, "to", 0), `node "${ctx.node.name}" (Cast) target`);
    return [{ name: ctx.node.name, op: "Cast", inputs: presentInputs(ctx), outputs: [...ctx.node.outputs], attrs: { to } }];
  },
  inferShape(node, inputs) {
    expectInputs(node, inputs, 1);
    return [{ dtype: attrString(node, "to") as DType, shape: [...inputs[0].shape] }];
  },
  evaluate(node, [x]) {
    const to = attrString(node, "to") as DType;
    const out = allocate(to, x.shape);
    const src = x.data;
    const dst = out.data;
    const toKind = kindOf(to);
    for (let i = 0; i < src.length; i++) {
      const v = src[i];
      if (toKind === "bool") dst[i] = v ? 1 : 0;
      else if (toKind === "float") dst[i] = to === "float32" ? Math.fround(Number(v)) : Number(v);
      else if (typeof v === "bigint") dst[i] = wrapInt(v, to);
      else {
        if (!Number.isFinite(v)) throw new IrError(`node "${node.name}" (Cast): cannot cast ${v} to ${to}`);
        dst[i] = wrapInt(BigInt(Math.trunc(v)), to);
      }
    }
    return [out];
  },
};
