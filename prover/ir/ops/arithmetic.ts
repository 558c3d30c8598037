// Broadcasting arithmetic: Add, Sub, Mul, Div, Pow, PRelu, and the variadic Max, Min, Sum, Mean.

import { IrError } from "../errors.js";
import type { Node } from "../graph.js";
import { allocate, broadcastIndex, broadcastShapes, kindOf, type Tensor, type ValueType } from "../tensor.js";
import type { OpDef } from "./types.js";
import { expectInputs, single } from "./util.js";

interface Arithmetic {
  float: (a: number, b: number) => number;
  int: (a: bigint, b: bigint) => bigint;
  /** Variadic ops (Max, Min, Sum, Mean) fold their inputs left to right. */
  variadic?: boolean;
}

/** ONNX integer division truncates toward zero, like C; BigInt's `/` does too. */
function intDiv(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new IrError("integer division by zero");
  return a / b;
}

function intPow(a: bigint, b: bigint): bigint {
  return b < 0n ? BigInt(Math.trunc(Number(a) ** Number(b))) : BigInt.asIntN(64, a ** b);
}

/** Elementwise op over a broadcast of its inputs; the result has the first input's type. */
export function broadcastBinary(a: Tensor, b: Tensor, f: Arithmetic, outDtype = a.dtype): Tensor {
  const shape = broadcastShapes([a.shape, b.shape], "broadcast");
  const ia = broadcastIndex(a.shape, shape);
  const ib = broadcastIndex(b.shape, shape);
  const out = allocate(outDtype, shape);
  const da = a.data;
  const db = b.data;
  const dst = out.data;
  if (dst instanceof BigInt64Array && da instanceof BigInt64Array && db instanceof BigInt64Array) {
    for (let i = 0; i < dst.length; i++) dst[i] = BigInt.asIntN(64, f.int(da[ia[i]], db[ib[i]]));
  } else if (dst instanceof BigInt64Array) {
    // Mixed types (Pow with an integer base and a float exponent): compute in float, truncate.
    for (let i = 0; i < dst.length; i++) dst[i] = BigInt(Math.trunc(f.float(Number(da[ia[i]]), Number(db[ib[i]]))));
  } else {
    for (let i = 0; i < dst.length; i++) dst[i] = f.float(Number(da[ia[i]]), Number(db[ib[i]]));
  }
  return out;
}

function arithmetic(f: Arithmetic): OpDef {
  return {
    normalize: (ctx) => single(ctx),
    inferShape(node: Node, inputs: ValueType[]) {
      expectInputs(node, inputs, f.variadic ? 1 : 2, f.variadic ? Infinity : 2);
      const kind = kindOf(inputs[0].dtype);
      if (kind === "bool") throw new IrError(`node "${node.name}" (${node.op}) does not take bool inputs`);
      // Pow alone lets the exponent's type differ from the base's.
      if (node.op !== "Pow" && inputs.some((t) => t.dtype !== inputs[0].dtype)) {
        throw new IrError(`node "${node.name}" (${node.op}): input types differ (${inputs.map((t) => t.dtype).join(", ")})`);
      }
      const shape = broadcastShapes(inputs.map((t) => t.shape), `node "${node.name}" (${node.op})`);
      if (node.op === "PRelu" && shape.length !== inputs[0].shape.length) {
        throw new IrError(`node "${node.name}" (PRelu): slope of shape [${inputs[1].shape}] does not broadcast to X`);
      }
      return [{ dtype: inputs[0].dtype, shape }];
    },
    evaluate(_node: Node, inputs: Tensor[]) {
      let acc = inputs[0];
      for (let i = 1; i < inputs.length; i++) acc = broadcastBinary(acc, inputs[i], f);
      return [acc];
    },
  };
}

const sumOp = arithmetic({ float: (a, b) => a + b, int: (a, b) => a + b, variadic: true });

/** Mean: the variadic sum divided by the number of inputs (ONNX defines it on floats only). */
const meanOp: OpDef = {
  ...sumOp,
  inferShape(node: Node, inputs: ValueType[]) {
    if (inputs.length > 0 && kindOf(inputs[0].dtype) !== "float") throw new IrError(`node "${node.name}" (Mean) takes float inputs only`);
    return sumOp.inferShape(node, inputs);
  },
  evaluate(node: Node, inputs: Tensor[]) {
    const [total] = sumOp.evaluate(node, inputs);
    const data = total.data as Float32Array | Float64Array;
    for (let i = 0; i < data.length; i++) data[i] /= inputs.length;
    return [total];
  },
};

export const ARITHMETIC_OPS: Record<string, OpDef> = {
  Add: arithmetic({ float: (a, b) => a + b, int: (a, b) => a + b }),
  Sub: arithmetic({ float: (a, b) => a - b, int: (a, b) => a - b }),
  Mul: arithmetic({ float: (a, b) => a * b, int: (a, b) => a * b }),
  Div: arithmetic({ float: (a, b) => a / b, int: intDiv }),
  Pow: arithmetic({ float: (a, b) => a ** b, int: intPow }),
  PRelu: arithmetic({ float: (x, slope) => (x < 0 ? slope * x : x), int: (x, slope) => (x < 0n ? slope * x : x) }),
  Max: arithmetic({ float: (a, b) => (Number.isNaN(a) || a >= b ? a : b), int: (a, b) => (a >= b ? a : b), variadic: true }),
  Min: arithmetic({ float: (a, b) => (Number.isNaN(a) || a <= b ? a : b), int: (a, b) => (a <= b ? a : b), variadic: true }),
  Sum: sumOp,
  Mean: meanOp,
};
